// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace sluice {

/// Names of the :name parameters in sql, in first-use order, each once, without the colon.
///
/// The rules are SqlLexer's (db/sqllexer.h), which the SQL editor's highlighter shares. A name is
/// [A-Za-z_][A-Za-z0-9_]* after a single ':'. Skipped, so that no parameter is found inside them:
/// '...' literals ('' escapes; backslash escapes in PostgreSQL E'...'),
/// "..." and `...` quoted identifiers, -- line comments, /* */ comments (not nested),
/// PostgreSQL dollar quotes ($$...$$, $tag$...$tag$), PostgreSQL ::casts and := assignments.
///
/// Qt's own placeholder scanner (used by QSqlQuery::prepare) skips only quotes, so it also
/// sees :names inside comments and dollar quotes; countSqlParameterUses() lets a caller
/// detect that disagreement.
QStringList findSqlParameters(const QString &sql);

/// How many :name parameter markers sql contains by the rules of findSqlParameters(),
/// counting a name used twice twice.
qsizetype countSqlParameterUses(const QString &sql);

/// sql with every :name marker (by the rules of findSqlParameters()) replaced by $n, n being
/// the 1-based position of the name in names (PostgreSQL's own markers). A name not in names
/// is left as it is.
QString toPositionalParameters(const QString &sql, const QStringList &names);

/// What keeps sql from being run with these values (query.parameters): a :name the SQL uses
/// without a value, a value for a name the SQL does not use; one message per problem, each
/// naming its field ("query.parameters: the query uses :since but no value is given").
QStringList sqlParameterProblems(const QString &sql, const QMap<QString, QVariant> &parameters);

} // namespace sluice
