// SPDX-License-Identifier: GPL-3.0-or-later
// The run journal: what RunJournal writes, what JournalFile reads back, files it must refuse,
// and TransferRun going on from a journal (cancelled, or its source changed meanwhile).

#include "sqlitefixture.h"
#include "testsink.h"

#include "journal/journalfile.h"
#include "journal/runjournal.h"
#include "spec/transferspec.h"
#include "transfer/transferrun.h"

#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

Item makeItem(qint64 id, const QString &key = {}, const QByteArray &payload = "{}")
{
    Item item;
    item.id = id;
    item.key = key.isNull() ? QString::number(id + 1) : key;
    item.payload = payload;
    return item;
}

ItemResult makeResult(qint64 id, ItemStatus status, int attempts, int http = 0)
{
    ItemResult r;
    r.id = id;
    r.key = QString::number(id + 1);
    r.status = status;
    r.attempts = attempts;
    r.httpStatus = http;
    if (status != ItemStatus::Delivered) {
        r.error = QStringLiteral("HTTP %1").arg(http);
        r.responseBody = "{\"error\":\"no\"}";
    }
    return r;
}

QHash<qint64, JournalItem> readItems(const QString &file)
{
    QHash<qint64, JournalItem> items;
    QString error;
    const bool ok = JournalFile::forEachItem(
        file, [&](const JournalItem &item) { items.insert(item.item.id, item); }, &error);
    if (!ok)
        qWarning("%s", qPrintable(error));
    return items;
}

/// Runs a statement on a SQLite file through a connection of its own.
bool execOn(const QString &file, const QString &sql)
{
    const QString name = QStringLiteral("tst_runjournal_exec");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery query(db);
            ok = query.exec(sql);
            if (!ok)
                qWarning("%s", qPrintable(query.lastError().text()));
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

/// The rows a query gives on a SQLite file, through a connection of its own.
QList<QVariantList> rowsOn(const QString &file, const QString &sql)
{
    const QString name = QStringLiteral("tst_runjournal_rows");
    QList<QVariantList> rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery query(db);
            if (!query.exec(sql))
                qWarning("%s", qPrintable(query.lastError().text()));
            while (query.next()) {
                QVariantList row;
                for (int i = 0; i < query.record().count(); ++i)
                    row.append(query.value(i));
                rows.append(row);
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

struct Outcome
{
    std::optional<TransferRun::Outcome> outcome;
    QString message;
};

} // namespace

class TestRunJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesWhatHappensToEveryItem();
    void aDeliveredItemsPayloadIsDropped();
    void consecutiveDeliveriesAreOneRow();
    void aJournalOfTheFirstFormatIsReadAndUpgraded();
    void aChunkStillBeingSentIsHeldBackOneBatch();
    void aNewJournalIsNeverWrittenOverAnOldOne();
    void aJournalIsWrittenByOneProcessAtATime();
    void runsStartedInOneSecondTakeNumberedNames();
    void refusesAJournalOfANewerSluice();
    void refusesFilesThatAreNotJournals_data();
    void refusesFilesThatAreNotJournals();
    void oldCompletedJournalsArePruned();
    void aRunWritesItsJournal();
    void aCancelledRunGoesOnWhereItStopped();
    void aRunStoppedByItsFailureLimitGoesOnWhenResumed();
    void aResumeOfAFullyReadSourceOnlySendsWhatIsOwed();
    void aResumeRefusesASourceWhoseRowsChanged();
    void aResumeRefusesASourceWithFewerRows();
    void aResumeKnowsAKeyedRowByItsKey();

private:
    TransferSpec makeSpec(const QString &db, int rows);
    QString journalPath(const QString &name) const { return m_dir.filePath(name); }
    Outcome runToEnd(TransferRun &run, int timeoutMs = 30000);
    /// A run of spec going on from journal file, whose resume state is state.
    static std::unique_ptr<TransferRun> resumeRun(const QString &file, const ResumeState &state,
                                                  const TransferSpec &spec);
    /// A database of 200 rows in folder and the journal of a run of it cancelled after 40
    /// items were delivered, with rows read and not (for the resume tests).
    void cancelledRun(const QString &folder, QString *db, QString *journal);
    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_db;
};

void TestRunJournal::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QList<QVariantList> rows;
    for (int i = 1; i <= 600; ++i)
        rows.append({i, QStringLiteral("sensor-%1").arg(i), i * 0.25});
    QString error;
    m_db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("rows.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, value REAL)")},
        QStringLiteral("t"), rows, &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

TransferSpec TestRunJournal::makeSpec(const QString &db, int rows)
{
    TransferSpec spec;
    spec.source.driver = QStringLiteral("QSQLITE");
    spec.source.database = db;
    spec.query.sql = QStringLiteral("SELECT id, name, value FROM t WHERE id <= :n ORDER BY id");
    spec.query.parameters.insert(QStringLiteral("n"), rows);
    spec.transform.present = true;
    spec.transform.key = QStringLiteral("{{name}}");
    spec.transform.templ = R"({"id":"{{id}}","name":"{{name}}","value":"{{value}}"})";
    spec.target.url = m_sink.url().toString() + QStringLiteral("docs/{{id}}");
    spec.target.method = QStringLiteral("PUT");
    spec.run.chunkSize = 50;
    spec.run.concurrency = 4;
    spec.run.maxRetries = 0;
    return spec;
}

