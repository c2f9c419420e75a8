// SPDX-License-Identifier: GPL-3.0-or-later
// Headless dry runs and the scheduler's summary, through the real `sluice` executable:
// `sluice validate` (each class of problem, with its step, field, line and column),
// `sluice preview` (the very bytes a real run delivers to a TestSink, in item and bulk
// modes, over SQLite and PostgreSQL), and `sluice run --json` (parsed, and its counts
// checked against what the sink saw with failures injected).

#include "mariadbtestserver.h"
#include "pgtestserver.h"
#include "sluiceprocess.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

class TestDryRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void helpListsTheCommands();
    void validatePasses();
    void validateProblems_data();
    void validateProblems();
    void validatePostgres();
    void validateMariaDb();
    void failedLoginIsPrintedOnce();
    void previewIsWhatARunSends_data();
    void previewIsWhatARunSends();
    void previewPostgresNumeric();
    void previewInvalidItem();
    void runJsonSummary();
    void runJsonConfigError();
    void resumeJson();

private:
    Result runSluice(const QStringList &arguments, int timeoutMs = 60000);
    QString writeFile(const QString &name, const QByteArray &text);

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
    ConnectionSettings m_pg;
};

void TestDryRun::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    // Beyond 2^53 (a double would change it), a REAL, text with a NULL in every 7th row.
    QList<QVariantList> rows;
    for (int i = 1; i <= 40; ++i)
        rows.append({i, QStringLiteral("Zürich \"%1\"").arg(i), i == 3 ? 12.5 : i * 0.25,
                     qlonglong(9007199254740993LL) + i,
                     i % 7 == 0 ? QVariant() : QVariant(QStringLiteral("c%1").arg(i))});
    QString error;
    const QString db = SqliteFixture::create(
        m_dir.path(), QStringLiteral("dry.db"),
        {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, price REAL, "
                        "big INTEGER, code TEXT)")},
        QStringLiteral("t"), rows, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));
    m_pg = PgTestServer::settings(&error);
    QVERIFY2(!m_pg.driver.isEmpty(), qPrintable(error));
    QVERIFY2(PgTestServer::exec({QStringLiteral("DROP TABLE IF EXISTS dryrun_prices"),
                                 QStringLiteral("CREATE TABLE dryrun_prices (id bigint PRIMARY "
                                                "KEY, price numeric(10,2), big numeric(30,0), "
                                                "label text)"),
                                 QStringLiteral("INSERT INTO dryrun_prices VALUES "
                                                "(1, 12.50, 123456789012345678901234567890, "
                                                "'a'), (2, 0.10, -1, 'b'), (3, 7.00, 0, NULL)")},
                                &error),
             qPrintable(error));
}

void TestDryRun::init()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
}

Result TestDryRun::runSluice(const QStringList &arguments, int timeoutMs)
{
    SluiceCall call;
    call.timeoutMs = timeoutMs;
    const SluiceRun run = ::runSluice(m_sluice, arguments, call);
    return {run.exitCode, run.outBytes, run.err};
}

QString TestDryRun::writeFile(const QString &name, const QByteArray &text)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}

/// A transfer over dry.db, laid out one member a line so that lines and columns are known:
/// the template's "lat" is on line 7.
static QByteArray sqliteTransfer(const QString &url, const QString &sql = {},
                                 const QString &templ = {}, const QString &target = {})
{
    return QStringLiteral(R"({
  "version": 1,
  "source": { "driver": "QSQLITE", "database": "dry.db" },
  "query": { "sql": "%1", "parameters": { "min": 0 } },
  "transform": {
    "key": "{{name}}",
    "template": %2
  },
  "target": { "url": "%3", "method": "POST"%4 },
  "run": { "chunkSize": 16, "concurrency": 4, "maxRetries": 0 }
}
)")
        .arg(sql.isEmpty() ? QStringLiteral("SELECT id, name, price, big, code FROM t WHERE id > "
                                            ":min ORDER BY id")
                           : sql,
             templ.isEmpty() ? QStringLiteral(R"({ "z": "{{name}}", "price": "{{price}}", )"
                                              R"("list": 12.50, "big": "{{big}}", "a": "{{id}}" })")
                             : templ,
             url, target)
        .toUtf8();
}

