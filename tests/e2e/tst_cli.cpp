// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: runs the real `sluice` executable as a process against a SQLite file and a
// real HTTP server on 127.0.0.1 (TestSink, or `sluice demo-api` itself), and checks exit
// codes, the summary line, progress lines and the --failed file.

#include "sluiceprocess.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace sluice;

namespace {

using Result = SluiceRun;

/// A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago).
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // CTest runs these in parts (PARTS in tests/e2e/CMakeLists.txt): a new one goes there too.
    void initTestCase();
    void init();
    void versionAndHelp();
    void allDelivered();
    void failedItemsGoToTheFailedFile();
    void setOverridesAParameter();
    void configErrors_data();
    void configErrors();
    void progressLinesWhenNotATerminal();
    void liveLineOnATerminal();
    void interruptWritesUndeliveredItems();
    void bundledExampleIntoDemoApi();
    void duplicateWarning();
    void stopAfterFailures();
    // Bad input: each gets a message naming the problem and its place, never a crash, a hang
    // or a silent loss.
    void noRowsIsSaidPlainly();
    void lockedDatabase();
    void targetNeverAnswers();
    void targetClosesEveryConnection();
    void tenMegabyteCellIsSentWhole();
    void nonFiniteRealsAreInvalid();
    void invalidUtf8IsInvalid();

private:
    /// Runs sluice with arguments while this process's event loop keeps serving the sink.
    Result runSluice(const QStringList &arguments, int timeoutMs = 60000,
                     const std::function<void(QProcess &)> &whileRunning = {});
    QString writeTransfer(const QString &name, const QString &url, int concurrency = 16);
    /// Writes text as m_dir/name; returns its path (empty on failure).
    QString writeFile(const QString &name, const QByteArray &text);
    /// A transfer of `sql` from the SQLite file database (in m_dir) to url, with the given
    /// transform and target/run members added.
    QString writeSqliteTransfer(const QString &name, const QString &database, const QString &sql,
                                const QString &url, const QString &transform = {},
                                const QString &targetExtra = {}, const QString &runExtra = {});

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_db;
};

void TestCli::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QList<QVariantList> rows;
    for (int i = 1; i <= 300; ++i)
        rows.append({i, QStringLiteral("Zürich %1").arg(i), i * 0.25,
                     i % 50 == 0 ? QVariant() : QVariant(QStringLiteral("c%1").arg(i))});
    QString error;
    m_db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("cli.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, "
                        "value REAL, code TEXT)")},
        QStringLiteral("t"), rows, &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

void TestCli::init()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(0);
}

Result TestCli::runSluice(const QStringList &arguments, int timeoutMs,
                          const std::function<void(QProcess &)> &whileRunning)
{
    SluiceCall call;
    call.timeoutMs = timeoutMs;
    call.whileRunning = whileRunning;
    return ::runSluice(m_sluice, arguments, call);
}

QString TestCli::writeTransfer(const QString &name, const QString &url, int concurrency)
{
    const QString text
        = QStringLiteral(R"({
  "version": 1,
  "source": { "driver": "QSQLITE", "database": "cli.db" },
  "query": { "sql": "%1", "parameters": { "min": 0 } },
  "transform": { "key": "{{name}}",
                 "template": { "id": "{{id}}", "name": "{{name}}", "value": "{{value}}" } },
  "target": { "url": "%2", "method": "POST" },
  "run": { "chunkSize": 64, "concurrency": %3, "maxRetries": 0 }
})")
              .arg(
                  QStringLiteral("SELECT id, name, value, code FROM t WHERE id > :min ORDER BY id"),
                  url, QString::number(concurrency));
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) != text.toUtf8().size())
        return {};
    return path;
}

QString TestCli::writeFile(const QString &name, const QByteArray &text)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}