Outcome TestRunJournal::runToEnd(TransferRun &run, int timeoutMs)
{
    Outcome out;
    QObject::connect(&run, &TransferRun::finished, &run,
                     [&out](TransferRun::Outcome o, const QString &m) {
                         out.outcome = o;
                         out.message = m;
                     });
    if (run.state() == TransferRun::State::Idle)
        run.start();
    if (!QTest::qWaitFor([&] { return out.outcome.has_value(); }, timeoutMs))
        qWarning("the run did not finish in %d ms", timeoutMs);
    return out;
}

void TestRunJournal::cancelledRun(const QString &folder, QString *db, QString *journal)
{
    QList<QVariantList> rows;
    for (int i = 1; i <= 200; ++i)
        rows.append({i, QStringLiteral("n%1").arg(i), i * 1.0});
    QString error;
    *db = SqliteFixture::create(
        folder, QStringLiteral("rows.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, value REAL)")},
        QStringLiteral("t"), rows, &error);
    QVERIFY2(!db->isEmpty(), qPrintable(error));
    *journal = QDir(folder).filePath(QStringLiteral("run.sluicerun"));
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(10); // slow enough that the cancel finds rows not read yet
    RunOptions options;
    options.journalFile = *journal;
    TransferRun run(makeSpec(*db, 200), options);
    connect(&run, &TransferRun::itemFinished, &run, [&run](const ItemResult &) {
        if (run.counts().delivered == 40)
            run.cancel();
    });
    const Outcome out = runToEnd(run);
    m_sink.setDefaultDelayMs(0);
    QCOMPARE(out.outcome, TransferRun::Outcome::Cancelled);
}

std::unique_ptr<TransferRun>
TestRunJournal::resumeRun(const QString &file, const ResumeState &state, const TransferSpec &spec)
{
    RunOptions options;
    options.journalFile = file;
    options.resume = std::make_shared<const ResumeState>(state);
    return std::make_unique<TransferRun>(spec, options);
}

void TestRunJournal::writesWhatHappensToEveryItem()
{
    const QString file = journalPath(QStringLiteral("ops.sluicerun"));
    QString error;
    RunJournal::Header header;
    header.transfer = makeSpec(m_db, 10).toJson();
    header.transferFile = m_dir.filePath(QStringLiteral("t.json"));
    header.baseDir = m_dir.path();
    auto journal = RunJournal::create(file, header, &error);
    QVERIFY2(journal, qPrintable(error));
    journal->recordStart();
    Item invalid = makeItem(3);
    invalid.payload.clear();
    invalid.error = QStringLiteral("column \"value\": NaN is not a JSON number");
    Item withIdempotencyKey = makeItem(1);
    withIdempotencyKey.idempotencyKey = "sensor-2";
    journal->recordQueued(
        {makeItem(0, QStringLiteral("a")), withIdempotencyKey, makeItem(2), invalid});
    journal->recordStatus(0, ItemStatus::Sending, 1);
    journal->recordFinished(makeResult(0, ItemStatus::Delivered, 1, 201));
    journal->recordStatus(1, ItemStatus::Sending, 1);
    ItemResult invalidResult = makeResult(3, ItemStatus::Invalid, 0);
    invalidResult.error = invalid.error;
    invalidResult.responseBody.clear();
    journal->recordFinished(invalidResult);
    // A later batch: updates of rows written before.
    journal->flush();
    journal->recordStatus(1, ItemStatus::Retrying, 1);
    journal->recordStatus(2, ItemStatus::Sending, 1);
    ItemResult failed = makeResult(2, ItemStatus::Failed, 1, 422);
    failed.payload = "{}";
    journal->recordFinished(failed);
    journal->flush();
    QVERIFY2(journal->error().isEmpty(), qPrintable(journal->error()));

    // Read while the writer still has it open (WAL lets readers in).
    const auto items = readItems(file);
    QCOMPARE(items.size(), 4);
    QCOMPARE(items[0].item.key, QStringLiteral("a"));
    QCOMPARE(items[0].status, ItemStatus::Delivered);
    QCOMPARE(items[0].httpStatus, 201);
    QCOMPARE(items[0].attempts, 1);
    QCOMPARE(items[1].item.key, QStringLiteral("2")); // the default key, not stored
    QCOMPARE(items[1].status, ItemStatus::Retrying);
    QCOMPARE(items[1].item.payload, QByteArray("{}"));
    QCOMPARE(items[1].item.idempotencyKey, QByteArray("sensor-2"));
    QCOMPARE(items[2].status, ItemStatus::Failed);
    QCOMPARE(items[2].httpStatus, 422);
    QCOMPARE(items[2].lastError, QStringLiteral("HTTP 422"));
    QCOMPARE(items[2].response, QByteArray("{\"error\":\"no\"}"));
    QCOMPARE(items[2].item.payload, QByteArray("{}"));
    QCOMPARE(items[3].status, ItemStatus::Invalid);
    QCOMPARE(items[3].item.error, invalid.error);

    journal->recordEnd(JournalEnd::Cancelled, QString(), 1, 1, 1);
    journal.reset();
    const auto summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, 1);
    QCOMPARE(summary->failed, 1);
    QCOMPARE(summary->invalid, 1);
    QCOMPARE(summary->unfinished, 1);
    QCOMPARE(summary->rowsRead, 4);
    QCOMPARE(summary->segments, 1);
    QCOMPARE(summary->end, JournalEnd::Cancelled);
    QVERIFY(summary->isResumable());
    QVERIFY(!summary->inUse);
    QCOMPARE(summary->transferName, QStringLiteral("t"));

    const auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    QCOMPARE(state->unfinished.size(), 1);
    QCOMPARE(state->unfinished.first().id, 1);
    // Sent again with the key its first attempt had, or a POST could store it twice.
    QCOMPARE(state->unfinished.first().idempotencyKey, QByteArray("sensor-2"));
    QVERIFY(state->mayHaveArrived.contains(1)); // it was sent, and not answered for
    QCOMPARE(state->attempts.value(1), 1);
    QCOMPARE(state->notDelivered.value(2), ItemStatus::Failed);
    QCOMPARE(state->notDelivered.value(3), ItemStatus::Invalid);
    QCOMPARE(state->boundaryKey, QStringLiteral("4"));
    QCOMPARE(state->boundaryDigest, journal::itemDigest(invalid.key, {}, invalid.error));
    QCOMPARE(state->spec.source.baseDir, m_dir.path());
    QCOMPARE(state->spec.target.method, QStringLiteral("PUT"));
}

