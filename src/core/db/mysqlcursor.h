// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QString>

#include "db/rowcursor.h"
#include "spec/transferspec.h"

QT_BEGIN_NAMESPACE
class QSqlDatabase;
QT_END_NAMESPACE

namespace sluice {

/// Runs the query on the open QMYSQL/QMARIADB connection named connectionName through the
/// MariaDB client library itself (the driver's native MYSQL*), not through QSqlQuery
/// (docs/design.md, "Reading rows"):
///
/// - Qt 6.4's QMYSQL always stores the whole result in client memory (mysql_store_result /
///   mysql_stmt_store_result). This cursor runs the query as a prepared statement, :name
///   markers rewritten to ? (values bound by type, never spliced into the SQL), and fetches
///   with mysql_stmt_fetch WITHOUT storing: each row is read from the socket when it is
///   asked for, so memory follows the chunk, not the result.
/// - The client library's functions are resolved at run time from the libmariadb.so.3 that
///   the QMYSQL plugin has already loaded (sluice_core does not link it): the MYSQL*
///   belongs to that library.
/// - Destroyed before its end, the cursor shuts the connection's socket down
///   (mariadb_cancel) instead of reading the rest; the connection must be closed then.
///
/// Values (their JSON forms: docs/design.md, "MySQL/MariaDB types"): integers as qlonglong
/// (qulonglong when UNSIGNED, and BIT(n) as its unsigned value); DECIMAL as the server's
/// exact text (ColumnInfo::exactNumeric); DOUBLE as double, FLOAT as the double of its
/// shortest float text (0.1, not 0.100000001); DATE as "YYYY-MM-DD", DATETIME and TIMESTAMP
/// as "YYYY-MM-DDTHH:MM:SS[.ffffff]" (as many fraction digits as the column has), TIME as
/// "[-]HHH:MM:SS[.ffffff]" text (it may be negative or over 24 hours); zero dates keep the
/// server's zeros ("0000-00-00"); JSON (MariaDB's extended metadata format "json", MySQL's
/// JSON type) as JsonText; binary strings (BINARY, VARBINARY, BLOB, GEOMETRY: the binary
/// character set) as QByteArray; other text as QString; NULL as a null QVariant.
///
/// On failure returns null with *error set ("query: ...").
std::unique_ptr<RowCursor> openMysqlCursor(const QString &connectionName, const QuerySpec &query,
                                           QString *error);

/// Prepares the query on the open QMYSQL/QMARIADB connection as openMysqlCursor() does and
/// returns the result's columns as the server describes the prepared statement, without
/// executing it (no parameter value is bound, no row is read). Needs canStreamMysql(). On
/// failure returns nullopt with *error set ("query: ...").
std::optional<ColumnList> describeMysqlQuery(const QString &connectionName, const QuerySpec &query,
                                             QString *error);

/// Whether openMysqlCursor() can read from the connection named connectionName: it is
/// open, the driver hands out a MYSQL* and the MariaDB client library (libmariadb.so.3)
/// provides every function the cursor needs.
bool canStreamMysql(const QString &connectionName);

/// The connection's MYSQL* as an opaque pointer, or null when db is no MySQL connection.
void *mysqlNativeHandle(const QSqlDatabase &db);

/// Shuts the connection's socket down so that a statement that is running or sending rows
/// stops at once (mariadb_cancel); the connection is unusable afterwards. Any thread, as
/// long as the connection is open.
void cancelMysqlConnection(void *mysql);

} // namespace sluice
