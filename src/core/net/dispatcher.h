// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>
#include <memory>
#include <vector>

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QSslCertificate>
#include <QString>
#include <QTimer>

#include "net/httplane.h"
#include "net/retrypolicy.h"
#include "spec/transferspec.h"
#include "types/item.h"
#include "util/workerthread.h"

namespace sluice {

struct DispatchConfig
{
    QString url; ///< used when an Item's url is empty
    QByteArray method = "POST"; ///< POST or PUT (any verb is sent as given)
    QList<QPair<QByteArray, QByteArray>> headers; ///< sent on every request (Content-Type
                                                  ///< defaults to application/json)
    int concurrency = 16; ///< requests in flight, clamped to [1, Dispatcher::MaxConcurrency]
    int timeoutMs = 30000; ///< QNetworkRequest::setTransferTimeout (0: none)
    RetryPolicy retry;
    int maxResponseBytes = 65536; ///< response text kept for a failed item
    Http2Mode http2 = Http2Mode::Auto;
    QList<QSslCertificate> caCertificates; ///< trusted for https besides the system's
    TargetMode mode = TargetMode::Item;
    BulkAction bulkAction = BulkAction::Index;
    bool keyed = false; ///< bulk modes: send each item's key as its document id
    int batchSize = TargetSpec::DefaultBatchSize; ///< bulk modes: items per request at most
    qint64 batchBytes = TargetSpec::DefaultBatchBytes; ///< bulk modes: body bytes at most
    double maxRequestsPerSecond = 0; ///< requests started per second at most; 0: no cap
    /// Which answered statuses deliver, retry or fail an item (target.successStatuses,
    /// retryStatuses): applied to the request's status in item, json-array and ndjson modes
    /// and to each item's own status in elasticsearch-bulk and couchdb-bulk answers (a whole
    /// _bulk request that is not answered 2xx is retried or failed, never delivered). Without
    /// an HTTP status (a network error), RetryPolicy::isRetryable() decides.
    StatusClasses statuses;
};

/// Sends items as HTTP requests, at most `concurrency` at once as the server sees it, retries
/// transient failures with backoff, and reports one result per item, in every mode: a bulk
/// request carries up to batchSize items, and each item gets its own status from the answer.
///
/// The window of requests in flight starts at `concurrency`. It halves when the server
/// answers 429 or 503 (once per round of requests) and grows back by one per window of
/// delivered requests, so a server that asks to slow down gets fewer requests at once, and
/// `maxRequestsPerSecond` caps the rate requests start at (a token bucket holding a tenth of
/// a second's worth).
///
/// Protocol: over https with http2 Auto, Qt negotiates HTTP/2 by ALPN per connection. The
/// dispatcher then sends one request alone first, learns from its answer which protocol
/// the server speaks, and sizes the managers for it: six requests per manager for HTTP/1.1,
/// up to Http2StreamsPerManager streams on one connection for HTTP/2 (bounded, because Qt 6.4
/// queues anything beyond the server's stream limit at quadratic cost).
///
/// Threads: lives in the caller's thread (which needs an event loop) and is used only from it.
/// It owns the queue, the retry schedule and the cap; the HTTP work runs in
/// min(ceil(concurrency/6), max(2, idealThreadCount)) HttpLane threads holding
/// ceil(concurrency/6) QNetworkAccessManagers between them, none of which is ever given more
/// than six requests (Qt 6.4 opens six connections per host and manager and would queue the
/// rest internally, at a cost).
///
/// Signals are emitted from the event loop, never from inside submit(), pause() or resume();
/// cancel() emits synchronously. Slots may call any function here, including cancel(), but must
/// not delete the dispatcher (use deleteLater()).
///
/// Redirects are not followed: a 3xx answer is a failure (not retried) whose error names the
/// Location. Qt's default policy would follow a 302 to a POST with a GET and report its 2xx.
///
/// A 409 Conflict answered to an item an earlier attempt of which went out unanswered (in
/// item mode, and a couchdb-bulk item's conflict) means that attempt arrived: the item is
/// Delivered with ItemResult::note saying so, unless 409 is in a status list of the config.
class Dispatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Dispatcher)

