// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QObject>
#include <QString>

#include "db/sqlconnection.h"
#include "types/connectionsettings.h"
#include "util/receiverlink.h"

namespace sluice {

/// Answers "can these settings connect?" without blocking its thread: the connection form's
/// Test connection button.
///
/// Threads: the tester lives in a thread with an event loop (the GUI thread); call it from
/// there, and finished() arrives there. Each test runs in a thread of its own, opens its own
/// uniquely named connection ("sluice.test.N") there and removes it there before its result
/// is delivered.
///
/// Opening goes through openSqlConnection(), so a failure reads exactly as the run would
/// word it. A PostgreSQL, MySQL/MariaDB or ODBC test gives up after ConnectTimeoutSeconds
/// unless the connect options set their own timeout, so a silent host cannot hold a worker
/// for the minutes TCP would wait.
class ConnectionTester final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionTester)

public:
    static constexpr int ConnectTimeoutSeconds = SqlConnectTimeoutSeconds;

    explicit ConnectionTester(QObject *parent = nullptr);
    /// Does not wait for a test still running: that test ends in its thread, removes its
    /// connection there, and its result is dropped. The thread is joined by
    /// BackgroundThreads, at the latest when the application object is destroyed (each test
    /// is bounded by the connect timeout), so none outlives Qt SQL.
    ~ConnectionTester() override;

    /// Starts a test; a test still running is superseded (its result is dropped).
    /// password is used when the settings name no passwordEnv; with passwordEnv the tester
    /// reads that environment variable itself, as the run does. Always answers with
    /// exactly one finished() later, never from inside this call (unless superseded or
    /// cancelled first).
    void test(const sluice::ConnectionSettings &settings, const QString &password);
    /// Drops the running test's result (its worker still ends and cleans up on its own).
    void cancel();

    /// A test has started and its finished() has not been emitted yet.
    bool isTesting() const { return m_testing; }
    /// Tests whose workers have not reported back yet, superseded ones included.
    int runningWorkers() const { return m_runningWorkers; }

Q_SIGNALS:
    /// ok: connected, and message says to what ("Connected to PostgreSQL 15.18 (database
    /// sales, 12 tables)"); otherwise message is the error the run would report.
    void finished(bool ok, const QString &message);

private:
    void deliver(quint64 generation, bool ok, const QString &message);

    /// Shared with running tests, which report through it while it points here.
    std::shared_ptr<ReceiverLink<ConnectionTester>> m_link;
    quint64 m_generation = 0;
    int m_runningWorkers = 0;
    bool m_testing = false;
};

} // namespace sluice
