// SPDX-License-Identifier: GPL-3.0-or-later
#include "clicommon.h"

#include "spec/parametervalue.h"
#include "spec/transferspec.h"
#include "util/text.h"

#include <QCommandLineParser>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace sluice {

std::optional<QString> askPasswordOnTerminal(const TransferSpec &spec)
{
    if (!isatty(STDIN_FILENO))
        return std::nullopt;
    const ConnectionSettings &s = spec.source;
    QString where = s.database;
    if (!s.host.isEmpty())
        where = s.host + u'/' + where;
    if (!s.user.isEmpty())
        where = s.user + u'@' + where;
    std::fprintf(stderr, "Password for %s: ", where.toUtf8().constData());
    std::fflush(stderr);
    termios old = {};
    const bool haveTerm = tcgetattr(STDIN_FILENO, &old) == 0;
    if (haveTerm) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char buffer[1024];
    const bool read = std::fgets(buffer, sizeof buffer, stdin) != nullptr;
    if (haveTerm)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::fputc('\n', stderr);
    if (!read)
        return std::nullopt;
    QString password = QString::fromLocal8Bit(buffer);
    while (password.endsWith(u'\n') || password.endsWith(u'\r'))
        password.chop(1);
    return password;
}

QString readParameterOverrides(const QStringList &assignments, const TransferSpec &spec,
                               QMap<QString, QVariant> *overrides)
{
    for (const QString &assignment : assignments) {
        const qsizetype eq = assignment.indexOf(u'=');
        const QString name = assignment.left(eq);
        if (eq < 0 || !isIdentifier(name))
            return QStringLiteral("--set %1: expected NAME=VALUE with NAME a query parameter name")
                .arg(assignment);
        SpecError error;
        const std::optional<QVariant> value = parameterFromText(
            name, spec.query.parameters.value(name), assignment.mid(eq + 1), &error);
        if (!value)
            return QStringLiteral("--set %1: %2").arg(assignment, error.toString());
        overrides->insert(name, *value);
    }
    return {};
}

QString commandHelpText(const QCommandLineParser &parser, const QString &command)
{
    QString help = parser.helpText();
    const qsizetype start = help.indexOf(QLatin1String("Usage: "));
    const qsizetype end = help.indexOf(QLatin1String(" [options]"));
    if (start >= 0 && end > start)
        help.replace(start, end - start, QStringLiteral("Usage: sluice ") + command);
    return help;
}

} // namespace sluice
