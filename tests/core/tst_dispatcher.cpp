// SPDX-License-Identifier: GPL-3.0-or-later
#include <memory>

#include <QDir>
#include <QElapsedTimer>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "net/dispatcher.h"
#include "net/networkerror.h"
#include "spec/statusclasses.h"
#include "testsink.h"

using namespace sluice;

namespace {

constexpr int LongWaitMs = 30000;

QByteArray payloadFor(qint64 id)
{
    // Non-ASCII and escaped characters, so a body altered on the way shows.
    return QStringLiteral("{\"id\":%1,\"name\":\"Müller \\\"%1\\\"\",\"value\":%2}")
        .arg(id)
        .arg(double(id) * 1.5)
        .toUtf8();
}

QList<Item> makeItems(int count, qint64 firstId = 0, const QString &urlPattern = {})
{
    QList<Item> items;
    items.reserve(count);
    for (qint64 id = firstId; id < firstId + count; ++id) {
        Item item;
        item.id = id;
        item.key = QStringLiteral("k%1").arg(id);
        item.payload = payloadFor(id);
        if (!urlPattern.isEmpty())
            item.url = urlPattern.arg(id);
        items.append(item);
    }
    return items;
}

DispatchConfig configFor(const TestSink &sink, int concurrency = 8)
{
    DispatchConfig config;
    config.url = sink.url(QStringLiteral("/items")).toString();
    config.concurrency = concurrency;
    config.timeoutMs = 10000;
    config.retry.baseDelayMs = 10; // fast retries in tests
    config.retry.maxDelayMs = 50;
    return config;
}

/// Records everything a dispatcher reports.
struct Recorder
{
    QList<ItemResult> finished;
    QHash<qint64, int> finishedCount;
    QHash<qint64, QList<QPair<ItemStatus, int>>> statuses; // id -> (status, attempts) in order
    int backlogLow = 0;
    int idle = 0;
    int maxInFlight = 0;

    void attach(Dispatcher *dispatcher, QObject *context)
    {
        QObject::connect(dispatcher, &Dispatcher::itemFinished, context,
                         [this](const ItemResult &result) {
                             finished.append(result);
                             ++finishedCount[result.id];
                         });
        QObject::connect(dispatcher, &Dispatcher::itemStatusChanged, context,
                         [this, dispatcher](qint64 id, ItemStatus status, int attempts) {
                             statuses[id].append({status, attempts});
                             maxInFlight = std::max(maxInFlight, dispatcher->inFlight());
                         });
        QObject::connect(dispatcher, &Dispatcher::backlogLow, context, [this] { ++backlogLow; });
        QObject::connect(dispatcher, &Dispatcher::idle, context, [this] { ++idle; });
    }

    ItemResult resultFor(qint64 id) const
    {
        for (const ItemResult &result : finished) {
            if (result.id == id)
                return result;
        }
        return {};
    }

    bool eachOnce(qint64 firstId, int count) const
    {
        if (finishedCount.size() != count)
            return false;
        for (qint64 id = firstId; id < firstId + count; ++id) {
            if (finishedCount.value(id) != 1)
                return false;
        }
        return true;
    }
};

/// Captures sluice.net log messages (any thread) while alive.
class LogCapture
{
public:
    LogCapture()
    {
        s_messages.clear();
        s_previous = qInstallMessageHandler(&LogCapture::handle);
    }
    ~LogCapture() { qInstallMessageHandler(s_previous); }
    static QStringList messages()
    {
        QMutexLocker lock(&s_mutex);
        return s_messages;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (type == QtWarningMsg && qstrcmp(context.category, "sluice.net") == 0) {
            QMutexLocker lock(&s_mutex);
            s_messages.append(message);
        }
        if (s_previous)
            s_previous(type, context, message);
    }
    static inline QMutex s_mutex;
    static inline QStringList s_messages;
    static inline QtMessageHandler s_previous = nullptr;
};

/// A handler that fails every attempt of an item before its `failures`-th X-Request-ID.
/// Qt's own re-sends of one attempt carry the same request id, so attempts are counted, not
/// requests.
TestSink::Handler failFirstAttempts(int failures, TestSink::Reply failure)
{
    auto seen = std::make_shared<QHash<QString, QList<QByteArray>>>();
    return [seen, failures, failure](const TestSink::Request &request) {
        QList<QByteArray> &ids = (*seen)[request.jsonId];
        const QByteArray requestId = request.header("X-Request-ID");
        if (!ids.contains(requestId))
            ids.append(requestId);
        return ids.indexOf(requestId) < failures ? failure : TestSink::Reply {};
    };
}

QList<TestSink::Request> requestsFor(const TestSink &sink, qint64 id)
{
    QList<TestSink::Request> result;
    const QString text = QString::number(id);
    for (const TestSink::Request &request : sink.requests()) {
        if (request.jsonId == text)
            result.append(request);
    }
    return result;
}

QSet<QByteArray> requestIds(const QList<TestSink::Request> &requests)
{
    QSet<QByteArray> ids;
    for (const TestSink::Request &request : requests)
        ids.insert(request.header("X-Request-ID"));
    return ids;
}

} // namespace

class TestDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversEveryItemExactlyOnce();
    void concurrencyCapIsExact_data();
    void concurrencyCapIsExact();
    void concurrencyIsClamped_data();
    void concurrencyIsClamped();
    void clientErrorFailsAtOnce_data();
    void clientErrorFailsAtOnce();
    void responseBodyIsCapped();
    void htmlOrGarbageAnswers();
    void finalRedirectIsFailure();
    void transientStatusIsRetried_data();
    void transientStatusIsRetried();
    void retryAfterIsHonoured();
    void retryAfterIsCapped();
    void retriesExhausted();
    void droppedConnectionIsRetried();
    void droppedConnectionExhausted();
    void serverDownFails();
    void timeoutIsRetried();
    void timeoutExhausted();
    void putWithPerItemUrlAndHeaders();
    void contentTypeCanBeConfigured();
    void requestIdDiffersPerAttempt();
    void requestIdIsARandomUuid();
    void slowDownShrinksTheWindowAndItGrowsBack();
    void rateCapIsKept();
    void protocolOfTheAnswersIsReported();
    void nagleIsOffOnTheTargetsSockets();
    void invalidItemIsNotSent();
    void pauseAndResume();
    void cancelReportsEveryItemOnce();
    void cancelWhileWaitingToRetry();
    void submitAfterCancel();
    void destroyMidRun_data();
    void destroyMidRun();
    void backlogLowAndIdle();
    void producerPulledByBacklogLow();
    void conflictAfterLostAnswer_data();
    void conflictAfterLostAnswer();
    void conflictWithoutLostAnswerFails();
    void conflictForItemThatMayHaveArrived();
    void statusClassesDecide_data();
    void statusClassesDecide();
    void idempotencyKeyOnEveryAttempt();
    void stopLetsRequestsInFlightFinish();
    void stopCancelsWhatWouldBeRetried();
};

