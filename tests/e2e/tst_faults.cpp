// SPDX-License-Identifier: GPL-3.0-or-later
// Never lose an item, against a server that fails on purpose: FaultSink (seeded) answers 500,
// 503 and 429, resets connections before and after storing, answers slower than the client's
// timeout and rejects some documents for good. After the run every item is at the server by
// key, the only documents stored more than once are re-sends of requests whose answer was lost,
// and the rejected items are Failed with the server's text. In process (TransferRun) and
// through the real `sluice run`.

#include "faultsink.h"
#include "sqlitefixture.h"

#include "spec/transferspec.h"
#include "transfer/transferrun.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <optional>

using namespace sluice;

namespace {

using Decision = FaultSink::Decision;

constexpr int Rows = 2000;
constexpr quint64 Seed = 20261205;
/// Items the server rejects for good (ids, and keys, of the rows).
const QStringList RejectedKeys {QStringLiteral("7"), QStringLiteral("777"), QStringLiteral("1500")};

/// A fifth of the requests fail, every kind of fault mixed in.
FaultSink::FaultMix twentyPercent()
{
    FaultSink::FaultMix mix;
    mix.serverError = 4;
    mix.unavailable = 2;
    mix.tooManyRequests = 2;
    mix.resetBefore = 5;
    mix.resetAfter = 5;
    mix.slow = 2;
    return mix;
}

/// How many times slower than usual this build runs: the sanitizer builds' CTest sets
/// SLUICE_TEST_TIME_SCALE (tests/CMakeLists.txt). The client's timeout and the sink's slow
/// answers stretch with it, so that an ordinary answer, late only because six instrumented
/// tests share two cores, never outlasts the timeout and looks like a lost one.
int timeScale()
{
    return std::max(1, qEnvironmentVariableIntValue("SLUICE_TEST_TIME_SCALE"));
}

/// The client's timeout, in seconds.
int clientTimeoutSeconds()
{
    return timeScale();
}

/// The sink as both tests use it: a slow answer outlasts the client's timeout, and no key
/// gets more faults than its retries can outlast.
void configure(FaultSink &sink)
{
    sink.setFaultMix(twentyPercent());
    sink.setSlowDelayMs(1500 * timeScale());
    sink.setMaxFaultsPerKey(5);
    for (const QString &key : RejectedKeys)
        sink.setPermanentFailure(key);
}

/// Sends one raw request and waits for its whole answer (or the connection's end); the status
/// line's code, or 0 when the connection was closed without an answer.
int rawRequest(quint16 port, const QByteArray &method, const QByteArray &path,
               const QByteArray &body)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return -1;
    socket.write(method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    QEventLoop loop;
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        answer += socket.readAll();
        const qsizetype end = answer.indexOf("\r\n\r\n");
        const qsizetype lengthAt = answer.indexOf("Content-Length: ");
        if (end < 0 || lengthAt < 0)
            return;
        const qsizetype length
            = answer.mid(lengthAt + 16, answer.indexOf('\r', lengthAt) - lengthAt - 16)
                  .toLongLong();
        if (answer.size() >= end + 4 + length)
            loop.quit();
    });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!answer.startsWith("HTTP/1.1 "))
        return 0;
    return answer.mid(9, 3).toInt();
}

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // CTest runs these in parts (PARTS in tests/e2e/CMakeLists.txt): a new one goes there too.
    void initTestCase();
    void sinkDecidesPerKeyFromTheSeed();
    void sinkStoresAndLosesAnswersAsTold();
    void putByKeyInProcess();
    void postThroughSluiceRun();
    void conflictAfterALostAnswerIsDelivered();

private:
    TransferSpec makeSpec(const FaultSink &sink, const QString &method, const QString &path) const;
    QTemporaryDir m_dir;
    QString m_db;
};

