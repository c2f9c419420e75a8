// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QHttpServerResponder;
class QTcpSocket;
QT_END_NAMESPACE

namespace sluice {

/// A loopback HTTP/1.1 server for tests: listens on 127.0.0.1 on a free port, records every
/// request, answers through a replaceable handler (status, body, headers, delay, or a dropped
/// connection) and keeps live counters a test can assert on.
///
/// Over TLS (Transport::Https) it serves tests/data/tls/server.pem, a certificate for 127.0.0.1
/// and localhost signed by the test CA tlsCaFile(): a client reaches it only when it trusts that
/// CA (QSslConfiguration::addCaCertificates), and fails with an SSL error otherwise.
///
/// Threads: lives in the thread that creates it (which needs an event loop); every function is
/// called from that thread. Delayed answers use timers on that event loop, never sleeps. A client
/// that disconnects before a delayed answer is handled: the answer is skipped.
class TestSink final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestSink)

public:
    using Header = QPair<QByteArray, QByteArray>;

    struct Request
    {
        QByteArray method; ///< "POST", "PUT", ...
        QString path; ///< URL path, e.g. "/items/7"
        QUrl url;
        QList<Header> headers;
        QByteArray body;
        QString jsonId; ///< the body's top-level "id" as text ("42"), empty when none
        int connection = 0; ///< 1-based serial number of the TCP connection it came on
        qint64 receivedMs = 0; ///< since the sink was created

        /// Value of a header, matched case-insensitively; empty when absent.
        QByteArray header(const QByteArray &name) const;
    };

    struct Reply
    {
        int status = 201;
        QByteArray body = QByteArrayLiteral("{\"result\":\"created\"}");
        QList<Header> headers; ///< Content-Type defaults to application/json
        int delayMs = 0; ///< 0: the sink's default delay
        bool dropConnection = false; ///< close the connection instead of answering
    };

    /// Decides the answer; called once per request, in arrival order.
    using Handler = std::function<Reply(const Request &)>;

    enum class Transport : quint8 {
        Http, ///< plain http://
        Https, ///< TLS with the test certificate (see the class comment)
    };

    explicit TestSink(QObject *parent = nullptr);
    /// Https: when the certificate or key cannot be read, the sink does not listen and says
    /// why in a warning.
    explicit TestSink(Transport transport, QObject *parent = nullptr);
    ~TestSink() override;

    /// The test CA's certificate (tests/data/tls/ca.pem), which signed the sink's certificate.
    static QString tlsCaFile();

    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    Transport transport() const { return m_transport; }
    /// http://127.0.0.1:<port><path>, or https:// over TLS.
    QUrl url(const QString &path = QStringLiteral("/")) const;

    void setHandler(Handler handler);
    /// A handler answering every request with status and body (an API refusing everything).
    static Handler answeringAll(int status, const QByteArray &body);
    /// Delay of every answer whose Reply::delayMs is 0.
    void setDefaultDelayMs(int delayMs);

    QList<Request> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    /// Received and not yet answered (or dropped, or abandoned by the client).
    int inFlight() const { return m_inFlight; }
    int peakInFlight() const { return m_peakInFlight; }
    /// TCP connections that sent at least one request.
    int connectionCount() const { return m_connectionCount; }
    int openConnections() const { return m_openConnections; }
    int peakOpenConnections() const { return m_peakOpenConnections; }
    /// Requests answered with a 2xx status, per JSON "id" of the body: exactly-once means every
    /// id maps to 1.
    QHash<QString, int> countById() const { return m_countById; }
    /// Requests answered with a 2xx status.
    int deliveredCount() const { return m_deliveredCount; }

    /// Forgets recorded requests and resets every counter except the open connections.
    void clear();

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Pending
    {
        QPointer<QTcpSocket> socket;
        std::shared_ptr<QHttpServerResponder> responder; // move-only: shared to outlive the call
        Reply reply;
        QString jsonId;
    };

    int trackConnection(QTcpSocket *socket);
    void onDisconnected(QTcpSocket *socket);
    void answer(QHttpServerResponder &responder, QTcpSocket *socket, const Reply &reply,
                const QString &jsonId);

    quint16 m_port = 0;
    Transport m_transport = Transport::Http;
    QElapsedTimer m_clock;
    Handler m_handler;
    int m_defaultDelayMs = 0;
    QList<Request> m_requests;
    QHash<QTcpSocket *, int> m_connections; // open socket -> connection serial
    QHash<quint64, Pending> m_pending; // delayed answers by serial
    quint64 m_nextPending = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    int m_connectionCount = 0;
    int m_openConnections = 0;
    int m_peakOpenConnections = 0;
    int m_deliveredCount = 0;
    QHash<QString, int> m_countById;
};

} // namespace sluice
