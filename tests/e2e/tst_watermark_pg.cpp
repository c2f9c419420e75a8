// SPDX-License-Identifier: GPL-3.0-or-later
// Incremental runs over PostgreSQL: a timestamptz watermark with microseconds, kept to the
// microsecond in the state; a failure in the second of three runs; every row delivered once.

#include "pgtestserver.h"
#include "testsink.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

class TestWatermarkPg : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void timestamptzWithMicroseconds();

private:
    /// Runs sluice; returns its exit code, with stdout and stderr.
    int runSluice(const QStringList &arguments, QString *out, QString *err);
    /// Rows first..last: id n, updated n seconds and 123456 µs after 10:00 UTC.
    void addRows(int first, int last);

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
    ConnectionSettings m_pg;
};

void TestWatermarkPg::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QString error;
    m_pg = PgTestServer::settings(&error);
    QVERIFY2(!m_pg.driver.isEmpty(), qPrintable(error));
    QVERIFY2(PgTestServer::exec({u"DROP TABLE IF EXISTS watermark_rows"_s,
                                 u"CREATE TABLE watermark_rows (id bigint PRIMARY KEY, name text, "
                                 u"updated_at timestamptz NOT NULL)"_s},
                                &error),
             qPrintable(error));
}

int TestWatermarkPg::runSluice(const QStringList &arguments, QString *out, QString *err)
{
    QProcess process;
    process.setProgram(m_sluice);
    process.setArguments(arguments);
    process.start();
    if (!process.waitForStarted())
        return -1;
    QElapsedTimer clock;
    clock.start();
    while (process.state() != QProcess::NotRunning && clock.elapsed() < 60000)
        QTest::qWait(10);
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    *out = QString::fromUtf8(process.readAllStandardOutput());
    *err = QString::fromUtf8(process.readAllStandardError());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

void TestWatermarkPg::addRows(int first, int last)
{
    QStringList statements;
    for (int n = first; n <= last; ++n)
        statements.append(
            u"INSERT INTO watermark_rows VALUES (%1, 'row %1', "
            u"timestamptz '2026-12-05 10:00:00+00' + interval '%1.123456 seconds')"_s.arg(n));
    QString error;
    QVERIFY2(PgTestServer::exec(statements, &error), qPrintable(error));
}

void TestWatermarkPg::timestamptzWithMicroseconds()
{
    addRows(1, 5);
    QJsonObject source {
        {u"driver"_s, m_pg.driver}, {u"host"_s, m_pg.host}, {u"database"_s, m_pg.database}};
    if (m_pg.port > 0)
        source.insert(u"port"_s, m_pg.port);
    if (!m_pg.user.isEmpty())
        source.insert(u"user"_s, m_pg.user);
    const QJsonObject root {
        {u"version"_s, 1},
        {u"source"_s, source},
        {u"query"_s,
         QJsonObject {{u"sql"_s,
                       u"SELECT id, name, updated_at FROM watermark_rows WHERE "
                       u"updated_at > :since ORDER BY updated_at, id"_s},
                      {u"parameters"_s, QJsonObject {{u"since"_s, u"1970-01-01T00:00:00Z"_s}}}}},
        {u"transform"_s,
         QJsonObject {
             {u"key"_s, u"{{id}}"_s},
             {u"template"_s, QJsonObject {{u"id"_s, u"{{id}}"_s}, {u"name"_s, u"{{name}}"_s}}}}},
        {u"target"_s, QJsonObject {{u"url"_s, m_sink.url(u"/items"_s).toString()}}},
        {u"run"_s,
         QJsonObject {
             {u"chunkSize"_s, 3},
             {u"maxRetries"_s, 0},
             {u"watermark"_s,
              QJsonObject {{u"column"_s, u"updated_at"_s}, {u"parameter"_s, u"since"_s}}}}},
    };
    const QString transfer = m_dir.filePath(u"pg.json"_s);
    QFile file(transfer);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(root).toJson());
    file.close();
    const QString stateFile = m_dir.filePath(u"pg.state.json"_s);
    const auto stateValue = [&stateFile] {
        QFile state(stateFile);
        if (!state.open(QIODevice::ReadOnly))
            return QString();
        return QJsonDocument::fromJson(state.readAll()).object().value(u"value"_s).toString();
    };

    QString out;
    QString err;
    QCOMPARE(runSluice({u"run"_s, transfer}, &out, &err), 0);
    QVERIFY2(out.startsWith(u"delivered 5, failed 0"_s), qPrintable(out + err));
    // In UTC, to the microsecond, as PostgreSQL holds it: no row is read twice for a
    // rounded watermark.
    QCOMPARE(stateValue(), u"2026-12-05T10:00:05.123456Z"_s);

    addRows(6, 10);
    m_sink.setHandler([](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (request.jsonId == u"8"_s)
            reply.status = 422;
        return reply;
    });
    QCOMPARE(runSluice({u"run"_s, transfer}, &out, &err), 1);
    QVERIFY2(out.startsWith(u"delivered 4, failed 1"_s), qPrintable(out + err));
    QCOMPARE(stateValue(), u"2026-12-05T10:00:07.123456Z"_s);

    addRows(11, 12);
    m_sink.setHandler(nullptr);
    QCOMPARE(runSluice({u"run"_s, transfer}, &out, &err), 0);
    QVERIFY2(out.startsWith(u"delivered 5 (2 of them by the previous run, not sent again), "
                            u"failed 0"_s),
             qPrintable(out + err));
    QCOMPARE(stateValue(), u"2026-12-05T10:00:12.123456Z"_s);

    const QHash<QString, int> delivered = m_sink.countById();
    QCOMPARE(delivered.size(), 12);
    for (int n = 1; n <= 12; ++n)
        QVERIFY2(delivered.value(QString::number(n)) == 1, qPrintable(QString::number(n)));
    QCOMPARE(m_sink.requestCount(), 13); // row 8 twice, refused the first time
}

QTEST_GUILESS_MAIN(TestWatermarkPg)
#include "tst_watermark_pg.moc"
