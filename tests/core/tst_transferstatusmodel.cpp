// SPDX-License-Identifier: GPL-3.0-or-later
// TransferStatusModel under QAbstractItemModelTester: fed chunk by chunk as a run feeds it,
// checked cell by cell, and checked for batching (one insertion per chunk, value changes
// only when flushed). The last test follows a real TransferRun against TestSink.

#include <numeric>

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "sqlitefixture.h"
#include "testsink.h"

#include "models/transferstatusmodel.h"
#include "spec/transferspec.h"
#include "transfer/transferrun.h"

using namespace sluice;
using namespace Qt::StringLiterals;

using Model = TransferStatusModel;

namespace {

/// A flush interval no test waits for: only flush() emits.
constexpr int Never = 3600 * 1000;

Item makeItem(qint64 id, const QString &key, const QString &error = {})
{
    Item item;
    item.id = id;
    item.key = key;
    if (error.isEmpty())
        item.payload = QByteArray(R"({"id":)" + QByteArray::number(id + 1) + '}');
    item.error = error;
    return item;
}

/// count items with ids from first on, keyed "item-<id + 1>".
QList<Item> chunk(qint64 first, int count)
{
    QList<Item> items;
    for (qint64 id = first; id < first + count; ++id)
        items.append(makeItem(id, u"item-"_s + QString::number(id + 1)));
    return items;
}

ItemResult makeResult(qint64 id, ItemStatus status, int http, int attempts, qint64 latency,
                      const QString &error = {}, const QByteArray &body = {},
                      const QByteArray &payload = {})
{
    ItemResult result;
    result.id = id;
    result.status = status;
    result.httpStatus = http;
    result.attempts = attempts;
    result.latencyMs = latency;
    result.error = error;
    result.responseBody = body;
    result.payload = payload;
    return result;
}

struct Change
{
    int top;
    int bottom;
    int left;
    int right;
    QList<int> roles;
};

QList<Change> changes(const QSignalSpy &spy)
{
    QList<Change> list;
    for (const QList<QVariant> &args : spy) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        const auto bottomRight = args.at(1).value<QModelIndex>();
        QList<int> roles = args.at(2).value<QList<int>>();
        std::sort(roles.begin(), roles.end());
        list.append(
            {topLeft.row(), bottomRight.row(), topLeft.column(), bottomRight.column(), roles});
    }
    return list;
}

QList<int> sorted(QList<int> roles)
{
    std::sort(roles.begin(), roles.end());
    return roles;
}

const QList<int> StatusRoles = sorted({Qt::DisplayRole, Model::SortRole, Model::StatusRole});
const QList<int> AttemptRoles = sorted({Qt::DisplayRole, Model::SortRole});
const QList<int> ResultRoles
    = sorted({Qt::DisplayRole, Qt::ToolTipRole, Model::SortRole, Model::StatusRole,
              Model::ErrorTextRole, Model::ResponseTextRole, Model::PayloadRole});

const QString FailedError = uR"(HTTP 422 Unprocessable Entity: {"error":"invalid date"})"_s
                            u"\nsecond line"_s;
const QByteArray FailedBody = R"({"error":"invalid date"})";
const QByteArray FailedPayload = R"({"id":2,"date":"2024-13-01"})";
const QString InvalidError = uR"(transform.template.value: NaN in column "value")"_s;

/// Five items in the states a run produces: delivered, failed, invalid, queued (with the
/// default key, its row number) and retrying.
void fillSample(Model &model)
{
    model.addItems({makeItem(0, u"sensor-1"_s), makeItem(1, u"sensor-2"_s),
                    makeItem(2, u"sensor-3"_s, InvalidError), makeItem(3, u"4"_s),
                    makeItem(4, u"sensor-5"_s)});
    model.setStatus(0, ItemStatus::Sending, 1);
    model.setResult(makeResult(0, ItemStatus::Delivered, 201, 1, 12));
    model.setStatus(1, ItemStatus::Sending, 3);
    ItemResult failed
        = makeResult(1, ItemStatus::Failed, 422, 3, 40, FailedError, FailedBody, FailedPayload);
    failed.url = u"http://127.0.0.1:9/items/2"_s;
    failed.requestId = "req-2";
    model.setResult(failed);
    model.setResult(makeResult(2, ItemStatus::Invalid, 0, 0, 0, InvalidError));
    model.setStatus(4, ItemStatus::Sending, 1);
    model.setStatus(4, ItemStatus::Retrying, 2);
}

QVariant right()
{
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
}

QVariant left()
{
    return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
}

} // namespace

class TestTransferStatusModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyModel();
    void oneInsertionPerChunk();
    void data_data();
    void data();
    void resultAt();
    void latencyUnderAMillisecondIsSaidSo();
    void headers();
    void countsAndIdsFollowStatuses();
    void nothingIsSignalledBeforeTheFlush();
    void moreThanHalfChangedIsOneSignal();
    void rangesCarryOnlyTheChangedRoles_data();
    void rangesCarryOnlyTheChangedRoles();
    void unchangedValuesAreNotSignalled();
    void timerFlushesWithinTheInterval();
    void retryKeepsTheErrorUntilDelivered();
    void retryThatFailsAgainReplacesTheError();
    void editedPayloadIsRetried();
    void sparseAndDuplicateIds();
    void rowNumberKeysAreShownNotStored();
    void unknownIdsAreIgnored();
    void keysAcrossPoolBlocksAndVeryLongKeys();
    void deliveredDetailsAreKeptForTheNewest();
    void deliveryRemarksAreKeptForEveryItem();
    void lessThanSortsKeysNaturally_data();
    void lessThanSortsKeysNaturally();
    void lessThanByColumnIsTotal();
    void keysOutOfRowOrderAreCompared();
    void clearResetsEverything();
    void followsARun();
};

void TestTransferStatusModel::emptyModel()
{
    Model model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(Model::ColumnCount));
    QCOMPARE(model.flushInterval(), Model::DefaultFlushIntervalMs);
    QCOMPARE(model.rowForId(0), -1);
    QCOMPARE(model.idAt(0), -1);
    QCOMPARE(model.resultAt(0).id, -1);
    for (int status = 0; status < ItemStatusCount; ++status)
        QCOMPARE(model.count(ItemStatus(status)), 0);
}

