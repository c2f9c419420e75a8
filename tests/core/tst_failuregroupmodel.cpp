// SPDX-License-Identifier: GPL-3.0-or-later
// FailureGroupModel under QAbstractItemModelTester: how messages are shortened, how results
// group and sort, how retries that pass shrink and remove groups, and that changes reach
// views in batches.

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "sqlitefixture.h"
#include "testsink.h"

#include "models/failuregroupmodel.h"
#include "spec/transferspec.h"
#include "transfer/transferrun.h"

using namespace sluice;
using namespace Qt::StringLiterals;

using Model = FailureGroupModel;

namespace {

constexpr int Never = 3600 * 1000;

ItemResult failure(qint64 id, int http, const QString &error, const QByteArray &body = {},
                   ItemStatus status = ItemStatus::Failed)
{
    ItemResult result;
    result.id = id;
    result.status = status;
    result.httpStatus = http;
    result.attempts = status == ItemStatus::Invalid ? 0 : 1;
    result.error = error;
    result.responseBody = body;
    return result;
}

ItemResult delivered(qint64 id)
{
    ItemResult result;
    result.id = id;
    result.status = ItemStatus::Delivered;
    result.httpStatus = 201;
    result.attempts = 2;
    return result;
}

/// What the dispatcher writes for a 422 with {"error": message}.
ItemResult unprocessable(qint64 id, const QString &message)
{
    const QByteArray body = R"({"error":")" + message.toUtf8() + R"("})";
    return failure(id, 422, u"HTTP 422 Unprocessable Entity: "_s + QString::fromUtf8(body), body);
}

QStringList summaries(const Model &model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row)
        list.append(model.summary(row));
    return list;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> ids;
    for (qint64 id = first; id <= last; ++id)
        ids.append(id);
    return ids;
}

} // namespace

class TestFailureGroupModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shortMessage_data();
    void shortMessage();
    void statusText_data();
    void statusText();
    void groupsSortedByCount();
    void ownKeyDoesNotSplitGroups();
    void dataAndHeaders();
    void nothingChangesBeforeTheFlush();
    void deliveredRetryLeavesItsGroup();
    void emptiedGroupsDisappear();
    void itemMovesBetweenGroups();
    void reorderKeepsPersistentIndexes();
    void tiesKeepTheOrderOfAppearance();
    void burstIsBatched();
    void clearResets();
    void followsARunAndItsRetry();
};

void TestFailureGroupModel::shortMessage_data()
{
    QTest::addColumn<int>("http");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    const QString long130 = QString(130, u'x');
    QTest::newRow("json error") << 422
                                << uR"(HTTP 422 Unprocessable Entity: {"error":"invalid date"})"_s
                                << QByteArray(R"({"error":"invalid date"})") << u"invalid date"_s;
    QTest::newRow("json message") << 400 << u"HTTP 400 Bad Request: {...}"_s
                                  << QByteArray(R"( {"code":7,"message":"id missing"} )")
                                  << u"id missing"_s;
    QTest::newRow("json detail") << 409 << u"HTTP 409 Conflict: {...}"_s
                                 << QByteArray(R"({"detail":"duplicate key"})")
                                 << u"duplicate key"_s;
    QTest::newRow("error before message")
        << 400 << u"HTTP 400"_s << QByteArray(R"({"message":"second","error":"first"})")
        << u"first"_s;
    QTest::newRow("elasticsearch error object")
        << 400 << u"HTTP 400 Bad Request: {...}"_s
        << QByteArray(
               R"({"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [location]"},"status":400})")
        << u"failed to parse field [location]"_s;
    QTest::newRow("json without a message field: the error line")
        << 400 << uR"(HTTP 400 Bad Request: {"status":"no"})"_s << QByteArray(R"({"status":"no"})")
        << uR"({"status":"no"})"_s;
    QTest::newRow("text body") << 500 << u"HTTP 500 Internal Server Error: database is down"_s
                               << QByteArray("database is down\nat line 3")
                               << u"database is down"_s;
    QTest::newRow("no body") << 404 << u"HTTP 404 Not Found"_s << QByteArray() << QString();
    QTest::newRow("no reason phrase") << 418 << u"HTTP 418: short and stout"_s
                                      << QByteArray("short and stout") << u"short and stout"_s;
    QTest::newRow("network error") << 0
                                   << u"connection refused: is the server running and the "
                                      u"port right?"_s
                                   << QByteArray()
                                   << u"connection refused: is the server running and the "
                                      u"port right?"_s;
    QTest::newRow("cancelled") << 0 << u"cancelled"_s << QByteArray() << u"cancelled"_s;
    QTest::newRow("invalid item, two lines")
        << 0 << u"transform.template.value: NaN in column \"value\"\nmore"_s << QByteArray()
        << u"transform.template.value: NaN in column \"value\""_s;
    QTest::newRow("long message cut") << 422 << u"HTTP 422 Unprocessable Entity: "_s + long130
                                      << QByteArray(R"({"error":")" + long130.toLatin1() + R"("})")
                                      << long130.left(120) + u'\x2026';
    QTest::newRow("broken json: the error line") << 400 << u"HTTP 400 Bad Request: {\"error\":"_s
                                                 << QByteArray(R"({"error":)") << u"{\"error\":"_s;
}