QString TestCli::writeSqliteTransfer(const QString &name, const QString &database,
                                     const QString &sql, const QString &url,
                                     const QString &transform, const QString &targetExtra,
                                     const QString &runExtra)
{
    QJsonObject root {{QStringLiteral("version"), 1}};
    root.insert(QStringLiteral("source"),
                QJsonObject {{QStringLiteral("driver"), QStringLiteral("QSQLITE")},
                             {QStringLiteral("database"), database}});
    root.insert(QStringLiteral("query"), QJsonObject {{QStringLiteral("sql"), sql}});
    QJsonObject target {{QStringLiteral("url"), url}};
    const QJsonObject extra = QJsonDocument::fromJson(targetExtra.toUtf8()).object();
    for (auto it = extra.begin(); it != extra.end(); ++it)
        target.insert(it.key(), it.value());
    root.insert(QStringLiteral("target"), target);
    QJsonObject run {{QStringLiteral("maxRetries"), 0}};
    const QJsonObject runMembers = QJsonDocument::fromJson(runExtra.toUtf8()).object();
    for (auto it = runMembers.begin(); it != runMembers.end(); ++it)
        run.insert(it.key(), it.value());
    root.insert(QStringLiteral("run"), run);
    if (!transform.isEmpty())
        root.insert(QStringLiteral("transform"),
                    QJsonDocument::fromJson(transform.toUtf8()).object());
    return writeFile(name, QJsonDocument(root).toJson());
}