void TestTransferStatusModel::oneInsertionPerChunk()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &Model::rowsInserted);

    for (int c = 0; c < 4; ++c) {
        QList<Item> items = chunk(c * 250, 250);
        items[7].error = u"NaN"_s; // one invalid item per chunk
        items[7].payload.clear();
        model.addItems(items);
        // The run sends the chunk's valid items and reports the invalid one.
        for (const Item &item : std::as_const(items)) {
            if (item.isValid())
                model.setStatus(item.id, ItemStatus::Sending, 1);
        }
        model.setResult(makeResult(items[7].id, ItemStatus::Invalid, 0, 0, 0, u"NaN"_s));
    }
    model.addItems({}); // nothing to insert: no signal

    QCOMPARE(inserted.count(), 4);
    for (int c = 0; c < 4; ++c) {
        QCOMPARE(inserted.at(c).at(1).toInt(), c * 250);
        QCOMPARE(inserted.at(c).at(2).toInt(), c * 250 + 249);
    }
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.count(ItemStatus::Sending), 996);
    QCOMPARE(model.count(ItemStatus::Invalid), 4);
    QCOMPARE(model.idAt(257), 257);
    QCOMPARE(model.rowForId(999), 999);
    QCOMPARE(model.rowForId(1000), -1);
    QCOMPARE(model.data(model.index(257, Model::Status)).toString(), u"invalid"_s);
    QCOMPARE(model.data(model.index(257, Model::Error)).toString(), u"NaN"_s);
    QCOMPARE(model.data(model.index(258, Model::Key)).toString(), u"item-259"_s);
}

void TestTransferStatusModel::data_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("role");
    QTest::addColumn<QVariant>("expected");

    const int D = Qt::DisplayRole;
    const QString firstLine = FailedError.section(u'\n', 0, 0);
    // Delivered
    QTest::newRow("delivered key") << 0 << int(Model::Key) << D << QVariant(u"sensor-1"_s);
    QTest::newRow("delivered status") << 0 << int(Model::Status) << D << QVariant(u"delivered"_s);
    QTest::newRow("delivered http") << 0 << int(Model::HttpStatus) << D << QVariant(u"201"_s);
    QTest::newRow("delivered attempts") << 0 << int(Model::Attempts) << D << QVariant(u"1"_s);
    QTest::newRow("delivered latency") << 0 << int(Model::Latency) << D << QVariant(u"12 ms"_s);
    QTest::newRow("delivered error") << 0 << int(Model::Error) << D << QVariant(QString());
    // Failed
    QTest::newRow("failed status") << 1 << int(Model::Status) << D << QVariant(u"failed"_s);
    QTest::newRow("failed http") << 1 << int(Model::HttpStatus) << D << QVariant(u"422"_s);
    QTest::newRow("failed attempts") << 1 << int(Model::Attempts) << D << QVariant(u"3"_s);
    QTest::newRow("failed latency") << 1 << int(Model::Latency) << D << QVariant(u"40 ms"_s);
    QTest::newRow("failed error: first line") << 1 << int(Model::Error) << D << QVariant(firstLine);
    // Invalid: never sent
    QTest::newRow("invalid status") << 2 << int(Model::Status) << D << QVariant(u"invalid"_s);
    QTest::newRow("invalid http") << 2 << int(Model::HttpStatus) << D << QVariant(QString());
    QTest::newRow("invalid attempts") << 2 << int(Model::Attempts) << D << QVariant(QString());
    QTest::newRow("invalid latency") << 2 << int(Model::Latency) << D << QVariant(QString());
    QTest::newRow("invalid error") << 2 << int(Model::Error) << D << QVariant(InvalidError);
    // Queued, key = row number
    QTest::newRow("queued key") << 3 << int(Model::Key) << D << QVariant(u"4"_s);
    QTest::newRow("queued status") << 3 << int(Model::Status) << D << QVariant(u"queued"_s);
    QTest::newRow("queued latency") << 3 << int(Model::Latency) << D << QVariant(QString());
    // Retrying
    QTest::newRow("retrying status") << 4 << int(Model::Status) << D << QVariant(u"retrying"_s);
    QTest::newRow("retrying attempts") << 4 << int(Model::Attempts) << D << QVariant(u"2"_s);
    QTest::newRow("retrying latency") << 4 << int(Model::Latency) << D << QVariant(QString());

    const int T = Qt::ToolTipRole;
    QTest::newRow("tooltip: full error") << 1 << int(Model::Error) << T << QVariant(FailedError);
    QTest::newRow("tooltip: none when delivered") << 0 << int(Model::Error) << T << QVariant();
    QTest::newRow("tooltip: error column only") << 1 << int(Model::Key) << T << QVariant();

    const int A = Qt::TextAlignmentRole;
    QTest::newRow("align key") << 0 << int(Model::Key) << A << left();
    QTest::newRow("align status") << 0 << int(Model::Status) << A << left();
    QTest::newRow("align http") << 0 << int(Model::HttpStatus) << A << right();
    QTest::newRow("align attempts") << 0 << int(Model::Attempts) << A << right();
    QTest::newRow("align latency") << 0 << int(Model::Latency) << A << right();
    QTest::newRow("align error") << 0 << int(Model::Error) << A << left();

    const int S = Model::SortRole;
    QTest::newRow("sort key") << 0 << int(Model::Key) << S << QVariant(u"sensor-1"_s);
    QTest::newRow("sort row-number key") << 3 << int(Model::Key) << S << QVariant(u"4"_s);
    QTest::newRow("sort status") << 0 << int(Model::Status) << S
                                 << QVariant(int(ItemStatus::Delivered));
    QTest::newRow("sort http") << 1 << int(Model::HttpStatus) << S << QVariant(422);
    QTest::newRow("sort no http") << 2 << int(Model::HttpStatus) << S << QVariant(0);
    QTest::newRow("sort attempts") << 1 << int(Model::Attempts) << S << QVariant(3);
    QTest::newRow("sort latency") << 0 << int(Model::Latency) << S << QVariant(qint64(12));
    QTest::newRow("sort no latency") << 2 << int(Model::Latency) << S << QVariant(qint64(-1));
    QTest::newRow("sort error") << 1 << int(Model::Error) << S << QVariant(FailedError);
    QTest::newRow("sort no error") << 0 << int(Model::Error) << S << QVariant(QString());

    QTest::newRow("status role") << 1 << int(Model::Key) << int(Model::StatusRole)
                                 << QVariant(int(ItemStatus::Failed));
    QTest::newRow("status role, other column") << 4 << int(Model::Latency) << int(Model::StatusRole)
                                               << QVariant(int(ItemStatus::Retrying));
    QTest::newRow("id role") << 3 << int(Model::Error) << int(Model::ItemIdRole)
                             << QVariant(qint64(3));
    QTest::newRow("error text") << 1 << int(Model::Key) << int(Model::ErrorTextRole)
                                << QVariant(FailedError);
    QTest::newRow("error text, invalid")
        << 2 << int(Model::Status) << int(Model::ErrorTextRole) << QVariant(InvalidError);
    QTest::newRow("error text, delivered")
        << 0 << int(Model::Key) << int(Model::ErrorTextRole) << QVariant(QString());
    QTest::newRow("response text") << 1 << int(Model::Key) << int(Model::ResponseTextRole)
                                   << QVariant(QString::fromUtf8(FailedBody));
    QTest::newRow("response text, delivered")
        << 0 << int(Model::Key) << int(Model::ResponseTextRole) << QVariant(QString());
    QTest::newRow("payload") << 1 << int(Model::Key) << int(Model::PayloadRole)
                             << QVariant(FailedPayload);
    QTest::newRow("payload, delivered: not kept")
        << 0 << int(Model::Key) << int(Model::PayloadRole) << QVariant(QByteArray());
    QTest::newRow("no decoration in core")
        << 1 << int(Model::Status) << int(Qt::DecorationRole) << QVariant();
}

