// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include "util/workerthread.h"

namespace sluice {

class DemoApiServer;

/// The demo API running inside the desktop app, in a thread of its own so a big transfer
/// into it never stalls the window. The bundled example points at it.
class BuiltInDemoApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BuiltInDemoApi)

public:
    static constexpr quint16 PreferredPort = 8765;

    explicit BuiltInDemoApi(QObject *parent = nullptr);
    ~BuiltInDemoApi() override = default; ///< stops the server and joins its thread

    /// Listens on 127.0.0.1: the preferred port when it is free, else any free port.
    /// -> started(port) or failed(message), in this object's thread. Only the first call counts.
    void start(quint16 preferredPort = PreferredPort);
    quint16 port() const { return m_port; }
    /// "http://127.0.0.1:<port>/", with the preferred port until it listens.
    QString baseUrl() const;

Q_SIGNALS:
    void started(quint16 port);
    void failed(const QString &message);

private:
    WorkerThread m_thread;
    DemoApiServer *m_server = nullptr; ///< lives in m_thread, which destroys it
    quint16 m_port = 0;
};

} // namespace sluice