void TestCli::versionAndHelp()
{
    Result r = runSluice({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(QRegularExpression(QStringLiteral("^sluice \\d+\\.\\d+\\.\\d+\\n$"))
                 .match(r.out)
                 .hasMatch(),
             qPrintable(r.out));
    r = runSluice({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("sluice run TRANSFER.json")));
    r = runSluice({QStringLiteral("run"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("--failed")));
    QVERIFY(r.out.contains(QLatin1String("--set")));
    // The command's name, not the path it was started by (here an absolute one).
    QVERIFY2(r.out.startsWith(QLatin1String("Usage: sluice run [options]")), qPrintable(r.out));
    r = runSluice({QStringLiteral("--bogus")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QLatin1String("--bogus")));
}

void TestCli::allDelivered()
{
    const QString transfer
        = writeTransfer(QStringLiteral("ok.json"), m_sink.url(QStringLiteral("/items")).toString());
    const Result r = runSluice({QStringLiteral("run"), transfer});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QRegularExpression summary(QStringLiteral(
        "^delivered 300, failed 0, invalid 0 in \\d+\\.\\d\\d s \\(\\d+ items/s\\)\\n$"));
    QVERIFY2(summary.match(r.out).hasMatch(), qPrintable(r.out));
    QCOMPARE(m_sink.requestCount(), 300);
    const auto byId = m_sink.countById();
    QCOMPARE(byId.size(), 300);
    for (int n : byId)
        QCOMPARE(n, 1);
    for (const auto &request : m_sink.requests()) {
        if (request.jsonId == QLatin1String("4"))
            QCOMPARE(request.body, QByteArray(R"({"id":4,"name":"Zürich 4","value":1.0})"));
    }
}

void TestCli::failedItemsGoToTheFailedFile()
{
    m_sink.setHandler([](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (request.jsonId.toInt() % 30 == 0) {
            reply.status = 422;
            reply.body = QByteArrayLiteral(R"({"error":"value out of range"})");
        }
        return reply;
    });
    const QString transfer = writeTransfer(
        QStringLiteral("fail.json"), m_sink.url().toString() + QStringLiteral("items/{{code}}"));
    const QString failedFile = m_dir.filePath(QStringLiteral("failed.ndjson"));
    const Result r
        = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--failed"), failedFile});
    QCOMPARE(r.exitCode, 1);
    // Multiples of 50 have a NULL code (invalid, never sent); other multiples of 30 fail.
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 286, failed 8, invalid 6 in ")),
             qPrintable(r.out));
    QCOMPARE(m_sink.requestCount(), 294);
    // Every failed item is logged with its key, status and response text.
    QVERIFY2(r.err.contains(QStringLiteral("Zürich 60")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("value out of range")), qPrintable(r.err));

    QFile file(failedFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QHash<QString, QJsonObject> lines;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        lines.insert(o.value(QLatin1String("key")).toString(), o);
    }
    QCOMPARE(lines.size(), 14);
    const QJsonObject failed = lines.value(QStringLiteral("Zürich 60"));
    QCOMPARE(failed.value(QLatin1String("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(failed.value(QLatin1String("httpStatus")).toInt(), 422);
    QCOMPARE(failed.value(QLatin1String("attempts")).toInt(), 1);
    // Its place in the query's result, counted as a steward counts rows; no internal id
    // that reads as a second key.
    QCOMPARE(failed.value(QLatin1String("row")).toInt(), 60);
    QVERIFY(!failed.contains(QLatin1String("id")));
    QCOMPARE(failed.value(QLatin1String("response")).toString(),
             QStringLiteral(R"({"error":"value out of range"})"));
    QCOMPARE(
        failed.value(QLatin1String("payload")).toObject().value(QLatin1String("value")).toDouble(),
        15.0);
    QCOMPARE(failed.value(QLatin1String("url")).toString(),
             m_sink.url(QStringLiteral("/items/c60")).toString());
    const QJsonObject invalid = lines.value(QStringLiteral("Zürich 100"));
    QCOMPARE(invalid.value(QLatin1String("status")).toString(), QStringLiteral("invalid"));
    QVERIFY(invalid.value(QLatin1String("error")).toString().contains(QLatin1String("\"code\"")));
}

void TestCli::setOverridesAParameter()
{
    const QString transfer = writeTransfer(QStringLiteral("set.json"),
                                           m_sink.url(QStringLiteral("/items")).toString());
    Result r = runSluice(
        {QStringLiteral("run"), transfer, QStringLiteral("--set"), QStringLiteral("min=250")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 50, failed 0, invalid 0 in ")),
             qPrintable(r.out));
    // The file gives :min an integer, so a non-integer value is refused before anything runs.
    r = runSluice(
        {QStringLiteral("run"), transfer, QStringLiteral("--set"), QStringLiteral("min=ten")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("--set min=ten")), qPrintable(r.err));
    r = runSluice(
        {QStringLiteral("run"), transfer, QStringLiteral("--set"), QStringLiteral("max=3")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String(":max")), qPrintable(r.err));
}

void TestCli::configErrors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("expected");
    const QString url = QStringLiteral("http://127.0.0.1:9/x");
    QTest::newRow("unknown key")
        << "k.json"
        << R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
                                 "query":{"sql":"SELECT 1"},"target":{"url":"http://127.0.0.1:9/x","retries":3}})"
        << "target.retries: unknown key";
    QTest::newRow("bad url") << "u.json"
                             << R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
                             "query":{"sql":"SELECT 1"},"target":{"url":"/relative"}})"
                             << "target.url:";
    QTest::newRow("broken json") << "j.json"
                                 << "{\"version\": 1,\n  \"source\": }"
                                 << "not valid JSON at line 2";
    QTest::newRow("unknown column")
        << "c.json"
        << QStringLiteral(R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
               "query":{"sql":"SELECT id FROM t"},"transform":{"template":{"lat":"{{latitud}}"}},
               "target":{"url":"%1"}})")
               .arg(url)
        << "transform.template.lat: the query returns no column \"latitud\"";
    QTest::newRow("missing database")
        << "m.json"
        << QStringLiteral(R"({"version":1,"source":{"driver":"QSQLITE","database":"missing.db"},
               "query":{"sql":"SELECT 1"},"target":{"url":"%1"}})")
               .arg(url)
        << "source.database: SQLite file \"%DIR%/missing.db\" does not exist";
    QTest::newRow("bad sql")
        << "s.json"
        << QStringLiteral(R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
               "query":{"sql":"SELEKT * FROM t"},"target":{"url":"%1"}})")
               .arg(url)
        << "query: near \"SELEKT\": syntax error";
    QTest::newRow("no such file") << ""
                                  << ""
                                  << "cannot read";
    // %FILE% stands for the transfer file's path, %DIR% for its folder.
    QTest::newRow("empty file")
        << "empty.json"
        << ""
        << "%FILE%: not valid JSON at line 1, column 1: there is no JSON value: the text is empty";
    QTest::newRow("truncated file")
        << "truncated.json"
        << "{\"version\": 1,\n  \"source\": {\"driver\": \"QSQLITE\", \"database\": \"cli.db\"},\n"
           "  \"query\": {\"sql\": \"SELECT"
        << "%FILE%: not valid JSON at line 3, column 20: a string is not closed";
    QTest::newRow("not JSON") << "yaml.json"
                              << "version: 1\nsource:\n  driver: QSQLITE\n"
                              << "%FILE%: not valid JSON at line 1, column 1:";
    const QString closed = QString::number(closedPort());
    QTest::newRow("unreachable database")
        << "pg.json"
        << QStringLiteral(R"({"version":1,"source":{"driver":"QPSQL","host":"127.0.0.1",
               "port":%2,"database":"x","user":"x"},
               "query":{"sql":"SELECT 1"},"target":{"url":"%1"}})")
               .arg(url, closed)
        << QStringLiteral("cannot connect to QPSQL database \"x\" on 127.0.0.1:%1 as x: "
                          "connection to server at \"127.0.0.1\", port %1 failed: Connection "
                          "refused")
               .arg(closed);
    QTest::newRow("duplicate column names")
        << "dup.json"
        << QStringLiteral(R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
               "query":{"sql":"SELECT id, name, code AS name FROM t"},"target":{"url":"%1"}})")
               .arg(url)
        << "query.sql: the query returns 2 columns named \"name\": give them distinct names";
    QTest::newRow("invalid template")
        << "tpl.json"
        << QStringLiteral(R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
               "query":{"sql":"SELECT id FROM t"},"transform":{"template":{"id":"{{id"}},
               "target":{"url":"%1"}})")
               .arg(url)
        << "transform.template.id: unclosed placeholder \"{{id\"";
    QTest::newRow("unknown column in the key")
        << "key.json"
        << QStringLiteral(R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
               "query":{"sql":"SELECT id FROM t"},"transform":{"key":"{{nme}}","template":{}},
               "target":{"url":"%1"}})")
               .arg(url)
        << "transform.key: the query returns no column \"nme\"";
    QTest::newRow("unknown column in the url")
        << "curl.json"
        << QStringLiteral(R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
               "query":{"sql":"SELECT id FROM t"},"target":{"url":"%1/{{idd}}"}})")
               .arg(url)
        << "target.url: the query returns no column \"idd\"";
    QTest::newRow("ftp url") << "ftp.json"
                             << R"({"version":1,"source":{"driver":"QSQLITE","database":"cli.db"},
               "query":{"sql":"SELECT 1"},"target":{"url":"ftp://127.0.0.1/x"}})"
                             << "%FILE%: target.url: not an absolute http(s) URL";
}