void TestTransferStatusModel::data()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(int, role);
    QFETCH(QVariant, expected);

    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fillSample(model);
    model.flush();

    const QVariant actual = model.data(model.index(row, column), role);
    QCOMPARE(actual.metaType(), expected.metaType());
    if (role == Qt::TextAlignmentRole)
        QCOMPARE(actual.value<Qt::Alignment>(), expected.value<Qt::Alignment>());
    else
        QCOMPARE(actual, expected);
}

void TestTransferStatusModel::latencyUnderAMillisecondIsSaidSo()
{
    Model model;
    model.setFlushInterval(Never);
    QList<Item> items;
    for (qint64 id = 0; id < 3; ++id)
        items.append(makeItem(id, u"k%1"_s.arg(id)));
    model.addItems(items);
    ItemResult fast = makeResult(0, ItemStatus::Delivered, 201, 1, 0);
    fast.latencyUs = 300;
    model.setResult(fast);
    ItemResult rounded = makeResult(1, ItemStatus::Delivered, 201, 2, 0);
    rounded.latencyUs = 700; // a retried item answered in 0.7 ms
    model.setResult(rounded);
    model.setResult(makeResult(2, ItemStatus::Delivered, 201, 1, 12));
    model.flush();
    const auto shown = [&model](int row) {
        return model.data(model.index(row, Model::Latency)).toString();
    };
    QCOMPARE(shown(0), u"< 1 ms"_s);
    QCOMPARE(shown(1), u"1 ms"_s);
    QCOMPARE(shown(2), u"12 ms"_s);
    // It still sorts before a slower one and after no latency at all.
    QVERIFY(model.lessThan(0, 2, Model::Latency));
}

void TestTransferStatusModel::resultAt()
{
    Model model;
    fillSample(model);
    const ItemResult failed = model.resultAt(1);
    QCOMPARE(failed.id, 1);
    QCOMPARE(failed.key, u"sensor-2"_s);
    QCOMPARE(failed.status, ItemStatus::Failed);
    QCOMPARE(failed.httpStatus, 422);
    QCOMPARE(failed.attempts, 3);
    QCOMPARE(failed.latencyMs, 40);
    QCOMPARE(failed.error, FailedError);
    QCOMPARE(failed.responseBody, FailedBody);
    QCOMPARE(failed.payload, FailedPayload);
    QCOMPARE(failed.url, u"http://127.0.0.1:9/items/2"_s);
    QCOMPARE(failed.requestId, QByteArray("req-2"));
    QCOMPARE(model.statusAt(1), ItemStatus::Failed);

    const ItemResult delivered = model.resultAt(0);
    QCOMPARE(delivered.status, ItemStatus::Delivered);
    QCOMPARE(delivered.httpStatus, 201);
    QVERIFY(delivered.error.isEmpty());
    QVERIFY(delivered.payload.isEmpty());

    QCOMPARE(model.resultAt(3).key, u"4"_s);
    QCOMPARE(model.resultAt(5).id, -1);
    QCOMPARE(model.resultAt(-1).id, -1);
}

void TestTransferStatusModel::headers()
{
    Model model;
    const QStringList titles {u"Key"_s,      u"Status"_s,  u"HTTP"_s,
                              u"Attempts"_s, u"Latency"_s, u"Error"_s};
    QCOMPARE(titles.size(), int(Model::ColumnCount));
    for (int column = 0; column < Model::ColumnCount; ++column)
        QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), titles.at(column));
    QVERIFY(!model.headerData(Model::ColumnCount, Qt::Horizontal).isValid());
    QCOMPARE(model.headerData(Model::Latency, Qt::Horizontal, Qt::TextAlignmentRole)
                 .value<Qt::Alignment>(),
             Qt::AlignRight | Qt::AlignVCenter);
    QCOMPARE(
        model.headerData(Model::Key, Qt::Horizontal, Qt::TextAlignmentRole).value<Qt::Alignment>(),
        Qt::AlignLeft | Qt::AlignVCenter);
}

