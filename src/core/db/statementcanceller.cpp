// SPDX-License-Identifier: GPL-3.0-or-later
#include "statementcanceller.h"

#include <QMutexLocker>
#include <QSqlDatabase>

#include "db/libpq.h"
#ifdef SLUICE_HAVE_MYSQL_CURSOR
#include "db/mysqlcursor.h"
#endif
#include "log/logging.h"

using namespace Qt::StringLiterals;

namespace sluice {

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
        if (const Libpq *api = Libpq::get())
            m_cancel = api->getCancel(conn);
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
        Libpq::get()->freeCancel(m_cancel);
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
    if (!Libpq::get()->cancel(m_cancel, error, int(sizeof error)))
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