void TestCli::configErrors()
{
    QFETCH(QString, file);
    QFETCH(QString, content);
    QFETCH(QString, expected);
    QString path = m_dir.filePath(file.isEmpty() ? QStringLiteral("does-not-exist.json") : file);
    if (!file.isEmpty()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content.toUtf8());
    }
    const Result r = runSluice({QStringLiteral("run"), path});
    QCOMPARE(r.exitCode, 2);
    expected.replace(QLatin1String("%FILE%"), path);
    expected.replace(QLatin1String("%DIR%"), m_dir.path());
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestCli::progressLinesWhenNotATerminal()
{
    m_sink.setDefaultDelayMs(30);
    const QString transfer = writeTransfer(QStringLiteral("slow.json"),
                                           m_sink.url(QStringLiteral("/items")).toString(), 2);
    const Result r = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--set"),
                                QStringLiteral("min=200"), QStringLiteral("--progress-interval"),
                                QStringLiteral("0.2")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // stderr is a pipe here: plain lines, no terminal control codes.
    const QStringList lines = r.err.split(u'\n', Qt::SkipEmptyParts);
    int progress = 0;
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String("sluice: read ")))
            ++progress;
    }
    QVERIFY2(progress >= 2, qPrintable(r.err));
    QVERIFY(!r.err.contains(QLatin1Char('\x1b')));
    QVERIFY(r.err.contains(QLatin1String("delivered")));
}

void TestCli::liveLineOnATerminal()
{
    // script(1) (util-linux, essential in Debian) gives sluice a pseudo-terminal.
    const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
    QVERIFY2(!script.isEmpty(), "script(1) from bsdutils is needed");
    m_sink.setDefaultDelayMs(30);
    const QString transfer = writeTransfer(QStringLiteral("tty.json"),
                                           m_sink.url(QStringLiteral("/items")).toString(), 2);
    const QString command = QStringLiteral("'%1' run '%2' --set min=250").arg(m_sluice, transfer);
    QProcess process;
    process.start(script, {QStringLiteral("-qfec"), command, QStringLiteral("/dev/null")});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(process.state() == QProcess::NotRunning, 60000);
    QCOMPARE(process.exitCode(), 0);
    const QString screen = QString::fromUtf8(process.readAllStandardOutput());
    // The live line is redrawn in place: carriage return and erase-line before each update,
    // and cleared before the summary.
    QVERIFY2(screen.count(QStringLiteral("\r\x1b[Kread ")) >= 2, qPrintable(screen));
    QVERIFY2(!screen.contains(QLatin1String("sluice: read ")), qPrintable(screen));
    QVERIFY2(screen.contains(QLatin1String("delivered 50, failed 0, invalid 0 in ")),
             qPrintable(screen));
    QCOMPARE(m_sink.requestCount(), 50);
}

