// SPDX-License-Identifier: GPL-3.0-or-later
// EventLog (the ring buffer) and EventLogModel (its batched list view) under
// QAbstractItemModelTester, with the ring wrapping between and during flushes.

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

#include "log/eventlog.h"
#include "models/eventlogmodel.h"

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

constexpr int Never = 3600 * 1000;

QString text(qint64 n)
{
    return u"event "_s + QString::number(n);
}

/// Appends events first..last (inclusive), text "event <n>", item id n.
void appendRange(EventLog &log, qint64 first, qint64 last)
{
    for (qint64 n = first; n <= last; ++n)
        log.append(EventLog::Severity::Error, text(n), n, u"key-"_s + QString::number(n), 422);
}

QStringList logTexts(const EventLog &log)
{
    QStringList texts;
    for (qsizetype i = 0; i < log.size(); ++i)
        texts.append(log.at(i).text);
    return texts;
}

QStringList modelTexts(const EventLogModel &model)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts.append(model.data(model.index(row), EventLogModel::TextRole).toString());
    return texts;
}

QStringList texts(qint64 first, qint64 last)
{
    QStringList list;
    for (qint64 n = first; n <= last; ++n)
        list.append(text(n));
    return list;
}

} // namespace

class TestEventLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendStampsAndKeepsFields();
    void ringDropsTheOldest_data();
    void ringDropsTheOldest();
    void setCapacityOnAWrappedRing();
    void clearKeepsSequencesGoing();
    void modelShowsWhatTheLogHeld();
    void modelWaitsForTheFlush();
    void modelFollowsTheWrap();
    void modelBurstIsTwoSignals();
    void modelKeepsDroppedRowsUntilTheFlush();
    void modelClearsAtOnce();
    void modelRoles();
    void modelOutlivesTheLog();
    void modelFollowsACapacityChange();
};

void TestEventLog::appendStampsAndKeepsFields()
{
    EventLog log;
    QSignalSpy changed(&log, &EventLog::changed);
    QCOMPARE(log.capacity(), EventLog::DefaultCapacity);
    const QDateTime before = QDateTime::currentDateTimeUtc();
    log.append(EventLog::Severity::Warning, u"retrying sensor-7"_s, 6, u"sensor-7"_s, 503);
    const QDateTime given(QDate(2024, 3, 1), QTime(12, 0), Qt::UTC);
    log.append(EventLog::Entry {given, EventLog::Severity::Info, u"run started"_s, -1, {}, 0});

    QCOMPARE(changed.count(), 2);
    QCOMPARE(log.size(), 2);
    const EventLog::Entry &first = log.at(0);
    QCOMPARE(first.severity, EventLog::Severity::Warning);
    QCOMPARE(first.text, u"retrying sensor-7"_s);
    QCOMPARE(first.itemId, 6);
    QCOMPARE(first.key, u"sensor-7"_s);
    QCOMPARE(first.httpStatus, 503);
    QVERIFY(first.time >= before);
    QVERIFY(first.time <= QDateTime::currentDateTimeUtc());
    QCOMPARE(first.time.timeSpec(), Qt::UTC);
    QCOMPARE(log.at(1).time, given);
    QCOMPARE(log.at(1).itemId, -1);
    QCOMPARE(log.firstSequence(), 0);
    QCOMPARE(log.nextSequence(), 2);
}

void TestEventLog::ringDropsTheOldest_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("appends");
    QTest::newRow("not full") << 5 << 3;
    QTest::newRow("exactly full") << 5 << 5;
    QTest::newRow("one past") << 5 << 6;
    QTest::newRow("wrapped three times and a bit") << 5 << 17;
    QTest::newRow("capacity 1") << 1 << 4;
    QTest::newRow("default capacity, wrapped") << int(EventLog::DefaultCapacity) << 25003;
}

void TestEventLog::ringDropsTheOldest()
{
    QFETCH(int, capacity);
    QFETCH(int, appends);
    EventLog log;
    log.setCapacity(capacity);
    appendRange(log, 0, appends - 1);
    const int kept = std::min(capacity, appends);
    QCOMPARE(log.size(), kept);
    QCOMPARE(log.droppedCount(), appends - kept);
    QCOMPARE(log.firstSequence(), appends - kept);
    QCOMPARE(log.nextSequence(), appends);
    QCOMPARE(logTexts(log), texts(appends - kept, appends - 1));
    QCOMPARE(log.at(0).itemId, appends - kept);
}

