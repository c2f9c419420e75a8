// SPDX-License-Identifier: GPL-3.0-or-later
#include "builtindemoapi.h"

#include "demoapiserver.h"

#include <QPointer>
#include <QTcpServer>

namespace sluice {

BuiltInDemoApi::BuiltInDemoApi(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("sluice-demo-api"));
}

BuiltInDemoApi::~BuiltInDemoApi()
{
    m_thread.quit();
    m_thread.wait();
}

void BuiltInDemoApi::start(quint16 preferredPort)
{
    if (m_server)
        return;
    m_server = new DemoApiServer;
    m_server->moveToThread(&m_thread);
    // Destroyed in its own thread as the thread ends.
    connect(&m_thread, &QThread::finished, m_server, &QObject::deleteLater);
    m_thread.start();
    QPointer<BuiltInDemoApi> self(this);
    DemoApiServer *server = m_server;
    QMetaObject::invokeMethod(server, [server, self, preferredPort] {
        quint16 port = preferredPort;
        {
            // Another Sluice (or `sluice demo-api`) may hold the preferred port.
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, port))
                port = 0;
        }
        const bool ok = server->start(port);
        const quint16 bound = server->port();
        const QString error = server->errorString();
        if (!self)
            return;
        QMetaObject::invokeMethod(self, [self, ok, bound, error] {
            if (!self)
                return;
            if (ok) {
                self->m_port = bound;
                Q_EMIT self->started(bound);
            } else {
                Q_EMIT self->failed(error);
            }
        });
    });
}

QString BuiltInDemoApi::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/").arg(m_port ? m_port : PreferredPort);
}

} // namespace sluice