void TestTransferStatusModel::countsAndIdsFollowStatuses()
{
    Model model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addItems(chunk(0, 10));
    QCOMPARE(model.count(ItemStatus::Queued), 10);
    for (qint64 id = 0; id < 6; ++id)
        model.setStatus(id, ItemStatus::Sending, 1);
    model.setStatus(4, ItemStatus::Retrying, 1);
    model.setResult(makeResult(0, ItemStatus::Delivered, 200, 1, 5));
    model.setResult(makeResult(2, ItemStatus::Delivered, 200, 1, 5));
    model.setResult(makeResult(3, ItemStatus::Failed, 500, 1, 5, u"HTTP 500"_s));

    QCOMPARE(model.count(ItemStatus::Queued), 4);
    QCOMPARE(model.count(ItemStatus::Sending), 2);
    QCOMPARE(model.count(ItemStatus::Retrying), 1);
    QCOMPARE(model.count(ItemStatus::Delivered), 2);
    QCOMPARE(model.count(ItemStatus::Failed), 1);
    QCOMPARE(model.count(ItemStatus::Invalid), 0);
    int total = 0;
    for (int status = 0; status < ItemStatusCount; ++status) {
        const QList<qint64> ids = model.idsWithStatus(ItemStatus(status));
        QCOMPARE(ids.size(), model.count(ItemStatus(status)));
        for (qint64 id : ids)
            QCOMPARE(model.statusAt(model.rowForId(id)), ItemStatus(status));
        total += model.count(ItemStatus(status));
    }
    QCOMPARE(total, model.rowCount());
    QCOMPARE(model.idsWithStatus(ItemStatus::Delivered), (QList<qint64> {0, 2}));
    QCOMPARE(model.idsWithStatus(ItemStatus::Queued), (QList<qint64> {6, 7, 8, 9}));
}

void TestTransferStatusModel::nothingIsSignalledBeforeTheFlush()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addItems(chunk(0, 10));
    QSignalSpy spy(&model, &Model::dataChanged);
    model.setStatus(3, ItemStatus::Sending, 1);
    model.setResult(makeResult(6, ItemStatus::Failed, 404, 1, 3, u"HTTP 404 Not Found"_s));
    QVERIFY(model.setPayload(6, "{}"));
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 0);
    QCOMPARE(model.pendingRowCount(), 2);
    // The values are there already; only the signal waits.
    QCOMPARE(model.data(model.index(3, Model::Status)).toString(), u"sending"_s);
    QCOMPARE(model.data(model.index(6, Model::HttpStatus)).toString(), u"404"_s);

    model.flush();
    QCOMPARE(spy.count(), 2);
    QCOMPARE(model.pendingRowCount(), 0);
    model.flush(); // nothing left
    QCOMPARE(spy.count(), 2);
}

void TestTransferStatusModel::moreThanHalfChangedIsOneSignal()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addItems(chunk(0, 10));
    QSignalSpy spy(&model, &Model::dataChanged);
    // Six of ten, scattered: more than half.
    for (qint64 id : {0, 2, 4, 6, 8})
        model.setStatus(id, ItemStatus::Sending, 1);
    model.setResult(makeResult(9, ItemStatus::Failed, 400, 1, 7, u"HTTP 400"_s));
    model.flush();

    const QList<Change> list = changes(spy);
    QCOMPARE(list.size(), 1);
    QCOMPARE(list[0].top, 0);
    QCOMPARE(list[0].bottom, 9);
    QCOMPARE(list[0].left, 0);
    QCOMPARE(list[0].right, Model::ColumnCount - 1);
    QCOMPARE(list[0].roles, ResultRoles); // the union of what changed

    // Exactly half is not more than half: ranges.
    spy.clear();
    for (qint64 id : {1, 3, 5, 7})
        model.setStatus(id, ItemStatus::Sending, 1);
    model.setStatus(0, ItemStatus::Retrying, 1);
    model.flush();
    QCOMPARE(spy.count(), 4); // rows 0-1, 3, 5, 7
}

void TestTransferStatusModel::rangesCarryOnlyTheChangedRoles_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<QList<int>>("tops");
    QTest::addColumn<QList<int>>("bottoms");
    QTest::addColumn<QList<QList<int>>>("roles");
    // In each model: rows 2-4 start sending (status and attempts), row 10 gets a second
    // attempt (attempts only), row 11 fails (a result), row 15 gets an edited payload.
    const QList<int> statusAndAttempts = StatusRoles; // Display and Sort cover attempts
    const QList<int> resultAndStatus = ResultRoles;
    QTest::newRow("20 rows") << 20 << QList<int> {2, 10, 15} << QList<int> {4, 11, 15}
                             << QList<QList<int>> {statusAndAttempts, resultAndStatus,
                                                   QList<int> {Model::PayloadRole}};
}

void TestTransferStatusModel::rangesCarryOnlyTheChangedRoles()
{
    QFETCH(int, rows);
    QFETCH(QList<int>, tops);
    QFETCH(QList<int>, bottoms);
    QFETCH(QList<QList<int>>, roles);

    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addItems(chunk(0, rows));
    model.setStatus(10, ItemStatus::Sending, 1);
    model.setStatus(11, ItemStatus::Sending, 1);
    model.setStatus(15, ItemStatus::Sending, 1);
    model.setResult(makeResult(15, ItemStatus::Failed, 409, 1, 9, u"HTTP 409"_s, {}, "{}"));
    model.flush();

    QSignalSpy spy(&model, &Model::dataChanged);
    for (qint64 id : {4, 2, 3}) // out of order: ranges still come out sorted
        model.setStatus(id, ItemStatus::Sending, 1);
    model.setStatus(10, ItemStatus::Sending, 2);
    model.setResult(makeResult(11, ItemStatus::Failed, 422, 1, 9, u"HTTP 422"_s, {}, "{}"));
    QVERIFY(model.setPayload(15, R"({"fixed":true})"));
    model.flush();

    const QList<Change> list = changes(spy);
    QCOMPARE(list.size(), tops.size());
    for (qsizetype i = 0; i < list.size(); ++i) {
        QCOMPARE(list[i].top, tops[i]);
        QCOMPARE(list[i].bottom, bottoms[i]);
        QCOMPARE(list[i].left, 0);
        QCOMPARE(list[i].right, Model::ColumnCount - 1);
        QCOMPARE(list[i].roles, sorted(roles[i]));
    }
    // Row 10 alone (attempts) would have carried fewer roles than the range it joined.
    spy.clear();
    model.setStatus(10, ItemStatus::Sending, 3);
    model.flush();
    QCOMPARE(changes(spy).size(), 1);
    QCOMPARE(changes(spy)[0].roles, AttemptRoles);
}

