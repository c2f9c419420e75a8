// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsink.h"

#include <algorithm>

#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include "testdata.h"

namespace sluice {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put:
        return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head:
        return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QByteArrayLiteral("PATCH");
    case QHttpServerRequest::Method::Connect:
        return QByteArrayLiteral("CONNECT");
    case QHttpServerRequest::Method::Trace:
        return QByteArrayLiteral("TRACE");
    case QHttpServerRequest::Method::Unknown:
    case QHttpServerRequest::Method::AnyKnown:
        break;
    }
    return QByteArrayLiteral("UNKNOWN");
}

QByteArray readTestFile(const QString &relative)
{
    QFile file(testDataPath(relative));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("TestSink: cannot read %s: %s", qPrintable(file.fileName()),
                 qPrintable(file.errorString()));
        return {};
    }
    return file.readAll();
}

/// The server certificate and key of tests/data/tls into tls; false (with a warning) when
/// they cannot be read.
bool loadTlsIdentity(QSslConfiguration *tls)
{
    const QSslCertificate certificate(readTestFile(QStringLiteral("tls/server.pem")), QSsl::Pem);
    const QSslKey key(readTestFile(QStringLiteral("tls/server.key")), QSsl::Rsa, QSsl::Pem);
    if (certificate.isNull() || key.isNull()) {
        qWarning("TestSink: no TLS certificate and key in %s (see its README.md)",
                 qPrintable(testDataPath(QStringLiteral("tls"))));
        return false;
    }
    tls->setLocalCertificate(certificate);
    tls->setPrivateKey(key);
    tls->setPeerVerifyMode(QSslSocket::VerifyNone); // clients show no certificate
    return true;
}

QString jsonIdOf(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return {};
    const QJsonValue id = document.object().value(QLatin1String("id"));
    if (id.isString())
        return id.toString();
    if (id.isDouble()) {
        const double value = id.toDouble();
        const auto integral = static_cast<qint64>(value);
        return static_cast<double>(integral) == value ? QString::number(integral)
                                                      : QString::number(value, 'g', 17);
    }
    return {};
}

} // namespace

QByteArray TestSink::Request::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

TestSink::TestSink(QObject *parent)
    : TestSink(Transport::Http, parent)
{ }

TestSink::TestSink(Transport transport, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_transport(transport)
{
    m_clock.start();
    QTcpServer *server = nullptr;
    if (transport == Transport::Https) {
        // What QAbstractHttpServer::sslSetup() + listen() would build, with the backlog below.
        QSslConfiguration tls;
        if (!loadTlsIdentity(&tls))
            return;
        auto *sslServer = new QSslServer(this);
        sslServer->setSslConfiguration(tls);
        server = sslServer;
    } else {
        server = new QTcpServer(this);
    }
    // QTcpServer's default listen backlog (50) drops part of a burst of new connections, and the
    // client's SYN retry comes a second later: a test of 64 parallel requests would then never
    // see 64 at once.
    server->setListenBacklogSize(1024);
    server->setMaxPendingConnections(1024);
    if (server->listen(QHostAddress::LocalHost, 0)) {
        bind(server);
        m_port = server->serverPort();
    }
}

TestSink::~TestSink() = default;

QString TestSink::tlsCaFile()
{
    return testDataPath(QStringLiteral("tls/ca.pem"));
}

QUrl TestSink::url(const QString &path) const
{
    const QString scheme
        = m_transport == Transport::Https ? QStringLiteral("https") : QStringLiteral("http");
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3").arg(scheme).arg(m_port).arg(path));
}

void TestSink::setHandler(Handler handler)
{
    m_handler = std::move(handler);
}

TestSink::Handler TestSink::answeringAll(int status, const QByteArray &body)
{
    return [status, body](const Request &) {
        Reply reply;
        reply.status = status;
        reply.body = body;
        return reply;
    };
}

void TestSink::setDefaultDelayMs(int delayMs)
{
    m_defaultDelayMs = std::max(0, delayMs);
}

void TestSink::clear()
{
    m_requests.clear();
    m_countById.clear();
    m_deliveredCount = 0;
    m_peakInFlight = m_inFlight;
    m_connectionCount = 0;
    m_peakOpenConnections = m_openConnections;
}

bool TestSink::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Request recorded;
    recorded.method = methodName(request.method());
    recorded.url = request.url();
    recorded.path = recorded.url.path();
    recorded.headers = request.headers();
    recorded.body = request.body();
    recorded.jsonId = jsonIdOf(recorded.body);
    recorded.connection = trackConnection(socket);
    recorded.receivedMs = m_clock.elapsed();
    m_requests.append(recorded);

    ++m_inFlight;
    m_peakInFlight = std::max(m_peakInFlight, m_inFlight);

    const Reply reply = m_handler ? m_handler(recorded) : Reply {};
    const int delayMs = reply.delayMs > 0 ? reply.delayMs : m_defaultDelayMs;
    if (delayMs <= 0) {
        QHttpServerResponder responder = makeResponder(request, socket);
        answer(responder, socket, reply, recorded.jsonId);
        return true;
    }
    const quint64 serial = ++m_nextPending;
    m_pending.insert(
        serial,
        Pending {socket, std::make_shared<QHttpServerResponder>(makeResponder(request, socket)),
                 reply, recorded.jsonId});
    QTimer::singleShot(delayMs, this, [this, serial] {
        const auto it = m_pending.find(serial);
        if (it == m_pending.end())
            return; // the client went away meanwhile; already counted out
        const Pending pending = it.value();
        m_pending.erase(it);
        answer(*pending.responder, pending.socket, pending.reply, pending.jsonId);
    });
    return true;
}

void TestSink::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() answers everything; kept because the base class requires it.
    makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
}

int TestSink::trackConnection(QTcpSocket *socket)
{
    const auto it = m_connections.constFind(socket);
    if (it != m_connections.cend())
        return *it;
    const int serial = ++m_connectionCount;
    m_connections.insert(socket, serial);
    ++m_openConnections;
    m_peakOpenConnections = std::max(m_peakOpenConnections, m_openConnections);
    connect(socket, &QAbstractSocket::disconnected, this,
            [this, socket] { onDisconnected(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] {
        if (m_connections.remove(socket))
            --m_openConnections; // destroyed without a disconnected() signal
    });
    return serial;
}

void TestSink::onDisconnected(QTcpSocket *socket)
{
    if (m_connections.remove(socket))
        --m_openConnections;
    // Answers still pending on this connection can never be delivered.
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->socket.isNull() || it->socket == socket) {
            --m_inFlight;
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
}

void TestSink::answer(QHttpServerResponder &responder, QTcpSocket *socket, const Reply &reply,
                      const QString &jsonId)
{
    --m_inFlight;
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (reply.dropConnection) {
        socket->abort();
        return;
    }
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
    bool hasContentType = false;
    for (const auto &[name, value] : reply.headers) {
        responder.writeHeader(name, value);
        hasContentType = hasContentType
            || name.compare(QByteArrayLiteral("Content-Type"), Qt::CaseInsensitive) == 0;
    }
    if (!hasContentType)
        responder.writeHeader(QByteArrayLiteral("Content-Type"),
                              QByteArrayLiteral("application/json"));
    responder.writeHeader(QByteArrayLiteral("Content-Length"),
                          QByteArray::number(reply.body.size()));
    responder.writeBody(reply.body); // also ends the header block
    if (reply.status >= 200 && reply.status <= 299) {
        ++m_deliveredCount;
        if (!jsonId.isEmpty())
            ++m_countById[jsonId];
    }
}

} // namespace sluice