void TestRunJournal::aDeliveredItemsPayloadIsDropped()
{
    const QString file = journalPath(QStringLiteral("payload.sluicerun"));
    QString error;
    auto journal = RunJournal::create(file, {makeSpec(m_db, 10).toJson(), {}, {}}, &error);
    QVERIFY2(journal, qPrintable(error));
    journal->recordQueued({makeItem(0, {}, "{\"secretless\":1}"), makeItem(1)});
    journal->flush(); // written with its payload first
    journal->recordFinished(makeResult(0, ItemStatus::Delivered, 1, 200));
    journal->flush();
    const auto items = readItems(file);
    QVERIFY(items[0].item.payload.isNull());
    QCOMPARE(items[1].item.payload, QByteArray("{}"));
}

void TestRunJournal::consecutiveDeliveriesAreOneRow()
{
    const QString file = journalPath(QStringLiteral("runs.sluicerun"));
    QString error;
    auto journal = RunJournal::create(file, {makeSpec(m_db, 10).toJson(), {}, {}}, &error);
    QVERIFY2(journal, qPrintable(error));
    // A bulk request's items: delivered alike. One has a key of its own, with what JSON must
    // escape in it; the others have the default key (the row number).
    const QString oddKey = QStringLiteral("Zürich \"7\"\n\\");
    QList<Item> items;
    for (qint64 id = 0; id < 10; ++id)
        items.append(makeItem(id, id == 7 ? oddKey : QString()));
    journal->recordQueued(items);
    for (qint64 id = 0; id < 10; ++id)
        journal->recordStatus(id, ItemStatus::Sending, 1);
    for (qint64 id = 0; id < 6; ++id)
        journal->recordFinished(makeResult(id, ItemStatus::Delivered, 1, 200));
    ItemResult seventh = makeResult(6, ItemStatus::Delivered, 1, 200);
    seventh.attempts = 2; // a run holds items delivered alike only
    journal->recordFinished(seventh);
    for (qint64 id = 7; id < 9; ++id)
        journal->recordFinished(makeResult(id, ItemStatus::Delivered, 2, 200));
    journal->flush(); // item 9 is still being sent
    QVERIFY2(journal->error().isEmpty(), qPrintable(journal->error()));

    QCOMPARE(rowsOn(file,
                    QStringLiteral("SELECT first, count, http_status, attempts, "
                                   "coalesce(keys, 'default') FROM delivered_run "
                                   "ORDER BY first")),
             (QList<QVariantList> {
                 {0, 6, 200, 1, QStringLiteral("default")},
                 {6, 3, 200, 2, QString::fromUtf8("[\"7\",\"Zürich \\\"7\\\"\\n\\\\\",\"9\"]")}}));
    // The last item read is the boundary a resume checks: a row of its own.
    QCOMPARE(rowsOn(file, QStringLiteral("SELECT id, status FROM item")),
             (QList<QVariantList> {{9, int(ItemStatus::Sending)}}));

    auto read = readItems(file);
    QCOMPARE(read.size(), 10);
    for (qint64 id = 0; id < 9; ++id) {
        QCOMPARE(read[id].status, ItemStatus::Delivered);
        QCOMPARE(read[id].httpStatus, 200);
        QCOMPARE(read[id].attempts, id < 6 ? 1 : 2);
        QCOMPARE(read[id].item.key, id == 7 ? oddKey : QString::number(id + 1));
        QVERIFY(read[id].item.payload.isNull());
    }
    QCOMPARE(read[9].status, ItemStatus::Sending);
    auto summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, 9);
    QCOMPARE(summary->unfinished, 1);

    // A delivered item sent again (a retry by hand) leaves its run: its stretch becomes rows
    // of their own, the item's row changes, and every other item stays as it was.
    Item again = makeItem(7, oddKey, "{\"edited\":1}");
    journal->recordRequeued(again, 2);
    journal->flush();
    QVERIFY2(journal->error().isEmpty(), qPrintable(journal->error()));
    QCOMPARE(rowsOn(file, QStringLiteral("SELECT first, count FROM delivered_run")),
             (QList<QVariantList> {{0, 6}}));
    read = readItems(file);
    QCOMPARE(read.size(), 10);
    QCOMPARE(read[7].status, ItemStatus::Queued);
    QCOMPARE(read[7].item.key, oddKey);
    QCOMPARE(read[7].item.payload, QByteArray("{\"edited\":1}"));
    for (const qint64 id : {6, 8}) {
        QCOMPARE(read[id].status, ItemStatus::Delivered);
        QCOMPARE(read[id].attempts, 2);
        QCOMPARE(read[id].item.key, QString::number(id + 1));
    }
    summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, 8);
    QCOMPARE(summary->unfinished, 2);
    const auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    QCOMPARE(state->unfinished.size(), 2);
    QCOMPARE(state->unfinished.first().id, 7);
}