void TestCli::interruptWritesUndeliveredItems()
{
    m_sink.setDefaultDelayMs(300);
    const QString transfer = writeTransfer(QStringLiteral("int.json"),
                                           m_sink.url(QStringLiteral("/items")).toString());
    const QString failedFile = m_dir.filePath(QStringLiteral("interrupted.ndjson"));
    const Result r
        = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--failed"), failedFile},
                    60000, [this](QProcess &process) {
                        QTRY_VERIFY(m_sink.deliveredCount() >= 16);
                        ::kill(pid_t(process.processId()), SIGINT);
                    });
    QCOMPARE(r.exitCode, 130);
    QVERIFY2(r.err.contains(QLatin1String("interrupted")), qPrintable(r.err));
    QFile file(failedFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    int cancelled = 0;
    while (!file.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
        QVERIFY(o.value(QLatin1String("error")).toString().contains(QLatin1String("cancelled")));
        QVERIFY(o.value(QLatin1String("payload")).isObject());
        ++cancelled;
    }
    QVERIFY(cancelled > 0);
    // Whatever was read is either delivered or in the file: the summary adds up.
    const QRegularExpression summary(
        QStringLiteral("^delivered (\\d+), failed (\\d+), invalid 0 in "));
    const auto m = summary.match(r.out);
    QVERIFY2(m.hasMatch(), qPrintable(r.out));
    QCOMPARE(m.captured(2).toInt(), cancelled);
}

void TestCli::bundledExampleIntoDemoApi()
{
    const QString source = qEnvironmentVariable("SLUICE_SOURCE_DIR");
    QVERIFY(!source.isEmpty());
    const QString exampleDir = source + QStringLiteral("/resources/example/");
    // Copy the example so its relative database path still works, then point it at a
    // demo API on a free port.
    QFile::remove(m_dir.filePath(QStringLiteral("sensors.db")));
    QVERIFY(QFile::copy(exampleDir + QStringLiteral("sensors.db"),
                        m_dir.filePath(QStringLiteral("sensors.db"))));

    QProcess api;
    api.start(m_sluice,
              {QStringLiteral("demo-api"), QStringLiteral("--port"), QStringLiteral("0")});
    QVERIFY(api.waitForStarted());
    QTRY_VERIFY(api.canReadLine());
    const QString banner = QString::fromUtf8(api.readLine());
    const auto port
        = QRegularExpression(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)/")).match(banner);
    QVERIFY2(port.hasMatch(), qPrintable(banner));

    QFile example(exampleDir + QStringLiteral("sensors-to-demo-api.json"));
    QVERIFY(example.open(QIODevice::ReadOnly));
    QByteArray text = example.readAll();
    text.replace("127.0.0.1:8765", QByteArray("127.0.0.1:" + port.captured(1).toLatin1()));
    const QString transfer = m_dir.filePath(QStringLiteral("example.json"));
    QFile out(transfer);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(text);
    out.close();

    const Result r = runSluice({QStringLiteral("run"), transfer});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 240, failed 0, invalid 0 in ")),
             qPrintable(r.out));

    // The demo API holds every item, with its types.
    QNetworkAccessManager nam;
    QScopedPointer<QNetworkReply> reply(nam.get(
        QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port.captured(1))))));
    QTRY_VERIFY(reply->isFinished());
    const QJsonObject summary = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(summary.value(QLatin1String("collections"))
                 .toObject()
                 .value(QLatin1String("sensors"))
                 .toInt(),
             240);

    api.terminate();
    QVERIFY(api.waitForFinished(5000));
    QCOMPARE(api.exitCode(), 0);
}

void TestCli::duplicateWarning()
{
    // POST to a URL without a placeholder: a re-send can store an item twice.
    const QString risky = writeTransfer(QStringLiteral("post.json"),
                                        m_sink.url(QStringLiteral("/items")).toString());
    Result r = runSluice({QStringLiteral("run"), risky});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QString warning = QStringLiteral("sluice run: warning: POST to a URL without a "
                                           "{{placeholder}} and without target.idempotencyKey");
    QVERIFY2(r.err.startsWith(warning), qPrintable(r.err)); // before anything else
    QCOMPARE(r.err.count(QStringLiteral("warning: POST")), 1);
    QVERIFY2(!r.out.contains(QLatin1String("warning")), qPrintable(r.out));

    // --quiet leaves it out.
    r = runSluice({QStringLiteral("run"), risky, QStringLiteral("--quiet")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("warning:")), qPrintable(r.err));

    // The item's id in the URL: nothing to warn about.
    const QString keyed = writeTransfer(QStringLiteral("keyed.json"),
                                        m_sink.url().toString() + QStringLiteral("items/{{id}}"));
    r = runSluice({QStringLiteral("run"), keyed});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("warning:")), qPrintable(r.err));
}

