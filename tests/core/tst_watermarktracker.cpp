// SPDX-License-Identifier: GPL-3.0-or-later
// WatermarkTracker and the value rules of incremental runs (transfer/watermark).

#include <limits>

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "transfer/watermark.h"

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

Item item(qint64 id, const QVariant &value)
{
    Item it {id, QString::number(id + 1), "{}", {}, {}};
    it.watermark = value;
    return it;
}

WatermarkSpec spec()
{
    return {u"mark"_s, u"since"_s};
}

ColumnList columns()
{
    return {ColumnInfo {u"id"_s}, ColumnInfo {u"mark"_s}};
}

QStringList keys(const WatermarkState &state)
{
    QStringList result;
    for (const WatermarkState::Row &row : state.delivered)
        result.append(row.key);
    return result;
}

} // namespace

class tst_WatermarkTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compare_data();
    void compare();
    void allDeliveredAdvancesToTheLast();
    void failureHoldsItBack();
    void tieWithAFailureStepsBack();
    void nothingDeliveredKeepsTheState();
    void previousRowsAreNotSentAgain();
    void outOfOrderIsRefused();
    void columnMatchesAsTemplatesDo();
    void stateFileRoundTrip();
    void defaultFile();
};

void tst_WatermarkTracker::compare_data()
{
    QTest::addColumn<QVariant>("a");
    QTest::addColumn<QVariant>("b");
    QTest::addColumn<bool>("exact");
    QTest::addColumn<int>("expected");

    QTest::newRow("ints") << QVariant(2) << QVariant(10) << false << -1;
    QTest::newRow("negative vs unsigned max")
        << QVariant(qlonglong(-1)) << QVariant(std::numeric_limits<qulonglong>::max()) << false
        << -1;
    QTest::newRow("2^63 vs 2^63-1")
        << QVariant(qulonglong(1) << 63) << QVariant(std::numeric_limits<qlonglong>::max()) << false
        << 1;
    QTest::newRow("2^53+1 vs 2^53") << QVariant(qlonglong(9007199254740993))
                                    << QVariant(qlonglong(9007199254740992)) << false << 1;
    QTest::newRow("decimal trailing zero")
        << QVariant(u"12.50"_s) << QVariant(u"12.5"_s) << true << 0;
    QTest::newRow("decimal 9.99 < 10") << QVariant(u"9.99"_s) << QVariant(u"10"_s) << true << -1;
    QTest::newRow("decimal negatives") << QVariant(u"-1.5"_s) << QVariant(u"-1.25"_s) << true << -1;
    QTest::newRow("decimal 23 digits") << QVariant(u"12345678901234567890123"_s)
                                       << QVariant(u"12345678901234567890122"_s) << true << 1;
    QTest::newRow("decimal vs integer") << QVariant(u"7.000"_s) << QVariant(7) << true << 0;
    QTest::newRow("real vs int") << QVariant(1.5) << QVariant(2) << false << -1;
    QTest::newRow("text") << QVariant(u"b"_s) << QVariant(u"a"_s) << false << 1;
    QTest::newRow("text by UTF-8 bytes") << QVariant(u"é"_s) << QVariant(u"z"_s) << false << 1;
    QTest::newRow("timestamps as text")
        << QVariant(u"2026-12-05 10:09:00"_s) << QVariant(u"2026-12-05 10:10:00"_s) << false << -1;
    // PostgreSQL's timestamptz as Sluice reads it: UTC, as many fractional digits as it has.
    QTest::newRow("UTC text: whole second before its fraction")
        << QVariant(u"2026-12-05T10:00:05Z"_s) << QVariant(u"2026-12-05T10:00:05.5Z"_s) << false
        << -1;
    QTest::newRow("UTC text: fractions of different lengths")
        << QVariant(u"2026-12-05T10:00:05.123456Z"_s) << QVariant(u"2026-12-05T10:00:05.2Z"_s)
        << false << -1;
    QTest::newRow("null first") << QVariant() << QVariant(0) << false << -1;
    QTest::newRow("numbers before text") << QVariant(99) << QVariant(u"1"_s) << false << -1;
    const QDateTime utc(QDate(2026, 12, 5), QTime(10, 0), Qt::UTC);
    QTest::newRow("same instant") << QVariant(utc)
                                  << QVariant(utc.toTimeZone(QTimeZone("America/New_York")))
                                  << false << 0;
    QTest::newRow("later instant") << QVariant(utc.addMSecs(1)) << QVariant(utc) << false << 1;
}

