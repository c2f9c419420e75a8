// SPDX-License-Identifier: GPL-3.0-or-later
// ItemSortProxy: the order computed in a background thread equals a std::stable_sort by
// TransferStatusModel::lessThan() for every column both ways; rows that change or arrive
// while a sort runs are placed by the next sort; a newer sort drops an older one's order;
// persistent indexes and a selection follow their rows; changes reach the rows they moved
// to. Threads: the sorts run in background threads (label "threads", ThreadSanitizer in CI).

#include <algorithm>
#include <numeric>

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QMetaEnum>
#include <QPersistentModelIndex>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include "models/itemsortkeys.h"
#include "models/itemsortproxy.h"
#include "models/transferstatusmodel.h"

using namespace sluice;
using namespace Qt::StringLiterals;

using Model = TransferStatusModel;

namespace {

constexpr int Rows = 3000;

/// Keys in no order, some equal, some long, some the row number (not stored by the model).
QString keyFor(qint64 id, QRandomGenerator &random)
{
    switch (id % 7) {
    case 0:
        return QString::number(id + 1);
    case 1:
        return u"sensor-%1"_s.arg(random.bounded(500));
    case 2:
        return u"Sensor-%1-b"_s.arg(random.bounded(50));
    default:
        return u"s%1x%2"_s.arg(random.bounded(100000)).arg(random.bounded(9));
    }
}

ItemResult resultFor(qint64 id, QRandomGenerator &random)
{
    ItemResult result;
    result.id = id;
    result.attempts = int(random.bounded(1, 5));
    result.latencyMs = random.bounded(0, 300);
    switch (random.bounded(4)) {
    case 0:
        result.status = ItemStatus::Failed;
        result.httpStatus = random.bounded(2) ? 422 : 503;
        result.error = u"HTTP %1: error %2"_s.arg(result.httpStatus).arg(random.bounded(40));
        result.payload = "{}";
        break;
    default:
        result.status = ItemStatus::Delivered;
        result.httpStatus = random.bounded(2) ? 200 : 201;
        break;
    }
    return result;
}

/// Appends rows ids first..first + count - 1; about two thirds get a result, some are Sending.
void feed(Model &model, qint64 first, int count, QRandomGenerator &random)
{
    QList<Item> items;
    for (qint64 id = first; id < first + count; ++id) {
        Item item;
        item.id = id;
        item.key = keyFor(id, random);
        item.payload = "{}";
        if (id % 97 == 5)
            item.error = u"transform: no value for field %1"_s.arg(id % 3);
        items.append(item);
    }
    model.addItems(items);
    for (qint64 id = first; id < first + count; ++id) {
        const auto roll = random.bounded(3);
        if (roll == 0)
            model.setResult(resultFor(id, random));
        else if (roll == 1)
            model.setStatus(id, ItemStatus::Sending, 1);
    }
    model.flush();
}

/// The model's rows as QSortFilterProxyModel would sort them (a stable sort by lessThan;
/// descending by the same with sides swapped).
QList<int> reference(const Model &model, int column, Qt::SortOrder order)
{
    QList<int> rows(model.rowCount());
    std::iota(rows.begin(), rows.end(), 0);
    std::stable_sort(rows.begin(), rows.end(), [&](int l, int r) {
        return order == Qt::AscendingOrder ? model.lessThan(l, r, column)
                                           : model.lessThan(r, l, column);
    });
    return rows;
}

QList<int> shown(const ItemSortProxy &proxy)
{
    QList<int> rows;
    for (int row = 0; row < proxy.rowCount(); ++row)
        rows.push_back(proxy.modelRow(row));
    return rows;
}

/// The first row where the two differ, for a readable failure.
QByteArray firstDifference(const QList<int> &actual, const QList<int> &expected)
{
    if (actual.size() != expected.size())
        return "sizes " + QByteArray::number(actual.size()) + " and "
            + QByteArray::number(expected.size());
    const auto [a, e] = std::mismatch(actual.begin(), actual.end(), expected.begin());
    if (a == actual.end())
        return {};
    return "row " + QByteArray::number(qsizetype(a - actual.begin())) + ": model row "
        + QByteArray::number(*a) + " instead of " + QByteArray::number(*e);
}

} // namespace

class TestItemSortProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sortedRowsEqualsStableSort_data();
    void sortedRowsEqualsStableSort();
    void largeSortsMergeBlocksAndCanGiveUp();
    void keysTakenAreSharedAndOutliveTheModelsRows();
    void proxySortsInTheBackground_data();
    void proxySortsInTheBackground();
    void rowsChangedOrAddedDuringASortArePlacedByTheNext();
    void newerSortSupersedesOneInFlight();
    void persistentIndexesAndSelectionFollowTheirRows();
    void changesReachTheRowsWhereTheyAre();
    void resetDropsTheSortInFlight();
};