void TestCli::stopAfterFailures()
{
    m_sink.setHandler([](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.status = 422;
        return reply;
    });
    const QString path = writeTransfer(QStringLiteral("stop.json"),
                                       m_sink.url().toString() + QStringLiteral("items/{{id}}"), 2);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray text = file.readAll();
    QVERIFY(text.contains("\"maxRetries\": 0 }"));
    text.replace("\"maxRetries\": 0 }", "\"maxRetries\": 0, \"stopAfterFailures\": 10 }");
    QVERIFY(file.resize(0));
    QCOMPARE(file.write(text), text.size());
    file.close();

    const Result r = runSluice({QStringLiteral("run"), path});
    QCOMPARE(r.exitCode, 1);
    const QRegularExpression summary(
        QStringLiteral("^stopped after 10 failed items: delivered 0, failed (\\d+), invalid 0 "
                       "in \\d+\\.\\d\\d s \\(\\d+ items/s\\)\\n$"));
    const QRegularExpressionMatch match = summary.match(r.out);
    QVERIFY2(match.hasMatch(), qPrintable(r.out));
    // Every item read is counted (failed, or cancelled: never sent); few were sent.
    QVERIFY(match.captured(1).toInt() >= 10);
    QVERIFY2(m_sink.requestCount() >= 10 && m_sink.requestCount() <= 14,
             qPrintable(QString::number(m_sink.requestCount())));
    QVERIFY2(!r.err.contains(QLatin1String("sluice run: stopped after")), qPrintable(r.err));
}

void TestCli::noRowsIsSaidPlainly()
{
    const QString transfer = writeTransfer(QStringLiteral("none.json"),
                                           m_sink.url(QStringLiteral("/items")).toString());
    const Result r = runSluice(
        {QStringLiteral("run"), transfer, QStringLiteral("--set"), QStringLiteral("min=1000")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 0, failed 0, invalid 0 in ")),
             qPrintable(r.out));
    QVERIFY2(r.err.contains(QLatin1String("sluice run: the query returned no rows: nothing was "
                                          "sent\n")),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestCli::lockedDatabase()
{
    // Another program writes to the file and holds SQLite's exclusive lock (a rollback
    // journal: the lock keeps readers out too).
    QList<QVariantList> rows {{1, QStringLiteral("a")}};
    QString error;
    const QString db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("locked.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")}, QStringLiteral("t"),
        rows, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));
    {
        QSqlDatabase holder
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("holder"));
        holder.setDatabaseName(db);
        QVERIFY(holder.open());
        QSqlQuery lock(holder);
        QVERIFY2(lock.exec(QStringLiteral("PRAGMA journal_mode=DELETE")),
                 qPrintable(lock.lastError().text()));
        QVERIFY2(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(lock.lastError().text()));
        QVERIFY(lock.exec(QStringLiteral("INSERT INTO t VALUES (2, 'b')")));

        // A short busy timeout (the driver's default waits 5 s) keeps the test quick.
        const QString transfer = writeSqliteTransfer(
            QStringLiteral("locked.json"), db, QStringLiteral("SELECT id, name FROM t"),
            m_sink.url(QStringLiteral("/items")).toString());
        QFile file(transfer);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QByteArray text = file.readAll();
        text.replace("\"driver\": \"QSQLITE\"",
                     "\"driver\": \"QSQLITE\", \"options\": \"QSQLITE_BUSY_TIMEOUT=200\"");
        file.seek(0);
        file.write(text);
        file.close();
        const Result r = runSluice({QStringLiteral("run"), transfer});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("database is locked")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("another program")), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
        QCOMPARE(m_sink.requestCount(), 0);
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("holder"));
}

