// SPDX-License-Identifier: GPL-3.0-or-later
// RunReport: the HTML is well-formed XML (read back with QXmlStreamReader), holds the counts,
// the latency percentiles, the charts as SVG and the failures grouped by cause with an
// example, escapes what the API answered, and leaves every secret out. Also FailureDigest.

#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "models/failuregroupmodel.h"
#include "spec/secretheaders.h"
#include "transfer/failuredigest.h"
#include "transfer/runreport.h"
#include "transfer/svgchart.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

/// The report read as XML: every element's text by id, and counts of elements.
struct Parsed
{
    bool wellFormed = false;
    QString error;
    QHash<QString, QString> textById; ///< text of elements with an id, their descendants' too
    QStringList rowsOf(const QString &id) const;
    int svgCount = 0;
    int polylineCount = 0;
    QString allText;
    QStringList failureGroupRows;
    QStringList exampleKeys;
};

Parsed parse(const QByteArray &html)
{
    Parsed parsed;
    QXmlStreamReader xml(html);
    struct Open
    {
        QString id;
        QString cls;
        QString text;
    };
    QList<Open> stack;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            // Cells and rows read apart: "Items read 100", not "Items read100".
            for (Open &open : stack)
                open.text += u' ';
            const QXmlStreamAttributes attributes = xml.attributes();
            stack.append({attributes.value("id"_L1).toString(),
                          attributes.value("class"_L1).toString(),
                          {}});
            if (xml.name() == "svg"_L1)
                ++parsed.svgCount;
            if (xml.name() == "polyline"_L1)
                ++parsed.polylineCount;
        } else if (xml.isCharacters()) {
            parsed.allText += xml.text();
            for (Open &open : stack)
                open.text += xml.text();
        } else if (xml.isEndElement()) {
            const Open open = stack.takeLast();
            if (!open.id.isEmpty())
                parsed.textById.insert(open.id, open.text.simplified());
            if (open.cls == "failure-group"_L1)
                parsed.failureGroupRows.append(open.text.simplified());
            if (open.cls == "key"_L1)
                parsed.exampleKeys.append(open.text);
        }
    }
    parsed.wellFormed = !xml.hasError();
    parsed.error = xml.errorString() + u" at line "_s + QString::number(xml.lineNumber());
    return parsed;
}

ItemResult failure(qint64 id, int httpStatus, const QByteArray &body)
{
    ItemResult r;
    r.id = id;
    r.key = u"row-%1"_s.arg(id);
    r.status = ItemStatus::Failed;
    r.httpStatus = httpStatus;
    r.attempts = 1;
    r.latencyUs = 9000;
    r.responseBody = body;
    r.error = u"HTTP %1 Unprocessable Entity: "_s.arg(httpStatus) + QString::fromUtf8(body);
    return r;
}