void TestTransferStatusModel::unchangedValuesAreNotSignalled()
{
    Model model;
    model.setFlushInterval(Never);
    model.addItems(chunk(0, 4));
    model.setStatus(1, ItemStatus::Sending, 1);
    model.flush();
    QSignalSpy spy(&model, &Model::dataChanged);
    model.setStatus(1, ItemStatus::Sending, 1);
    model.setStatus(2, ItemStatus::Queued, 0);
    QCOMPARE(model.pendingRowCount(), 0);
    model.flush();
    QCOMPARE(spy.count(), 0);
}

void TestTransferStatusModel::timerFlushesWithinTheInterval()
{
    Model model;
    model.setFlushInterval(50);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addItems(chunk(0, 100));
    QSignalSpy spy(&model, &Model::dataChanged);
    for (qint64 id = 0; id < 10; ++id)
        model.setStatus(id, ItemStatus::Sending, 1);
    QCOMPARE(spy.count(), 0);
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(changes(spy)[0].top, 0);
    QCOMPARE(changes(spy)[0].bottom, 9);
    // The timer runs only while something is pending.
    QTest::qWait(120);
    QCOMPARE(spy.count(), 1);
}

void TestTransferStatusModel::retryKeepsTheErrorUntilDelivered()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fillSample(model);
    model.flush();
    QCOMPARE(model.count(ItemStatus::Failed), 1);

    // TransferRun::retry() reports the item queued again, attempts counting on.
    model.setStatus(1, ItemStatus::Queued, 3);
    QCOMPARE(model.count(ItemStatus::Failed), 0);
    QCOMPARE(model.count(ItemStatus::Queued), 2);
    QCOMPARE(model.resultAt(1).error, FailedError); // the last attempt's, still
    QCOMPARE(model.payloadFor(1), FailedPayload);
    model.setStatus(1, ItemStatus::Sending, 4);
    QCOMPARE(model.data(model.index(1, Model::Error)).toString(), FailedError.section(u'\n', 0, 0));

    QSignalSpy spy(&model, &Model::dataChanged);
    model.setResult(makeResult(1, ItemStatus::Delivered, 201, 4, 8));
    model.flush();
    QCOMPARE(model.count(ItemStatus::Delivered), 2);
    QCOMPARE(model.data(model.index(1, Model::Status)).toString(), u"delivered"_s);
    QCOMPARE(model.data(model.index(1, Model::Error)).toString(), QString());
    QVERIFY(!model.data(model.index(1, Model::Error), Qt::ToolTipRole).isValid());
    QCOMPARE(model.data(model.index(1, Model::Attempts)).toString(), u"4"_s);
    QCOMPARE(model.data(model.index(1, Model::Latency)).toString(), u"8 ms"_s);
    QVERIFY(model.payloadFor(1).isEmpty());
    QVERIFY(model.resultAt(1).responseBody.isEmpty());
    QVERIFY(model.itemsForRetry({1}).isEmpty());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(changes(spy)[0].top, 1);
    QCOMPARE(changes(spy)[0].roles, ResultRoles);
}

void TestTransferStatusModel::retryThatFailsAgainReplacesTheError()
{
    Model model;
    fillSample(model);
    model.setStatus(1, ItemStatus::Queued, 3);
    model.setStatus(1, ItemStatus::Sending, 4);
    model.setResult(makeResult(1, ItemStatus::Failed, 503, 9, 30000,
                               u"HTTP 503 Service Unavailable"_s, "busy", FailedPayload));
    const ItemResult result = model.resultAt(1);
    QCOMPARE(result.status, ItemStatus::Failed);
    QCOMPARE(result.httpStatus, 503);
    QCOMPARE(result.attempts, 9);
    QCOMPARE(result.error, u"HTTP 503 Service Unavailable"_s);
    QCOMPARE(result.responseBody, QByteArray("busy"));
    QCOMPARE(result.payload, FailedPayload);
    QCOMPARE(result.url, u"http://127.0.0.1:9/items/2"_s); // a result without one keeps it
    QCOMPARE(model.count(ItemStatus::Failed), 1);
}

void TestTransferStatusModel::editedPayloadIsRetried()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fillSample(model);

    // The invalid item has no payload until the steward writes one.
    QCOMPARE(model.itemsForRetry({1, 2}).size(), 1);
    QVERIFY(model.setPayload(2, R"({"id":3,"value":0})"));
    QVERIFY(!model.setPayload(0, "{}")); // delivered
    QVERIFY(!model.setPayload(42, "{}")); // unknown
    QVERIFY(model.setPayload(1, R"({"id":2,"date":"2024-12-01"})"));

    const QList<Item> items = model.itemsForRetry({0, 1, 2, 3, 42});
    QCOMPARE(items.size(), 2);
    QCOMPARE(items[0].id, 1);
    QCOMPARE(items[0].key, u"sensor-2"_s);
    QCOMPARE(items[0].payload, QByteArray(R"({"id":2,"date":"2024-12-01"})"));
    QCOMPARE(items[0].url, u"http://127.0.0.1:9/items/2"_s);
    QVERIFY(items[0].isValid());
    QCOMPARE(items[1].id, 2);
    QCOMPARE(items[1].payload, QByteArray(R"({"id":3,"value":0})"));
    QVERIFY(items[1].isValid());
    QCOMPARE(model.data(model.index(2, 0), Model::PayloadRole).toByteArray(),
             QByteArray(R"({"id":3,"value":0})"));

    // An edited payload outlives a result without one (the invalid item's, reported again).
    model.setResult(makeResult(2, ItemStatus::Invalid, 0, 0, 0, InvalidError));
    QCOMPARE(model.payloadFor(2), QByteArray(R"({"id":3,"value":0})"));
}