void TestFaults::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QList<QVariantList> rows;
    rows.reserve(Rows);
    for (int i = 1; i <= Rows; ++i)
        rows.append({i, QStringLiteral("sensor-%1").arg(i), i * 0.25});
    QString error;
    m_db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("faults.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, value REAL)")},
        QStringLiteral("t"), rows, &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

TransferSpec TestFaults::makeSpec(const FaultSink &sink, const QString &method,
                                  const QString &path) const
{
    TransferSpec spec;
    spec.source.driver = QStringLiteral("QSQLITE");
    spec.source.database = m_db;
    spec.query.sql = QStringLiteral("SELECT id, name, value FROM t ORDER BY id");
    spec.transform.present = true;
    spec.transform.key = QStringLiteral("{{id}}");
    spec.transform.templ = R"({"id":"{{id}}","name":"{{name}}","value":"{{value}}"})";
    spec.target.url = sink.urlText(path);
    spec.target.method = method;
    spec.target.timeoutSeconds = clientTimeoutSeconds();
    spec.run.chunkSize = 200;
    spec.run.concurrency = 16;
    spec.run.maxRetries = 12;
    return spec;
}

void TestFaults::sinkDecidesPerKeyFromTheSeed()
{
    // The same seed gives every key the same decisions, whatever order the keys come in; the
    // share of faults follows the mix.
    FaultSink::FaultMix mix = twentyPercent();
    mix.slow = 0; // nothing here waits for a slow answer
    FaultSink first(Seed, mix);
    FaultSink second(Seed, mix);
    FaultSink other(Seed + 1, mix);
    QVERIFY(first.isListening() && second.isListening() && other.isListening());
    const int keys = 300;
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < keys; ++i) {
            const QByteArray path = "/docs/k" + QByteArray::number(i);
            const QByteArray reversed = "/docs/k" + QByteArray::number(keys - 1 - i);
            QVERIFY(rawRequest(first.port(), "PUT", path, "{}") >= 0);
            QVERIFY(rawRequest(second.port(), "PUT", reversed, "{}") >= 0);
            QVERIFY(rawRequest(other.port(), "PUT", path, "{}") >= 0);
        }
    }
    const auto decisions = [](const FaultSink &sink) {
        QHash<QPair<QString, int>, Decision> byKey;
        for (const FaultSink::Request &r : sink.requests())
            byKey.insert({r.key, r.attemptOfKey}, r.decision);
        return byKey;
    };
    QCOMPARE(first.requestCount(), 2 * keys);
    QCOMPARE(decisions(first), decisions(second));
    QVERIFY(decisions(first) != decisions(other));

    const int faults = 2 * keys - first.count(Decision::Ok);
    QVERIFY2(faults > 2 * keys * 12 / 100 && faults < 2 * keys * 28 / 100,
             qPrintable(QString::number(faults)));
    for (Decision d : {Decision::ServerError, Decision::Unavailable, Decision::TooManyRequests,
                       Decision::ResetBefore, Decision::ResetAfter})
        QVERIFY2(first.count(d) > 0, qPrintable(FaultSink::decisionName(d)));
    QCOMPARE(first.count(Decision::Slow), 0);

    // failPercent() is the one-liner: at 100 % no request is Ok; only resets after processing
    // and slow answers store.
    FaultSink all(Seed);
    all.failPercent(100);
    all.setSlowDelayMs(50);
    for (int i = 0; i < 60; ++i)
        QVERIFY(rawRequest(all.port(), "PUT", "/docs/" + QByteArray::number(i), "{}") >= 0);
    QCOMPARE(all.count(Decision::Ok), 0);
    QCOMPARE(all.documents().size(), all.count(Decision::ResetAfter) + all.count(Decision::Slow));
}

