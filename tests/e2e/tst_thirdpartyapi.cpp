// SPDX-License-Identifier: GPL-3.0-or-later
// End to end against an API someone else wrote: the real `sluice` executable moves a PostgreSQL
// table holding every type that matters into json-server 0.17.4 (typicode's fake REST API on
// Node.js, installed from npm by the "jsonserver" CTest fixture), then every item is read back
// and each field's JSON type and value is checked against what the database holds. A second run
// into TestSink checks the exact literals Sluice puts on the wire, which a JavaScript API cannot
// keep for integers beyond 2^53.
//
// The expectations come from PostgreSQL itself (the oracle query in initTestCase renders each
// value as text, epoch milliseconds or hex), never from Qt, so Qt's conversions are under test.

#include <sys/prctl.h>

#include <csignal>
#include <iterator>

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "pgtestserver.h"
#include "sluiceprocess.h"
#include "testsink.h"
#include "json/jsonreader.h"

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

/// How a value must arrive; the oracle expression renders the database's value accordingly.
enum class Kind {
    Integer, ///< oracle: decimal text
    Decimal, ///< oracle: numeric's exact text ("12.50")
    Real, ///< oracle: float8's shortest text ("0.1", "1e-07", "12")
    Bool, ///< oracle: "true" / "false"
    Text, ///< oracle: the text
    Date, ///< oracle: YYYY-MM-DD
    NaiveDateTime, ///< oracle: the wall clock as PostgreSQL writes it, 'T' for the blank
    Instant, ///< oracle: the instant in UTC with microseconds, YYYY-MM-DDTHH:MI:SS.US
    Json, ///< oracle: PostgreSQL's text of the json/jsonb value
    Bytes, ///< oracle: the bytes in hex
};

enum class Target {
    JsonServer, ///< what json-server stored and hands back
    Wire, ///< what Sluice sent (TestSink's record of the request body)
};

struct Field
{
    const char *path; ///< member in the payload; "a.b" is member b of object a
    Kind kind;
    const char *oracle; ///< SQL expression giving the expectation (NULL when the value is)
    const char *placeholder; ///< the template's value for this member
};

// The template maps every column typed, one text field interpolated, and a nested object.
const Field fields[] = {
    {"id", Kind::Integer, "id::text", "{{id}}"},
    {"big", Kind::Integer, "big::text", "{{big}}"},
    {"small", Kind::Integer, "small::text", "{{small}}"},
    {"amount", Kind::Decimal, "amount::text", "{{amount}}"},
    {"ratio", Kind::Real, "ratio::text", "{{ratio}}"},
    {"flag", Kind::Bool, "flag::text", "{{flag}}"},
    {"note", Kind::Text, "note", "{{note}}"},
    {"birthday", Kind::Date, "to_char(birthday, 'YYYY-MM-DD')", "{{birthday}}"},
    {"seen", Kind::NaiveDateTime, "replace(seen::text, ' ', 'T')", "{{seen}}"},
    {"happened", Kind::Instant,
     "to_char(happened AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')", "{{happened}}"},
    {"blob", Kind::Bytes, "encode(blob, 'hex')", "{{blob}}"},
    // json and jsonb travel nested, every token as PostgreSQL wrote it (member order, 12.50),
    // blank space removed.
    {"doc", Kind::Json, "doc::text", "{{doc}}"},
    {"rawdoc", Kind::Json, "rawdoc::text", "{{rawdoc}}"},
    // Interpolated: every value as text (a NULL as nothing), numerics with their exact digits.
    {"label", Kind::Text,
     "'#' || id || ': ' || coalesce(note, '') || ' (' || coalesce(amount::text, '') || ')'",
     "#{{id}}: {{note}} ({{amount}})"},
    {"meta.flag", Kind::Bool, "flag::text", "{{flag}}"},
    {"meta.big", Kind::Integer, "big::text", "{{big}}"},
    {"meta.amount", Kind::Decimal, "amount::text", "{{amount}}"},
    {"meta.happened", Kind::Instant,
     "to_char(happened AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')", "{{happened}}"},
};