public:
    static constexpr int MaxConcurrency = 512;

    explicit Dispatcher(const DispatchConfig &config, QObject *parent = nullptr);
    /// Aborts what is in flight and joins the lane threads. Emits nothing: call cancel() first
    /// to have every unfinished item reported.
    ~Dispatcher() override;

    /// Queues valid items; they are sent in order of submission as slots free up (retries that
    /// come due go before items never sent). An invalid item is reported Invalid without a
    /// request. After cancel(), submitted items finish Failed "cancelled". mayHaveArrived:
    /// ids of items an earlier attempt of which went out unanswered (ItemResult::
    /// mayHaveArrived), so that a CouchDB conflict for them counts as delivered.
    void submit(QList<Item> items, const QSet<qint64> &mayHaveArrived = {});
    /// Submitted, not yet in flight (including waiting to retry).
    qsizetype backlog() const;
    /// Requests in flight (each carries itemsPerRequest() items at most).
    int inFlight() const;
    /// Items in the requests in flight.
    qsizetype itemsInFlight() const;
    /// Stops cleanly: nothing new starts; the items not in flight (queued, waiting to retry,
    /// submitted later) finish Failed "cancelled" with ItemResult::cancelled; the requests in
    /// flight are answered and settled as usual, except that an item whose answer asks for a
    /// retry finishes cancelled too; then idle(). Unlike cancel(), nothing is aborted, so no
    /// item is left not knowing whether it arrived. Signals come from the event loop.
    void stop();
    bool isStopping() const;
    /// Pause: nothing new starts, what is in flight completes (and may be scheduled to retry).
    void pause();
    void resume();
    bool isPaused() const;
    /// Nothing new starts, in-flight requests are aborted; every unfinished item gets
    /// itemFinished Failed with error "cancelled" (+ "while sending: the server may have received
    /// it" for in-flight ones) before this returns, then idle(). Final: the dispatcher stays
    /// cancelled.
    void cancel();
    bool isCancelled() const;

    /// The effective cap on requests in flight.
    int concurrency() const;
    int managerCount() const;
    int laneCount() const;
    /// backlogLow() fires when the backlog drops to or below this many items: two windows'
    /// worth (concurrency * items per request * 2, at most 100,000), and at least 64.
    qsizetype lowWaterMark() const;
    /// Items one request carries at most: 1, or batchSize in a bulk mode.
    int itemsPerRequest() const;
    /// Requests allowed in flight now: concurrency(), less while the server asks to slow down.
    int window() const;
    /// The protocol the answers came over ("HTTP/1.1", "HTTP/2 over TLS", ...); empty until
    /// the first HTTP answer.
    QString protocol() const;
    /// Bulk modes: while true, a batch smaller than batchSize waits for more items as long as
    /// other requests are in flight (the producer is still reading). Set it false once
    /// nothing more is coming, so the last items go at once.
    void setHoldPartialBatches(bool hold);

Q_SIGNALS:
    void itemStatusChanged(qint64 id, sluice::ItemStatus status, int attempts); // Sending, Retrying
    void itemFinished(const sluice::ItemResult &result); // Delivered/Failed/Invalid, once per item
    /// The backlog dropped to/below lowWaterMark(): time to submit more. Fires once per
    /// submit() (the next time the backlog is low after it), so a producer that answers it with
    /// submit() is pulled along.
    void backlogLow();
    /// Backlog empty and nothing in flight, after work was submitted (or after cancel()).
    void idle();
    /// The window of requests in flight changed (the server asked to slow down, or it grows
    /// back); limit is concurrency().
    void windowChanged(int window, int limit);
    /// The protocol of the answers became known, or changed (see protocol()).
    void protocolChanged(const QString &protocol);