void TestDispatcher::deliversEveryItemExactlyOnce()
{
    TestSink sink;
    QVERIFY(sink.isListening());
    Dispatcher dispatcher(configFor(sink, 16));
    Recorder recorder;
    recorder.attach(&dispatcher, this);

    constexpr int Count = 500;
    dispatcher.submit(makeItems(Count));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), Count, LongWaitMs);
    QTRY_COMPARE(recorder.idle, 1);

    QVERIFY(recorder.eachOnce(0, Count));
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.httpStatus, 201);
        QCOMPARE(result.attempts, 1);
        QVERIFY(result.error.isEmpty());
        QCOMPARE(result.key, QStringLiteral("k%1").arg(result.id));
        QVERIFY(!QUuid::fromString(QLatin1String(result.requestId)).isNull());
        QCOMPARE(recorder.statuses.value(result.id),
                 (QList<QPair<ItemStatus, int>> {{ItemStatus::Sending, 1}}));
        // What was sent and what came back, for a view to show.
        QCOMPARE(result.payload, payloadFor(result.id));
        QCOMPARE(result.responseBody, QByteArray(R"({"result":"created"})"));
    }

    QCOMPARE(sink.requestCount(), Count);
    const QHash<QString, int> counts = sink.countById();
    QCOMPARE(counts.size(), Count);
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        QCOMPARE(it.value(), 1);
    for (const TestSink::Request &request : sink.requests()) {
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QStringLiteral("/items"));
        QCOMPARE(request.body, payloadFor(request.jsonId.toLongLong()));
    }
    QCOMPARE(dispatcher.backlog(), 0);
    QCOMPARE(dispatcher.inFlight(), 0);
    QVERIFY(recorder.maxInFlight <= 16);
}

void TestDispatcher::concurrencyCapIsExact_data()
{
    QTest::addColumn<int>("concurrency");
    QTest::newRow("6") << 6;
    QTest::newRow("16") << 16;
    QTest::newRow("64") << 64;
}

void TestDispatcher::concurrencyCapIsExact()
{
    QFETCH(int, concurrency);
    TestSink sink;
    // Long enough that a busy machine still gets every request of a wave to the server before
    // the first answer leaves.
    sink.setDefaultDelayMs(200);
    Dispatcher dispatcher(configFor(sink, concurrency));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    QCOMPARE(dispatcher.concurrency(), concurrency);
    QCOMPARE(dispatcher.managerCount(), (concurrency + 5) / 6);

    const int count = concurrency * 5;
    dispatcher.submit(makeItems(count));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), count, LongWaitMs);

    QCOMPARE(sink.peakInFlight(), concurrency); // never more, and truly reached
    QVERIFY(recorder.maxInFlight <= concurrency);
    // Connections are reused: one manager never opens more than six.
    QVERIFY2(sink.peakOpenConnections() <= dispatcher.managerCount() * 6,
             qPrintable(QString::number(sink.peakOpenConnections())));
    QVERIFY(recorder.eachOnce(0, count));
    QCOMPARE(sink.deliveredCount(), count);
}

void TestDispatcher::concurrencyIsClamped_data()
{
    QTest::addColumn<int>("requested");
    QTest::addColumn<int>("effective");
    QTest::addColumn<int>("managers");
    QTest::newRow("0") << 0 << 1 << 1;
    QTest::newRow("-3") << -3 << 1 << 1;
    QTest::newRow("7") << 7 << 7 << 2;
    QTest::newRow("512") << 512 << 512 << 86;
    QTest::newRow("100000") << 100000 << 512 << 86;
}

void TestDispatcher::concurrencyIsClamped()
{
    QFETCH(int, requested);
    QFETCH(int, effective);
    QFETCH(int, managers);
    TestSink sink;
    DispatchConfig config = configFor(sink, requested);
    Dispatcher dispatcher(config);
    QCOMPARE(dispatcher.concurrency(), effective);
    QCOMPARE(dispatcher.managerCount(), managers);
    QCOMPARE(dispatcher.laneCount(), std::min(managers, std::max(2, QThread::idealThreadCount())));
    QCOMPARE(dispatcher.lowWaterMark(), std::max<qsizetype>(effective * 2, 64));
}

void TestDispatcher::clientErrorFailsAtOnce_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::newRow("400") << 400 << QStringLiteral("Bad Request");
    QTest::newRow("404") << 404 << QStringLiteral("Not Found");
    QTest::newRow("409") << 409 << QStringLiteral("Conflict");
    QTest::newRow("422") << 422 << QStringLiteral("Unprocessable Entity");
}

void TestDispatcher::clientErrorFailsAtOnce()
{
    QFETCH(int, status);
    QFETCH(QString, reason);
    const QByteArray body
        = QByteArrayLiteral("{\"error\":\"field 'name' is invalid\"}\nsecond line");
    TestSink sink;
    sink.setHandler([status, body](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (request.jsonId.toLongLong() % 2 == 1) {
            reply.status = status;
            reply.body = body;
        }
        return reply;
    });
    Dispatcher dispatcher(configFor(sink, 4));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    // The failure must be on record before anyone hears of it.
    LogCapture log;
    QStringList loggedBeforeFinished;
    connect(&dispatcher, &Dispatcher::itemFinished, this, [&](const ItemResult &result) {
        if (result.status != ItemStatus::Failed)
            return;
        for (const QString &message : LogCapture::messages()) {
            if (message.contains(result.key + QLatin1Char(' ')))
                loggedBeforeFinished.append(message);
        }
    });

    constexpr int Count = 20;
    dispatcher.submit(makeItems(Count));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), Count, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, Count));

    const QString expectedError
        = QStringLiteral("HTTP %1 %2: {\"error\":\"field 'name' is invalid\"}")
              .arg(status)
              .arg(reason);
    int failed = 0;
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        const QList<TestSink::Request> sent = requestsFor(sink, result.id);
        QCOMPARE(sent.size(), 1); // no retry
        if (result.id % 2 == 0) {
            QCOMPARE(result.status, ItemStatus::Delivered);
            continue;
        }
        ++failed;
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.httpStatus, status);
        QCOMPARE(result.attempts, 1);
        QCOMPARE(result.error, expectedError);
        QCOMPARE(result.responseBody, body);
        QCOMPARE(result.payload, payloadFor(result.id));
        QCOMPARE(result.requestId, sent.first().header("X-Request-ID"));
        QVERIFY(!recorder.statuses.value(result.id).contains({ItemStatus::Retrying, 1}));
    }
    QCOMPARE(failed, Count / 2);
    QCOMPARE(loggedBeforeFinished.size(), Count / 2);
    for (const QString &message : std::as_const(loggedBeforeFinished)) {
        QVERIFY2(message.contains(QString::number(status)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("second line")), qPrintable(message));
    }
}