void TestRunJournal::aJournalOfTheFirstFormatIsReadAndUpgraded()
{
    const QString file = journalPath(QStringLiteral("format1.sluicerun"));
    QString error;
    auto journal = RunJournal::create(file, {makeSpec(m_db, 10).toJson(), {}, {}}, &error);
    QVERIFY2(journal, qPrintable(error));
    journal->recordStart();
    journal->recordQueued({makeItem(0), makeItem(1), makeItem(2)});
    journal->recordFinished(makeResult(0, ItemStatus::Delivered, 1, 201));
    journal->recordFinished(makeResult(1, ItemStatus::Failed, 1, 422));
    journal->recordEnd(JournalEnd::Cancelled, QString(), 1, 1, 0);
    journal.reset();
    // What format 1 was: the same, without the table of delivered runs.
    QVERIFY(execOn(file, QStringLiteral("DROP TABLE delivered_run")));
    QVERIFY(execOn(file, QStringLiteral("PRAGMA user_version = 1")));

    auto summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, 1);
    QCOMPARE(summary->failed, 1);
    QCOMPARE(summary->unfinished, 1);
    QCOMPARE(readItems(file).size(), 3);
    QVERIFY2(JournalFile::readResumeState(file, &error), qPrintable(error));
    // Reading leaves it as it is: an older Sluice can still open it.
    QCOMPARE(rowsOn(file, QStringLiteral("PRAGMA user_version")), (QList<QVariantList> {{1}}));

    // A resume writes it, in this version's format.
    journal = RunJournal::reopen(file, &error);
    QVERIFY2(journal, qPrintable(error));
    journal->recordStart();
    journal->recordQueued({makeItem(3), makeItem(4), makeItem(5)});
    for (qint64 id = 2; id < 5; ++id)
        journal->recordFinished(makeResult(id, ItemStatus::Delivered, 1, 201));
    journal->flush();
    QVERIFY2(journal->error().isEmpty(), qPrintable(journal->error()));
    QCOMPARE(rowsOn(file, QStringLiteral("PRAGMA user_version")),
             (QList<QVariantList> {{journal::FormatVersion}}));
    QCOMPARE(rowsOn(file, QStringLiteral("SELECT first, count FROM delivered_run")),
             (QList<QVariantList> {{3, 2}}));
    summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, 4);
    QCOMPARE(summary->unfinished, 1);
    QCOMPARE(readItems(file).size(), 6);
}

void TestRunJournal::aChunkStillBeingSentIsHeldBackOneBatch()
{
    const QString file = journalPath(QStringLiteral("held.sluicerun"));
    QString error;
    auto journal = RunJournal::create(file, {makeSpec(m_db, 10).toJson(), {}, {}}, &error);
    QVERIFY2(journal, qPrintable(error));
    // Batches far apart: this test looks at the file between two of them.
    journal->setFlushInterval(std::chrono::seconds(2));
    QSignalSpy written(journal.get(), &RunJournal::written);
    journal->recordQueued({makeItem(0), makeItem(1), makeItem(2, QStringLiteral("k3"))});
    journal->recordStatus(0, ItemStatus::Sending, 1);
    journal->recordFinished(makeResult(0, ItemStatus::Delivered, 1, 201));
    journal->recordStatus(1, ItemStatus::Sending, 1);
    QVERIFY(written.wait(5000));

    // Items 1 and 2 are unanswered: the whole chunk waits for the next batch, and the
    // journal does not claim it was read (a crash now reads it again).
    auto summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->rowsRead, 0);
    QVERIFY(readItems(file).isEmpty());

    // Answered meanwhile: in they go without their payloads.
    journal->recordFinished(makeResult(1, ItemStatus::Delivered, 1, 201));
    journal->recordStatus(2, ItemStatus::Sending, 1);
    QVERIFY(written.wait(5000));
    summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->rowsRead, 3);
    auto items = readItems(file);
    QCOMPARE(items.size(), 3);
    QCOMPARE(items[0].status, ItemStatus::Delivered);
    QVERIFY(items[0].item.payload.isNull());
    QCOMPARE(items[1].status, ItemStatus::Delivered);
    QVERIFY(items[1].item.payload.isNull());
    // Never held twice: still being sent, written with what a resume needs.
    QCOMPARE(items[2].status, ItemStatus::Sending);
    QCOMPARE(items[2].item.key, QStringLiteral("k3"));
    QCOMPARE(items[2].item.payload, QByteArray("{}"));
    const auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    QCOMPARE(state->boundaryKey, QStringLiteral("k3"));
    QCOMPARE(state->boundaryDigest, journal::itemDigest(QStringLiteral("k3"), "{}", {}));
}

