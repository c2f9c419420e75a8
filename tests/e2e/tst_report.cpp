// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: `sluice run --report FILE` and `sluice resume --report FILE` (the real
// executable) against TestSink with an item rejected: the HTML report is well-formed, holds
// the counts, the latency, the charts and the failure with its example, and no secret (a
// header from the environment, a literal Authorization header).

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "sluiceprocess.h"
#include "sqlitefixture.h"
#include "testsink.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

constexpr int Rows = 40;
const QByteArray EnvSecret = "env-secret-value-9";
const QByteArray LiteralSecret = "literal-secret-7";

using Result = SluiceRun;

/// The report's text (elements apart by a space) and its number of <svg> elements; empty
/// text when it is not well-formed XML.
QString reportText(const QByteArray &html, int *svgs, QString *error)
{
    QXmlStreamReader xml(html);
    QString text;
    *svgs = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            text += u' ';
            if (xml.name() == "svg"_L1)
                ++*svgs;
        } else if (xml.isCharacters()) {
            text += xml.text();
        }
    }
    if (xml.hasError()) {
        *error = xml.errorString() + u" at line "_s + QString::number(xml.lineNumber());
        return {};
    }
    return text.simplified();
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runAndResumeWriteReports();
    void unwritableReportFolderIsRefused();

private:
    Result runSluice(const QStringList &arguments);
    QByteArray readFile(const QString &path);

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_transfer;
};

void TestReport::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QString error;
    const QString db
        = SqliteFixture::numbered(m_dir.path(), u"report.db"_s, Rows, u"sensor-%1"_s, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));
    // Concurrency 1 and stopAfterFailures 1: the run stops at the rejected item 5, owing the
    // rest, so that `sluice resume` has something to go on with.
    const QString text = uR"({
  "version": 1,
  "source": { "driver": "QSQLITE", "database": "report.db" },
  "query": { "sql": "SELECT id, name FROM t WHERE id >= :first ORDER BY id",
             "parameters": { "first": 1 } },
  "transform": { "key": "{{name}}", "template": { "id": "{{id}}", "name": "{{name}}" } },
  "target": { "url": "%1", "method": "POST",
              "headers": { "Authorization": "Bearer %2" },
              "headersEnv": { "X-Api-Key": "SLUICE_REPORT_TEST_KEY" } },
  "run": { "chunkSize": 10, "concurrency": 1, "maxRetries": 0, "stopAfterFailures": 1 }
})"_s.arg(m_sink.url().toString() + u"items"_s, QString::fromLatin1(LiteralSecret));
    m_transfer = m_dir.filePath(u"sensors-report.json"_s);
    QFile file(m_transfer);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text.toUtf8());
}

Result TestReport::runSluice(const QStringList &arguments)
{
    SluiceCall call;
    call.environment = QProcessEnvironment::systemEnvironment();
    call.environment.insert(u"SLUICE_REPORT_TEST_KEY"_s, QString::fromLatin1(EnvSecret));
    return ::runSluice(m_sluice, arguments, call);
}