void TestDispatcher::htmlOrGarbageAnswers()
{
    // What a proxy or a web framework answers when the API behind it is not there.
    const QByteArray nginx = QByteArrayLiteral(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n"
        "</body>\r\n</html>\r\n");
    const QByteArray framework = QByteArrayLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Server Error</title>\n<style>body { color: red; }</style>\n"
        "<script>var x = 1 < 2;</script>\n</head>\n<body>\n<h1>Server Error</h1>\n"
        "<p>KeyError: &#39;name&#39; &amp; more &lt;here&gt;</p>\n<!-- debug id 42 -->\n"
        "</body>\n</html>\n");
    const QByteArray garbage("\x00\xff\xfe garbage", 11);
    const QList<TestSink::Header> html = {{"Content-Type", "text/html; charset=utf-8"}};
    TestSink sink;
    sink.setHandler([&](const TestSink::Request &request) {
        TestSink::Reply reply;
        switch (request.jsonId.toInt()) {
        case 0: // a 2xx is delivered whatever its body: the item mode reads only the status
            reply.status = 200;
            reply.body = framework;
            reply.headers = html;
            break;
        case 1:
            reply.status = 200;
            reply.body = garbage;
            break;
        case 2:
            reply.status = 502;
            reply.body = nginx;
            reply.headers = html;
            break;
        case 3:
            reply.status = 500;
            reply.body = framework;
            reply.headers = html;
            break;
        default:
            reply.status = 400;
            reply.body = garbage;
            break;
        }
        return reply;
    });
    DispatchConfig config = configFor(sink, 2);
    config.retry.maxRetries = 0;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(5));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 5, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, 5));
    QHash<qint64, ItemResult> byId;
    for (const ItemResult &result : std::as_const(recorder.finished))
        byId.insert(result.id, result);
    QCOMPARE(byId[0].status, ItemStatus::Delivered);
    QCOMPARE(byId[0].httpStatus, 200);
    QCOMPARE(byId[1].status, ItemStatus::Delivered);
    QCOMPARE(byId[2].status, ItemStatus::Failed);
    QCOMPARE(byId[2].error, QStringLiteral("HTTP 502 Bad Gateway: 502 Bad Gateway: nginx/1.22.1"));
    QCOMPARE(byId[2].responseBody, nginx); // the page itself is kept whole
    QCOMPARE(byId[3].status, ItemStatus::Failed);
    QCOMPARE(byId[3].error,
             QStringLiteral("HTTP 500 Internal Server Error: Server Error: "
                            "KeyError: 'name' & more <here>"));
    QCOMPARE(byId[4].status, ItemStatus::Failed);
    QCOMPARE(byId[4].error, QStringLiteral("HTTP 400 Bad Request: \uFFFD\uFFFD\uFFFD garbage"));
}

void TestDispatcher::responseBodyIsCapped()
{
    TestSink sink;
    const QByteArray body(5000, 'x');
    sink.setHandler([body](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.status = 400;
        reply.body = body;
        return reply;
    });
    DispatchConfig config = configFor(sink, 2);
    config.maxResponseBytes = 300;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(3));
    QTRY_COMPARE(recorder.finished.size(), 3);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.responseBody, body.left(300));
        QVERIFY(result.error.size() < 300); // one line, shortened
    }
}

void TestDispatcher::finalRedirectIsFailure()
{
    TestSink sink;
    sink.setHandler([&sink](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (request.path == QLatin1String("/items")) {
            reply.status = 302;
            reply.body = "moved";
            reply.headers = {{"Location", sink.url(QStringLiteral("/elsewhere")).toEncoded()}};
        }
        return reply;
    });
    Dispatcher dispatcher(configFor(sink, 2));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(1));
    QTRY_COMPARE(recorder.finished.size(), 1);
    const ItemResult result = recorder.finished.first();
    QStringList seen;
    for (const TestSink::Request &request : sink.requests())
        seen.append(QString::fromLatin1(request.method) + u' ' + request.path);
    // Qt's default policy would follow with "GET /elsewhere" and call the item delivered.
    QCOMPARE(seen, QStringList {QStringLiteral("POST /items")});
    QCOMPARE(result.status, ItemStatus::Failed);
    QCOMPARE(result.attempts, 1);
    QCOMPARE(result.httpStatus, 302);
    QCOMPARE(result.error,
             QStringLiteral("HTTP 302 Found (redirect to %1 not followed): moved")
                 .arg(sink.url(QStringLiteral("/elsewhere")).toString()));
    QCOMPARE(sink.deliveredCount(), 0);
}

void TestDispatcher::transientStatusIsRetried_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("500") << 500;
    QTest::newRow("502") << 502;
    QTest::newRow("503") << 503;
    QTest::newRow("504") << 504;
    QTest::newRow("408") << 408;
    QTest::newRow("429 without Retry-After") << 429;
}

void TestDispatcher::transientStatusIsRetried()
{
    QFETCH(int, status);
    TestSink sink;
    TestSink::Reply failure;
    failure.status = status;
    failure.body = "try later";
    sink.setHandler(failFirstAttempts(2, failure));
    Dispatcher dispatcher(configFor(sink, 4));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    constexpr int Count = 10;
    dispatcher.submit(makeItems(Count));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), Count, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, Count));
    const QList<QPair<ItemStatus, int>> expected {{ItemStatus::Sending, 1},
                                                  {ItemStatus::Retrying, 1},
                                                  {ItemStatus::Sending, 2},
                                                  {ItemStatus::Retrying, 2},
                                                  {ItemStatus::Sending, 3}};
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.attempts, 3);
        QCOMPARE(result.httpStatus, 201);
        QCOMPARE(recorder.statuses.value(result.id), expected);
        QCOMPARE(requestsFor(sink, result.id).size(), 3);
    }
    QCOMPARE(sink.requestCount(), 3 * Count);
}

void TestDispatcher::retryAfterIsHonoured()
{
    TestSink sink;
    TestSink::Reply failure;
    failure.status = 429;
    failure.headers = {{"Retry-After", "1"}};
    sink.setHandler(failFirstAttempts(1, failure));
    Dispatcher dispatcher(configFor(sink, 2)); // backoff alone would retry after ~10 ms
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(1));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 1, LongWaitMs);
    QCOMPARE(recorder.finished.first().status, ItemStatus::Delivered);
    QCOMPARE(recorder.finished.first().attempts, 2);
    const QList<TestSink::Request> sent = sink.requests();
    QCOMPARE(sent.size(), 2);
    const qint64 gap = sent.at(1).receivedMs - sent.at(0).receivedMs;
    QVERIFY2(gap >= 990 && gap < 5000, qPrintable(QString::number(gap)));
}

