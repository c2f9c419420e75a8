// SPDX-License-Identifier: GPL-3.0-or-later
// TransferRun in the bulk modes, in one process: a real SQLite file, the real transform and
// dispatcher, and the demo API (src/demoapi, Qt HttpServer on 127.0.0.1) storing what arrives:
// elasticsearch-bulk to /<c>/_bulk (index, then create: conflicts), json-array to POST /<c>,
// and retry() of failed items after the run, which go out in batches again.

#include "demoapiserver.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include "models/failuregroupmodel.h"
#include "models/transferstatusmodel.h"
#include "spec/transferspec.h"
#include "transfer/transferrun.h"
#include "json/jsonreader.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

constexpr int RowCount = 1000;
constexpr int TableRows = 3001; ///< the table's rows; a run takes the first RowCount unless told
constexpr int InfiniteRow = 500; ///< its price is infinite: the item is Invalid
constexpr int LongWaitMs = 60000;

/// The payload the template makes of row id, worked out here (not by Sluice's writer): REALs
/// in their shortest form with ".0" when integral, the template's 12.50 as written.
QByteArray expectedPayload(int id)
{
    const double price = id * 0.25;
    QByteArray priceText = QByteArray::number(price, 'g', 17);
    if (std::floor(price) == price)
        priceText = QByteArray::number(qint64(price)) + ".0";
    // No raw string literals here: moc misreads one that holds a backslash before a quote.
    return "{\"id\":" + QByteArray::number(id) + ",\"name\":\"Müller \\\"" + QByteArray::number(id)
        + "\\\"\",\"price\":" + priceText + ",\"list\":12.50}";
}

QString keyOf(int id)
{
    return u"k-"_s + QString::number(id);
}

/// Collects what a run reports and checks, at every result, that the counts add up: every item
/// read is in exactly one of queued, sending, retrying and finished.
struct RunRecorder
{
    explicit RunRecorder(TransferRun *run)
    {
        QObject::connect(run, &TransferRun::itemFinished, run,
                         [this, run](const ItemResult &result) {
                             ++reports[result.id];
                             results.insert(result.id, result);
                             const RunCounts c = run->counts();
                             if (c.read - c.finished() - c.sending - c.retrying < 0)
                                 countsBroken = true;
                             maxSending = std::max(maxSending, c.sending);
                         });
        QObject::connect(run, &TransferRun::finished, run,
                         [this](TransferRun::Outcome o, const QString &m) {
                             outcome = o;
                             message = m;
                         });
    }

    /// Ready for the next run of the same TransferRun (retry).
    void reset()
    {
        outcome.reset();
        message.clear();
    }

    QHash<qint64, int> reports;
    QHash<qint64, ItemResult> results;
    std::optional<TransferRun::Outcome> outcome;
    QString message;
    bool countsBroken = false;
    qint64 maxSending = 0;
};

/// What failed, ready for TransferRun::retry().
QList<Item> failedItems(const RunRecorder &recorder)
{
    QList<Item> items;
    for (const ItemResult &result : recorder.results) {
        if (result.status == ItemStatus::Failed)
            items.append(Item {result.id, result.key, result.payload, result.url, {}});
    }
    return items;
}

} // namespace

class TestBulkRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void elasticsearchIndexStoresEveryRowUnderItsKey();
    void elasticsearchCreateConflictsThenRetryDelivers();
    void jsonArrayToTheCollection();
    void wholeRequestFailuresRetriedAfterTheRun();
    void automaticRetriesOfABatchGoTogether();
    void couchRetryAfterCancelKnowsWhatMayBeStored();

private:
    TransferSpec makeSpec(TargetMode mode, const QString &path, int rows = RowCount);
    /// Sends a request to the demo API; its HTTP status, -1 without an answer.
    int send(const QByteArray &verb, const QString &path, const QByteArray &body = {});
    /// The documents of collection as their stored JSON text, by id.
    QHash<QString, QByteArray> storedSources(const QString &collection);

    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<DemoApiServer> m_server;
    QNetworkAccessManager m_nam;
};

