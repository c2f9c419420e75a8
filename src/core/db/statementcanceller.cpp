// SPDX-License-Identifier: GPL-3.0-or-later
#include "statementcanceller.h"

#include <QLibrary>
#include <QMutexLocker>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#ifdef SLUICE_HAVE_MYSQL_CURSOR
#include "db/mysqlcursor.h"
#endif
#include "log/logging.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// libpq's cancel API, resolved once from the libpq already loaded.
struct LibpqCancel
{
    using GetCancel = void *(*)(void *conn);
    using Cancel = int (*)(void *cancel, char *errbuf, int errbufsize);
    using FreeCancel = void (*)(void *cancel);

    GetCancel getCancel = nullptr;
    Cancel cancel = nullptr;
    FreeCancel freeCancel = nullptr;

    static const LibpqCancel &instance()
    {
        static const LibpqCancel api = [] {
            LibpqCancel a;
            QLibrary libpq(u"pq"_s, 5);
            a.getCancel = reinterpret_cast<GetCancel>(libpq.resolve("PQgetCancel"));
            a.cancel = reinterpret_cast<Cancel>(libpq.resolve("PQcancel"));
            a.freeCancel = reinterpret_cast<FreeCancel>(libpq.resolve("PQfreeCancel"));
            return a;
        }();
        return api;
    }
    bool isValid() const { return getCancel && cancel && freeCancel; }
};

/// libpq's connection behind db, or null when db is no PostgreSQL connection.
void *postgresConnection(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Qt 6.4 names the type after libpq's struct: "pg_conn*".
    const char *type = handle.typeName();
    if (qstrcmp(type, "pg_conn*") != 0 && qstrcmp(type, "PGconn*") != 0)
        return nullptr;
    return *static_cast<void *const *>(handle.constData());
}

} // namespace

StatementCanceller::~StatementCanceller()
{
    detach();
}

bool StatementCanceller::attach(const QSqlDatabase &db)
{
    QMutexLocker locker(&m_mutex);
    if (m_stopped.load())
        return false;
    if (void *conn = postgresConnection(db); conn && !m_cancel) {
        if (const LibpqCancel &api = LibpqCancel::instance(); api.isValid())
            m_cancel = api.getCancel(conn);
    }
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    m_mysql = mysqlNativeHandle(db);
#endif
    return true;
}

void StatementCanceller::detach()
{
    QMutexLocker locker(&m_mutex);
    if (m_cancel)
        LibpqCancel::instance().freeCancel(m_cancel);
    m_cancel = nullptr;
    m_mysql = nullptr;
}

void StatementCanceller::cancel()
{
    // Held while the request goes out, so detach() cannot free what PQcancel uses.
    QMutexLocker locker(&m_mutex);
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    // MySQL/MariaDB: the socket is shut down, which ends what the reader waits for at once;
    // the reader closes the connection afterwards.
    if (m_mysql)
        cancelMysqlConnection(m_mysql);
#endif
    if (!m_cancel)
        return;
    char error[256] = {};
    if (!LibpqCancel::instance().cancel(m_cancel, error, int(sizeof error)))
        qCDebug(lcSource) << "PQcancel failed:" << error;
}

void StatementCanceller::stop()
{
    {
        // Under the mutex, so attach() either sees it or has attached what cancel() reaches.
        QMutexLocker locker(&m_mutex);
        m_stopped.store(true);
    }
    cancel();
}

} // namespace sluice
