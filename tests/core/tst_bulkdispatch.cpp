// SPDX-License-Identifier: GPL-3.0-or-later
// The dispatcher in the bulk modes: batches bounded by items and bytes, one result per item
// from the answer, retries of only the items that may be retried, and a CouchDB conflict
// after a lost answer counted as delivered.
#include <memory>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include "net/dispatcher.h"
#include "testsink.h"

using namespace sluice;

namespace {

constexpr int LongWaitMs = 30000;

QList<Item> makeItems(int count, qint64 firstId = 0)
{
    QList<Item> items;
    for (qint64 id = firstId; id < firstId + count; ++id) {
        Item item;
        item.id = id;
        item.key = QStringLiteral("k%1").arg(id);
        item.payload
            = QStringLiteral("{\"id\":%1,\"price\":12.50,\"name\":\"Müller\"}").arg(id).toUtf8();
        items.append(item);
    }
    return items;
}

DispatchConfig bulkConfig(const TestSink &sink, TargetMode mode, int batchSize, int concurrency = 2)
{
    DispatchConfig config;
    config.url = sink.url(QStringLiteral("/bulk")).toString();
    config.concurrency = concurrency;
    config.timeoutMs = 10000;
    config.retry.baseDelayMs = 10;
    config.retry.maxDelayMs = 50;
    config.mode = mode;
    config.keyed = true;
    config.batchSize = batchSize;
    return config;
}

struct Results
{
    QHash<qint64, ItemResult> byId;
    int reports = 0;
    qsizetype maxItemsInFlight = 0;

    void attach(Dispatcher *dispatcher, QObject *context)
    {
        QObject::connect(dispatcher, &Dispatcher::itemFinished, context,
                         [this](const ItemResult &result) {
                             ++reports;
                             byId.insert(result.id, result);
                         });
        QObject::connect(dispatcher, &Dispatcher::itemStatusChanged, context,
                         [this, dispatcher](qint64, ItemStatus, int) {
                             maxItemsInFlight
                                 = std::max(maxItemsInFlight, dispatcher->itemsInFlight());
                         });
    }
};

/// The documents of an Elasticsearch bulk body: (action line, document line) pairs.
QList<QPair<QJsonObject, QJsonObject>> esOperations(const QByteArray &body)
{
    QList<QPair<QJsonObject, QJsonObject>> operations;
    const QList<QByteArray> lines = body.split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); i += 2) {
        operations.append({QJsonDocument::fromJson(lines.at(i)).object(),
                           QJsonDocument::fromJson(lines.at(i + 1)).object()});
    }
    return operations;
}

QByteArray esAnswer(const QList<int> &statuses)
{
    QJsonArray items;
    bool errors = false;
    for (int status : statuses) {
        QJsonObject result {{QStringLiteral("status"), status}};
        if (status >= 300) {
            errors = true;
            result.insert(
                QStringLiteral("error"),
                QJsonObject {{QStringLiteral("type"),
                              status == 429 ? QStringLiteral("es_rejected_execution_exception")
                                            : QStringLiteral("mapper_parsing_exception")},
                             {QStringLiteral("reason"), QStringLiteral("failed to parse")}});
        }
        items.append(QJsonObject {{QStringLiteral("index"), result}});
    }
    return QJsonDocument(QJsonObject {{QStringLiteral("took"), 1},
                                      {QStringLiteral("errors"), errors},
                                      {QStringLiteral("items"), items}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestBulkDispatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonArrayBatchesCarryEveryItemOnce();
    void batchBytesCutsBatches();
    void ndjsonIsOneItemPerLine();
    void wholeRequestFailureRetriesEachItem();
    void elasticsearchStatusPerItem();
    void unreadableAnswerFailsTheItems();
    void couchConflictAfterLostAnswerIsDelivered();
    void couchConflictOtherwiseFails();
    void lastPartialBatchGoesWhenHoldingEnds();
};

void TestBulkDispatch::jsonArrayBatchesCarryEveryItemOnce()
{
    TestSink sink;
    Dispatcher dispatcher(bulkConfig(sink, TargetMode::JsonArray, 100));
    QCOMPARE(dispatcher.itemsPerRequest(), 100);
    Results results;
    results.attach(&dispatcher, this);
    constexpr int Count = 1050;
    dispatcher.submit(makeItems(Count));
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, Count, LongWaitMs);

    QSet<int> seen;
    for (const TestSink::Request &request : sink.requests()) {
        QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
        const QJsonArray array = QJsonDocument::fromJson(request.body).array();
        QVERIFY(!array.isEmpty());
        QVERIFY(array.size() <= 100);
        // Every item exactly as written: 12.50 stays 12.50.
        QVERIFY(request.body.contains("\"price\":12.50"));
        for (const QJsonValue &value : array) {
            const int id = value.toObject().value(QStringLiteral("id")).toInt();
            QVERIFY2(!seen.contains(id), qPrintable(QString::number(id)));
            seen.insert(id);
        }
    }
    QCOMPARE(seen.size(), Count);
    QCOMPARE(sink.requestCount(), 11); // 10 full batches and the rest
    QCOMPARE(results.byId.size(), Count);
    for (const ItemResult &result : std::as_const(results.byId)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.httpStatus, 201);
        QCOMPARE(result.attempts, 1);
    }
    QVERIFY(results.maxItemsInFlight > 100); // items, not requests, are counted
    QVERIFY(results.maxItemsInFlight <= 200);
}