void TestFailureGroupModel::shortMessage()
{
    QFETCH(int, http);
    QFETCH(QString, error);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QCOMPARE(Model::shortMessage(failure(1, http, error, body)), expected);
}

void TestFailureGroupModel::statusText_data()
{
    QTest::addColumn<int>("http");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expected");
    const int failed = int(ItemStatus::Failed);
    QTest::newRow("with reason") << 422 << u"HTTP 422 Unprocessable Entity: {}"_s << failed
                                 << u"422 Unprocessable Entity"_s;
    QTest::newRow("reason, no body")
        << 404 << u"HTTP 404 Not Found"_s << failed << u"404 Not Found"_s;
    QTest::newRow("no reason") << 418 << u"HTTP 418: tea"_s << failed << u"418"_s;
    QTest::newRow("redirect") << 302
                              << u"HTTP 302 Found (redirect to http://127.0.0.1/x not followed)"_s
                              << failed << u"302 Found"_s;
    QTest::newRow("other text") << 500 << u"something else"_s << failed << u"500"_s;
    QTest::newRow("prefix of another status")
        << 42 << u"HTTP 422 Unprocessable"_s << failed << u"42"_s;
    QTest::newRow("no response") << 0 << u"cancelled"_s << failed << u"failed"_s;
    QTest::newRow("invalid") << 0 << u"NaN"_s << int(ItemStatus::Invalid) << u"invalid"_s;
}

void TestFailureGroupModel::statusText()
{
    QFETCH(int, http);
    QFETCH(QString, error);
    QFETCH(int, status);
    QFETCH(QString, expected);
    QCOMPARE(Model::statusText(failure(1, http, error, {}, ItemStatus(status))), expected);
}

void TestFailureGroupModel::groupsSortedByCount()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    qint64 id = 0;
    for (int i = 0; i < 5; ++i)
        model.addResult(unprocessable(id++, u"invalid date"_s)); // 0..4
    for (int i = 0; i < 3; ++i)
        model.addResult(failure(id++, 503, u"HTTP 503 Service Unavailable"_s)); // 5..7
    for (int i = 0; i < 7; ++i)
        model.addResult(unprocessable(id++, u"unknown sensor"_s)); // 8..14
    for (int i = 0; i < 2; ++i)
        model.addResult(failure(id++, 0, u"NaN in column \"value\""_s, {}, ItemStatus::Invalid));
    model.addResult(failure(id++, 0, u"NaN in column \"value\""_s)); // same text, but Failed
    model.flush();

    QCOMPARE(
        summaries(model),
        (QStringList {u"7 × 422 Unprocessable Entity: unknown sensor"_s,
                      u"5 × 422 Unprocessable Entity: invalid date"_s,
                      u"3 × 503 Service Unavailable"_s, u"2 × invalid: NaN in column \"value\""_s,
                      u"1 × failed: NaN in column \"value\""_s}));
    QCOMPARE(model.ids(0), range(8, 14));
    QCOMPARE(model.ids(1), range(0, 4));
    QCOMPARE(model.ids(2), range(5, 7));
    QCOMPARE(model.ids(3), range(15, 16));
    QCOMPARE(model.ids(4), range(17, 17));
    QVERIFY(model.ids(5).isEmpty());
    QVERIFY(model.ids(-1).isEmpty());
    QVERIFY(model.summary(5).isEmpty());
    QCOMPARE(model.itemCount(), 18);
}

