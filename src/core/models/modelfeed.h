// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <initializer_list>
#include <vector>

#include <QMetaObject>
#include <QObject>
#include <QTimer>

namespace sluice {

/// The single-shot timer that batches a model's changes into one update (docs/design.md,
/// "The live item table"): the model calls schedule() after each change and does its
/// update when the timer fires, at most once an interval however many changes came.
class FlushTimer
{
public:
    static constexpr int DefaultIntervalMs = 200;

    /// flush runs on context's thread when the timer fires.
    template<typename Flush>
    FlushTimer(QObject *context, Flush flush)
    {
        m_timer.setSingleShot(true);
        m_timer.setInterval(DefaultIntervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, context, flush);
    }
    Q_DISABLE_COPY_MOVE(FlushTimer)

    /// Starts the timer unless it is already running.
    void schedule()
    {
        if (!m_timer.isActive())
            m_timer.start();
    }
    /// The update is being done now (or is not wanted): the timer stops.
    void cancel() { m_timer.stop(); }
    int interval() const { return m_timer.interval(); }
    /// ms < 0 counts as 0 (the next turn of the event loop).
    void setInterval(int ms) { m_timer.setInterval(std::max(0, ms)); }

private:
    QTimer m_timer;
};

/// The connections of a model to the run it follows; following another run (or none)
/// disconnects them first, so a model never hears two runs.
class RunConnections
{
public:
    RunConnections() = default;
    ~RunConnections() { disconnectAll(); }
    Q_DISABLE_COPY_MOVE(RunConnections)

    void replace(std::initializer_list<QMetaObject::Connection> connections)
    {
        disconnectAll();
        m_connections.assign(connections);
    }
    void disconnectAll()
    {
        for (const QMetaObject::Connection &connection : m_connections)
            QObject::disconnect(connection);
        m_connections.clear();
    }

private:
    std::vector<QMetaObject::Connection> m_connections;
};

} // namespace sluice