void TestItemSortProxy::sortedRowsEqualsStableSort_data()
{
    QTest::addColumn<int>("column");
    for (int column = 0; column < Model::ColumnCount; ++column)
        QTest::newRow(QMetaEnum::fromType<Model::Column>().valueToKey(column)) << column;
}

void TestItemSortProxy::sortedRowsEqualsStableSort()
{
    // The copy and its sort alone, in this thread.
    QFETCH(int, column);
    Model model;
    QRandomGenerator random(12);
    feed(model, 0, Rows, random);
    const ItemSortKeys keys = model.sortKeys(column);
    QCOMPARE(keys.rowCount(), Rows);
    const QList<int> expected = reference(model, column, Qt::AscendingOrder);
    const std::vector<int> sorted = sortedRows(keys);
    const QList<int> actual(sorted.begin(), sorted.end());
    QVERIFY2(actual == expected, firstDifference(actual, expected).constData());
}

void TestItemSortProxy::largeSortsMergeBlocksAndCanGiveUp()
{
    // More rows than one block (sortedRows sorts 32,768 at a time, then merges).
    Model model;
    QRandomGenerator random(21);
    feed(model, 0, 80000, random);
    for (const int column : {int(Model::Key), int(Model::Latency)}) {
        const ItemSortKeys keys = model.sortKeys(column);
        const QList<int> expected = reference(model, column, Qt::AscendingOrder);
        const std::vector<int> sorted = sortedRows(keys);
        const QList<int> actual(sorted.begin(), sorted.end());
        QVERIFY2(actual == expected, firstDifference(actual, expected).constData());
        // Asked between steps whether anyone still waits: no means no rows.
        int asked = 0;
        QVERIFY(sortedRows(keys, [&asked] { return ++asked == 3; }).empty());
        QCOMPARE(asked, 3);
    }
}

void TestItemSortProxy::keysTakenAreSharedAndOutliveTheModelsRows()
{
    // The key column's text is the model's own key blocks, shared: a search and a sort read
    // them in another thread, and a reset of the model (a new run) must not free them under
    // it (AddressSanitizer in CI).
    Model model;
    QRandomGenerator random(5);
    feed(model, 0, Rows, random);
    Item longItem; // longer than a block holds: kept apart
    longItem.id = Rows;
    longItem.key = u"sensor-1"_s + QString(70000, u'z');
    longItem.payload = "{}";
    model.addItems({longItem});
    model.flush();
    const ItemSortKeys keys = model.sortKeys(Model::Key);
    const ItemSortKeys searched = model.searchKeys();
    QCOMPARE(searched.rowCount(), Rows + 1);
    const QList<int> expectedOrder = reference(model, Model::Key, Qt::AscendingOrder);
    std::vector<bool> expectedFound;
    for (int row = 0; row < model.rowCount(); ++row)
        expectedFound.push_back(model.keyContains(row, u"SENSOR-1"_s, Qt::CaseInsensitive));
    QVERIFY(std::count(expectedFound.begin(), expectedFound.end(), true) > 10);
    QVERIFY(expectedFound.back()); // the long key

    model.clear();
    feed(model, 0, 100, random); // new keys in new blocks
    const std::vector<int> sorted = sortedRows(keys);
    const QList<int> actual(sorted.begin(), sorted.end());
    QVERIFY2(actual == expectedOrder, firstDifference(actual, expectedOrder).constData());
    QVERIFY(rowsWhoseKeyContains(searched, u"SENSOR-1"_s) == expectedFound);
    // Asked every few thousand rows whether anyone still waits: no means nothing.
    QVERIFY(rowsWhoseKeyContains(searched, u"x"_s, [] { return true; }).empty());
}

void TestItemSortProxy::proxySortsInTheBackground_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<bool>("keysInRowOrder");
    const QMetaEnum columns = QMetaEnum::fromType<Model::Column>();
    for (int column = 0; column < Model::ColumnCount; ++column) {
        for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            QTest::addRow("%s %s", columns.valueToKey(column),
                          order == Qt::AscendingOrder ? "ascending" : "descending")
                << column << order << false;
        }
    }
    QTest::newRow("keys in row order, ascending") << int(Model::Key) << Qt::AscendingOrder << true;
    QTest::newRow("keys in row order, descending")
        << int(Model::Key) << Qt::DescendingOrder << true;
}