void TestFailureGroupModel::ownKeyDoesNotSplitGroups()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Elasticsearch names the document in a conflict's reason, in a bulk answer (the error
    // text) and in a single answer (the JSON body) alike.
    const auto conflict = [](qint64 id, const QString &key, bool bulk) {
        const QString reason = u"[%1]: version conflict, document already exists "
                               u"(current version [1])"_s.arg(key);
        ItemResult result = bulk
            ? failure(id, 409, u"HTTP 409: version_conflict_engine_exception: "_s + reason)
            : failure(id, 409, u"HTTP 409 Conflict: {...}"_s,
                      R"({"error":{"type":"version_conflict_engine_exception","reason":")"
                          + reason.toUtf8() + R"("},"status":409})");
        result.key = key;
        return result;
    };
    for (qint64 id = 0; id < 5; ++id)
        model.addResult(conflict(id, u"k-%1"_s.arg(id), true));
    model.addResult(conflict(5, u"SKU é/7 \"x\""_s, true)); // not letters and digits only
    for (qint64 id = 6; id < 8; ++id)
        model.addResult(conflict(id, u"k-%1"_s.arg(id), false));
    // Only as a word: the key k-1 is not the k-10 of another document.
    ItemResult other = failure(8, 409, u"HTTP 409: conflict with k-10 and xk-1"_s);
    other.key = u"k-1"_s;
    model.addResult(other);
    // A key of one character stands out only where it is a word too.
    ItemResult shortKey = conflict(9, u"9"_s, true);
    model.addResult(shortKey);
    model.flush();
    QCOMPARE(summaries(model),
             (QStringList {u"7 × 409: version_conflict_engine_exception: [<key>]: version "
                           u"conflict, document already exists (current version [1])"_s,
                           u"2 × 409 Conflict: [<key>]: version conflict, document already exists "
                           u"(current version [1])"_s,
                           u"1 × 409: conflict with k-10 and xk-1"_s}));
    QCOMPARE(model.ids(0), (QList<qint64> {0, 1, 2, 3, 4, 5, 9}));
    QCOMPARE(model.ids(1), range(6, 7));
    QCOMPARE(model.ids(2), range(8, 8));
}