void TestBulkRun::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_nam.setProxy(QNetworkProxy::NoProxy);
    m_server = std::make_unique<DemoApiServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QList<QVariantList> rows;
    for (int id = 1; id <= TableRows; ++id) {
        const double price
            = id == InfiniteRow ? std::numeric_limits<double>::infinity() : id * 0.25;
        rows.append({id, u"Müller \"%1\""_s.arg(id), price});
    }
    QString error;
    m_db = SqliteFixture::create(
        m_dir.path(), u"bulk.db"_s,
        {u"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, price REAL)"_s}, u"t"_s, rows,
        &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

void TestBulkRun::init()
{
    m_server->clear();
}

TransferSpec TestBulkRun::makeSpec(TargetMode mode, const QString &path, int rows)
{
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = m_db;
    spec.query.sql = u"SELECT id, name, price FROM t WHERE id <= :n ORDER BY id"_s;
    spec.query.parameters.insert(u"n"_s, rows);
    spec.transform.present = true;
    spec.transform.key = u"k-{{id}}"_s;
    spec.transform.templ = R"({"id":"{{id}}","name":"{{name}}","price":"{{price}}","list":12.50})";
    spec.target.url = u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path);
    spec.target.mode = mode;
    spec.target.batchSize = 100;
    spec.run.chunkSize = 250;
    spec.run.concurrency = 4;
    spec.run.maxRetries = 0;
    return spec;
}

int TestBulkRun::send(const QByteArray &verb, const QString &path, const QByteArray &body)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(request, verb, body));
    QElapsedTimer clock;
    clock.start();
    while (!reply->isFinished() && clock.elapsed() < 10000)
        QTest::qWait(5);
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    return reply->isFinished() && status.isValid() ? status.toInt() : -1;
}

QHash<QString, QByteArray> TestBulkRun::storedSources(const QString &collection)
{
    // The list answer holds the documents as stored, in the order of documentIds().
    QNetworkRequest request(
        QUrl(u"http://127.0.0.1:%1/%2?limit=100000"_s.arg(m_server->port()).arg(collection)));
    std::unique_ptr<QNetworkReply> reply(m_nam.get(request));
    QElapsedTimer clock;
    clock.start();
    while (!reply->isFinished() && clock.elapsed() < 10000)
        QTest::qWait(5);
    const QByteArray body = reply->readAll();
    const QByteArrayView items = findJsonMember(body, {u"items"_s});
    const QStringList ids = m_server->documentIds(collection);
    QHash<QString, QByteArray> sources;
    JsonReader reader(items, JsonReader::Names::Unchecked);
    if (reader.next() != JsonReader::Token::BeginArray)
        return {};
    while (reader.next() == JsonReader::Token::BeginObject) {
        const qsizetype start = reader.offset();
        if (!reader.skipValue() || sources.size() >= ids.size())
            return {};
        sources.insert(ids.at(sources.size()),
                       items.sliced(start, reader.endOffset() - start).toByteArray());
    }
    return sources;
}

void TestBulkRun::elasticsearchIndexStoresEveryRowUnderItsKey()
{
    TransferRun run(makeSpec(TargetMode::ElasticsearchBulk, u"/products/_bulk"_s));
    RunRecorder rec(&run);
    const quint64 requestsBefore = m_server->requestCount();
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QVERIFY2(rec.message.isEmpty(), qPrintable(rec.message));

    const RunCounts c = run.counts();
    QCOMPARE(c.read, RowCount);
    QCOMPARE(c.delivered, RowCount - 1);
    QCOMPARE(c.invalid, 1);
    QCOMPARE(c.failed + c.queued + c.sending + c.retrying, 0);
    QVERIFY(!rec.countsBroken);
    QVERIFY2(rec.maxSending <= 4 * 100, qPrintable(QString::number(rec.maxSending)));
    QCOMPARE(rec.reports.size(), RowCount);
    for (const int n : std::as_const(rec.reports))
        QCOMPARE(n, 1);

    // Batches: at most 100 items a request, so at least 10 requests, and far fewer than items
    // (a partial batch goes early only while nothing else is in flight).
    const quint64 requests = m_server->requestCount() - requestsBefore;
    QVERIFY2(requests >= 10 && requests <= 20, qPrintable(QString::number(requests)));

    const QHash<QString, QByteArray> stored = storedSources(u"products"_s);
    QCOMPARE(stored.size(), RowCount - 1);
    for (int id = 1; id <= RowCount; ++id) {
        const ItemResult result = rec.results.value(id - 1);
        QCOMPARE(result.key, keyOf(id));
        if (id == InfiniteRow) {
            QCOMPARE(result.status, ItemStatus::Invalid);
            QVERIFY2(result.error.contains(u"price"_s), qPrintable(result.error));
            QVERIFY(!stored.contains(keyOf(id)));
            continue;
        }
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.httpStatus, 201); // the item's own status in the answer
        QCOMPARE(result.attempts, 1);
        QVERIFY(result.error.isEmpty());
        QVERIFY(result.note.isEmpty());
        QVERIFY(!result.requestId.isEmpty());
        QCOMPARE(result.payload, expectedPayload(id));
        // Stored under its key, byte for byte as sent: 12.50 stays 12.50.
        QCOMPARE(stored.value(keyOf(id)), expectedPayload(id));
    }
}

