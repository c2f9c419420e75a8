// SPDX-License-Identifier: GPL-3.0-or-later
#include "builtindemoapi.h"

#include "demoapiserver.h"

#include <memory>

#include <QPointer>
#include <QTcpServer>

namespace sluice {

BuiltInDemoApi::BuiltInDemoApi(QObject *parent)
    : QObject(parent)
    , m_thread(QStringLiteral("sluice-demo-api"))
{ }

void BuiltInDemoApi::start(quint16 preferredPort)
{
    if (m_server)
        return;
    auto server = std::make_unique<DemoApiServer>();
    m_server = server.get();
    m_thread.start(std::move(server));
    QPointer<BuiltInDemoApi> self(this);
    QMetaObject::invokeMethod(m_server, [server = m_server, self, preferredPort] {
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