void TestDispatcher::retryAfterIsCapped()
{
    TestSink sink;
    TestSink::Reply failure;
    failure.status = 503;
    failure.headers = {{"Retry-After", "3600"}};
    sink.setHandler(failFirstAttempts(1, failure));
    DispatchConfig config = configFor(sink, 2);
    config.retry.maxRetryAfterMs = 200;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(1));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 1, 5000);
    QCOMPARE(recorder.finished.first().status, ItemStatus::Delivered);
    const QList<TestSink::Request> sent = sink.requests();
    QCOMPARE(sent.size(), 2);
    const qint64 gap = sent.at(1).receivedMs - sent.at(0).receivedMs;
    QVERIFY2(gap >= 190 && gap < 3000, qPrintable(QString::number(gap)));
}

void TestDispatcher::retriesExhausted()
{
    TestSink sink;
    TestSink::Reply failure;
    failure.status = 503;
    failure.body = "overloaded\nstack trace here";
    sink.setHandler([failure](const TestSink::Request &) { return failure; });
    DispatchConfig config = configFor(sink, 2);
    config.retry.maxRetries = 3;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    LogCapture log;
    dispatcher.submit(makeItems(2));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 2, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, 2));
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.attempts, 4);
        QCOMPARE(result.httpStatus, 503);
        QCOMPARE(result.error, QStringLiteral("HTTP 503 Service Unavailable: overloaded"));
        QCOMPARE(result.responseBody, failure.body);
        QCOMPARE(result.payload, payloadFor(result.id));
        const QList<TestSink::Request> sent = requestsFor(sink, result.id);
        QCOMPARE(sent.size(), 4);
        QCOMPARE(result.requestId, sent.last().header("X-Request-ID"));
    }
    QTRY_COMPARE(recorder.idle, 1);
    QCOMPARE(LogCapture::messages().size(), 2);
}

void TestDispatcher::droppedConnectionIsRetried()
{
    TestSink sink;
    TestSink::Reply drop;
    drop.dropConnection = true;
    sink.setHandler(failFirstAttempts(1, drop));
    Dispatcher dispatcher(configFor(sink, 2));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(2));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 2, LongWaitMs);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.attempts, 2);
        const QList<TestSink::Request> sent = requestsFor(sink, result.id);
        QCOMPARE(requestIds(sent).size(), 2);
        // Qt re-sends a request by itself when a kept-alive connection closes unanswered; those
        // re-sends carry the same request id.
        qInfo("item %lld: %lld requests reached the server for 2 attempts", result.id,
              static_cast<long long>(sent.size()));
    }
    QCOMPARE(sink.countById().value(QStringLiteral("0")), 1);
    QCOMPARE(sink.countById().value(QStringLiteral("1")), 1);
}

void TestDispatcher::droppedConnectionExhausted()
{
    TestSink sink;
    sink.setHandler([](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.dropConnection = true;
        return reply;
    });
    DispatchConfig config = configFor(sink, 2);
    config.retry.maxRetries = 2;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(1));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 1, LongWaitMs);
    const ItemResult result = recorder.finished.first();
    QCOMPARE(result.status, ItemStatus::Failed);
    QCOMPARE(result.attempts, 3);
    QCOMPARE(result.httpStatus, 0);
    QCOMPARE(result.error, networkErrorText(QNetworkReply::RemoteHostClosedError));
    QCOMPARE(requestIds(sink.requests()).size(), 3);
}

void TestDispatcher::serverDownFails()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    DispatchConfig config;
    config.url = QStringLiteral("http://127.0.0.1:%1/items").arg(closedPort);
    config.concurrency = 2;
    config.retry.maxRetries = 2;
    config.retry.baseDelayMs = 10;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(3));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 3, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, 3));
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.attempts, 3);
        QCOMPARE(result.httpStatus, 0);
        QCOMPARE(result.error, networkErrorText(QNetworkReply::ConnectionRefusedError));
        QVERIFY(result.error.contains(QLatin1String("connection refused")));
    }
}

void TestDispatcher::timeoutIsRetried()
{
    TestSink sink;
    TestSink::Reply slow;
    slow.delayMs = 5000;
    sink.setHandler(failFirstAttempts(1, slow));
    DispatchConfig config = configFor(sink, 2);
    config.timeoutMs = 300;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(2));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 2, LongWaitMs);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.attempts, 2);
    }
    // The timed-out requests were abandoned by the client, not answered.
    QTRY_COMPARE(sink.inFlight(), 0);
    QCOMPARE(sink.deliveredCount(), 2);
}

void TestDispatcher::timeoutExhausted()
{
    TestSink sink;
    sink.setDefaultDelayMs(3000);
    DispatchConfig config = configFor(sink, 2);
    config.timeoutMs = 200;
    config.retry.maxRetries = 1;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    QElapsedTimer clock;
    clock.start();
    dispatcher.submit(makeItems(1));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 1, LongWaitMs);
    const ItemResult result = recorder.finished.first();
    QCOMPARE(result.status, ItemStatus::Failed);
    QCOMPARE(result.attempts, 2);
    QCOMPARE(result.httpStatus, 0);
    // How long it waited, not only that it did.
    QCOMPARE(result.error, QStringLiteral("timed out after 0.2 s waiting for the server"));
    QVERIFY2(result.latencyMs >= 190, qPrintable(QString::number(result.latencyMs)));
    QVERIFY(clock.elapsed() >= 2 * 190);
    QCOMPARE(sink.deliveredCount(), 0);
}

void TestDispatcher::putWithPerItemUrlAndHeaders()
{
    TestSink sink;
    DispatchConfig config = configFor(sink, 4);
    config.url.clear(); // every item brings its own
    config.method = "put";
    config.headers = {{"Authorization", "Bearer t0ken"}, {"X-Tenant", "acme"}};
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    // Built as text: QUrl would percent-encode the placeholder.
    const QString pattern
        = QStringLiteral("http://127.0.0.1:%1/things/").arg(sink.port()) + QStringLiteral("%1");
    dispatcher.submit(makeItems(10, 100, pattern));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 10, LongWaitMs);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.url, pattern.arg(result.id));
    }
    QCOMPARE(sink.requestCount(), 10);
    for (const TestSink::Request &request : sink.requests()) {
        QCOMPARE(request.method, QByteArray("PUT"));
        QCOMPARE(request.path, QStringLiteral("/things/%1").arg(request.jsonId));
        QCOMPARE(request.body, payloadFor(request.jsonId.toLongLong()));
        QCOMPARE(request.header("authorization"), QByteArray("Bearer t0ken"));
        QCOMPARE(request.header("X-Tenant"), QByteArray("acme"));
        QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(request.header("User-Agent"), QByteArray("Sluice/" SLUICE_VERSION));
        QVERIFY(!QUuid::fromString(QLatin1String(request.header("X-Request-ID"))).isNull());
    }
}

