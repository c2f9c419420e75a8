// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <vector>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QSslCertificate>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include "net/bulkcodec.h"
#include "spec/transferspec.h"

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace sluice {

/// A worker that sends HTTP requests from its own thread through QNetworkAccessManagers it
/// creates there, as it needs them.
///
/// Contract, which the Dispatcher keeps:
/// - Construct in any thread, then hand it to a WorkerThread; every function runs in the
///   lane's thread from then on (queued calls).
/// - Qt 6.4 gives one QNetworkAccessManager at most six HTTP/1.1 connections per host and
///   queues the rest inside itself, where queued requests cost CPU and memory for nothing
///   (quadratic with HTTP/2). So no manager is ever given more than perManager requests at
///   once (six for HTTP/1.1; the streams one HTTP/2 connection carries), and the caller never
///   gives the lane more than managers * perManager. A new manager is created only when every
///   existing one is full, so an HTTP/2 lane usually has one manager: one connection.
/// - In a bulk mode (Config::codec set) a request carries several items: the lane encodes
///   the body and reads the whole answer to parse it per item, so neither happens in the
///   caller's thread.
/// - Responses come back in batches through finished(): every request sent yields exactly one
///   Response, unless the lane is destroyed first.
/// - Destroy in the lane's thread (WorkerThread does, as it ends); that aborts what is in
///   flight without reporting it.
class HttpLane final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpLane)

public:
    /// Requests one manager runs at once on HTTP/1.1: Qt 6.4's connections per host and manager.
    static constexpr int MaxPerManager = 6;
    /// Streams one HTTP/2 connection carries at once: below the 100 that servers commonly
    /// allow (nginx 128, the RFC's suggested minimum 100), so Qt never queues a request inside.
    static constexpr int Http2StreamsPerManager = 100;
    /// How much of a delivered item's response body is read (a failure's: maxResponseBytes).
    static constexpr qint64 DeliveredResponseBytes = 4096;
    /// How much of a bulk answer is read to be parsed per item.
    static constexpr qint64 MaxBulkResponseBytes = 256 * 1024 * 1024;

    struct Config
    {
        QByteArray method = "POST";
        QUrl url; ///< for requests without their own url
        QList<QPair<QByteArray, QByteArray>> headers; ///< after the defaults, so they win
        int timeoutMs = 30000;
        int maxResponseBytes = 65536;
        int managers = 1; ///< most managers the lane creates
        int perManager = MaxPerManager; ///< requests one manager carries at once
        Http2Mode http2 = Http2Mode::Auto;
        QList<QSslCertificate> caCertificates; ///< trusted besides the system's
        /// Bulk modes: encodes batches and parses their answers. Null: one item per request.
        std::shared_ptr<const BulkCodec> codec;
    };

    /// One item of a bulk request.
    struct Part
    {
        QByteArray payload;
        QString key;
    };

    /// One attempt to send. `slot` and `generation` are the caller's, returned untouched.
    struct Request
    {
        quint32 slot = 0;
        quint32 generation = 0;
        QByteArray payload; ///< the body (item mode)
        QList<Part> parts; ///< the items (bulk modes), encoded here
        /// Bulk modes: the parts' payloads and BulkCodec::extraBytes() summed (the dispatcher
        /// measured them to cut the batch), to reserve the body at once.
        qint64 partBytes = 0;
        QString url; ///< empty: Config::url
        QByteArray requestId; ///< sent as X-Request-ID
        QByteArray idempotencyKey = {}; ///< sent as Idempotency-Key when not empty (item mode)
    };

    /// The outcome of one attempt.
    struct Response
    {
        quint32 slot = 0;
        quint32 generation = 0;
        int httpStatus = 0; ///< 0 when no HTTP answer arrived
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        qint64 latencyMs = 0;
        qint64 latencyUs = 0; ///< the same in microseconds
        bool http2 = false; ///< the answer came over HTTP/2
        /// Qt wrote the request more than once: a kept-alive connection closed before the
        /// answer and Qt sent it again by itself, so the first copy may have arrived.
        bool resent = false;
        QByteArray reasonPhrase; ///< only when not delivered
        /// At most maxResponseBytes, or DeliveredResponseBytes when delivered.
        QByteArray body;
        QByteArray retryAfter; ///< the Retry-After header, only when not delivered
        QByteArray location; ///< the Location header of a 3xx answer
        /// Bulk modes, when an HTTP answer arrived: the outcome per item, in request order.
        BulkReply bulk;
    };

    explicit HttpLane(const Config &config, QObject *parent = nullptr);
    ~HttpLane() override;

    void send(QList<Request> requests);
    /// Requests one manager may carry from now on (the protocol turned out to be HTTP/2).
    void setPerManager(int perManager);
    /// Aborts everything in flight; each request still yields a Response (OperationCanceled).
    void abortAll();

Q_SIGNALS:
    void finished(const QList<sluice::HttpLane::Response> &responses);

private:
    struct Manager
    {
        QNetworkAccessManager *nam = nullptr;
        int inFlight = 0;
    };
    struct Active
    {
        quint32 slot = 0;
        quint32 generation = 0;
        int manager = -1;
        qsizetype parts = 0;
        QStringList documentIds; ///< couchdb-bulk: each doc's _id as sent
        int sends = 0; ///< times Qt wrote the request (more than one: it re-sent it)
        bool aborted = false;
        QElapsedTimer clock;
    };

    Manager &pickManager();
    void disableNagleOnTargetSockets();
    QNetworkReply *post(QNetworkAccessManager *nam, const QNetworkRequest &request,
                        const QByteArray &body);
    void onReplyFinished(QNetworkReply *reply);
    void flush();

    Config m_config;
    QNetworkRequest m_template;
    std::vector<Manager> m_managers;
    std::vector<Active> m_active;
    std::vector<int> m_freeActive;
    QHash<QNetworkReply *, int> m_byReply; // reply -> index in m_active
    QList<Response> m_done;
    QTimer m_flushTimer {this}; // a child, so moveToThread() takes it along
    int m_targetPort = -1;
    QElapsedTimer m_nagleScan; // when the target's sockets were last looked at
};

} // namespace sluice