void TestDryRun::helpListsTheCommands()
{
    Result r = runSluice({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("sluice validate TRANSFER.json"));
    QVERIFY(r.out.contains("sluice preview TRANSFER.json"));
    r = runSluice({QStringLiteral("run"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("--json"));
    r = runSluice({QStringLiteral("resume"), QStringLiteral("--help")});
    QVERIFY(r.out.contains("--json"));
    r = runSluice({QStringLiteral("validate"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Usage: sluice validate") && r.out.contains("--set"),
             r.out.constData());
    r = runSluice({QStringLiteral("preview"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Usage: sluice preview") && r.out.contains("-n <N>"),
             r.out.constData());
    r = runSluice({QStringLiteral("validate")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("no transfer file given")), qPrintable(r.err));
}

void TestDryRun::validatePasses()
{
    const QString transfer = writeFile(QStringLiteral("ok.json"),
                                       sqliteTransfer(m_sink.url(QStringLiteral("/x")).toString()));
    const Result r = runSluice(
        {QStringLiteral("validate"), transfer, QStringLiteral("--set"), QStringLiteral("min=3")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines.at(0), QByteArray("File: ok, " + transfer.toUtf8()));
    QVERIFY2(lines.at(1).startsWith("Connection: ok, SQLite file "), lines.at(1).constData());
    QCOMPARE(lines.at(2),
             QByteArray("Source query: ok, it compiles and returns 5 column(s): id, name, price, "
                        "big, code"));
    QVERIFY2(lines.at(3).startsWith("Transform: ok"), lines.at(3).constData());
    QCOMPARE(lines.at(4), QByteArray("valid: nothing was sent"));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestDryRun::validateProblems_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("expected");
    const QString url = QStringLiteral("http://127.0.0.1:9/x");

    QTest::newRow("file rule: unknown key")
        << sqliteTransfer(url, {}, {}, QStringLiteral(R"(, "retries": 3)")) << QStringList()
        << QStringList {QStringLiteral("Target, line 9 column 75: unknown key [target.retries]")};
    QTest::newRow("file rule: broken JSON")
        << QByteArray("{\"version\": 1,\n  \"source\": }") << QStringList()
        << QStringList {QStringLiteral("File: "), QStringLiteral("not valid JSON at line 2")};
    QTest::newRow("command line: --set of the wrong type")
        << sqliteTransfer(url) << QStringList {QStringLiteral("--set"), QStringLiteral("min=x")}
        << QStringList {QStringLiteral("Command line: --set min=x: ")};
    const QString port = QString::number(closedPort());
    QTest::newRow("connection refused")
        << QStringLiteral(R"({"version":1,"source":{"driver":"QPSQL","host":"127.0.0.1",
               "port":%2,"database":"x","user":"x"},
               "query":{"sql":"SELECT 1"},"target":{"url":"%1"}})")
               .arg(url, port)
               .toUtf8()
        << QStringList()
        << QStringList {QStringLiteral("Connection: cannot connect to QPSQL database \"x\" on "
                                       "127.0.0.1:%1 as x: ")
                            .arg(port),
                        QStringLiteral("Connection refused")};
    QTest::newRow("missing SQLite file")
        << sqliteTransfer(url).replace("dry.db", "nowhere.db") << QStringList()
        << QStringList {QStringLiteral("Connection database, line 3 column 48: SQLite file "),
                        QStringLiteral("does not exist [source.database]")};
    QTest::newRow("query syntax error")
        << sqliteTransfer(url, QStringLiteral("SELEKT id FROM t WHERE id > :min")) << QStringList()
        << QStringList {QStringLiteral("Source query, line 4 column 21: near \"SELEKT\": syntax "
                                       "error [query.sql]")};
    QTest::newRow("query without a value for its parameter")
        << sqliteTransfer(url, QStringLiteral("SELECT id FROM t WHERE id > :min AND id < :max"))
        << QStringList()
        << QStringList {QStringLiteral("Query parameters, line 4 column 85: the query uses :max "
                                       "but no value is given [query.parameters]")};
    QTest::newRow("template names a missing column")
        << sqliteTransfer(url, {}, QStringLiteral(R"({ "id": "{{id}}",
      "where": { "lat": "at {{latitud}}" } })"))
        << QStringList()
        << QStringList {QStringLiteral("Transform template, line 8 column 29: the query returns "
                                       "no column \"latitud\" (columns: id, name, price, big, "
                                       "code) [transform.template.where.lat]")};
    QTest::newRow("key and URL name missing columns")
        << sqliteTransfer(QStringLiteral("http://127.0.0.1:9/x/{{cod}}"), {}, {})
               .replace("{{name}}\",", "{{nam}}\",")
        << QStringList()
        << QStringList {QStringLiteral("Transform key, line 6 column 13: the query returns no "
                                       "column \"nam\" ("),
                        QStringLiteral(") [transform.key]"),
                        QStringLiteral("Target URL, line 9 column 44: the query returns no column "
                                       "\"cod\" ("),
                        QStringLiteral(") [target.url]")};
    QTest::newRow("header secret not set")
        << sqliteTransfer(
               url, {}, {},
               QStringLiteral(R"(, "headersEnv": { "Authorization": "DRY_NO_SUCH_VAR" })"))
        << QStringList()
        << QStringList {
               QStringLiteral("Target headers, line 9 column 97: the environment variable "
                              "DRY_NO_SUCH_VAR is not set [target.headersEnv.Authorization]")};
}

void TestDryRun::validateProblems()
{
    QFETCH(QByteArray, file);
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, expected);
    const QString transfer = writeFile(QStringLiteral("problem.json"), file);
    const Result r = runSluice(QStringList {QStringLiteral("validate"), transfer} + arguments);
    QCOMPARE(r.exitCode, 2);
    for (const QString &text : std::as_const(expected))
        QVERIFY2(r.err.contains(QLatin1String("sluice validate: ") + text) || r.err.contains(text),
                 qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(text, r.err)));
    // Every problem is a line of its own, named by its step.
    for (const QString &line : r.err.split(u'\n', Qt::SkipEmptyParts))
        QVERIFY2(line.startsWith(QLatin1String("sluice validate: "))
                     || line.startsWith(QLatin1String("    ")),
                 qPrintable(line));
    QVERIFY(r.err.endsWith(QLatin1String("sluice validate: not valid: nothing was sent\n"))
            || !r.out.contains("File: ok"));
    QVERIFY(!r.out.contains("valid: nothing was sent"));
}

void TestDryRun::validatePostgres()
{
    // The describe of libpq's prepared statement: a parameter needs no value to compile, a
    // syntax error is the server's, and the columns are the statement's.
    const QString base = QStringLiteral(R"({"version":1,"source":{"driver":"QPSQL",
        "host":"%1","port":%2,"database":"%3","user":"%4"},
        "query":{"sql":"%5","parameters":{"low":0}},
        "transform":{"template":{"p":"{{price}}","b":"{{%6}}"}},
        "target":{"url":"http://127.0.0.1:9/x"}})");
    const auto file = [&](const QString &sql, const QString &column) {
        return base
            .arg(m_pg.host, QString::number(m_pg.port), m_pg.database, m_pg.user, sql, column)
            .toUtf8();
    };
    const QString sql = QStringLiteral("SELECT id, price, big FROM dryrun_prices WHERE id > :low");
    Result r
        = runSluice({QStringLiteral("validate"),
                     writeFile(QStringLiteral("pg-ok.json"), file(sql, QStringLiteral("big")))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(
        r.out.contains("Source query: ok, it compiles and returns 3 column(s): id, price, big"),
        r.out.constData());
    r = runSluice({QStringLiteral("validate"),
                   writeFile(QStringLiteral("pg-col.json"), file(sql, QStringLiteral("bigg")))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String(
                 "Transform template, line 4 column 55: the query returns "
                 "no column \"bigg\" (columns: id, price, big) [transform.template.b]")),
             qPrintable(r.err));
    r = runSluice({QStringLiteral("validate"),
                   writeFile(QStringLiteral("pg-syntax.json"),
                             file(QStringLiteral("SELECT id FROM dryrun_pricez WHERE id > :low"),
                                  QStringLiteral("id")))});
    QCOMPARE(r.exitCode, 2);
    // The server's pointer at the place stays under the problem, indented.
    QVERIFY2(r.err.contains(QLatin1String("sluice validate: Source query, line 3 column 24: ERROR: "
                                          " relation \"dryrun_pricez\" does not exist "
                                          "[query.sql]\n    LINE 1: SELECT id FROM dryrun_pricez")),
             qPrintable(r.err));
    // Nothing ran: validate never executes the statement (it would log in pg_stat_statements;
    // here: a statement that would fail only when run passes).
    r = runSluice({QStringLiteral("validate"),
                   writeFile(QStringLiteral("pg-runtime.json"),
                             file(QStringLiteral("SELECT id, 1 / (id - id) AS price, big FROM "
                                                 "dryrun_prices WHERE id > :low"),
                                  QStringLiteral("big")))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
}

void TestDryRun::validateMariaDb()
{
    // A prepared statement, described by the server and never executed.
    QString error;
    const ConnectionSettings my = MariaDbTestServer::settings(&error);
    QVERIFY2(!my.driver.isEmpty(), qPrintable(error));
    QVERIFY2(MariaDbTestServer::exec({QStringLiteral("DROP TABLE IF EXISTS dryrun_prices"),
                                      QStringLiteral("CREATE TABLE dryrun_prices (id BIGINT "
                                                     "PRIMARY KEY, price DECIMAL(10,2))")},
                                     &error),
             qPrintable(error));
    // One member a line, sorted by name (QJsonDocument): the template's "p" is on line 21.
    const auto file = [&](const QString &sql, const QString &column) {
        const QJsonObject source {
            {QStringLiteral("driver"), my.driver}, {QStringLiteral("host"), my.host},
            {QStringLiteral("port"), my.port},     {QStringLiteral("database"), my.database},
            {QStringLiteral("user"), my.user},     {QStringLiteral("options"), my.options}};
        const QJsonObject query {
            {QStringLiteral("sql"), sql},
            {QStringLiteral("parameters"), QJsonObject {{QStringLiteral("low"), 0}}}};
        const QJsonObject transform {
            {QStringLiteral("template"),
             QJsonObject {{QStringLiteral("p"), QStringLiteral("{{%1}}").arg(column)}}}};
        const QJsonObject target {{QStringLiteral("url"), QStringLiteral("http://127.0.0.1:9/x")}};
        return QJsonDocument(QJsonObject {{QStringLiteral("version"), 1},
                                          {QStringLiteral("source"), source},
                                          {QStringLiteral("query"), query},
                                          {QStringLiteral("transform"), transform},
                                          {QStringLiteral("target"), target}})
            .toJson();
    };
    const QString sql = QStringLiteral("SELECT id, price FROM dryrun_prices WHERE id > :low");
    Result r
        = runSluice({QStringLiteral("validate"),
                     writeFile(QStringLiteral("my-ok.json"), file(sql, QStringLiteral("price")))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("Source query: ok, it compiles and returns 2 column(s): id, price"),
             r.out.constData());
    r = runSluice({QStringLiteral("validate"),
                   writeFile(QStringLiteral("my-col.json"), file(sql, QStringLiteral("prize")))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("Transform template, line 21 column 19: the query "
                                          "returns no column \"prize\"")),
             qPrintable(r.err));
    r = runSluice({QStringLiteral("validate"),
                   writeFile(QStringLiteral("my-syntax.json"),
                             file(QStringLiteral("SELECT id FROM dryrun_pricez WHERE id > :low"),
                                  QStringLiteral("id")))});
    QCOMPARE(r.exitCode, 2);
    // MariaDB: Table 'db.dryrun_pricez' doesn't exist.
    QVERIFY2(r.err.contains(QLatin1String("sluice validate: Source query, line 6 column 16: "
                                          "Table \x27"))
                 && r.err.contains(QLatin1String("dryrun_pricez\x27 doesn\x27t exist")),
             qPrintable(r.err));
}

void TestDryRun::failedLoginIsPrintedOnce()
{
    // A role that does not exist: the server refuses the login.
    const QString text = QStringLiteral(R"({"version":1,"source":{"driver":"QPSQL",
        "host":"%1","port":%2,"database":"%3","user":"dryrun_nobody"},
        "query":{"sql":"SELECT 1 AS one"},"target":{"url":"%4"}})")
                             .arg(m_pg.host, QString::number(m_pg.port), m_pg.database,
                                  m_sink.url(QStringLiteral("/x")).toString());
    const QString transfer = writeFile(QStringLiteral("login.json"), text.toUtf8());
    Result r = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--no-journal")});
    QCOMPARE(r.exitCode, 2);
    const QString message = QStringLiteral("role \"dryrun_nobody\" does not exist");
    QVERIFY2(r.err.count(message) == 1, qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("sluice run: cannot connect to QPSQL database")),
             qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("sluice.run:")), qPrintable(r.err));
    r = runSluice({QStringLiteral("validate"), transfer});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.count(message) == 1, qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("sluice validate: Connection: cannot connect to QPSQL")),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestDryRun::previewIsWhatARunSends_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("count");
    QTest::newRow("item") << QStringLiteral("item") << 6;
    QTest::newRow("ndjson") << QStringLiteral("ndjson") << 5;
    QTest::newRow("json-array") << QStringLiteral("json-array") << 5;
    QTest::newRow("elasticsearch-bulk") << QStringLiteral("elasticsearch-bulk") << 4;
    QTest::newRow("couchdb-bulk") << QStringLiteral("couchdb-bulk") << 3;
}

void TestDryRun::previewIsWhatARunSends()
{
    QFETCH(QString, mode);
    QFETCH(int, count);
    // Rows 2..count+1 (--set), so both commands see the same rows; no NULL code among them.
    const QString target = QStringLiteral(R"(, "mode": "%1", "batchSize": 50)").arg(mode);
    const QString transfer
        = writeFile(QStringLiteral("preview-%1.json").arg(mode),
                    sqliteTransfer(m_sink.url(QStringLiteral("/bulk")).toString(),
                                   QStringLiteral("SELECT id, name, price, big, code FROM t "
                                                  "WHERE id > :min ORDER BY id LIMIT %1")
                                       .arg(count),
                                   {}, mode == QLatin1String("item") ? QString() : target));
    const Result preview
        = runSluice({QStringLiteral("preview"), transfer, QStringLiteral("-n"),
                     QString::number(count), QStringLiteral("--set"), QStringLiteral("min=1")});
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.err));
    QCOMPARE(m_sink.requestCount(), 0); // nothing sent
    QVERIFY2(preview.out.contains("\"list\":12.50"), preview.out.constData());
    QVERIFY2(preview.out.contains("\"big\":9007199254740995"), preview.out.constData());
    QVERIFY2(preview.out.contains("\"price\":12.5,"), preview.out.constData());

    // The bulk APIs answer per item.
    m_sink.setHandler([mode, count](const TestSink::Request &request) {
        TestSink::Reply reply;
        const QJsonArray docs
            = QJsonDocument::fromJson(request.body)[QLatin1String("docs")].toArray();
        QJsonArray answer;
        QByteArray items;
        for (int i = 0; i < count; ++i) {
            if (i > 0)
                items += ',';
            items += R"({"index":{"status":201}})";
            answer.append(QJsonObject {{QStringLiteral("ok"), true},
                                       {QStringLiteral("id"), docs.at(i)[QLatin1String("_id")]},
                                       {QStringLiteral("rev"), QStringLiteral("1-a")}});
        }
        if (mode == QLatin1String("elasticsearch-bulk"))
            reply.body = R"({"errors":false,"items":[)" + items + "]}";
        else if (mode == QLatin1String("couchdb-bulk"))
            reply.body = QJsonDocument(answer).toJson(QJsonDocument::Compact);
        return reply;
    });
    const Result run = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--set"),
                                  QStringLiteral("min=1"), QStringLiteral("--no-journal")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QList<TestSink::Request> requests = m_sink.requests();
    QCOMPARE(m_sink.requestCount(), mode == QLatin1String("item") ? count : 1);
    if (mode == QLatin1String("item")) {
        QCOMPARE(requests.size(), count);
        QMap<int, QByteArray> bodies; // by id: the requests arrive in any order
        for (const TestSink::Request &request : requests)
            bodies.insert(request.jsonId.isEmpty()
                              ? QJsonDocument::fromJson(request.body)[QLatin1String("a")].toInt()
                              : request.jsonId.toInt(),
                          request.body);
        QByteArray delivered;
        for (const QByteArray &body : std::as_const(bodies))
            delivered += body + '\n';
        QCOMPARE(preview.out, delivered);
        QVERIFY(preview.out.startsWith(
            R"({"z":"Zürich \"2\"","price":0.5,"list":12.50,"big":9007199254740995,"a":2})"
            "\n"));
    } else {
        // One batch of `count` items: the request body, and a line break after it when it
        // has none of its own.
        QCOMPARE(requests.size(), 1);
        QByteArray body = requests.first().body;
        if (!body.endsWith('\n'))
            body += '\n';
        QCOMPARE(preview.out, body);
        QVERIFY2(preview.err.contains(QStringLiteral("request 1: items 1 to %1, %2 bytes, POST ")
                                          .arg(count)
                                          .arg(requests.first().body.size())),
                 qPrintable(preview.err));
    }
}

