// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "net/cafile.h"
#include "spec/secretheaders.h"
#include "spec/statusclasses.h"
#include "spec/transferspec.h"

using namespace Qt::StringLiterals;
using namespace sluice;

Q_DECLARE_METATYPE(sluice::TransferSpec)

namespace {

// The example transfer file of docs/design.md, "Transfer file".
const QByteArray DesignExample = R"({
  "version": 1,
  "source": { "driver": "QSQLITE", "database": "sensors.db" },
  "query": {
    "sql": "SELECT * FROM sensors WHERE measured_at >= :startdate",
    "parameters": { "startdate": "2024-01-01" }
  },
  "transform": {
    "key": "{{id}}",
    "template": {
      "id": "{{id}}",
      "name": "{{name}}",
      "location": { "lat": "{{latitude}}", "lon": "{{longitude}}" },
      "label": "{{site}} / {{name}}"
    }
  },
  "target": {
    "url": "http://127.0.0.1:9200/sensors/_doc",
    "method": "POST",
    "headers": { "Content-Type": "application/json" },
    "mode": "item"
  },
  "run": { "chunkSize": 5000, "concurrency": 16, "maxRetries": 5 }
})";

const QByteArray MinimalDocument = R"({
  "version": 1,
  "source": { "driver": "QSQLITE", "database": "data.db" },
  "query": { "sql": "SELECT 1" },
  "target": { "url": "http://127.0.0.1/items" }
})";

const QString NameRule = u"(letters, digits and _, not starting with a digit)"_s;
const QString DuplicateHeader
    = u"header given more than once (header names are case-insensitive)"_s;

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("test document is not JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

/// A document built as an object, as the text fromJson() reads (keys sorted).
QByteArray text(const QJsonObject &json)
{
    return QJsonDocument(json).toJson();
}

/// Sets the member at a dotted path (creating objects on the way), or removes
/// it when value is undefined.
void setAt(QJsonObject &object, QStringList path, const QJsonValue &value)
{
    const QString key = path.takeFirst();
    if (path.isEmpty()) {
        if (value.isUndefined())
            object.remove(key);
        else
            object.insert(key, value);
        return;
    }
    QJsonObject child = object.value(key).toObject();
    setAt(child, path, value);
    object.insert(key, child);
}

QStringList strings(const QList<SpecError> &errors)
{
    QStringList result;
    for (const SpecError &error : errors)
        result << error.toString();
    return result;
}

QString rangeError(const QString &path, int min, int max, const QString &actual)
{
    return u"%1: must be an integer from %2 to %3, not %4"_s.arg(path).arg(min).arg(max).arg(
        actual);
}

const QString AllModes = u"item, elasticsearch-bulk, couchdb-bulk, json-array, ndjson"_s;

QString modeError(const QString &mode)
{
    return u"target.mode: \"%1\" is not supported; supported modes: %2"_s.arg(mode, AllModes);
}

QString rateError(const QString &actual)
{
    return u"run.maxRequestsPerSecond: must be a number from 0 to 1000000, not "_s + actual;
}

QString bulkUrlError(const QString &mode)
{
    return u"target.url: mode \"%1\" sends many items in one request, so there is no one row "
           u"to fill {{placeholders}} from; use a URL without them"_s.arg(mode);
}

QString bulkMethodError(const QString &mode)
{
    return u"target.method: mode \"%1\" sends its batches with POST, not PUT"_s.arg(mode);
}

bool writeFile(const QString &fileName, const QByteArray &data)
{
    QFile file(fileName);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

/// A spec with every field set to something other than its default.
TransferSpec fullSpec()
{
    TransferSpec spec;
    spec.source.driver = u"QPSQL"_s;
    spec.source.database = u"sensors"_s;
    spec.source.host = u"127.0.0.1"_s;
    spec.source.port = 5433;
    spec.source.user = u"steward"_s;
    spec.source.passwordEnv = u"SENSORS_PASSWORD"_s;
    spec.source.options = u"connect_timeout=5"_s;
    spec.query.sql = u"SELECT * FROM sensors WHERE site = :site AND level > :level"_s;
    spec.query.parameters = {
        {u"site"_s, u"Zürich"_s},   {u"level"_s, qlonglong(-3)},
        {u"ratio"_s, 0.25},         {u"big"_s, qlonglong(9007199254740991LL)},
        {u"huge"_s, 1e300},         {u"active"_s, true},
        {u"nothing"_s, QVariant()},
    };
    spec.transform.present = true;
    spec.transform.key = u"{{ site }}-{{id}}"_s;
    // Not in alphabetical order, with literals a double would change: kept as written.
    spec.transform.templ = R"({"id":"{{id}}","location":{"lat":"{{latitude}}","alt":410.50},)"
                           R"("tags":["sensor","{{site}}",[1,true,null]],"constant":7,)"
                           R"("big":123456789012345678901234567890})";
    spec.target.url = u"https://127.0.0.1:9200/sensors/_doc/{{id}}"_s;
    spec.target.method = u"PUT"_s;
    // Not sorted by name: the file keeps headers in the order given.
    spec.target.headers
        = {{u"Content-Type"_s, u"application/json"_s}, {u"Accept"_s, u"application/json"_s}};
    spec.target.headersEnv
        = {{u"X-Api-Key"_s, u"API_KEY"_s}, {u"Authorization"_s, u"SENSORS_TOKEN"_s}};
    // The batch fields are kept in item mode too (only a bulk mode uses them).
    spec.target.batchSize = 250;
    spec.target.batchBytes = 65536;
    spec.target.bulkAction = BulkAction::Create;
    spec.target.http2 = Http2Mode::PriorKnowledge;
    spec.target.caFile = u"certs/corporate ca.pem"_s;
    spec.target.timeoutSeconds = 90;
    spec.run.chunkSize = 250;
    spec.run.concurrency = 64;
    spec.run.maxRetries = 0;
    spec.run.maxRequestsPerSecond = 12.5;
    return spec;
}

/// fullSpec() sending in a bulk mode: a URL without placeholders, POST.
TransferSpec bulkSpec(TargetMode mode)
{
    TransferSpec spec = fullSpec();
    spec.target.mode = mode;
    spec.target.url = u"https://127.0.0.1:9200/sensors/_bulk?refresh=false"_s;
    spec.target.method = u"POST"_s;
    return spec;
}

} // namespace

class tst_TransferSpec : public QObject
{
    Q_OBJECT

private slots:
    void designExample();
    void defaults();
    void validVariants_data();
    void validVariants();
    void parameterTypes_data();
    void parameterTypes();
    void parameterBeyond64Bits();
    void templateKeepsOrderAndLiterals();
    void sections();
    void invalidDocuments_data();
    void invalidDocuments();
    void multipleErrors();
    void unsupportedVersionHidesTheRest();
    void nullOutputs();
    void loadMissingOrUnreadable();
    void loadBrokenJson_data();
    void loadBrokenJson();
    void loadNonObject();
    void loadSetsBaseDir();
    void movedToKeepsTheSameFiles();
    void toJsonDefaultsAndOmissions();
    void toJsonKeyOrder();
    void toJsonShardKeyLast();
    void toJsonRate_data();
    void toJsonRate();
    void saveLoadRoundTrip();
    void saveLoadNewFields_data();
    void saveLoadNewFields();
    void namesOfModes();
    void saveLoadDesignExample();
    void saveError();
    void validateBuiltInCode();
    void statusesInBothLists();
    void statusesAndStopAreRead();
    void idempotencyKeyRefusedInBulkModes();
    void withoutNewFieldsSavesByteIdentical();
    void watermarkIsReadAndWritten();
    void watermarkErrors_data();
    void watermarkErrors();
    void duplicateRisk_data();
    void duplicateRisk();
    void keychainReferences();
    void secretHeaders();
};

void tst_TransferSpec::designExample()
{
    TransferSpec spec;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::fromJson((DesignExample), &spec, &errors, u"/data/transfers"_s));
    QCOMPARE(strings(errors), QStringList());

    QCOMPARE(spec.source.driver, u"QSQLITE"_s);
    QCOMPARE(spec.source.database, u"sensors.db"_s);
    QCOMPARE(spec.source.host, QString());
    QCOMPARE(spec.source.port, -1);
    QCOMPARE(spec.source.user, QString());
    QCOMPARE(spec.source.passwordEnv, QString());
    QCOMPARE(spec.source.askPassword, false);
    QCOMPARE(spec.source.options, QString());
    QCOMPARE(spec.source.baseDir, u"/data/transfers"_s);
    QCOMPARE(spec.source.resolvedDatabase(), u"/data/transfers/sensors.db"_s);

    QCOMPARE(spec.query.sql, u"SELECT * FROM sensors WHERE measured_at >= :startdate"_s);
    QCOMPARE(spec.query.parameters.size(), 1);
    const QVariant startdate = spec.query.parameters.value(u"startdate"_s);
    QCOMPARE(startdate.metaType(), QMetaType::fromType<QString>());
    QCOMPARE(startdate.toString(), u"2024-01-01"_s);

    QVERIFY(spec.transform.present);
    QCOMPARE(spec.transform.key, u"{{id}}"_s);
    // In the file's order, without the blank space.
    QCOMPARE(spec.transform.templ,
             QByteArray(R"({"id":"{{id}}","name":"{{name}}","location":{"lat":"{{latitude}}",)"
                        R"("lon":"{{longitude}}"},"label":"{{site}} / {{name}}"})"));

    QCOMPARE(spec.target.url, u"http://127.0.0.1:9200/sensors/_doc"_s);
    QCOMPARE(spec.target.method, u"POST"_s);
    const QList<QPair<QString, QString>> headers {{u"Content-Type"_s, u"application/json"_s}};
    QCOMPARE(spec.target.headers, headers);
    QVERIFY(spec.target.headersEnv.isEmpty());
    QCOMPARE(spec.target.mode, TargetMode::Item);
    QCOMPARE(spec.target.batchSize, TargetSpec::DefaultBatchSize);
    QCOMPARE(spec.target.batchBytes, TargetSpec::DefaultBatchBytes);
    QCOMPARE(spec.target.bulkAction, BulkAction::Index);
    QCOMPARE(spec.target.http2, Http2Mode::Auto);
    QCOMPARE(spec.target.caFile, QString());
    QCOMPARE(spec.target.timeoutSeconds, 30);

    QCOMPARE(spec.run.chunkSize, 5000);
    QCOMPARE(spec.run.concurrency, 16);
    QCOMPARE(spec.run.maxRetries, 5);
    QCOMPARE(spec.run.maxRequestsPerSecond, 0.0);
}

void tst_TransferSpec::defaults()
{
    TransferSpec spec;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::fromJson((MinimalDocument), &spec, &errors));
    QCOMPARE(strings(errors), QStringList());

    QCOMPARE(spec.source.port, -1);
    QCOMPARE(spec.source.askPassword, false);
    QCOMPARE(spec.source.baseDir, QString());
    QVERIFY(spec.query.parameters.isEmpty());
    QVERIFY(!spec.transform.present);
    QCOMPARE(spec.transform.key, QString());
    QCOMPARE(spec.target.method, u"POST"_s);
    QVERIFY(spec.target.headers.isEmpty());
    QVERIFY(spec.target.headersEnv.isEmpty());
    QCOMPARE(spec.target.mode, TargetMode::Item);
    QCOMPARE(spec.target.batchSize, 1000);
    QCOMPARE(spec.target.batchBytes, 5 * 1024 * 1024);
    QCOMPARE(spec.target.bulkAction, BulkAction::Index);
    QCOMPARE(spec.target.http2, Http2Mode::Auto);
    QCOMPARE(spec.target.caFile, QString());
    QCOMPARE(spec.target.timeoutSeconds, 30);
    QCOMPARE(spec.run.chunkSize, RunSpec::DefaultChunkSize);
    QCOMPARE(spec.run.concurrency, RunSpec::DefaultConcurrency);
    QCOMPARE(spec.run.maxRetries, RunSpec::DefaultMaxRetries);
    QCOMPARE(spec.run.maxRequestsPerSecond, 0.0); // no cap
    QCOMPARE(RunSpec::DefaultChunkSize, 5000);
    QCOMPARE(RunSpec::DefaultConcurrency, 16);
    QCOMPARE(RunSpec::DefaultMaxRetries, 5);
    QCOMPARE(TargetSpec::DefaultBatchSize, 1000);
    QCOMPARE(TargetSpec::DefaultBatchBytes, 5 * 1024 * 1024);
}

