// SPDX-License-Identifier: GPL-3.0-or-later
// RunSession without widgets: a run of a SQLite file to TestSink, what it logs, its total,
// pause and resume, and the export of its failed items; RunText's wording beside it.

#include "runsession.h"
#include "runtext.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include "log/eventlog.h"
#include "models/transferstatusmodel.h"

#include <QFile>
#include <QJsonObject>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {
constexpr int Rows = 40;
constexpr int Timeout = 30000;

QStringList logTexts(const EventLog &log)
{
    QStringList texts;
    for (qsizetype i = 0; i < log.size(); ++i)
        texts.append(log.at(i).text);
    return texts;
}
} // namespace

class TestRunSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runLogsItsStartFailuresAndEnd();
    void noRowsIsSaidPlainly();
    void pauseAndResumeAreLogged();
    void exportWritesTheFailedItems();
    void runTextWording();
    void stopAfterFailuresIsLogged();

private:
    TransferSpec makeSpec() const;
    /// Starts session and waits for its end; items with an id divisible by 10 are refused.
    void runWithFailures(RunSession &session);

    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_db;
};

void TestRunSession::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QString error;
    m_db = SqliteFixture::numbered(m_dir.path(), u"rows.db"_s, Rows, u"sensor,%1"_s, &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (r.jsonId.toInt() % 10 == 0) {
            reply.status = 422;
            reply.body = QByteArrayLiteral("{\"error\":\"bad \\\"name\\\"\"}");
        }
        return reply;
    });
}

TransferSpec TestRunSession::makeSpec() const
{
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = m_db;
    spec.query.sql = u"SELECT id, name FROM t ORDER BY id"_s;
    spec.transform.present = true;
    spec.transform.key = u"{{name}}"_s;
    spec.transform.templ = R"({"id":"{{id}}","name":"{{name}}"})";
    spec.target.url = m_sink.url().toString() + u"items"_s;
    spec.run.chunkSize = 10;
    spec.run.concurrency = 2;
    spec.run.maxRetries = 0;
    return spec;
}

void TestRunSession::runWithFailures(RunSession &session)
{
    QSignalSpy finished(&session, &RunSession::finished);
    session.start(makeSpec(), RunOptions());
    QVERIFY(session.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Timeout);
    QCOMPARE(finished.at(0).at(0).value<TransferRun::Outcome>(), TransferRun::Outcome::Completed);
}

void TestRunSession::runLogsItsStartFailuresAndEnd()
{
    RunSession session;
    bool known = true;
    QCOMPARE(session.total(RunCounts(), &known), qint64(0));
    QVERIFY(!known);
    QVERIFY(!session.outcome());

    runWithFailures(session);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(!session.isRunning());
    QVERIFY(session.outcome() == TransferRun::Outcome::Completed);
    const RunCounts counts = session.run()->counts();
    QCOMPARE(session.total(counts, &known), qint64(Rows));
    QVERIFY(known);
    QCOMPARE(session.model()->count(ItemStatus::Failed), Rows / 10);

    // Started, the protocol (with the first answer), one error per failed item (with its key
    // and HTTP status), finished.
    const EventLog &log = *session.eventLog();
    const QStringList texts = logTexts(log);
    QCOMPARE(log.size(), Rows / 10 + 3);
    QVERIFY2(texts.first().startsWith(u"Started: SQLite"_s) && texts.first().contains(u"/items"_s),
             qPrintable(texts.first()));
    QCOMPARE(texts.at(1), RunSession::tr("The target answers over %1.").arg(u"HTTP/1.1"_s));
    for (qsizetype i = 2; i <= Rows / 10 + 1; ++i) {
        QCOMPARE(log.at(i).severity, EventLog::Severity::Error);
        QCOMPARE(log.at(i).httpStatus, 422);
        QVERIFY2(texts.at(i).startsWith(log.at(i).key + u" failed (attempts: 1)"_s),
                 qPrintable(texts.at(i)));
    }
    QCOMPARE(log.at(log.size() - 1).severity, EventLog::Severity::Warning);
    QVERIFY2(texts.last().contains(u"36 delivered, 4 failed, 0 invalid"_s),
             qPrintable(texts.last()));

    // A retry runs the run again and logs how many items went.
    const QList<Item> items
        = session.model()->itemsForRetry(session.model()->idsWithStatus(ItemStatus::Failed));
    QCOMPARE(items.size(), Rows / 10);
    QSignalSpy finished(&session, &RunSession::finished);
    QCOMPARE(session.retry(items), Rows / 10);
    QVERIFY(logTexts(log).contains(u"Sending again: %1."_s.arg(RunText::itemCount(Rows / 10))));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Timeout);
}

