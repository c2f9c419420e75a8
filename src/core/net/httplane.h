// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QTimer>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace sluice {

/// A worker that sends HTTP requests from its own thread through one or more
/// QNetworkAccessManagers it creates there.
///
/// Contract, which the Dispatcher keeps:
/// - Construct in any thread, then hand it to a WorkerThread and call start() in that thread
///   (a queued call) before anything else; every other function runs in the lane's thread too.
/// - Qt 6.4 gives one QNetworkAccessManager at most six HTTP/1.1 connections per host and queues
///   the rest inside itself, where queued requests cost CPU and memory for nothing (quadratic
///   with HTTP/2). So the caller must never have more than capacity() requests in a lane at once,
///   and the lane gives each request to its least busy manager: no manager ever runs more than
///   MaxPerManager. The caller counts a request in flight from send() until its Response arrives.
/// - Responses come back in batches through finished(): every request sent yields exactly one
///   Response, unless the lane is destroyed first.
/// - Destroy in the lane's thread (WorkerThread does, as it ends); that aborts what is in
///   flight without reporting it.
class HttpLane final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpLane)

public:
    /// Requests one manager runs at once: Qt 6.4's HTTP/1.1 connections per host and manager.
    static constexpr int MaxPerManager = 6;
    /// How much of a delivered item's response body is read (a failure's: maxResponseBytes).
    static constexpr qint64 DeliveredResponseBytes = 4096;

    struct Config
    {
        QByteArray method = "POST";
        QUrl url; ///< for requests without their own url
        QList<QPair<QByteArray, QByteArray>> headers; ///< after the defaults, so they win
        int timeoutMs = 30000;
        int maxResponseBytes = 65536;
        int managers = 1;
    };

    /// One attempt to send. `slot` and `generation` are the caller's, returned untouched.
    struct Request
    {
        quint32 slot = 0;
        quint32 generation = 0;
        QByteArray payload;
        QString url; ///< empty: Config::url
        QByteArray requestId; ///< sent as X-Request-ID
    };

    /// The outcome of one attempt.
    struct Response
    {
        quint32 slot = 0;
        quint32 generation = 0;
        int httpStatus = 0; ///< 0 when no HTTP answer arrived
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        qint64 latencyMs = 0;
        QByteArray reasonPhrase; ///< only when not delivered
        /// At most maxResponseBytes, or DeliveredResponseBytes when delivered.
        QByteArray body;
        QByteArray retryAfter; ///< the Retry-After header, only when not delivered
        QByteArray location; ///< the Location header of a 3xx answer
    };

    explicit HttpLane(const Config &config, QObject *parent = nullptr);
    ~HttpLane() override;

    int capacity() const { return m_config.managers * MaxPerManager; }

    void start();
    void send(QList<Request> requests);
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
        bool aborted = false;
        QElapsedTimer clock;
    };

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
};

} // namespace sluice
