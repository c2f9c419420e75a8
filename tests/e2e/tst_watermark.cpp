// SPDX-License-Identifier: GPL-3.0-or-later
// Incremental runs (run.watermark) end to end: the real `sluice run` three times over a
// SQLite table that grows between runs, into a TestSink that fails one item in the second
// run; and the messages for what cannot run.

#include "sluiceprocess.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

using Result = SluiceRun;

/// The value of row n's watermark column: the id itself, or a timestamp as SQLite text.
QVariant markOf(bool timestamps, int n)
{
    if (!timestamps)
        return n;
    return u"2026-12-05 10:%1:00"_s.arg(n, 2, 10, QChar(u'0'));
}

} // namespace

class TestWatermark : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void threeRunsWithAFailure_data();
    void threeRunsWithAFailure();
    void missingParameter();
    void stateFileNotJson();
    void columnNotInTheQuery();
    void rowsOutOfOrder();
    void resumeIsRefused();

private:
    Result runSluice(const QStringList &arguments);
    /// A transfer from m_dir/name.db's table t to the sink, incremental on column/parameter;
    /// firstValue: query.parameters' value of the parameter (undefined: none).
    QString writeTransfer(const QString &name, const QString &sql, const QString &column,
                          const QJsonValue &firstValue, const QJsonObject &runExtra = {});
    /// Creates m_dir/name.db with table t (id, name, mark) holding rows first..last.
    QString createTable(const QString &name, bool timestamps, int first, int last);
    /// Adds rows first..last to the table (or replaces them).
    void addRows(const QString &database, bool timestamps, int first, int last);
    void exec(const QString &database, const QString &sql, const QVariantList &values = {});

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
};

void TestWatermark::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
}

void TestWatermark::init()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
}

Result TestWatermark::runSluice(const QStringList &arguments)
{
    return ::runSluice(m_sluice, arguments);
}

QString TestWatermark::writeTransfer(const QString &name, const QString &sql, const QString &column,
                                     const QJsonValue &firstValue, const QJsonObject &runExtra)
{
    QJsonObject parameters;
    if (!firstValue.isUndefined())
        parameters.insert(u"since"_s, firstValue);
    QJsonObject run {
        {u"chunkSize"_s, 4},
        {u"concurrency"_s, 4},
        {u"maxRetries"_s, 0},
        {u"watermark"_s, QJsonObject {{u"column"_s, column}, {u"parameter"_s, u"since"_s}}}};
    for (auto it = runExtra.begin(); it != runExtra.end(); ++it)
        run.insert(it.key(), it.value());
    const QJsonObject root {
        {u"version"_s, 1},
        {u"source"_s,
         QJsonObject {{u"driver"_s, u"QSQLITE"_s}, {u"database"_s, QString(name + u".db"_s)}}},
        {u"query"_s, QJsonObject {{u"sql"_s, sql}, {u"parameters"_s, parameters}}},
        {u"transform"_s,
         QJsonObject {
             {u"key"_s, u"{{id}}"_s},
             {u"template"_s, QJsonObject {{u"id"_s, u"{{id}}"_s}, {u"name"_s, u"{{name}}"_s}}}}},
        {u"target"_s, QJsonObject {{u"url"_s, m_sink.url(u"/items"_s).toString()}}},
        {u"run"_s, run},
    };
    const QString path = m_dir.filePath(name + u".json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0)
        return {};
    return path;
}

QString TestWatermark::createTable(const QString &name, bool timestamps, int first, int last)
{
    QList<QVariantList> rows;
    for (int n = first; n <= last; ++n)
        rows.append({n, u"row %1"_s.arg(n), markOf(timestamps, n)});
    QString error;
    const QString file = SqliteFixture::create(
        m_dir.path(), name + u".db"_s,
        {u"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, mark %1)"_s.arg(
            timestamps ? u"TEXT"_s : u"INTEGER"_s)},
        u"t"_s, rows, &error);
    if (file.isEmpty())
        qWarning() << error;
    return file;
}

void TestWatermark::exec(const QString &database, const QString &sql, const QVariantList &values)
{
    const QString connection = u"tst_watermark"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(database);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery query(db);
        QVERIFY(query.prepare(sql));
        for (const QVariant &value : values)
            query.addBindValue(value);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    }
    QSqlDatabase::removeDatabase(connection);
}

void TestWatermark::addRows(const QString &database, bool timestamps, int first, int last)
{
    for (int n = first; n <= last; ++n)
        exec(database, u"INSERT OR REPLACE INTO t VALUES (?, ?, ?)"_s,
             {n, u"row %1"_s.arg(n), markOf(timestamps, n)});
}