void TestItemSortProxy::proxySortsInTheBackground()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    QFETCH(bool, keysInRowOrder);
    Model model;
    QRandomGenerator random(7);
    if (keysInRowOrder) {
        QList<Item> items;
        for (qint64 id = 0; id < Rows; ++id)
            items.append(Item {id, u"k-%1"_s.arg(id), "{}", {}, {}});
        model.addItems(items);
    } else {
        feed(model, 0, Rows, random);
    }
    ItemSortProxy proxy(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy layouts(&proxy, &QAbstractItemModel::layoutChanged);
    QSignalSpy sorting(&proxy, &ItemSortProxy::sortingChanged);
    proxy.sort(column, order);
    // Nothing moves until the background thread is done, and that is said.
    QVERIFY(proxy.isSorting());
    QCOMPARE(sorting.count(), 1);
    QCOMPARE(layouts.count(), 0);
    QCOMPARE(shown(proxy), reference(model, -1, Qt::AscendingOrder));
    QTRY_VERIFY(!proxy.isSorting());
    QCOMPARE(layouts.count(), 1); // one layout change
    QCOMPARE(sorting.count(), 2);
    const QList<int> expected = reference(model, column, order);
    const QList<int> actual = shown(proxy);
    QVERIFY2(actual == expected, firstDifference(actual, expected).constData());
    for (int row = 0; row < Rows; row += 97) {
        const QModelIndex index = proxy.index(row, column);
        QCOMPARE(proxy.mapFromSource(proxy.mapToSource(index)), index);
        QCOMPARE(index.data(), model.index(expected.at(row), column).data());
    }
    // Back to the model's order: at once.
    proxy.sort(-1);
    QVERIFY(!proxy.isSorting());
    QCOMPARE(layouts.count(), 2);
    QCOMPARE(shown(proxy), reference(model, -1, Qt::AscendingOrder));
}

void TestItemSortProxy::rowsChangedOrAddedDuringASortArePlacedByTheNext()
{
    Model model;
    QRandomGenerator random(3);
    feed(model, 0, Rows, random);
    ItemSortProxy proxy(&model);
    proxy.setRefreshDelay(0);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy layouts(&proxy, &QAbstractItemModel::layoutChanged);
    QList<QList<int>> orders; // as each layout change left them
    connect(&proxy, &QAbstractItemModel::layoutChanged, &proxy,
            [&orders, &proxy] { orders.append(shown(proxy)); });
    proxy.sort(Model::Latency, Qt::DescendingOrder);
    // The order comes through the event loop: these happen after the copy, before the order.
    const QList<int> before = reference(model, Model::Latency, Qt::DescendingOrder);
    QList<int> changed;
    for (qint64 id = 10; id < Rows; id += 50) {
        ItemResult result = resultFor(id, random);
        result.latencyMs = 1000 + id; // now the slowest: to the top
        model.setResult(result);
        changed.append(int(id));
    }
    model.flush();
    feed(model, Rows, 40, random);
    QTRY_VERIFY(!orders.isEmpty());
    // The order of the copy, then the appended rows in queue order; the changed rows stayed
    // where the copy had them.
    QList<int> expected = before;
    for (int row = Rows; row < Rows + 40; ++row)
        expected.append(row);
    QList<int> actual = orders.constFirst();
    QVERIFY2(actual == expected, firstDifference(actual, expected).constData());
    // The next sort starts by itself and places them.
    QTRY_COMPARE(layouts.count(), 2);
    QTRY_VERIFY(!proxy.isSorting());
    expected = reference(model, Model::Latency, Qt::DescendingOrder);
    actual = shown(proxy);
    QVERIFY2(actual == expected, firstDifference(actual, expected).constData());
    QCOMPARE(proxy.modelRow(0), changed.constLast());
    // Quiet now: no more sorts.
    QTest::qWait(50);
    QCOMPARE(layouts.count(), 2);

    // A key never changes: a status change does not sort by Key again, new rows do.
    proxy.sort(Model::Key);
    QTRY_COMPARE(layouts.count(), 3);
    model.setStatus(1, ItemStatus::Retrying, 1);
    model.flush();
    QTest::qWait(50);
    QCOMPARE(layouts.count(), 3);
    feed(model, Rows + 40, 5, random);
    QTRY_COMPARE(layouts.count(), 4);
    expected = reference(model, Model::Key, Qt::AscendingOrder);
    actual = shown(proxy);
    QVERIFY2(actual == expected, firstDifference(actual, expected).constData());
}

