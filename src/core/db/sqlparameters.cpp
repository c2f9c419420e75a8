// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlparameters.h"

#include <QSet>
#include <QStringView>

#include "db/sqllexer.h"

namespace sluice {

namespace {

/// Calls onName(name) for every parameter marker, in order.
template<typename OnName>
void scanSqlParameters(QStringView sql, OnName onName)
{
    SqlLexer lexer(sql);
    while (const std::optional<SqlLexer::Token> token = lexer.next()) {
        if (token->kind == SqlLexer::Kind::Parameter)
            onName(sql.sliced(token->start + 1, token->length - 1));
    }
}

} // namespace

QStringList findSqlParameters(const QString &sql)
{
    QStringList names;
    QSet<QStringView> seen;
    scanSqlParameters(sql, [&](QStringView name) {
        if (!seen.contains(name)) {
            seen.insert(name);
            names.append(name.toString());
        }
    });
    return names;
}

qsizetype countSqlParameterUses(const QString &sql)
{
    qsizetype count = 0;
    scanSqlParameters(sql, [&count](QStringView) { ++count; });
    return count;
}

QString toPositionalParameters(const QString &sql, const QStringList &names)
{
    QString out;
    out.reserve(sql.size());
    qsizetype copied = 0;
    SqlLexer lexer(sql);
    while (const std::optional<SqlLexer::Token> token = lexer.next()) {
        if (token->kind != SqlLexer::Kind::Parameter)
            continue;
        const qsizetype index
            = names.indexOf(QStringView(sql).sliced(token->start + 1, token->length - 1));
        if (index < 0)
            continue;
        out.append(QStringView(sql).sliced(copied, token->start - copied));
        out.append(u'$' + QString::number(index + 1));
        copied = token->start + token->length;
    }
    out.append(QStringView(sql).sliced(copied));
    return out;
}

QStringList sqlParameterProblems(const QString &sql, const QMap<QString, QVariant> &parameters)
{
    QStringList problems;
    const QStringList names = findSqlParameters(sql);
    for (const QString &name : names) {
        if (!parameters.contains(name))
            problems.append(
                QStringLiteral("query.parameters: the query uses :%1 but no value is given")
                    .arg(name));
    }
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it) {
        if (!names.contains(it.key()))
            problems.append(QStringLiteral("query.parameters.%1: the query has no parameter :%1")
                                .arg(it.key()));
    }
    return problems;
}

} // namespace sluice
