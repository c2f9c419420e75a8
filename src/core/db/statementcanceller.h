// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>

#include <QMutex>
#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QSqlDatabase;
QT_END_NAMESPACE

namespace sluice {

/// Stops what a reader does on its connection, from any thread: how a RowSource that is
/// destroyed ends its reader's statement without waiting for it, and how the reader ends a
/// half-read one.
///
/// Only PostgreSQL statements can be cancelled, with libpq's PQcancel (resolved at run time
/// from the libpq the QPSQL plugin has loaded: sluice_core does not link libpq). Without it
/// dropping a half-read single-row-mode result makes QPSQL read and discard every remaining
/// row first (2.6 s for 3 million rows here, 20 ms with the cancel). PostgreSQL ignores a
/// cancel while it sends a prepared statement's (EXECUTE's) materialised result, so such a
/// result is still drained. A MySQL/MariaDB connection's socket is shut down instead
/// (mariadb_cancel, db/mysqlcursor.h): the statement's connection is lost, which is all a
/// reader that stops needs. For other drivers stop() only marks the canceller stopped.
///
/// Threads: attach() and detach() run in the connection's thread (the reader's); the rest
/// is thread-safe.
class StatementCanceller final
{
    Q_DISABLE_COPY_MOVE(StatementCanceller)

public:
    StatementCanceller() = default;
    ~StatementCanceller();

    /// The reader's connection db is open: cancel() reaches the statements it runs from now
    /// on. Returns false, attaching nothing, when stop() came first: the reader must then
    /// start nothing on it.
    bool attach(const QSqlDatabase &db);
    /// Before the connection closes: cancel() reaches nothing any more.
    void detach();

    /// Asks the server to stop the statement running on the attached connection, if any. A
    /// network round trip (libpq sends the request on a connection of its own).
    void cancel();
    /// Marks the canceller stopped (attach() refuses from now on), then cancel().
    void stop();
    bool isStopped() const { return m_stopped.load(); }

private:
    QMutex m_mutex;
    void *m_cancel = nullptr; ///< libpq's PGcancel; guarded by m_mutex
    void *m_mysql = nullptr; ///< the MySQL/MariaDB connection's MYSQL*; guarded by m_mutex
    std::atomic<bool> m_stopped {false};
};

} // namespace sluice