void TestCli::targetNeverAnswers()
{
    // Accepts every connection and reads, but never says a word.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket *> sockets;
    int connections = 0;
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = silent.nextPendingConnection()) {
            ++connections;
            sockets.append(socket);
            connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
        }
    });
    const QString transfer = writeSqliteTransfer(
        QStringLiteral("silent.json"), m_db, QStringLiteral("SELECT id, name FROM t WHERE id <= 3"),
        QStringLiteral("http://127.0.0.1:%1/items").arg(silent.serverPort()),
        QStringLiteral(R"({"key":"{{name}}","template":{"id":"{{id}}"}})"),
        QStringLiteral(R"({"timeoutSeconds":1})"), QStringLiteral(R"({"maxRetries":1})"));
    QElapsedTimer clock;
    clock.start();
    const Result r = runSluice({QStringLiteral("run"), transfer}, 20000);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 0, failed 3, invalid 0 in ")),
             qPrintable(r.out));
    for (int id = 1; id <= 3; ++id) {
        const QString line = QStringLiteral("item Zürich %1 failed after 2 attempt(s)").arg(id);
        QVERIFY2(r.err.contains(line), qPrintable(r.err));
    }
    QVERIFY2(r.err.contains(QLatin1String("timed out after 1 s waiting for the server")),
             qPrintable(r.err));
    QCOMPARE(connections, 6); // each attempt on a connection of its own
    QVERIFY(clock.elapsed() < 15000);
    qDeleteAll(sockets);
}

void TestCli::targetClosesEveryConnection()
{
    QTcpServer closer;
    QVERIFY(closer.listen(QHostAddress::LocalHost, 0));
    int connections = 0;
    connect(&closer, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = closer.nextPendingConnection()) {
            ++connections;
            socket->close();
            socket->deleteLater();
        }
    });
    const QString transfer = writeSqliteTransfer(
        QStringLiteral("closer.json"), m_db, QStringLiteral("SELECT id, name FROM t WHERE id <= 3"),
        QStringLiteral("http://127.0.0.1:%1/items").arg(closer.serverPort()),
        QStringLiteral(R"({"key":"{{name}}","template":{"id":"{{id}}"}})"),
        QStringLiteral(R"({"timeoutSeconds":5})"), QStringLiteral(R"({"maxRetries":2})"));
    QElapsedTimer clock;
    clock.start();
    const Result r = runSluice({QStringLiteral("run"), transfer}, 20000);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 0, failed 3, invalid 0 in ")),
             qPrintable(r.out));
    for (int id = 1; id <= 3; ++id) {
        const QString line
            = QStringLiteral("item Zürich %1 failed after 3 attempt(s) (request id ").arg(id);
        QVERIFY2(r.err.contains(line), qPrintable(r.err));
    }
    QVERIFY2(r.err.contains(QLatin1String("the server closed the connection before answering")),
             qPrintable(r.err));
    QVERIFY(connections >= 9);
    QVERIFY(clock.elapsed() < 15000);
}

void TestCli::tenMegabyteCellIsSentWhole()
{
    QString big;
    big.reserve(10 * 1024 * 1024);
    while (big.size() < 10 * 1024 * 1024)
        big += QStringLiteral("Zürich %1; ").arg(big.size());
    QList<QVariantList> rows {{1, QStringLiteral("small")}, {2, big}, {3, QStringLiteral("x")}};
    QString error;
    const QString db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("big.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)")}, QStringLiteral("t"),
        rows, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));
    const QByteArray expected
        = QJsonDocument(QJsonObject {{QStringLiteral("id"), 2}, {QStringLiteral("note"), big}})
              .toJson(QJsonDocument::Compact);

    // One item per request; the big one is refused, and the --failed file keeps it whole.
    m_sink.setHandler([](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (request.jsonId == QLatin1String("2")) {
            reply.status = 413;
            reply.body = QByteArrayLiteral(R"({"error":"too large"})");
        }
        return reply;
    });
    const QString items = writeSqliteTransfer(QStringLiteral("big-items.json"), db,
                                              QStringLiteral("SELECT id, note FROM t ORDER BY id"),
                                              m_sink.url(QStringLiteral("/items")).toString());
    const QString failedFile = m_dir.filePath(QStringLiteral("big-failed.ndjson"));
    Result r = runSluice({QStringLiteral("run"), items, QStringLiteral("--failed"), failedFile});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 2, failed 1, invalid 0 in ")),
             qPrintable(r.out));
    QCOMPARE(m_sink.requestCount(), 3);
    bool seen = false;
    for (const TestSink::Request &request : m_sink.requests()) {
        if (request.jsonId == QLatin1String("2")) {
            QCOMPARE(request.body.size(), expected.size());
            QVERIFY(request.body == expected);
            seen = true;
        }
    }
    QVERIFY(seen);
    QFile failed(failedFile);
    QVERIFY(failed.open(QIODevice::ReadOnly));
    const QJsonObject line = QJsonDocument::fromJson(failed.readLine()).object();
    QCOMPARE(line.value(QLatin1String("httpStatus")).toInt(), 413);
    QCOMPARE(line.value(QLatin1String("payload"))
                 .toObject()
                 .value(QLatin1String("note"))
                 .toString()
                 .size(),
             big.size());

    // A bulk mode: the item is larger than batchBytes, and goes alone rather than never.
    m_sink.clear();
    m_sink.setHandler(nullptr);
    const QString bulk = writeSqliteTransfer(
        QStringLiteral("big-bulk.json"), db, QStringLiteral("SELECT id, note FROM t ORDER BY id"),
        m_sink.url(QStringLiteral("/bulk")).toString(), {},
        QStringLiteral(R"({"mode":"ndjson","batchSize":10,"batchBytes":1048576})"));
    r = runSluice({QStringLiteral("run"), bulk});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 3, failed 0, invalid 0 in ")),
             qPrintable(r.out));
    QByteArray all;
    for (const TestSink::Request &request : m_sink.requests()) {
        if (request.body.contains("Zürich 0;"))
            QCOMPARE(request.body, QByteArray(expected + '\n')); // alone in its request
        all += request.body;
    }
    QCOMPARE(all.count('\n'), 3);
    QVERIFY(all.contains(QByteArray(expected + '\n')));
}

