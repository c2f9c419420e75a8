// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

struct sqlite3;
struct sqlite3_stmt;

namespace sluice {

/// The least of SQLite's C API the run journal needs: one connection, used from one thread
/// at a time. The journal speaks to SQLite directly rather than through Qt SQL: it writes
/// from a thread of its own without a named QSqlDatabase connection, and a bound statement
/// costs a fraction of QSqlQuery's QVariant round trips (the journal may see 300,000 items a
/// second in a bulk mode).
class SqliteDb final
{
    Q_DISABLE_COPY_MOVE(SqliteDb)

public:
    SqliteDb() = default;
    ~SqliteDb();

    /// Call first thing in main(), before anything opens a SQLite database (a source through
    /// Qt's QSQLITE shares the library): turns off SQLite's memory statistics, a mutex of the
    /// whole process taken on every allocation, which the journal's writer and a SQLite
    /// source's reader would otherwise take turns at. False when it is too late for that.
    static bool tuneLibrary();

    /// Opens (create: or creates) the file read-write. Returns false with error() set.
    bool open(const QString &fileName, bool create);
    /// Opens the file read-only (browsing past runs).
    bool openReadOnly(const QString &fileName);
    void close();
    bool isOpen() const { return m_db != nullptr; }

    /// Runs one or more statements without results. Returns false with error() set.
    bool exec(const char *sql);
    /// The first column of the first row of sql as an integer (fallback when there is none
    /// or on error: then error() is set).
    qint64 scalar(const char *sql, qint64 fallback = 0);

    /// The last error: SQLite's message, with its code's meaning where that says more.
    QString error() const { return m_error; }
    /// SQLite's primary result code of the last failure (SQLITE_NOTADB, SQLITE_BUSY, ...).
    int errorCode() const { return m_errorCode; }
    sqlite3 *handle() const { return m_db; }

    /// Sets error() from the connection's last failure; returns false.
    bool fail(const char *what);

private:
    sqlite3 *m_db = nullptr;
    QString m_error;
    int m_errorCode = 0;
};

/// A prepared statement; bind by 1-based index, step, read columns.
class SqliteStatement final
{
    Q_DISABLE_COPY_MOVE(SqliteStatement)

public:
    SqliteStatement() = default;
    ~SqliteStatement();

    bool prepare(SqliteDb &db, const char *sql);
    /// Ready to run again, every parameter unbound (NULL).
    void reset();

    void bindNull(int index);
    void bindInt(int index, qint64 value);
    /// Null when text is null (a QString() rather than an empty one).
    void bindText(int index, const QString &text);
    /// Null when utf8 is null. Borrowed: utf8 must live until the statement is stepped.
    void bindUtf8(int index, const QByteArray &utf8);
    /// Null when bytes is null.
    void bindBlob(int index, const QByteArray &bytes);
    void bindBlobOrNull(int index, const QByteArray &bytes, bool isNull);

    /// SQLITE_ROW: true; SQLITE_DONE: false with ok; anything else: false, *ok false.
    bool step(bool *ok = nullptr);
    /// step() of a statement that returns no rows, then ready to run again with the same
    /// parameters bound; false on error.
    bool run();

    bool isNull(int column) const;
    qint64 intValue(int column) const;
    QString textValue(int column) const;
    QByteArray blobValue(int column) const;

private:
    SqliteDb *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace sluice