void TestFailureGroupModel::dataAndHeaders()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const ItemResult first = unprocessable(3, u"invalid date"_s);
    model.addResult(first);
    model.addResult(unprocessable(4, u"invalid date"_s));
    model.addResult(failure(5, 0, u"cancelled"_s));
    model.flush();

    QCOMPARE(model.columnCount(), int(Model::ColumnCount));
    QCOMPARE(model.headerData(Model::Count, Qt::Horizontal).toString(), u"Count"_s);
    QCOMPARE(model.headerData(Model::Status, Qt::Horizontal).toString(), u"Status"_s);
    QCOMPARE(model.headerData(Model::Message, Qt::Horizontal).toString(), u"Message"_s);
    QVERIFY(!model.headerData(Model::ColumnCount, Qt::Horizontal).isValid());

    auto at = [&model](int row, int column, int role = Qt::DisplayRole) {
        return model.data(model.index(row, column), role);
    };
    QCOMPARE(at(0, Model::Count).toString(), u"2"_s);
    QCOMPARE(at(0, Model::Status).toString(), u"422 Unprocessable Entity"_s);
    QCOMPARE(at(0, Model::Message).toString(), u"invalid date"_s);
    QCOMPARE(at(0, Model::Message, Qt::ToolTipRole).toString(), first.error);
    QVERIFY(!at(0, Model::Count, Qt::ToolTipRole).isValid());
    QCOMPARE(at(0, Model::Count, Qt::TextAlignmentRole).value<Qt::Alignment>(),
             Qt::AlignRight | Qt::AlignVCenter);
    QCOMPARE(at(0, Model::Message, Qt::TextAlignmentRole).value<Qt::Alignment>(),
             Qt::AlignLeft | Qt::AlignVCenter);
    QCOMPARE(at(0, Model::Count, Model::SortRole), QVariant(2));
    QCOMPARE(at(0, Model::Status, Model::SortRole), QVariant(422));
    QCOMPARE(at(0, Model::Message, Model::SortRole), QVariant(u"invalid date"_s));
    QCOMPARE(at(0, Model::Message, Model::CountRole), QVariant(2));
    QCOMPARE(at(0, Model::Count, Model::HttpStatusRole), QVariant(422));
    QCOMPARE(at(0, Model::Count, Model::StatusRole), QVariant(int(ItemStatus::Failed)));
    QCOMPARE(at(1, Model::Status).toString(), u"failed"_s);
    QCOMPARE(at(1, Model::Message).toString(), u"cancelled"_s);
    QCOMPARE(at(1, Model::Status, Model::SortRole), QVariant(0));
    QVERIFY(!at(1, Model::Status, Qt::DecorationRole).isValid());
}

void TestFailureGroupModel::nothingChangesBeforeTheFlush()
{
    Model model;
    model.setFlushInterval(50);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &Model::rowsInserted);
    model.addResult(unprocessable(1, u"invalid date"_s));
    model.addResult(unprocessable(2, u"invalid date"_s));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(inserted.count(), 0);
    QTRY_COMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 1);

    QSignalSpy changed(&model, &Model::dataChanged);
    model.addResult(unprocessable(3, u"invalid date"_s));
    QCOMPARE(model.ids(0), (QList<qint64> {1, 2})); // the previous state until the flush
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(model.ids(0), (QList<qint64> {1, 2, 3}));
    const QList<QVariant> args = changed.at(0);
    QCOMPARE(args.at(0).value<QModelIndex>(), model.index(0, Model::Count));
    QCOMPARE(args.at(1).value<QModelIndex>(), model.index(0, Model::Count));
    QVERIFY(args.at(2).value<QList<int>>().contains(Qt::DisplayRole));

    // Delivered items that never failed queue nothing.
    model.addResult(delivered(99));
    model.removeItem(98);
    QTest::qWait(120);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(inserted.count(), 1);
}

void TestFailureGroupModel::deliveredRetryLeavesItsGroup()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (qint64 id = 0; id < 4; ++id)
        model.addResult(unprocessable(id, u"invalid date"_s));
    model.flush();
    QCOMPARE(model.summary(0), u"4 × 422 Unprocessable Entity: invalid date"_s);

    QSignalSpy changed(&model, &Model::dataChanged);
    model.addResult(delivered(2)); // the retry passed
    model.removeItem(0);
    model.flush();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.ids(0), (QList<qint64> {1, 3}));
    QCOMPARE(model.summary(0), u"2 × 422 Unprocessable Entity: invalid date"_s);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.itemCount(), 2);
}