void TestBulkRun::elasticsearchCreateConflictsThenRetryDelivers()
{
    // Index once, then create the same documents: every one exists.
    {
        TransferRun first(makeSpec(TargetMode::ElasticsearchBulk, u"/products/_bulk"_s));
        RunRecorder rec(&first);
        first.start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
        QCOMPARE(first.counts().delivered, RowCount - 1);
    }
    TransferSpec spec = makeSpec(TargetMode::ElasticsearchBulk, u"/products/_bulk"_s);
    spec.target.bulkAction = BulkAction::Create;
    spec.run.maxRetries = 2; // a 409 is not retried all the same
    TransferRun run(spec);
    RunRecorder rec(&run);
    // What the Run tab shows of it: one row per item, failures grouped by cause.
    TransferStatusModel items;
    FailureGroupModel groups;
    items.attach(&run);
    groups.attach(&run);
    QAbstractItemModelTester itemsTester(&items,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester groupsTester(&groups,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    RunCounts c = run.counts();
    QCOMPARE(c.failed, RowCount - 1);
    QCOMPARE(c.invalid, 1);
    QCOMPARE(c.delivered + c.queued + c.sending + c.retrying, 0);
    QVERIFY(!rec.countsBroken);
    for (int id = 1; id <= RowCount; ++id) {
        if (id == InfiniteRow)
            continue;
        const ItemResult result = rec.results.value(id - 1);
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.httpStatus, 409);
        QCOMPARE(result.attempts, 1);
        // The server's reason for this item, not the request's status.
        QCOMPARE(result.error,
                 u"HTTP 409: version_conflict_engine_exception: [%1]: version conflict, document "
                 u"already exists"_s.arg(keyOf(id)));
        QCOMPARE(result.payload, expectedPayload(id)); // kept, to be sent again
    }
    QCOMPARE(items.rowCount(), RowCount);
    QCOMPARE(items.count(ItemStatus::Failed), RowCount - 1);
    QCOMPARE(items.count(ItemStatus::Invalid), 1);
    QSet<qint64> ids;
    for (int row = 0; row < items.rowCount(); ++row)
        ids.insert(items.idAt(row));
    QCOMPARE(ids.size(), RowCount);
    QCOMPARE(items.resultAt(items.rowForId(41)).error, rec.results.value(41).error);
    // The reasons name each document, yet it is one cause (and the invalid item another).
    QCOMPARE(groups.rowCount(), 2);
    QCOMPARE(groups.ids(0).size(), RowCount - 1);
    QCOMPARE(groups.summary(0),
             u"%1 × 409: version_conflict_engine_exception: [<key>]: version conflict, document "
             u"already exists"_s.arg(RowCount - 1));
    QCOMPARE(groups.ids(1), QList<qint64> {InfiniteRow - 1});

    // Nothing was replaced.
    QHash<QString, QByteArray> stored = storedSources(u"products"_s);
    QCOMPARE(stored.size(), RowCount - 1);
    QCOMPARE(stored.value(u"k-8"_s), expectedPayload(8));

    // The steward clears the index, but someone writes k-7 meanwhile: retried, every item goes
    // again, in batches, and only k-7 still conflicts.
    QCOMPARE(send("DELETE", u"/products"_s), 200);
    QCOMPARE(send("PUT", u"/products/_doc/k-7"_s, R"({"someone":"else"})"), 201);
    const QList<Item> again = failedItems(rec);
    QCOMPARE(again.size(), RowCount - 1);
    rec.reset();
    const quint64 requestsBefore = m_server->requestCount();
    QCOMPARE(run.retry(again), RowCount - 1);
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    // 999 items in batches of 100: ten requests, not 999.
    QCOMPARE(m_server->requestCount() - requestsBefore, quint64(10));
    c = run.counts();
    QCOMPARE(c.read, RowCount);
    QCOMPARE(c.delivered, RowCount - 2);
    QCOMPARE(c.failed, 1);
    QCOMPARE(c.invalid, 1);
    QCOMPARE(c.queued + c.sending + c.retrying, 0);
    QVERIFY(!rec.countsBroken);
    for (int id = 1; id <= RowCount; ++id) {
        const ItemResult result = rec.results.value(id - 1);
        if (id == InfiniteRow) {
            QCOMPARE(rec.reports.value(id - 1), 1);
            continue;
        }
        QCOMPARE(rec.reports.value(id - 1), 2); // once per run
        QCOMPARE(result.attempts, 2); // attempts count on
        if (id == 7) {
            QCOMPARE(result.status, ItemStatus::Failed);
            QCOMPARE(result.httpStatus, 409);
            continue;
        }
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.httpStatus, 201);
    }
    QCOMPARE(items.count(ItemStatus::Delivered), RowCount - 2);
    QCOMPARE(items.count(ItemStatus::Failed), 1);
    QCOMPARE(groups.rowCount(), 2);
    QCOMPARE(groups.ids(0).size(), 1);
    QCOMPARE(groups.ids(1).size(), 1);
    QCOMPARE(groups.itemCount(), 2);
    stored = storedSources(u"products"_s);
    QCOMPARE(stored.size(), RowCount - 1);
    QCOMPARE(stored.value(u"k-7"_s), QByteArray(R"({"someone":"else"})"));
    QCOMPARE(stored.value(u"k-8"_s), expectedPayload(8));
}

