// SPDX-License-Identifier: GPL-3.0-or-later
// TransferRun end to end in one process: a real SQLite file, the real transform and
// dispatcher, and TestSink (Qt HttpServer on 127.0.0.1) as the API.

#include "memorysecretstore.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include "spec/transferspec.h"
#include "transfer/transferrun.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace sluice;

namespace {

/// Collects what a run reports, and checks its invariants as it goes.
struct RunRecorder
{
    explicit RunRecorder(TransferRun *run)
    {
        QObject::connect(run, &TransferRun::itemsQueued, run,
                         [this, run](const QList<Item> &items) {
                             queued += items.size();
                             // Backpressure: what has been read but not finished never exceeds
                             // about two chunks plus what is in flight.
                             const RunCounts c = run->counts();
                             maxOutstanding = qMax(maxOutstanding, c.read - c.finished());
                         });
        QObject::connect(run, &TransferRun::itemFinished, run, [this](const ItemResult &r) {
            ++finishedById[r.id];
            results.insert(r.id, r);
        });
        QObject::connect(run, &TransferRun::finished, run,
                         [this](TransferRun::Outcome o, const QString &m) {
                             outcome = o;
                             message = m;
                             ++finishedCount;
                         });
    }
    qint64 queued = 0;
    qint64 maxOutstanding = 0;
    QHash<qint64, int> finishedById;
    QHash<qint64, ItemResult> results;
    std::optional<TransferRun::Outcome> outcome;
    QString message;
    int finishedCount = 0;
};

} // namespace

class TestTransferRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void deliversEveryRowExactlyOnce();
    void backpressureKeepsMemoryBounded();
    void failedAndInvalidItemsAreReported();
    void unknownColumnIsAConfigErrorBeforeSending();
    void missingFileIsAConfigError();
    void databaseErrorIsASourceError();
    void secretsComeFromTheEnvironment();
    void missingSecretIsAConfigError();
    void secretsComeFromTheKeychain();
    void missingKeychainEntryIsAConfigError();
    void unreachableKeychainIsAConfigError();
    void cancelWhileTheKeychainIsAsked();
    void parameterOverridesAreBound();
    void emptyResultCompletes();
    void cancelReportsEveryUnfinishedItem();
    void pauseAndResume();
    void retryFailedItemsAfterTheRun();
    void retryWithAnEditedPayload();
    void retryAfterCancel();
    void retargetSendsRetriesToTheFixedTarget();
    void retargetRefusesWhatItCannotKeep();
    void stopAfterFailures();
    void idempotencyKeyFromTheRow();

private:
    TransferSpec makeSpec(int rows, const QString &path = QStringLiteral("/items"));
    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_db;
};

void TestTransferRun::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QList<QVariantList> rows;
    for (int i = 1; i <= 1000; ++i) {
        rows.append({i, QStringLiteral("sensor-%1").arg(i),
                     i % 10 == 0 ? QVariant() : QVariant(i * 0.5),
                     i % 100 == 0 ? QVariant() : QVariant(QStringLiteral("code-%1").arg(i))});
    }
    QString error;
    m_db = SqliteFixture::create(m_dir.path(), QStringLiteral("rows.db"),
                                 {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, "
                                                 "name TEXT, value REAL, code TEXT)")},
                                 QStringLiteral("t"), rows, &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

TransferSpec TestTransferRun::makeSpec(int rows, const QString &path)
{
    TransferSpec spec;
    spec.source.driver = QStringLiteral("QSQLITE");
    spec.source.database = m_db;
    spec.query.sql
        = QStringLiteral("SELECT id, name, value, code FROM t WHERE id <= :n ORDER BY id");
    spec.query.parameters.insert(QStringLiteral("n"), rows);
    spec.transform.present = true;
    spec.transform.key = QStringLiteral("{{name}}");
    spec.transform.templ = R"({"id":"{{id}}","value":"{{value}}","label":"#{{id}} {{name}}"})";
    // Not through QUrl: it would percent-encode the braces of a placeholder.
    spec.target.url = m_sink.url().toString() + path.mid(1);
    spec.run.chunkSize = 100;
    spec.run.concurrency = 8;
    spec.run.maxRetries = 0;
    return spec;
}