void TestTransferStatusModel::sparseAndDuplicateIds()
{
    Model model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &Model::rowsInserted);
    model.addItems(chunk(0, 5));
    model.addItems(chunk(3, 2)); // already there
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(inserted.count(), 1);

    // Dense first (5, 6), then a gap, a duplicate within the call and one of an old row.
    model.addItems({makeItem(5, u"a"_s), makeItem(6, u"b"_s), makeItem(100, u"c"_s),
                    makeItem(6, u"dup"_s), makeItem(2, u"old"_s), makeItem(42, u"d"_s),
                    makeItem(100, u"dup"_s)});
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(model.rowCount(), 9);
    const QList<qint64> ids {0, 1, 2, 3, 4, 5, 6, 100, 42};
    for (int row = 0; row < ids.size(); ++row) {
        QCOMPARE(model.idAt(row), ids[row]);
        QCOMPARE(model.rowForId(ids[row]), row);
    }
    QCOMPARE(model.data(model.index(6, Model::Key)).toString(), u"b"_s);
    QCOMPARE(model.rowForId(7), -1);
    QCOMPARE(model.rowForId(-1), -1);

    model.addItems({makeItem(7, u"e"_s), makeItem(42, u"dup"_s)});
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.rowForId(7), 9);
    model.setResult(makeResult(100, ItemStatus::Delivered, 200, 1, 1));
    QCOMPARE(model.statusAt(7), ItemStatus::Delivered);
}

void TestTransferStatusModel::rowNumberKeysAreShownNotStored()
{
    Model model;
    model.addItems({makeItem(0, u"1"_s), makeItem(1, u"02"_s), makeItem(2, u"+3"_s),
                    makeItem(3, u"5"_s), makeItem(4, QString())});
    model.addItems({makeItem(1000000, u"1000001"_s)});
    const QStringList keys {u"1"_s, u"02"_s, u"+3"_s, u"5"_s, QString(), u"1000001"_s};
    for (int row = 0; row < keys.size(); ++row) {
        QCOMPARE(model.data(model.index(row, Model::Key)).toString(), keys[row]);
        QCOMPARE(model.resultAt(row).key, keys[row]);
    }
}

void TestTransferStatusModel::lessThanSortsKeysNaturally_data()
{
    QTest::addColumn<QString>("left");
    QTest::addColumn<QString>("right");
    QTest::addColumn<bool>("less");
    QTest::newRow("digits by value") << u"9"_s << u"10"_s << true;
    QTest::newRow("prefix, digits by value") << u"sensor-9"_s << u"sensor-10"_s << true;
    QTest::newRow("prefix, reversed") << u"sensor-10"_s << u"sensor-9"_s << false;
    QTest::newRow("leading zeros") << u"sensor-007"_s << u"sensor-8"_s << true;
    QTest::newRow("text before digits differ") << u"a-2"_s << u"b-1"_s << true;
    QTest::newRow("shorter first") << u"item"_s << u"item-1"_s << true;
    QTest::newRow("equal keys: by id") << u"same"_s << u"same"_s << true;
    QTest::newRow("digits after text") << u"x1y2"_s << u"x1y10"_s << true;
    QTest::newRow("non-ASCII") << u"Zürich-2"_s << u"Zürich-11"_s << true;
    QTest::newRow("empty first") << QString() << u"0"_s << true;
}

void TestTransferStatusModel::lessThanSortsKeysNaturally()
{
    QFETCH(QString, left);
    QFETCH(QString, right);
    QFETCH(bool, less);
    Model model;
    model.addItems({makeItem(0, left), makeItem(1, right)});
    QCOMPARE(model.lessThan(0, 1, Model::Key), less);
    QCOMPARE(model.lessThan(1, 0, Model::Key), !less);
    QCOMPARE(model.lessThan(0, 0, Model::Key), false);
}

void TestTransferStatusModel::lessThanByColumnIsTotal()
{
    Model model;
    model.setFlushInterval(Never);
    // Row-number keys ("1".."4") and stored ones mixed.
    model.addItems(
        {makeItem(0, u"1"_s), makeItem(1, u"2"_s), makeItem(2, u"k-10"_s), makeItem(3, u"4"_s)});
    model.setResult(makeResult(0, ItemStatus::Failed, 503, 3, 40, u"HTTP 503: busy"_s));
    model.setResult(makeResult(1, ItemStatus::Delivered, 201, 1, 7));
    model.setResult(makeResult(2, ItemStatus::Failed, 422, 1, 12, u"HTTP 422: bad"_s));
    model.flush();
    QCOMPARE(model.keyAt(2), u"k-10"_s);
    QCOMPARE(model.keyAt(0), u"1"_s);
    QVERIFY(model.keyContains(2, u"K-1", Qt::CaseInsensitive));
    QVERIFY(!model.keyContains(2, u"K-1", Qt::CaseSensitive));
    QVERIFY(model.keyContains(3, u"4", Qt::CaseSensitive)); // a row-number key
    QVERIFY(!model.keyContains(3, u"k", Qt::CaseInsensitive));
    QVERIFY(!model.keyContains(99, u"", Qt::CaseInsensitive));
    QCOMPARE(model.errorAt(2), u"HTTP 422: bad"_s);
    QVERIFY(model.errorAt(1).isEmpty());
    QVERIFY(model.errorAt(99).isEmpty());

    // The order of each column agrees with its SortRole value, ties broken by id.
    for (int column = 0; column < Model::ColumnCount; ++column) {
        for (int a = 0; a < 4; ++a) {
            for (int b = 0; b < 4; ++b) {
                const QVariant va = model.index(a, column).data(Model::SortRole);
                const QVariant vb = model.index(b, column).data(Model::SortRole);
                bool expected = false;
                if (column == Model::Key) {
                    // Digits first, then letters (by code unit): "1" < "2" < "4" < "k-10".
                    expected = va.toString() < vb.toString() || (va == vb && a < b);
                } else if (va.typeId() == QMetaType::QString) {
                    expected = va.toString() < vb.toString() || (va == vb && a < b);
                } else {
                    expected = va.toLongLong() < vb.toLongLong()
                        || (va.toLongLong() == vb.toLongLong() && a < b);
                }
                QVERIFY2(model.lessThan(a, b, column) == expected,
                         qPrintable(u"column %1, rows %2 < %3"_s.arg(column).arg(a).arg(b)));
            }
        }
    }
    // A missing latency (never sent) sorts first.
    QVERIFY(model.lessThan(3, 1, Model::Latency));
    // Bad rows do not crash and give a stable answer.
    QVERIFY(model.lessThan(-1, 2, Model::Key));
    QVERIFY(!model.lessThan(7, 2, Model::Key));
}