void tst_TransferSpec::validVariants_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");

    const auto row = [](const char *name, const QString &path, const QJsonValue &value) {
        QTest::newRow(name) << path << value;
    };
    row("QPSQL without database", u"source"_s, QJsonObject {{u"driver"_s, u"QPSQL"_s}});
    row("every source field", u"source"_s,
        QJsonObject {{u"driver"_s, u"QMYSQL"_s},
                     {u"database"_s, u"db"_s},
                     {u"host"_s, u"127.0.0.1"_s},
                     {u"port"_s, 65535},
                     {u"user"_s, u"u"_s},
                     {u"passwordEnv"_s, u"_DB_PASSWORD_2"_s},
                     {u"askPassword"_s, false},
                     {u"options"_s, u"MYSQL_OPT_RECONNECT=1"_s}});
    row("askPassword alone", u"source.askPassword"_s, true);
    row("passwordKeychain", u"source.passwordKeychain"_s, u"sensors db / steward"_s);
    row("passwordKeychain of 200", u"source.passwordKeychain"_s, QString(200, u'k'));
    row("port 1", u"source.port"_s, 1);
    row("shardKey integer", u"source.shardKey"_s,
        QJsonObject {{u"column"_s, u"id"_s}, {u"type"_s, u"integer"_s}});
    row("shardKey text, quoted name", u"source.shardKey"_s,
        QJsonObject {{u"type"_s, u"text"_s}, {u"column"_s, u"Site \"Nord\" ü"_s}});
    row("integral real port", u"source.port"_s, 5432.0);
    row("empty optional string", u"source.host"_s, u""_s);
    row("empty parameters", u"query.parameters"_s, QJsonObject());
    row("underscore parameter", u"query.parameters._p1"_s, u"x"_s);
    row("transform without key", u"transform"_s, QJsonObject {{u"template"_s, u"{{id}}"_s}});
    row("null template", u"transform"_s, QJsonObject {{u"template"_s, QJsonValue()}});
    row("number template", u"transform"_s, QJsonObject {{u"template"_s, 42}});
    row("spaced placeholder", u"transform"_s,
        QJsonObject {{u"key"_s, u"{{ first name }}"_s}, {u"template"_s, u"{{ first name }}"_s}});
    row("single braces", u"transform"_s,
        QJsonObject {{u"key"_s, u"{x} }} {y}"_s}, {u"template"_s, QJsonArray {u"{ }}"_s}}});
    row("https with placeholders", u"target.url"_s,
        u"https://{{host}}:9200/sensors/_doc/{{ id }}?routing={{site}}"_s);
    row("IPv6 URL", u"target.url"_s, u"http://[::1]:8080/x"_s);
    row("upper-case scheme", u"target.url"_s, u"HTTP://127.0.0.1/x"_s);
    row("method PUT", u"target.method"_s, u"PUT"_s);
    row("method lower case", u"target.method"_s, u"post"_s);
    row("empty headers", u"target.headers"_s, QJsonObject());
    row("header token characters", u"target.headers.X-A!#$%&'*+^_`|~9"_s, u"v\tw"_s);
    row("headersEnv", u"target.headersEnv"_s,
        QJsonObject {{u"Authorization"_s, u"TOKEN"_s}, {u"X-Api-Key"_s, u"API_KEY"_s}});
    row("headersKeychain", u"target.headersKeychain"_s,
        QJsonObject {{u"Authorization"_s, u"sensors api"_s}, {u"X-Api-Key"_s, u"sensors api"_s}});
    row("mode item", u"target.mode"_s, u"item"_s);
    row("mode elasticsearch-bulk", u"target.mode"_s, u"elasticsearch-bulk"_s);
    row("mode couchdb-bulk", u"target.mode"_s, u"couchdb-bulk"_s);
    row("mode json-array", u"target.mode"_s, u"json-array"_s);
    row("mode ndjson", u"target.mode"_s, u"ndjson"_s);
    row("bulk mode, post in lower case", u"target"_s,
        QJsonObject {{u"url"_s, u"http://127.0.0.1:9200/_bulk"_s},
                     {u"method"_s, u"post"_s},
                     {u"mode"_s, u"elasticsearch-bulk"_s}});
    row("item mode, placeholders and PUT", u"target"_s,
        QJsonObject {{u"url"_s, u"http://127.0.0.1/items/{{id}}"_s},
                     {u"method"_s, u"PUT"_s},
                     {u"mode"_s, u"item"_s}});
    row("bulk mode, encoded braces are no placeholder", u"target"_s,
        QJsonObject {{u"url"_s, u"http://127.0.0.1/_bulk?q=%7B%7Bx%7D%7D"_s},
                     {u"mode"_s, u"ndjson"_s}});
    row("batchSize 1", u"target.batchSize"_s, 1);
    row("batchSize max", u"target.batchSize"_s, TargetSpec::MaxBatchSize);
    row("batchBytes min", u"target.batchBytes"_s, 1024);
    row("batchBytes max", u"target.batchBytes"_s, 256 * 1024 * 1024);
    row("batchBytes integral real", u"target.batchBytes"_s, 2048.0);
    row("bulkAction index", u"target.bulkAction"_s, u"index"_s);
    row("bulkAction create", u"target"_s,
        QJsonObject {{u"url"_s, u"http://127.0.0.1:9200/_bulk"_s},
                     {u"mode"_s, u"elasticsearch-bulk"_s},
                     {u"bulkAction"_s, u"create"_s}});
    row("bulkAction kept in item mode", u"target.bulkAction"_s, u"create"_s);
    row("http2 auto", u"target.http2"_s, u"auto"_s);
    row("http2 prior-knowledge", u"target.http2"_s, u"prior-knowledge"_s);
    row("http2 off", u"target.http2"_s, u"off"_s);
    row("caFile relative", u"target.caFile"_s, u"certs/ca.pem"_s);
    row("caFile absolute", u"target.caFile"_s, u"/etc/ssl/certs/corporate-ca.pem"_s);
    row("caFile empty", u"target.caFile"_s, u""_s);
    row("timeout bounds", u"target.timeoutSeconds"_s, 3600);
    row("empty run", u"run"_s, QJsonObject());
    row("run upper bounds", u"run"_s,
        QJsonObject {{u"chunkSize"_s, RunSpec::MaxChunkSize},
                     {u"concurrency"_s, RunSpec::MaxConcurrency},
                     {u"maxRetries"_s, RunSpec::MaxMaxRetries}});
    row("run lower bounds", u"run"_s,
        QJsonObject {{u"chunkSize"_s, 1}, {u"concurrency"_s, 1}, {u"maxRetries"_s, 0}});
    row("no rate cap", u"run.maxRequestsPerSecond"_s, 0);
    row("rate cap fraction", u"run.maxRequestsPerSecond"_s, 0.25);
    row("rate cap integral real", u"run.maxRequestsPerSecond"_s, 50.0);
    row("rate cap max", u"run.maxRequestsPerSecond"_s, RunSpec::MaxMaxRequestsPerSecond);
}

void tst_TransferSpec::validVariants()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QJsonObject json = parse(MinimalDocument);
    setAt(json, path.split(u'.'), value);
    TransferSpec spec;
    QList<SpecError> errors;
    const bool ok = TransferSpec::fromJson(text(json), &spec, &errors);
    QCOMPARE(strings(errors), QStringList());
    QVERIFY(ok);
    // What was read is what is written back (method normalised to upper case).
    TransferSpec again;
    QVERIFY(TransferSpec::fromJson(spec.toJson(), &again, &errors));
    QCOMPARE(again, spec);
}

void tst_TransferSpec::parameterTypes_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QVariant>("expected");

    QTest::newRow("string") << QByteArray(R"("2024-01-01")") << QVariant(u"2024-01-01"_s);
    QTest::newRow("empty string") << QByteArray(R"("")") << QVariant(u""_s);
    QTest::newRow("integer") << QByteArray("42") << QVariant(qlonglong(42));
    QTest::newRow("zero") << QByteArray("0") << QVariant(qlonglong(0));
    QTest::newRow("negative") << QByteArray("-7") << QVariant(qlonglong(-7));
    // The literal decides: an integer literal is an exact qlonglong (past 2^53 too, where a
    // double would bind a neighbouring id), a literal with a fraction or exponent a double.
    QTest::newRow("2^53 - 1") << QByteArray("9007199254740991")
                              << QVariant(qlonglong(9007199254740991LL));
    QTest::newRow("-(2^53 - 1)") << QByteArray("-9007199254740991")
                                 << QVariant(qlonglong(-9007199254740991LL));
    QTest::newRow("2^53 + 1") << QByteArray("9007199254740993")
                              << QVariant(qlonglong(9007199254740993LL));
    QTest::newRow("19-digit id") << QByteArray("-9223372036854775808")
                                 << QVariant(std::numeric_limits<qlonglong>::min());
    QTest::newRow("1e16") << QByteArray("1e16") << QVariant(1e16);
    QTest::newRow("integral exponent") << QByteArray("1e3") << QVariant(1000.0);
    QTest::newRow("integral real") << QByteArray("2.0") << QVariant(2.0);
    QTest::newRow("real") << QByteArray("1.5") << QVariant(1.5);
    QTest::newRow("negative real") << QByteArray("-0.001") << QVariant(-0.001);
    QTest::newRow("true") << QByteArray("true") << QVariant(true);
    QTest::newRow("false") << QByteArray("false") << QVariant(false);
    QTest::newRow("null") << QByteArray("null") << QVariant();
}

void tst_TransferSpec::parameterTypes()
{
    QFETCH(QByteArray, json);
    QFETCH(QVariant, expected);
    QByteArray document = MinimalDocument;
    document.replace(R"("sql": "SELECT 1")",
                     QByteArray(R"("sql": "SELECT :p", "parameters": { "p": )" + json + " }"));
    TransferSpec spec;
    QList<SpecError> errors;
    QVERIFY2(TransferSpec::fromJson((document), &spec, &errors),
             qPrintable(strings(errors).join(u'\n')));
    QVERIFY(spec.query.parameters.contains(u"p"_s));
    const QVariant actual = spec.query.parameters.value(u"p"_s);
    QCOMPARE(actual.metaType(), expected.metaType());
    QCOMPARE(actual.isNull(), expected.isNull());
    QCOMPARE(actual, expected);

    // The type survives being written and read again.
    TransferSpec again;
    QVERIFY(TransferSpec::fromJson(spec.toJson(), &again, &errors));
    QCOMPARE(again.query.parameters.value(u"p"_s).metaType(), expected.metaType());
    QCOMPARE(again.query.parameters.value(u"p"_s), expected);
}

void tst_TransferSpec::parameterBeyond64Bits()
{
    QByteArray document = MinimalDocument;
    document.replace(R"("sql": "SELECT 1")",
                     R"("sql": "SELECT :id", "parameters": { "id": 9223372036854775808 })");
    QList<SpecError> errors;
    QVERIFY(!TransferSpec::fromJson(document, nullptr, &errors));
    QCOMPARE(strings(errors),
             QStringList {u"query.parameters.id: 9223372036854775808 does not fit in a 64-bit "
                          u"integer; write it as a string"_s});
    QCOMPARE(errors.first().section(), SpecSection::Query);
}

void tst_TransferSpec::templateKeepsOrderAndLiterals()
{
    // What a steward writes in a file reaches the spec, the file saved again and (see
    // tst_transform) the API as written: member order, 12.50, 1.10, 30 digits.
    QByteArray document = MinimalDocument;
    document.replace(R"("query": { "sql": "SELECT 1" },)", R"("query": { "sql": "SELECT 1" },
  "transform": {
    "template": {"value": 12.50, "id": "{{id}}", "zeta": 1, "alpha": 2,
                 "huge": 123456789012345678901234567890, "price": 1.10, "e": "\u00e9"}
  },)");
    TransferSpec spec;
    QList<SpecError> errors;
    QVERIFY2(TransferSpec::fromJson(document, &spec, &errors),
             qPrintable(strings(errors).join(u'\n')));
    const QByteArray compact
        = R"({"value":12.50,"id":"{{id}}","zeta":1,"alpha":2,)"
          R"("huge":123456789012345678901234567890,"price":1.10,"e":"\u00e9"})";
    QCOMPARE(spec.transform.templ, compact);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(u"ordered.json"_s);
    QVERIFY(spec.save(fileName, nullptr));
    QFile file(fileName);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray saved = file.readAll();
    const QByteArray templateText = R"(        "template": {
            "value": 12.50,
            "id": "{{id}}",
            "zeta": 1,
            "alpha": 2,
            "huge": 123456789012345678901234567890,
            "price": 1.10,
            "e": "\u00e9"
        })";
    QVERIFY2(saved.contains(templateText), saved.constData());
    // Sections in the order of the design's example, one trailing line break.
    const QList<qsizetype> sections {saved.indexOf("\"version\""), saved.indexOf("\"source\""),
                                     saved.indexOf("\"query\""),   saved.indexOf("\"transform\""),
                                     saved.indexOf("\"target\""),  saved.indexOf("\"run\"")};
    QVERIFY(std::is_sorted(sections.cbegin(), sections.cend()));
    QVERIFY(sections.first() > 0);
    QVERIFY(saved.endsWith("}\n"));

    // Loading and saving again changes nothing: no diff in version control.
    TransferSpec loaded;
    QVERIFY(TransferSpec::load(fileName, &loaded, nullptr));
    QCOMPARE(loaded.transform.templ, compact);
    QVERIFY(loaded.save(fileName, nullptr));
    QVERIFY(file.seek(0));
    QCOMPARE(file.readAll(), saved);
}