void TestDryRun::previewPostgresNumeric()
{
    // numeric keeps its digits (12.50), a 30-digit number stays exact, NULL is null.
    const QString text = QStringLiteral(R"({"version":1,"source":{"driver":"QPSQL",
        "host":"%1","port":%2,"database":"%3","user":"%4"},
        "query":{"sql":"SELECT id, price, big, label FROM dryrun_prices ORDER BY id"},
        "target":{"url":"%5"},"run":{"maxRetries":0}})")
                             .arg(m_pg.host, QString::number(m_pg.port), m_pg.database, m_pg.user,
                                  m_sink.url(QStringLiteral("/items")).toString());
    const QString transfer = writeFile(QStringLiteral("pg-preview.json"), text.toUtf8());
    const Result preview = runSluice({QStringLiteral("preview"), transfer});
    QVERIFY2(preview.exitCode == 0, qPrintable(preview.err));
    const QByteArray expected
        = R"({"id":1,"price":12.50,"big":123456789012345678901234567890,"label":"a"})"
          "\n"
          R"({"id":2,"price":0.10,"big":-1,"label":"b"})"
          "\n"
          R"({"id":3,"price":7.00,"big":0,"label":null})"
          "\n";
    QCOMPARE(preview.out, expected);
    const Result run = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--no-journal")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QByteArray delivered;
    QMap<int, QByteArray> bodies;
    for (const TestSink::Request &request : m_sink.requests())
        bodies.insert(request.jsonId.toInt(), request.body);
    for (const QByteArray &body : std::as_const(bodies))
        delivered += body + '\n';
    QCOMPARE(delivered, expected);
}

