// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: `sluice run` killed with SIGKILL at random moments and `sluice resume` after
// each kill, against a server that fails a fifth of its requests; and what `sluice resume`
// says about journals it cannot go on with.

#include "sqlitefixture.h"
#include "testsink.h"

#include "journal/journalfile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace sluice;

namespace {

constexpr int Rows = 3000;
constexpr int Concurrency = 8;

struct Result
{
    int exitCode = -1;
    bool killed = false;
    QString out;
    QString err;
};

/// What the sink saw of one request.
struct Seen
{
    qint64 id = -1; // item id (row number - 1), from the URL
    int segment = 0; // which process sent it (0: the first run, 1.. the resumes)
    bool ok = false; // answered 2xx
    qint64 atMs = 0;
};

} // namespace

class TestResume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedThreeTimesAndResumedDeliversEveryRowOnce();
    void resumeRefusesWhatItCannotGoOnWith_data();
    void resumeRefusesWhatItCannotGoOnWith();
    void runKeepsAJournalInTheDataFolderByDefault();
    void runRefusesAnExistingJournalFile();

private:
    /// Runs sluice; stopWhen (polled every few ms) returning true kills it with SIGKILL.
    Result runSluice(const QStringList &arguments, const std::function<bool()> &stopWhen = {},
                     int timeoutMs = 120000);
    QString writeTransfer(const QString &name, const QString &path);

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_db;
};

void TestResume::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QList<QVariantList> rows;
    for (int i = 1; i <= Rows; ++i)
        rows.append({i, QStringLiteral("sensor %1").arg(i), i * 0.5});
    QString error;
    m_db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("rows.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, value REAL)")},
        QStringLiteral("t"), rows, &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

QString TestResume::writeTransfer(const QString &name, const QString &path)
{
    QJsonObject transfer {
        {QStringLiteral("version"), 1},
        {QStringLiteral("source"),
         QJsonObject {{QStringLiteral("driver"), QStringLiteral("QSQLITE")},
                      {QStringLiteral("database"), m_db}}},
        {QStringLiteral("query"),
         QJsonObject {
             {QStringLiteral("sql"), QStringLiteral("SELECT id, name, value FROM t ORDER BY id")}}},
        {QStringLiteral("transform"),
         QJsonObject {{QStringLiteral("key"), QStringLiteral("{{id}}")},
                      {QStringLiteral("template"),
                       QJsonObject {{QStringLiteral("id"), QStringLiteral("{{id}}")},
                                    {QStringLiteral("name"), QStringLiteral("{{name}}")},
                                    {QStringLiteral("value"), QStringLiteral("{{value}}")}}}}},
        {QStringLiteral("target"),
         QJsonObject {{QStringLiteral("url"), QString(m_sink.url().toString() + path)},
                      {QStringLiteral("method"), QStringLiteral("PUT")},
                      {QStringLiteral("timeoutSeconds"), 5}}},
        {QStringLiteral("run"),
         QJsonObject {{QStringLiteral("chunkSize"), 250},
                      {QStringLiteral("concurrency"), Concurrency},
                      {QStringLiteral("maxRetries"), 40}}},
    };
    const QString file = m_dir.filePath(name);
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(QJsonDocument(transfer).toJson());
    return file;
}