void TestCli::nonFiniteRealsAreInvalid()
{
    // SQLite keeps infinities in a REAL column (it stores a NaN as NULL).
    QString error;
    const QString db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("inf.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, value REAL)"),
         QStringLiteral("INSERT INTO t VALUES (1, 1.5), (2, 9e999), (3, -9e999)")},
        QStringLiteral("t"), {}, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));
    const QString transfer = writeSqliteTransfer(
        QStringLiteral("inf.json"), db, QStringLiteral("SELECT id, value FROM t ORDER BY id"),
        m_sink.url(QStringLiteral("/items")).toString(),
        QStringLiteral(R"({"key":"row {{id}}","template":{"id":"{{id}}","v":"{{value}}"}})"));
    const QString failedFile = m_dir.filePath(QStringLiteral("inf-failed.ndjson"));
    const Result r
        = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--failed"), failedFile});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 1, failed 0, invalid 2 in ")),
             qPrintable(r.out));
    QCOMPARE(m_sink.requestCount(), 1);
    QFile file(failedFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QHash<QString, QString> errors;
    while (!file.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
        errors.insert(o.value(QLatin1String("key")).toString(),
                      o.value(QLatin1String("error")).toString());
    }
    QCOMPARE(errors.value(QStringLiteral("row 2")),
             QStringLiteral("column \"value\": infinity is not valid JSON"));
    QCOMPARE(errors.value(QStringLiteral("row 3")),
             QStringLiteral("column \"value\": -infinity is not valid JSON"));
}

void TestCli::invalidUtf8IsInvalid()
{
    // SQLite holds any bytes in TEXT: here "Zürich" in Latin-1, and a valid row beside it.
    QString error;
    const QString db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("latin1.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"),
         QStringLiteral("INSERT INTO t VALUES (1, CAST(x'5afc72696368' AS TEXT)), "
                        "(2, CAST(x'5ac3bc72696368' AS TEXT))")},
        QStringLiteral("t"), {}, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));
    const QString transfer = writeSqliteTransfer(
        QStringLiteral("latin1.json"), db, QStringLiteral("SELECT id, name FROM t ORDER BY id"),
        m_sink.url(QStringLiteral("/items")).toString(),
        QStringLiteral(R"({"key":"row {{id}}","template":{"id":"{{id}}","name":"{{name}}"}})"));
    const QString failedFile = m_dir.filePath(QStringLiteral("latin1-failed.ndjson"));
    const Result r
        = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--failed"), failedFile});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 1, failed 0, invalid 1 in ")),
             qPrintable(r.out));
    QCOMPARE(m_sink.requestCount(), 1);
    QCOMPARE(m_sink.requests().first().body, QByteArray(R"({"id":2,"name":"Zürich"})"));
    QFile file(failedFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
    QCOMPARE(o.value(QLatin1String("key")).toString(), QStringLiteral("row 1"));
    QVERIFY2(
        o.value(QLatin1String("error"))
            .toString()
            .startsWith(QLatin1String(
                "column \"name\": not valid UTF-8 at character 2 (bytes that are not UTF-8 text")),
        qPrintable(o.value(QLatin1String("error")).toString()));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