// Integers beyond 2^53, NY's ambiguous hour, microseconds (Qt keeps milliseconds), a
// negative epoch, empty text and bytes, and a row of NULLs.
const char *const setupSql[] = {
    "DROP TABLE IF EXISTS thirdparty_items",
    "CREATE TABLE thirdparty_items (id bigint PRIMARY KEY, big bigint, small integer, "
    "amount numeric(12,2), ratio double precision, flag boolean, note text, birthday date, "
    "seen timestamp, happened timestamptz, blob bytea, doc jsonb, rawdoc json)",
    R"(INSERT INTO thirdparty_items VALUES
    (1, 9007199254740993, 2147483647, 12.50, 1.5, true,
     E'Zürich "quoted"\nline 2 😀 日本語', '2024-02-29', '2024-03-10 02:30:00.25',
     '2024-03-10 01:59:59.5-05', '\x00ff10', '{"a": [1, 2.5, "x"], "b": null}',
     '{"b":1,  "a":[true]}'),
    (2, -9223372036854775808, -2147483648, 0.10, 0.1, false,
     E'tab\there, back\\slash, <b>&amp;</b>, ''single''', '1999-12-31', '1999-12-31 23:59:59',
     '2024-07-01 12:00:00+02', '\x', '[]', '[1, 2]'),
    (3, 9223372036854775807, 0, -9999999999.99, 1e-7, true, '', '1970-01-01',
     '1970-01-01 00:00:00', '1970-01-01 00:00:00Z', '\x68656c6c6f', '"just text"', 'null'),
    (4, 9007199254740992, -7, 0.00, 12.0, false, 'plain', '2000-01-01', '2024-11-03 01:30:00',
     '2024-11-03 01:30:00-04', '\xdeadbeef', '{}', '{}'),
    (5, -42, 42, 1234567890.12, 1e300, NULL, NULL, '1900-01-01', '1900-01-01 00:00:00',
     '1969-12-31 23:59:59.999Z', NULL, NULL, NULL),
    (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (7, 9007199254740991, 1, 99.99, -2.5, true, 'x', '2038-01-19', '2024-01-01 00:00:00.123456',
     '2038-01-19 03:14:08.123456Z', '\x00', '{"n": 12.50}', '{"n": 12.50}'))",
};