void tst_TransferSpec::sections()
{
    QCOMPARE((SpecError {u"source.port"_s, {}}).section(), SpecSection::Source);
    QCOMPARE((SpecError {u"source"_s, {}}).section(), SpecSection::Source);
    QCOMPARE((SpecError {u"query.parameters.x"_s, {}}).section(), SpecSection::Query);
    QCOMPARE((SpecError {u"transform.template.a[0]"_s, {}}).section(), SpecSection::Transform);
    QCOMPARE((SpecError {u"target.headers.X-A"_s, {}}).section(), SpecSection::Target);
    QCOMPARE((SpecError {u"run.chunkSize"_s, {}}).section(), SpecSection::Run);
    QCOMPARE((SpecError {u"version"_s, {}}).section(), SpecSection::File);
    QCOMPARE((SpecError {{}, u"cannot read"_s}).section(), SpecSection::File);
    // A section name is a whole word: "sourcery" is not the source.
    QCOMPARE((SpecError {u"sourcery"_s, {}}).section(), SpecSection::File);
}

void tst_TransferSpec::invalidDocuments_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QStringList>("expected");

    const QJsonValue removed(QJsonValue::Undefined);
    const auto row = [](const char *name, const QString &path, const QJsonValue &value,
                        const QStringList &expected) {
        QTest::newRow(name) << path << value << expected;
    };

    // version and top level
    row("version missing", u"version"_s, removed, {u"version: is required"_s});
    row("version string", u"version"_s, u"1"_s, {u"version: must be an integer"_s});
    row("version real", u"version"_s, 1.5, {u"version: must be an integer"_s});
    row("version 2", u"version"_s, 2,
        {u"version: unsupported version 2; this Sluice reads version 1"_s});
    row("version 0", u"version"_s, 0,
        {u"version: unsupported version 0; this Sluice reads version 1"_s});
    row("unknown top-level key", u"comment"_s, u"x"_s, {u"comment: unknown key"_s});

    // source
    row("source missing", u"source"_s, removed, {u"source: is required"_s});
    row("source string", u"source"_s, u"sensors.db"_s, {u"source: must be an object"_s});
    row("source array", u"source"_s, QJsonArray(), {u"source: must be an object"_s});
    row("driver missing", u"source.driver"_s, removed, {u"source.driver: is required"_s});
    row("driver empty", u"source.driver"_s, u""_s, {u"source.driver: is required"_s});
    row("driver number", u"source.driver"_s, 5, {u"source.driver: must be a string"_s});
    row("database missing for QSQLITE", u"source.database"_s, removed,
        {u"source.database: is required for QSQLITE"_s});
    row("database empty for QSQLITE", u"source.database"_s, u""_s,
        {u"source.database: is required for QSQLITE"_s});
    row("database bool", u"source.database"_s, true, {u"source.database: must be a string"_s});
    const auto shardKey = [](const QJsonObject &object) {
        return QJsonValue(object);
    };
    row("shardKey string", u"source.shardKey"_s, u"id"_s,
        {u"source.shardKey: must be an object"_s});
    row("shardKey without column", u"source.shardKey"_s, shardKey({{u"type"_s, u"integer"_s}}),
        {u"source.shardKey.column: is required"_s});
    row("shardKey empty column", u"source.shardKey"_s,
        shardKey({{u"column"_s, u""_s}, {u"type"_s, u"integer"_s}}),
        {u"source.shardKey.column: is required"_s});
    row("shardKey column control", u"source.shardKey"_s,
        shardKey({{u"column"_s, u"a\tb"_s}, {u"type"_s, u"integer"_s}}),
        {u"source.shardKey.column: \"a\tb\" is not a column name (it holds a control "_s
         u"character)"_s});
    row("shardKey without type", u"source.shardKey"_s, shardKey({{u"column"_s, u"id"_s}}),
        {u"source.shardKey.type: is required: \"integer\" (split by the value modulo the "_s
         u"shard count) or \"text\" (split by a hash of the value as text)"_s});
    row("shardKey type uuid", u"source.shardKey"_s,
        shardKey({{u"column"_s, u"id"_s}, {u"type"_s, u"uuid"_s}}),
        {u"source.shardKey.type: \"uuid\" is not supported; supported types: integer, text"_s});
    row("shardKey unknown key", u"source.shardKey"_s,
        shardKey({{u"column"_s, u"id"_s}, {u"type"_s, u"text"_s}, {u"seed"_s, 1}}),
        {u"source.shardKey.seed: unknown key"_s});
    row("host number", u"source.host"_s, 1, {u"source.host: must be a string"_s});
    row("user array", u"source.user"_s, QJsonArray(), {u"source.user: must be a string"_s});
    row("options object", u"source.options"_s, QJsonObject(),
        {u"source.options: must be a string"_s});
    row("port 0", u"source.port"_s, 0, {rangeError(u"source.port"_s, 1, 65535, u"0"_s)});
    row("port 65536", u"source.port"_s, 65536,
        {rangeError(u"source.port"_s, 1, 65535, u"65536"_s)});
    row("port real", u"source.port"_s, 80.5, {rangeError(u"source.port"_s, 1, 65535, u"80.5"_s)});
    row("port string", u"source.port"_s, u"5432"_s,
        {rangeError(u"source.port"_s, 1, 65535, u"\"5432\""_s)});
    row("port null", u"source.port"_s, QJsonValue(),
        {rangeError(u"source.port"_s, 1, 65535, u"null"_s)});
    row("passwordEnv dash", u"source.passwordEnv"_s, u"MY-VAR"_s,
        {u"source.passwordEnv: \"MY-VAR\" is not a valid environment variable name "_s + NameRule});
    row("passwordEnv digit first", u"source.passwordEnv"_s, u"1PW"_s,
        {u"source.passwordEnv: \"1PW\" is not a valid environment variable name "_s + NameRule});
    row("passwordEnv empty", u"source.passwordEnv"_s, u""_s,
        {u"source.passwordEnv: \"\" is not a valid environment variable name "_s + NameRule});
    row("passwordEnv number", u"source.passwordEnv"_s, 3,
        {u"source.passwordEnv: must be a string"_s});
    row("askPassword string", u"source.askPassword"_s, u"yes"_s,
        {u"source.askPassword: must be a boolean"_s});
    row("passwordEnv and askPassword", u"source"_s,
        QJsonObject {
            {u"driver"_s, u"QPSQL"_s}, {u"passwordEnv"_s, u"PW"_s}, {u"askPassword"_s, true}},
        {u"source: use either passwordEnv or askPassword, not both"_s});
    row("password", u"source.password"_s, u"secret"_s,
        {u"source.password: passwords are never stored in a transfer file; use passwordEnv "
         u"(an environment variable), passwordKeychain (an entry in the OS keychain) or "
         u"askPassword"_s});
    row("unknown source key", u"source.pass"_s, u"secret"_s, {u"source.pass: unknown key"_s});
    const QString entryRule = u"(1 to 200 characters, no control characters)"_s;
    row("passwordKeychain empty", u"source.passwordKeychain"_s, u""_s,
        {u"source.passwordKeychain: \"\" is not a valid keychain entry name "_s + entryRule});
    row("passwordKeychain line break", u"source.passwordKeychain"_s, u"a\nb"_s,
        {u"source.passwordKeychain: \"a\nb\" is not a valid keychain entry name "_s + entryRule});
    row("passwordKeychain of 201", u"source.passwordKeychain"_s, QString(201, u'k'),
        {u"source.passwordKeychain: \""_s + QString(201, u'k')
         + u"\" is not a valid keychain entry name "_s + entryRule});
    row("passwordKeychain bool", u"source.passwordKeychain"_s, true,
        {u"source.passwordKeychain: must be a string"_s});
    row("passwordKeychain and askPassword", u"source"_s,
        QJsonObject {
            {u"driver"_s, u"QPSQL"_s}, {u"passwordKeychain"_s, u"db"_s}, {u"askPassword"_s, true}},
        {u"source: use either passwordKeychain or askPassword, not both"_s});
    row("passwordKeychain and passwordEnv", u"source"_s,
        QJsonObject {{u"driver"_s, u"QPSQL"_s},
                     {u"passwordKeychain"_s, u"db"_s},
                     {u"passwordEnv"_s, u"PW"_s}},
        {u"source: use either passwordEnv or passwordKeychain, not both"_s});

    // query
    row("query missing", u"query"_s, removed, {u"query: is required"_s});
    row("query string", u"query"_s, u"SELECT 1"_s, {u"query: must be an object"_s});
    row("sql missing", u"query.sql"_s, removed, {u"query.sql: is required"_s});
    row("sql empty", u"query.sql"_s, u""_s, {u"query.sql: is required"_s});
    row("sql number", u"query.sql"_s, 1, {u"query.sql: must be a string"_s});
    row("parameters array", u"query.parameters"_s, QJsonArray {1},
        {u"query.parameters: must be an object"_s});
    row("parameter array", u"query.parameters.x"_s, QJsonArray {1},
        {u"query.parameters.x: must be a string, number, boolean or null"_s});
    row("parameter object", u"query.parameters.x"_s, QJsonObject(),
        {u"query.parameters.x: must be a string, number, boolean or null"_s});
    row("parameter name digit first", u"query.parameters.1x"_s, u"a"_s,
        {u"query.parameters.1x: not a valid parameter name "_s + NameRule});
    row("parameter name dash", u"query.parameters.a-b"_s, u"a"_s,
        {u"query.parameters.a-b: not a valid parameter name "_s + NameRule});
    row("parameter name colon", u"query.parameters.:startdate"_s, u"a"_s,
        {u"query.parameters.:startdate: not a valid parameter name "_s + NameRule});
    row("unknown query key", u"query.limit"_s, 10, {u"query.limit: unknown key"_s});

    // transform
    row("transform string", u"transform"_s, u"x"_s, {u"transform: must be an object"_s});
    row("transform null", u"transform"_s, QJsonValue(), {u"transform: must be an object"_s});
    row("template missing", u"transform"_s, QJsonObject {{u"key"_s, u"{{id}}"_s}},
        {u"transform.template: is required"_s});
    row("key number", u"transform"_s, QJsonObject {{u"key"_s, 5}, {u"template"_s, 1}},
        {u"transform.key: must be a string"_s});
    row("key unclosed", u"transform"_s, QJsonObject {{u"key"_s, u"{{id"_s}, {u"template"_s, 1}},
        {u"transform.key: unclosed placeholder \"{{id\""_s});
    row("key empty placeholder", u"transform"_s,
        QJsonObject {{u"key"_s, u"a-{{}}"_s}, {u"template"_s, 1}},
        {u"transform.key: empty placeholder \"{{}}\""_s});
    row("template nested unclosed", u"transform"_s,
        QJsonObject {{u"template"_s,
                      QJsonObject {{u"location"_s, QJsonObject {{u"lat"_s, u"{{latitude"_s}}}}}},
        {u"transform.template.location.lat: unclosed placeholder \"{{latitude\""_s});
    row("template unclosed after text", u"transform"_s,
        QJsonObject {{u"template"_s, QJsonObject {{u"label"_s, u"{{site}} / {{name"_s}}}},
        {u"transform.template.label: unclosed placeholder \"{{name\""_s});
    row("template array element", u"transform"_s,
        QJsonObject {
            {u"template"_s, QJsonObject {{u"tags"_s, QJsonArray {u"a"_s, u"{{b}}"_s, u"{{}}"_s}}}}},
        {u"transform.template.tags[2]: empty placeholder \"{{}}\""_s});
    // Not QJsonArray {QJsonArray {...}}: clang reads that as a copy, g++ as an array in an array.
    QJsonArray nested;
    nested.append(QJsonArray {1, u"{{ }}"_s});
    row("template nested array", u"transform"_s,
        QJsonObject {{u"template"_s, QJsonObject {{u"m"_s, nested}}}},
        {u"transform.template.m[0][1]: empty placeholder \"{{ }}\""_s});
    row("template root string", u"transform"_s, QJsonObject {{u"template"_s, u"x {{"_s}},
        {u"transform.template: unclosed placeholder \"{{\""_s});
    row("template brace in name", u"transform"_s,
        QJsonObject {{u"template"_s, QJsonObject {{u"name"_s, u"{{a{b}}"_s}}}},
        {u"transform.template.name: invalid placeholder \"{{a{b}}\": a column name cannot "
         u"contain { or }"_s});
    row("template several in one string", u"transform"_s,
        QJsonObject {{u"template"_s, u"{{}} {{ok}} {{ }} {{y"_s}},
        {u"transform.template: empty placeholder \"{{}}\""_s,
         u"transform.template: empty placeholder \"{{ }}\""_s,
         u"transform.template: unclosed placeholder \"{{y\""_s});
    row("unknown transform key", u"transform"_s,
        QJsonObject {{u"template"_s, 1}, {u"format"_s, u"json"_s}},
        {u"transform.format: unknown key"_s});

    // target
    const QString notHttp = u"target.url: not an absolute http(s) URL"_s;
    row("target missing", u"target"_s, removed, {u"target: is required"_s});
    row("target string", u"target"_s, u"http://x/"_s, {u"target: must be an object"_s});
    row("url missing", u"target.url"_s, removed, {u"target.url: is required"_s});
    row("url empty", u"target.url"_s, u""_s, {u"target.url: is required"_s});
    row("url number", u"target.url"_s, 5, {u"target.url: must be a string"_s});
    row("url relative path", u"target.url"_s, u"/sensors/_doc"_s, {notHttp});
    row("url relative", u"target.url"_s, u"sensors/_doc"_s, {notHttp});
    row("url ftp", u"target.url"_s, u"ftp://127.0.0.1/x"_s, {notHttp});
    row("url mailto", u"target.url"_s, u"mailto:a@example.org"_s, {notHttp});
    row("url without host", u"target.url"_s, u"http://"_s, {notHttp});
    row("url empty host", u"target.url"_s, u"http:///x"_s, {notHttp});
    row("url no authority", u"target.url"_s, u"http:x"_s, {notHttp});
    row("url bad port", u"target.url"_s, u"http://127.0.0.1:99999/"_s, {notHttp});
    row("url space in host", u"target.url"_s, u"http://exa mple.com/"_s, {notHttp});
    row("url space in path", u"target.url"_s, u"http://127.0.0.1/a b"_s, {notHttp});
    row("url placeholder scheme", u"target.url"_s, u"{{scheme}}://127.0.0.1/"_s, {notHttp});
    row("url credentials", u"target.url"_s, u"http://user:secret@127.0.0.1/"_s,
        {u"target.url: must not contain a user name or password; use headersEnv for "
         u"credentials"_s});
    row("url unclosed placeholder", u"target.url"_s, u"http://127.0.0.1/_doc/{{id"_s,
        {u"target.url: unclosed placeholder \"{{id\""_s});
    row("url empty placeholder", u"target.url"_s, u"http://127.0.0.1/_doc/{{}}"_s,
        {u"target.url: empty placeholder \"{{}}\""_s});
    row("method GET", u"target.method"_s, u"GET"_s,
        {u"target.method: \"GET\" is not supported; supported methods: POST, PUT"_s});
    row("method patch", u"target.method"_s, u"patch"_s,
        {u"target.method: \"patch\" is not supported; supported methods: POST, PUT"_s});
    row("method number", u"target.method"_s, 1, {u"target.method: must be a string"_s});
    row("headers array", u"target.headers"_s, QJsonArray(),
        {u"target.headers: must be an object"_s});
    row("header number", u"target.headers.X-Count"_s, 5,
        {u"target.headers.X-Count: must be a string"_s});
    row("header name space", u"target.headers.Bad Name"_s, u"v"_s,
        {u"target.headers.Bad Name: not a valid HTTP header name"_s});
    row("header name colon", u"target.headers.X:"_s, u"v"_s,
        {u"target.headers.X:: not a valid HTTP header name"_s});
    row("header name empty", u"target.headers."_s, u"v"_s,
        {u"target.headers.: not a valid HTTP header name"_s});
    row("header value line break", u"target.headers.X-A"_s, u"a\r\nInjected: 1"_s,
        {u"target.headers.X-A: must not contain control characters such as line breaks"_s});
    row("header twice", u"target.headers"_s,
        QJsonObject {{u"Content-Type"_s, u"application/json"_s},
                     {u"content-type"_s, u"text/plain"_s}},
        {u"target.headers.content-type: "_s + DuplicateHeader});
    row("headersEnv string", u"target.headersEnv"_s, u"TOKEN"_s,
        {u"target.headersEnv: must be an object"_s});
    row("headersEnv number", u"target.headersEnv.Authorization"_s, 5,
        {u"target.headersEnv.Authorization: must be a string"_s});
    row("headersEnv bad variable", u"target.headersEnv.Authorization"_s, u"API-TOKEN"_s,
        {u"target.headersEnv.Authorization: \"API-TOKEN\" is not a valid environment variable "
         u"name "_s
         + NameRule});
    row("headersEnv bad name", u"target.headersEnv.a b"_s, u"TOKEN"_s,
        {u"target.headersEnv.a b: not a valid HTTP header name"_s});
    row("headersEnv also in headers", u"target.headersEnv.content-TYPE"_s, u"CT"_s,
        {u"target.headersEnv.content-TYPE: also set in target.headers"_s});
    row("headersKeychain string", u"target.headersKeychain"_s, u"token"_s,
        {u"target.headersKeychain: must be an object"_s});
    row("headersKeychain number", u"target.headersKeychain.Authorization"_s, 5,
        {u"target.headersKeychain.Authorization: must be a string"_s});
    row("headersKeychain empty entry", u"target.headersKeychain.Authorization"_s, u""_s,
        {u"target.headersKeychain.Authorization: \"\" is not a valid keychain entry name "_s
         + entryRule});
    row("headersKeychain bad name", u"target.headersKeychain.a b"_s, u"token"_s,
        {u"target.headersKeychain.a b: not a valid HTTP header name"_s});
    row("headersKeychain also in headers", u"target.headersKeychain.content-type"_s, u"ct"_s,
        {u"target.headersKeychain.content-type: also set in target.headers"_s});
    row("mode bulk", u"target.mode"_s, u"bulk"_s, {modeError(u"bulk"_s)});
    row("mode upper case", u"target.mode"_s, u"Item"_s, {modeError(u"Item"_s)});
    row("mode empty", u"target.mode"_s, u""_s, {modeError({})});
    row("mode number", u"target.mode"_s, 1, {u"target.mode: must be a string"_s});
    const QString url = u"http://127.0.0.1/items/{{id}}"_s;
    for (const QString &mode :
         {u"elasticsearch-bulk"_s, u"couchdb-bulk"_s, u"json-array"_s, u"ndjson"_s}) {
        const QByteArray name = mode.toUtf8();
        QTest::newRow(QByteArray(name + " with placeholders in the URL").constData())
            << u"target"_s << QJsonValue(QJsonObject {{u"url"_s, url}, {u"mode"_s, mode}})
            << QStringList {bulkUrlError(mode)};
        QTest::newRow(QByteArray(name + " with PUT").constData())
            << u"target"_s
            << QJsonValue(QJsonObject {{u"url"_s, u"http://127.0.0.1/_bulk"_s},
                                       {u"method"_s, u"put"_s},
                                       {u"mode"_s, mode}})
            << QStringList {bulkMethodError(mode)};
    }
    row("bulk: both", u"target"_s,
        QJsonObject {{u"url"_s, u"http://127.0.0.1/{{index}}/_bulk"_s},
                     {u"method"_s, u"PUT"_s},
                     {u"mode"_s, u"elasticsearch-bulk"_s}},
        {bulkUrlError(u"elasticsearch-bulk"_s), bulkMethodError(u"elasticsearch-bulk"_s)});
    // A field that is wrong on its own gets its own error, and no bulk one on top.
    row("bulk: broken placeholder", u"target"_s,
        QJsonObject {{u"url"_s, u"http://127.0.0.1/{{index/_bulk"_s}, {u"mode"_s, u"ndjson"_s}},
        {u"target.url: unclosed placeholder \"{{index/_bulk\""_s});
    row("bulk: method GET", u"target"_s,
        QJsonObject {{u"url"_s, u"http://127.0.0.1/_bulk"_s},
                     {u"method"_s, u"GET"_s},
                     {u"mode"_s, u"ndjson"_s}},
        {u"target.method: \"GET\" is not supported; supported methods: POST, PUT"_s});
    row("unknown mode: no bulk rules", u"target"_s,
        QJsonObject {{u"url"_s, url}, {u"method"_s, u"PUT"_s}, {u"mode"_s, u"batch"_s}},
        {modeError(u"batch"_s)});
    const int maxBatch = TargetSpec::MaxBatchSize;
    const int minBytes = 1024;
    const int maxBytes = 256 * 1024 * 1024;
    row("batchSize 0", u"target.batchSize"_s, 0,
        {rangeError(u"target.batchSize"_s, 1, maxBatch, u"0"_s)});
    row("batchSize above max", u"target.batchSize"_s, maxBatch + 1,
        {rangeError(u"target.batchSize"_s, 1, maxBatch, u"100001"_s)});
    row("batchSize real", u"target.batchSize"_s, 10.5,
        {rangeError(u"target.batchSize"_s, 1, maxBatch, u"10.5"_s)});
    row("batchSize string", u"target.batchSize"_s, u"100"_s,
        {rangeError(u"target.batchSize"_s, 1, maxBatch, u"\"100\""_s)});
    row("batchBytes below min", u"target.batchBytes"_s, minBytes - 1,
        {rangeError(u"target.batchBytes"_s, minBytes, maxBytes, u"1023"_s)});
    row("batchBytes above max", u"target.batchBytes"_s, maxBytes + 1,
        {rangeError(u"target.batchBytes"_s, minBytes, maxBytes, u"268435457"_s)});
    row("batchBytes with unit", u"target.batchBytes"_s, u"5MB"_s,
        {rangeError(u"target.batchBytes"_s, minBytes, maxBytes, u"\"5MB\""_s)});
    row("batchBytes null", u"target.batchBytes"_s, QJsonValue(),
        {rangeError(u"target.batchBytes"_s, minBytes, maxBytes, u"null"_s)});
    row("bulkAction upsert", u"target.bulkAction"_s, u"upsert"_s,
        {u"target.bulkAction: \"upsert\" is not supported; supported actions: index, create"_s});
    row("bulkAction upper case", u"target.bulkAction"_s, u"Index"_s,
        {u"target.bulkAction: \"Index\" is not supported; supported actions: index, create"_s});
    row("bulkAction number", u"target.bulkAction"_s, 1, {u"target.bulkAction: must be a string"_s});
    row("http2 h2c", u"target.http2"_s, u"h2c"_s,
        {u"target.http2: \"h2c\" is not supported; supported values: auto, prior-knowledge, "
         u"off"_s});
    row("http2 on", u"target.http2"_s, u"on"_s,
        {u"target.http2: \"on\" is not supported; supported values: auto, prior-knowledge, "
         u"off"_s});
    row("http2 bool", u"target.http2"_s, true, {u"target.http2: must be a string"_s});
    row("caFile number", u"target.caFile"_s, 1, {u"target.caFile: must be a string"_s});
    row("caFile array", u"target.caFile"_s, QJsonArray {u"a.pem"_s},
        {u"target.caFile: must be a string"_s});
    row("timeout 0", u"target.timeoutSeconds"_s, 0,
        {rangeError(u"target.timeoutSeconds"_s, 1, 3600, u"0"_s)});
    row("timeout 3601", u"target.timeoutSeconds"_s, 3601,
        {rangeError(u"target.timeoutSeconds"_s, 1, 3600, u"3601"_s)});
    row("timeout real", u"target.timeoutSeconds"_s, 1.5,
        {rangeError(u"target.timeoutSeconds"_s, 1, 3600, u"1.5"_s)});
    row("timeout string", u"target.timeoutSeconds"_s, u"30"_s,
        {rangeError(u"target.timeoutSeconds"_s, 1, 3600, u"\"30\""_s)});
    row("unknown target key", u"target.retries"_s, 3, {u"target.retries: unknown key"_s});

    // run
    const int maxChunk = RunSpec::MaxChunkSize;
    const int maxConcurrency = RunSpec::MaxConcurrency;
    const int maxRetries = RunSpec::MaxMaxRetries;
    row("run string", u"run"_s, u"fast"_s, {u"run: must be an object"_s});
    row("chunkSize 0", u"run.chunkSize"_s, 0,
        {rangeError(u"run.chunkSize"_s, 1, maxChunk, u"0"_s)});
    row("chunkSize above max", u"run.chunkSize"_s, maxChunk + 1,
        {rangeError(u"run.chunkSize"_s, 1, maxChunk, QString::number(maxChunk + 1))});
    row("chunkSize real", u"run.chunkSize"_s, 1.5,
        {rangeError(u"run.chunkSize"_s, 1, maxChunk, u"1.5"_s)});
    row("chunkSize string", u"run.chunkSize"_s, u"16"_s,
        {rangeError(u"run.chunkSize"_s, 1, maxChunk, u"\"16\""_s)});
    row("concurrency 0", u"run.concurrency"_s, 0,
        {rangeError(u"run.concurrency"_s, 1, maxConcurrency, u"0"_s)});
    row("concurrency above max", u"run.concurrency"_s, maxConcurrency + 1,
        {rangeError(u"run.concurrency"_s, 1, maxConcurrency, QString::number(maxConcurrency + 1))});
    row("concurrency string", u"run.concurrency"_s, u"16"_s,
        {rangeError(u"run.concurrency"_s, 1, maxConcurrency, u"\"16\""_s)});
    row("concurrency bool", u"run.concurrency"_s, true,
        {rangeError(u"run.concurrency"_s, 1, maxConcurrency, u"true"_s)});
    row("concurrency huge", u"run.concurrency"_s, 1e20,
        {rangeError(u"run.concurrency"_s, 1, maxConcurrency, u"1e+20"_s)});
    row("maxRetries negative", u"run.maxRetries"_s, -1,
        {rangeError(u"run.maxRetries"_s, 0, maxRetries, u"-1"_s)});
    row("maxRetries above max", u"run.maxRetries"_s, maxRetries + 1,
        {rangeError(u"run.maxRetries"_s, 0, maxRetries, QString::number(maxRetries + 1))});
    row("maxRetries real", u"run.maxRetries"_s, 2.5,
        {rangeError(u"run.maxRetries"_s, 0, maxRetries, u"2.5"_s)});
    row("rate negative", u"run.maxRequestsPerSecond"_s, -1, {rateError(u"-1"_s)});
    row("rate tiny negative", u"run.maxRequestsPerSecond"_s, -0.001, {rateError(u"-0.001"_s)});
    row("rate above max", u"run.maxRequestsPerSecond"_s, 1000001, {rateError(u"1000001"_s)});
    row("rate string", u"run.maxRequestsPerSecond"_s, u"10"_s, {rateError(u"\"10\""_s)});
    row("rate null", u"run.maxRequestsPerSecond"_s, QJsonValue(), {rateError(u"null"_s)});
    row("rate bool", u"run.maxRequestsPerSecond"_s, false, {rateError(u"false"_s)});
    row("maxRetries object", u"run.maxRetries"_s, QJsonObject(),
        {rangeError(u"run.maxRetries"_s, 0, maxRetries, u"an object"_s)});
    row("unknown run key", u"run.rate"_s, 100, {u"run.rate: unknown key"_s});

    // Status classes, the idempotency key, stopping after failures.
    const QString shape = uR"( is not a status, a class like "5xx" or a range like "500-504")"_s;
    row("retryStatuses bad class", u"target.retryStatuses"_s, QJsonArray {408, u"5xx"_s, u"5x"_s},
        {u"target.retryStatuses[2]: \"5x\""_s + shape});
    row("successStatuses two bad", u"target.successStatuses"_s, QJsonArray {u"2xx"_s, 600, true},
        {u"target.successStatuses[1]: 600 is not an HTTP status (100 to 599)"_s,
         uR"(target.successStatuses[2]: must be a status (404), a class ("4xx") or a range ("500-504"))"_s});
    row("successStatuses backwards range", u"target.successStatuses"_s, QJsonArray {u"204-200"_s},
        {uR"(target.successStatuses[0]: "204-200" is not a range: its first status is above its last)"_s});
    row("successStatuses not an array", u"target.successStatuses"_s, u"2xx"_s,
        {uR"(target.successStatuses: must be an array of statuses (404), classes ("4xx") or ranges ("500-504"))"_s});
    row("successStatuses empty", u"target.successStatuses"_s, QJsonArray(),
        {u"target.successStatuses: must list at least one status"_s});
    row("idempotencyKey number", u"target.idempotencyKey"_s, 7,
        {u"target.idempotencyKey: must be a string"_s});
    row("idempotencyKey unclosed", u"target.idempotencyKey"_s, u"{{id"_s,
        {u"target.idempotencyKey: unclosed placeholder \"{{id\""_s});
    const int maxStop = RunSpec::MaxStopAfterFailures;
    row("stopAfterFailures 0", u"run.stopAfterFailures"_s, 0,
        {rangeError(u"run.stopAfterFailures"_s, 1, maxStop, u"0"_s)});
    row("stopAfterFailures real", u"run.stopAfterFailures"_s, 2.5,
        {rangeError(u"run.stopAfterFailures"_s, 1, maxStop, u"2.5"_s)});
    row("stopAfterFailures string", u"run.stopAfterFailures"_s, u"10"_s,
        {rangeError(u"run.stopAfterFailures"_s, 1, maxStop, u"\"10\""_s)});
}