void TestFaults::sinkStoresAndLosesAnswersAsTold()
{
    // Reset after processing: stored, answer lost.
    FaultSink sink(Seed, FaultSink::FaultMix::only(Decision::ResetAfter, 100));
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/a%20b", R"({"x":1})"), 0);
    QCOMPARE(sink.documents().value(QStringLiteral("a b")), QByteArray(R"({"x":1})"));
    QCOMPARE(sink.stats(QStringLiteral("a b")).stores, 1);
    QCOMPARE(sink.stats(QStringLiteral("a b")).lostAnswers, 1);

    // Reset before: nothing stored. 500, 503, 429 (with Retry-After): nothing stored.
    sink.clear();
    sink.setFaultMix(FaultSink::FaultMix::only(Decision::ResetBefore, 100));
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/a", "{}"), 0);
    sink.setFaultMix(FaultSink::FaultMix::only(Decision::ServerError, 100));
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/a", "{}"), 500);
    sink.setFaultMix(FaultSink::FaultMix::only(Decision::Unavailable, 100));
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/a", "{}"), 503);
    sink.setFaultMix(FaultSink::FaultMix::only(Decision::TooManyRequests, 100));
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/a", "{}"), 429);
    QVERIFY(sink.documents().isEmpty());
    QCOMPARE(sink.stats(QStringLiteral("a")).requests, 4);
    QCOMPARE(sink.stats(QStringLiteral("a")).faults, 4);
    QCOMPARE(sink.stats(QStringLiteral("a")).stores, 0);

    // No faults: PUT is an upsert (201, then 200), POST creates ids keyed by the body's "id".
    sink.setFaultMix({});
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/a", "{}"), 201);
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/a", "{}"), 200);
    QCOMPARE(rawRequest(sink.port(), "POST", "/docs", R"({"id":5})"), 201);
    QCOMPARE(rawRequest(sink.port(), "POST", "/docs", R"({"id":5})"), 201);
    QCOMPARE(sink.stats(QStringLiteral("5")).stores, 2);
    QCOMPARE(sink.requests().last().createdId, QStringLiteral("2"));
    QCOMPARE(rawRequest(sink.port(), "GET", "/docs/a", {}), 405);

    // Permanent failure for a key: its status and text, never stored.
    sink.setPermanentFailure(QStringLiteral("bad"), 422, R"({"error":"no"})");
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/bad", "{}"), 422);
    QVERIFY(!sink.documents().contains(QStringLiteral("bad")));

    // Conflict mode: a PUT of an existing key is a 409 and stores nothing.
    sink.setConflictOnExisting(true);
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/a", "{}"), 409);
    QCOMPARE(sink.stats(QStringLiteral("a")).stores, 2);
    sink.setConflictOnExisting(false);

    // Slow, stored first: when the client gives up before the answer, the answer is lost (and
    // counted at once, not when the delay ends).
    sink.clear();
    sink.setFaultMix(FaultSink::FaultMix::only(Decision::Slow, 100));
    sink.setSlowDelayMs(3000);
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, sink.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("PUT /docs/s HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
        QTRY_COMPARE(sink.requestCount(), 1);
        QCOMPARE(sink.stats(QStringLiteral("s")).stores, 1);
        QCOMPARE(sink.stats(QStringLiteral("s")).lostAnswers, 0);
        socket.abort();
    }
    QTRY_COMPARE(sink.stats(QStringLiteral("s")).lostAnswers, 1);
    QCOMPARE(sink.pendingAnswers(), 0);
    // ... and when the client waits, it gets the answer: nothing lost.
    sink.setSlowDelayMs(100);
    QCOMPARE(rawRequest(sink.port(), "PUT", "/docs/t", "{}"), 201);
    QCOMPARE(sink.stats(QStringLiteral("t")).lostAnswers, 0);
    // Stored only at the end, and only for a client still there.
    sink.setSlowStore(FaultSink::SlowStore::AfterIfConnected);
    sink.setSlowDelayMs(3000);
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, sink.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("PUT /docs/u HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
        QTRY_COMPARE(sink.stats(QStringLiteral("u")).requests, 1);
        socket.abort();
    }
    QTRY_COMPARE(sink.pendingAnswers(), 0);
    QCOMPARE(sink.stats(QStringLiteral("u")).stores, 0);
    QVERIFY(!sink.documents().contains(QStringLiteral("u")));
}