const QRegularExpression integerLiteral(u"^-?(0|[1-9][0-9]*)$"_s);
const QRegularExpression numberLiteral(u"^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"_s);
const QRegularExpression
    utcDateTime(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z$"_s);
const QRegularExpression
    naiveDateTime(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?$"_s);
const QRegularExpression isoDate(u"^\\d{4}-\\d\\d-\\d\\d$"_s);
const QRegularExpression base64(u"^[A-Za-z0-9+/]*={0,2}$"_s);

/// The raw text of a member's value in a JSON object ("12.50", "\"x\"", "null"), or a null
/// QByteArray when there is no such member. QJsonDocument cannot tell: it reads every number
/// through double. Assumes valid JSON whose keys need no escapes.
QByteArray rawMember(const QByteArray &json, const QByteArray &key)
{
    qsizetype i = 0;
    const qsizetype n = json.size();
    const auto skipSpace = [&] {
        while (i < n && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t'))
            ++i;
    };
    // From the opening quote to just past the closing one.
    const auto skipString = [&] {
        for (++i; i < n && json[i] != '"'; ++i) {
            if (json[i] == '\\')
                ++i;
        }
        ++i;
    };
    skipSpace();
    if (i >= n || json[i] != '{')
        return {};
    ++i;
    while (true) {
        skipSpace();
        if (i >= n || json[i] != '"')
            return {};
        const qsizetype keyStart = i + 1;
        skipString();
        const QByteArray name = json.mid(keyStart, i - 1 - keyStart);
        skipSpace();
        if (i >= n || json[i] != ':')
            return {};
        ++i;
        skipSpace();
        const qsizetype start = i;
        int depth = 0;
        while (i < n) {
            const char c = json[i];
            if (c == '"') {
                skipString();
                continue;
            }
            if ((c == '}' || c == ']' || c == ',') && depth == 0)
                break;
            if (c == '{' || c == '[')
                ++depth;
            else if (c == '}' || c == ']')
                --depth;
            ++i;
        }
        if (name == key)
            return json.mid(start, i - start).trimmed();
        if (i >= n || json[i] != ',')
            return {};
        ++i;
    }
}

/// rawMember() along a dotted path ("meta.flag").
QByteArray rawAt(const QByteArray &json, const QString &path)
{
    QByteArray raw = json;
    for (const QString &key : path.split(u'.')) {
        raw = rawMember(raw, key.toUtf8());
        if (raw.isNull())
            break;
    }
    return raw;
}

/// An exact decimal's text as a JavaScript number prints it: no trailing zeros ("12.50" ->
/// "12.5", "0.00" -> "0"). Holds for up to 15 significant digits, which numeric(12,2) has.
QByteArray asJavaScriptPrintsIt(QByteArray decimal)
{
    if (decimal.contains('.')) {
        while (decimal.endsWith('0'))
            decimal.chop(1);
        if (decimal.endsWith('.'))
            decimal.chop(1);
    }
    return decimal == "-0" ? QByteArray("0") : decimal;
}

} // namespace

Q_DECLARE_METATYPE(Kind)
Q_DECLARE_METATYPE(Target)

class TestThirdPartyApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void deliveredToJsonServer();
    void deliveredToTestSink();
    void valuesKeepTheirTypes_data();
    void valuesKeepTheirTypes();

private:
    using Result = SluiceRun;

    /// Runs sluice while this process's event loop keeps serving the sink.
    Result runSluice(const QStringList &arguments);
    QString writeTransfer(const QString &name, const QUrl &url);
    /// GETs url, serving the event loop meanwhile; the HTTP status, or -1 without an answer.
    int get(const QUrl &url, QByteArray *body, int timeoutMs = 10000);
    void stopJsonServer();

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
    QNetworkAccessManager m_nam;
    QProcess m_jsonServer;
    QUrl m_api; ///< json-server's base URL once it answers
    ConnectionSettings m_pg;
    QList<QVariantList> m_oracle; ///< per row (ordered by id): one value per entry of fields
    QHash<int, QByteArray> m_stored; ///< item id -> body json-server hands back
    QHash<int, QByteArray> m_sent; ///< item id -> request body TestSink received
};

void TestThirdPartyApi::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());

    QString error;
    m_pg = PgTestServer::settings(&error);
    QVERIFY2(!m_pg.driver.isEmpty(), qPrintable(error));
    QStringList statements;
    for (const char *sql : setupSql)
        statements.append(QString::fromUtf8(sql));
    QVERIFY2(PgTestServer::exec(statements, &error), qPrintable(error));
    QStringList oracle;
    for (const Field &field : fields)
        oracle.append(QString::fromUtf8(field.oracle));
    QVERIFY2(PgTestServer::select(u"SELECT "_s + oracle.join(", "_L1)
                                      + u" FROM thirdparty_items ORDER BY id"_s,
                                  &m_oracle, &error),
             qPrintable(error));
    QCOMPARE(m_oracle.size(), 7);

    const QString installDir = qEnvironmentVariable("SLUICE_JSONSERVER_DIR");
    const QString script = installDir + u"/node_modules/json-server/lib/cli/bin.js"_s;
    QVERIFY2(QFileInfo::exists(script),
             "json-server is not installed in $SLUICE_JSONSERVER_DIR: run this test via ctest, "
             "whose \"jsonserver\" fixture installs it (tests/scripts/json-server.sh install DIR)");
    QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        node = QStandardPaths::findExecutable(u"nodejs"_s);
    QVERIFY2(!node.isEmpty(), "Node.js is not installed (Debian: apt-get install nodejs npm)");

    // The server must not outlive this test, even when the test crashes.
    m_jsonServer.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_jsonServer.setWorkingDirectory(m_dir.path());
    m_jsonServer.setProcessChannelMode(QProcess::MergedChannels);
    m_jsonServer.setProgram(node);
    // A free port can be taken between asking and listening: then the server exits at once.
    for (int attempt = 1; attempt <= 5 && !m_api.isValid(); ++attempt) {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QString port = QString::number(probe.serverPort());
        probe.close();

        // json-server only serves the resources db.json has when it starts.
        QFile db(m_dir.filePath(u"db.json"_s));
        QVERIFY(db.open(QIODevice::WriteOnly | QIODevice::Truncate));
        db.write(R"({"items": []})");
        db.close();

        m_jsonServer.setArguments(
            {script, u"--host"_s, u"127.0.0.1"_s, u"--port"_s, port, u"--quiet"_s, u"db.json"_s});
        m_jsonServer.start();
        QVERIFY2(m_jsonServer.waitForStarted(), qPrintable(m_jsonServer.errorString()));
        const QUrl base(u"http://127.0.0.1:"_s + port);
        QElapsedTimer clock;
        clock.start();
        while (m_jsonServer.state() == QProcess::Running && clock.elapsed() < 30000) {
            if (get(base.resolved(QUrl(u"/items"_s)), nullptr, 2000) == 200) {
                m_api = base;
                break;
            }
            QTest::qWait(50);
        }
        if (!m_api.isValid()) {
            stopJsonServer();
            qWarning().noquote() << "json-server did not answer on port" << port << ":"
                                 << QString::fromUtf8(m_jsonServer.readAll());
        }
    }
    QVERIFY2(m_api.isValid(), "json-server did not start");
}