void TestBulkRun::jsonArrayToTheCollection()
{
    // POST /<c> takes an array of objects and stores each under its "id" member.
    TransferRun run(makeSpec(TargetMode::JsonArray, u"/arrays"_s));
    RunRecorder rec(&run);
    const quint64 requestsBefore = m_server->requestCount();
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    const RunCounts c = run.counts();
    QCOMPARE(c.delivered, RowCount - 1);
    QCOMPARE(c.invalid, 1);
    QCOMPARE(c.failed + c.queued + c.sending + c.retrying, 0);
    QVERIFY(!rec.countsBroken);
    const quint64 requests = m_server->requestCount() - requestsBefore;
    QVERIFY2(requests >= 10 && requests <= 20, qPrintable(QString::number(requests)));
    QCOMPARE(m_server->count(u"arrays"_s), RowCount - 1);
    for (int id = 1; id <= RowCount; ++id) {
        const ItemResult result = rec.results.value(id - 1);
        if (id == InfiniteRow) {
            QCOMPARE(result.status, ItemStatus::Invalid);
            continue;
        }
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.httpStatus, 201); // json-array: the request's status for each item
        const QJsonObject stored = m_server->document(u"arrays"_s, QString::number(id));
        // The demo API keeps array items as QJsonDocument writes them: values, not literals.
        QCOMPARE(stored.value("name"_L1).toString(), u"Müller \"%1\""_s.arg(id));
        QCOMPARE(stored.value("price"_L1).toDouble(), id * 0.25);
        QCOMPARE(stored.value("list"_L1).toDouble(), 12.5);
    }
}

void TestBulkRun::wholeRequestFailuresRetriedAfterTheRun()
{
    // The server fails every request: each item of each batch is retried on its own schedule,
    // then fails with the request's status.
    TransferSpec spec = makeSpec(TargetMode::ElasticsearchBulk, u"/fail/503/products/_bulk"_s, 250);
    spec.run.maxRetries = 1;
    RunOptions options;
    options.retry.baseDelayMs = 5;
    options.retry.maxDelayMs = 20;
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(run.counts().failed, 250);
    QVERIFY(!rec.countsBroken);
    for (const ItemResult &result : std::as_const(rec.results)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QCOMPARE(result.httpStatus, 503);
        QCOMPARE(result.attempts, 2);
        QVERIFY2(result.error.startsWith(u"HTTP 503"_s), qPrintable(result.error));
        QVERIFY(!result.payload.isEmpty());
    }
    QCOMPARE(m_server->count(u"products"_s), 0);

    // Fixed: the same items to the real route, in batches again.
    TargetSpec fixed = spec.target;
    fixed.url = u"http://127.0.0.1:%1/products/_bulk"_s.arg(m_server->port());
    QString error;
    QVERIFY2(run.retarget(fixed, spec.run, &error), qPrintable(error));
    rec.reset();
    const quint64 requestsBefore = m_server->requestCount();
    QCOMPARE(run.retry(failedItems(rec)), 250);
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(m_server->requestCount() - requestsBefore, quint64(3));
    QCOMPARE(run.counts().delivered, 250);
    QCOMPARE(run.counts().failed, 0);
    for (const ItemResult &result : std::as_const(rec.results)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.attempts, 3);
    }
    const QHash<QString, QByteArray> stored = storedSources(u"products"_s);
    QCOMPARE(stored.size(), 250);
    for (int id = 1; id <= 250; ++id)
        QCOMPARE(stored.value(keyOf(id)), expectedPayload(id));
}

