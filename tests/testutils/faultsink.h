// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTcpServer>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace sluice {

/// A document store on 127.0.0.1 (a free port) that misbehaves on purpose, deterministically:
/// a raw HTTP/1.1 server on QTcpServer (kept-alive connections, Content-Length bodies), because
/// Qt HttpServer cannot drop a connection after it has processed a request, which is the fault
/// that makes duplicates.
///
/// Routes: `PUT /<collection>/<key>` stores the body under key (an upsert: 201 when new, 200
/// when it replaces; or 409 when conflictOnExisting is set and the key exists, CouchDB-like);
/// `POST /<collection>` stores it under a new id (201, `{"ok":true,"id":"<id>"}`). Anything
/// else is a 405 and never faulted.
///
/// Every request gets one Decision. A key given to setPermanentFailure() always gets Permanent;
/// otherwise the decision comes from the fault mix (percentages) and a random number that is
/// a pure function of (seed, key, n), n counting the requests for that key: the same seed gives
/// every key the same sequence of decisions however the client's connections interleave
/// (drawing from one generator in arrival order would not). The key of a POST is the body's
/// top-level "id" (how a test names the item; a body without one is keyed by its bytes).
///
/// A stored request's answer is *lost* when the client cannot have received it: reset after
/// processing, or a slow answer whose connection was gone (the client timed out) before the
/// answer was written. Those are the only requests a correct client may send again after they
/// were stored; KeyStats says, per key, how often it was stored and how many of those answers
/// were lost.
///
/// Threads: lives in the thread that creates it, which needs a running event loop (a test's
/// QTRY_ or qWait, or a TransferRun's run in the same thread); every function is called from
/// that thread. So it serves an in-process TransferRun and a `sluice run` child process alike.
class FaultSink final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultSink)

public:
    enum class Decision : quint8 {
        Ok, ///< stored, 200/201 (or 409 Conflict under conflictOnExisting)
        ServerError, ///< 500, nothing stored
        Unavailable, ///< 503, nothing stored
        TooManyRequests, ///< 429 with Retry-After (0 or 1 s), nothing stored
        ResetBefore, ///< the connection is reset (RST) before anything is stored
        ResetAfter, ///< stored, then the connection is reset: the answer is lost
        Slow, ///< answered after slowDelayMs (see SlowStore)
        Permanent, ///< a key of setPermanentFailure(): its status and body, nothing stored
    };
    Q_ENUM(Decision)
    static constexpr int DecisionCount = 8;

    /// Percentages (0..100, fractions allowed) of requests given each transient fault; the rest
    /// are Ok. They are drawn per request, so a retried request can fail again.
    struct FaultMix
    {
        double serverError = 0;
        double unavailable = 0;
        double tooManyRequests = 0;
        double resetBefore = 0;
        double resetAfter = 0;
        double slow = 0;

        double total() const;
        /// percent of requests failed, spread evenly over every fault kind.
        static FaultMix spread(double percent);
        /// percent of requests given one fault (a transient Decision).
        static FaultMix only(Decision fault, double percent);
    };

    /// When a slow answer stores its document.
    enum class SlowStore : quint8 {
        /// Stored at once, answered late: when the client gave up first, the answer is lost
        /// (the realistic case of a server that commits and then stalls).
        Before,
        /// Stored at the end of the delay, and only when the client is still connected (a
        /// server that notices the client left and drops the work): never a lost answer.
        AfterIfConnected,
    };

    /// What the sink saw and did for one request, in arrival order.
    struct Request
    {
        QByteArray method;
        QString path;
        QString key; ///< PUT: the URL's last segment (decoded); POST: the body's "id"
        QString createdId; ///< POST: the id the document got when stored
        QByteArray requestId; ///< X-Request-ID header, empty when none
        QByteArray idempotencyKey; ///< Idempotency-Key header, empty when none
        Decision decision = Decision::Ok;
        int status = 0; ///< HTTP status answered (or due), 0 for a reset
        int attemptOfKey = 0; ///< 1-based: the how-many-th request for this key
        int connection = 0; ///< 1-based serial number of the TCP connection
        bool stored = false;
        bool answerLost = false; ///< stored, and the client cannot have received the answer
    };

    struct KeyStats
    {
        int requests = 0;
        int stores = 0; ///< requests that stored (created or replaced) a document
        int lostAnswers = 0; ///< stored requests whose answer was lost
        int faults = 0; ///< transient faults given (every Decision but Ok and Permanent)
    };

    /// No faults until setFaultMix() or failPercent().
    explicit FaultSink(quint64 seed, QObject *parent = nullptr);
    FaultSink(quint64 seed, const FaultMix &mix, QObject *parent = nullptr);
    ~FaultSink() override;

    bool isListening() const { return m_server.isListening(); }
    quint16 port() const { return m_server.serverPort(); }
    /// http://127.0.0.1:<port><path>
    QUrl url(const QString &path = QStringLiteral("/")) const;
    /// The URL as text, for a target.url that holds {{placeholders}} (QUrl would encode them).
    QString urlText(const QString &path) const;

    void setFaultMix(const FaultMix &mix) { m_mix = mix; }
    /// The one-liner: percent of requests failed, spread over every fault kind.
    void failPercent(double percent) { m_mix = FaultMix::spread(percent); }
    /// Every request for key is answered status with body (JSON), and never stored.
    void setPermanentFailure(const QString &key, int status = 422, const QByteArray &body = {});
    /// Delay of a Slow answer; make it longer than the client's timeout. Default 2500 ms.
    void setSlowDelayMs(int delayMs) { m_slowDelayMs = delayMs; }
    void setSlowStore(SlowStore when) { m_slowStore = when; }
    /// At most this many transient faults per key, then only Ok (or Permanent); -1 (default):
    /// no limit. Lets a test prove delivery without a fault streak outlasting the retries.
    void setMaxFaultsPerKey(int faults) { m_maxFaultsPerKey = faults; }
    /// PUT of a key that is already stored answers 409 Conflict (CouchDB) instead of replacing.
    void setConflictOnExisting(bool on) { m_conflictOnExisting = on; }

    QList<Request> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    /// Requests given this decision.
    int count(Decision decision) const;
    KeyStats stats(const QString &key) const { return m_stats.value(key); }
    /// Every key seen, with its counts.
    const QHash<QString, KeyStats> &allStats() const { return m_stats; }
    /// The stored documents: by key for PUT, by created id for POST.
    const QHash<QString, QByteArray> &documents() const { return m_documents; }
    /// Requests received whose answer is not yet written nor lost (slow ones, mostly).
    int pendingAnswers() const { return int(m_pending.size()); }

    /// Forgets documents, requests and counts; open connections stay, but those waiting for a
    /// slow answer are reset.
    void clear();

    static QString decisionName(Decision decision);