void TestDryRun::previewInvalidItem()
{
    // Row 7's code is NULL, and the URL needs it: the run reports it Invalid.
    const QString transfer
        = writeFile(QStringLiteral("invalid.json"),
                    sqliteTransfer(m_sink.url().toString() + QStringLiteral("items/{{code}}")));
    const Result r = runSluice(
        {QStringLiteral("preview"), transfer, QStringLiteral("-n"), QStringLiteral("8")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out.count('\n'), 7);
    QVERIFY2(r.err.contains(QStringLiteral("sluice preview: item 7 (key \"Zürich \"7\"\") is "
                                           "invalid, a run would not send it: target.url: column "
                                           "\"code\" is NULL\n")),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("item 8 (key \"Zürich \"8\"\"): POST %1items/c8")
                                .arg(m_sink.url().toString())),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
    const Result bad = runSluice(
        {QStringLiteral("preview"), transfer, QStringLiteral("-n"), QStringLiteral("0")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(QLatin1String("Command line: -n 0: expected a whole number")),
             qPrintable(bad.err));
    QVERIFY2(!bad.err.contains(QLatin1String("PreviewCommand")), qPrintable(bad.err));
}

void TestDryRun::runJsonSummary()
{
    // Ids that are multiples of 5 are refused; rows with a NULL code (every 7th) are invalid.
    m_sink.setHandler([](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (QJsonDocument::fromJson(request.body)[QLatin1String("a")].toInt() % 5 == 0)
            reply.status = 422;
        return reply;
    });
    const QString transfer
        = writeFile(QStringLiteral("json.json"),
                    sqliteTransfer(m_sink.url().toString() + QStringLiteral("items/{{code}}")));
    const QString failedFile = m_dir.filePath(QStringLiteral("json-failed.ndjson"));
    const Result r
        = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--json"),
                     QStringLiteral("--no-journal"), QStringLiteral("--failed"), failedFile});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.endsWith('\n') && r.out.count('\n') == 1,
             r.out.constData()); // one line, JSON only
    QJsonParseError error;
    const QJsonObject summary = QJsonDocument::fromJson(r.out, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    // 40 rows: 5 invalid (7, 14, ..., 35), 7 refused (5, 10, ..., 40 but 35), 28 delivered.
    int refused = 0;
    int delivered = 0;
    for (const TestSink::Request &request : m_sink.requests()) {
        if (QJsonDocument::fromJson(request.body)[QLatin1String("a")].toInt() % 5 == 0)
            ++refused;
        else
            ++delivered;
    }
    QCOMPARE(refused, 7); // 35 is invalid
    const QJsonObject counts = summary.value(QLatin1String("counts")).toObject();
    QCOMPARE(counts.value(QLatin1String("read")).toInt(), 40);
    QCOMPARE(counts.value(QLatin1String("delivered")).toInt(), delivered);
    QCOMPARE(counts.value(QLatin1String("failed")).toInt(), refused);
    QCOMPARE(counts.value(QLatin1String("invalid")).toInt(), 5);
    QCOMPARE(counts.value(QLatin1String("notFinished")).toInt(), 0);
    QCOMPARE(summary.value(QLatin1String("command")).toString(), QStringLiteral("run"));
    QCOMPARE(summary.value(QLatin1String("exitCode")).toInt(), 1);
    QCOMPARE(summary.value(QLatin1String("exitReason")).toString(), QStringLiteral("failed-items"));
    QVERIFY(summary.value(QLatin1String("seconds")).toDouble() > 0);
    QVERIFY(summary.value(QLatin1String("itemsPerSecond")).toDouble() > 0);
    QVERIFY(summary.value(QLatin1String("journal")).isNull());
    QCOMPARE(summary.value(QLatin1String("failedFile")).toString(), failedFile);
    QCOMPARE(summary.value(QLatin1String("failedItemsWritten")).toInt(), 12);
    QCOMPARE(summary.value(QLatin1String("transfer")).toString(), transfer);
    // The summary line moved to stderr; progress and failures are there as always.
    QVERIFY2(r.err.contains(QStringLiteral("delivered %1, failed 7, invalid 5 in ").arg(delivered)),
             qPrintable(r.err));

    // Every item delivered: exit 0 and its reason.
    m_sink.clear();
    m_sink.setHandler(nullptr);
    const Result ok = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--json"),
                                 QStringLiteral("--no-journal"), QStringLiteral("--set"),
                                 QStringLiteral("min=35")});
    QCOMPARE(ok.exitCode, 0);
    const QJsonObject all = QJsonDocument::fromJson(ok.out).object();
    QCOMPARE(all.value(QLatin1String("exitReason")).toString(), QStringLiteral("delivered"));
    QCOMPARE(all.value(QLatin1String("counts"))[QLatin1String("delivered")].toInt(), 5);
    QCOMPARE(m_sink.requestCount(), 5);
}