void TestEventLog::setCapacityOnAWrappedRing()
{
    EventLog log;
    log.setCapacity(5);
    appendRange(log, 0, 7); // holds 3..7, the ring's start in the middle
    QSignalSpy changed(&log, &EventLog::changed);
    log.setCapacity(3);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(logTexts(log), texts(5, 7));
    QCOMPARE(log.droppedCount(), 5);

    log.setCapacity(6); // growing drops nothing
    QCOMPARE(changed.count(), 1);
    appendRange(log, 8, 11);
    QCOMPARE(logTexts(log), texts(6, 11));
    QCOMPARE(log.droppedCount(), 6);

    log.setCapacity(0); // at least one
    QCOMPARE(log.capacity(), 1);
    QCOMPARE(logTexts(log), texts(11, 11));
}

void TestEventLog::clearKeepsSequencesGoing()
{
    EventLog log;
    log.setCapacity(4);
    appendRange(log, 0, 9);
    QSignalSpy changed(&log, &EventLog::changed);
    log.clear();
    QCOMPARE(changed.count(), 1);
    QVERIFY(log.isEmpty());
    QCOMPARE(log.droppedCount(), 0);
    QCOMPARE(log.firstSequence(), 10);
    QCOMPARE(log.nextSequence(), 10);
    log.clear(); // nothing to clear
    QCOMPARE(changed.count(), 1);
    appendRange(log, 10, 11);
    QCOMPARE(log.firstSequence(), 10);
    QCOMPARE(logTexts(log), texts(10, 11));
}

void TestEventLog::modelShowsWhatTheLogHeld()
{
    EventLog log;
    log.setCapacity(3);
    appendRange(log, 0, 4);
    EventLogModel model(&log);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.flushInterval(), EventLogModel::DefaultFlushIntervalMs);
    QCOMPARE(modelTexts(model), texts(2, 4));
    QCOMPARE(model.data(model.index(0), EventLogModel::SequenceRole).toLongLong(), 2);
}

void TestEventLog::modelWaitsForTheFlush()
{
    EventLog log;
    EventLogModel model(&log);
    model.setFlushInterval(50);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &EventLogModel::rowsInserted);
    appendRange(log, 0, 99);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(inserted.count(), 0);
    QTRY_COMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 99);
    QCOMPARE(modelTexts(model), logTexts(log));

    model.setFlushInterval(Never);
    model.flush(); // nothing new
    QCOMPARE(inserted.count(), 1);
    appendRange(log, 100, 102);
    model.flush();
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 100);
    QCOMPARE(inserted.at(1).at(2).toInt(), 102);
}

void TestEventLog::modelFollowsTheWrap()
{
    EventLog log;
    log.setCapacity(10);
    EventLogModel model(&log);
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    appendRange(log, 0, 7);
    model.flush();
    QCOMPARE(model.rowCount(), 8);

    // 5 more: the log drops 0..2 and holds 3..12.
    QList<QString> order;
    connect(&model, &EventLogModel::rowsRemoved, this, [&order](const QModelIndex &, int f, int l) {
        order.append(u"removed %1-%2"_s.arg(f).arg(l));
    });
    connect(&model, &EventLogModel::rowsInserted, this,
            [&order](const QModelIndex &, int f, int l) {
                order.append(u"inserted %1-%2"_s.arg(f).arg(l));
            });
    appendRange(log, 8, 12);
    model.flush();
    QCOMPARE(order, (QList<QString> {u"removed 0-2"_s, u"inserted 5-9"_s}));
    QCOMPARE(modelTexts(model), texts(3, 12));
    QCOMPARE(modelTexts(model), logTexts(log));
    QCOMPARE(model.data(model.index(0), EventLogModel::SequenceRole).toLongLong(), 3);

    // Wrapping by exactly the capacity replaces every row.
    order.clear();
    appendRange(log, 13, 22);
    model.flush();
    QCOMPARE(order, (QList<QString> {u"removed 0-9"_s, u"inserted 0-9"_s}));
    QCOMPARE(modelTexts(model), texts(13, 22));
}