void TestWatermark::threeRunsWithAFailure_data()
{
    QTest::addColumn<bool>("timestamps");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QJsonValue>("firstValue");
    QTest::newRow("integer id") << false
                                << u"SELECT id, name, mark FROM t WHERE mark > :since "
                                   u"ORDER BY mark"_s
                                << QJsonValue(0);
    // Timestamps as SQLite keeps them, text; several rows may share one, so id breaks ties.
    QTest::newRow("text timestamp")
        << true << u"SELECT id, name, mark FROM t WHERE mark > :since ORDER BY mark, id"_s
        << QJsonValue(u"1970-01-01 00:00:00"_s);
}

void TestWatermark::threeRunsWithAFailure()
{
    QFETCH(bool, timestamps);
    QFETCH(QString, sql);
    QFETCH(QJsonValue, firstValue);
    const QString name = timestamps ? u"stamps"_s : u"ids"_s;
    const QString database = createTable(name, timestamps, 1, 10);
    QVERIFY(!database.isEmpty());
    const QString transfer = writeTransfer(name, sql, u"mark"_s, firstValue);
    QVERIFY(!transfer.isEmpty());
    const QString stateFile = m_dir.filePath(name + u".state.json"_s);
    const auto stateValue = [&stateFile] {
        QFile file(stateFile);
        if (!file.open(QIODevice::ReadOnly))
            return QJsonObject();
        return QJsonDocument::fromJson(file.readAll()).object();
    };

    // First run: no state yet, from the file's value; everything is delivered.
    Result r = runSluice({u"run"_s, transfer});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(u"delivered 10, failed 0, invalid 0 in "_s), qPrintable(r.out));
    QVERIFY2(r.err.contains(u"first run, no state yet"_s), qPrintable(r.err));
    QCOMPARE(stateValue().value(u"value"_s).toVariant(), markOf(timestamps, 10));
    QCOMPARE(stateValue().value(u"delivered"_s).toArray().size(), 1); // row 10, at the mark

    // Second run: ten rows more, and the API refuses row 14 for good.
    addRows(database, timestamps, 11, 20);
    m_sink.setHandler([](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (request.jsonId == u"14"_s) {
            reply.status = 400;
            reply.body = R"({"error":"refused this time"})";
        }
        return reply;
    });
    r = runSluice({u"run"_s, transfer});
    QVERIFY2(r.exitCode == 1, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(u"delivered 9, failed 1, invalid 0 in "_s), qPrintable(r.out));
    // The watermark stays below the failed row; the rows delivered after it are listed.
    QJsonObject state = stateValue();
    QCOMPARE(state.value(u"value"_s).toVariant(), markOf(timestamps, 13));
    QStringList keys;
    for (const QJsonValue &row : state.value(u"delivered"_s).toArray())
        keys.append(row.toObject().value(u"key"_s).toString());
    keys.sort();
    QCOMPARE(keys, (QStringList {u"13"_s, u"15"_s, u"16"_s, u"17"_s, u"18"_s, u"19"_s, u"20"_s}));

    // Third run: five rows more; row 14 goes again, rows 15-20 are not sent again.
    addRows(database, timestamps, 21, 25);
    m_sink.setHandler(nullptr);
    r = runSluice({u"run"_s, transfer});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(u"delivered 12 (6 of them by the previous run, not sent again), "
                              u"failed 0, invalid 0 in "_s),
             qPrintable(r.out));
    QCOMPARE(stateValue().value(u"value"_s).toVariant(), markOf(timestamps, 25));

    // Every row delivered exactly once; row 14 was sent twice, refused the first time.
    const QHash<QString, int> delivered = m_sink.countById();
    QCOMPARE(delivered.size(), 25);
    for (int n = 1; n <= 25; ++n)
        QVERIFY2(delivered.value(QString::number(n)) == 1, qPrintable(QString::number(n)));
    QCOMPARE(m_sink.requestCount(), 26);

    // Nothing new: nothing sent, the state unchanged.
    QFile before(stateFile);
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray kept = before.readAll();
    before.close();
    r = runSluice({u"run"_s, transfer, u"--quiet"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(u"delivered 0, failed 0, invalid 0 in "_s), qPrintable(r.out));
    QVERIFY(before.open(QIODevice::ReadOnly));
    QCOMPARE(before.readAll(), kept);
    QCOMPARE(m_sink.requestCount(), 26);

    if (timestamps) {
        // A row changed since (a new timestamp) is sent again, and only it.
        exec(database, u"UPDATE t SET name = 'row 3, changed', mark = ? WHERE id = 3"_s,
             {markOf(true, 30)});
        r = runSluice({u"run"_s, transfer});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(u"delivered 1, failed 0"_s), qPrintable(r.out));
        QCOMPARE(m_sink.requestCount(), 27);
        QVERIFY(m_sink.requests().constLast().body.contains("row 3, changed"));
    }
}