Result TestResume::runSluice(const QStringList &arguments, const std::function<bool()> &stopWhen,
                             int timeoutMs)
{
    QProcess process;
    process.setProgram(m_sluice);
    process.setArguments(arguments);
    process.start();
    Result result;
    if (!process.waitForStarted()) {
        qWarning() << "cannot start" << m_sluice << process.errorString();
        return result;
    }
    // Not waitForFinished(): the sink lives in this thread and needs the event loop.
    QElapsedTimer clock;
    clock.start();
    while (process.state() != QProcess::NotRunning && clock.elapsed() < timeoutMs) {
        if (stopWhen && stopWhen()) {
            process.kill(); // SIGKILL: no chance to write anything more
            result.killed = true;
            break;
        }
        QTest::qWait(2);
    }
    if (process.state() != QProcess::NotRunning) {
        if (!result.killed)
            qWarning() << "sluice did not finish in" << timeoutMs << "ms";
        process.kill();
        process.waitForFinished(5000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void TestResume::killedThreeTimesAndResumedDeliversEveryRowOnce()
{
    // A fifth of the requests fail: 503 (to be retried at once: Retry-After 0) or a closed
    // connection, from a seeded generator.
    QRandomGenerator random(20261205);
    QList<Seen> seen;
    int segment = 0;
    QElapsedTimer clock;
    clock.start();
    m_sink.clear();
    m_sink.setHandler([&](const TestSink::Request &request) {
        TestSink::Reply reply;
        Seen s;
        s.id = request.path.section(u'/', -1).toLongLong() - 1;
        s.segment = segment;
        s.atMs = clock.elapsed();
        const quint32 roll = random.bounded(100);
        if (roll < 15) {
            reply.status = 503;
            reply.body = "{\"error\":\"busy\"}";
            reply.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("0")});
        } else if (roll < 20) {
            reply.dropConnection = true; // the connection closes without an answer
        }
        s.ok = reply.status < 300 && !reply.dropConnection;
        seen.append(s);
        return reply;
    });
    const QString transfer
        = writeTransfer(QStringLiteral("kill.json"), QStringLiteral("docs/{{id}}"));
    QVERIFY(!transfer.isEmpty());
    const QString journal = m_dir.filePath(QStringLiteral("kill.sluicerun"));

    // Kill early (while the first chunks are read), then twice in full flow.
    const int killAfterDelivered[] = {int(random.bounded(1, 40)), int(random.bounded(300, 800)),
                                      int(random.bounded(300, 800))};
    QSet<qint64> everDelivered;
    for (int kill = 0; kill <= 3; ++kill) {
        segment = kill;
        const qsizetype firstOfSegment = seen.size();
        QStringList args = kill == 0
            ? QStringList {QStringLiteral("run"), transfer, QStringLiteral("--journal"), journal}
            : QStringList {QStringLiteral("resume"), journal};
        args << QStringLiteral("--quiet");
        const auto deliveredThisSegment = [&] {
            int n = 0;
            for (qsizetype i = firstOfSegment; i < seen.size(); ++i)
                n += seen[i].ok ? 1 : 0;
            return n;
        };
        std::function<bool()> stopWhen;
        if (kill < 3)
            stopWhen = [&] {
                return deliveredThisSegment() >= killAfterDelivered[kill];
            };
        const Result r = runSluice(args, stopWhen);

        // This process sent nothing the journal held delivered when it started.
        for (qsizetype i = firstOfSegment; i < seen.size(); ++i) {
            QVERIFY2(!everDelivered.contains(seen[i].id),
                     qPrintable(QStringLiteral("item %1 was held delivered and sent again by "
                                               "process %2")
                                    .arg(seen[i].id)
                                    .arg(kill + 1)));
        }

        // What the journal holds as delivered now must never be sent again.
        if (kill < 3) {
            QVERIFY2(r.killed,
                     qPrintable(QStringLiteral("segment %1 ended before its kill: %2 %3")
                                    .arg(kill)
                                    .arg(r.out, r.err)));
            QSet<qint64> held;
            QString error;
            QVERIFY2(JournalFile::forEachItem(
                         journal,
                         [&](const JournalItem &item) {
                             if (item.status == ItemStatus::Delivered)
                                 held.insert(item.item.id);
                         },
                         &error),
                     qPrintable(error));
            // Nothing is held delivered that the server did not answer 2xx for.
            for (qint64 id : std::as_const(held)) {
                bool ok = false;
                for (const Seen &s : std::as_const(seen))
                    ok = ok || (s.id == id && s.ok);
                QVERIFY2(ok,
                         qPrintable(QStringLiteral("item %1 held delivered, never 2xx").arg(id)));
            }
            // The next process must not send these; checked once it ran.
            everDelivered = held;
            // Delivered in this segment (2xx) and not held: answers the journal had not
            // recorded when the process died. At most the requests in flight plus the last
            // batch: answers within the last flush interval (100 ms) and the time its write
            // and sync may take on a busy machine (400 ms more).
            qint64 lastMs = 0;
            for (qsizetype i = firstOfSegment; i < seen.size(); ++i)
                lastMs = std::max(lastMs, seen[i].atMs);
            QSet<qint64> unrecorded;
            int lastBatch = 0;
            for (qsizetype i = firstOfSegment; i < seen.size(); ++i) {
                if (!seen[i].ok || held.contains(seen[i].id))
                    continue;
                unrecorded.insert(seen[i].id);
                if (seen[i].atMs >= lastMs - 500)
                    ++lastBatch;
            }
            qInfo("kill %d: %lld held delivered, %lld delivered but not yet recorded (bound %d)",
                  kill + 1, static_cast<long long>(held.size()),
                  static_cast<long long>(unrecorded.size()), Concurrency + lastBatch);
            QVERIFY2(unrecorded.size() <= Concurrency + lastBatch,
                     qPrintable(QStringLiteral("%1 delivered items were not in the journal")
                                    .arg(unrecorded.size())));
        } else {
            QVERIFY2(!r.killed, "the last resume was not to be killed");
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(
                r.out.startsWith(QStringLiteral("delivered %1, failed 0, invalid 0 in ").arg(Rows)),
                qPrintable(r.out + r.err));
        }
    }

    // Every row reached the server, by key, and nothing else did.
    QSet<qint64> delivered;
    for (const Seen &s : std::as_const(seen)) {
        QVERIFY(s.id >= 0 && s.id < Rows);
        if (s.ok)
            delivered.insert(s.id);
    }
    QCOMPARE(delivered.size(), Rows);
    QString error;
    const auto summary = JournalFile::readSummary(journal, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, Rows);
    QCOMPARE(summary->segments, 4);
    QCOMPARE(summary->end, JournalEnd::Completed);
}

void TestResume::resumeRefusesWhatItCannotGoOnWith_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing") << QStringLiteral("missing") << QStringLiteral("no such file");
    QTest::newRow("not a journal")
        << QStringLiteral("garbage") << QStringLiteral("not a Sluice journal, or a damaged one");
    QTest::newRow("empty") << QStringLiteral("empty")
                           << QStringLiteral("not a Sluice journal: the file holds nothing");
    QTest::newRow("newer") << QStringLiteral("newer")
                           << QStringLiteral("written by a newer Sluice (journal format %1")
                                  .arg(journal::FormatVersion + 1);
    QTest::newRow("completed") << QStringLiteral("completed")
                               << QStringLiteral("this run completed (delivered 20, failed 0, "
                                                 "invalid 0); there is nothing to go on with");
}