void TestTransferRun::deliversEveryRowExactlyOnce()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    TransferRun run(makeSpec(1000));
    RunRecorder rec(&run);
    QSignalSpy started(&run, &TransferRun::started);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QVERIFY2(rec.message.isEmpty(), qPrintable(rec.message));
    QCOMPARE(started.size(), 1);
    QCOMPARE(rec.finishedCount, 1);

    const RunCounts c = run.counts();
    QCOMPARE(c.read, 1000);
    QCOMPARE(c.delivered, 1000);
    QCOMPARE(c.failed + c.invalid + c.queued + c.sending + c.retrying, 0);
    QCOMPARE(rec.queued, 1000);
    QCOMPARE(rec.finishedById.size(), 1000);
    for (auto it = rec.finishedById.cbegin(); it != rec.finishedById.cend(); ++it)
        QCOMPARE(it.value(), 1);

    QCOMPARE(m_sink.requestCount(), 1000);
    const auto byId = m_sink.countById();
    QCOMPARE(byId.size(), 1000);
    for (int n : byId)
        QCOMPARE(n, 1);
    // The exact bytes of two items: a REAL stays a real, NULL stays null.
    QHash<QString, QByteArray> bodies;
    for (const auto &r : m_sink.requests())
        bodies.insert(r.jsonId, r.body);
    QCOMPARE(bodies.value(QStringLiteral("7")),
             QByteArray(R"({"id":7,"value":3.5,"label":"#7 sensor-7"})"));
    QCOMPARE(bodies.value(QStringLiteral("10")),
             QByteArray(R"({"id":10,"value":null,"label":"#10 sensor-10"})"));
    QCOMPARE(rec.results.value(6).key, QStringLiteral("sensor-7"));
    QCOMPARE(rec.results.value(6).status, ItemStatus::Delivered);
    QCOMPARE(m_sink.requests().first().header("Content-Type"), QByteArray("application/json"));
}

void TestTransferRun::backpressureKeepsMemoryBounded()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(5);
    TransferSpec spec = makeSpec(1000);
    spec.run.chunkSize = 50;
    spec.run.concurrency = 4;
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 60000);
    m_sink.setDefaultDelayMs(0);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(run.counts().delivered, 1000);
    // A chunk is read only when at most one chunk waits: never more than two chunks and
    // the requests in flight are held, although the sink is slow.
    QVERIFY2(rec.maxOutstanding <= 2 * spec.run.chunkSize + spec.run.concurrency,
             qPrintable(QString::number(rec.maxOutstanding)));
    QVERIFY(rec.maxOutstanding >= spec.run.chunkSize);
}

void TestTransferRun::failedAndInvalidItemsAreReported()
{
    m_sink.clear();
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (r.jsonId.toInt() % 7 == 0) {
            reply.status = 422;
            reply.body = QByteArrayLiteral(R"({"error":"invalid date"})");
        }
        return reply;
    });
    TransferSpec spec = makeSpec(300, QStringLiteral("/items/{{code}}"));
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);

    // Rows 100, 200, 300 have a NULL code: invalid (no request); multiples of 7 fail.
    const RunCounts c = run.counts();
    QCOMPARE(c.read, 300);
    QCOMPARE(c.invalid, 3);
    QCOMPARE(c.failed, 42);
    QCOMPARE(c.delivered, 255);
    QCOMPARE(m_sink.requestCount(), 297);

    const ItemResult invalid = rec.results.value(99);
    QCOMPARE(invalid.status, ItemStatus::Invalid);
    QCOMPARE(invalid.key, QStringLiteral("sensor-100"));
    QVERIFY2(invalid.error.contains(QLatin1String("\"code\"")), qPrintable(invalid.error));
    QCOMPARE(invalid.attempts, 0);

    const ItemResult failed = rec.results.value(13); // id 14
    QCOMPARE(failed.status, ItemStatus::Failed);
    QCOMPARE(failed.httpStatus, 422);
    QCOMPARE(failed.attempts, 1);
    QCOMPARE(failed.responseBody, QByteArray(R"({"error":"invalid date"})"));
    QCOMPARE(failed.payload, QByteArray(R"({"id":14,"value":7.0,"label":"#14 sensor-14"})"));
    QCOMPARE(failed.url, m_sink.url(QStringLiteral("/items/code-14")).toString());
    QVERIFY2(failed.error.contains(QLatin1String("422")), qPrintable(failed.error));
}

void TestTransferRun::unknownColumnIsAConfigErrorBeforeSending()
{
    m_sink.clear();
    TransferSpec spec = makeSpec(10);
    spec.transform.templ = R"({"location":{"lat":"{{latitud}}"}})";
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::ConfigError);
    QVERIFY2(rec.message.contains(QLatin1String("transform.template.location.lat")),
             qPrintable(rec.message));
    QVERIFY2(rec.message.contains(QLatin1String("\"latitud\"")), qPrintable(rec.message));
    QCOMPARE(rec.queued, 0);
    QTest::qWait(50);
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestTransferRun::missingFileIsAConfigError()
{
    TransferSpec spec = makeSpec(10);
    spec.source.database = m_dir.filePath(QStringLiteral("nope.db"));
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::ConfigError);
    QVERIFY2(rec.message.contains(QLatin1String("nope.db")), qPrintable(rec.message));
    QVERIFY(!QFile::exists(spec.source.database));
}