void TestTransferStatusModel::keysAcrossPoolBlocksAndVeryLongKeys()
{
    Model model;
    // 20,000 keys of 25 to 34 characters fill several 65,536-character blocks; a key longer
    // than a block's limit and non-ASCII keys go in between.
    const auto keyFor = [](qint64 id) -> QString {
        if (id == 777)
            return QString(70000, u'x') + u"-long"_s;
        return u"Zürich/station-%1-"_s.arg(id, 6, 10, QChar(u'0')) + QString(int(id % 10), u'é');
    };
    for (qint64 first = 0; first < 20000; first += 5000) {
        QList<Item> items;
        for (qint64 id = first; id < first + 5000; ++id)
            items.append(makeItem(id, keyFor(id)));
        model.addItems(items);
    }
    QCOMPARE(model.rowCount(), 20000);
    for (int row : {0, 1, 777, 2620, 2621, 9999, 19999}) {
        QCOMPARE(model.keyAt(row), keyFor(row));
        QCOMPARE(model.data(model.index(row, Model::Key)).toString(), keyFor(row));
        QCOMPARE(model.resultAt(row).key, keyFor(row));
    }
    QVERIFY(model.lessThan(776, 778, Model::Key));
    QVERIFY(model.lessThan(777, 778, Model::Key) != model.lessThan(778, 777, Model::Key));
    const QList<Item> retry = model.itemsForRetry({777});
    QVERIFY(retry.isEmpty()); // queued, not failed
    model.setResult(makeResult(777, ItemStatus::Failed, 500, 1, 3, u"x"_s, {}, "{}"));
    model.flush();
    QCOMPARE(model.itemsForRetry({777}).value(0).key, keyFor(777));

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    model.addItems({makeItem(0, u"after-clear"_s)});
    QCOMPARE(model.keyAt(0), u"after-clear"_s);
}

void TestTransferStatusModel::keysOutOfRowOrderAreCompared()
{
    // Keys that follow the row order need no comparison; one out of order anywhere, later
    // included, and every comparison reads the keys again. Both must sort the same.
    Model model;
    model.addItems({makeItem(0, u"a-1"_s), makeItem(1, u"a-2"_s), makeItem(2, u"a-10"_s)});
    const auto order = [&model] {
        QList<int> rows(model.rowCount());
        std::iota(rows.begin(), rows.end(), 0);
        std::stable_sort(rows.begin(), rows.end(),
                         [&model](int l, int r) { return model.lessThan(l, r, Model::Key); });
        return rows;
    };
    QCOMPARE(order(), (QList<int> {0, 1, 2}));
    QVERIFY(!model.lessThan(2, 0, Model::Key));
    model.addItems({makeItem(3, u"a-3"_s), makeItem(4, u"a-10"_s)});
    QCOMPARE(order(), (QList<int> {0, 1, 3, 2, 4}));
    QVERIFY(model.lessThan(3, 2, Model::Key));
    QVERIFY(model.lessThan(2, 4, Model::Key)); // equal keys: by id
    model.clear();
    model.addItems({makeItem(0, u"b"_s), makeItem(1, u"c"_s)});
    QVERIFY(model.lessThan(0, 1, Model::Key));
    QVERIFY(!model.lessThan(1, 0, Model::Key));
}

void TestTransferStatusModel::deliveredDetailsAreKeptForTheNewest()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int total = Model::DeliveredDetailsKept + 50;
    model.addItems(chunk(0, total));
    for (int id = 0; id < total; ++id) {
        model.setResult(makeResult(id, ItemStatus::Delivered, 201, 1, 5, {},
                                   "{\"ok\":" + QByteArray::number(id) + '}',
                                   "{\"id\":" + QByteArray::number(id + 1) + '}'));
    }
    model.flush();
    // The oldest 50 are forgotten, the newest kept, with no error.
    for (int id : {0, 49}) {
        QVERIFY(model.resultAt(id).payload.isEmpty());
        QVERIFY(model.index(id, Model::Key).data(Model::ResponseTextRole).toString().isEmpty());
    }
    for (int id : {50, total - 1}) {
        const ItemResult result = model.resultAt(id);
        QCOMPARE(result.payload, "{\"id\":" + QByteArray::number(id + 1) + '}');
        QCOMPARE(result.responseBody, "{\"ok\":" + QByteArray::number(id) + '}');
        QVERIFY(result.error.isEmpty());
        QCOMPARE(model.index(id, Model::Key).data(Model::PayloadRole).toByteArray(),
                 result.payload);
        QCOMPARE(model.index(id, Model::Key).data(Model::ResponseTextRole).toString(),
                 QString::fromUtf8(result.responseBody));
    }
    // Delivered is not retryable, even with its payload kept; the failure API stays empty.
    QVERIFY(model.itemsForRetry({qint64(total - 1)}).isEmpty());
    QVERIFY(model.payloadFor(total - 1).isEmpty());
    QVERIFY(!model.setPayload(total - 1, "{}"));
    // A new run does not show the previous run's JSON for the same ids.
    model.clear();
    model.addItems(chunk(0, total));
    QVERIFY(model.resultAt(total - 1).payload.isEmpty());
    QVERIFY(model.resultAt(total - 1).responseBody.isEmpty());
}