void TestResume::resumeRefusesWhatItCannotGoOnWith()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    m_sink.clear();
    m_sink.setHandler(nullptr);
    const QString journal = m_dir.filePath(kind + QStringLiteral(".sluicerun"));
    if (kind == QLatin1String("garbage") || kind == QLatin1String("empty")) {
        QFile f(journal);
        QVERIFY(f.open(QIODevice::WriteOnly));
        if (kind == QLatin1String("garbage"))
            f.write(QByteArray("{\"version\": 1}\n").repeated(500));
    } else if (kind != QLatin1String("missing")) {
        // A real journal of a short run.
        QFile t(writeTransfer(QStringLiteral("short.json"), QStringLiteral("docs/{{id}}")));
        QVERIFY(t.open(QIODevice::ReadOnly));
        QJsonObject o = QJsonDocument::fromJson(t.readAll()).object();
        QJsonObject query = o.value(QStringLiteral("query")).toObject();
        query.insert(QStringLiteral("sql"),
                     QStringLiteral("SELECT id, name, value FROM t WHERE id <= 20 ORDER BY id"));
        o.insert(QStringLiteral("query"), query);
        const QString shortTransfer = m_dir.filePath(QStringLiteral("short20.json"));
        QFile out(shortTransfer);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(o).toJson());
        out.close();
        QFile::remove(journal);
        const Result r
            = runSluice({QStringLiteral("run"), shortTransfer, QStringLiteral("--journal"), journal,
                         QStringLiteral("--quiet")});
        QCOMPARE(r.exitCode, 0);
        if (kind == QLatin1String("newer")) {
            const QString name = QStringLiteral("tst_resume_newer");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(journal);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(
                    QStringLiteral("PRAGMA user_version = %1").arg(journal::FormatVersion + 1)));
            }
            QSqlDatabase::removeDatabase(name);
        }
    }
    const Result r = runSluice({QStringLiteral("resume"), journal});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("sluice resume: journal ") + journal),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.out, QString());
}

void TestResume::runKeepsAJournalInTheDataFolderByDefault()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    const QString transfer
        = writeTransfer(QStringLiteral("default.json"), QStringLiteral("d/{{id}}"));
    QTemporaryDir data;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), data.path());
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(m_sluice, {QStringLiteral("run"), transfer});
    QVERIFY(process.waitForStarted());
    QElapsedTimer clock;
    clock.start();
    while (process.state() != QProcess::NotRunning && clock.elapsed() < 60000)
        QTest::qWait(10);
    QCOMPARE(process.exitCode(), 0);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    const QRegularExpression line(QStringLiteral("sluice run: journal (\\S+default-\\d{8}-\\d{6}"
                                                 "\\.sluicerun)\\n"));
    const auto match = line.match(err);
    QVERIFY2(match.hasMatch(), qPrintable(err));
    QVERIFY2(match.captured(1).startsWith(data.path() + QStringLiteral("/Sluice/Sluice/runs/")),
             qPrintable(match.captured(1)));
    QString error;
    const auto summary = JournalFile::readSummary(match.captured(1), &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, Rows);
    QCOMPARE(summary->transferFile, transfer);
    const auto runs = JournalFile::listRuns(data.path() + QStringLiteral("/Sluice/Sluice/runs"));
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().transferName, QStringLiteral("default"));
}

void TestResume::runRefusesAnExistingJournalFile()
{
    m_sink.clear();
    const QString transfer
        = writeTransfer(QStringLiteral("exists.json"), QStringLiteral("e/{{id}}"));
    const QString journal = m_dir.filePath(QStringLiteral("exists.sluicerun"));
    QFile f(journal);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const Result r
        = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--journal"), journal});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("the file exists; a journal is one run's")),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestResume)
#include "tst_resume.moc"