void TestThirdPartyApi::cleanupTestCase()
{
    stopJsonServer();
}

void TestThirdPartyApi::stopJsonServer()
{
    if (m_jsonServer.state() == QProcess::NotRunning)
        return;
    m_jsonServer.terminate();
    if (!m_jsonServer.waitForFinished(5000)) {
        m_jsonServer.kill();
        m_jsonServer.waitForFinished();
    }
}

TestThirdPartyApi::Result TestThirdPartyApi::runSluice(const QStringList &arguments)
{
    // The cluster runs in America/New_York: a client in a third zone shows that instants are
    // converted, not copied as wall clocks.
    SluiceCall call;
    call.environment = QProcessEnvironment::systemEnvironment();
    call.environment.insert(u"TZ"_s, u"Asia/Tokyo"_s);
    return ::runSluice(m_sluice, arguments, call);
}

QString TestThirdPartyApi::writeTransfer(const QString &name, const QUrl &url)
{
    QJsonObject itemTemplate;
    QJsonObject meta;
    for (const Field &field : fields) {
        const QString path = QString::fromUtf8(field.path);
        const QString placeholder = QString::fromUtf8(field.placeholder);
        if (path.startsWith("meta."_L1))
            meta.insert(path.mid(5), placeholder);
        else
            itemTemplate.insert(path, placeholder);
    }
    itemTemplate.insert(u"meta"_s, meta);
    const QJsonObject transfer {
        {u"version"_s, 1},
        {u"source"_s,
         QJsonObject {{u"driver"_s, m_pg.driver},
                      {u"host"_s, m_pg.host},
                      {u"port"_s, m_pg.port},
                      {u"user"_s, m_pg.user},
                      {u"database"_s, m_pg.database}}},
        {u"query"_s,
         QJsonObject {
             {u"sql"_s, u"SELECT * FROM thirdparty_items WHERE id >= :first ORDER BY id"_s},
             {u"parameters"_s, QJsonObject {{u"first"_s, 1}}}}},
        {u"transform"_s, QJsonObject {{u"key"_s, u"item {{id}}"_s}, {u"template"_s, itemTemplate}}},
        {u"target"_s, QJsonObject {{u"url"_s, url.toString()}, {u"method"_s, u"POST"_s}}},
        {u"run"_s, QJsonObject {{u"chunkSize"_s, 3}, {u"concurrency"_s, 8}, {u"maxRetries"_s, 0}}},
    };
    const QString path = m_dir.filePath(name);
    QFile file(path);
    const QByteArray text = QJsonDocument(transfer).toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}

