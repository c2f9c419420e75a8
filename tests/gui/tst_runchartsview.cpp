// SPDX-License-Identifier: GPL-3.0-or-later
// RunChartsView, offscreen: the series it shows for known statistics (rate, latency
// percentiles, items per status), that a refresh without news changes nothing, the axes, the
// accessible names and descriptions, the palette's colours, and a run's charts and report in
// the run panel (Save Report) against TestSink.

#include <QAccessible>
#include <QAction>
#include <QChartView>
#include <QFile>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QValueAxis>
#include <QXmlStreamReader>

#include "palette.h"
#include "requirechild.h"
#include "runchartsview.h"
#include "runpanel.h"
#include "sqlitefixture.h"
#include "statusdelegate.h"
#include "testsink.h"
#include "transfer/runstatistics.h"

using namespace Qt::StringLiterals;
using namespace sluice;

class TestRunChartsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seriesFollowTheStatistics()
    {
        RunChartsView view;
        view.resize(500, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        RunStatistics stats(100, 1000);
        view.setStatistics(&stats);
        QCOMPARE(view.rateSeries()->count(), 0);

        // 0-100 ms: 10 delivered at 2 ms; 100-200 ms: 30 delivered at 4 ms, 10 failed at 50 ms.
        for (int i = 0; i < 10; ++i)
            stats.record(i * 10, ItemStatus::Delivered, 2000);
        for (int i = 0; i < 30; ++i)
            stats.record(100 + i * 3, ItemStatus::Delivered, 4000);
        for (int i = 0; i < 10; ++i)
            stats.record(195, ItemStatus::Failed, 50000);
        stats.record(199, ItemStatus::Invalid, -1);
        stats.finish(200);
        view.refresh();

        const QList<QPointF> rate = view.rateSeries()->points();
        QCOMPARE(rate.size(), 2);
        QCOMPARE(rate[0], QPointF(0.1, 100));
        QCOMPARE(rate[1], QPointF(0.2, 410));
        const QList<QPointF> p50 = view.latencySeries(0)->points();
        const QList<QPointF> p99 = view.latencySeries(2)->points();
        QCOMPARE(p50.size(), 2);
        QVERIFY(std::abs(p50[0].y() - 2.0) < 0.14);
        QVERIFY(std::abs(p50[1].y() - 4.0) < 0.28);
        QVERIFY(std::abs(p99[1].y() - 50.0) < 3.5);
        // Items per status: cumulative, from 0 at the start.
        const QList<QPointF> delivered = view.statusSeries(ItemStatus::Delivered)->points();
        QCOMPARE(delivered, (QList<QPointF> {{0, 0}, {0.1, 10}, {0.2, 40}}));
        QCOMPARE(view.statusSeries(ItemStatus::Failed)->points().last(), QPointF(0.2, 10));
        QCOMPARE(view.statusSeries(ItemStatus::Invalid)->points().last(), QPointF(0.2, 1));
        QVERIFY(!view.statusSeries(ItemStatus::Queued));

        // Axes reach past the data, in round numbers.
        const auto yAxis = [](QChartView *v) {
            return qobject_cast<QValueAxis *>(v->chart()->axes(Qt::Vertical).first());
        };
        const auto round = [](QValueAxis *axis, double top, int ticks) {
            return axis->min() == 0 && qFuzzyCompare(axis->max(), top)
                && axis->tickCount() == ticks;
        };
        QVERIFY(round(yAxis(view.rateView()), 600, 4)); // 410 items/s at most, in 200s
        QVERIFY(round(yAxis(view.statusView()), 60, 4)); // 40 delivered, in 20s
        QVERIFY(yAxis(view.latencyView())->max() >= p99[1].y());
        QVERIFY(yAxis(view.latencyView())->max() <= p99[1].y() * 1.6);
        const auto *xAxis
            = qobject_cast<QValueAxis *>(view.rateView()->chart()->axes(Qt::Horizontal).first());
        QVERIFY(round(const_cast<QValueAxis *>(xAxis), 0.2, 5)); // 0.2 s, in 0.05 s

        // Screen readers hear the latest figures.
        QCOMPARE(view.statusView()->accessibleName(), u"Items per status chart"_s);
        QCOMPARE(view.statusView()->accessibleDescription(),
                 u"40 delivered, 10 failed, 1 invalid"_s);
        QVERIFY(view.latencyView()->accessibleDescription().startsWith(u"Whole run: p50"_s));
        QVERIFY(!view.rateView()->accessibleName().isEmpty());

        // No news: the series are not replaced.
        QSignalSpy replaced(view.rateSeries(), &QXYSeries::pointsReplaced);
        view.refresh();
        QCOMPARE(replaced.count(), 0);
        stats.record(250, ItemStatus::Delivered, 1000);
        stats.finish(300);
        view.refresh();
        QCOMPARE(replaced.count(), 1);
        QCOMPARE(view.rateSeries()->count(), 3);

        // Detached: empty again.
        view.setStatistics(nullptr);
        QCOMPARE(view.rateSeries()->count(), 0);
        QCOMPARE(view.statusView()->accessibleDescription(), u"No items finished yet"_s);
    }

    void timerRefreshesWhileShown()
    {
        RunChartsView view;
        RunStatistics stats(50, 1000);
        view.setStatistics(&stats);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (int i = 0; i < 5; ++i)
            stats.record(i * 20, ItemStatus::Delivered, 1000);
        stats.finish(100);
        QTRY_COMPARE(view.rateSeries()->count(), 2);
    }

    void coloursFollowThePalette()
    {
        RunChartsView view;
        const QPalette palette = view.palette();
        QCOMPARE(view.statusSeries(ItemStatus::Delivered)->pen().color(),
                 StatusDelegate::statusColor(ItemStatus::Delivered, palette));
        QCOMPARE(view.statusSeries(ItemStatus::Failed)->pen().color(), errorColor(palette));
        QCOMPARE(view.latencySeries(2)->pen().color(), errorColor(palette));
        QCOMPARE(view.rateView()->chart()->backgroundBrush().color(),
                 palette.color(QPalette::Base));
        // A dark palette: the charts follow it.
        QPalette dark = palette;
        dark.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
        dark.setColor(QPalette::Window, QColor(0x30, 0x30, 0x30));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        view.setPalette(dark);
        QCOMPARE(view.rateView()->chart()->backgroundBrush().color(), QColor(0x20, 0x20, 0x20));
        QCOMPARE(view.statusSeries(ItemStatus::Delivered)->pen().color(),
                 StatusDelegate::statusColor(ItemStatus::Delivered, dark));
        QVERIFY(isDark(dark));
    }

    void runPanelChartsAndReport()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        TestSink sink;
        QVERIFY(sink.isListening());
        sink.setHandler([](const TestSink::Request &r) {
            TestSink::Reply reply;
            if (r.jsonId == u"7"_s) {
                reply.status = 422;
                reply.body = QByteArrayLiteral("{\"error\":\"value <7> is out of range\"}");
            }
            return reply;
        });
        QString error;
        const QString db
            = SqliteFixture::numbered(dir.path(), u"rows.db"_s, 60, u"sensor-%1"_s, &error);
        QVERIFY2(!db.isEmpty(), qPrintable(error));
        TransferSpec spec;
        spec.source.driver = u"QSQLITE"_s;
        spec.source.database = db;
        spec.query.sql = u"SELECT id, name FROM t ORDER BY id"_s;
        spec.transform.present = true;
        spec.transform.key = u"{{name}}"_s;
        spec.transform.templ = R"({"id":"{{id}}"})";
        spec.target.url = sink.url().toString() + u"items"_s;
        spec.target.headers = {{u"Authorization"_s, u"Bearer gui-secret-token"_s}};
        spec.run.maxRetries = 0;

        RunPanel panel;
        panel.resize(1100, 700);
        panel.setSpecProvider([spec] { return std::optional<TransferSpec>(spec); });
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto *charts = requireChild<RunChartsView>(&panel, "chartsTab");
        auto *tabs = requireChild<QTabWidget>(&panel, "detailsTabs");
        QCOMPARE(tabs->currentWidget(), charts);
        QVERIFY(!panel.saveReportAction()->isEnabled());
        QVERIFY(!panel.saveReport(dir.filePath(u"early.html"_s), &error));

        panel.startAction()->trigger();
        QVERIFY(panel.run());
        QTRY_COMPARE_WITH_TIMEOUT(panel.run()->state(), TransferRun::State::Finished, 15000);
        QTRY_VERIFY(panel.saveReportAction()->isEnabled());
        // The charts show the whole run: 59 delivered, 1 failed.
        QTRY_VERIFY(charts->statusSeries(ItemStatus::Delivered)->count() > 1);
        QCOMPARE(charts->statusSeries(ItemStatus::Delivered)->points().last().y(), 59.0);
        QCOMPARE(charts->statusSeries(ItemStatus::Failed)->points().last().y(), 1.0);
        QVERIFY(charts->latencySeries(0)->count() >= 1);

        const QString file = dir.filePath(u"report.html"_s);
        QVERIFY2(panel.saveReport(file, &error), qPrintable(error));
        QFile read(file);
        QVERIFY(read.open(QIODevice::ReadOnly));
        const QByteArray html = read.readAll();
        QXmlStreamReader xml(html);
        int svgs = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == "svg"_L1)
                ++svgs;
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(svgs, 3);
        QVERIFY(html.contains("59 delivered"));
        QVERIFY(html.contains("value &lt;7&gt; is out of range"));
        QVERIFY(html.contains(">sensor-7<"));
        QVERIFY(!html.contains("gui-secret-token"));
    }
};

QTEST_MAIN(TestRunChartsView)
#include "tst_runchartsview.moc"