void tst_TransferSpec::invalidDocuments()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QStringList, expected);

    // Start from the full example so every section is present and valid.
    QJsonObject json = parse(DesignExample);
    setAt(json, path.split(u'.'), value);

    TransferSpec spec;
    spec.query.sql = u"untouched"_s;
    const TransferSpec before = spec;
    QList<SpecError> errors;
    QVERIFY(!TransferSpec::fromJson(text(json), &spec, &errors));
    QCOMPARE(strings(errors), expected);
    QCOMPARE(spec, before); // a failed parse leaves the caller's spec alone
}

void tst_TransferSpec::multipleErrors()
{
    QJsonObject json = parse(DesignExample);
    setAt(json, {u"version"_s}, u"1"_s);
    setAt(json, {u"extra"_s}, true);
    setAt(json, {u"source"_s, u"password"_s}, u"hunter2"_s);
    setAt(json, {u"source"_s, u"port"_s}, 0);
    setAt(json, {u"query"_s, u"sql"_s}, u""_s);
    setAt(json, {u"transform"_s, u"key"_s}, u"{{id"_s);
    setAt(json, {u"target"_s, u"url"_s}, u"ftp://127.0.0.1/"_s);
    setAt(json, {u"target"_s, u"mode"_s}, u"bulk"_s);
    setAt(json, {u"run"_s, u"concurrency"_s}, 0);

    QList<SpecError> errors;
    QVERIFY(!TransferSpec::fromJson(text(json), nullptr, &errors));
    const QStringList expected {
        u"version: must be an integer"_s,
        u"extra: unknown key"_s,
        u"source.password: passwords are never stored in a transfer file; use passwordEnv "
        u"(an environment variable), passwordKeychain (an entry in the OS keychain) or "
        u"askPassword"_s,
        rangeError(u"source.port"_s, 1, 65535, u"0"_s),
        u"query.sql: is required"_s,
        u"transform.key: unclosed placeholder \"{{id\""_s,
        u"target.url: not an absolute http(s) URL"_s,
        modeError(u"bulk"_s),
        rangeError(u"run.concurrency"_s, 1, RunSpec::MaxConcurrency, u"0"_s),
    };
    QCOMPARE(strings(errors), expected);
    // Paths and messages are kept apart for the GUI.
    QCOMPARE(errors.at(3).path, u"source.port"_s);
    QCOMPARE(errors.at(3).message, u"must be an integer from 1 to 65535, not 0"_s);
}