void TestRunJournal::aNewJournalIsNeverWrittenOverAnOldOne()
{
    const QString file = journalPath(QStringLiteral("exists.sluicerun"));
    QString error;
    QVERIFY(RunJournal::create(file, {"{}", {}, {}}, &error));
    QVERIFY(!RunJournal::create(file, {"{}", {}, {}}, &error));
    QVERIFY2(error.contains(QStringLiteral("exists already")), qPrintable(error));
}

void TestRunJournal::aJournalIsWrittenByOneProcessAtATime()
{
    const QString file = journalPath(QStringLiteral("locked.sluicerun"));
    QString error;
    auto first = RunJournal::create(file, {makeSpec(m_db, 1).toJson(), {}, {}}, &error);
    QVERIFY2(first, qPrintable(error));
    QVERIFY(!RunJournal::reopen(file, &error));
    QVERIFY2(error.contains(QStringLiteral("in use by another Sluice")), qPrintable(error));
    const auto summary = JournalFile::readSummary(file, &error);
    QVERIFY(summary && summary->inUse); // a run goes on in it
    first.reset();
    QVERIFY(!JournalFile::readSummary(file, &error)->inUse);
    QVERIFY2(RunJournal::reopen(file, &error), qPrintable(error));
}

// Two `sluice run`s of one transfer started in the same second get the same default name
// (CI's two tst_cli processes did): the second must take the next number, not fail.
void TestRunJournal::runsStartedInOneSecondTakeNumberedNames()
{
    const QString folder = journalPath(QStringLiteral("same-second"));
    const QDateTime at(QDate(2026, 12, 6), QTime(1, 43, 1));
    const QString name = JournalFile::newFileName(folder, QStringLiteral("/x/post.json"), at);
    QCOMPARE(QFileInfo(name).fileName(), QStringLiteral("post-20261206-014301.sluicerun"));
    const RunJournal::Header header {"{}", {}, {}};

    // Another process has claimed the name (its lock) and not yet created the file.
    QVERIFY(QDir().mkpath(folder));
    QLockFile other(JournalFile::lockFileName(name));
    QVERIFY(other.tryLock(0));
    QString error;
    QVERIFY(!RunJournal::create(name, header, &error));
    QVERIFY2(error.contains(QStringLiteral("cannot lock it")), qPrintable(error));
    auto second
        = RunJournal::create(name, header, &error, std::nullopt, RunJournal::NameTaken::TakeNext);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(QFileInfo(second->fileName()).fileName(),
             QStringLiteral("post-20261206-014301-2.sluicerun"));
    QVERIFY(!QFileInfo::exists(name)); // the other process's name is left to it

    // A third: the plain name is still locked, -2 exists and is in use.
    auto third
        = RunJournal::create(name, header, &error, std::nullopt, RunJournal::NameTaken::TakeNext);
    QVERIFY2(third, qPrintable(error));
    QCOMPARE(QFileInfo(third->fileName()).fileName(),
             QStringLiteral("post-20261206-014301-3.sluicerun"));

    // Once the other process is gone, a later run asking for the name gets it: an ended
    // run's file (here -2) is never taken again, whether or not it is locked.
    other.unlock();
    second.reset();
    auto fourth
        = RunJournal::create(name, header, &error, std::nullopt, RunJournal::NameTaken::TakeNext);
    QVERIFY2(fourth, qPrintable(error));
    QCOMPARE(fourth->fileName(), name);
    QCOMPARE(JournalFile::newFileName(folder, QStringLiteral("post"), at),
             JournalFile::numberedFileName(name, 4));
}

void TestRunJournal::refusesAJournalOfANewerSluice()
{
    const QString file = journalPath(QStringLiteral("newer.sluicerun"));
    QString error;
    QVERIFY(RunJournal::create(file, {makeSpec(m_db, 1).toJson(), {}, {}}, &error));
    QVERIFY(
        execOn(file, QStringLiteral("PRAGMA user_version = %1").arg(journal::FormatVersion + 1)));
    QVERIFY(!JournalFile::readResumeState(file, &error));
    QVERIFY2(error.contains(QStringLiteral("written by a newer Sluice")), qPrintable(error));
    QVERIFY2(error.contains(file), qPrintable(error));
    QVERIFY(!RunJournal::reopen(file, &error));
    QVERIFY2(error.contains(QStringLiteral("written by a newer Sluice")), qPrintable(error));
}