void TestEventLog::modelBurstIsTwoSignals()
{
    EventLog log;
    log.setCapacity(1000);
    EventLogModel model(&log);
    model.setFlushInterval(20);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    appendRange(log, 0, 499);
    QTRY_COMPARE(model.rowCount(), 500);

    QSignalSpy removed(&model, &EventLogModel::rowsRemoved);
    QSignalSpy inserted(&model, &EventLogModel::rowsInserted);
    appendRange(log, 500, 100499); // a burst of 100k failures
    QCOMPARE(inserted.count(), 0);
    QTRY_COMPARE(inserted.count(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 499);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 999);
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(modelTexts(model), texts(99500, 100499));
    QCOMPARE(log.droppedCount(), 99500);
}

void TestEventLog::modelKeepsDroppedRowsUntilTheFlush()
{
    EventLog log;
    log.setCapacity(4);
    EventLogModel model(&log);
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    appendRange(log, 0, 3);
    model.flush();
    appendRange(log, 4, 9); // the log no longer holds any of the rows shown
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(modelTexts(model), texts(0, 3));
    QCOMPARE(model.entryAt(3).itemId, 3);
    model.flush();
    QCOMPARE(modelTexts(model), texts(6, 9));
}

void TestEventLog::modelClearsAtOnce()
{
    EventLog log;
    EventLogModel model(&log);
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    appendRange(log, 0, 9);
    model.flush();
    appendRange(log, 10, 11); // pending, never shown
    QSignalSpy inserted(&model, &EventLogModel::rowsInserted);
    log.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(inserted.count(), 0);
    appendRange(log, 12, 13);
    model.flush();
    QCOMPARE(modelTexts(model), texts(12, 13));
}

void TestEventLog::modelRoles()
{
    EventLog log;
    const QDateTime time = QDateTime(QDate(2024, 3, 1), QTime(12, 34, 56, 789), Qt::UTC);
    log.append(EventLog::Entry {time, EventLog::Severity::Error, u"sensor-14 failed"_s, 13,
                                u"sensor-14"_s, 422});
    log.append(EventLog::Severity::Info, u"run finished"_s);
    EventLogModel model(&log);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex index = model.index(0);
    const QDateTime local = time.toLocalTime();
    QCOMPARE(model.data(index).toString(), local.toString(u"HH:mm:ss"_s) + u"  sensor-14 failed"_s);
    QCOMPARE(model.data(index, Qt::ToolTipRole).toString(),
             local.toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s) + u" error\nsensor-14 failed"_s);
    QCOMPARE(model.data(index, EventLogModel::TimeRole).toDateTime(), time);
    QCOMPARE(model.data(index, EventLogModel::SeverityRole).toInt(),
             int(EventLog::Severity::Error));
    QCOMPARE(model.data(index, EventLogModel::TextRole).toString(), u"sensor-14 failed"_s);
    QCOMPARE(model.data(index, EventLogModel::ItemIdRole).toLongLong(), 13);
    QCOMPARE(model.data(index, EventLogModel::KeyRole).toString(), u"sensor-14"_s);
    QCOMPARE(model.data(index, EventLogModel::HttpStatusRole).toInt(), 422);
    QCOMPARE(model.data(model.index(1), EventLogModel::ItemIdRole).toLongLong(), -1);
    QCOMPARE(model.data(model.index(1), EventLogModel::SeverityRole).toInt(),
             int(EventLog::Severity::Info));
    QVERIFY(!model.data(index, Qt::DecorationRole).isValid());
    QVERIFY(model.roleNames().value(EventLogModel::TextRole) == "text");
}

void TestEventLog::modelOutlivesTheLog()
{
    auto log = std::make_unique<EventLog>();
    EventLogModel model(log.get());
    model.setFlushInterval(Never);
    appendRange(*log, 0, 2);
    model.flush();
    appendRange(*log, 3, 4);
    log.reset();
    model.flush();
    QCOMPARE(modelTexts(model), texts(0, 2));
}

void TestEventLog::modelFollowsACapacityChange()
{
    EventLog log;
    EventLogModel model(&log);
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    appendRange(log, 0, 9);
    model.flush();
    log.setCapacity(4);
    model.flush();
    QCOMPARE(modelTexts(model), texts(6, 9));
}

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