void TestBulkDispatch::batchBytesCutsBatches()
{
    TestSink sink;
    DispatchConfig config = bulkConfig(sink, TargetMode::JsonArray, 1000);
    config.batchBytes = 1024;
    Dispatcher dispatcher(config);
    Results results;
    results.attach(&dispatcher, this);
    QList<Item> items = makeItems(200);
    items[7].payload = "{\"id\":7,\"blob\":\"" + QByteArray(3000, 'x') + "\"}"; // alone
    dispatcher.submit(items);
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, 200, LongWaitMs);
    int alone = 0;
    for (const TestSink::Request &request : sink.requests()) {
        if (request.body.size() > 1024) {
            ++alone;
            QCOMPARE(QJsonDocument::fromJson(request.body).array().size(), 1);
        }
    }
    QCOMPARE(alone, 1);
    QVERIFY(sink.requestCount() >= 200 * 45 / 1024);
    for (const ItemResult &result : std::as_const(results.byId))
        QCOMPARE(result.status, ItemStatus::Delivered);
}

void TestBulkDispatch::ndjsonIsOneItemPerLine()
{
    TestSink sink;
    Dispatcher dispatcher(bulkConfig(sink, TargetMode::Ndjson, 50));
    Results results;
    results.attach(&dispatcher, this);
    dispatcher.submit(makeItems(120));
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, 120, LongWaitMs);
    int lines = 0;
    for (const TestSink::Request &request : sink.requests()) {
        QCOMPARE(request.header("Content-Type"), QByteArray("application/x-ndjson"));
        QVERIFY(request.body.endsWith('\n'));
        for (const QByteArray &line : request.body.split('\n')) {
            if (line.isEmpty())
                continue;
            QVERIFY(QJsonDocument::fromJson(line).isObject());
            ++lines;
        }
    }
    QCOMPARE(lines, 120);
}

void TestBulkDispatch::wholeRequestFailureRetriesEachItem()
{
    TestSink sink;
    auto count = std::make_shared<int>(0);
    sink.setHandler([count](const TestSink::Request &) {
        TestSink::Reply reply;
        if (++*count == 1) {
            reply.status = 500;
            reply.body = "{\"error\":\"overloaded\"}";
        }
        return reply;
    });
    Dispatcher dispatcher(bulkConfig(sink, TargetMode::JsonArray, 10, 1));
    Results results;
    results.attach(&dispatcher, this);
    dispatcher.submit(makeItems(30));
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, 30, LongWaitMs);
    int retried = 0;
    for (const ItemResult &result : std::as_const(results.byId)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        retried += result.attempts == 2 ? 1 : 0;
    }
    QCOMPARE(retried, 10); // the first batch's items, each once more
}