void TestItemSortProxy::newerSortSupersedesOneInFlight()
{
    Model model;
    QRandomGenerator random(5);
    feed(model, 0, Rows, random);
    ItemSortProxy proxy(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy layouts(&proxy, &QAbstractItemModel::layoutChanged);
    QSignalSpy sorting(&proxy, &ItemSortProxy::sortingChanged);
    proxy.sort(Model::Key);
    proxy.sort(Model::Status, Qt::DescendingOrder);
    proxy.sort(Model::Attempts);
    QCOMPARE(proxy.sortColumn(), int(Model::Attempts));
    QTRY_VERIFY(!proxy.isSorting());
    // Give the older sorts' threads time to post their orders too: they are dropped.
    QTest::qWait(200);
    QCOMPARE(layouts.count(), 1);
    QCOMPARE(sorting.count(), 2); // busy once, done once
    QCOMPARE(shown(proxy), reference(model, Model::Attempts, Qt::AscendingOrder));

    // Back to queue order while a sort runs: the sort's order never shows.
    proxy.sort(Model::Error);
    proxy.sort(-1);
    QVERIFY(!proxy.isSorting());
    QCOMPARE(layouts.count(), 2);
    QTest::qWait(200);
    QCOMPARE(layouts.count(), 2);
    QCOMPARE(shown(proxy), reference(model, -1, Qt::AscendingOrder));
}

void TestItemSortProxy::persistentIndexesAndSelectionFollowTheirRows()
{
    Model model;
    QRandomGenerator random(9);
    feed(model, 0, Rows, random);
    ItemSortProxy proxy(&model);
    QItemSelectionModel selection(&proxy);
    const QList<int> picked {0, 17, 1234, Rows - 1};
    for (int row : picked)
        selection.select(proxy.index(row, 0),
                         QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection.setCurrentIndex(proxy.index(1234, Model::Error), QItemSelectionModel::NoUpdate);
    QList<QPersistentModelIndex> persistent;
    for (int row : picked)
        persistent.append(QPersistentModelIndex(proxy.index(row, Model::Latency)));

    for (const int column : {int(Model::Error), int(Model::Key), -1}) {
        proxy.sort(column, Qt::DescendingOrder);
        QTRY_VERIFY(!proxy.isSorting());
        for (qsizetype i = 0; i < picked.size(); ++i) {
            QVERIFY(persistent.at(i).isValid());
            QCOMPARE(proxy.modelRow(persistent.at(i).row()), picked.at(i));
            QCOMPARE(persistent.at(i).column(), int(Model::Latency));
        }
        QCOMPARE(proxy.modelRow(selection.currentIndex().row()), 1234);
        QCOMPARE(selection.currentIndex().column(), int(Model::Error));
        QList<int> selected;
        for (const QModelIndex &index : selection.selectedRows())
            selected.append(proxy.modelRow(index.row()));
        std::sort(selected.begin(), selected.end());
        QCOMPARE(selected, picked);
    }
}

void TestItemSortProxy::changesReachTheRowsWhereTheyAre()
{
    Model model;
    QRandomGenerator random(11);
    feed(model, 0, Rows, random);
    ItemSortProxy proxy(&model);
    proxy.setRefreshDelay(60 * 60 * 1000); // no sort but the one asked for
    proxy.sort(Model::Key, Qt::DescendingOrder);
    QTRY_VERIFY(!proxy.isSorting());
    QSignalSpy changes(&proxy, &QAbstractItemModel::dataChanged);
    model.setStatus(42, ItemStatus::Retrying, 3);
    model.flush();
    QCOMPARE(changes.count(), 1);
    const auto topLeft = changes.at(0).at(0).value<QModelIndex>();
    const auto bottomRight = changes.at(0).at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), proxy.rowOfModelRow(42));
    QCOMPARE(bottomRight.row(), topLeft.row());
    QCOMPARE(topLeft.column(), 0);
    QCOMPARE(bottomRight.column(), Model::ColumnCount - 1);
    QCOMPARE(proxy.index(topLeft.row(), Model::Status).data(Model::StatusRole).toInt(),
             int(ItemStatus::Retrying));
    // Appended rows come at the end of a sorted table.
    QSignalSpy inserted(&proxy, &QAbstractItemModel::rowsInserted);
    feed(model, Rows, 3, random);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), Rows);
    QCOMPARE(inserted.at(0).at(2).toInt(), Rows + 2);
    QCOMPARE(proxy.modelRow(Rows + 1), Rows + 1);
}

void TestItemSortProxy::resetDropsTheSortInFlight()
{
    Model model;
    QRandomGenerator random(13);
    feed(model, 0, Rows, random);
    ItemSortProxy proxy(&model);
    proxy.setRefreshDelay(0);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(Model::Latency);
    model.clear();
    QVERIFY(!proxy.isSorting());
    QCOMPARE(proxy.rowCount(), 0);
    feed(model, 0, 10, random);
    // The order of a table that is gone never comes; the new rows are sorted by themselves.
    QTRY_COMPARE(shown(proxy), reference(model, Model::Latency, Qt::AscendingOrder));
    QCOMPARE(proxy.sortColumn(), int(Model::Latency));
}

QTEST_GUILESS_MAIN(TestItemSortProxy)
#include "tst_itemsortproxy.moc"