RunReport sampleReport()
{
    RunReport report;
    TransferSpec &spec = report.spec;
    spec.source.driver = u"QPSQL"_s;
    spec.source.database = u"sensors"_s;
    spec.source.host = u"db.example"_s;
    spec.source.user = u"steward"_s;
    spec.source.passwordEnv = u"SENSORS_DB_PASSWORD"_s;
    spec.source.options = u"connect_timeout=5;password=hunter2-in-options"_s;
    spec.query.sql = u"SELECT * FROM sensors WHERE site = :site AND n < 5"_s;
    spec.query.parameters.insert(u"site"_s, u"Zürich <north>"_s);
    spec.query.parameters.insert(u"limit"_s, 250);
    spec.target.url = u"https://bot:url-secret-42@api.example/sensors/_doc"_s;
    spec.target.headers = {{u"Content-Type"_s, u"application/json"_s},
                           {u"Authorization"_s, u"Bearer literal-token-123"_s},
                           {u"X-Api-Key"_s, u"env-header-value-should-not-be-here"_s}};
    spec.target.headersEnv = {{u"X-Api-Key"_s, u"API_KEY"_s}};
    report.transferFile = u"/data/transfers/sensors-to-api.json"_s;
    report.startedAt = QDateTime(QDate(2026, 12, 5), QTime(10, 15, 0));
    report.finishedAt = QDateTime(QDate(2026, 12, 5), QTime(10, 15, 3));
    report.seconds = 3.0;
    report.outcome = TransferRun::Outcome::Completed;
    report.counts.read = 100;
    report.counts.delivered = 90;
    report.counts.failed = 8;
    report.counts.invalid = 2;

    RunStatistics &stats = report.statistics;
    for (int i = 0; i < 90; ++i)
        stats.record(i * 30, ItemStatus::Delivered, 2000 + i * 100); // 2.0 .. 10.9 ms
    FailureDigest digest;
    for (int i = 0; i < 6; ++i) {
        ItemResult r
            = failure(100 + i, 422, "{\"error\":\"temperature out of range <-60..60> & rising\"}");
        stats.record(2700 + i, r);
        digest.add(r);
    }
    for (int i = 0; i < 2; ++i) {
        ItemResult r = failure(200 + i, 409, "{\"error\":\"conflict\"}");
        r.error = u"HTTP 409 Conflict: {\"error\":\"conflict\"}"_s;
        stats.record(2800 + i, r);
        digest.add(r);
    }
    for (int i = 0; i < 2; ++i) {
        ItemResult r;
        r.id = 300 + i;
        r.key = u"bad-%1"_s.arg(i);
        r.status = ItemStatus::Invalid;
        r.error = u"column temperature: NaN has no JSON form"_s;
        stats.record(2900 + i, r);
        digest.add(r);
    }
    stats.finish(3000);
    report.failures = digest.groups();
    return report;
}

} // namespace

class TestRunReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void digestGroupsAndMovesItems()
    {
        FailureDigest digest;
        for (int i = 0; i < 5; ++i)
            digest.add(failure(i, 422, "{\"error\":\"bad date\"}"));
        digest.add(failure(10, 500, "{\"error\":\"boom\"}"));
        QList<FailureDigest::Group> groups = digest.groups();
        QCOMPARE(groups.size(), 2);
        QCOMPARE(groups[0].count, 5);
        QCOMPARE(groups[0].message, u"bad date"_s);
        QCOMPARE(groups[0].examples.size(), FailureDigest::MaxExamples);
        QCOMPARE(groups[0].examples[0].key, u"row-0"_s);
        // A retry that passed takes the item (and its example) out; the group empties.
        ItemResult delivered;
        delivered.id = 10;
        delivered.status = ItemStatus::Delivered;
        digest.add(delivered);
        delivered.id = 0;
        digest.add(delivered);
        groups = digest.groups();
        QCOMPARE(groups.size(), 1);
        QCOMPARE(groups[0].count, 4);
        QCOMPARE(groups[0].examples[0].key, u"row-1"_s);
        QCOMPARE(digest.itemCount(), 4);
        // A later failure for another cause moves the item.
        digest.add(failure(1, 503, "{\"error\":\"busy\"}"));
        groups = digest.groups();
        QCOMPARE(groups.size(), 2);
        QCOMPARE(groups[0].count, 3);
        QCOMPARE(groups[1].count, 1);
        QCOMPARE(digest.itemCount(), 4);
    }

    void digestGroupsAsTheFailureGroupsViewDoes()
    {
        // The report and the Failures view must split causes alike: same status, HTTP status
        // and message is one cause even when servers word the reason differently.
        QList<ItemResult> results;
        for (int i = 0; i < 3; ++i)
            results.append(failure(i, 422, "{\"error\":\"bad date\"}"));
        ItemResult reworded = failure(3, 422, "{\"error\":\"bad date\"}");
        reworded.error = u"HTTP 422 Unprocessable Content: {\"error\":\"bad date\"}"_s;
        results.append(reworded);
        results.append(failure(4, 500, "{\"error\":\"bad date\"}"));
        ItemResult invalid;
        invalid.id = 5;
        invalid.status = ItemStatus::Invalid;
        invalid.error = u"column t: NaN has no JSON form"_s;
        results.append(invalid);

        FailureDigest digest;
        FailureGroupModel view;
        for (const ItemResult &result : std::as_const(results)) {
            digest.add(result);
            view.addResult(result);
        }
        view.flush();
        QMap<QString, qint64> fromDigest;
        for (const FailureDigest::Group &group : digest.groups())
            fromDigest.insert(u"%1 %2"_s.arg(group.httpStatus).arg(group.message), group.count);
        QMap<QString, qint64> fromView;
        for (int row = 0; row < view.rowCount(); ++row) {
            const QModelIndex message = view.index(row, FailureGroupModel::Message);
            fromView.insert(u"%1 %2"_s.arg(message.data(FailureGroupModel::HttpStatusRole).toInt())
                                .arg(message.data().toString()),
                            message.data(FailureGroupModel::CountRole).toLongLong());
        }
        QCOMPARE(fromDigest, fromView);
        QCOMPARE(fromDigest.value(u"422 bad date"_s), 4);
        QCOMPARE(fromDigest.size(), 3);
    }

    void digestIsBoundedInCauses()
    {
        FailureDigest digest;
        for (int i = 0; i < FailureDigest::MaxGroups + 20; ++i)
            digest.add(failure(i, 422, "{\"error\":\"cause " + QByteArray::number(i) + "\"}"));
        const QList<FailureDigest::Group> groups = digest.groups();
        QCOMPARE(groups.size(), FailureDigest::MaxGroups + 1);
        QCOMPARE(groups[0].count, 20); // "other causes", the largest
        QVERIFY(groups[0].message.isEmpty());
        QCOMPARE(digest.itemCount(), FailureDigest::MaxGroups + 20);
    }

    void reportIsWellFormedAndComplete()
    {
        const RunReport report = sampleReport();
        const QByteArray html = report.toHtml();
        const Parsed parsed = parse(html);
        QVERIFY2(parsed.wellFormed, qPrintable(parsed.error));
        QVERIFY(html.startsWith("<!DOCTYPE html>"));

        const QString outcome = parsed.textById.value(u"outcome"_s);
        QVERIFY2(outcome.startsWith(u"completed"_s), qPrintable(outcome));
        QVERIFY(outcome.contains(u"90 delivered"_s));
        QVERIFY(outcome.contains(u"8 failed"_s));
        QVERIFY(outcome.contains(u"2 invalid"_s));
        const QString summary = parsed.textById.value(u"summary"_s);
        QVERIFY2(summary.contains(u"Items read 100"_s), qPrintable(summary));
        QVERIFY(summary.contains(u"Started 2026-12-05T10:15:00"_s));
        QVERIFY(summary.contains(u"Ended 2026-12-05T10:15:03"_s));
        QVERIFY(summary.contains(u"Duration 3.00 s"_s));
        // 100 items finished in 3 s.
        QVERIFY(summary.contains(u"Items per second 33.3"_s));

        // Latency: 98 answered; p50 and p99 from the histogram, in ms.
        const QString latency = parsed.textById.value(u"latency"_s);
        const LatencyHistogram &h = report.statistics.latency();
        QCOMPARE(h.count(), 98);
        const auto ms = [](double us) -> QString {
            return QString::number(us / 1000, 'f', us < 10000 ? 2 : 1) + u" ms"_s;
        };
        QVERIFY2(latency.contains(ms(h.percentileUs(0.5))), qPrintable(latency));
        QVERIFY(latency.contains(ms(h.percentileUs(0.99))));
        // The 49th of 98: the delivered item of 6.8 ms; the 98th: the slowest, 10.9 ms.
        QVERIFY(std::abs(h.percentileUs(0.5) - 6800) < 6800 * 0.07);
        QVERIFY(std::abs(h.percentileUs(0.99) - 10900) < 10900 * 0.07);

        // Three charts, seven series.
        QCOMPARE(parsed.svgCount, 3);
        QCOMPARE(parsed.polylineCount, 7);
        QVERIFY(html.contains("<title>Items per second</title>"));

        // Failures by cause, largest first, with an example; the answer escaped.
        QCOMPARE(parsed.failureGroupRows.size(), 3);
        QVERIFY2(parsed.failureGroupRows[0].startsWith(u"6 422"_s),
                 qPrintable(parsed.failureGroupRows[0]));
        QVERIFY(
            parsed.failureGroupRows[0].contains(u"temperature out of range <-60..60> & rising"_s));
        QVERIFY(parsed.failureGroupRows[1].startsWith(u"2 "_s));
        QVERIFY(parsed.exampleKeys.contains(u"row-100"_s));
        QVERIFY(parsed.exampleKeys.contains(u"bad-0"_s));
        QVERIFY(html.contains("&lt;-60..60&gt; &amp; rising"));

        // Parameters as bound, escaped.
        const QString parameters = parsed.textById.value(u"parameters"_s);
        QVERIFY2(parameters.contains(u":site Zürich <north>"_s), qPrintable(parameters));
        QVERIFY(parameters.contains(u":limit 250"_s));
        QVERIFY(parsed.allText.contains(u"SELECT * FROM sensors WHERE site = :site AND n < 5"_s));
    }

    void reportHoldsNoSecret()
    {
        const QByteArray html = sampleReport().toHtml();
        for (const char *secret : {"literal-token-123", "env-header-value-should-not-be-here",
                                   "url-secret-42", "hunter2-in-options"})
            QVERIFY2(!html.contains(secret), secret);
        QVERIFY(html.contains(RedactedValue.toUtf8()));
        // What is not secret is there: the variable's name, the user, the header's name.
        QVERIFY(html.contains("SENSORS_DB_PASSWORD"));
        QVERIFY(html.contains("API_KEY"));
        QVERIFY(html.contains("https://bot:(redacted)@api.example/sensors/_doc"));
        QVERIFY(html.contains("connect_timeout=5;password=(redacted)"));
    }

    void reportOfARunWithoutAnswers()
    {
        RunReport report;
        report.outcome = TransferRun::Outcome::ConfigError;
        report.message = u"target.url: not an absolute http(s) URL <here>"_s;
        const QByteArray html = report.toHtml();
        const Parsed parsed = parse(html);
        QVERIFY2(parsed.wellFormed, qPrintable(parsed.error));
        QVERIFY(parsed.allText.contains(u"No request was answered."_s));
        QVERIFY(parsed.allText.contains(u"No item failed."_s));
        QVERIFY(parsed.allText.contains(u"not an absolute http(s) URL <here>"_s));
        QCOMPARE(parsed.svgCount, 3);
    }

    void controlCharactersDoNotBreakTheXml()
    {
        FailureDigest digest;
        digest.add(failure(1, 500, QByteArray("bin\x01\x02ary \xff\xfe answer", 18)));
        RunReport report;
        report.failures = digest.groups();
        const Parsed parsed = parse(report.toHtml());
        QVERIFY2(parsed.wellFormed, qPrintable(parsed.error));
    }

    void saveWritesTheFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(u"report.html"_s);
        QString error;
        QVERIFY2(sampleReport().save(file, &error), qPrintable(error));
        QFile read(file);
        QVERIFY(read.open(QIODevice::ReadOnly));
        QVERIFY(parse(read.readAll()).wellFormed);
        QVERIFY(!sampleReport().save(dir.filePath(u"no/such/folder/r.html"_s), &error));
        QVERIFY2(error.contains(u"no/such/folder/r.html"_s), qPrintable(error));
    }

    void svgAxesAreRound()
    {
        QCOMPARE(SvgChart::niceStep(1000, 5), 200.0);
        QCOMPARE(SvgChart::niceStep(7, 5), 2.0);
        QCOMPARE(SvgChart::niceStep(0.3, 5), 0.1);
        QCOMPARE(SvgChart::tickLabel(25000), u"25k"_s);
        QCOMPARE(SvgChart::tickLabel(1500000), u"1.5M"_s);
        QCOMPARE(SvgChart::tickLabel(0.5), u"0.5"_s);
    }
};

QTEST_GUILESS_MAIN(TestRunReport)
#include "tst_runreport.moc"
