// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

namespace sluice {

/// A database that hangs while connecting: it accepts TCP connections on 127.0.0.1 and
/// never says a word. release() hangs up on everyone, now and later, so a waiting client
/// fails fast. Lives in the thread that creates it.
class SilentServer final : public QObject
{
public:
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    int accepted() const { return m_accepted; }
    void release();

private:
    QTcpServer m_server;
    QList<QTcpSocket *> m_sockets;
    int m_accepted = 0;
    bool m_released = false;
};

} // namespace sluice