void TestDispatcher::contentTypeCanBeConfigured()
{
    TestSink sink;
    DispatchConfig config = configFor(sink, 2);
    config.headers = {{"content-type", "application/vnd.api+json"}};
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(1));
    QTRY_COMPARE(recorder.finished.size(), 1);
    QCOMPARE(sink.requestCount(), 1);
    const TestSink::Request request = sink.requests().first();
    QCOMPARE(request.header("Content-Type"), QByteArray("application/vnd.api+json"));
    int contentTypes = 0;
    for (const auto &[name, value] : request.headers)
        contentTypes += name.compare("content-type", Qt::CaseInsensitive) == 0 ? 1 : 0;
    QCOMPARE(contentTypes, 1);
}

void TestDispatcher::requestIdDiffersPerAttempt()
{
    TestSink sink;
    TestSink::Reply failure;
    failure.status = 500;
    sink.setHandler(failFirstAttempts(2, failure));
    Dispatcher dispatcher(configFor(sink, 2));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(1));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 1, LongWaitMs);
    const QList<TestSink::Request> sent = sink.requests();
    QCOMPARE(sent.size(), 3);
    QCOMPARE(requestIds(sent).size(), 3);
    QCOMPARE(recorder.finished.first().requestId, sent.last().header("X-Request-ID"));
}

void TestDispatcher::requestIdIsARandomUuid()
{
    TestSink sink;
    Dispatcher dispatcher(configFor(sink, 4));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(50));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 50, LongWaitMs);
    const QSet<QByteArray> ids = requestIds(sink.requests());
    QCOMPARE(ids.size(), 50);
    static const QRegularExpression uuid4(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    for (const QByteArray &id : ids)
        QVERIFY2(uuid4.match(QString::fromLatin1(id)).hasMatch(), id.constData());
}

void TestDispatcher::slowDownShrinksTheWindowAndItGrowsBack()
{
    TestSink sink;
    // The first round of requests is told to slow down; everything after is accepted.
    auto count = std::make_shared<int>(0);
    sink.setHandler([count](const TestSink::Request &) {
        TestSink::Reply reply;
        if (++*count <= 8) {
            reply.status = 429;
            reply.body = "slow down";
        }
        return reply;
    });
    sink.setDefaultDelayMs(20); // so that the first 8 requests are out together
    Dispatcher dispatcher(configFor(sink, 8));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    QList<int> windows;
    connect(&dispatcher, &Dispatcher::windowChanged, this, [&windows](int window, int limit) {
        QCOMPARE(limit, 8);
        windows.append(window);
    });
    QCOMPARE(dispatcher.window(), 8);
    constexpr int Count = 120;
    dispatcher.submit(makeItems(Count));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), Count, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, Count));
    for (const ItemResult &result : std::as_const(recorder.finished))
        QCOMPARE(result.status, ItemStatus::Delivered);
    // Eight 429s to requests that all left before the first came back: one cut, not eight.
    QVERIFY(!windows.isEmpty());
    QCOMPARE(windows.first(), 4);
    QCOMPARE(*std::min_element(windows.cbegin(), windows.cend()), 4);
    // Then one more per window of delivered requests, back to the cap.
    QCOMPARE(windows, (QList<int> {4, 5, 6, 7, 8}));
    QCOMPARE(dispatcher.window(), 8);
}

void TestDispatcher::rateCapIsKept()
{
    TestSink sink;
    DispatchConfig config = configFor(sink, 8);
    config.maxRequestsPerSecond = 40; // a burst of 4, then one every 25 ms
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    // The cap is the client's promise, so its spacing is measured where requests leave: the
    // sink's clock would also count how late the first connection was accepted.
    QElapsedTimer clock;
    clock.start();
    QList<qint64> sendingMs;
    connect(&dispatcher, &Dispatcher::itemStatusChanged, this, [&](qint64, ItemStatus status, int) {
        if (status == ItemStatus::Sending)
            sendingMs.append(clock.elapsed());
    });
    constexpr int Count = 24;
    dispatcher.submit(makeItems(Count));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), Count, LongWaitMs);
    const QList<TestSink::Request> sent = sink.requests();
    QCOMPARE(sent.size(), Count);
    QCOMPARE(sendingMs.size(), Count);
    // (24 - 4) requests at 40 a second take 500 ms at least, however fast the machine is.
    const qint64 span = sendingMs.last() - sendingMs.first();
    QVERIFY2(span >= 480, qPrintable(QString::number(span)));
    // And no quarter second holds more than its share plus the burst.
    for (const qint64 first : std::as_const(sendingMs)) {
        const auto inQuarter
            = std::count_if(sendingMs.cbegin(), sendingMs.cend(),
                            [first](qint64 ms) { return ms >= first && ms < first + 250; });
        QVERIFY2(inQuarter <= 10 + 4 + 1, qPrintable(QString::number(inQuarter)));
    }
}

void TestDispatcher::protocolOfTheAnswersIsReported()
{
    TestSink sink;
    Dispatcher dispatcher(configFor(sink, 4));
    QCOMPARE(dispatcher.protocol(), QString());
    QStringList reported;
    connect(&dispatcher, &Dispatcher::protocolChanged, this,
            [&reported](const QString &protocol) { reported.append(protocol); });
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(20));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 20, LongWaitMs);
    QCOMPARE(reported, QStringList {QStringLiteral("HTTP/1.1")}); // once, not per answer
    QCOMPARE(dispatcher.protocol(), QStringLiteral("HTTP/1.1"));
}

/// TCP_NODELAY of every socket of this process connected to port (the client side).
QList<int> noDelayOfSocketsTo(quint16 port)
{
    QList<int> result;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &name : fds.entryList(QDir::Files | QDir::System)) {
        const int fd = name.toInt();
        sockaddr_storage peer {};
        socklen_t length = sizeof peer;
        if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &length) != 0
            || peer.ss_family != AF_INET
            || ntohs(reinterpret_cast<const sockaddr_in *>(&peer)->sin_port) != port)
            continue;
        int noDelay = -1;
        socklen_t size = sizeof noDelay;
        getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, &size);
        result.append(noDelay);
    }
    return result;
}