void TestTransferRun::databaseErrorIsASourceError()
{
    m_sink.clear();
    TransferSpec spec = makeSpec(10);
    // The transfer is well formed; the database refuses the query.
    spec.query.sql = QStringLiteral("SELECT id, nocolumn FROM t WHERE id <= :n");
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::SourceError);
    QVERIFY2(rec.message.contains(QLatin1String("no such column: nocolumn")),
             qPrintable(rec.message));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestTransferRun::secretsComeFromTheEnvironment()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    TransferSpec spec = makeSpec(5);
    spec.target.headersEnv.append(
        {QStringLiteral("Authorization"), QStringLiteral("TEST_API_AUTH")});
    RunOptions options;
    options.environment = [](const QString &name) -> std::optional<QString> {
        if (name == QLatin1String("TEST_API_AUTH"))
            return QStringLiteral("Bearer s3cret");
        return std::nullopt;
    };
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(m_sink.requestCount(), 5);
    for (const auto &r : m_sink.requests())
        QCOMPARE(r.header("Authorization"), QByteArray("Bearer s3cret"));
}

void TestTransferRun::missingSecretIsAConfigError()
{
    m_sink.clear();
    TransferSpec spec = makeSpec(5);
    spec.source.passwordEnv = QStringLiteral("SLUICE_TEST_NO_SUCH_VARIABLE");
    spec.target.headersEnv.append(
        {QStringLiteral("X-Api-Key"), QStringLiteral("SLUICE_TEST_NO_KEY")});
    RunOptions options;
    options.environment = [](const QString &) -> std::optional<QString> {
        return std::nullopt;
    };
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::ConfigError);
    QVERIFY2(rec.message.contains(QLatin1String("source.passwordEnv")), qPrintable(rec.message));
    QVERIFY2(rec.message.contains(QLatin1String("SLUICE_TEST_NO_SUCH_VARIABLE")),
             qPrintable(rec.message));
    QVERIFY2(rec.message.contains(QLatin1String("target.headersEnv.X-Api-Key")),
             qPrintable(rec.message));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestTransferRun::secretsComeFromTheKeychain()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    TransferSpec spec = makeSpec(5);
    // SQLite ignores a password; the run must still read it before it connects.
    spec.source.passwordKeychain = QStringLiteral("db password");
    spec.target.headersKeychain = {{QStringLiteral("Authorization"), QStringLiteral("api")},
                                   {QStringLiteral("X-Api-Key"), QStringLiteral("api")}};
    auto store = std::make_shared<MemorySecretStore>();
    store->entries.insert(QStringLiteral("db password"), QStringLiteral("pw"));
    store->entries.insert(QStringLiteral("api"), QStringLiteral("Bearer k3ychain"));
    RunOptions options;
    options.secrets = store;
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(m_sink.requestCount(), 5);
    for (const auto &r : m_sink.requests()) {
        QCOMPARE(r.header("Authorization"), QByteArray("Bearer k3ychain"));
        QCOMPARE(r.header("X-Api-Key"), QByteArray("Bearer k3ychain"));
    }
    // Each entry once, however many headers name it.
    QCOMPARE(store->reads, (QStringList {QStringLiteral("db password"), QStringLiteral("api")}));
}