void TestRunJournal::refusesFilesThatAreNotJournals_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("the file holds nothing");
    QTest::newRow("text") << QByteArray("this is not a database, it is a note\n").repeated(200)
                          << QStringLiteral("not a Sluice journal, or a damaged one");
    QTest::newRow("other database") << QByteArray("other") << QStringLiteral("something else");
    QTest::newRow("truncated journal")
        << QByteArray("truncated") << QStringLiteral("not a Sluice journal, or a damaged one");
}

void TestRunJournal::refusesFilesThatAreNotJournals()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const QString file = journalPath(QStringLiteral("bad-%1.sluicerun")
                                         .arg(QLatin1String(QTest::currentDataTag()))
                                         .replace(u' ', u'-'));
    QFile::remove(file);
    QString error;
    if (content == "other") {
        QVERIFY(execOn(file, QStringLiteral("CREATE TABLE notes (text TEXT)")));
    } else if (content == "truncated") {
        auto journal = RunJournal::create(file, {makeSpec(m_db, 1).toJson(), {}, {}}, &error);
        QVERIFY(journal);
        journal.reset(); // checkpointed into the main file on close
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 3));
        f.seek(100);
        f.write(QByteArray(200, 'x'));
    } else {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    QVERIFY(!JournalFile::readResumeState(file, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.startsWith(QStringLiteral("journal ") + file), qPrintable(error));
    QVERIFY(!JournalFile::readSummary(file, &error));
}

void TestRunJournal::oldCompletedJournalsArePruned()
{
    QTemporaryDir folder;
    const auto make = [&](const QString &name, JournalEnd end, int daysAgo) {
        const QString file = folder.filePath(name + QStringLiteral(".sluicerun"));
        QString error;
        auto journal = RunJournal::create(file, {makeSpec(m_db, 1).toJson(), {}, {}}, &error);
        if (!journal)
            return QString();
        journal->recordStart();
        if (end != JournalEnd::None)
            journal->recordEnd(end, {}, 1, 0, 0);
        journal.reset();
        const QDateTime then = QDateTime::currentDateTime().addDays(-daysAgo);
        execOn(file,
               QStringLiteral("UPDATE segment SET ended_at = '%1' WHERE ended_at IS NOT NULL")
                   .arg(then.toString(Qt::ISODateWithMs)));
        QFile f(file);
        f.open(QIODevice::ReadWrite);
        f.setFileTime(then, QFileDevice::FileModificationTime);
        return file;
    };
    const QString oldCompleted = make(QStringLiteral("old-completed"), JournalEnd::Completed, 40);
    const QString newCompleted = make(QStringLiteral("new-completed"), JournalEnd::Completed, 2);
    const QString oldKilled = make(QStringLiteral("old-killed"), JournalEnd::None, 40);
    const QString oldCancelled = make(QStringLiteral("old-cancelled"), JournalEnd::Cancelled, 40);
    QVERIFY(!oldCompleted.isEmpty() && !newCompleted.isEmpty() && !oldKilled.isEmpty());
    QFile note(folder.filePath(QStringLiteral("notes.txt")));
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.close();

    QCOMPARE(JournalFile::pruneCompleted(folder.path(), 30), 1);
    QVERIFY(!QFileInfo::exists(oldCompleted));
    QVERIFY(!QFileInfo::exists(oldCompleted + QStringLiteral("-wal")));
    QVERIFY(QFileInfo::exists(newCompleted));
    QVERIFY(QFileInfo::exists(oldKilled)); // can still be resumed
    QVERIFY(QFileInfo::exists(oldCancelled));
    QVERIFY(note.exists());
    QCOMPARE(JournalFile::listRuns(folder.path()).size(), 3);

    // Deleting one by hand, and not one a run is writing.
    QString error;
    QVERIFY2(JournalFile::remove(newCompleted, &error), qPrintable(error));
    QVERIFY(!QFileInfo::exists(newCompleted));
    auto busy = RunJournal::reopen(oldKilled, &error);
    QVERIFY2(busy, qPrintable(error));
    QVERIFY(!JournalFile::remove(oldKilled, &error));
    QVERIFY2(error.contains(QStringLiteral("in use")), qPrintable(error));
}

void TestRunJournal::aRunWritesItsJournal()
{
    m_sink.clear();
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (r.path.endsWith(QStringLiteral("/7")))
            reply.status = 422;
        return reply;
    });
    const QString file = journalPath(QStringLiteral("run.sluicerun"));
    RunOptions options;
    options.journalFile = file;
    options.transferFile = m_dir.filePath(QStringLiteral("sensors.json"));
    TransferRun run(makeSpec(m_db, 120), options);
    const Outcome out = runToEnd(run);
    QCOMPARE(out.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(run.journalFile(), file);
    QString error;
    const auto summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, 119);
    QCOMPARE(summary->failed, 1);
    QCOMPARE(summary->rowsRead, 120);
    QVERIFY(summary->sourceDone);
    QCOMPARE(summary->end, JournalEnd::Completed);
    QVERIFY(!summary->isResumable());
    QVERIFY(summary->inUse); // the run object holds it until it goes (retries write to it)
    const auto items = readItems(file);
    QCOMPARE(items.size(), 120);
    QCOMPARE(items[6].status, ItemStatus::Failed);
    QCOMPARE(items[6].item.key, QStringLiteral("sensor-7"));
    QVERIFY(!items[6].item.payload.isEmpty());
    QCOMPARE(items[6].httpStatus, 422);
    QVERIFY(items[5].item.payload.isNull());
}