void tst_TransferSpec::unsupportedVersionHidesTheRest()
{
    QJsonObject json = parse(DesignExample);
    setAt(json, {u"version"_s}, 3);
    setAt(json, {u"bulk"_s}, QJsonObject());
    setAt(json, {u"source"_s}, QJsonValue(QJsonValue::Undefined));
    QList<SpecError> errors;
    QVERIFY(!TransferSpec::fromJson(text(json), nullptr, &errors));
    QCOMPARE(strings(errors),
             QStringList {u"version: unsupported version 3; this Sluice reads version 1"_s});
}

void tst_TransferSpec::nullOutputs()
{
    QVERIFY(TransferSpec::fromJson((DesignExample), nullptr, nullptr));
    QVERIFY(!TransferSpec::fromJson(text(QJsonObject()), nullptr, nullptr));

    // errors is replaced, not appended to.
    QList<SpecError> errors {{u"old"_s, u"stale"_s}};
    QVERIFY(TransferSpec::fromJson((DesignExample), nullptr, &errors));
    QVERIFY(errors.isEmpty());

    QCOMPARE((SpecError {u"a.b"_s, u"bad"_s}).toString(), u"a.b: bad"_s);
    QCOMPARE((SpecError {QString(), u"bad file"_s}).toString(), u"bad file"_s);
}

void tst_TransferSpec::loadMissingOrUnreadable()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString &fileName : {dir.filePath(u"missing.json"_s), dir.path()}) {
        QFile probe(fileName);
        QVERIFY(!probe.open(QIODevice::ReadOnly));
        const QString reason = probe.errorString();
        QVERIFY(!reason.isEmpty());

        TransferSpec spec;
        QList<SpecError> errors;
        QVERIFY(!TransferSpec::load(fileName, &spec, &errors));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().path, QString());
        QCOMPARE(errors.first().message, u"cannot read "_s + fileName + u": "_s + reason);
        QCOMPARE(spec, TransferSpec());
    }
}

void tst_TransferSpec::loadBrokenJson_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    // The same reader and words as the Transform step's editor: the position is where the
    // text is best fixed (a missing comma right after the value it should follow).
    QTest::newRow("missing comma") << QByteArray("{\n  \"version\": 1\n  \"source\": {}\n}") << 2
                                   << 15 << u"missing comma (or a } to close the object)"_s;
    const QString notAValue = u"not a JSON value (text needs double quotes; true, false and "
                              u"null are written in lower case)"_s;
    QTest::newRow("bad literal") << QByteArray("{\"a\": tru}") << 1 << 7 << notAValue;
    QTest::newRow("columns count characters")
        << QByteArray("{\"\xc3\xbc\": tru}") << 1 << 7 << notAValue;
    QTest::newRow("trailing comma")
        << QByteArray("{\"a\": 1,\n}") << 2 << 1
        << u"a comma is followed by nothing (JSON allows no comma before } or ])"_s;
    QTest::newRow("missing array separator") << QByteArray("{\n  \"a\": [1 2]\n}") << 2 << 10
                                             << u"missing comma (or a ] to close the array)"_s;
    QTest::newRow("empty file") << QByteArray() << 1 << 1
                                << u"there is no JSON value: the text is empty"_s;
    // QJsonDocument would keep the last one silently; which one the steward meant is unclear.
    QTest::newRow("a name twice") << QByteArray("{\n  \"version\": 1,\n  \"version\": 2\n}") << 3
                                  << 3 << u"\"version\" is given twice in the same object"_s;
}

void tst_TransferSpec::loadBrokenJson()
{
    QFETCH(QByteArray, content);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(u"broken.json"_s);
    QVERIFY(writeFile(fileName, content));

    QList<SpecError> errors;
    QVERIFY(!TransferSpec::load(fileName, nullptr, &errors));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().path, QString());
    QCOMPARE(errors.first().section(), SpecSection::File);
    QCOMPARE(
        errors.first().message,
        u"%1: not valid JSON at line %2, column %3: %4"_s.arg(fileName).arg(line).arg(column).arg(
            message));
}

void tst_TransferSpec::loadNonObject()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(u"array.json"_s);
    QVERIFY(writeFile(fileName, "[" + DesignExample + "]"));
    QList<SpecError> errors;
    QVERIFY(!TransferSpec::load(fileName, nullptr, &errors));
    QCOMPARE(strings(errors), QStringList {fileName + u": the top level must be a JSON object"_s});
}

void tst_TransferSpec::loadSetsBaseDir()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir(u"transfers"_s));
    const QString fileName = dir.filePath(u"transfers/sensors.json"_s);
    QVERIFY(writeFile(fileName, DesignExample));

    TransferSpec expected;
    QVERIFY(
        TransferSpec::fromJson((DesignExample), &expected, nullptr, dir.filePath(u"transfers"_s)));

    // An absolute and a relative file name give the same absolute folder.
    for (const QString &name : {fileName, QDir::current().relativeFilePath(fileName)}) {
        TransferSpec spec;
        QList<SpecError> errors;
        QVERIFY(TransferSpec::load(name, &spec, &errors));
        QCOMPARE(strings(errors), QStringList());
        QCOMPARE(spec.source.baseDir, dir.filePath(u"transfers"_s));
        QCOMPARE(spec.source.resolvedDatabase(), dir.filePath(u"transfers/sensors.db"_s));
        QCOMPARE(spec, expected);
    }

    // Errors in a file keep their JSON paths.
    QJsonObject json = parse(DesignExample);
    setAt(json, {u"run"_s, u"chunkSize"_s}, 0);
    QVERIFY(writeFile(fileName, QJsonDocument(json).toJson()));
    QList<SpecError> errors;
    QVERIFY(!TransferSpec::load(fileName, nullptr, &errors));
    QCOMPARE(strings(errors),
             QStringList {rangeError(u"run.chunkSize"_s, 1, RunSpec::MaxChunkSize, u"0"_s)});
}