void TestFaults::putByKeyInProcess()
{
    FaultSink sink(Seed);
    QVERIFY(sink.isListening());
    configure(sink);
    RunOptions options;
    // Quick backoff, so the test does not wait out half-second steps; the counts are the
    // transfer's (12 retries).
    options.retry.baseDelayMs = 20;
    options.retry.maxDelayMs = 300;
    TransferRun run(makeSpec(sink, QStringLiteral("PUT"), QStringLiteral("/docs/{{id}}")), options);
    QHash<QString, ItemResult> results;
    int finishedAgain = 0;
    std::optional<TransferRun::Outcome> outcome;
    connect(&run, &TransferRun::itemFinished, this, [&](const ItemResult &r) {
        finishedAgain += results.contains(r.key) ? 1 : 0;
        results.insert(r.key, r);
    });
    connect(&run, &TransferRun::finished, this,
            [&](TransferRun::Outcome o, const QString &) { outcome = o; });
    QElapsedTimer clock;
    clock.start();
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 240000);
    qInfo("%d items, %d requests in %.1f s", Rows, sink.requestCount(),
          double(clock.elapsed()) / 1000);
    QCOMPARE(*outcome, TransferRun::Outcome::Completed);

    // The mix really happened.
    for (int d = 0; d < FaultSink::DecisionCount; ++d)
        QVERIFY2(sink.count(Decision(d)) > 0, qPrintable(FaultSink::decisionName(Decision(d))));

    // Counts add up: every row read, each item finished once, the rejected ones failed.
    const RunCounts counts = run.counts();
    QCOMPARE(counts.read, Rows);
    QCOMPARE(results.size(), Rows);
    QCOMPARE(finishedAgain, 0); // exactly once per item
    QCOMPARE(counts.failed, RejectedKeys.size());
    QCOMPARE(counts.delivered, Rows - RejectedKeys.size());
    QCOMPARE(counts.invalid, 0);

    int attempts = 0;
    int duplicates = 0;
    for (auto it = results.cbegin(); it != results.cend(); ++it) {
        const ItemResult &r = it.value();
        attempts += r.attempts;
        const FaultSink::KeyStats stats = sink.stats(r.key);
        if (RejectedKeys.contains(r.key)) {
            // Failed at once (a 422 is not retried), with the server's text.
            QCOMPARE(r.status, ItemStatus::Failed);
            QCOMPARE(r.httpStatus, 422);
            QCOMPARE(r.attempts, 1);
            QVERIFY2(r.error.contains(QLatin1String("fails validation"))
                         || r.responseBody.contains("fails validation"),
                     qPrintable(r.error));
            QCOMPARE(stats.stores, 0);
            QVERIFY(!sink.documents().contains(r.key));
            continue;
        }
        QCOMPARE(r.status, ItemStatus::Delivered);
        QVERIFY(sink.documents().contains(r.key));
        // Exactly one stored attempt was answered (the one that delivered the item): every
        // other store of this key is the re-send of a request whose answer was lost.
        QVERIFY2(stats.stores - stats.lostAnswers == 1,
                 qPrintable(QStringLiteral("key %1: stored %2 times, %3 answers lost")
                                .arg(r.key)
                                .arg(stats.stores)
                                .arg(stats.lostAnswers)));
        duplicates += stats.stores - 1;
    }
    // The document is the item as sent (the last PUT wins, and every PUT of a key is the same).
    QCOMPARE(sink.documents().value(QStringLiteral("42")),
             QByteArray(R"({"id":42,"name":"sensor-42","value":10.5})"));
    QCOMPARE(sink.documents().size(), Rows - RejectedKeys.size());
    QVERIFY(duplicates > 0); // resets after processing did make re-sends store again

    // Each attempt has an X-Request-ID of its own (one may have been lost on the way); a
    // request id seen again is Qt re-sending by itself a request whose kept-alive connection
    // was dropped, so the request before it with that id was reset.
    QHash<QByteArray, Decision> lastDecision;
    int resends = 0;
    for (const FaultSink::Request &r : sink.requests()) {
        QVERIFY(!r.requestId.isEmpty());
        const auto seen = lastDecision.constFind(r.requestId);
        if (seen != lastDecision.cend()) {
            ++resends;
            QVERIFY2(*seen == Decision::ResetBefore || *seen == Decision::ResetAfter,
                     qPrintable(FaultSink::decisionName(*seen)));
        }
        lastDecision.insert(r.requestId, r.decision);
    }
    QVERIFY2(lastDecision.size() <= attempts, qPrintable(QString::number(attempts)));
    QCOMPARE(sink.requestCount() - resends, int(lastDecision.size()));
    qInfo("faults: %d x 500, %d x 503, %d x 429, %d resets before, %d after, %d slow; "
          "%d stores repeated after a lost answer",
          sink.count(Decision::ServerError), sink.count(Decision::Unavailable),
          sink.count(Decision::TooManyRequests), sink.count(Decision::ResetBefore),
          sink.count(Decision::ResetAfter), sink.count(Decision::Slow), duplicates);
}