void TestTransferRun::missingKeychainEntryIsAConfigError()
{
    m_sink.clear();
    TransferSpec spec = makeSpec(5);
    spec.source.passwordKeychain = QStringLiteral("db");
    spec.target.headersKeychain = {{QStringLiteral("X-Api-Key"), QStringLiteral("api key")},
                                   {QStringLiteral("X-Found"), QStringLiteral("found")}};
    spec.target.headersEnv.append({QStringLiteral("X-Env"), QStringLiteral("SLUICE_NO_VAR")});
    auto store = std::make_shared<MemorySecretStore>();
    store->entries.insert(QStringLiteral("found"), QStringLiteral("v"));
    RunOptions options;
    options.secrets = store;
    options.environment = [](const QString &) -> std::optional<QString> {
        return std::nullopt;
    };
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::ConfigError);
    // Every problem at once, each naming its field and entry.
    QCOMPARE(rec.message.split(u'\n'),
             (QStringList {
                 QStringLiteral("source.passwordKeychain: no entry \"db\" in the test store"),
                 QStringLiteral("target.headersEnv.X-Env: the environment variable "
                                "SLUICE_NO_VAR is not set"),
                 QStringLiteral("target.headersKeychain.X-Api-Key: no entry \"api key\" in the "
                                "test store"),
             }));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestTransferRun::unreachableKeychainIsAConfigError()
{
    m_sink.clear();
    TransferSpec spec = makeSpec(5);
    spec.target.headersKeychain = {{QStringLiteral("Authorization"), QStringLiteral("api")}};
    auto store = std::make_shared<MemorySecretStore>();
    store->entries.insert(QStringLiteral("api"), QStringLiteral("Bearer x"));
    store->setUnavailable(QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY"));
    RunOptions options;
    options.secrets = store;
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::ConfigError);
    QCOMPARE(rec.message,
             QStringLiteral("target.headersKeychain.Authorization: cannot read the entry \"api\" "
                            "from the test store: Cannot autolaunch D-Bus without X11 $DISPLAY"));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestTransferRun::cancelWhileTheKeychainIsAsked()
{
    m_sink.clear();
    TransferSpec spec = makeSpec(5);
    spec.target.headersKeychain = {{QStringLiteral("Authorization"), QStringLiteral("api")}};
    auto store = std::make_shared<MemorySecretStore>();
    store->entries.insert(QStringLiteral("api"), QStringLiteral("Bearer x"));
    RunOptions options;
    options.secrets = store;
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    run.start();
    QCOMPARE(run.state(), TransferRun::State::Starting);
    run.cancel(); // before the store answers
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Cancelled);
    QTest::qWait(50); // the store's answer arrives and must be ignored
    QCOMPARE(rec.finishedCount, 1);
    QCOMPARE(run.state(), TransferRun::State::Finished);
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestTransferRun::parameterOverridesAreBound()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    RunOptions options;
    options.parameterOverrides.insert(QStringLiteral("n"), 25);
    TransferRun run(makeSpec(1000), options);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(run.counts().delivered, 25);

    // An override for a parameter the query does not have names it.
    RunOptions bad;
    bad.parameterOverrides.insert(QStringLiteral("limit"), 3);
    TransferRun badRun(makeSpec(10), bad);
    RunRecorder badRec(&badRun);
    badRun.start();
    QTRY_VERIFY(badRec.outcome.has_value());
    QCOMPARE(*badRec.outcome, TransferRun::Outcome::ConfigError);
    QVERIFY2(badRec.message.contains(QLatin1String(":limit")), qPrintable(badRec.message));
}

void TestTransferRun::emptyResultCompletes()
{
    m_sink.clear();
    TransferRun run(makeSpec(0));
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(rec.outcome.has_value());
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(run.counts().read, 0);
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestTransferRun::cancelReportsEveryUnfinishedItem()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(200);
    TransferRun run(makeSpec(1000));
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(run.counts().delivered >= 8);
    run.cancel();
    QTRY_VERIFY(rec.outcome.has_value());
    m_sink.setDefaultDelayMs(0);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Cancelled);
    const RunCounts c = run.counts();
    QVERIFY(c.read < 1000);
    QCOMPARE(c.delivered + c.failed + c.invalid, c.read);
    QCOMPARE(qint64(rec.finishedById.size()), c.read);
    for (auto it = rec.finishedById.cbegin(); it != rec.finishedById.cend(); ++it)
        QCOMPARE(it.value(), 1);
    int cancelled = 0;
    for (const ItemResult &r : std::as_const(rec.results))
        cancelled += r.error.contains(QLatin1String("cancelled")) ? 1 : 0;
    QCOMPARE(cancelled, int(c.failed));
    QVERIFY(cancelled > 0);
}