void TestBulkRun::automaticRetriesOfABatchGoTogether()
{
    // A bulk request answered 503 (the server is overloaded): its items are due again after
    // the backoff, and should go back as the batch they were, not as many smaller requests
    // to a server that asked for less.
    // Batches large enough that settling one takes more than a millisecond: a failed batch's
    // items must come due at one time, not at the clock's reading as each one was settled.
    TransferSpec spec
        = makeSpec(TargetMode::ElasticsearchBulk, u"/fail/503/products/_bulk"_s, 3 * 1000);
    spec.query.sql = u"SELECT id, name, price FROM t WHERE id <= :n AND id <> %1 ORDER BY id"_s.arg(
        InfiniteRow); // all 3000 valid
    spec.query.parameters.insert(u"n"_s, TableRows);
    spec.target.batchSize = 1000;
    spec.run.chunkSize = 3000;
    spec.run.maxRetries = 1;
    spec.run.concurrency = 3; // the three batches go at once
    RunOptions options;
    options.retry.baseDelayMs = 1000; // jitter of +-200 ms: far beyond the event loop's latency
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    const quint64 requestsBefore = m_server->requestCount();
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(run.counts().failed, 3000);
    const quint64 requests = m_server->requestCount() - requestsBefore;
    qInfo("3000 items in batches of 1000, answered 503, retried once: %llu requests", requests);
    // One backoff per failed request, not one per item (which made 19 to 21 requests of
    // the 3 batches' retries): each batch goes again as one.
    QCOMPARE(requests, quint64(6));
}

void TestBulkRun::couchRetryAfterCancelKnowsWhatMayBeStored()
{
    // A sink playing CouchDB's _bulk_docs, slow to answer: it stores the documents when a
    // request arrives and answers after 2 s (the test cancels long before).
    TestSink sink;
    auto stored = std::make_shared<QSet<QString>>();
    sink.setDefaultDelayMs(2000);
    sink.setHandler([stored](const TestSink::Request &request) {
        QJsonArray answer;
        const QJsonArray docs
            = QJsonDocument::fromJson(request.body).object().value("docs"_L1).toArray();
        for (const QJsonValue &doc : docs) {
            const QString id = doc.toObject().value("_id"_L1).toString();
            if (stored->contains(id)) {
                answer.append(QJsonObject {{u"id"_s, id},
                                           {u"error"_s, u"conflict"_s},
                                           {u"reason"_s, u"Document update conflict."_s}});
            } else {
                stored->insert(id);
                answer.append(QJsonObject {{u"ok"_s, true}, {u"id"_s, id}, {u"rev"_s, u"1-a"_s}});
            }
        }
        TestSink::Reply reply;
        reply.body = QJsonDocument(answer).toJson(QJsonDocument::Compact);
        return reply;
    });
    TransferSpec spec = makeSpec(TargetMode::CouchdbBulk, {}, 300);
    spec.target.url = sink.url(u"/db/_bulk_docs"_s).toString();
    spec.target.batchSize = 50;
    spec.run.concurrency = 2;
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    // The steward cancels while two batches are out: the server has stored them.
    QTRY_VERIFY_WITH_TIMEOUT(sink.requestCount() >= 2, LongWaitMs);
    run.cancel();
    QCOMPARE(sink.requestCount(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Cancelled);
    QCOMPARE(stored->size(), 100);
    int whileSending = 0;
    for (const ItemResult &result : std::as_const(rec.results))
        whileSending += result.error.contains(u"the server may have received it"_s) ? 1 : 0;
    QCOMPARE(whileSending, 100);

    // Retried: the 100 documents that arrived answer "conflict" now. The run remembers that
    // their attempt went out unanswered (cancelled while sending), so the conflict means
    // delivered, with a remark, after TransferRun::retry() as within a run.
    sink.setDefaultDelayMs(0);
    const QList<Item> again = failedItems(rec);
    rec.reset();
    QCOMPARE(run.retry(again), int(again.size()));
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), LongWaitMs);
    QCOMPARE(stored->size(), qsizetype(run.counts().read));
    QCOMPARE(run.counts().failed, 0);
    for (const ItemResult &result : std::as_const(rec.results)) {
        QCOMPARE(result.status, ItemStatus::Delivered);
        if (result.attempts > 1)
            QVERIFY(result.note.contains(u"earlier attempt"_s));
    }
}

QTEST_GUILESS_MAIN(TestBulkRun)
#include "tst_bulkrun.moc"