void TestRunJournal::aCancelledRunGoesOnWhereItStopped()
{
    // Slow answers so that the cancel comes mid-run, with items in flight, queued and unread.
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(15);
    const QString file = journalPath(QStringLiteral("cancelled.sluicerun"));
    const TransferSpec spec = makeSpec(m_db, 600);
    {
        RunOptions options;
        options.journalFile = file;
        TransferRun run(spec, options);
        connect(&run, &TransferRun::itemFinished, &run, [&run](const ItemResult &) {
            if (run.counts().delivered == 150)
                run.cancel();
        });
        const Outcome out = runToEnd(run);
        QCOMPARE(out.outcome, TransferRun::Outcome::Cancelled);
        QVERIFY(!run.isSourceDone() || run.counts().read < 600);
    }
    QString error;
    const auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    QVERIFY(state->summary.isResumable());
    QCOMPARE(state->summary.end, JournalEnd::Cancelled);
    QVERIFY(state->summary.delivered >= 150);
    QVERIFY(state->rowsRead < 600);
    QVERIFY(!state->unfinished.isEmpty()); // the cancelled ones are owed
    const qsizetype requestsBefore = m_sink.requestCount();

    m_sink.setDefaultDelayMs(0);
    const auto resumed = resumeRun(file, *state, state->spec);
    const Outcome out = runToEnd(*resumed);
    QCOMPARE(out.outcome, TransferRun::Outcome::Completed);
    QVERIFY2(out.message.isEmpty(), qPrintable(out.message));
    QCOMPARE(resumed->counts().delivered, 600);
    QCOMPARE(resumed->counts().read, 600);
    QCOMPARE(resumed->resumedFinished(), state->summary.delivered);

    // Everything reached the sink; nothing the journal held as delivered went again.
    const auto journalItems = readItems(file);
    QCOMPARE(journalItems.size(), 600);
    QSet<QString> paths;
    const QList<TestSink::Request> all = m_sink.requests();
    for (const TestSink::Request &r : all)
        paths.insert(r.path);
    QCOMPARE(paths.size(), 600);
    QSet<qint64> heldDelivered;
    // What the journal held delivered before the resume: every id it did not list as owed.
    QSet<qint64> owed;
    for (const Item &item : state->unfinished)
        owed.insert(item.id);
    for (qint64 id = 0; id < state->rowsRead; ++id) {
        if (!owed.contains(id) && !state->notDelivered.contains(id))
            heldDelivered.insert(id);
    }
    for (qsizetype i = requestsBefore; i < all.size(); ++i) {
        const qint64 id = all[i].path.section(u'/', -1).toLongLong() - 1;
        QVERIFY2(!heldDelivered.contains(id),
                 qPrintable(QStringLiteral("item %1 was sent again").arg(id)));
    }
    for (const auto &j : journalItems)
        QCOMPARE(j.status, ItemStatus::Delivered);
    const auto summary = JournalFile::readSummary(file, &error);
    QCOMPARE(summary->segments, 2);
    QCOMPARE(summary->end, JournalEnd::Completed);
}

