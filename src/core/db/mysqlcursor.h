// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QMap>
#include <QString>
#include <QVariant>

#include "types/columninfo.h"

QT_BEGIN_NAMESPACE
class QSqlDatabase;
QT_END_NAMESPACE

namespace sluice {

/// Streams a query's rows from a QMYSQL/QMARIADB connection, one row at a time.
///
/// Qt 6.4's QMYSQL always buffers the whole result in client memory (mysql_store_result /
/// mysql_stmt_store_result), forward-only or not. This cursor runs the query itself on the
/// connection's native handle (the MYSQL* behind QSqlDriver::handle()) as a prepared
/// statement, :name parameters bound as ? markers (values never enter the SQL text), and
/// fetches with mysql_stmt_fetch WITHOUT mysql_stmt_store_result: each row is read from
/// the socket when it is asked for, so memory stays flat for any number of rows.
///
/// The client library's functions are resolved at run time from the libmariadb the QMYSQL
/// plugin has already loaded (sluice_core does not link it; see mysqlCursorAvailable()):
/// the MYSQL* belongs to that library, so nothing else may touch it.
///
/// Values (the JSON forms are in docs/design.md, "MySQL/MariaDB types"): integers as
/// qlonglong (qulonglong when UNSIGNED, and BIT(n) as its unsigned value); DECIMAL as the
/// server's exact text (ColumnInfo::exactNumeric); DOUBLE as double, FLOAT as the double of
/// its shortest float text (0.1, not 0.100000001); DATE as "YYYY-MM-DD", DATETIME and
/// TIMESTAMP as "YYYY-MM-DDTHH:MM:SS[.ffffff]" (as many fraction digits as the column
/// has), TIME as "[-]HHH:MM:SS[.ffffff]" text (it may be negative or over 24 hours); zero
/// dates keep the server's zeros ("0000-00-00"); JSON (MariaDB's extended metadata format
/// "json", MySQL's JSON type) as its text with ColumnInfo::jsonText; binary strings
/// (BINARY, VARBINARY, BLOB, GEOMETRY: the binary character set) as QByteArray; all other
/// text as QString; NULL as a null QVariant.
///
/// Threads: one thread uses a cursor and its connection; cancelMysqlConnection() may be
/// called from another.
class MysqlCursor final
{
    Q_DISABLE_COPY_MOVE(MysqlCursor)

public:
    enum class Result { Row, End, Error };

    /// A cursor on db's connection (open, QMYSQL or QMARIADB). isValid() is false when
    /// the native handle or the client library is not there (see mysqlCursorAvailable()).
    explicit MysqlCursor(const QSqlDatabase &db);
    /// Finishes the statement (see finish()).
    ~MysqlCursor();

    bool isValid() const;

    /// Prepares sql (its :name markers become ?), binds the parameters by name and executes
    /// it. Returns false with errorText() set on failure, or when the statement returns no
    /// result set.
    bool exec(const QString &sql, const QMap<QString, QVariant> &parameters);
    /// The result's columns, after a successful exec().
    const ColumnList &columns() const;
    /// Reads the next row into *row (one QVariant per column).
    Result next(QVariantList *row);
    /// Reads past the next row without converting its values.
    Result skip();
    QString errorText() const;
    /// Closes the statement. A result not read to its end is abandoned: the connection is
    /// shut down (mariadb_cancel) rather than drained, so the server stops sending and the
    /// connection must be closed afterwards. Idempotent.
    void finish();
    /// Whether finish() had to shut the connection down.
    bool connectionShutDown() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

/// Whether Sluice can stream from db's connection: it is open, QMYSQL/QMARIADB hands out
/// a MYSQL* and the MariaDB client library (libmariadb.so.3) provides every function the
/// cursor needs.
bool mysqlCursorAvailable(const QSqlDatabase &db);

/// The connection's MYSQL* as an opaque pointer, or null when db is no MySQL connection.
void *mysqlNativeHandle(const QSqlDatabase &db);

/// Shuts the connection's socket down so that a statement that is sending rows stops at
/// once (mariadb_cancel); the connection is unusable afterwards. Any thread.
void cancelMysqlConnection(void *mysql);

} // namespace sluice
