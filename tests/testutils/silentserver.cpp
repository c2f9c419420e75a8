// SPDX-License-Identifier: GPL-3.0-or-later
#include "silentserver.h"

#include <QHostAddress>
#include <QTcpSocket>

namespace sluice {

bool SilentServer::listen()
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            if (m_released) {
                socket->abort();
                socket->deleteLater();
            } else {
                m_sockets.append(socket);
            }
            ++m_accepted;
        }
    });
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void SilentServer::release()
{
    m_released = true;
    for (QTcpSocket *socket : std::as_const(m_sockets)) {
        socket->abort();
        socket->deleteLater();
    }
    m_sockets.clear();
}

} // namespace sluice