void TestRunJournal::aRunStoppedByItsFailureLimitGoesOnWhenResumed()
{
    // The API refused everything; run.stopAfterFailures stopped the run. Fixed, a resume must
    // go on and count only its own failures, not stop at once on those the journal holds.
    m_sink.clear();
    m_sink.setDefaultDelayMs(0);
    m_sink.setHandler(TestSink::answeringAll(422, "{\"error\":\"rejected\"}"));
    const QString file = journalPath(QStringLiteral("stopped.sluicerun"));
    TransferSpec spec = makeSpec(m_db, 600);
    spec.run.stopAfterFailures = 5;
    spec.run.concurrency = 2;
    {
        RunOptions options;
        options.journalFile = file;
        TransferRun run(spec, options);
        QCOMPARE(runToEnd(run).outcome, TransferRun::Outcome::Stopped);
    }
    m_sink.setHandler(nullptr);
    QString error;
    const auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    QCOMPARE(state->summary.end, JournalEnd::Stopped);
    const qint64 rejected = state->notDelivered.size();
    QVERIFY2(rejected >= spec.run.stopAfterFailures, qPrintable(QString::number(rejected)));

    const auto resumed = resumeRun(file, *state, state->spec);
    const Outcome out = runToEnd(*resumed);
    QCOMPARE(out.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(resumed->counts().read, 600);
    QCOMPARE(resumed->counts().delivered + resumed->counts().failed, 600);
    QVERIFY(resumed->counts().delivered >= 600 - rejected);
    // The refusals of the first process are in the resumed run's failure groups (its report),
    // with the API's answer.
    QCOMPARE(resumed->failures().itemCount(), resumed->counts().failed);
    const QList<FailureDigest::Group> groups = resumed->failures().groups();
    QCOMPARE(groups.size(), 1);
    QCOMPARE(groups.first().httpStatus, 422);
    QCOMPARE(groups.first().message, u"rejected"_s);
    QCOMPARE(groups.first().examples.first().response, QByteArray("{\"error\":\"rejected\"}"));
}

void TestRunJournal::aResumeOfAFullyReadSourceOnlySendsWhatIsOwed()
{
    m_sink.clear();
    int calls = 0;
    m_sink.setHandler([&calls](const TestSink::Request &) {
        TestSink::Reply reply;
        if (++calls % 3 == 0)
            reply.status = 503;
        return reply;
    });
    const QString file = journalPath(QStringLiteral("readall.sluicerun"));
    const TransferSpec spec = makeSpec(m_db, 90);
    {
        RunOptions options;
        options.journalFile = file;
        // Long retries: the run is cancelled while some wait, after the whole source was read.
        options.retry.baseDelayMs = 60000;
        TransferSpec withRetries = spec;
        withRetries.run.maxRetries = 3;
        TransferRun run(withRetries, options);
        connect(&run, &TransferRun::itemFinished, &run, [&run](const ItemResult &) {
            if (run.isSourceDone() && run.counts().finished() >= 60)
                run.cancel();
        });
        const Outcome out = runToEnd(run);
        QCOMPARE(out.outcome, TransferRun::Outcome::Cancelled);
    }
    QString error;
    auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    QVERIFY(state->sourceDone);
    QCOMPARE(state->rowsRead, 90);
    m_sink.setHandler(nullptr);
    m_sink.clear();
    // The database is gone: a resume of a fully read source does not need it.
    TransferSpec changed = state->spec;
    changed.source.database = m_dir.filePath(QStringLiteral("gone.db"));
    const qsizetype owed = state->unfinished.size();
    const auto resumed = resumeRun(file, *state, changed);
    const Outcome out = runToEnd(*resumed);
    QCOMPARE(out.outcome, TransferRun::Outcome::Completed);
    QCOMPARE(m_sink.requestCount(), owed);
    QCOMPARE(resumed->counts().delivered + resumed->counts().failed, 90);
}

void TestRunJournal::aResumeRefusesASourceWhoseRowsChanged()
{
    QTemporaryDir dir;
    QString db;
    QString file;
    cancelledRun(dir.path(), &db, &file);
    if (QTest::currentTestFailed())
        return;
    QString error;
    auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    QVERIFY(!state->sourceDone);
    // The row at the boundary now holds something else.
    QVERIFY(execOn(
        db, QStringLiteral("UPDATE t SET name = 'renamed' WHERE id = %1").arg(state->rowsRead)));
    const auto resumed = resumeRun(file, *state, state->spec);
    const Outcome out = runToEnd(*resumed);
    QCOMPARE(out.outcome, TransferRun::Outcome::SourceError);
    QVERIFY2(out.message.contains(QStringLiteral("is not the row the interrupted run read there")),
             qPrintable(out.message));
    QVERIFY2(
        out.message.contains(QStringLiteral("\"n%1\" then, \"renamed\" now").arg(state->rowsRead)),
        qPrintable(out.message));
}

void TestRunJournal::aResumeRefusesASourceWithFewerRows()
{
    QTemporaryDir dir;
    QString db;
    QString file;
    cancelledRun(dir.path(), &db, &file);
    if (QTest::currentTestFailed())
        return;
    QString error;
    auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    QVERIFY(execOn(db, QStringLiteral("DELETE FROM t WHERE id > 20")));
    const auto resumed = resumeRun(file, *state, state->spec);
    const Outcome out = runToEnd(*resumed);
    QCOMPARE(out.outcome, TransferRun::Outcome::SourceError);
    QVERIFY2(out.message.contains(QStringLiteral("the query now returns 20 row(s), fewer than "
                                                 "the %1")
                                      .arg(state->rowsRead)),
             qPrintable(out.message));
}

void TestRunJournal::aResumeKnowsAKeyedRowByItsKey()
{
    QTemporaryDir dir;
    QString db;
    QString file;
    cancelledRun(dir.path(), &db, &file);
    if (QTest::currentTestFailed())
        return;
    QString error;
    auto state = JournalFile::readResumeState(file, &error);
    QVERIFY2(state, qPrintable(error));
    // Same key (name), another value: still the same row for a keyed transfer.
    QVERIFY(
        execOn(db, QStringLiteral("UPDATE t SET value = -1 WHERE id <= %1").arg(state->rowsRead)));
    const auto resumed = resumeRun(file, *state, state->spec);
    const Outcome out = runToEnd(*resumed);
    QCOMPARE(out.outcome, TransferRun::Outcome::Completed);
    QVERIFY2(out.message.isEmpty(), qPrintable(out.message));
    QCOMPARE(resumed->counts().delivered, 200);
}

QTEST_GUILESS_MAIN(TestRunJournal)
#include "tst_runjournal.moc"