int TestThirdPartyApi::get(const QUrl &url, QByteArray *body, int timeoutMs)
{
    QScopedPointer<QNetworkReply> reply(m_nam.get(QNetworkRequest(url)));
    QElapsedTimer clock;
    clock.start();
    while (!reply->isFinished() && clock.elapsed() < timeoutMs)
        QTest::qWait(5);
    if (!reply->isFinished()) {
        reply->abort();
        return -1;
    }
    if (body)
        *body = reply->readAll();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    return status.isValid() ? status.toInt() : -1;
}

void TestThirdPartyApi::deliveredToJsonServer()
{
    QElapsedTimer clock;
    clock.start();
    const QString transfer
        = writeTransfer(u"to-json-server.json"_s, m_api.resolved(QUrl(u"/items"_s)));
    QVERIFY(!transfer.isEmpty());
    const Result r = runSluice({u"run"_s, transfer});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QRegularExpression summary(
        u"^delivered %1, failed 0, invalid 0 in \\d+\\.\\d\\d s \\(\\d+ items/s\\)\\n$"_s.arg(
            m_oracle.size()));
    QVERIFY2(summary.match(r.out).hasMatch(), qPrintable(r.out + r.err));
    qInfo("sluice run into json-server: %lld ms", qint64(clock.elapsed()));

    // Every item back, one GET each, as a client of that API would read it.
    QByteArray all;
    QCOMPARE(get(m_api.resolved(QUrl(u"/items"_s)), &all), 200);
    QCOMPARE(QJsonDocument::fromJson(all).array().size(), m_oracle.size());
    for (const QVariantList &row : std::as_const(m_oracle)) {
        const int id = row.at(0).toInt();
        QByteArray body;
        QCOMPARE(get(m_api.resolved(QUrl(u"/items/%1"_s.arg(id))), &body), 200);
        m_stored.insert(id, body);
    }
}

void TestThirdPartyApi::deliveredToTestSink()
{
    const QString transfer = writeTransfer(u"to-sink.json"_s, m_sink.url(u"/items"_s));
    QVERIFY(!transfer.isEmpty());
    const Result r = runSluice({u"run"_s, transfer});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(u"delivered %1, failed 0, invalid 0 in "_s.arg(m_oracle.size())),
             qPrintable(r.out + r.err));
    QCOMPARE(m_sink.requestCount(), m_oracle.size());
    for (const TestSink::Request &request : m_sink.requests())
        m_sent.insert(request.jsonId.toInt(), request.body);
    QCOMPARE(m_sent.size(), m_oracle.size());
}

void TestThirdPartyApi::valuesKeepTheirTypes_data()
{
    QTest::addColumn<Target>("target");
    QTest::addColumn<int>("id");
    QTest::addColumn<QString>("path");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QVariant>("expected"); // null: the database holds NULL
    for (const Target target : {Target::JsonServer, Target::Wire}) {
        for (const QVariantList &row : std::as_const(m_oracle)) {
            const int id = row.at(0).toInt();
            for (qsizetype f = 0; f < qsizetype(std::size(fields)); ++f) {
                QTest::addRow("%s/%d/%s", target == Target::JsonServer ? "json-server" : "wire", id,
                              fields[f].path)
                    << target << id << QString::fromUtf8(fields[f].path) << fields[f].kind
                    << row.at(f);
            }
        }
    }
}