private:
    struct Entry
    {
        Item item;
        int attempts = 0;
        /// An attempt went out and no answer came back (reset, timeout): the server may have it.
        bool unanswered = false;
    };
    struct Slot
    {
        std::vector<Entry> entries; // one, or a bulk request's batch
        QByteArray requestId;
        quint32 generation = 0; // bumped on release so a late response cannot match a reuse
        int lane = -1;
        qint64 startedMs = 0;
        bool active = false;
    };
    enum class Protocol : quint8 { Unknown, Http1, Http2 };
    struct Lane
    {
        std::unique_ptr<WorkerThread> thread;
        HttpLane *worker = nullptr; // lives in `thread`, which destroys it
        int capacity = 0;
        int inFlight = 0;
        QList<HttpLane::Request> batch;
    };

    void schedulePump();
    void pump();
    void startRequests();
    void emitPending();
    void onResponses(const QList<sluice::HttpLane::Response> &responses);
    void handleResponse(const HttpLane::Response &response);
    void onRetryTimer();
    void armRetryTimer();
    void releaseSlot(quint32 index);
    /// *retryDueMs: when the items of this response that go again are due (m_clock), set by
    /// the first of them (-1 until then) and shared by the others: one time, read once, so
    /// the retry timer cannot take part of a batch and leave the rest a millisecond later.
    void settle(Entry &&entry, const QByteArray &requestId, const HttpLane::Response &response,
                qint64 *retryDueMs);
    void settleBulkItem(Entry &&entry, const QByteArray &requestId,
                        const HttpLane::Response &response, const BulkItemOutcome &outcome,
                        qint64 *retryDueMs);
    void deliver(Entry &&entry, const QByteArray &requestId, const HttpLane::Response &response,
                 int httpStatus, const QString &note = {});
    void scheduleRetry(Entry &&entry, qint64 dueMs, const QString &why);
    void failForGood(Entry &&entry, const QByteArray &requestId, const HttpLane::Response &response,
                     int httpStatus, const QString &error);
    void learnProtocol(const HttpLane::Response &response);
    void adaptWindow(const HttpLane::Response &response, qint64 startedMs);
    /// Takes the next request's items from the queue; *bytes: what they add to a bulk body
    /// (BulkCodec::extraBytes included), so the lane need not measure them again.
    bool takeBatch(std::vector<Entry> *entries, qint64 *bytes);
    bool rateAllows();
    int limit() const;
    ItemResult resultFor(Entry &&entry, ItemStatus status) const;
    ItemResult cancelledResult(Entry &&entry, const QString &error) const;

    DispatchConfig m_config;
    std::shared_ptr<const BulkCodec> m_codec; // bulk modes only
    int m_concurrency = 0;
    int m_window = 0;
    int m_growCredit = 0;
    qint64 m_lastDecreaseMs = -1;
    Protocol m_protocol = Protocol::Unknown;
    bool m_probing = false; // one request alone until the first answer tells the protocol
    bool m_tls = false;
    QString m_protocolName;
    bool m_holdPartial = false;
    double m_tokens = 0;
    qint64 m_tokensAtNs = 0;
    QTimer m_rateTimer;
    int m_managers = 0;
    qsizetype m_lowWater = 0;
    std::vector<Lane> m_lanes;
    std::vector<Slot> m_slots;
    std::vector<quint32> m_freeSlots;
    int m_inFlight = 0;
    qsizetype m_itemsInFlight = 0;
    QList<Entry> m_queue; // submitted or due for retry, in sending order
    std::multimap<qint64, Entry> m_waiting; // due time on m_clock (ms) -> item waiting to retry
    QElapsedTimer m_clock;
    QTimer m_pumpTimer;
    QTimer m_retryTimer; // one timer for the earliest due retry
    bool m_paused = false;
    bool m_cancelled = false;
    bool m_stopping = false;
    bool m_lowArmed = false; // backlogLow() owed since the last submit()
    bool m_busy = false; // idle() owed since the last submit()

    // Signals collected while the state changes and emitted afterwards, so a slot that calls
    // back into the dispatcher always sees it consistent.
    std::vector<QPair<qint64, int>> m_outSending;
    std::vector<QPair<qint64, int>> m_outRetrying;
    std::vector<ItemResult> m_outFinished;
};

} // namespace sluice