void TestTransferRun::pauseAndResume()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(20);
    TransferRun run(makeSpec(200));
    RunRecorder rec(&run);
    QSignalSpy states(&run, &TransferRun::stateChanged);
    run.start();
    QTRY_VERIFY(run.counts().delivered >= 10);
    run.pause();
    QCOMPARE(run.state(), TransferRun::State::Paused);
    // What was in flight completes; then nothing moves while paused.
    QTRY_COMPARE(run.counts().sending, 0);
    const qint64 delivered = run.counts().delivered;
    const int requests = m_sink.requestCount();
    QTest::qWait(150);
    QCOMPARE(run.counts().delivered, delivered);
    QCOMPARE(m_sink.requestCount(), requests);
    run.resume();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    m_sink.setDefaultDelayMs(0);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(run.counts().delivered, 200);
    QVERIFY(states.size() >= 4); // Starting, Running, Paused, Running, Finished
}

void TestTransferRun::retryFailedItemsAfterTheRun()
{
    m_sink.clear();
    // The API rejects multiples of 5 with 503 until it "recovers".
    bool recovered = false;
    m_sink.setHandler([&recovered](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (!recovered && r.jsonId.toInt() % 5 == 0) {
            reply.status = 503;
            reply.body = QByteArrayLiteral(R"({"error":"down for maintenance"})");
        }
        return reply;
    });
    TransferSpec spec = makeSpec(100);
    spec.run.maxRetries = 1;
    RunOptions options;
    options.retry.baseDelayMs = 5;
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    QSignalSpy statuses(&run, &TransferRun::itemStatusChanged);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(run.counts().failed, 20);
    QCOMPARE(rec.results.value(4).attempts, 2);

    QList<Item> again;
    for (const ItemResult &r : std::as_const(rec.results)) {
        if (r.status == ItemStatus::Failed)
            again.append(Item {r.id, r.key, r.payload, r.url, {}});
    }
    // Ids that did not fail are not sent again.
    again.append(Item {0, QStringLiteral("sensor-1"), QByteArrayLiteral("{}"), {}, {}});
    recovered = true;
    rec.outcome.reset();
    statuses.clear();
    // The time the run sits finished before the retry is not part of its duration.
    const double first = run.elapsedSeconds();
    QVERIFY(first > 0);
    QTest::qWait(1000);
    QCOMPARE(run.elapsedSeconds(), first);
    QElapsedTimer retrySpan;
    retrySpan.start();
    QCOMPARE(run.retry(again), 20);
    QCOMPARE(run.state(), TransferRun::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    const double span = double(retrySpan.nsecsElapsed()) / 1e9;
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QVERIFY2(run.elapsedSeconds() > first && run.elapsedSeconds() <= first + span,
             qPrintable(QStringLiteral("%1 s after %2 s and a retry of %3 s")
                            .arg(run.elapsedSeconds())
                            .arg(first)
                            .arg(span)));
    const RunCounts c = run.counts();
    QCOMPARE(c.delivered, 100);
    QCOMPARE(c.failed, 0);
    QCOMPARE(rec.results.value(4).status, ItemStatus::Delivered);
    QCOMPARE(rec.results.value(4).attempts, 3); // two before, one now
    QCOMPARE(rec.finishedById.value(4), 2); // reported once per send
    QCOMPARE(rec.finishedById.value(0), 1);
    // Each retried item went back to Queued before it was sent.
    int queuedAgain = 0;
    for (const QList<QVariant> &args : std::as_const(statuses))
        queuedAgain += args.at(1).value<ItemStatus>() == ItemStatus::Queued ? 1 : 0;
    QCOMPARE(queuedAgain, 20);
    QCOMPARE(m_sink.countById().value(QStringLiteral("5")), 1);
    m_sink.setHandler(nullptr); // it refers to a local
}

void TestTransferRun::retryWithAnEditedPayload()
{
    m_sink.clear();
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (r.body.contains("\"value\":null")) {
            reply.status = 422;
            reply.body = QByteArrayLiteral(R"({"error":"value must not be null"})");
        }
        return reply;
    });
    TransferRun run(makeSpec(20));
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    QCOMPARE(run.counts().failed, 2); // ids 10 and 20 have a NULL value
    const ItemResult failed = rec.results.value(9);
    QCOMPARE(failed.httpStatus, 422);
    Item edited {
        failed.id, failed.key, QByteArrayLiteral(R"({"id":10,"value":0.0})"), failed.url, {}};
    rec.outcome.reset();
    QCOMPARE(run.retry({edited}), 1);
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    QCOMPARE(rec.results.value(9).status, ItemStatus::Delivered);
    QCOMPARE(run.counts().delivered, 19);
    QCOMPARE(run.counts().failed, 1);
    QCOMPARE(m_sink.requests().last().body, QByteArray(R"({"id":10,"value":0.0})"));
}