void TestDryRun::runJsonConfigError()
{
    // A problem found before the run starts, and one the run finds: both answer in JSON.
    const QString bad = writeFile(QStringLiteral("json-bad.json"),
                                  sqliteTransfer(QStringLiteral("http://127.0.0.1:9/x"), {},
                                                 QStringLiteral(R"({"x":"{{nope}}"})")));
    Result r = runSluice(
        {QStringLiteral("run"), bad, QStringLiteral("--json"), QStringLiteral("--no-journal")});
    QCOMPARE(r.exitCode, 2);
    QJsonObject summary = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(summary.value(QLatin1String("exitCode")).toInt(), 2);
    QCOMPARE(summary.value(QLatin1String("exitReason")).toString(), QStringLiteral("config-error"));
    QVERIFY2(summary.value(QLatin1String("message"))
                 .toString()
                 .contains(QLatin1String("the query returns no column \"nope\"")),
             r.out.constData());
    r = runSluice({QStringLiteral("run"), bad, QStringLiteral("--json"), QStringLiteral("--set"),
                   QStringLiteral("min=x")});
    QCOMPARE(r.exitCode, 2);
    summary = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(summary.value(QLatin1String("exitReason")).toString(), QStringLiteral("config-error"));
    QVERIFY2(
        summary.value(QLatin1String("message")).toString().startsWith(QLatin1String("--set min=x")),
        r.out.constData());
    const QString port = QString::number(closedPort());
    const QString pg = writeFile(
        QStringLiteral("json-pg.json"),
        QStringLiteral(R"({"version":1,"source":{"driver":"QPSQL","host":"127.0.0.1","port":%1,
            "database":"x","user":"x"},"query":{"sql":"SELECT 1"},"target":{"url":"http://127.0.0.1:9/x"}})")
            .arg(port)
            .toUtf8());
    r = runSluice(
        {QStringLiteral("run"), pg, QStringLiteral("--json"), QStringLiteral("--no-journal")});
    QCOMPARE(r.exitCode, 2);
    summary = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(summary.value(QLatin1String("exitReason")).toString(), QStringLiteral("source-error"));
    QVERIFY2(summary.value(QLatin1String("message"))
                 .toString()
                 .contains(QLatin1String("Connection refused")),
             r.out.constData());
}