void TestDispatcher::nagleIsOffOnTheTargetsSockets()
{
    // Qt 6.4 leaves Nagle on; an HTTP/2 request is several small writes that it would hold
    // back. The lanes turn it off on the sockets to the target once answers come.
    TestSink sink;
    sink.setDefaultDelayMs(300);
    Dispatcher dispatcher(configFor(sink, 4));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(12));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.finished.size() >= 4, LongWaitMs);
    // The connections of the first round carry the next one (kept alive).
    const QList<int> noDelay = noDelayOfSocketsTo(sink.port());
    QVERIFY(!noDelay.isEmpty());
    for (int value : noDelay)
        QVERIFY(value != 0);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 12, LongWaitMs);
}

void TestDispatcher::invalidItemIsNotSent()
{
    TestSink sink;
    Dispatcher dispatcher(configFor(sink, 2));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    QList<Item> items = makeItems(3);
    items[1].error = QStringLiteral("column 'name' missing");
    items[1].payload.clear();
    dispatcher.submit(items);
    QTRY_COMPARE(recorder.finished.size(), 3);
    const ItemResult invalid = recorder.resultFor(1);
    QCOMPARE(invalid.status, ItemStatus::Invalid);
    QCOMPARE(invalid.error, QStringLiteral("column 'name' missing"));
    QCOMPARE(invalid.attempts, 0);
    QTRY_COMPARE(sink.requestCount(), 2);
    QVERIFY(requestsFor(sink, 1).isEmpty());
}

void TestDispatcher::pauseAndResume()
{
    TestSink sink;
    sink.setDefaultDelayMs(100);
    Dispatcher dispatcher(configFor(sink, 4));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    constexpr int Count = 40;
    dispatcher.submit(makeItems(Count));
    QTRY_VERIFY(sink.requestCount() >= 4);
    dispatcher.pause();
    QVERIFY(dispatcher.isPaused());
    // What was in flight completes; nothing new starts.
    QTRY_COMPARE(dispatcher.inFlight(), 0);
    const int sentWhilePaused = sink.requestCount();
    QVERIFY(sentWhilePaused < Count);
    QCOMPARE(recorder.finished.size(), sentWhilePaused);
    QTest::qWait(400); // several server round trips: any request started now would show
    QCOMPARE(sink.requestCount(), sentWhilePaused);
    QCOMPARE(dispatcher.backlog(), Count - sentWhilePaused);
    QCOMPARE(recorder.idle, 0); // paused with a backlog is not idle

    dispatcher.resume();
    QVERIFY(!dispatcher.isPaused());
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), Count, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, Count));
    QCOMPARE(sink.requestCount(), Count);
    QTRY_COMPARE(recorder.idle, 1);
}

void TestDispatcher::cancelReportsEveryItemOnce()
{
    TestSink sink;
    sink.setDefaultDelayMs(400);
    constexpr int Concurrency = 8;
    Dispatcher dispatcher(configFor(sink, Concurrency));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    constexpr int Count = 100;
    dispatcher.submit(makeItems(Count));
    QTRY_COMPARE(sink.inFlight(), Concurrency);
    QCOMPARE(dispatcher.inFlight(), Concurrency);

    dispatcher.cancel();
    QVERIFY(dispatcher.isCancelled());
    // Synchronous: everything is reported before cancel() returns.
    QCOMPARE(recorder.finished.size(), Count);
    QVERIFY(recorder.eachOnce(0, Count));
    QCOMPARE(recorder.idle, 1);
    QCOMPARE(dispatcher.inFlight(), 0);
    QCOMPARE(dispatcher.backlog(), 0);
    const QString whileSending
        = QStringLiteral("cancelled while sending: the server may have received it");
    int sending = 0;
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.payload, payloadFor(result.id));
        QVERIFY(result.cancelled); // the server decided nothing about any of them
        if (result.error == whileSending) {
            ++sending;
            QCOMPARE(result.attempts, 1);
            QCOMPARE(result.requestId,
                     requestsFor(sink, result.id).value(0).header("X-Request-ID"));
        } else {
            QCOMPARE(result.error, QStringLiteral("cancelled"));
            QCOMPARE(result.attempts, 0);
        }
    }
    QCOMPARE(sending, Concurrency);

    // The aborts reach the server; nothing else is sent or reported later.
    QTRY_COMPARE(sink.inFlight(), 0);
    QTest::qWait(600);
    QCOMPARE(recorder.finished.size(), Count);
    QCOMPARE(sink.requestCount(), Concurrency);
    QCOMPARE(sink.deliveredCount(), 0);
    QCOMPARE(recorder.idle, 1);
}

void TestDispatcher::cancelWhileWaitingToRetry()
{
    TestSink sink;
    sink.setHandler([](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.status = 503;
        return reply;
    });
    DispatchConfig config = configFor(sink, 4);
    config.retry.baseDelayMs = 60000;
    config.retry.maxDelayMs = 60000;
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(3));
    const auto allWaiting = [&recorder] {
        for (qint64 id = 0; id < 3; ++id) {
            const QList<QPair<ItemStatus, int>> statuses = recorder.statuses.value(id);
            if (statuses.isEmpty() || statuses.last() != qMakePair(ItemStatus::Retrying, 1))
                return false;
        }
        return true;
    };
    QTRY_VERIFY(allWaiting());
    QCOMPARE(dispatcher.inFlight(), 0);
    QCOMPARE(dispatcher.backlog(), 3); // all three waiting to retry
    dispatcher.cancel();
    QCOMPARE(recorder.finished.size(), 3);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.error, QStringLiteral("cancelled"));
        QCOMPARE(result.attempts, 1);
    }
}

void TestDispatcher::submitAfterCancel()
{
    TestSink sink;
    Dispatcher dispatcher(configFor(sink, 2));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.cancel();
    QCOMPARE(recorder.idle, 0); // nothing was submitted: nothing to report
    dispatcher.submit(makeItems(5));
    QCOMPARE(recorder.finished.size(), 0); // submit() never emits
    QTRY_COMPARE(recorder.finished.size(), 5);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.error, QStringLiteral("cancelled"));
    }
    QTRY_COMPARE(recorder.idle, 1);
    QCOMPARE(sink.requestCount(), 0);
}

void TestDispatcher::destroyMidRun_data()
{
    QTest::addColumn<QString>("when");
    QTest::newRow("right after construction") << QStringLiteral("constructed");
    QTest::newRow("right after submit") << QStringLiteral("submitted");
    QTest::newRow("with requests in flight") << QStringLiteral("inflight");
    QTest::newRow("paused with requests in flight") << QStringLiteral("paused");
    QTest::newRow("after cancel") << QStringLiteral("cancelled");
}