void TestThirdPartyApi::valuesKeepTheirTypes()
{
    QFETCH(Target, target);
    QFETCH(int, id);
    QFETCH(QString, path);
    QFETCH(Kind, kind);
    QFETCH(QVariant, expected);

    const QByteArray body = (target == Target::JsonServer ? m_stored : m_sent).value(id);
    QVERIFY2(!body.isEmpty(), "no such item: deliveredToJsonServer/deliveredToTestSink failed");
    const QByteArray raw = rawAt(body, path);
    QVERIFY2(!raw.isNull(), body.constData());
    const QString context = QString::fromUtf8(raw) + u" in "_s + QString::fromUtf8(body);
    if (expected.isNull()) {
        QVERIFY2(raw == "null", qPrintable(context));
        return;
    }
    const QString text = expected.toString();
    const QJsonValue value = QJsonDocument::fromJson('[' + raw + ']').array().at(0);
    switch (kind) {
    case Kind::Integer: {
        QVERIFY2(integerLiteral.match(QString::fromUtf8(raw)).hasMatch(), qPrintable(context));
        bool ok = false;
        const qint64 exact = text.toLongLong(&ok);
        QVERIFY(ok);
        const qint64 limit = Q_INT64_C(1) << 53;
        if (target == Target::Wire || (exact >= -limit && exact <= limit)) {
            QCOMPARE(QString::fromUtf8(raw), text);
        } else {
            // A JavaScript number is a double: json-server's JSON.parse rounds an integer beyond
            // 2^53 to the nearest double, and JSON.stringify prints that double's shortest
            // digits padded with zeros (9223372036854775807 -> 9223372036854776000). It stays
            // an integer literal, but not the same integer: what Sluice sent is checked on the
            // wire, where it is exact.
            QCOMPARE(raw.toDouble(), double(exact));
            QVERIFY2(QString::fromUtf8(raw) != text, qPrintable(context));
        }
        break;
    }
    case Kind::Decimal:
        QVERIFY2(numberLiteral.match(QString::fromUtf8(raw)).hasMatch(), qPrintable(context));
        if (target == Target::Wire) {
            QCOMPARE(QString::fromUtf8(raw), text); // "12.50" as the database gave it
        } else {
            // The same decimal value; JavaScript drops the trailing zeros.
            QCOMPARE(raw, asJavaScriptPrintsIt(text.toLatin1()));
        }
        break;
    case Kind::Real:
        QVERIFY2(numberLiteral.match(QString::fromUtf8(raw)).hasMatch(), qPrintable(context));
        QCOMPARE(raw.toDouble(), text.toDouble());
        // Sluice writes an integral double as 12.0 so that it stays recognisably real; a
        // JavaScript API has one number type and hands 12 back.
        if (target == Target::Wire) {
            QVERIFY2(raw.contains('.') || raw.contains('e') || raw.contains('E'),
                     qPrintable(context));
        }
        break;
    case Kind::Bool:
        QVERIFY2(value.isBool(), qPrintable(context));
        QCOMPARE(value.toBool() ? u"true"_s : u"false"_s, text);
        break;
    case Kind::Text:
        QVERIFY2(value.isString(), qPrintable(context));
        QCOMPARE(value.toString(), text);
        break;
    case Kind::Date:
        QVERIFY2(value.isString() && isoDate.match(value.toString()).hasMatch(),
                 qPrintable(context));
        QCOMPARE(value.toString(), text);
        break;
    case Kind::NaiveDateTime:
        // Every digit the database keeps (Qt's QDateTime would keep milliseconds).
        QVERIFY2(value.isString() && naiveDateTime.match(value.toString()).hasMatch(),
                 qPrintable(context));
        QCOMPARE(value.toString(), text);
        break;
    case Kind::Instant: {
        QVERIFY2(value.isString() && utcDateTime.match(value.toString()).hasMatch(),
                 qPrintable(context));
        // The oracle has six fractional digits; PostgreSQL (and Sluice) drop trailing zeros.
        QString exact = text;
        while (exact.endsWith(u'0'))
            exact.chop(1);
        if (exact.endsWith(u'.'))
            exact.chop(1);
        QCOMPARE(value.toString(), exact + u'Z');
        break;
    }
    case Kind::Json:
        if (target == Target::Wire) {
            QCOMPARE(raw, compactJson(text.toUtf8()).value_or("(not JSON)"));
        } else {
            // JavaScript reads the document into its own values (12.50 becomes 12.5).
            QCOMPARE(value, QJsonDocument::fromJson('[' + text.toUtf8() + ']').array().at(0));
        }
        break;
    case Kind::Bytes: {
        QVERIFY2(value.isString() && base64.match(value.toString()).hasMatch(),
                 qPrintable(context));
        const auto decoded = QByteArray::fromBase64Encoding(
            value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY2(decoded, qPrintable(context));
        QCOMPARE(decoded.decoded, QByteArray::fromHex(text.toLatin1()));
        break;
    }
    }
}

QTEST_GUILESS_MAIN(TestThirdPartyApi)
#include "tst_thirdpartyapi.moc"