void TestFailureGroupModel::emptiedGroupsDisappear()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Groups of 5, 4, 3, 2, 1 items: "m5" holds ids 500..504 and so on.
    for (int size = 5; size >= 1; --size) {
        for (int i = 0; i < size; ++i)
            model.addResult(unprocessable(size * 100 + i, u"m%1"_s.arg(size)));
    }
    model.flush();
    QCOMPARE(model.rowCount(), 5);

    // Empty the groups of rows 1, 2 (adjacent) and 4.
    QList<QString> order;
    connect(&model, &Model::rowsRemoved, this, [&order](const QModelIndex &, int f, int l) {
        order.append(u"%1-%2"_s.arg(f).arg(l));
    });
    for (qint64 id : range(400, 403) + range(300, 302) + range(100, 100))
        model.addResult(delivered(id));
    model.addResult(unprocessable(600, u"m6"_s)); // added and retried within one flush
    model.addResult(delivered(600));
    model.flush();
    QCOMPARE(order, (QList<QString> {u"4-4"_s, u"1-2"_s}));
    QCOMPARE(summaries(model),
             (QStringList {u"5 × 422 Unprocessable Entity: m5"_s,
                           u"2 × 422 Unprocessable Entity: m2"_s}));

    // An emptied group that comes back is a new group, at the end of its count.
    model.addResult(unprocessable(401, u"m4"_s));
    model.flush();
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.summary(2), u"1 × 422 Unprocessable Entity: m4"_s);
}

void TestFailureGroupModel::itemMovesBetweenGroups()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addResult(unprocessable(1, u"invalid date"_s));
    model.addResult(unprocessable(2, u"invalid date"_s));
    model.flush();
    // Item 2 retried with an edited payload fails differently; item 1 fails the same again.
    model.addResult(failure(2, 409, u"HTTP 409 Conflict"_s));
    model.addResult(unprocessable(1, u"invalid date"_s));
    model.flush();
    QCOMPARE(
        summaries(model),
        (QStringList {u"1 × 422 Unprocessable Entity: invalid date"_s, u"1 × 409 Conflict"_s}));
    QCOMPARE(model.itemCount(), 2);
    QCOMPARE(model.ids(1), (QList<qint64> {2}));
}

void TestFailureGroupModel::reorderKeepsPersistentIndexes()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (qint64 id = 0; id < 3; ++id)
        model.addResult(unprocessable(id, u"a"_s));
    model.addResult(unprocessable(10, u"b"_s));
    model.addResult(unprocessable(20, u"c"_s));
    model.flush();
    QCOMPARE(model.data(model.index(2, Model::Message)).toString(), u"c"_s);
    const QPersistentModelIndex c(model.index(2, Model::Message));
    const QPersistentModelIndex a(model.index(0, Model::Count));

    QSignalSpy layout(&model, &Model::layoutChanged);
    for (qint64 id = 21; id < 25; ++id)
        model.addResult(unprocessable(id, u"c"_s));
    model.flush();
    QCOMPARE(layout.count(), 1);
    QCOMPARE(
        summaries(model),
        (QStringList {u"5 × 422 Unprocessable Entity: c"_s, u"3 × 422 Unprocessable Entity: a"_s,
                      u"1 × 422 Unprocessable Entity: b"_s}));
    QCOMPARE(c.row(), 0);
    QCOMPARE(c.column(), int(Model::Message));
    QCOMPARE(c.data().toString(), u"c"_s);
    QCOMPARE(a.row(), 1);

    // A count change that keeps the order needs no layout change.
    model.addResult(unprocessable(11, u"b"_s));
    model.flush();
    QCOMPARE(layout.count(), 1);
}

void TestFailureGroupModel::tiesKeepTheOrderOfAppearance()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addResult(unprocessable(1, u"z"_s));
    model.addResult(failure(2, 500, u"HTTP 500 Internal Server Error"_s));
    model.addResult(unprocessable(3, u"a"_s));
    model.flush();
    QCOMPARE(summaries(model),
             (QStringList {u"1 × 422 Unprocessable Entity: z"_s, u"1 × 500 Internal Server Error"_s,
                           u"1 × 422 Unprocessable Entity: a"_s}));
    // "a" overtakes, then falls back behind the older ones when it is even again.
    model.addResult(unprocessable(4, u"a"_s));
    model.flush();
    QCOMPARE(model.summary(0), u"2 × 422 Unprocessable Entity: a"_s);
    model.removeItem(4);
    model.flush();
    QCOMPARE(model.summary(2), u"1 × 422 Unprocessable Entity: a"_s);
}