void TestDispatcher::destroyMidRun()
{
    QFETCH(QString, when);
    TestSink sink;
    sink.setDefaultDelayMs(300);
    auto dispatcher = std::make_unique<Dispatcher>(configFor(sink, 16));
    Recorder recorder;
    recorder.attach(dispatcher.get(), this);
    if (when != QLatin1String("constructed"))
        dispatcher->submit(makeItems(200));
    if (when == QLatin1String("inflight") || when == QLatin1String("paused")
        || when == QLatin1String("cancelled")) {
        QTRY_COMPARE(sink.inFlight(), 16);
    }
    if (when == QLatin1String("paused"))
        dispatcher->pause();
    if (when == QLatin1String("cancelled"))
        dispatcher->cancel();
    const qsizetype reported = recorder.finished.size();
    dispatcher.reset();
    // Connections were closed by the client: the server's pending answers are abandoned.
    QTRY_COMPARE(sink.inFlight(), 0);
    QTRY_COMPARE(sink.openConnections(), 0);
    QTest::qWait(100);
    QCOMPARE(recorder.finished.size(), reported);
    QCOMPARE(sink.deliveredCount(), 0);
}

void TestDispatcher::backlogLowAndIdle()
{
    TestSink sink;
    sink.setDefaultDelayMs(5);
    Dispatcher dispatcher(configFor(sink, 4));
    QCOMPARE(dispatcher.lowWaterMark(), 64);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    QList<qsizetype> backlogAtLow;
    connect(&dispatcher, &Dispatcher::backlogLow, this,
            [&] { backlogAtLow.append(dispatcher.backlog()); });
    int finishedAtIdle = -1;
    connect(&dispatcher, &Dispatcher::idle, this, [&] {
        finishedAtIdle = int(recorder.finished.size());
        QCOMPARE(dispatcher.backlog(), 0);
        QCOMPARE(dispatcher.inFlight(), 0);
    });

    constexpr int Count = 150;
    dispatcher.submit(makeItems(Count));
    QCOMPARE(recorder.backlogLow, 0); // submit() only queues
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), Count, LongWaitMs);
    QTRY_COMPARE(recorder.idle, 1);
    QCOMPARE(finishedAtIdle, Count);
    QCOMPARE(backlogAtLow.size(), 1); // once per submit
    QVERIFY2(backlogAtLow.first() <= 64 && backlogAtLow.first() >= 64 - 4,
             qPrintable(QString::number(backlogAtLow.first())));

    // A small batch is "low" at once: the producer is asked for more right away.
    dispatcher.submit(makeItems(3, Count));
    QTRY_COMPARE(recorder.backlogLow, 2);
    QTRY_COMPARE(recorder.idle, 2);
    QTest::qWait(50);
    QCOMPARE(recorder.idle, 2);
    QCOMPARE(recorder.backlogLow, 2);
}

void TestDispatcher::producerPulledByBacklogLow()
{
    TestSink sink;
    Dispatcher dispatcher(configFor(sink, 8));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    constexpr int Chunk = 100;
    constexpr int Total = 1000;
    int submitted = 0;
    qsizetype maxBacklog = 0;
    const auto produce = [&] {
        if (submitted >= Total)
            return;
        dispatcher.submit(makeItems(Chunk, submitted));
        submitted += Chunk;
        maxBacklog = std::max(maxBacklog, dispatcher.backlog());
    };
    connect(&dispatcher, &Dispatcher::backlogLow, this, produce);
    produce();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), Total, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, Total));
    QCOMPARE(sink.requestCount(), Total);
    QTRY_COMPARE(recorder.idle, 1);
    QVERIFY2(maxBacklog <= Chunk + dispatcher.lowWaterMark(),
             qPrintable(QString::number(maxBacklog)));
}

void TestDispatcher::conflictAfterLostAnswer_data()
{
    QTest::addColumn<QString>("success"); // empty: not set
    QTest::addColumn<QString>("retry");
    QTest::addColumn<ItemStatus>("status");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<bool>("noted");
    // The first attempt of each item times out (its answer is lost), every later one is 409.
    QTest::newRow("default: delivered by the lost attempt")
        << QString() << QString() << ItemStatus::Delivered << 2 << true;
    QTest::newRow("409 in successStatuses: delivered, the steward's rule")
        << QStringLiteral("2xx, 409") << QString() << ItemStatus::Delivered << 2 << false;
    QTest::newRow("409 in retryStatuses: retried, then failed")
        << QString() << QStringLiteral("409, 5xx") << ItemStatus::Failed << 3 << false;
}

void TestDispatcher::conflictAfterLostAnswer()
{
    QFETCH(QString, success);
    QFETCH(QString, retry);
    QFETCH(ItemStatus, status);
    QFETCH(int, attempts);
    QFETCH(bool, noted);
    TestSink sink;
    auto seen = std::make_shared<QSet<QString>>();
    sink.setHandler([seen](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (!seen->contains(request.jsonId)) {
            // The request arrives and is stored, but the answer comes too late.
            seen->insert(request.jsonId);
            reply.delayMs = 5000;
            return reply;
        }
        reply.status = 409;
        reply.body = QByteArrayLiteral("{\"error\":\"conflict\"}");
        return reply;
    });
    DispatchConfig config = configFor(sink, 2);
    config.timeoutMs = 300;
    config.retry.maxRetries = 2;
    if (!success.isEmpty())
        config.statuses.success = statusListFromText(success, nullptr);
    if (!retry.isEmpty())
        config.statuses.retry = statusListFromText(retry, nullptr);
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(2));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 2, LongWaitMs);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, status);
        QCOMPARE(result.attempts, attempts);
        QCOMPARE(result.httpStatus, 409);
        QVERIFY(!result.cancelled);
        if (noted) {
            QVERIFY2(result.note.startsWith(
                         QStringLiteral("delivered by an earlier attempt whose answer was lost "
                                        "(the server answered HTTP 409")),
                     qPrintable(result.note));
            QVERIFY(result.error.isEmpty());
        } else {
            QCOMPARE(result.note, QString());
        }
    }
}

void TestDispatcher::conflictWithoutLostAnswerFails()
{
    // A 409 to a first attempt is someone else's item: a failure, as before.
    TestSink sink;
    sink.setHandler([](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.status = 409;
        return reply;
    });
    Dispatcher dispatcher(configFor(sink, 2));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(2));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 2, LongWaitMs);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.attempts, 1);
        QVERIFY(result.error.startsWith(QStringLiteral("HTTP 409")));
        QCOMPARE(result.note, QString());
    }
}