void tst_WatermarkTracker::compare()
{
    QFETCH(QVariant, a);
    QFETCH(QVariant, b);
    QFETCH(bool, exact);
    QFETCH(int, expected);
    const int result = compareWatermarkValues(a, b, exact);
    QCOMPARE((result > 0) - (result < 0), expected);
    const int reverse = compareWatermarkValues(b, a, exact);
    QCOMPARE((reverse > 0) - (reverse < 0), -expected);
}

void tst_WatermarkTracker::allDeliveredAdvancesToTheLast()
{
    WatermarkTracker tracker(spec(), qlonglong(0), qlonglong(0), {});
    QString error;
    QVERIFY(tracker.open(columns(), &error));
    QSet<qint64> already;
    QVERIFY(tracker.queued({item(0, 5), item(1, 7), item(2, QVariant()), item(3, 9)}, &already,
                           &error));
    QVERIFY(already.isEmpty());
    // Answers come in any order.
    for (qint64 id : {3, 1, 2, 0})
        tracker.finished(id, true);
    tracker.readToEnd();
    const auto state = tracker.state(&error);
    QVERIFY2(state, qPrintable(error));
    QCOMPARE(state->value, QVariant(qlonglong(9)));
    QCOMPARE(state->value.metaType(), QMetaType::fromType<qlonglong>());
    QCOMPARE(keys(*state), QStringList {u"4"_s});
}

void tst_WatermarkTracker::failureHoldsItBack()
{
    WatermarkTracker tracker(spec(), u"0"_s, u"1970"_s, {});
    QString error;
    QVERIFY(tracker.open(columns(), &error));
    QSet<qint64> already;
    QVERIFY(tracker.queued({item(0, u"a"_s), item(1, u"b"_s), item(2, u"c"_s), item(3, u"d"_s)},
                           &already, &error));
    tracker.finished(0, true);
    tracker.finished(1, true);
    tracker.finished(2, false);
    tracker.finished(3, true);
    const auto state = tracker.state(&error);
    QVERIFY(state);
    QCOMPARE(state->value, QVariant(u"b"_s));
    QCOMPARE(keys(*state), (QStringList {u"2"_s, u"4"_s}));
    QCOMPARE(state->delivered.last().value, u"d"_s);
}

void tst_WatermarkTracker::tieWithAFailureStepsBack()
{
    // Two items share the value 2; one of them fails: the watermark stays at 1.
    WatermarkTracker tracker(spec(), qlonglong(0), qlonglong(0), {});
    QString error;
    QVERIFY(tracker.open(columns(), &error));
    QSet<qint64> already;
    QVERIFY(tracker.queued({item(0, 1), item(1, 2), item(2, 2), item(3, 3)}, &already, &error));
    tracker.finished(0, true);
    tracker.finished(1, true);
    tracker.finished(2, false);
    tracker.finished(3, true);
    auto state = tracker.state(&error);
    QVERIFY(state);
    QCOMPARE(state->value, QVariant(qlonglong(1)));
    QCOMPARE(keys(*state), (QStringList {u"1"_s, u"2"_s, u"4"_s}));

    // A failure at the first value: the bound value stays.
    WatermarkTracker first(spec(), qlonglong(0), qlonglong(0), {});
    QVERIFY(first.open(columns(), &error));
    QVERIFY(first.queued({item(0, 1), item(1, 1)}, &already, &error));
    first.finished(0, true);
    first.finished(1, false);
    state = first.state(&error);
    QVERIFY(state);
    QCOMPARE(state->value, QVariant(qlonglong(0)));
    QCOMPARE(keys(*state), QStringList {u"1"_s});

    // Retried and delivered later: it moves on.
    first.finished(1, true);
    state = first.state(&error);
    QCOMPARE(state->value, QVariant(qlonglong(1)));
}

void tst_WatermarkTracker::nothingDeliveredKeepsTheState()
{
    WatermarkTracker tracker(spec(), qlonglong(0), qlonglong(0), {});
    QString error;
    QVERIFY(tracker.open(columns(), &error));
    QSet<qint64> already;
    QVERIFY(tracker.queued({item(0, 1)}, &already, &error));
    tracker.finished(0, false);
    QVERIFY(!tracker.state(&error));
    QVERIFY(error.isEmpty());
}