void TestFaults::postThroughSluiceRun()
{
    // POST to an id-assigning endpoint (no key in the URL): a re-send after a lost answer makes
    // a second document. They are the only duplicates, and the test counts them.
    const QString sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFile::exists(sluice),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    FaultSink sink(Seed + 7);
    QVERIFY(sink.isListening());
    configure(sink);
    // `sluice run` backs off 0.5 s x 2^(n-1): fewer faults in a row keep the test short.
    sink.setMaxFaultsPerKey(3);

    const QString transfer = m_dir.filePath(QStringLiteral("post.json"));
    const QString failed = m_dir.filePath(QStringLiteral("post-failed.ndjson"));
    {
        const QString text = QStringLiteral(R"({
  "version": 1,
  "source": { "driver": "QSQLITE", "database": "faults.db" },
  "query": { "sql": "SELECT id, name, value FROM t ORDER BY id" },
  "transform": { "key": "{{id}}",
                 "template": { "id": "{{id}}", "name": "{{name}}", "value": "{{value}}" } },
  "target": { "url": "%1", "method": "POST", "timeoutSeconds": %2 },
  "run": { "chunkSize": 200, "concurrency": 32, "maxRetries": 12 }
})")
                                 .arg(sink.urlText(QStringLiteral("/docs")))
                                 .arg(clientTimeoutSeconds());
        QFile file(transfer);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text.toUtf8());
    }
    QProcess process;
    process.setProgram(sluice);
    process.setArguments({QStringLiteral("run"), transfer, QStringLiteral("--failed"), failed,
                          QStringLiteral("--quiet")});
    QElapsedTimer clock;
    clock.start();
    process.start();
    QVERIFY(process.waitForStarted());
    // Not waitForFinished(): the sink lives in this thread and needs the event loop.
    QTRY_VERIFY_WITH_TIMEOUT(process.state() == QProcess::NotRunning, 240000);
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    const QString err = QString::fromUtf8(process.readAllStandardError());
    qInfo("%d items, %d requests in %.1f s", Rows, sink.requestCount(),
          double(clock.elapsed()) / 1000);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 1, qPrintable(err)); // some items failed
    QVERIFY2(out.startsWith(QStringLiteral("delivered %1, failed %2, invalid 0 in ")
                                .arg(Rows - RejectedKeys.size())
                                .arg(RejectedKeys.size())),
             qPrintable(out));

    // The failed-items file holds exactly the rejected items, with the server's text.
    QFile failedFile(failed);
    QVERIFY(failedFile.open(QIODevice::ReadOnly));
    QStringList failedKeys;
    for (const QByteArray &line : failedFile.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        failedKeys.append(o.value(QLatin1String("key")).toString());
        QCOMPARE(o.value(QLatin1String("httpStatus")).toInt(), 422);
        QVERIFY2(o.value(QLatin1String("response"))
                         .toString()
                         .contains(QLatin1String("fails validation"))
                     || o.value(QLatin1String("error"))
                            .toString()
                            .contains(QLatin1String("fails validation")),
                 line.constData());
    }
    failedKeys.sort();
    QStringList expected = RejectedKeys;
    expected.sort();
    QCOMPARE(failedKeys, expected);

    for (int d = 0; d < FaultSink::DecisionCount; ++d)
        QVERIFY2(sink.count(Decision(d)) > 0, qPrintable(FaultSink::decisionName(Decision(d))));

    // Every item is at the server at least once; an item is there more than once exactly as
    // often as a stored attempt of it lost its answer.
    int duplicates = 0;
    int lost = 0;
    for (int id = 1; id <= Rows; ++id) {
        const QString key = QString::number(id);
        const FaultSink::KeyStats stats = sink.stats(key);
        if (RejectedKeys.contains(key)) {
            QCOMPARE(stats.stores, 0);
            continue;
        }
        QVERIFY2(stats.stores - stats.lostAnswers == 1,
                 qPrintable(QStringLiteral("key %1: stored %2 times, %3 answers lost")
                                .arg(key)
                                .arg(stats.stores)
                                .arg(stats.lostAnswers)));
        duplicates += stats.stores - 1;
        lost += stats.lostAnswers;
    }
    QCOMPARE(duplicates, lost);
    QCOMPARE(sink.documents().size(), Rows - RejectedKeys.size() + duplicates);
    QVERIFY(duplicates > 0);
    qInfo("POST: %d duplicate documents, each a re-send after a lost answer (%d resets after "
          "processing, %d slow answers)",
          duplicates, sink.count(Decision::ResetAfter), sink.count(Decision::Slow));
}