void TestDispatcher::conflictForItemThatMayHaveArrived()
{
    // An item an earlier run or retry sent unanswered (submit()'s mayHaveArrived).
    TestSink sink;
    sink.setHandler([](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.status = 409;
        return reply;
    });
    Dispatcher dispatcher(configFor(sink, 2));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(2), {1});
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 2, LongWaitMs);
    QCOMPARE(recorder.resultFor(0).status, ItemStatus::Failed);
    const ItemResult arrived = recorder.resultFor(1);
    QCOMPARE(arrived.status, ItemStatus::Delivered);
    QCOMPARE(arrived.attempts, 1);
    QVERIFY(arrived.note.startsWith(QStringLiteral("delivered by an earlier attempt")));
}

void TestDispatcher::statusClassesDecide_data()
{
    QTest::addColumn<QString>("success");
    QTest::addColumn<QString>("retry");
    QTest::addColumn<int>("answer"); // the status of every first attempt; later ones 201
    QTest::addColumn<ItemStatus>("status");
    QTest::addColumn<int>("attempts");
    QTest::newRow("422 delivered")
        << QStringLiteral("2xx, 422") << QString() << 422 << ItemStatus::Delivered << 1;
    QTest::newRow("422 retried") << QString() << QStringLiteral("422") << 422
                                 << ItemStatus::Delivered << 2;
    QTest::newRow("503 not retried")
        << QString() << QStringLiteral("429") << 503 << ItemStatus::Failed << 1;
    QTest::newRow("202 not delivered")
        << QStringLiteral("200, 201") << QString() << 202 << ItemStatus::Failed << 1;
    QTest::newRow("default 422 fails") << QString() << QString() << 422 << ItemStatus::Failed << 1;
}

void TestDispatcher::statusClassesDecide()
{
    QFETCH(QString, success);
    QFETCH(QString, retry);
    QFETCH(int, answer);
    QFETCH(ItemStatus, status);
    QFETCH(int, attempts);
    TestSink sink;
    TestSink::Reply first;
    first.status = answer;
    sink.setHandler(failFirstAttempts(1, first));
    DispatchConfig config = configFor(sink, 2);
    if (!success.isEmpty())
        config.statuses.success = statusListFromText(success, nullptr);
    if (!retry.isEmpty())
        config.statuses.retry = statusListFromText(retry, nullptr);
    Dispatcher dispatcher(config);
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(3));
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 3, LongWaitMs);
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        QCOMPARE(result.status, status);
        QCOMPARE(result.attempts, attempts);
        QCOMPARE(result.httpStatus, attempts == 1 ? answer : 201);
    }
}

void TestDispatcher::idempotencyKeyOnEveryAttempt()
{
    TestSink sink;
    TestSink::Reply unavailable;
    unavailable.status = 503;
    sink.setHandler(failFirstAttempts(1, unavailable));
    Dispatcher dispatcher(configFor(sink, 2));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    QList<Item> items = makeItems(3);
    items[0].idempotencyKey = "sensor-0";
    items[1].idempotencyKey = "sensor-1"; // item 2 has none
    dispatcher.submit(items);
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 3, LongWaitMs);
    for (qint64 id = 0; id < 3; ++id) {
        QCOMPARE(recorder.resultFor(id).status, ItemStatus::Delivered);
        const QList<TestSink::Request> sent = requestsFor(sink, id);
        QCOMPARE(requestIds(sent).size(), 2); // the first attempt and the retry
        for (const TestSink::Request &request : sent) {
            const bool hasHeader = std::any_of(
                request.headers.cbegin(), request.headers.cend(), [](const TestSink::Header &h) {
                    return h.first.compare("Idempotency-Key", Qt::CaseInsensitive) == 0;
                });
            QCOMPARE(hasHeader, id != 2);
            QCOMPARE(request.header("Idempotency-Key"),
                     id == 2 ? QByteArray() : QByteArray("sensor-") + QByteArray::number(id));
        }
    }
}

void TestDispatcher::stopLetsRequestsInFlightFinish()
{
    TestSink sink;
    sink.setDefaultDelayMs(300);
    constexpr int Concurrency = 2;
    Dispatcher dispatcher(configFor(sink, Concurrency));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    constexpr int Count = 10;
    dispatcher.submit(makeItems(Count));
    QTRY_COMPARE(sink.inFlight(), Concurrency);

    dispatcher.stop();
    QVERIFY(dispatcher.isStopping());
    QVERIFY(!dispatcher.isCancelled());
    QCOMPARE(recorder.finished.size(), 0); // reported from the event loop
    QTRY_COMPARE_WITH_TIMEOUT(recorder.idle, 1, LongWaitMs);
    QVERIFY(recorder.eachOnce(0, Count));
    int delivered = 0;
    for (const ItemResult &result : std::as_const(recorder.finished)) {
        if (result.status == ItemStatus::Delivered) {
            ++delivered;
            QVERIFY(!result.cancelled);
            continue;
        }
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.error, QStringLiteral("cancelled"));
        QVERIFY(result.cancelled);
        QCOMPARE(result.attempts, 0);
        QVERIFY(!result.mayHaveArrived);
    }
    // The requests in flight were answered, not aborted; nothing else went out.
    QCOMPARE(delivered, Concurrency);
    QCOMPARE(sink.requestCount(), Concurrency);
    QCOMPARE(sink.deliveredCount(), Concurrency);

    // Items submitted afterwards are not sent either.
    dispatcher.submit(makeItems(2, 100));
    QTRY_COMPARE(recorder.finished.size(), Count + 2);
    QVERIFY(recorder.resultFor(101).cancelled);
    QCOMPARE(sink.requestCount(), Concurrency);
}

void TestDispatcher::stopCancelsWhatWouldBeRetried()
{
    TestSink sink;
    sink.setHandler([](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.status = 503;
        reply.delayMs = 300;
        return reply;
    });
    Dispatcher dispatcher(configFor(sink, 1));
    Recorder recorder;
    recorder.attach(&dispatcher, this);
    dispatcher.submit(makeItems(1));
    QTRY_COMPARE(sink.inFlight(), 1);
    dispatcher.stop();
    QTRY_COMPARE_WITH_TIMEOUT(recorder.finished.size(), 1, LongWaitMs);
    const ItemResult result = recorder.finished.first();
    QCOMPARE(result.status, ItemStatus::Failed);
    QVERIFY(result.cancelled);
    QCOMPARE(result.attempts, 1);
    QVERIFY2(result.error.startsWith(
                 QStringLiteral("cancelled: the run stopped before retrying (HTTP 503")),
             qPrintable(result.error));
    QTRY_COMPARE(recorder.idle, 1);
    QCOMPARE(sink.requestCount(), 1);
}

QTEST_GUILESS_MAIN(TestDispatcher)
#include "tst_dispatcher.moc"