void tst_TransferSpec::movedToKeepsTheSameFiles()
{
    // A transfer in /t/a with sensors.db and certs/ca.pem beside it, saved in other folders.
    const QString root = QDir::cleanPath(QDir::tempPath() + u"/t"_s);
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = u"data/sensors.db"_s;
    spec.source.baseDir = root + u"/a"_s;
    spec.target.caFile = u"certs/ca.pem"_s;

    // Elsewhere: absolute paths to the same files (never "../", which breaks when one moves).
    TransferSpec moved = spec.movedTo(root + u"/b"_s);
    QCOMPARE(moved.source.baseDir, root + u"/b"_s);
    QCOMPARE(moved.source.database, root + u"/a/data/sensors.db"_s);
    QCOMPARE(moved.target.caFile, root + u"/a/certs/ca.pem"_s);
    QCOMPARE(moved.source.resolvedDatabase(), spec.source.resolvedDatabase());
    QCOMPARE(resolvedCaFile(moved), resolvedCaFile(spec));
    // Everything else is left alone.
    moved.source.database = spec.source.database;
    moved.source.baseDir = spec.source.baseDir;
    moved.target.caFile = spec.target.caFile;
    QCOMPARE(moved, spec);

    // Into a folder that holds the files: relative to it.
    moved = spec.movedTo(root + u"/a/data"_s);
    QCOMPARE(moved.source.database, u"sensors.db"_s);
    QCOMPARE(moved.target.caFile, root + u"/a/certs/ca.pem"_s);
    QCOMPARE(moved.source.resolvedDatabase(), spec.source.resolvedDatabase());

    // Never saved: relative paths are relative to the working folder (where a run opens them).
    TransferSpec untitled = spec;
    untitled.source.baseDir.clear();
    moved = untitled.movedTo(root + u"/b"_s);
    QCOMPARE(moved.source.database, QDir::current().absoluteFilePath(u"data/sensors.db"_s));
    QCOMPARE(moved.target.caFile, QDir::current().absoluteFilePath(u"certs/ca.pem"_s));

    // Absolute paths stay unless the new folder holds them (then relative, as Browse… makes
    // them); SQLite's in-memory database and URIs, and other drivers' names stay.
    TransferSpec fixed = spec;
    fixed.source.database = root + u"/x.db"_s;
    fixed.target.caFile = root + u"/b/ca.pem"_s;
    QCOMPARE(fixed.movedTo(root + u"/b"_s).source.database, fixed.source.database);
    QCOMPARE(fixed.movedTo(root + u"/b"_s).target.caFile, u"ca.pem"_s);
    for (const QString &special : {u":memory:"_s, u"file:data.db?mode=ro"_s}) {
        fixed.source.database = special;
        QCOMPARE(fixed.movedTo(root + u"/b"_s).source.database, special);
    }
    fixed.source.driver = u"QPSQL"_s;
    fixed.source.database = u"sensors"_s;
    QCOMPARE(fixed.movedTo(root + u"/b"_s).source.database, u"sensors"_s);
}

void tst_TransferSpec::toJsonDefaultsAndOmissions()
{
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = u"data.db"_s;
    spec.source.baseDir = u"/somewhere"_s;
    spec.query.sql = u"SELECT 1"_s;
    spec.target.url = u"http://127.0.0.1/items"_s;
    spec.transform.key = u"{{id}}"_s; // ignored: transform.present is false

    const QJsonObject json = QJsonDocument::fromJson(spec.toJson()).object();
    QCOMPARE(json.value(u"version"_s), QJsonValue(1));
    QCOMPARE(json.value(u"source"_s).toObject(),
             (QJsonObject {{u"driver"_s, u"QSQLITE"_s}, {u"database"_s, u"data.db"_s}}));
    QCOMPARE(json.value(u"query"_s).toObject(),
             (QJsonObject {{u"sql"_s, u"SELECT 1"_s}, {u"parameters"_s, QJsonObject()}}));
    QVERIFY(!json.contains(u"transform"_s));
    QCOMPARE(json.value(u"target"_s).toObject(),
             (QJsonObject {{u"url"_s, u"http://127.0.0.1/items"_s},
                           {u"method"_s, u"POST"_s},
                           {u"headers"_s, QJsonObject()},
                           {u"mode"_s, u"item"_s},
                           {u"batchSize"_s, 1000},
                           {u"batchBytes"_s, 5 * 1024 * 1024},
                           {u"bulkAction"_s, u"index"_s},
                           {u"http2"_s, u"auto"_s},
                           {u"timeoutSeconds"_s, 30}}));
    QCOMPARE(json.value(u"run"_s).toObject(),
             (QJsonObject {{u"chunkSize"_s, RunSpec::DefaultChunkSize},
                           {u"concurrency"_s, RunSpec::DefaultConcurrency},
                           {u"maxRetries"_s, RunSpec::DefaultMaxRetries},
                           {u"maxRequestsPerSecond"_s, 0}}));
    QCOMPARE(json.keys(),
             (QStringList {u"query"_s, u"run"_s, u"source"_s, u"target"_s, u"version"_s}));

    // Set fields appear, typed; the key is omitted when empty.
    spec.source.port = 5432;
    spec.source.askPassword = true;
    spec.transform.present = true;
    spec.transform.key.clear();
    spec.transform.templ = R"(["{{id}}"])";
    spec.target.headersEnv = {{u"Authorization"_s, u"TOKEN"_s}};
    spec.target.caFile = u"ca.pem"_s;
    const QJsonObject set = QJsonDocument::fromJson(spec.toJson()).object();
    QCOMPARE(set.value(u"target"_s).toObject().value(u"caFile"_s), QJsonValue(u"ca.pem"_s));
    QCOMPARE(set.value(u"source"_s).toObject().value(u"port"_s), QJsonValue(5432));
    QCOMPARE(set.value(u"source"_s).toObject().value(u"askPassword"_s), QJsonValue(true));
    QCOMPARE(set.value(u"transform"_s).toObject(),
             (QJsonObject {{u"template"_s, QJsonArray {u"{{id}}"_s}}}));
    QCOMPARE(set.value(u"target"_s).toObject().value(u"headersEnv"_s).toObject(),
             (QJsonObject {{u"Authorization"_s, u"TOKEN"_s}}));

    // Every integer type is written as a number, unsigned ones past 2^63 too (the parser
    // then names the parameter rather than reading a string).
    spec.query.parameters = {{u"u"_s, std::numeric_limits<qulonglong>::max()}, {u"i"_s, int(-4)}};
    const QByteArray text = spec.toJson();
    QVERIFY2(text.contains(R"("parameters":{"i":-4,"u":18446744073709551615})"), text.constData());
}

void tst_TransferSpec::toJsonKeyOrder()
{
    // docs/design.md's order: the mode, then what shapes a batch, then the connection.
    TransferSpec spec = bulkSpec(TargetMode::ElasticsearchBulk);
    spec.target.headers.clear();
    spec.target.headersEnv.clear();
    const QByteArray text = spec.toJson();
    const QByteArray target
        = R"("target":{"url":"https://127.0.0.1:9200/sensors/_bulk?refresh=false",)"
          R"("method":"POST","headers":{},"mode":"elasticsearch-bulk","batchSize":250,)"
          R"("batchBytes":65536,"bulkAction":"create","http2":"prior-knowledge",)"
          R"("caFile":"certs/corporate ca.pem","timeoutSeconds":90})";
    QVERIFY2(text.contains(target), text.constData());
    const QByteArray run
        = R"("run":{"chunkSize":250,"concurrency":64,"maxRetries":0,"maxRequestsPerSecond":12.5})";
    QVERIFY2(text.endsWith(QByteArray(run + '}')), text.constData());
}

void tst_TransferSpec::toJsonShardKeyLast()
{
    // source.shardKey comes last in source, only when set.
    TransferSpec spec;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::fromJson(MinimalDocument, &spec, &errors));
    QVERIFY(!spec.toJson().contains("shardKey"));
    spec.source.options = u"QSQLITE_BUSY_TIMEOUT=100"_s;
    spec.source.shardKey = {u"site"_s, ShardKey::Type::Text};
    const QByteArray source
        = R"("source":{"driver":"QSQLITE","database":"data.db","options":"QSQLITE_BUSY_TIMEOUT=100",)"
          R"("shardKey":{"column":"site","type":"text"}},)";
    QVERIFY2(spec.toJson().contains(source), spec.toJson().constData());
}

void tst_TransferSpec::toJsonRate_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<QByteArray>("literal");

    // A whole number reads as the count the steward typed, not as 10.0.
    QTest::newRow("no cap") << 0.0 << QByteArray("0");
    QTest::newRow("negative zero") << -0.0 << QByteArray("0");
    QTest::newRow("whole") << 10.0 << QByteArray("10");
    QTest::newRow("max") << 1e6 << QByteArray("1000000");
    QTest::newRow("fraction") << 0.5 << QByteArray("0.5");
    QTest::newRow("shortest") << 0.1 << QByteArray("0.1");
    QTest::newRow("past 2^53") << 1e300 << QByteArray("1e+300");
    QTest::newRow("not a number") << std::numeric_limits<double>::quiet_NaN() << QByteArray("null");
    QTest::newRow("infinite") << std::numeric_limits<double>::infinity() << QByteArray("null");
}

void tst_TransferSpec::toJsonRate()
{
    QFETCH(double, rate);
    QFETCH(QByteArray, literal);
    TransferSpec spec = fullSpec();
    spec.run.maxRequestsPerSecond = rate;
    const QByteArray text = spec.toJson();
    const QByteArray member = R"("maxRequestsPerSecond":)" + literal + '}';
    QVERIFY2(text.contains(member), text.constData());
}

void tst_TransferSpec::saveLoadRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(u"full.json"_s);

    TransferSpec spec = fullSpec();
    QCOMPARE(strings(spec.validate()), QStringList());
    spec.source.baseDir = u"/not/written"_s;
    QString error;
    QVERIFY2(spec.save(fileName, &error), qPrintable(error));
    QVERIFY(error.isEmpty());

    TransferSpec loaded;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::load(fileName, &loaded, &errors));
    QCOMPARE(strings(errors), QStringList());
    QCOMPARE(loaded.source.baseDir, dir.path());
    spec.source.baseDir = dir.path();
    QCOMPARE(loaded.query.parameters, spec.query.parameters);
    for (auto it = spec.query.parameters.cbegin(); it != spec.query.parameters.cend(); ++it)
        QCOMPARE(loaded.query.parameters.value(it.key()).metaType(), it.value().metaType());
    QCOMPARE(loaded.transform.templ, spec.transform.templ);
    QCOMPARE(loaded, spec);

    // The file is indented, typed and holds no base folder.
    QFile file(fileName);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("\n    \"version\": 1"));
    QVERIFY(text.contains("\"level\": -3"));
    QVERIFY(text.contains("\"ratio\": 0.25"));
    QVERIFY(text.contains("\"nothing\": null"));
    QVERIFY(!text.contains("baseDir"));
    QVERIFY(!text.contains("/not/written"));

    // Saving again over the file works and changes nothing.
    QVERIFY(loaded.save(fileName, &error));
    TransferSpec again;
    QVERIFY(TransferSpec::load(fileName, &again, &errors));
    QCOMPARE(again, spec);
}

void tst_TransferSpec::saveLoadNewFields_data()
{
    QTest::addColumn<TransferSpec>("spec");

    for (const TargetMode mode : allTargetModes()) {
        const TransferSpec spec = mode == TargetMode::Item ? fullSpec() : bulkSpec(mode);
        QTest::newRow(qPrintable(u"mode "_s + targetModeName(mode))) << spec;
    }
    TransferSpec spec = bulkSpec(TargetMode::ElasticsearchBulk);
    for (const Http2Mode http2 : {Http2Mode::Auto, Http2Mode::PriorKnowledge, Http2Mode::Off}) {
        spec.target.http2 = http2;
        QTest::newRow(qPrintable(u"http2 "_s + http2ModeName(http2))) << spec;
    }
    for (const BulkAction action : {BulkAction::Index, BulkAction::Create}) {
        spec.target.bulkAction = action;
        QTest::newRow(qPrintable(u"bulkAction "_s + bulkActionName(action))) << spec;
    }
    spec.target.batchSize = 1;
    spec.target.batchBytes = TargetSpec::MinBatchBytes;
    QTest::newRow("smallest batches") << spec;
    spec.target.batchSize = TargetSpec::MaxBatchSize;
    spec.target.batchBytes = TargetSpec::MaxBatchBytes;
    QTest::newRow("largest batches") << spec;
    for (const QString &caFile : {QString(), u"/etc/ssl/ca.pem"_s, u"../ca ü.pem"_s}) {
        spec.target.caFile = caFile;
        QTest::newRow(qPrintable(u"caFile \""_s + caFile + u'"')) << spec;
    }
    for (const double rate : {0.0, 0.001, 1.0 / 3.0, 2.5, 100.0, 1e6}) {
        spec.run.maxRequestsPerSecond = rate;
        QTest::newRow(qPrintable(u"rate %1"_s.arg(rate))) << spec;
    }
    // source.shardKey is kept however the rest was built (the GUI does not edit it).
    spec.source.shardKey = {u"id"_s, ShardKey::Type::Integer};
    QTest::newRow("shardKey integer") << spec;
    spec.source.shardKey = {u"Ort \"Süd\""_s, ShardKey::Type::Text};
    QTest::newRow("shardKey text") << spec;
}