void TestBulkDispatch::elasticsearchStatusPerItem()
{
    TestSink sink;
    auto rejected = std::make_shared<QSet<QString>>();
    sink.setHandler([rejected](const TestSink::Request &request) {
        QList<int> statuses;
        for (const auto &[action, document] : esOperations(request.body)) {
            const QString id = action.value(QStringLiteral("index"))
                                   .toObject()
                                   .value(QStringLiteral("_id"))
                                   .toString();
            const int n = document.value(QStringLiteral("id")).toInt();
            if (id != QStringLiteral("k%1").arg(n))
                statuses.append(418); // the _id must be the item's key
            else if (n % 5 == 0)
                statuses.append(400);
            else if (n % 7 == 0 && !rejected->contains(id)) {
                rejected->insert(id);
                statuses.append(429);
            } else
                statuses.append(201);
        }
        TestSink::Reply reply;
        reply.status = 200;
        reply.body = esAnswer(statuses);
        return reply;
    });
    Dispatcher dispatcher(bulkConfig(sink, TargetMode::ElasticsearchBulk, 25));
    Results results;
    results.attach(&dispatcher, this);
    constexpr int Count = 100;
    dispatcher.submit(makeItems(Count, 1));
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, Count, LongWaitMs);
    QCOMPARE(results.byId.size(), Count);
    for (const ItemResult &result : std::as_const(results.byId)) {
        const qint64 n = result.id;
        if (n % 5 == 0) {
            QCOMPARE(result.status, ItemStatus::Failed);
            QCOMPARE(result.httpStatus, 400);
            QCOMPARE(result.attempts, 1); // a 400 is not retried
            QVERIFY2(result.error.contains(u"mapper_parsing_exception"), qPrintable(result.error));
            QVERIFY(result.payload.startsWith("{\"id\":"));
        } else if (n % 7 == 0) {
            QCOMPARE(result.status, ItemStatus::Delivered);
            QCOMPARE(result.attempts, 2); // the 429 was retried, alone of its batch
        } else {
            QCOMPARE(result.status, ItemStatus::Delivered);
            QCOMPARE(result.httpStatus, 201);
            QCOMPARE(result.attempts, 1);
        }
    }
    // Only the rejected items went again: 100 + the 429s (7, 14, ... but not 35, 70).
    int documents = 0;
    for (const TestSink::Request &request : sink.requests()) {
        QCOMPARE(request.header("Content-Type"), QByteArray("application/x-ndjson"));
        documents += int(esOperations(request.body).size());
    }
    QCOMPARE(documents, Count + 12);
}

void TestBulkDispatch::unreadableAnswerFailsTheItems()
{
    TestSink sink;
    sink.setHandler([](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.status = 200;
        reply.body = "<html>proxy says hello</html>";
        return reply;
    });
    DispatchConfig config = bulkConfig(sink, TargetMode::ElasticsearchBulk, 10);
    Dispatcher dispatcher(config);
    Results results;
    results.attach(&dispatcher, this);
    dispatcher.submit(makeItems(10));
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, 10, LongWaitMs);
    for (const ItemResult &result : std::as_const(results.byId)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.attempts, 1);
        QVERIFY2(result.error.contains(u"cannot be read per item"), qPrintable(result.error));
        QVERIFY(!result.payload.isEmpty()); // kept, to be retried by hand
    }
}

