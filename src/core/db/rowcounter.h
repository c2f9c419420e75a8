// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QObject>
#include <QString>

#include "spec/transferspec.h"
#include "types/connectionsettings.h"
#include "util/receiverlink.h"

namespace sluice {

/// How many rows a query returns, when the database can tell it cheaply; found in a worker
/// thread, on a connection of its own, so the GUI never waits for it.
///
/// - QSQLITE: exact, "SELECT count(*) FROM (<sql>)" with the same bound values, on a
///   read-only connection. SQLite runs the query for that, which is usually quick; the
///   result arrives when it is done.
/// - QPSQL: the planner's estimate for the query with the same bound values: the top plan
///   node's "Plan Rows" of EXPLAIN (FORMAT JSON). Nothing is executed (the session is
///   read-only as well), and the estimate may be far off for stale statistics.
/// - Other drivers: no count; start() reports failed().
///
/// The connection is never the preview's: with QPSQL a second statement on a connection
/// that streams a result discards the rest of that result (docs/design.md, "Reading rows").
///
/// Threads: the counter lives in its owner's thread and its signals arrive there. The count
/// runs on a thread of its own (BackgroundThreads) and opens, uses and removes its
/// connection there. Destroying the counter never waits: a count still running finishes in
/// its thread and its result is dropped (the thread is joined when the application ends).
///
/// Signals: after start(), exactly one of counted() or failed(), unless the counter is
/// destroyed first. Messages never contain the password.
class RowCounter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowCounter)

public:
    enum class Accuracy {
        Exact, ///< the database counted the rows (SQLite)
        Estimate, ///< the query planner's guess (PostgreSQL)
    };
    Q_ENUM(Accuracy)

    /// The password is used for opening only.
    RowCounter(ConnectionSettings settings, QuerySpec query, QString password,
               QObject *parent = nullptr);
    ~RowCounter() override;

    /// Whether a count is possible for this Qt SQL driver (QSQLITE, QPSQL).
    static bool supportsDriver(const QString &driver);

    /// Starts counting -> counted() or failed(). Only the first call does anything.
    void start();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void counted(qint64 rows, sluice::RowCounter::Accuracy accuracy);
    void failed(const QString &message);

private:
    /// In the owner's thread: reports what the task found (error is empty when ok).
    void finish(bool ok, qint64 rows, sluice::RowCounter::Accuracy accuracy, const QString &error);

    ConnectionSettings m_settings;
    QuerySpec m_query;
    QString m_password;
    /// Shared with the counting job, which reports through it while it points here.
    std::shared_ptr<ReceiverLink<RowCounter>> m_link;
    bool m_started = false;
    bool m_running = false;
};

} // namespace sluice