void TestTransferRun::retryAfterCancel()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(100);
    TransferRun run(makeSpec(200));
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY(run.counts().delivered >= 8);
    run.cancel();
    QTRY_VERIFY(rec.outcome.has_value());
    m_sink.setDefaultDelayMs(0);
    const qint64 failed = run.counts().failed;
    QVERIFY(failed > 0);
    QList<Item> again;
    for (const ItemResult &r : std::as_const(rec.results)) {
        if (r.status == ItemStatus::Failed)
            again.append(Item {r.id, r.key, r.payload, r.url, {}});
    }
    rec.outcome.reset();
    QCOMPARE(run.retry(again), int(failed));
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    // Still a cancelled run (not everything was read), but what was owed is delivered.
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Cancelled);
    QCOMPARE(run.counts().failed, 0);
    QCOMPARE(run.counts().delivered, run.counts().read);
    for (int n : m_sink.countById())
        QVERIFY(n >= 1);
}

void TestTransferRun::retargetSendsRetriesToTheFixedTarget()
{
    m_sink.clear();
    m_sink.setDefaultDelayMs(0);
    // /wrong rejects everything; /items stores. The steward fixes the URL and a header.
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (r.path.startsWith(QLatin1String("/wrong"))) {
            reply.status = 404;
            reply.body = QByteArrayLiteral(R"({"error":"no such index"})");
        }
        return reply;
    });
    TransferSpec spec = makeSpec(30, QStringLiteral("/wrong/{{id}}"));
    spec.run.maxRetries = 0;
    RunOptions options;
    options.environment = [](const QString &name) -> std::optional<QString> {
        if (name == QLatin1String("API_TOKEN"))
            return QStringLiteral("Bearer fixed");
        return std::nullopt;
    };
    TransferRun run(spec, options);
    RunRecorder rec(&run);
    QString error;
    QVERIFY(!run.retarget(spec.target, spec.run, &error)); // not before it finished
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    QCOMPARE(run.counts().failed, 30);
    QCOMPARE(rec.results.value(0).url, m_sink.url(QStringLiteral("/wrong/1")).toString());

    TargetSpec fixed = spec.target;
    fixed.url = m_sink.url(QStringLiteral("/items")).toString();
    fixed.headersEnv.append({QStringLiteral("Authorization"), QStringLiteral("API_TOKEN")});
    RunSpec runSpec = spec.run;
    runSpec.concurrency = 3;
    QVERIFY2(run.retarget(fixed, runSpec, &error), qPrintable(error));
    QCOMPARE(run.spec().target, fixed);
    QCOMPARE(run.spec().run.concurrency, 3);

    QList<Item> again;
    for (const ItemResult &r : std::as_const(rec.results))
        again.append(Item {r.id, r.key, r.payload, r.url, {}});
    const int before = m_sink.requestCount();
    rec.outcome.reset();
    QCOMPARE(run.retry(again), 30);
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    QCOMPARE(run.counts().delivered, 30);
    const QList<TestSink::Request> requests = m_sink.requests().mid(before);
    QCOMPARE(requests.size(), 30);
    for (const TestSink::Request &r : requests) {
        QCOMPARE(r.path, QStringLiteral("/items")); // not the URL resolved from the old template
        QCOMPARE(r.header("Authorization"), QByteArray("Bearer fixed"));
    }
    QVERIFY(m_sink.peakInFlight() <= 3);
    m_sink.setHandler(nullptr);
}