void TestBulkDispatch::couchConflictAfterLostAnswerIsDelivered()
{
    TestSink sink;
    auto stored = std::make_shared<QSet<QString>>();
    auto arrivals = std::make_shared<int>(0);
    sink.setHandler([stored, arrivals](const TestSink::Request &request) {
        QJsonArray answer;
        const QJsonArray docs = QJsonDocument::fromJson(request.body)
                                    .object()
                                    .value(QStringLiteral("docs"))
                                    .toArray();
        for (const QJsonValue &doc : docs) {
            const QString id = doc.toObject().value(QStringLiteral("_id")).toString();
            if (stored->contains(id)) {
                answer.append(QJsonObject {
                    {QStringLiteral("id"), id},
                    {QStringLiteral("error"), QStringLiteral("conflict")},
                    {QStringLiteral("reason"), QStringLiteral("Document update conflict.")}});
            } else {
                stored->insert(id);
                answer.append(QJsonObject {{QStringLiteral("ok"), true},
                                           {QStringLiteral("id"), id},
                                           {QStringLiteral("rev"), QStringLiteral("1-abc")}});
            }
        }
        TestSink::Reply reply;
        // The documents are stored, but the first two answers never reach the client (Qt
        // may re-send the first attempt once by itself, with the same request id).
        reply.dropConnection = ++*arrivals <= 2;
        reply.body = QJsonDocument(answer).toJson(QJsonDocument::Compact);
        return reply;
    });
    DispatchConfig config = bulkConfig(sink, TargetMode::CouchdbBulk, 10, 1);
    config.retry.maxRetries = 3;
    Dispatcher dispatcher(config);
    Results results;
    results.attach(&dispatcher, this);
    dispatcher.submit(makeItems(10));
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, 10, LongWaitMs);
    QCOMPARE(stored->size(), 10);
    for (const ItemResult &result : std::as_const(results.byId)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        QVERIFY(result.attempts >= 2);
        QVERIFY2(result.note.contains(u"earlier attempt"), qPrintable(result.note));
        QVERIFY(result.error.isEmpty());
    }
}

void TestBulkDispatch::couchConflictOtherwiseFails()
{
    TestSink sink;
    sink.setHandler([](const TestSink::Request &request) {
        QJsonArray answer;
        const QJsonArray docs = QJsonDocument::fromJson(request.body)
                                    .object()
                                    .value(QStringLiteral("docs"))
                                    .toArray();
        for (const QJsonValue &doc : docs) {
            const QString id = doc.toObject().value(QStringLiteral("_id")).toString();
            answer.append(QJsonObject {
                {QStringLiteral("id"), id},
                {QStringLiteral("error"), QStringLiteral("conflict")},
                {QStringLiteral("reason"), QStringLiteral("Document update conflict.")}});
        }
        TestSink::Reply reply;
        reply.body = QJsonDocument(answer).toJson(QJsonDocument::Compact);
        return reply;
    });
    Dispatcher dispatcher(bulkConfig(sink, TargetMode::CouchdbBulk, 5, 1));
    Results results;
    results.attach(&dispatcher, this);
    dispatcher.submit(makeItems(5));
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, 5, LongWaitMs);
    // Someone else's document with that id: a conflict the steward must see.
    for (const ItemResult &result : std::as_const(results.byId)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.httpStatus, 409);
        QCOMPARE(result.attempts, 1);
        QVERIFY2(result.error.contains(u"conflict"), qPrintable(result.error));
    }
}

void TestBulkDispatch::lastPartialBatchGoesWhenHoldingEnds()
{
    TestSink sink;
    sink.setDefaultDelayMs(300);
    Dispatcher dispatcher(bulkConfig(sink, TargetMode::JsonArray, 10, 2));
    dispatcher.setHoldPartialBatches(true);
    Results results;
    results.attach(&dispatcher, this);
    dispatcher.submit(makeItems(13));
    // The full batch goes; the 3 left wait for more while it is out...
    QTRY_COMPARE_WITH_TIMEOUT(dispatcher.inFlight(), 1, LongWaitMs);
    QTest::qWait(50);
    QCOMPARE(dispatcher.inFlight(), 1);
    QCOMPARE(dispatcher.backlog(), 3);
    // ...until the producer says nothing more is coming.
    dispatcher.setHoldPartialBatches(false);
    QTRY_COMPARE_WITH_TIMEOUT(dispatcher.inFlight(), 2, LongWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(results.reports, 13, LongWaitMs);
    QCOMPARE(sink.requestCount(), 2);
}

QTEST_GUILESS_MAIN(TestBulkDispatch)
#include "tst_bulkdispatch.moc"
