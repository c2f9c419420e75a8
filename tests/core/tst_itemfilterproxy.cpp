// SPDX-License-Identifier: GPL-3.0-or-later
// ItemFilterProxy: a search over many rows looks for the text in the keys in a background
// thread and applies the filter in one reset when the answer comes, showing exactly the rows
// the filter done at once shows; the filter in force stays meanwhile; a newer filter or a
// reset of the model supersedes a search in flight; rows added later and errors that change
// are filtered as they come. Threads: the key search (label "threads", ThreadSanitizer in CI).

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "models/itemfilterproxy.h"
#include "models/itemsortproxy.h"
#include "models/transferstatusmodel.h"

using namespace sluice;
using namespace Qt::StringLiterals;

using Model = TransferStatusModel;

namespace {

/// Rows first..first + count - 1: keys "Sensor-<id>" (every fifth a row-number key), every
/// seventh failed with an error naming a "probe".
void feed(Model &model, qint64 first, int count)
{
    QList<Item> items;
    for (qint64 id = first; id < first + count; ++id) {
        Item item;
        item.id = id;
        item.key = id % 5 == 0 ? QString::number(id + 1) : u"Sensor-%1"_s.arg(id);
        item.payload = "{}";
        items.append(item);
    }
    model.addItems(items);
    for (qint64 id = first; id < first + count; ++id) {
        ItemResult result;
        result.id = id;
        result.attempts = 1;
        if (id % 7 == 3) {
            result.status = ItemStatus::Failed;
            result.httpStatus = 422;
            result.error = u"HTTP 422: probe %1 refused"_s.arg(id % 40);
            result.payload = "{}";
        } else {
            result.status = ItemStatus::Delivered;
            result.httpStatus = 201;
        }
        model.setResult(result);
    }
    model.flush();
}

/// The model rows the proxy shows, in order.
QList<int> shownRows(const ItemFilterProxy &proxy, const Model &model)
{
    QList<int> rows;
    for (int row = 0; row < proxy.rowCount(); ++row)
        rows.append(model.rowForId(proxy.index(row, 0).data(Model::ItemIdRole).toLongLong()));
    return rows;
}

/// What the filter must show: rows in status whose key or error contains text, any case.
QList<int> expectedRows(const Model &model, int status, const QString &text)
{
    QList<int> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (status >= 0 && int(model.statusAt(row)) != status)
            continue;
        if (model.keyAt(row).contains(text, Qt::CaseInsensitive)
            || model.errorAt(row).contains(text, Qt::CaseInsensitive))
            rows.append(row);
    }
    return rows;
}

/// rows rows (feed()) and the proxy over them, looking for texts in the background from
/// backgroundFrom rows on, checked by QAbstractItemModelTester.
struct Filtered
{
    explicit Filtered(int rows, int backgroundFrom)
    {
        feed(model, 0, rows);
        proxy.setBackgroundSearchRows(backgroundFrom);
    }
    QList<int> shown() const { return shownRows(proxy, model); }
    QList<int> expected(int status, const QString &text) const
    {
        return expectedRows(model, status, text);
    }

    Model model;
    ItemFilterProxy proxy {&model, nullptr};
    QAbstractItemModelTester tester {&proxy,
                                     QAbstractItemModelTester::FailureReportingMode::QtTest};
    QSignalSpy changed {&proxy, &ItemFilterProxy::filterChanged};
    QSignalSpy searching {&proxy, &ItemFilterProxy::searchingChanged};
};

} // namespace

class TestItemFilterProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFewRowsAreFilteredAtOnce();
    void manyRowsAreSearchedInTheBackground_data();
    void manyRowsAreSearchedInTheBackground();
    void aNewerFilterSupersedesASearch();
    void rowsAddedAndErrorsChangedLaterAreFiltered();
    void aResetDuringASearchSearchesTheNewRows();
};

void TestItemFilterProxy::aFewRowsAreFilteredAtOnce()
{
    Filtered f(500, ItemFilterProxy::BackgroundSearchRows);
    QVERIFY(f.proxy.setFilter(-1, u"sensor-1"_s));
    QCOMPARE(f.shown(), f.expected(-1, u"sensor-1"_s));
    QVERIFY(!f.proxy.isSearching());
    QCOMPARE(f.searching.count(), 0);
    QCOMPARE(f.changed.count(), 1);
    QVERIFY(!f.proxy.setFilter(-1, u"sensor-1"_s)); // nothing changed
}

void TestItemFilterProxy::manyRowsAreSearchedInTheBackground_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("text");
    QTest::newRow("in keys, any case") << -1 << u"SENSOR-12"_s;
    QTest::newRow("in row-number keys") << -1 << u"26"_s;
    QTest::newRow("in errors only") << -1 << u"probe 3 "_s;
    QTest::newRow("failed, in keys or errors") << int(ItemStatus::Failed) << u"1"_s;
    QTest::newRow("nowhere") << -1 << u"no such text"_s;
}

