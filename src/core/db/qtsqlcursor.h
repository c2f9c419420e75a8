// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QString>

#include "db/rowcursor.h"
#include "spec/transferspec.h"

QT_BEGIN_NAMESPACE
class QSqlError;
QT_END_NAMESPACE

namespace sluice {

/// Runs the query through Qt's QSqlQuery on the connection named connectionName, forward
/// only, under QSql::HighPrecision (SQLite, ODBC and any driver without a cursor of its
/// own): prepared with every parameter bound (values are never spliced into the SQL), or,
/// when the SQL has no parameters, unprepared. On failure returns null with *error set
/// ("query: ..."). driver is the connection's driver name (QSQLITE, QODBC, ...).
std::unique_ptr<RowCursor> openQtSqlCursor(const QString &connectionName, const QString &driver,
                                           const QuerySpec &query, QString *error);

/// What Qt's drivers say, for people: the text of a QSqlError, with a hint for SQLite's
/// "database is locked".
QString sqlErrorText(const QSqlError &error);

} // namespace sluice