void TestDryRun::resumeJson()
{
    // A run stopped by run.stopAfterFailures, resumed with --json: counts for the whole run.
    m_sink.setHandler([](const TestSink::Request &) {
        TestSink::Reply reply;
        reply.status = 422;
        return reply;
    });
    QByteArray text = sqliteTransfer(m_sink.url(QStringLiteral("/items")).toString());
    text.replace("\"maxRetries\": 0 }", "\"maxRetries\": 0, \"stopAfterFailures\": 3 }");
    const QString transfer = writeFile(QStringLiteral("resume.json"), text);
    const QString journal = m_dir.filePath(QStringLiteral("resume.sluicerun"));
    Result r = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--journal"), journal,
                          QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 1);
    QJsonObject summary = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(summary.value(QLatin1String("exitReason")).toString(), QStringLiteral("stopped"));
    QCOMPARE(summary.value(QLatin1String("journal")).toString(), journal);
    const int refused = summary.value(QLatin1String("counts"))[QLatin1String("failed")].toInt();
    QVERIFY(refused >= 3);

    m_sink.clear();
    m_sink.setHandler(nullptr);
    r = runSluice({QStringLiteral("resume"), journal, QStringLiteral("--json")});
    QVERIFY2(r.out.count('\n') == 1, r.out.constData());
    summary = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(summary.value(QLatin1String("command")).toString(), QStringLiteral("resume"));
    const QJsonObject counts = summary.value(QLatin1String("counts")).toObject();
    QCOMPARE(counts.value(QLatin1String("read")).toInt(), 40);
    // The refused items stay failed; every other row is delivered now.
    const int delivered = counts.value(QLatin1String("delivered")).toInt();
    QCOMPARE(delivered + counts.value(QLatin1String("failed")).toInt()
                 + counts.value(QLatin1String("invalid")).toInt(),
             40);
    QVERIFY(delivered >= m_sink.requestCount());
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(summary.value(QLatin1String("exitCode")).toInt(), 1);
    // The failures of the first part count towards run.stopAfterFailures: the resumed run
    // may be stopped again once its owed items are sent.
    const QString reason = summary.value(QLatin1String("exitReason")).toString();
    QVERIFY2(reason == QLatin1String("failed-items") || reason == QLatin1String("stopped"),
             qPrintable(reason));

    // A run that completed has nothing left to go on with: refused, and said in JSON too.
    const QString completed = m_dir.filePath(QStringLiteral("completed.sluicerun"));
    r = runSluice({QStringLiteral("run"),
                   writeFile(QStringLiteral("completed.json"),
                             sqliteTransfer(m_sink.url(QStringLiteral("/items")).toString())),
                   QStringLiteral("--set"), QStringLiteral("min=35"), QStringLiteral("--journal"),
                   completed});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = runSluice({QStringLiteral("resume"), completed, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 2);
    summary = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(summary.value(QLatin1String("exitReason")).toString(), QStringLiteral("config-error"));
    QVERIFY2(summary.value(QLatin1String("message"))
                 .toString()
                 .contains(QLatin1String("there is nothing to go on with")),
             r.out.constData());
}

QTEST_GUILESS_MAIN(TestDryRun)
#include "tst_dryrun.moc"
