// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "types/connectionsettings.h"

namespace sluice {

// Opening a database connection for a ConnectionSettings. The run (SqlRowReader) and the
// connection test (ConnectionTester) both open through these functions, so a steward
// reads the same words for the same problem in the form and in the run.
//
// Threads: a Qt SQL connection belongs to the thread that adds it. Call
// openSqlConnection() and closeSqlConnection() for one name in the same thread, and use
// the connection only there. The free functions themselves are thread-safe.

/// The driver's name for people: QSQLITE "SQLite", QPSQL "PostgreSQL", QMYSQL and
/// QMARIADB "MySQL/MariaDB", QODBC "ODBC"; any other name as it is.
QString driverDisplayName(const QString &driver);

/// The first problem that keeps these settings from being opened, found without
/// connecting: the driver is not installed (the message lists the installed ones), or the
/// SQLite file is not given or does not exist. Empty when there is none. Messages start
/// with the transfer-file field they are about ("source.driver: ...").
QString sqlConnectionProblem(const ConnectionSettings &settings);

/// How long opening a PostgreSQL, MySQL/MariaDB or ODBC connection waits for the server
/// unless the connect options choose their own timeout: a silent host (a firewall that drops
/// packets, a server that accepts and never speaks) fails the run or the test instead of
/// holding it for the minutes TCP would wait, or for ever.
inline constexpr int SqlConnectTimeoutSeconds = 10;

/// The settings with the driver's connect timeout option set to SqlConnectTimeoutSeconds
/// (libpq connect_timeout, MYSQL_OPT_CONNECT_TIMEOUT, SQL_ATTR_LOGIN_TIMEOUT), unless the
/// options already name it; other drivers (SQLite) are returned as they are.
ConnectionSettings withConnectTimeout(ConnectionSettings settings);

/// The rows psqlODBC fetches at a time when Sluice turns on its cursor (UseDeclareFetch).
inline constexpr int PsqlOdbcFetchRows = 1000;

/// The streaming settings Sluice adds to a DSN-less ODBC connection string that names
/// PostgreSQL's ODBC driver (psqlODBC: DRIVER={PostgreSQL Unicode}, {PostgreSQL ANSI} or a
/// psqlodbc*.so path). Without UseDeclareFetch, psqlODBC reads the whole result into memory
/// before the first row; with it, it reads through a cursor, Fetch rows at a time. Without
/// BoolsAsChar=0, booleans arrive as the text "1"/"0". Keywords the string already sets
/// (full or abbreviated: B6, A7, B9, or the CX bit mask) are left as they are; any other
/// string (a DSN, another driver) is returned unchanged.
QString withPsqlOdbcDefaults(const QString &connectionString);

/// A connection name no registered connection has: prefix followed by a number.
QString uniqueSqlConnectionName(const QString &prefix);

/// Adds a connection named connectionName (which must be free) and opens it:
/// sqlConnectionProblem() first, then host, port, user, password and connect options from
/// the settings, with withConnectTimeout() (and withPsqlOdbcDefaults() for QODBC). SQLite is always
/// opened read-only, so a missing file is never created. The password is only handed to the driver,
/// never put into a message. On success the connection stays registered and open; remove it with
/// closeSqlConnection() in the same thread. On failure returns false with *error set and leaves no
/// connection behind.
bool openSqlConnection(const ConnectionSettings &settings, const QString &password,
                       const QString &connectionName, QString *error);

/// Closes and removes a connection (no-op for an unknown name). Every QSqlQuery and
/// QSqlDatabase handle on it must be gone by then, or Qt warns and breaks them.
void closeSqlConnection(const QString &connectionName);

} // namespace sluice