void TestWatermark::missingParameter()
{
    QVERIFY(!createTable(u"missing"_s, false, 1, 3).isEmpty());
    const QString transfer
        = writeTransfer(u"missing"_s, u"SELECT id, name, mark FROM t WHERE mark > :since"_s,
                        u"mark"_s, QJsonValue::Undefined);
    const Result r = runSluice({u"run"_s, transfer});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"run.watermark.parameter: query.parameters has no \"since\": give "
                            u"it the value the first run starts from"_s),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestWatermark::stateFileNotJson()
{
    QVERIFY(!createTable(u"broken"_s, false, 1, 3).isEmpty());
    const QString transfer = writeTransfer(
        u"broken"_s, u"SELECT id, name, mark FROM t WHERE mark > :since ORDER BY mark"_s, u"mark"_s,
        0);
    const QString stateFile = m_dir.filePath(u"elsewhere.json"_s);
    QFile file(stateFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("since = 12\n");
    file.close();
    const Result r = runSluice({u"run"_s, transfer, u"--state"_s, stateFile});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"state file "_s + stateFile + u": not valid JSON at line 1"_s),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(u"delete it to start again from query.parameters.since"_s),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("since = 12\n"));
}

void TestWatermark::columnNotInTheQuery()
{
    QVERIFY(!createTable(u"column"_s, false, 1, 3).isEmpty());
    const QString transfer
        = writeTransfer(u"column"_s, u"SELECT id, name FROM t WHERE mark > :since ORDER BY mark"_s,
                        u"changed_at"_s, 0);
    const Result r = runSluice({u"run"_s, transfer});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"run.watermark.column: the query has no column \"changed_at\" (its "
                            u"columns: id, name)"_s),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
    QVERIFY(!QFileInfo::exists(m_dir.filePath(u"column.state.json"_s)));
}

void TestWatermark::rowsOutOfOrder()
{
    QVERIFY(!createTable(u"order"_s, false, 1, 3).isEmpty());
    const QString transfer = writeTransfer(
        u"order"_s, u"SELECT id, name, mark FROM t WHERE mark > :since ORDER BY mark DESC"_s,
        u"mark"_s, 0);
    const Result r = runSluice({u"run"_s, transfer});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"run.watermark.column: the rows are not in the order of \"mark\" "
                            u"(row 2 has \"2\" after row 1's \"3\")"_s),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(u"needs ORDER BY mark"_s), qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
    QVERIFY(!QFileInfo::exists(m_dir.filePath(u"order.state.json"_s)));
}

void TestWatermark::resumeIsRefused()
{
    // Stopped after the first failure: the run can be resumed, but an incremental one goes on
    // with a new run, from its state.
    QVERIFY(!createTable(u"stopped"_s, false, 1, 8).isEmpty());
    const QString transfer = writeTransfer(
        u"stopped"_s, u"SELECT id, name, mark FROM t WHERE mark > :since ORDER BY mark"_s,
        u"mark"_s, 0, {{u"stopAfterFailures"_s, 1}, {u"concurrency"_s, 1}});
    m_sink.setHandler([](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (request.jsonId == u"3"_s)
            reply.status = 422;
        return reply;
    });
    const QString journal = m_dir.filePath(u"stopped.sluicerun"_s);
    Result r = runSluice({u"run"_s, transfer, u"--journal"_s, journal});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(u"stopped after 1 failed items: delivered "_s), qPrintable(r.out));
    r = runSluice({u"resume"_s, journal});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"the transfer is incremental (run.watermark): run it again with "
                            u"sluice run "_s),
             qPrintable(r.err));
    // The stopped run kept what it delivered: the next run starts at row 3 and sends each
    // row the stopped run did not deliver (an answer may have let row 4 go before the stop).
    m_sink.setHandler(nullptr);
    r = runSluice({u"run"_s, transfer});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(u"delivered 6"_s), qPrintable(r.out));
    const QHash<QString, int> delivered = m_sink.countById();
    QCOMPARE(delivered.size(), 8);
    for (int n = 1; n <= 8; ++n)
        QVERIFY2(delivered.value(QString::number(n)) == 1, qPrintable(QString::number(n)));
}

QTEST_GUILESS_MAIN(TestWatermark)
#include "tst_watermark.moc"
