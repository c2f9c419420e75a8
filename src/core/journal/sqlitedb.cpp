// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlitedb.h"

#include <sqlite3.h>

namespace sluice {

bool SqliteDb::tuneLibrary()
{
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

SqliteDb::~SqliteDb()
{
    close();
}

bool SqliteDb::open(const QString &fileName, bool create)
{
    close();
    const int flags
        = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(fileName.toUtf8().constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        fail("open");
        close();
        return false;
    }
    sqlite3_extended_result_codes(m_db, 0);
    return true;
}

bool SqliteDb::openReadOnly(const QString &fileName)
{
    close();
    const int rc = sqlite3_open_v2(fileName.toUtf8().constData(), &m_db,
                                   SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        fail("open");
        close();
        return false;
    }
    return true;
}

void SqliteDb::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

bool SqliteDb::fail(const char *what)
{
    m_errorCode = m_db ? (sqlite3_errcode(m_db) & 0xff) : SQLITE_CANTOPEN;
    const QString message = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db))
                                 : QString::fromUtf8(sqlite3_errstr(m_errorCode));
    m_error = QString::fromLatin1(what) + QStringLiteral(": ") + message;
    return false;
}

bool SqliteDb::exec(const char *sql)
{
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail("write");
    return true;
}

qint64 SqliteDb::scalar(const char *sql, qint64 fallback)
{
    SqliteStatement statement;
    if (!statement.prepare(*this, sql))
        return fallback;
    bool ok = true;
    if (!statement.step(&ok))
        return fallback;
    return statement.isNull(0) ? fallback : statement.intValue(0);
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

bool SqliteStatement::prepare(SqliteDb &db, const char *sql)
{
    sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
    m_db = &db;
    if (sqlite3_prepare_v2(db.handle(), sql, -1, &m_stmt, nullptr) != SQLITE_OK)
        return db.fail("read");
    return true;
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqliteStatement::bindInt(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bindText(int index, const QString &text)
{
    if (text.isNull()) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text64(m_stmt, index, utf8.constData(), sqlite3_uint64(utf8.size()),
                        SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::bindUtf8(int index, const QByteArray &utf8)
{
    if (utf8.isNull()) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    sqlite3_bind_text64(m_stmt, index, utf8.isEmpty() ? "" : utf8.constData(),
                        sqlite3_uint64(utf8.size()), SQLITE_STATIC, SQLITE_UTF8);
}

void SqliteStatement::bindBlob(int index, const QByteArray &bytes)
{
    bindBlobOrNull(index, bytes, bytes.isNull());
}

void SqliteStatement::bindBlobOrNull(int index, const QByteArray &bytes, bool isNull)
{
    if (isNull) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    // Borrowed: the caller keeps bytes alive until the statement is stepped.
    sqlite3_bind_blob64(m_stmt, index, bytes.isEmpty() ? "" : bytes.constData(),
                        sqlite3_uint64(bytes.size()), SQLITE_STATIC);
}

bool SqliteStatement::step(bool *ok)
{
    const int rc = sqlite3_step(m_stmt);
    if (ok)
        *ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        m_db->fail("write");
    return rc == SQLITE_ROW;
}

bool SqliteStatement::run()
{
    bool ok = true;
    step(&ok);
    sqlite3_reset(m_stmt);
    return ok;
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 SqliteStatement::intValue(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QString SqliteStatement::textValue(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!text)
        return {};
    return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArray SqliteStatement::blobValue(int column) const
{
    const void *data = sqlite3_column_blob(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    if (!data)
        return sqlite3_column_type(m_stmt, column) == SQLITE_NULL ? QByteArray() : QByteArray("");
    return QByteArray(static_cast<const char *>(data), size);
}

} // namespace sluice