void TestRunSession::noRowsIsSaidPlainly()
{
    RunSession session;
    QSignalSpy finished(&session, &RunSession::finished);
    TransferSpec spec = makeSpec();
    spec.query.sql = u"SELECT id, name FROM t WHERE id > 1000"_s;
    m_sink.clear();
    session.start(spec, RunOptions());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Timeout);
    QCOMPARE(finished.at(0).at(0).value<TransferRun::Outcome>(), TransferRun::Outcome::Completed);
    const EventLog &log = *session.eventLog();
    QCOMPARE(log.at(log.size() - 1).severity, EventLog::Severity::Warning);
    QVERIFY2(
        log.at(log.size() - 1).text.contains(u"the query returned no rows, nothing was sent"_s),
        qPrintable(log.at(log.size() - 1).text));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestRunSession::pauseAndResumeAreLogged()
{
    m_sink.setDefaultDelayMs(50);
    RunSession session;
    session.start(makeSpec(), RunOptions());
    QTRY_COMPARE_WITH_TIMEOUT(session.run()->state(), TransferRun::State::Running, Timeout);
    session.togglePause();
    QTRY_COMPARE(session.run()->state(), TransferRun::State::Paused);
    session.togglePause();
    QTRY_COMPARE(session.run()->state(), TransferRun::State::Running);
    const QStringList texts = logTexts(*session.eventLog());
    const qsizetype paused
        = texts.indexOf(u"Paused: requests already sent are finished, no new ones go out."_s);
    QVERIFY2(paused > 0 && texts.indexOf(u"Resumed."_s) > paused, qPrintable(texts.join(u'\n')));
    session.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!session.isRunning(), Timeout);
    QVERIFY(session.outcome() == TransferRun::Outcome::Cancelled);
    m_sink.setDefaultDelayMs(0);
}

void TestRunSession::exportWritesTheFailedItems()
{
    RunSession session;
    runWithFailures(session);
    if (QTest::currentTestFailed())
        return;
    QString error;
    const QString csv = m_dir.filePath(u"failed.csv"_s);
    QVERIFY2(session.exportFailed(csv, RunSession::ExportFormat::Csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.startsWith("key,status,http status,attempts,error\r\n"));
    // Keys with a comma are quoted; one line per failed item.
    QVERIFY2(text.contains("\r\n\"sensor,10\",failed,422,1,"), text.constData());
    QCOMPARE(text.count("\r\n"), 1 + Rows / 10);

    const QString ndjson = m_dir.filePath(u"failed.ndjson"_s);
    QVERIFY2(session.exportFailed(ndjson, RunSession::ExportFormat::Ndjson, &error),
             qPrintable(error));
    QFile lines(ndjson);
    QVERIFY(lines.open(QIODevice::ReadOnly));
    QCOMPARE(lines.readAll().count('\n'), Rows / 10);

    QVERIFY(!session.exportFailed(m_dir.filePath(u"no/such/dir/x.csv"_s),
                                  RunSession::ExportFormat::Csv, &error));
    QVERIFY(error.contains(u"x.csv"_s));
}

void TestRunSession::runTextWording()
{
    QCOMPARE(RunText::duration(0.4), u"0 s"_s);
    QCOMPARE(RunText::duration(59.4), u"59 s"_s);
    QCOMPARE(RunText::duration(187), u"3 min 07 s"_s);
    QCOMPARE(RunText::duration(2 * 3600 + 5 * 60 + 59), u"2 h 05 min"_s);
    QCOMPARE(RunText::itemCount(1), u"1 item"_s);
    QCOMPARE(RunText::itemCount(1234), u"%1 items"_s.arg(QLocale().toString(1234)));
}

void TestRunSession::stopAfterFailuresIsLogged()
{
    // Ids 10, 20, 30 and 40 are refused: the second failure stops the run.
    RunSession session;
    TransferSpec spec = makeSpec();
    spec.run.stopAfterFailures = 2;
    spec.run.concurrency = 1;
    QSignalSpy finished(&session, &RunSession::finished);
    session.start(spec, RunOptions());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Timeout);
    QCOMPARE(finished.at(0).at(0).value<TransferRun::Outcome>(), TransferRun::Outcome::Stopped);
    QVERIFY(session.outcome() == TransferRun::Outcome::Stopped);
    const RunCounts counts = session.run()->counts();
    // The request after id 20 may have started before its failure was told: it is answered.
    QVERIFY(counts.delivered == 18 || counts.delivered == 19);
    QVERIFY(counts.failed >= 2);
    const QStringList texts = logTexts(*session.eventLog());
    const QString expected
        = u"Stopped after 2 failed or invalid items (the transfer's limit), in %1: %2 "
          u"delivered, %3 failed, 0 invalid. Nothing more was read."_s.arg(
              RunText::duration(session.run()->elapsedSeconds()),
              QLocale().toString(counts.delivered), QLocale().toString(counts.failed));
    QVERIFY2(texts.contains(expected), qPrintable(texts.join(u'\n')));
}

QTEST_MAIN(TestRunSession)
#include "tst_runsession.moc"
