// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcommand.h"

#include "progressreporter.h"
#include "spec/parametervalue.h"
#include "spec/transferspec.h"
#include "transfer/failedwriter.h"
#include "transfer/transferrun.h"
#include "util/unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>

#include <csignal>
#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace sluice {

namespace {

void printError(const QString &message)
{
    std::fprintf(stderr, "sluice run: %s\n", message.toUtf8().constData());
}

std::optional<QString> askPassword(const TransferSpec &spec)
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

} // namespace

int runTransferCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs a saved transfer without the desktop app: reads the rows its query returns,\n"
        "turns each into JSON and sends it to the target API.\n\n"
        "Exit codes: 0 every item was delivered; 1 some items failed or were invalid;\n"
        "2 the transfer could not run (configuration, connection or usage error);\n"
        "130 interrupted (undelivered items are written to --failed)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("transfer"),
                                 QStringLiteral("The transfer file (.json)."),
                                 QStringLiteral("TRANSFER.json"));
    const QCommandLineOption setOption(
        QStringLiteral("set"),
        QStringLiteral("Gives the query parameter :NAME the value VALUE (repeatable)."),
        QStringLiteral("NAME=VALUE"));
    const QCommandLineOption failedOption(
        QStringLiteral("failed"),
        QStringLiteral("Writes failed and invalid items with their errors to FILE (NDJSON)."),
        QStringLiteral("FILE"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"),
                                         QStringLiteral("Shows no progress, only the summary."));
    const QCommandLineOption intervalOption(
        QStringLiteral("progress-interval"),
        QStringLiteral("When stderr is not a terminal, prints a progress line every SECONDS "
                       "(default 5)."),
        QStringLiteral("SECONDS"));
    parser.addOption(intervalOption);
    parser.addOption(setOption);
    parser.addOption(failedOption);
    parser.addOption(quietOption);

    QStringList args = arguments;
    if (args.size() >= 2)
        args.removeAt(1); // "run"
    if (!parser.parse(args)) {
        printError(parser.errorText());
        return ExitConfigError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(parser.helpText()
                       .replace(QLatin1String("Usage: ") + QFileInfo(arguments.value(0)).fileName(),
                                QStringLiteral("Usage: sluice run"))
                       .toUtf8()
                       .constData(),
                   stdout);
        return ExitAllDelivered;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        printError(
            positional.isEmpty()
                ? QStringLiteral("no transfer file given (see sluice run --help)")
                : QStringLiteral("one transfer file at a time, got %1").arg(positional.size()));
        return ExitConfigError;
    }

    TransferSpec spec;
    QList<SpecError> errors;
    if (!TransferSpec::load(positional.first(), &spec, &errors)) {
        for (const SpecError &e : errors)
            printError(e.path.isEmpty() ? e.message : positional.first() + u": " + e.toString());
        return ExitConfigError;
    }

    RunOptions options;
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    for (const QString &assignment : parser.values(setOption)) {
        const qsizetype eq = assignment.indexOf(u'=');
        const QString name = assignment.left(eq);
        if (eq < 0 || !identifier.match(name).hasMatch()) {
            printError(
                QStringLiteral("--set %1: expected NAME=VALUE with NAME a query parameter name")
                    .arg(assignment));
            return ExitConfigError;
        }
        // Typed as the file gives the parameter, so that `--set limit=10` binds an integer
        // where the file has one.
        SpecError error;
        const std::optional<QVariant> value = parameterFromText(
            name, spec.query.parameters.value(name), assignment.mid(eq + 1), &error);
        if (!value) {
            printError(QStringLiteral("--set %1: %2").arg(assignment, error.toString()));
            return ExitConfigError;
        }
        options.parameterOverrides.insert(name, *value);
    }
    if (spec.source.askPassword)
        options.password = askPassword(spec);

    FailedWriter failedWriter;
    if (parser.isSet(failedOption)) {
        QString error;
        if (!failedWriter.open(parser.value(failedOption), &error)) {
            printError(error);
            return ExitConfigError;
        }
    }

    int intervalMs = ProgressReporter::DefaultLinesIntervalMs;
    if (parser.isSet(intervalOption)) {
        bool ok = false;
        const double seconds = parser.value(intervalOption).toDouble(&ok);
        if (!ok || seconds < 0.1 || seconds > 86400) {
            printError(
                QStringLiteral("--progress-interval %1: expected a number of seconds from 0.1 "
                               "to 86400")
                    .arg(parser.value(intervalOption)));
            return ExitConfigError;
        }
        intervalMs = int(seconds * 1000);
    }

    TransferRun run(spec, options);
    ProgressReporter reporter(&run,
                              parser.isSet(quietOption) ? ProgressReporter::Style::Quiet
                                                        : ProgressReporter::Style::Live,
                              intervalMs);
    int exitCode = ExitAllDelivered;
    bool interrupted = false;
    bool writeFailed = false;

    QObject::connect(&run, &TransferRun::itemFinished, &run, [&](const ItemResult &result) {
        if (result.status == ItemStatus::Delivered || !failedWriter.isOpen())
            return;
        if (!failedWriter.write(result) && !writeFailed) {
            writeFailed = true;
            QString error;
            failedWriter.close(&error);
            printError(error + QStringLiteral(" (stopping: failed items could not be recorded)"));
            run.cancel();
        }
    });
    QObject::connect(&run, &TransferRun::finished, &run,
                     [&](TransferRun::Outcome outcome, const QString &message) {
                         reporter.stop();
                         if (!message.isEmpty()) {
                             for (const QString &line : message.split(u'\n'))
                                 printError(line);
                         }
                         switch (outcome) {
                         case TransferRun::Outcome::ConfigError:
                         case TransferRun::Outcome::SourceError:
                             exitCode = ExitConfigError;
                             break;
                         case TransferRun::Outcome::Cancelled:
                         case TransferRun::Outcome::Completed: {
                             const RunCounts c = run.counts();
                             if (interrupted)
                                 exitCode = ExitInterrupted;
                             else if (c.failed > 0 || c.invalid > 0 || writeFailed)
                                 exitCode = ExitNotAllDelivered;
                             break;
                         }
                         }
                         QCoreApplication::exit(exitCode);
                     });

    UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});
    QObject::connect(&signalWatcher, &UnixSignalWatcher::signalReceived, &run, [&](int) {
        if (interrupted) {
            // A second interrupt: the user does not want to wait for in-flight requests.
            std::fputs("\nsluice run: interrupted twice, quitting at once\n", stderr);
            std::_Exit(ExitInterrupted);
        }
        interrupted = true;
        std::fputs("\nsluice run: interrupted, stopping (press Ctrl-C again to quit at once)\n",
                   stderr);
        run.cancel();
    });

    run.start();
    QCoreApplication::exec();

    QString closeError;
    if (!failedWriter.close(&closeError)) {
        printError(closeError);
        if (exitCode == ExitAllDelivered)
            exitCode = ExitNotAllDelivered;
    }
    if (run.state() == TransferRun::State::Finished && exitCode != ExitConfigError) {
        const RunCounts c = run.counts();
        const double seconds = run.elapsedSeconds();
        const double rate = seconds > 0 ? double(c.finished()) / seconds : 0.0;
        std::printf("delivered %lld, failed %lld, invalid %lld in %.2f s (%.0f items/s)\n",
                    static_cast<long long>(c.delivered), static_cast<long long>(c.failed),
                    static_cast<long long>(c.invalid), seconds, rate);
        if (failedWriter.linesWritten() > 0)
            std::fprintf(stderr, "sluice run: %lld failed or invalid items written to %s\n",
                         static_cast<long long>(failedWriter.linesWritten()),
                         parser.value(failedOption).toUtf8().constData());
        std::fflush(stdout);
    }
    return exitCode;
}

} // namespace sluice