void tst_TransferSpec::saveLoadNewFields()
{
    QFETCH(TransferSpec, spec);
    QCOMPARE(strings(spec.validate()), QStringList());

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    spec.source.baseDir = dir.path();
    const QString fileName = dir.filePath(u"transfer.json"_s);
    QString error;
    QVERIFY2(spec.save(fileName, &error), qPrintable(error));
    TransferSpec loaded;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::load(fileName, &loaded, &errors));
    QCOMPARE(strings(errors), QStringList());
    QCOMPARE(loaded.target, spec.target);
    QCOMPARE(loaded.run, spec.run);
    QCOMPARE(loaded, spec);
}

void tst_TransferSpec::namesOfModes()
{
    // The names are the file's words; each reads back as itself.
    const QStringList names {u"item"_s, u"elasticsearch-bulk"_s, u"couchdb-bulk"_s, u"json-array"_s,
                             u"ndjson"_s};
    QCOMPARE(allTargetModes().size(), names.size());
    for (qsizetype i = 0; i < names.size(); ++i) {
        const TargetMode mode = allTargetModes().at(i);
        QCOMPARE(targetModeName(mode), names.at(i));
        QCOMPARE(targetModeFromName(names.at(i)), std::optional(mode));
        QCOMPARE(isBulk(mode), mode != TargetMode::Item);
    }
    QCOMPARE(targetModeFromName(u"bulk"), std::nullopt);
    for (const Http2Mode mode : {Http2Mode::Auto, Http2Mode::PriorKnowledge, Http2Mode::Off})
        QCOMPARE(http2ModeFromName(http2ModeName(mode)), std::optional(mode));
    QCOMPARE(http2ModeFromName(u"on"), std::nullopt);
    for (const BulkAction action : {BulkAction::Index, BulkAction::Create})
        QCOMPARE(bulkActionFromName(bulkActionName(action)), std::optional(action));
    QCOMPARE(bulkActionFromName(u"upsert"), std::nullopt);
}

void tst_TransferSpec::saveLoadDesignExample()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    TransferSpec spec;
    QVERIFY(TransferSpec::fromJson((DesignExample), &spec, nullptr, dir.path()));
    const QString fileName = dir.filePath(u"example.json"_s);
    QVERIFY(spec.save(fileName, nullptr));
    TransferSpec loaded;
    QVERIFY(TransferSpec::load(fileName, &loaded, nullptr));
    QCOMPARE(loaded, spec);
    // Relative SQLite paths stay relative in the file.
    QCOMPARE(loaded.source.database, u"sensors.db"_s);
}

void tst_TransferSpec::saveError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(u"no/such/folder/x.json"_s);
    QString error;
    QVERIFY(!fullSpec().save(fileName, &error));
    QVERIFY2(error.startsWith(u"cannot write "_s + fileName + u": "_s), qPrintable(error));
    QVERIFY(error.size() > (u"cannot write "_s + fileName + u": "_s).size());
    QVERIFY(!QFile::exists(fileName));
    QVERIFY(!fullSpec().save(fileName, nullptr));
}

void tst_TransferSpec::validateBuiltInCode()
{
    struct Case
    {
        const char *name;
        std::function<void(TransferSpec &)> change;
        QStringList expected;
    };
    const QList<Case> cases {
        {"valid", [](TransferSpec &) {}, {}},
        {"method in lower case", [](TransferSpec &s) { s.target.method = u"put"_s; }, {}},
        {"no driver",
         [](TransferSpec &s) { s.source.driver.clear(); },
         {u"source.driver: is required"_s}},
        {"QSQLITE without database",
         [](TransferSpec &s) {
             s.source.driver = u"QSQLITE"_s;
             s.source.database.clear();
         },
         {u"source.database: is required for QSQLITE"_s}},
        {"port 0",
         [](TransferSpec &s) { s.source.port = 0; },
         {rangeError(u"source.port"_s, 1, 65535, u"0"_s)}},
        {"passwordEnv and askPassword",
         [](TransferSpec &s) { s.source.askPassword = true; },
         {u"source: use either passwordEnv or askPassword, not both"_s}},
        {"bad passwordEnv",
         [](TransferSpec &s) { s.source.passwordEnv = u"A B"_s; },
         {u"source.passwordEnv: \"A B\" is not a valid environment variable name "_s + NameRule}},
        {"no sql", [](TransferSpec &s) { s.query.sql.clear(); }, {u"query.sql: is required"_s}},
        {"bad parameter",
         [](TransferSpec &s) {
             s.query.parameters.insert(u"1x"_s, QVariantList {1, 2});
         },
         {u"query.parameters.1x: not a valid parameter name "_s + NameRule,
          u"query.parameters.1x: must be a string, number, boolean or null"_s}},
        {"no template",
         [](TransferSpec &s) { s.transform.templ.clear(); },
         {u"transform.template: is required"_s}},
        {"bad key",
         [](TransferSpec &s) { s.transform.key = u"{{"_s; },
         {u"transform.key: unclosed placeholder \"{{\""_s}},
        {"no url", [](TransferSpec &s) { s.target.url.clear(); }, {u"target.url: is required"_s}},
        {"relative url",
         [](TransferSpec &s) { s.target.url = u"/x/{{id}}"_s; },
         {u"target.url: not an absolute http(s) URL"_s}},
        {"method GET",
         [](TransferSpec &s) { s.target.method = u"GET"_s; },
         {u"target.method: \"GET\" is not supported; supported methods: POST, PUT"_s}},
        {"same header twice",
         [](TransferSpec &s) {
             s.target.headers = {{u"X-A"_s, u"1"_s}, {u"X-A"_s, u"2"_s}};
         },
         {u"target.headers.X-A: "_s + DuplicateHeader}},
        {"same header, other case",
         [](TransferSpec &s) {
             s.target.headers = {{u"x-a"_s, u"1"_s}, {u"X-A"_s, u"2"_s}};
         },
         // Headers keep their order, so the later one is named.
         {u"target.headers.X-A: "_s + DuplicateHeader}},
        {"same headersEnv twice",
         [](TransferSpec &s) {
             s.target.headersEnv.append({u"X-Api-Key"_s, u"OTHER_KEY"_s});
         },
         {u"target.headersEnv.X-Api-Key: "_s + DuplicateHeader}},
        {"header in both lists",
         [](TransferSpec &s) {
             s.target.headersEnv.append({u"Accept"_s, u"ACCEPT"_s});
         },
         {u"target.headersEnv.Accept: also set in target.headers"_s}},
        {"bad header name",
         [](TransferSpec &s) {
             s.target.headers.append({u"X Y"_s, u"1"_s});
         },
         {u"target.headers.X Y: not a valid HTTP header name"_s}},
        {"timeout 0",
         [](TransferSpec &s) { s.target.timeoutSeconds = 0; },
         {rangeError(u"target.timeoutSeconds"_s, 1, 3600, u"0"_s)}},
        {"mode outside the enum",
         [](TransferSpec &s) { s.target.mode = static_cast<TargetMode>(99); },
         {modeError({})}},
        {"elasticsearch-bulk with the item URL and PUT",
         [](TransferSpec &s) { s.target.mode = TargetMode::ElasticsearchBulk; },
         {bulkUrlError(u"elasticsearch-bulk"_s), bulkMethodError(u"elasticsearch-bulk"_s)}},
        {"couchdb-bulk with PUT",
         [](TransferSpec &s) {
             s = bulkSpec(TargetMode::CouchdbBulk);
             s.target.method = u"put"_s;
         },
         {bulkMethodError(u"couchdb-bulk"_s)}},
        {"ndjson with placeholders",
         [](TransferSpec &s) {
             s = bulkSpec(TargetMode::Ndjson);
             s.target.url = u"http://127.0.0.1/{{site}}"_s;
         },
         {bulkUrlError(u"ndjson"_s)}},
        {"json-array as it should be",
         [](TransferSpec &s) { s = bulkSpec(TargetMode::JsonArray); },
         {}},
        {"batch limits",
         [](TransferSpec &s) {
             s.target.batchSize = 0;
             s.target.batchBytes = qint64(5) * 1024 * 1024 * 1024;
         },
         {rangeError(u"target.batchSize"_s, 1, TargetSpec::MaxBatchSize, u"0"_s),
          rangeError(u"target.batchBytes"_s, 1024, 256 * 1024 * 1024, u"5368709120"_s)}},
        {"bulkAction outside the enum",
         [](TransferSpec &s) { s.target.bulkAction = static_cast<BulkAction>(7); },
         {}}, // any value but Create is written as "index"
        {"http2 outside the enum",
         [](TransferSpec &s) { s.target.http2 = static_cast<Http2Mode>(7); },
         {u"target.http2: \"\" is not supported; supported values: auto, prior-knowledge, "
          u"off"_s}},
        {"rate negative",
         [](TransferSpec &s) { s.run.maxRequestsPerSecond = -0.5; },
         {rateError(u"-0.5"_s)}},
        {"rate above max",
         [](TransferSpec &s) { s.run.maxRequestsPerSecond = 1e6 + 0.5; },
         {rateError(u"1000000.5"_s)}},
        {"rate not a number",
         [](TransferSpec &s) {
             s.run.maxRequestsPerSecond = std::numeric_limits<double>::quiet_NaN();
         },
         {rateError(u"null"_s)}},
        {"rate infinite",
         [](TransferSpec &s) {
             s.run.maxRequestsPerSecond = std::numeric_limits<double>::infinity();
         },
         {rateError(u"null"_s)}},
        {"run out of range",
         [](TransferSpec &s) {
             s.run.chunkSize = RunSpec::MaxChunkSize + 1;
             s.run.concurrency = 0;
             s.run.maxRetries = -1;
         },
         {rangeError(u"run.chunkSize"_s, 1, RunSpec::MaxChunkSize,
                     QString::number(RunSpec::MaxChunkSize + 1)),
          rangeError(u"run.concurrency"_s, 1, RunSpec::MaxConcurrency, u"0"_s),
          rangeError(u"run.maxRetries"_s, 0, RunSpec::MaxMaxRetries, u"-1"_s)}},
    };
    for (const Case &c : cases) {
        TransferSpec spec = fullSpec();
        c.change(spec);
        const TransferSpec before = spec;
        const QStringList actual = strings(spec.validate());
        QVERIFY2(actual == c.expected,
                 qPrintable(QString::fromUtf8(c.name) + u": got ["_s + actual.join(u" | "_s)
                            + u"], expected ["_s + c.expected.join(u" | "_s) + u']'));
        // validate() is const in effect too (a NaN rate equals nothing, not even itself).
        if (!std::isnan(before.run.maxRequestsPerSecond))
            QCOMPARE(spec, before);
        QCOMPARE(spec.toJson(), before.toJson());
    }
}

void tst_TransferSpec::statusesInBothLists()
{
    QJsonObject json = parse(DesignExample);
    setAt(json, {u"target"_s, u"successStatuses"_s}, QJsonArray {u"2xx"_s, 409, u"500-503"_s});
    setAt(json, {u"target"_s, u"retryStatuses"_s}, QJsonArray {429, u"5xx"_s});
    QList<SpecError> errors;
    QVERIFY(!TransferSpec::fromJson(text(json), nullptr, &errors));
    QCOMPARE(strings(errors),
             QStringList {u"target.retryStatuses: 500 is also in target.successStatuses; a "
                          u"status is either delivered or retried"_s});
}

void tst_TransferSpec::statusesAndStopAreRead()
{
    QJsonObject json = parse(DesignExample);
    setAt(json, {u"target"_s, u"successStatuses"_s}, QJsonArray {u"2xx"_s, 409});
    setAt(json, {u"target"_s, u"retryStatuses"_s}, QJsonArray());
    setAt(json, {u"target"_s, u"idempotencyKey"_s}, u"sensor-{{id}}"_s);
    setAt(json, {u"run"_s, u"stopAfterFailures"_s}, 10);
    TransferSpec spec;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::fromJson(text(json), &spec, &errors));
    QCOMPARE(strings(errors), QStringList());
    QVERIFY(spec.target.successStatuses);
    QCOMPARE(statusListText(*spec.target.successStatuses), u"2xx, 409"_s);
    QVERIFY(spec.target.retryStatuses); // set, and empty: no status is retried
    QVERIFY(spec.target.retryStatuses->isEmpty());
    QCOMPARE(spec.target.statusClasses().classify(409), StatusClass::Delivered);
    QCOMPARE(spec.target.statusClasses().classify(503), StatusClass::Fail);
    QCOMPARE(spec.target.idempotencyKey, u"sensor-{{id}}"_s);
    QCOMPARE(spec.run.stopAfterFailures, 10);

    // Written back in their places, in the forms given.
    const QByteArray out = spec.toJson();
    QVERIFY2(out.contains(R"("headers":{"Content-Type":"application/json"},)"
                          R"("idempotencyKey":"sensor-{{id}}","mode":"item")"),
             out.constData());
    QVERIFY2(out.contains(R"("timeoutSeconds":30,"successStatuses":["2xx",409],)"
                          R"("retryStatuses":[]})"),
             out.constData());
    QVERIFY2(out.contains(R"("maxRequestsPerSecond":0,"stopAfterFailures":10})"), out.constData());
    TransferSpec again;
    QVERIFY(TransferSpec::fromJson(out, &again, nullptr));
    QCOMPARE(again, spec);
}

