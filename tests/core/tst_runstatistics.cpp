// SPDX-License-Identifier: GPL-3.0-or-later
// RunStatistics and LatencyHistogram: percentiles against known distributions, rates per
// interval with the time given by the test, gaps, merging to a bounded sample count.

#include <QTest>

#include "transfer/runstatistics.h"

using namespace sluice;

class TestRunStatistics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketsCoverEveryValueOnce()
    {
        // Every value falls in the bucket whose range holds it, and buckets tile the axis.
        for (qint64 v : {0LL, 1LL, 7LL, 8LL, 9LL, 15LL, 16LL, 17LL, 31LL, 32LL, 1000LL, 1023LL,
                         1024LL, 123456LL, 999999999LL}) {
            const int b = LatencyHistogram::bucketOf(v);
            QVERIFY2(LatencyHistogram::bucketLow(b) <= v && v < LatencyHistogram::bucketHigh(b),
                     qPrintable(QString::number(v)));
        }
        for (int b = 0; b + 1 < LatencyHistogram::BucketCount; ++b)
            QCOMPARE(LatencyHistogram::bucketHigh(b), LatencyHistogram::bucketLow(b + 1));
        // Eight buckets per doubling: a bucket is at most 1/8 of its low end wide.
        for (int b = LatencyHistogram::SubBuckets; b < LatencyHistogram::BucketCount; ++b) {
            const qint64 low = LatencyHistogram::bucketLow(b);
            QVERIFY(LatencyHistogram::bucketHigh(b) - low <= low / 8);
        }
        QCOMPARE(LatencyHistogram::bucketOf(-5), 0);
        QCOMPARE(LatencyHistogram::bucketOf(std::numeric_limits<qint64>::max()),
                 LatencyHistogram::BucketCount - 1);
    }

    void percentilesOfAUniformDistribution()
    {
        // 1 ms .. 100 ms in steps of 10 µs: p50 = 50.5 ms, p95 = 95 ms, p99 = 99 ms.
        LatencyHistogram h;
        for (qint64 us = 1000; us <= 100000; us += 10)
            h.add(us);
        QCOMPARE(h.count(), 9901);
        const auto near = [](double got, double want) {
            return std::abs(got - want) <= want * 0.07;
        };
        QVERIFY2(near(h.percentileUs(0.50), 50500),
                 qPrintable(QString::number(h.percentileUs(0.5))));
        QVERIFY2(near(h.percentileUs(0.95), 95050),
                 qPrintable(QString::number(h.percentileUs(0.95))));
        QVERIFY2(near(h.percentileUs(0.99), 99010),
                 qPrintable(QString::number(h.percentileUs(0.99))));
        QVERIFY(h.maxUs() >= 100000 && h.maxUs() <= 100000 * 1.13);
    }

    void percentilesOfALongTail()
    {
        // 90 % at 2 ms, 9 % at 40 ms, 1 % at 900 ms: the tail shows in p95 and p99 only.
        LatencyHistogram h;
        for (int i = 0; i < 9000; ++i)
            h.add(2000);
        for (int i = 0; i < 900; ++i)
            h.add(40000);
        for (int i = 0; i < 100; ++i)
            h.add(900000);
        QVERIFY(std::abs(h.percentileUs(0.50) - 2000) < 2000 * 0.07);
        QVERIFY(std::abs(h.percentileUs(0.95) - 40000) < 40000 * 0.07);
        QVERIFY(std::abs(h.percentileUs(0.99) - 40000) < 40000 * 0.07);
        QVERIFY(std::abs(h.percentileUs(0.995) - 900000) < 900000 * 0.07);
        // Exact below 8 µs.
        LatencyHistogram small;
        for (int us : {1, 2, 3, 4, 5})
            small.add(us);
        QCOMPARE(small.percentileUs(0.5), 3.0);
        QCOMPARE(small.percentileUs(1.0), 5.0);
        QCOMPARE(LatencyHistogram().percentileUs(0.5), -1.0);
    }

    void mergeIsExact()
    {
        LatencyHistogram a, b, both;
        for (int i = 1; i <= 500; ++i) {
            a.add(i * 37);
            both.add(i * 37);
            b.add(i * 1013);
            both.add(i * 1013);
        }
        a.merge(b);
        QCOMPARE(a.count(), both.count());
        for (double q : {0.1, 0.5, 0.9, 0.95, 0.99, 1.0})
            QCOMPARE(a.percentileUs(q), both.percentileUs(q));
    }

    void ratesPerInterval()
    {
        RunStatistics stats(100, 1000);
        // 0-100 ms: 10 delivered; 100-200 ms: 20 delivered, 5 failed; 200-300 ms: 2 invalid.
        for (int i = 0; i < 10; ++i)
            stats.record(5 + i * 9, ItemStatus::Delivered, 1000);
        for (int i = 0; i < 20; ++i)
            stats.record(100 + i * 4, ItemStatus::Delivered, 4000);
        for (int i = 0; i < 5; ++i)
            stats.record(190, ItemStatus::Failed, 30000);
        stats.record(250, ItemStatus::Invalid, -1);
        stats.record(260, ItemStatus::Invalid, -1);
        stats.record(270, ItemStatus::Sending, 5); // not finished: ignored
        QCOMPARE(stats.samples().size(), size_t(2)); // the third is still open
        stats.finish(300);
        const std::vector<StatisticsSample> &s = stats.samples();
        QCOMPARE(s.size(), size_t(3));
        QCOMPARE(s[0].startMs, 0);
        QCOMPARE(s[0].endMs, 100);
        QCOMPARE(s[0].finished[RunStatistics::DeliveredIndex], 10);
        QCOMPARE(s[0].itemsPerSecond(), 100.0);
        QCOMPARE(s[1].finished[RunStatistics::DeliveredIndex], 20);
        QCOMPARE(s[1].finished[RunStatistics::FailedIndex], 5);
        QCOMPARE(s[1].itemsPerSecond(), 250.0);
        QCOMPARE(s[2].finished[RunStatistics::InvalidIndex], 2);
        QCOMPARE(s[2].latency.count(), 0); // invalid items were never sent
        QCOMPARE(s[2].itemsPerSecond(), 20.0);
        // Per interval latency: only that interval's.
        QVERIFY(std::abs(s[0].latency.percentileUs(0.99) - 1000) < 70);
        QVERIFY(std::abs(s[1].latency.percentileUs(0.50) - 4000) < 280);
        QVERIFY(std::abs(s[1].latency.percentileUs(0.99) - 30000) < 2100);
        // Whole run.
        QCOMPARE(stats.finished(RunStatistics::DeliveredIndex), 30);
        QCOMPARE(stats.finished(RunStatistics::FailedIndex), 5);
        QCOMPARE(stats.finished(RunStatistics::InvalidIndex), 2);
        QCOMPARE(stats.latency().count(), 35);
    }

    void quietStretchIsOneEmptySample()
    {
        RunStatistics stats(100, 1000);
        stats.record(10, ItemStatus::Delivered, 100);
        const quint64 before = stats.revision();
        stats.advance(50);
        QCOMPARE(stats.samples().size(), size_t(0));
        // Nothing finishes from 100 ms to 5 s (the server is slow): one empty sample.
        stats.advance(5050);
        QVERIFY(stats.revision() > before);
        QCOMPARE(stats.samples().size(), size_t(2));
        QCOMPARE(stats.samples()[1].startMs, 100);
        QCOMPARE(stats.samples()[1].endMs, 5000);
        QCOMPARE(stats.samples()[1].itemsPerSecond(), 0.0);
        stats.record(5060, ItemStatus::Delivered, 100);
        stats.finish(5100);
        QCOMPARE(stats.samples().size(), size_t(3));
        QCOMPARE(stats.samples()[2].startMs, 5000);
        QCOMPARE(stats.samples()[2].endMs, 5100);
    }

    void shortTailJoinsTheSampleBefore()
    {
        RunStatistics stats(100, 1000);
        for (int t = 0; t < 210; t += 2)
            stats.record(t, ItemStatus::Delivered, 500);
        stats.finish(210); // 10 ms after the last full interval
        QCOMPARE(stats.samples().size(), size_t(2));
        QCOMPARE(stats.samples()[1].endMs, 210);
        QCOMPARE(stats.samples()[1].activeMs, 110);
        QCOMPARE(stats.finishedTotal(), 105);
    }

    void retryAfterTheEndStartsANewStretch()
    {
        RunStatistics stats(100, 1000);
        stats.record(50, ItemStatus::Failed, 200);
        stats.finish(100);
        QCOMPARE(stats.samples().size(), size_t(1));
        // A retry ten minutes later: no ten minutes of empty samples.
        stats.record(600000, ItemStatus::Delivered, 300);
        stats.finish(600040);
        QCOMPARE(stats.samples().size(), size_t(2));
        QCOMPARE(stats.samples()[1].startMs, 600000);
        QCOMPARE(stats.samples()[1].activeMs, 40);
        QCOMPARE(stats.finished(RunStatistics::FailedIndex), 1);
        QCOMPARE(stats.finished(RunStatistics::DeliveredIndex), 1);
    }

    void memoryStaysBoundedForAMillionItems()
    {
        // A million items over 1000 s at 1000 items/s: at most 64 samples, covering it all.
        RunStatistics stats(100, 64);
        for (qint64 i = 0; i < 1'000'000; ++i)
            stats.record(i, ItemStatus::Delivered, 1000 + (i % 100) * 100);
        stats.finish(1'000'000);
        QVERIFY(stats.samples().size() <= 64);
        QVERIFY(stats.samples().size() >= 32);
        QVERIFY(stats.intervalMs() > 100);
        QCOMPARE(stats.samples().front().startMs, 0);
        QCOMPARE(stats.samples().back().endMs, 1'000'000);
        qint64 total = 0;
        qint64 previousEnd = 0;
        for (const StatisticsSample &sample : stats.samples()) {
            QCOMPARE(sample.startMs, previousEnd);
            previousEnd = sample.endMs;
            total += sample.finishedTotal();
            QVERIFY(std::abs(sample.itemsPerSecond() - 1000) < 1);
        }
        QCOMPARE(total, 1'000'000);
        QCOMPARE(stats.latency().count(), 1'000'000);
        // Latency 1 ms .. 10.9 ms evenly: p50 near 6 ms.
        QVERIFY(std::abs(stats.latency().percentileUs(0.5) - 5950) < 5950 * 0.07);
    }

    void resultsWithoutARequestHaveNoLatency()
    {
        RunStatistics stats;
        ItemResult sent;
        sent.status = ItemStatus::Failed;
        sent.attempts = 2;
        sent.latencyMs = 3;
        sent.latencyUs = 3250;
        stats.record(1, sent);
        ItemResult cancelled = sent;
        cancelled.cancelled = true;
        stats.record(2, cancelled);
        ItemResult msOnly;
        msOnly.status = ItemStatus::Delivered;
        msOnly.attempts = 1;
        msOnly.latencyMs = 12;
        stats.record(3, msOnly);
        QCOMPARE(stats.latency().count(), 2);
        QCOMPARE(stats.finishedTotal(), 3);
        QVERIFY(std::abs(stats.latency().percentileUs(0.01) - 3250) < 3250 * 0.07);
        QVERIFY(std::abs(stats.latency().percentileUs(1.0) - 12000) < 12000 * 0.07);
    }
};

QTEST_APPLESS_MAIN(TestRunStatistics)
#include "tst_runstatistics.moc"