void TestTransferRun::retargetRefusesWhatItCannotKeep()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    TransferSpec spec = makeSpec(5);
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);

    QString error;
    TargetSpec templated = spec.target;
    templated.url = m_sink.url().toString() + QStringLiteral("items/{{id}}");
    QVERIFY(!run.retarget(templated, spec.run, &error));
    QVERIFY2(error.startsWith(QLatin1String("target.url:")) && error.contains(u"placeholders"),
             qPrintable(error));

    TargetSpec broken = spec.target;
    broken.url = QStringLiteral("ftp://127.0.0.1/x");
    QVERIFY(!run.retarget(broken, spec.run, &error));
    QVERIFY2(error.contains(QLatin1String("target.url")), qPrintable(error));

    TargetSpec secret = spec.target;
    secret.headersEnv.append({QStringLiteral("X-Key"), QStringLiteral("SLUICE_TEST_UNSET_VAR")});
    QVERIFY(!run.retarget(secret, spec.run, &error));
    QVERIFY2(error.contains(QLatin1String("SLUICE_TEST_UNSET_VAR")), qPrintable(error));

    RunSpec tooMany = spec.run;
    tooMany.concurrency = 100000;
    QVERIFY(!run.retarget(spec.target, tooMany, &error));
    QVERIFY2(error.contains(QLatin1String("run.concurrency")), qPrintable(error));
    // Nothing changed.
    QCOMPARE(run.spec().target, spec.target);
    QCOMPARE(run.spec().run, spec.run);
}

void TestTransferRun::stopAfterFailures()
{
    m_sink.clear();
    m_sink.setDefaultDelayMs(0);
    m_sink.setHandler(TestSink::answeringAll(422, "{\"error\":\"rejected\"}"));
    TransferSpec spec = makeSpec(1000);
    spec.run.stopAfterFailures = 5;
    spec.run.concurrency = 2;
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    m_sink.setHandler(nullptr);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Stopped);
    QCOMPARE(rec.message,
             QStringLiteral("stopped after 5 failed or invalid items (run.stopAfterFailures)"));
    QCOMPARE(rec.finishedCount, 1);
    const RunCounts c = run.counts();
    QCOMPARE(c.delivered, 0);
    QVERIFY(c.failed >= 5);
    QCOMPARE(c.failed + c.invalid, c.read); // every item read is reported, once
    QCOMPARE(qint64(rec.finishedById.size()), c.read);
    // Nothing after the stop: the 5 that failed and what was in flight (answers come in
    // batches, and a batch frees its slots before the failures are told).
    QVERIFY2(m_sink.requestCount() <= 5 + 2 * spec.run.concurrency,
             qPrintable(QString::number(m_sink.requestCount())));
    QVERIFY(c.read < 1000);
    int decided = 0;
    for (const ItemResult &result : std::as_const(rec.results)) {
        QCOMPARE(result.status, ItemStatus::Failed);
        if (result.cancelled) {
            QCOMPARE(result.error, QStringLiteral("cancelled"));
            QCOMPARE(result.attempts, 0);
        } else {
            ++decided;
            QCOMPARE(result.httpStatus, 422);
        }
    }
    QCOMPARE(decided, m_sink.requestCount());
    QVERIFY(decided >= 5);
}

void TestTransferRun::idempotencyKeyFromTheRow()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(0);
    TransferSpec spec = makeSpec(20);
    spec.target.idempotencyKey = QStringLiteral("row-{{id}}");
    TransferRun run(spec);
    RunRecorder rec(&run);
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(rec.outcome.has_value(), 30000);
    QCOMPARE(*rec.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(run.counts().delivered, 20);
    QSet<QByteArray> keys;
    const QList<TestSink::Request> requests = m_sink.requests();
    for (const TestSink::Request &request : requests) {
        QCOMPARE(request.header("Idempotency-Key"), "row-" + request.jsonId.toUtf8());
        keys.insert(request.header("Idempotency-Key"));
    }
    QCOMPARE(keys.size(), 20);
}

QTEST_GUILESS_MAIN(TestTransferRun)
#include "tst_transferrun.moc"