void TestTransferStatusModel::deliveryRemarksAreKeptForEveryItem()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int total = Model::DeliveredDetailsKept + 50;
    model.addItems(chunk(0, total));
    const auto remark = [](int id) {
        return u"delivered by an earlier attempt whose answer was lost (item %1)"_s.arg(id);
    };
    // Every tenth item is delivered with a remark; item 5 fails.
    for (int id = 0; id < total; ++id) {
        ItemResult result
            = makeResult(id, id == 5 ? ItemStatus::Failed : ItemStatus::Delivered,
                         id == 5 ? 409 : 201, 2, 5, id == 5 ? u"HTTP 409"_s : QString());
        if (id % 10 == 0)
            result.note = remark(id);
        model.setResult(result);
    }
    model.flush();
    // Also for the oldest items, whose payload and answer are forgotten.
    for (int id : {0, 10, total - 10}) {
        const ItemResult result = model.resultAt(id);
        QCOMPARE(result.status, ItemStatus::Delivered);
        QCOMPARE(result.note, remark(id));
        QVERIFY(result.error.isEmpty());
    }
    QVERIFY(model.resultAt(0).payload.isEmpty());
    for (int id : {1, 5, total - 1})
        QVERIFY(model.resultAt(id).note.isEmpty());
    // A later result without a remark replaces it; a new run starts without any.
    model.setResult(makeResult(10, ItemStatus::Delivered, 201, 3, 5));
    QVERIFY(model.resultAt(10).note.isEmpty());
    model.clear();
    model.addItems(chunk(0, total));
    QVERIFY(model.resultAt(0).note.isEmpty());
}

void TestTransferStatusModel::unknownIdsAreIgnored()
{
    Model model;
    model.setFlushInterval(Never);
    model.addItems(chunk(0, 3));
    model.setStatus(7, ItemStatus::Sending, 1);
    model.setResult(makeResult(-1, ItemStatus::Failed, 500, 1, 1, u"x"_s));
    QCOMPARE(model.pendingRowCount(), 0);
    QCOMPARE(model.count(ItemStatus::Queued), 3);
    QCOMPARE(model.count(ItemStatus::Failed), 0);
    QVERIFY(model.payloadFor(7).isEmpty());
}

void TestTransferStatusModel::clearResetsEverything()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fillSample(model);
    model.addItems({makeItem(77, u"sparse"_s)});
    QSignalSpy reset(&model, &Model::modelReset);
    QSignalSpy changed(&model, &Model::dataChanged);
    model.clear();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.pendingRowCount(), 0);
    for (int status = 0; status < ItemStatusCount; ++status)
        QCOMPARE(model.count(ItemStatus(status)), 0);
    QVERIFY(model.payloadFor(1).isEmpty());
    model.flush();
    QCOMPARE(changed.count(), 0);

    // Dense again after a clear.
    model.addItems(chunk(0, 3));
    QCOMPARE(model.rowForId(2), 2);
    QCOMPARE(model.rowForId(77), -1);
}

void TestTransferStatusModel::followsARun()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QList<QVariantList> rows;
    for (int i = 1; i <= 300; ++i) {
        rows.append(
            {i, u"sensor-%1"_s.arg(i), i % 100 == 0 ? QVariant() : QVariant(u"code-%1"_s.arg(i))});
    }
    QString error;
    const QString db = SqliteFixture::create(
        dir.path(), u"rows.db"_s,
        {u"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, code TEXT)"_s}, u"t"_s, rows, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));

    TestSink sink;
    QVERIFY(sink.isListening());
    bool failSevens = true;
    sink.setHandler([&failSevens](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (failSevens && r.jsonId.toInt() % 7 == 0) {
            reply.status = 422;
            reply.body = R"({"error":"invalid date"})";
        }
        return reply;
    });

    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = db;
    spec.query.sql = u"SELECT id, name, code FROM t ORDER BY id"_s;
    spec.transform.present = true;
    spec.transform.key = u"{{name}}"_s;
    spec.transform.templ = R"({"id":"{{id}}"})";
    spec.target.url = sink.url().toString() + u"items/{{code}}"_s; // NULL code: invalid
    spec.run.chunkSize = 100;
    spec.run.concurrency = 8;

    TransferRun run(spec);
    Model model;
    model.setFlushInterval(20);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.attach(&run);
    QSignalSpy inserted(&model, &Model::rowsInserted);
    QSignalSpy finished(&run, &TransferRun::finished);
    run.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(model.pendingRowCount(), 0); // the run's end flushed

    const RunCounts counts = run.counts();
    QCOMPARE(inserted.count(), 3); // one per chunk
    QCOMPARE(model.rowCount(), 300);
    QCOMPARE(model.count(ItemStatus::Delivered), int(counts.delivered));
    QCOMPARE(model.count(ItemStatus::Failed), int(counts.failed));
    QCOMPARE(model.count(ItemStatus::Invalid), int(counts.invalid));
    QCOMPARE(counts.failed, 42);
    QCOMPARE(counts.invalid, 3);
    const ItemResult failed = model.resultAt(model.rowForId(13)); // row 14
    QCOMPARE(failed.key, u"sensor-14"_s);
    QCOMPARE(failed.httpStatus, 422);
    QCOMPARE(failed.responseBody, QByteArray(R"({"error":"invalid date"})"));
    QCOMPARE(failed.payload, QByteArray(R"({"id":14})"));
    QVERIFY(failed.latencyMs >= 0);
    QCOMPARE(model.data(model.index(99, Model::Status)).toString(), u"invalid"_s);

    // Retry the failed ones against an API that now accepts them.
    failSevens = false;
    QCOMPARE(run.retry(model.itemsForRetry(model.idsWithStatus(ItemStatus::Failed))), 42);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
    QCOMPARE(model.count(ItemStatus::Failed), 0);
    QCOMPARE(model.count(ItemStatus::Delivered), 297);
    QCOMPARE(model.resultAt(13).attempts, 2);
    QVERIFY(model.resultAt(13).error.isEmpty());
    QCOMPARE(inserted.count(), 3);

    // Detached: the run's signals no longer reach the model.
    model.attach(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestTransferStatusModel)
#include "tst_transferstatusmodel.moc"