void tst_WatermarkTracker::previousRowsAreNotSentAgain()
{
    const QList<WatermarkState::Row> previous {
        {u"2"_s, u"20"_s}, {u"3"_s, u"30"_s}, {u"9"_s, u"90"_s}};
    // Row 2 (same key, same value): already delivered; row 3 changed (31): sent.
    WatermarkTracker tracker(spec(), qlonglong(10), qlonglong(0), previous);
    QString error;
    QVERIFY(tracker.open(columns(), &error));
    QSet<qint64> already;
    QVERIFY(tracker.queued({item(0, 15), item(1, 20), item(2, 31)}, &already, &error));
    QCOMPARE(already, QSet<qint64> {1});
    tracker.finished(0, false);
    tracker.finished(1, true);
    tracker.finished(2, true);
    // Not read to the end (stopped): the previous row 9 was not reached and stays listed.
    auto state = tracker.state(&error);
    QVERIFY(state);
    QCOMPARE(state->value, QVariant(qlonglong(10)));
    QCOMPARE(keys(*state), (QStringList {u"2"_s, u"3"_s, u"3"_s, u"9"_s}));
    // Read to the end: row 9 is gone from the query, and from the list.
    tracker.readToEnd();
    state = tracker.state(&error);
    QCOMPARE(keys(*state), (QStringList {u"2"_s, u"3"_s}));
}

void tst_WatermarkTracker::outOfOrderIsRefused()
{
    WatermarkTracker tracker(spec(), qlonglong(0), qlonglong(0), {});
    QString error;
    QVERIFY(tracker.open(columns(), &error));
    QSet<qint64> already;
    QVERIFY(tracker.queued({item(0, 5), item(1, 5)}, &already, &error));
    QVERIFY(!tracker.queued({item(2, 6), item(3, 4)}, &already, &error));
    QCOMPARE(error,
             u"run.watermark.column: the rows are not in the order of \"mark\" (row 4 has \"4\" "
             u"after row 3's \"6\"), so Sluice cannot tell which were delivered; the query needs "
             u"ORDER BY mark"_s);
}

void tst_WatermarkTracker::columnMatchesAsTemplatesDo()
{
    WatermarkTracker tracker({u"MARK"_s, u"since"_s}, 0, 0, {});
    QString error;
    QVERIFY(tracker.open(columns(), &error));
    QCOMPARE(tracker.columnIndex(), 1);
    WatermarkTracker missing({u"updated_at"_s, u"since"_s}, 0, 0, {});
    QVERIFY(!missing.open(columns(), &error));
    QCOMPARE(error,
             u"run.watermark.column: the query has no column \"updated_at\" (its columns: id, "
             u"mark)"_s);
}

void tst_WatermarkTracker::stateFileRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    WatermarkState state;
    state.column = u"mark"_s;
    state.parameter = u"since"_s;
    state.value = qlonglong(9007199254740993); // past 2^53: stays itself
    state.delivered = {{u"a\"b"_s, u"1"_s}};
    const QString file = dir.filePath(u"s.json"_s);
    QString error;
    QVERIFY2(state.save(file, &error), qPrintable(error));
    const auto loaded = WatermarkState::load(file, spec(), qlonglong(0), &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->value, state.value);
    QCOMPARE(loaded->delivered, state.delivered);
    // Read in the type of the file's first value.
    QVERIFY(!WatermarkState::load(file, spec(), true, &error));
    QVERIFY2(error.contains(u"\"value\" does not fit the parameter"_s), qPrintable(error));
    // Another column: refused, naming both.
    QVERIFY(!WatermarkState::load(file, {u"id"_s, u"since"_s}, qlonglong(0), &error));
    QVERIFY2(error.contains(u"kept for column \"mark\" and parameter \"since\", but the "
                            u"transfer's run.watermark has column \"id\""_s),
             qPrintable(error));
    // No file: nothing, and no error.
    QVERIFY(!WatermarkState::load(dir.filePath(u"none.json"_s), spec(), 0, &error));
    QVERIFY(error.isEmpty());
}

void tst_WatermarkTracker::defaultFile()
{
    QCOMPARE(WatermarkState::defaultFile(u"/x/nightly.json"_s), u"/x/nightly.state.json"_s);
    QCOMPARE(WatermarkState::defaultFile(u"/x/nightly.transfer"_s),
             u"/x/nightly.transfer.state.json"_s);
}

QTEST_GUILESS_MAIN(tst_WatermarkTracker)
#include "tst_watermarktracker.moc"