void TestItemFilterProxy::manyRowsAreSearchedInTheBackground()
{
    QFETCH(int, status);
    QFETCH(QString, text);
    Filtered f(4000, 1000);
    QVERIFY(f.proxy.setFilter(int(ItemStatus::Delivered), {})); // no text: at once
    const QList<int> before = f.shown();
    QCOMPARE(before, f.expected(int(ItemStatus::Delivered), {}));
    f.changed.clear();

    QVERIFY(!f.proxy.setFilter(status, text)); // later
    QVERIFY(f.proxy.isSearching());
    QCOMPARE(f.searching.count(), 1);
    // Meanwhile the filter in force stays, and says so.
    QCOMPARE(f.proxy.statusFilter(), int(ItemStatus::Delivered));
    QCOMPARE(f.proxy.textFilter(), QString());
    QCOMPARE(f.shown(), before);

    QVERIFY(f.changed.wait(10000));
    QCOMPARE(f.changed.count(), 1);
    QVERIFY(!f.proxy.isSearching());
    QCOMPARE(f.searching.count(), 2);
    QCOMPARE(f.proxy.statusFilter(), status);
    QCOMPARE(f.proxy.textFilter(), text);
    QCOMPARE(f.shown(), f.expected(status, text));

    // Another status with the same text uses the keys found: at once.
    const int other = status < 0 ? int(ItemStatus::Failed) : -1;
    QVERIFY(f.proxy.setFilter(other, text));
    QCOMPARE(f.shown(), f.expected(other, text));
}

void TestItemFilterProxy::aNewerFilterSupersedesASearch()
{
    Filtered f(4000, 0);
    QVERIFY(!f.proxy.setFilter(-1, u"sensor-1"_s));
    QVERIFY(!f.proxy.setFilter(-1, u"sensor-2"_s));
    QVERIFY(f.changed.wait(10000));
    QTest::qWait(50); // an answer to the first search would come meanwhile
    QCOMPARE(f.changed.count(), 1);
    QCOMPARE(f.proxy.textFilter(), u"sensor-2"_s);
    QCOMPARE(f.shown(), f.expected(-1, u"sensor-2"_s));
    QCOMPARE(f.searching.count(), 2); // one search shown, from the first ask to the answer

    // Another status while the text is being looked for: the search goes on, and its answer
    // comes with the newest status.
    f.changed.clear();
    f.searching.clear();
    QVERIFY(!f.proxy.setFilter(-1, u"sensor-7"_s));
    QVERIFY(!f.proxy.setFilter(int(ItemStatus::Failed), u"sensor-7"_s));
    QVERIFY(f.changed.wait(10000));
    QTest::qWait(50);
    QCOMPARE(f.changed.count(), 1);
    QCOMPARE(f.searching.count(), 2);
    QCOMPARE(f.proxy.statusFilter(), int(ItemStatus::Failed));
    QCOMPARE(f.shown(), f.expected(int(ItemStatus::Failed), u"sensor-7"_s));
    QVERIFY(!f.shown().isEmpty());

    // Back to the filter in force while a search runs: the search is dropped.
    f.changed.clear();
    QVERIFY(!f.proxy.setFilter(-1, u"sensor-2"_s));
    QVERIFY(f.changed.wait(10000));
    QCOMPARE(f.changed.count(), 1);
    QVERIFY(!f.proxy.setFilter(-1, u"sensor-3"_s));
    QVERIFY(!f.proxy.setFilter(-1, u"sensor-2"_s));
    QVERIFY(!f.proxy.isSearching());
    QTest::qWait(50);
    QCOMPARE(f.changed.count(), 1);
    QCOMPARE(f.proxy.textFilter(), u"sensor-2"_s);
}

void TestItemFilterProxy::rowsAddedAndErrorsChangedLaterAreFiltered()
{
    Filtered f(3000, 0);
    f.proxy.setFilter(-1, u"sensor-3"_s);
    QVERIFY(f.changed.wait(10000));
    QCOMPARE(f.shown(), f.expected(-1, u"sensor-3"_s));

    // Rows past those searched: their keys are read as they come.
    feed(f.model, 3000, 1000);
    QCOMPARE(f.shown(), f.expected(-1, u"sensor-3"_s));
    // A delivered row whose key does not match fails with an error that does (a retry).
    const int row = 1; // "Sensor-1"
    QVERIFY(!f.model.keyAt(row).contains(u"sensor-3"_s, Qt::CaseInsensitive));
    QVERIFY(!f.shown().contains(row));
    ItemResult result;
    result.id = f.model.idAt(row);
    result.status = ItemStatus::Failed;
    result.attempts = 2;
    result.httpStatus = 500;
    result.error = u"HTTP 500: Sensor-3 is down"_s;
    f.model.setResult(result);
    f.model.flush();
    QVERIFY(f.shown().contains(row));
    QCOMPARE(f.shown(), f.expected(-1, u"sensor-3"_s));
}

void TestItemFilterProxy::aResetDuringASearchSearchesTheNewRows()
{
    Filtered f(3000, 0);
    QVERIFY(!f.proxy.setFilter(-1, u"sensor-1001"_s));
    // Other rows before the answer: what was found is for rows that are gone.
    f.model.clear();
    feed(f.model, 100000, 2000);
    QVERIFY(f.changed.wait(10000));
    QTest::qWait(50);
    QCOMPARE(f.changed.count(), 1);
    QCOMPARE(f.shown(), f.expected(-1, u"sensor-1001"_s));
    QVERIFY(!f.shown().isEmpty());
}

QTEST_GUILESS_MAIN(TestItemFilterProxy)
#include "tst_itemfilterproxy.moc"