void tst_TransferSpec::idempotencyKeyRefusedInBulkModes()
{
    for (const TargetMode mode : allTargetModes()) {
        if (!isBulk(mode))
            continue;
        TransferSpec spec = bulkSpec(mode);
        spec.target.idempotencyKey = u"{{id}}"_s;
        QCOMPARE(strings(spec.validate()),
                 QStringList {u"target.idempotencyKey: mode \""_s + targetModeName(mode)
                              + u"\" sends many items in one request, and a request has one "
                                u"Idempotency-Key; use it in item mode only"_s});
    }
    TransferSpec item = fullSpec();
    item.target.idempotencyKey = u"{{id}}"_s;
    QCOMPARE(strings(item.validate()), QStringList());
}

void tst_TransferSpec::withoutNewFieldsSavesByteIdentical()
{
    // A file saved before these keys existed reads and saves exactly as it was.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString first = dir.filePath(u"first.json"_s);
    QVERIFY(fullSpec().save(first, nullptr));
    QFile file(first);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray saved = file.readAll();
    QVERIFY(!saved.contains("Statuses"));
    QVERIFY(!saved.contains("idempotencyKey"));
    QVERIFY(!saved.contains("stopAfterFailures"));
    TransferSpec loaded;
    QVERIFY(TransferSpec::load(first, &loaded, nullptr));
    const QString second = dir.filePath(u"second.json"_s);
    QVERIFY(loaded.save(second, nullptr));
    QFile again(second);
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(again.readAll(), saved);
}

void tst_TransferSpec::watermarkIsReadAndWritten()
{
    QJsonObject json = parse(DesignExample);
    setAt(json, {u"run"_s, u"watermark"_s},
          QJsonObject {{u"column"_s, u"measured_at"_s}, {u"parameter"_s, u"startdate"_s}});
    TransferSpec spec;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::fromJson(text(json), &spec, &errors));
    QCOMPARE(strings(errors), QStringList());
    QVERIFY(spec.run.watermark);
    QCOMPARE(spec.run.watermark->column, u"measured_at"_s);
    QCOMPARE(spec.run.watermark->parameter, u"startdate"_s);

    // Last in run, column before parameter; read back equal, saved byte for byte the same.
    const QByteArray out = spec.toJson();
    QVERIFY2(out.contains(R"("maxRequestsPerSecond":0,)"
                          R"("watermark":{"column":"measured_at","parameter":"startdate"}})"),
             out.constData());
    TransferSpec again;
    QVERIFY(TransferSpec::fromJson(out, &again, nullptr));
    QCOMPARE(again, spec);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString first = dir.filePath(u"first.json"_s);
    QVERIFY(spec.save(first, nullptr));
    TransferSpec loaded;
    QVERIFY(TransferSpec::load(first, &loaded, nullptr));
    QCOMPARE(loaded.run.watermark, spec.run.watermark);
    const QString second = dir.filePath(u"second.json"_s);
    QVERIFY(loaded.save(second, nullptr));
    QFile a(first);
    QFile b(second);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(b.readAll(), a.readAll());

    // Without it, nothing is written.
    spec.run.watermark.reset();
    QVERIFY(!spec.toJson().contains("watermark"));
}

void tst_TransferSpec::watermarkErrors_data()
{
    QTest::addColumn<QJsonValue>("watermark");
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<QStringList>("expected");

    const auto object = [](const QString &column, const QString &parameter) {
        QJsonObject o;
        if (!column.isNull())
            o.insert(u"column"_s, column);
        if (!parameter.isNull())
            o.insert(u"parameter"_s, parameter);
        return QJsonValue(o);
    };
    QTest::newRow("parameter without a first value")
        << object(u"id"_s, u"since"_s) << true
        << QStringList {u"run.watermark.parameter: query.parameters has no \"since\": give it "
                        u"the value the first run starts from (e.g. \"since\": 0, or "
                        u"\"since\": \"1970-01-01\")"_s};
    QTest::newRow("no column") << object({}, u"startdate"_s) << true
                               << QStringList {u"run.watermark.column: is required"_s};
    QTest::newRow("empty column") << object(u""_s, u"startdate"_s) << true
                                  << QStringList {u"run.watermark.column: is required"_s};
    QTest::newRow("no parameter") << object(u"id"_s, {}) << true
                                  << QStringList {u"run.watermark.parameter: is required"_s};
    QTest::newRow("parameter with a colon")
        << object(u"id"_s, u":startdate"_s) << true
        << QStringList {u"run.watermark.parameter: \":startdate\" is not a valid parameter "
                        u"name "_s
                        + NameRule};
    QJsonObject extra = object(u"id"_s, u"startdate"_s).toObject();
    extra.insert(u"order"_s, u"asc"_s);
    QTest::newRow("unknown key") << QJsonValue(extra) << true
                                 << QStringList {u"run.watermark.order: unknown key"_s};
    QTest::newRow("not an object")
        << QJsonValue(u"id"_s) << true << QStringList {u"run.watermark: must be an object"_s};
    QTest::newRow("no item key")
        << object(u"id"_s, u"startdate"_s) << false
        << QStringList {u"run.watermark: needs transform.key: an incremental run remembers the "
                        u"rows it delivered by their key"_s};
}

void tst_TransferSpec::watermarkErrors()
{
    QFETCH(QJsonValue, watermark);
    QFETCH(bool, withKey);
    QFETCH(QStringList, expected);
    QJsonObject json = parse(DesignExample);
    setAt(json, {u"run"_s, u"watermark"_s}, watermark);
    if (!withKey)
        setAt(json, {u"transform"_s, u"key"_s}, QJsonValue::Undefined);
    QList<SpecError> errors;
    QVERIFY(!TransferSpec::fromJson(text(json), nullptr, &errors));
    QCOMPARE(strings(errors), expected);
}

void tst_TransferSpec::duplicateRisk_data()
{
    QTest::addColumn<TransferSpec>("spec");
    QTest::addColumn<QString>("startsWith"); // empty: no risk

    TransferSpec put = fullSpec(); // PUT to .../_doc/{{id}}
    QTest::newRow("PUT with placeholder") << put << QString();
    TransferSpec post = put;
    post.target.method = u"POST"_s;
    QTest::newRow("POST with placeholder") << post << QString();
    post.target.url = u"https://127.0.0.1:9200/sensors/_doc"_s;
    QTest::newRow("POST without placeholder") << post << u"POST to a URL without"_s;
    post.target.idempotencyKey = u"{{id}}"_s;
    QTest::newRow("POST with idempotency key") << post << QString();
    TransferSpec fixedPut = put;
    fixedPut.target.url = u"https://127.0.0.1:9200/sensors/_doc"_s;
    QTest::newRow("PUT without placeholder") << fixedPut << QString();
    for (const TargetMode mode : {TargetMode::JsonArray, TargetMode::Ndjson})
        QTest::newRow(qPrintable(targetModeName(mode)))
            << bulkSpec(mode) << u"mode \""_s + targetModeName(mode) + u"\" carries no id"_s;
    for (const TargetMode mode : {TargetMode::ElasticsearchBulk, TargetMode::CouchdbBulk}) {
        QTest::newRow(qPrintable(targetModeName(mode) + u" keyed"_s))
            << bulkSpec(mode) << QString();
        TransferSpec unkeyed = bulkSpec(mode);
        unkeyed.transform.key.clear();
        QTest::newRow(qPrintable(targetModeName(mode) + u" without key"_s))
            << unkeyed << u"mode \""_s + targetModeName(mode) + u"\" without transform.key"_s;
        TransferSpec noTransform = bulkSpec(mode);
        noTransform.transform.present = false;
        QTest::newRow(qPrintable(targetModeName(mode) + u" without transform"_s))
            << noTransform << u"mode \""_s + targetModeName(mode) + u"\" without transform.key"_s;
    }
}

void tst_TransferSpec::duplicateRisk()
{
    QFETCH(TransferSpec, spec);
    QFETCH(QString, startsWith);
    const QString risk = sluice::duplicateRisk(spec);
    if (startsWith.isEmpty())
        QCOMPARE(risk, QString());
    else
        QVERIFY2(risk.startsWith(startsWith), qPrintable(risk));
}

void tst_TransferSpec::keychainReferences()
{
    TransferSpec spec = fullSpec();
    spec.source.passwordEnv.clear();
    spec.source.passwordKeychain = u"sensors db"_s;
    spec.target.headersKeychain = {{u"X-Secret"_s, u"sensors/api ü"_s}, {u"Cookie"_s, u"c"_s}};
    QCOMPARE(strings(spec.validate()), QStringList());

    // Saved after their Env siblings, in the order given.
    const QByteArray text = spec.toJson();
    QVERIFY2(text.contains(R"("user":"steward","passwordKeychain":"sensors db","options")"),
             text.constData());
    QVERIFY2(text.contains(R"("Authorization":"SENSORS_TOKEN"},"headersKeychain":)"
                           R"({"X-Secret":"sensors/api ü","Cookie":"c"},"mode":"item")"),
             text.constData());

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(u"keychain.json"_s);
    QString error;
    QVERIFY2(spec.save(fileName, &error), qPrintable(error));
    TransferSpec loaded;
    QList<SpecError> errors;
    QVERIFY2(TransferSpec::load(fileName, &loaded, &errors),
             qPrintable(strings(errors).join(u'\n')));
    spec.source.baseDir = dir.path();
    QCOMPARE(loaded, spec);
    QCOMPARE(loaded.toJson(), text);

    // A file without them is written without them (fullSpec() saves byte for byte as before).
    QVERIFY(!fullSpec().toJson().contains("Keychain"));

    // A spec built in code is held to the file's rules.
    TransferSpec twice = fullSpec();
    twice.target.headersKeychain = {{u"X-Secret"_s, u"a"_s}, {u"X-Secret"_s, u"b"_s}};
    QCOMPARE(strings(twice.validate()),
             QStringList {u"target.headersKeychain.X-Secret: header given more than once "
                          u"(header names are case-insensitive)"_s});
    TransferSpec also = fullSpec();
    also.target.headersKeychain = {{u"x-api-key"_s, u"a"_s}};
    QCOMPARE(strings(also.validate()),
             QStringList {u"target.headersKeychain.x-api-key: also set in target.headersEnv"_s});
}

void tst_TransferSpec::secretHeaders()
{
    TargetSpec target;
    target.headers = {{u"authorization"_s, u"Bearer literal"_s},
                      {u"Accept"_s, u"application/json"_s},
                      {u"Cookie"_s, u""_s}};
    target.headersEnv = {{u"X-Api-Key"_s, u"API_KEY"_s}};
    target.headersKeychain = {{u"X-Secret"_s, u"entry"_s}};
    QVERIFY(isSensitiveHeaderName(u"Proxy-Authorization"));
    QVERIFY(isSensitiveHeaderName(u"COOKIE"));
    QVERIFY(!isSensitiveHeaderName(u"Accept"));
    QVERIFY(isSecretHeader(target, u"x-api-key"));
    QVERIFY(isSecretHeader(target, u"X-SECRET"));
    QVERIFY(!isSecretHeader(target, u"Accept"));

    const QList<QPair<QByteArray, QByteArray>> shown
        = redactedHeaders(target,
                          {{"Authorization", "Bearer literal"},
                           {"Accept", "application/json"},
                           {"X-Api-Key", "k-123"},
                           {"x-secret", "s-456"}});
    QCOMPARE(shown,
             (QList<QPair<QByteArray, QByteArray>> {{"Authorization", "(redacted)"},
                                                    {"Accept", "application/json"},
                                                    {"X-Api-Key", "(redacted)"},
                                                    {"x-secret", "(redacted)"}}));

    // Only a credential with a value written in the file is a literal secret.
    const QList<SpecError> literal = literalSecretHeaders(target);
    QCOMPARE(literal.size(), 1);
    QCOMPARE(literal.constFirst().path, u"target.headers.authorization"_s);
    QCOMPARE(literal.constFirst().message,
             u"a credential written in the transfer file; keep it in the keychain "
             u"(headersKeychain) or an environment variable (headersEnv) instead"_s);
}

QTEST_APPLESS_MAIN(tst_TransferSpec)
#include "tst_transferspec.moc"