void TestFailureGroupModel::burstIsBatched()
{
    Model model;
    model.setFlushInterval(20);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &Model::rowsInserted);
    QSignalSpy changed(&model, &Model::dataChanged);
    QSignalSpy layout(&model, &Model::layoutChanged);
    const QStringList messages {u"invalid date"_s, u"unknown sensor"_s, u"duplicate"_s};
    for (qint64 id = 0; id < 100000; ++id) // e.g. a cancel reporting everything at once
        model.addResult(unprocessable(id, messages[id % 7 == 0 ? 2 : id % 2]));
    QCOMPARE(inserted.count(), 0);
    QTRY_COMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(layout.count() <= 1);
    QVERIFY(changed.count() <= 1);
    qint64 total = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        total += model.ids(row).size();
        if (row > 0)
            QVERIFY(model.ids(row).size() <= model.ids(row - 1).size());
    }
    QCOMPARE(total, 100000);
    QCOMPARE(model.itemCount(), 100000);
}

void TestFailureGroupModel::clearResets()
{
    Model model;
    model.setFlushInterval(Never);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addResult(unprocessable(1, u"a"_s));
    model.flush();
    model.addResult(unprocessable(2, u"b"_s)); // pending
    QSignalSpy reset(&model, &Model::modelReset);
    model.clear();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.itemCount(), 0);
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    model.addResult(unprocessable(1, u"a"_s)); // a new run: the same id again
    model.flush();
    QCOMPARE(model.summary(0), u"1 × 422 Unprocessable Entity: a"_s);
}

void TestFailureGroupModel::followsARunAndItsRetry()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QList<QVariantList> rows;
    for (int i = 1; i <= 50; ++i)
        rows.append({i, i % 25 == 0 ? QVariant() : QVariant(u"code-%1"_s.arg(i))});
    QString error;
    const QString db = SqliteFixture::create(
        dir.path(), u"rows.db"_s, {u"CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT)"_s}, u"t"_s,
        rows, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));

    TestSink sink;
    QVERIFY(sink.isListening());
    bool reject = true;
    sink.setHandler([&reject](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (reject && r.jsonId.toInt() % 7 == 0) {
            reply.status = 422;
            reply.body = R"({"error":"invalid date"})";
        }
        return reply;
    });
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = db;
    spec.query.sql = u"SELECT id, code FROM t ORDER BY id"_s;
    spec.transform.present = true;
    spec.transform.templ = R"({"id":"{{id}}"})";
    spec.target.url = sink.url().toString() + u"items/{{code}}"_s; // NULL code: invalid
    spec.run.chunkSize = 20;
    spec.run.concurrency = 4;

    TransferRun run(spec);
    Model model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.attach(&run);
    QSignalSpy finished(&run, &TransferRun::finished);
    QList<ItemResult> failedResults;
    connect(&run, &TransferRun::itemFinished, this, [&failedResults](const ItemResult &r) {
        if (r.status == ItemStatus::Failed)
            failedResults.append(r);
    });
    run.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    // The run's end flushed: no waiting for the timer.
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.summary(0), u"7 × 422 Unprocessable Entity: invalid date"_s);
    QCOMPARE(model.ids(0), (QList<qint64> {6, 13, 20, 27, 34, 41, 48}));
    QCOMPARE(model.data(model.index(1, Model::Status)).toString(), u"invalid"_s);
    QCOMPARE(model.ids(1), (QList<qint64> {24, 49}));

    // Retry the 422 group, the API now accepts them: the group goes.
    reject = false;
    QList<Item> items;
    for (const ItemResult &r : std::as_const(failedResults))
        items.append(Item {r.id, r.key, r.payload, r.url, {}});
    QCOMPARE(run.retry(items), 7);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0, Model::Status)).toString(), u"invalid"_s);
    QCOMPARE(model.itemCount(), 2);
}

QTEST_GUILESS_MAIN(TestFailureGroupModel)
#include "tst_failuregroupmodel.moc"
