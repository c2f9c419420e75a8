// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QString>

#include "spec/transferspec.h"
#include "types/columninfo.h"

namespace sluice {

/// Compiles the source query on the open connection named connectionName and returns the
/// columns its result would have, without reading a row: what `sluice validate` checks the
/// template against. Each driver is asked the way its RowCursor runs the query, so a query
/// that describes here is one the run can prepare:
///
/// - QPSQL: the protocol-level prepared statement and its description (describePgQuery());
///   nothing is executed and no parameter value is bound.
/// - QMYSQL/QMARIADB with the MariaDB client library: a prepared statement, described by the
///   server (describeMysqlQuery()); nothing is executed.
/// - QSQLITE: sqlite3_prepare_v2 on the connection's handle; nothing is stepped. Qt's own
///   placeholder scan must agree with Sluice's, as the run requires.
/// - Any other driver (ODBC, MySQL without the client library): the query runs through
///   QSqlQuery as the run would run it, and no row is fetched (Qt has no portable way to
///   describe a statement without executing it).
///
/// driver is the connection's driver name. The query's parameters must all have values
/// (the last case binds them). On failure returns nullopt with *error set ("query: ...").
std::optional<ColumnList> describeQuery(const QString &connectionName, const QString &driver,
                                        const QuerySpec &query, QString *error);

} // namespace sluice