private:
    struct Connection
    {
        int serial = 0;
        QByteArray buffer;
        bool busy = false; ///< a request waits for its (slow) answer: read no further
    };
    struct Parsed
    {
        QByteArray method;
        QByteArray target;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        bool close = false;
        QByteArray header(const QByteArray &name) const;
    };
    /// A request whose answer is due later (a slow one).
    struct Pending
    {
        QPointer<QTcpSocket> socket;
        int request = 0; ///< index into m_requests
        QByteArray answer;
        bool close = false;
        bool storeOnAnswer = false;
        QByteArray body;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onDisconnected(QTcpSocket *socket);
    /// Takes one complete request off the connection's buffer: 1 one taken, 0 incomplete,
    /// -1 malformed (answered 400 and closed).
    int takeRequest(Connection &connection, Parsed *parsed, QTcpSocket *socket);
    void handle(QTcpSocket *socket, Connection &connection, Parsed &&parsed);
    Decision decide(const QString &key, const QByteArray &body, int attempt);
    /// Stores the body of request index; sets its createdId and status.
    void store(int index, const QByteArray &body);
    void markLost(int index);
    void finishSlow(quint64 serial);
    void reset(QTcpSocket *socket);
    void write(QTcpSocket *socket, const QByteArray &answer, bool close);
    static QByteArray answerText(int status, const QByteArray &body,
                                 const QByteArray &extraHeaders = {});

    QTcpServer m_server;
    quint64 m_seed = 0;
    FaultMix m_mix;
    QHash<QString, QPair<int, QByteArray>> m_permanent; // key -> status, body
    int m_slowDelayMs = 2500;
    SlowStore m_slowStore = SlowStore::Before;
    int m_maxFaultsPerKey = -1;
    bool m_conflictOnExisting = false;

    QHash<QTcpSocket *, Connection> m_connections;
    int m_connectionCount = 0;
    QHash<quint64, Pending> m_pending;
    quint64 m_nextPending = 0;
    QList<Request> m_requests;
    QHash<QString, KeyStats> m_stats;
    QHash<QString, QByteArray> m_documents;
    quint64 m_nextCreated = 0;
};

} // namespace sluice