void TestFaults::conflictAfterALostAnswerIsDelivered()
{
    // CouchDB-like: a PUT of a key that exists is a 409. After a lost answer, the re-send meets
    // the document its own earlier attempt stored: the item is Delivered, with a note.
    FaultSink sink(Seed + 3);
    configure(sink);
    sink.setConflictOnExisting(true);
    RunOptions options;
    options.retry.baseDelayMs = 20;
    options.retry.maxDelayMs = 300;
    TransferRun run(makeSpec(sink, QStringLiteral("PUT"), QStringLiteral("/docs/{{id}}")), options);
    QHash<QString, ItemResult> results;
    std::optional<TransferRun::Outcome> outcome;
    connect(&run, &TransferRun::itemFinished, this,
            [&](const ItemResult &r) { results.insert(r.key, r); });
    connect(&run, &TransferRun::finished, this,
            [&](TransferRun::Outcome o, const QString &) { outcome = o; });
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 240000);
    QCOMPARE(run.counts().failed, RejectedKeys.size());
    QCOMPARE(run.counts().delivered, Rows - RejectedKeys.size());
    int conflicts = 0;
    for (const FaultSink::Request &r : sink.requests()) {
        if (r.status != 409)
            continue;
        ++conflicts;
        const ItemResult &result = results.value(r.key);
        QCOMPARE(result.status, ItemStatus::Delivered);
        QVERIFY2(!result.note.isEmpty(), qPrintable(r.key));
        QVERIFY(sink.stats(r.key).lostAnswers > 0);
    }
    QVERIFY(conflicts > 0);
    for (auto it = sink.allStats().cbegin(); it != sink.allStats().cend(); ++it)
        QVERIFY(it->stores <= 1);
}

QTEST_GUILESS_MAIN(TestFaults)

#include "tst_faults.moc"