QByteArray TestReport::readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestReport::runAndResumeWriteReports()
{
    bool reject = true;
    m_sink.setHandler([&reject](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (reject && r.jsonId == u"5"_s) {
            reply.status = 422;
            reply.body = R"({"error":"reading <5> & its site do not match"})";
        }
        return reply;
    });
    const QString journal = m_dir.filePath(u"run.sluicerun"_s);
    const QString report = m_dir.filePath(u"first.html"_s);
    const Result first = runSluice({u"run"_s, m_transfer, u"--journal"_s, journal, u"--report"_s,
                                    report, u"--set"_s, u"first=1"_s});
    QCOMPARE(first.exitCode, 1); // stopped after the failed item
    QVERIFY2(first.err.contains(u"report "_s + report), qPrintable(first.err));
    // The requests carried the secrets; the report must not.
    QVERIFY(m_sink.requestCount() >= 5);

    const QByteArray html = readFile(report);
    QVERIFY(!html.isEmpty());
    int svgs = 0;
    QString error;
    const QString text = reportText(html, &svgs, &error);
    QVERIFY2(!text.isEmpty(), qPrintable(error));
    QCOMPARE(svgs, 3);
    QVERIFY2(text.contains(u"Run report: sensors-report"_s), qPrintable(text.left(300)));
    // The items read but not sent count as failed (cancelled), as in the summary line; the
    // request in flight when item 5 failed is answered, so 4 or 5 are delivered.
    const QRegularExpression outcome(
        u"stopped after too many failed items: (\\d+) delivered, (\\d+) failed, 0 invalid"_s);
    const QRegularExpressionMatch match = outcome.match(text);
    QVERIFY2(match.hasMatch(), qPrintable(text.mid(text.indexOf(u"Run report:"_s), 700)));
    const int delivered = match.captured(1).toInt();
    QVERIFY2(delivered >= 4 && delivered <= 5, qPrintable(match.captured(0)));
    QVERIFY(match.captured(2).toInt() >= 1);
    QVERIFY(text.contains(u"Delivered %1"_s.arg(delivered)));
    // Latency of the answered requests.
    const QRegularExpression latency(
        u"p50 p95 p99 max [\\d.]+ ms [\\d.]+ ms [\\d.]+ ms [\\d.]+ ms"_s);
    QVERIFY2(latency.match(text).hasMatch(), qPrintable(text));
    QVERIFY(text.contains(u"over %1 answered items"_s.arg(delivered + 1)));
    // The failure, grouped, with its example and the API's answer.
    QVERIFY2(text.contains(u"1 422 Unprocessable Entity reading <5> & its site do not match"_s),
             qPrintable(text));
    QVERIFY(text.contains(u"sensor-5"_s));
    QVERIFY(html.contains("reading &lt;5&gt; &amp; its site do not match"));
    // The parameter as bound, and the transfer, without its secrets.
    QVERIFY(text.contains(u":first 1"_s));
    QVERIFY(!html.contains(EnvSecret));
    QVERIFY(!html.contains(LiteralSecret));
    QVERIFY(html.contains("SLUICE_REPORT_TEST_KEY"));
    QVERIFY(html.contains("(redacted)"));

    // Resume: the journal's stopAfterFailures counts the failure before it too, so the
    // resumed run stops again at once; its report counts the whole run and says what the
    // journal held.
    reject = false;
    const QString second = m_dir.filePath(u"resumed.html"_s);
    const Result resumed = runSluice({u"resume"_s, journal, u"--report"_s, second});
    QCOMPARE(resumed.exitCode, 1);
    QVERIFY2(resumed.err.contains(u"report "_s + second), qPrintable(resumed.err));
    const QByteArray resumedHtml = readFile(second);
    const QString resumedText = reportText(resumedHtml, &svgs, &error);
    QVERIFY2(!resumedText.isEmpty(), qPrintable(error));
    QCOMPARE(svgs, 3);
    const QRegularExpression summary(u"delivered (\\d+), failed (\\d+), invalid 0"_s);
    const QRegularExpressionMatch counts = summary.match(resumed.out);
    QVERIFY2(counts.hasMatch(), qPrintable(resumed.out));
    QVERIFY2(resumedText.contains(u"%1 delivered, %2 failed, 0 invalid"_s.arg(counts.captured(1),
                                                                              counts.captured(2))),
             qPrintable(resumedText.mid(resumedText.indexOf(u"Run report:"_s), 700)));
    QVERIFY(resumedText.contains(u"Finished before this resume %1"_s.arg(delivered + 1)));
    QVERIFY(!resumedHtml.contains(EnvSecret));
    QVERIFY(!resumedHtml.contains(LiteralSecret));
}

void TestReport::unwritableReportFolderIsRefused()
{
    const int before = m_sink.requestCount();
    const Result r = runSluice({u"run"_s, m_transfer, u"--no-journal"_s, u"--report"_s,
                                m_dir.filePath(u"missing/folder/report.html"_s)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"--report"_s) && r.err.contains(u"missing/folder"_s),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), before); // nothing was sent
}

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
