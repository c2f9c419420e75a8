// SPDX-License-Identifier: GPL-3.0-or-later
// BulkCodec: the bodies it writes for each bulk mode (byte for byte), the sizes it predicts for
// them, and how it reads answers per item. The last tests send its batches to the demo API over
// HTTP and read the real answers back.
#include <memory>

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include "demoapiserver.h"
#include "net/bulkcodec.h"
#include "json/jsonreader.h"

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

struct Entry
{
    QByteArray payload;
    QString key;
};
using Entries = QList<Entry>;
using Outcomes = QList<BulkItemOutcome>;

BulkItemOutcome ok(int status)
{
    return {status, QString(), false};
}

BulkItemOutcome failed(int status, const QString &error)
{
    return {status, error, status == 409};
}

QByteArray encodeBatch(const BulkCodec &codec, const Entries &entries, QStringList *ids = nullptr)
{
    QByteArray body;
    codec.begin(&body);
    for (const Entry &entry : entries) {
        QString id = u"stale"_s;
        codec.append(&body, entry.payload, entry.key, &id);
        if (ids)
            ids->append(id);
    }
    codec.end(&body);
    return body;
}

QString describe(const BulkItemOutcome &outcome)
{
    return QString::number(outcome.status) + (outcome.conflict ? u" conflict "_s : u" "_s)
        + outcome.error;
}

// Compares outcome lists item by item, naming the first that differs.
bool sameOutcomes(const Outcomes &actual, const Outcomes &expected)
{
    if (actual.size() != expected.size()) {
        qWarning("%lld outcomes, expected %lld", qint64(actual.size()), qint64(expected.size()));
        return false;
    }
    for (qsizetype i = 0; i < actual.size(); ++i) {
        if (actual.at(i) != expected.at(i)) {
            qWarning("item %lld: got \"%s\", expected \"%s\"", qint64(i),
                     qPrintable(describe(actual.at(i))), qPrintable(describe(expected.at(i))));
            return false;
        }
    }
    return true;
}

// A keyed Elasticsearch action line.
QByteArray esAction(const char *action, const QByteArray &quotedKey)
{
    return "{\"" + QByteArray(action) + "\":{\"_id\":" + quotedKey + "}}\n";
}

// A string with an unpaired surrogate (written as U+FFFD).
QString loneSurrogate()
{
    return u"a"_s + QChar(char16_t(0xd800)) + u"b"_s;
}

} // namespace

Q_DECLARE_METATYPE(Entry)
Q_DECLARE_METATYPE(BulkItemOutcome)

class TestBulkCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void contentType_data();
    void contentType();
    void encode_data();
    void encode();
    void emptyBatch_data();
    void emptyBatch();
    void topLevelIdScan_data();
    void topLevelIdScan();

    void parseElasticsearch_data();
    void parseElasticsearch();
    void parseCouchdb_data();
    void parseCouchdb();
    void parseCouchdbOutOfOrder_data();
    void parseCouchdbOutOfOrder();
    void parseWholeRequest_data();
    void parseWholeRequest();

    void demoApiElasticsearch();
    void demoApiCouchdb();
    void demoApiJsonArray();

private:
    /// POSTs body to the demo API; the status (0 when none came) and the answer's body.
    int post(const QByteArray &path, const QByteArray &contentType, const QByteArray &body,
             QByteArray *answer);

    QNetworkAccessManager *m_manager = nullptr;
    quint16 m_port = 0; ///< the demo API of the running test
};

void TestBulkCodec::initTestCase()
{
    m_manager = new QNetworkAccessManager(this);
    m_manager->setProxy(QNetworkProxy::NoProxy);
}

void TestBulkCodec::contentType_data()
{
    QTest::addColumn<TargetMode>("mode");
    QTest::addColumn<QByteArray>("type");
    QTest::newRow("elasticsearch-bulk")
        << TargetMode::ElasticsearchBulk << QByteArray("application/x-ndjson");
    QTest::newRow("ndjson") << TargetMode::Ndjson << QByteArray("application/x-ndjson");
    QTest::newRow("couchdb-bulk") << TargetMode::CouchdbBulk << QByteArray("application/json");
    QTest::newRow("json-array") << TargetMode::JsonArray << QByteArray("application/json");
}

void TestBulkCodec::contentType()
{
    QFETCH(TargetMode, mode);
    QFETCH(QByteArray, type);
    for (const bool keyed : {false, true})
        QCOMPARE(BulkCodec(mode, BulkAction::Create, keyed).contentType(), type);
}

void TestBulkCodec::encode_data()
{
    QTest::addColumn<TargetMode>("mode");
    QTest::addColumn<BulkAction>("action");
    QTest::addColumn<bool>("keyed");
    QTest::addColumn<Entries>("entries");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("ids"); ///< append()'s *documentId per item

    const QByteArray a = R"({"a":1})";
    const QByteArray b = R"({"b":"x","n":[1,{"c":null}]})";
    const QByteArray unicode = R"({"name":"Zürich 😀 日本","esc":"\"\\\n\u0001"})";
    const Entries plain {{a, u"1"_s}, {b, u"2"_s}, {unicode, u"3"_s}};
    const QStringList none(3);

    // Typed parameters: the expressions below are QStringBuilders until they meet a QByteArray.
    const auto row = [](const char *name, TargetMode mode, BulkAction action, bool keyed,
                        const Entries &entries, const QByteArray &body, const QStringList &ids) {
        QTest::newRow(name) << mode << action << keyed << entries << body << ids;
    };
    const auto es = TargetMode::ElasticsearchBulk;
    const auto couch = TargetMode::CouchdbBulk;
    const auto index = BulkAction::Index;

    row("es index keyed", es, index, true, plain,
        esAction("index", R"("1")") + a + '\n' + esAction("index", R"("2")") + b + '\n'
            + esAction("index", R"("3")") + unicode + '\n',
        none);
    row("es create keyed", es, BulkAction::Create, true, plain,
        esAction("create", R"("1")") + a + '\n' + esAction("create", R"("2")") + b + '\n'
            + esAction("create", R"("3")") + unicode + '\n',
        none);
    row("es index not keyed", es, index, false, plain,
        "{\"index\":{}}\n" + a + "\n{\"index\":{}}\n" + b + "\n{\"index\":{}}\n" + unicode + '\n',
        none);
    row("es create not keyed", es, BulkAction::Create, false, {{a, u"1"_s}},
        "{\"create\":{}}\n" + a + '\n', QStringList(1));
    row("es keys escaped", es, index, true,
        {{a, uR"(quote " and \ back)"_s},
         {a, u"tab\tnl\ncr\rbs\bff\f ctl\x01\x1f end"_s},
         {a, u"Zürich 😀 日本 \u00e9"_s},
         {a, loneSurrogate()},
         {a, QString()}},
        esAction("index", R"("quote \" and \\ back")") + a + '\n'
            + esAction("index", R"("tab\tnl\ncr\rbs\bff\f ctl\u0001\u001f end")") + a + '\n'
            + esAction("index", "\"Zürich 😀 日本 é\"") + a + '\n'
            + esAction("index",
                       "\"a\xef\xbf\xbd"
                       "b\"")
            + a + '\n' + esAction("index", "\"\"") + a + '\n',
        QStringList(5));
    row("es empty object", es, index, true, {{"{}", u"k"_s}}, esAction("index", R"("k")") + "{}\n",
        QStringList(1));

    row("couch keyed", couch, index, true, plain,
        R"({"docs":[{"_id":"1","a":1},{"_id":"2","b":"x","n":[1,{"c":null}]},{"_id":"3",)"
            + unicode.sliced(1) + "]}",
        {u"1"_s, u"2"_s, u"3"_s});
    row("couch not keyed", couch, index, false, plain,
        "{\"docs\":[" + a + ',' + b + ',' + unicode + "]}", none);
    row("couch keyed special", couch, index, true,
        {{"{}", u"empty"_s},
         {R"({"_id":"own","a":1})", u"k1"_s},
         {R"({"a":{"_id":"nested"},"b":[{"_id":1}],"_id":"late"})", u"k2"_s},
         {R"({"s":"\"_id\":\"in a string\"","x":"}"})", u"k3"_s},
         {R"({"\u005fid":"escaped name"})", u"k4"_s},
         {R"({"_id":5})", u"k5"_s},
         {R"({"_idx":1,"_ID":2,"id":3})", uR"(q"\)"_s},
         {R"({"_id":"with \"quotes\" \u00e9"})", u"k7"_s}},
        R"({"docs":[{"_id":"empty"},{"_id":"own","a":1},)"
        R"({"a":{"_id":"nested"},"b":[{"_id":1}],"_id":"late"},)"
        R"({"_id":"k3","s":"\"_id\":\"in a string\"","x":"}"},)"
        R"({"\u005fid":"escaped name"},{"_id":5},{"_id":"q\"\\","_idx":1,"_ID":2,"id":3},)"
        R"({"_id":"with \"quotes\" \u00e9"}]})",
        {u"empty"_s, u"own"_s, u"late"_s, u"k3"_s, u"escaped name"_s, QString(), uR"(q"\)"_s,
         u"with \"quotes\" é"_s});
    row("couch not keyed own ids", couch, index, false,
        {{R"({"_id":"own"})", u"k"_s}, {"{}", u"k"_s}}, R"({"docs":[{"_id":"own"},{}]})",
        {u"own"_s, QString()});
    row("couch keyed unicode key", couch, index, true, {{a, u"Zürich 😀\t"_s}},
        "{\"docs\":[{\"_id\":\"Zürich 😀\\t\",\"a\":1}]}", {u"Zürich 😀\t"_s});
    // Not an object: the contract says it never is; sent as it is, the server judges it.
    row("couch keyed array payload", couch, index, true, {{"[1]", u"k"_s}}, R"({"docs":[[1]]})",
        QStringList(1));

    row("json-array", TargetMode::JsonArray, index, true, plain,
        "[" + a + ',' + b + ',' + unicode + "]", none);
    row("json-array one", TargetMode::JsonArray, index, false, {{"{}", u"k"_s}}, "[{}]",
        QStringList(1));
    row("ndjson", TargetMode::Ndjson, index, true, plain, a + '\n' + b + '\n' + unicode + '\n',
        none);
}

void TestBulkCodec::encode()
{
    QFETCH(TargetMode, mode);
    QFETCH(BulkAction, action);
    QFETCH(bool, keyed);
    QFETCH(Entries, entries);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, ids);

    const BulkCodec codec(mode, action, keyed);
    QStringList sentIds;
    const QByteArray encoded = encodeBatch(codec, entries, &sentIds);
    QCOMPARE(encoded, body);
    QCOMPARE(sentIds, ids);
    // Without asking for the ids, the same bytes.
    QByteArray again;
    codec.begin(&again);
    for (const Entry &entry : entries)
        codec.append(&again, entry.payload, entry.key);
    codec.end(&again);
    QCOMPARE(again, body);

    // The body is what the server parses: valid JSON, or valid JSON on every line.
    if (mode == TargetMode::CouchdbBulk || mode == TargetMode::JsonArray) {
        JsonSyntaxError error;
        QVERIFY2(compactJson(encoded, &error), qPrintable(error.toString()));
    } else {
        QVERIFY(encoded.endsWith('\n'));
        const QList<QByteArray> lines = encoded.chopped(1).split('\n');
        QCOMPARE(lines.size(), entries.size() * (mode == TargetMode::Ndjson ? 1 : 2));
        for (const QByteArray &line : lines) {
            JsonSyntaxError error;
            QVERIFY2(compactJson(line, &error),
                     qPrintable(QString::fromUtf8(line) + u": "_s + error.toString()));
        }
    }

    // extraBytes() predicts what each append() adds, frameBytes() the rest.
    qsizetype predicted = codec.frameBytes();
    QByteArray growing;
    codec.begin(&growing);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const Entry &entry = entries.at(i);
        const qsizetype before = growing.size();
        codec.append(&growing, entry.payload, entry.key);
        const qsizetype expected
            = entry.payload.size() + codec.extraBytes(entry.payload, entry.key);
        const bool separated = mode == TargetMode::CouchdbBulk || mode == TargetMode::JsonArray;
        QCOMPARE(growing.size() - before, expected - (i == 0 && separated ? 1 : 0));
        predicted += expected;
    }
    QCOMPARE(predicted, encoded.size());
}

void TestBulkCodec::emptyBatch_data()
{
    QTest::addColumn<TargetMode>("mode");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("couchdb-bulk") << TargetMode::CouchdbBulk << QByteArray(R"({"docs":[]})");
    QTest::newRow("json-array") << TargetMode::JsonArray << QByteArray("[]");
    QTest::newRow("elasticsearch-bulk") << TargetMode::ElasticsearchBulk << QByteArray();
    QTest::newRow("ndjson") << TargetMode::Ndjson << QByteArray();
}

void TestBulkCodec::emptyBatch()
{
    QFETCH(TargetMode, mode);
    QFETCH(QByteArray, body);
    QCOMPARE(encodeBatch(BulkCodec(mode, BulkAction::Index, true), {}), body);
}

// The codec's own scan for a top-level "_id" must agree with the strict reader's
// findJsonMember() on every shape of payload.
void TestBulkCodec::topLevelIdScan_data()
{
    QTest::addColumn<QByteArray>("payload");
    const char *const payloads[] = {
        R"({})",
        R"({"_id":"x"})",
        R"({"a":1,"_id":"x"})",
        R"({"a":{"_id":"nested"}})",
        R"({"a":[{"_id":"in array"}],"b":"c"})",
        R"({"a":"{\"_id\":\"in a string\"}"})",
        R"({"a":"x\\","_id":"after an escaped backslash"})",
        R"({"a":"[","b":"{","_id":"after brackets in strings"})",
        R"({"\u005fid":"escaped name"})",
        R"({"_i\u0064":"escaped name"})",
        R"({"_idx":1,"_i":2,"id":3,"_ID":4})",
        R"({"a":true,"b":false,"c":null,"d":-1.5e3,"_id":"after literals"})",
        R"({"a":[[],[[{}]],{"x":[1,2]}],"_id":"after deep nesting"})",
        R"({"_id":{"nested":"object id"}})",
        R"({"_id":null})",
        R"({"_id":12.50})",
        R"({"_id":"\ud83d\ude00 \"quoted\" \\ \/"})",
        R"( { "a" : 1 , "_id" : "blank space" } )",
        R"({"a":"_id","b":"\"_id\""})",
        "[1,2]",
        R"("just a string")",
    };
    for (const char *payload : payloads)
        QTest::newRow(payload) << QByteArray(payload);
}

void TestBulkCodec::topLevelIdScan()
{
    QFETCH(QByteArray, payload);
    const QByteArrayView member = findJsonMember(payload, {u"_id"_s});
    QString expectedId;
    if (!member.isNull()) {
        JsonReader reader(member);
        if (reader.next() == JsonReader::Token::String)
            expectedId = reader.text();
    }
    QString id = u"stale"_s;
    QByteArray body;
    BulkCodec(TargetMode::CouchdbBulk, BulkAction::Index, false)
        .append(&body, payload, u"k"_s, &id);
    QCOMPARE(id, expectedId);

    // Keyed: the key goes in exactly when there is no top-level "_id" and it is an object.
    body.clear();
    const BulkCodec keyed(TargetMode::CouchdbBulk, BulkAction::Index, true);
    keyed.begin(&body);
    keyed.append(&body, payload, u"k"_s, &id);
    keyed.end(&body);
    const bool isObject = payload.trimmed().startsWith('{');
    QCOMPARE(id, member.isNull() && isObject ? u"k"_s : expectedId);
    JsonSyntaxError error;
    QVERIFY2(compactJson(body, &error), qPrintable(error.toString()));
    const QByteArray doc = body.sliced(9, body.size() - 11);
    if (isObject)
        QVERIFY(!findJsonMember(doc, {u"_id"_s}).isNull());
    if (!member.isNull() || !isObject)
        QCOMPARE(doc, payload);
}

void TestBulkCodec::parseElasticsearch_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<qsizetype>("count");
    QTest::addColumn<Outcomes>("outcomes");
    QTest::addColumn<QString>("error"); ///< a part of BulkReply::error; empty: none

    const QByteArray created
        = R"({"index":{"_index":"s","_id":"1","_version":1,"result":"created",)"
          R"("_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"status":201}})";
    const QByteArray updated
        = R"({"index":{"_index":"s","_id":"2","result":"updated","status":200}})";
    const QByteArray mapping
        = R"({"index":{"_index":"s","_id":"3","status":400,"error":{"type":"mapper_parsing_exception",)"
          R"("reason":"failed to parse field [n] of type [long] in document with id '3'.",)"
          R"("caused_by":{"type":"illegal_argument_exception","reason":"For input string: \"x\"",)"
          R"("caused_by":{"type":"deeper","reason":"not shown"}}}}})";
    const QByteArray conflict
        = R"({"create":{"_index":"s","_id":"4","status":409,"error":{"type":)"
          R"("version_conflict_engine_exception","reason":"[4]: version conflict, document already exists"}}})";
    const QByteArray rejected
        = R"({"index":{"status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected"}}})";
    const QByteArray oddError = R"({"index":{"status":500,"error":{"code":7}}})";
    const QByteArray stringError = R"({"index":{"status":400,"error":"plain text"}})";
    const QByteArray noError = R"({"index":{"status":404}})";
    const auto answer
        = [](const QList<QByteArray> &items, const char *errors = "false") -> QByteArray {
        return R"({"took":3,"errors":)" + QByteArray(errors) + R"(,"items":[)" + items.join(',')
            + "]}";
    };
    const QString mappingText
        = uR"(mapper_parsing_exception: failed to parse field [n] of type [long] in document with id '3'.; caused by: illegal_argument_exception: For input string: "x")"_s;
    const QString conflictText
        = u"version_conflict_engine_exception: [4]: version conflict, document already exists"_s;

    QTest::newRow("all created") << 200 << answer({created, updated, created}) << qsizetype(3)
                                 << Outcomes {ok(201), ok(200), ok(201)} << QString();
    QTest::newRow("partial errors")
        << 200 << answer({created, mapping, conflict, rejected, updated}, "true") << qsizetype(5)
        << Outcomes {ok(201), failed(400, mappingText), failed(409, conflictText),
                     failed(429, u"es_rejected_execution_exception: rejected"_s), ok(200)}
        << QString();
    QTest::newRow("odd errors") << 200 << answer({oddError, stringError, noError}, "true")
                                << qsizetype(3)
                                << Outcomes {failed(500, uR"({"code":7})"_s),
                                             failed(400, u"plain text"_s),
                                             failed(404, u"failed with status 404"_s)}
                                << QString();
    QTest::newRow("items first, blank space")
        << 201 << QByteArray("{ \"items\" : [ " + created + " ] ,\n \"errors\" : false }\n")
        << qsizetype(1) << Outcomes {ok(201)} << QString();
    QTest::newRow("none") << 200 << answer({}) << qsizetype(0) << Outcomes() << QString();

    const auto bad
        = [&](const char *name, const QByteArray &body, qsizetype count, const QString &error) {
              QTest::newRow(name) << 200 << body << count << Outcomes() << error;
          };
    bad("fewer items", answer({created, created}), 3,
        u"the Elasticsearch bulk answer has 2 items for a batch of 3 (one per item expected); "
        u"expected {\"items\":[{\"index\":{\"status\":201,...}},...]}"_s);
    bad("more items", answer({created, created}), 1, u"has 2 items for a batch of 1"_s);
    bad("not JSON", "<html>Bad gateway</html>", 1, u"answer is not JSON (line 1, column 1"_s);
    bad("empty", "", 1, u"answer is not JSON (line 1, column 1"_s);
    bad("cut off", answer({created, created}).chopped(20), 2, u"answer is not JSON (line 1"_s);
    bad("not an object", "[]", 0, u"answer is not a JSON object"_s);
    bad("no items", R"({"took":1,"errors":false})", 0, uR"(answer has no "items")"_s);
    bad("items not an array", R"({"items":{}})", 0, uR"(has "items" that is not an array)"_s);
    bad("item not an object", answer({created, "7"}), 2, u"items[1] is not an object"_s);
    bad("item without action", answer({"{}"}), 1, uR"(items[0] is not {"<action>":{...}})"_s);
    bad("item without status", answer({created, R"({"index":{"_id":"1"}})"}), 2,
        uR"(items[1] has no "status")"_s);
    bad("status not a number", answer({R"({"index":{"status":"201"}})"}), 1,
        uR"(items[0] has a "status" that is not an HTTP status)"_s);
    bad("status out of range", answer({R"({"index":{"status":2010}})"}), 1,
        uR"(items[0] has a "status" that is not an HTTP status)"_s);
    bad("two actions", answer({R"({"index":{"status":201},"create":{"status":201}})"}), 1,
        u"items[0] has more than one action"_s);
    bad("text after", answer({created}) + "x", 1, u"answer is not JSON"_s);
}

void TestBulkCodec::parseElasticsearch()
{
    QFETCH(int, status);
    QFETCH(QByteArray, answer);
    QFETCH(qsizetype, count);
    QFETCH(Outcomes, outcomes);
    QFETCH(QString, error);
    for (const BulkAction action : {BulkAction::Index, BulkAction::Create}) {
        const BulkReply reply
            = BulkCodec(TargetMode::ElasticsearchBulk, action, true).parse(status, answer, count);
        if (error.isEmpty()) {
            QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
            QVERIFY(sameOutcomes(reply.items, outcomes));
        } else {
            QVERIFY2(reply.error.contains(error), qPrintable(reply.error));
            QVERIFY(reply.items.isEmpty());
        }
    }
}

void TestBulkCodec::parseCouchdb_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<qsizetype>("count");
    QTest::addColumn<Outcomes>("outcomes");
    QTest::addColumn<QString>("error"); ///< a part of BulkReply::error; empty: none

    const QByteArray ok1 = R"({"ok":true,"id":"a","rev":"1-967a00dff5e02add41819138abb3284d"})";
    const QByteArray ok2 = R"({"ok":true,"id":"b","rev":"1-967a00dff5e02add41819138abb3284d"})";
    QTest::newRow("created") << 201 << QByteArray("[" + ok1 + ',' + ok2 + "]") << qsizetype(2)
                             << Outcomes {ok(201), ok(201)} << QString();
    QTest::newRow("accepted 202") << 202 << QByteArray("[" + ok1 + ',' + ok2 + "]") << qsizetype(2)
                                  << Outcomes {ok(202), ok(202)} << QString();
    QTest::newRow("empty batch") << 201 << QByteArray("[]") << qsizetype(0) << Outcomes()
                                 << QString();
    QTest::newRow("per-doc errors")
        << 201
        << QByteArray(
               "[" + ok1
               + R"(,{"id":"c","error":"conflict","reason":"Document update conflict."})"
                 R"(,{"id":"d","error":"forbidden","reason":"bad is set"})"
                 R"(,{"id":"e","error":"unauthorized","reason":"no way"})"
                 R"(,{"id":null,"error":"bad_request","reason":"docs[4] is an array"})"
                 R"(,{"id":"f","error":"illegal_docid","reason":"Only reserved document ids may start with underscore."})"
                 R"(,{"id":"g","error":"not_found","reason":"missing"})"
                 R"(,{"id":"h","error":"too_large","reason":"Document exceeds max size"})"
                 R"(,{"id":"i","error":"something_new"})"
                 ","
               + ok2 + "]")
        << qsizetype(10)
        << Outcomes {ok(201),
                     failed(409, u"conflict: Document update conflict."_s),
                     failed(403, u"forbidden: bad is set"_s),
                     failed(401, u"unauthorized: no way"_s),
                     failed(400, u"bad_request: docs[4] is an array"_s),
                     failed(
                         400,
                         u"illegal_docid: Only reserved document ids may start with underscore."_s),
                     failed(404, u"not_found: missing"_s),
                     failed(413, u"too_large: Document exceeds max size"_s),
                     failed(500, u"something_new"_s),
                     ok(201)}
        << QString();

    const auto bad
        = [&](const char *name, const QByteArray &body, qsizetype count, const QString &error) {
              QTest::newRow(name) << 201 << body << count << Outcomes() << error;
          };
    bad("fewer entries", "[" + ok1 + "]", 2,
        u"the CouchDB _bulk_docs answer has 1 entries for a batch of 2 (one per item expected); "
        u"expected [{\"ok\":true,"_s);
    bad("not JSON", "Internal error", 1, u"answer is not JSON (line 1, column 1"_s);
    bad("cut off", "[" + ok1 + ',' + ok2.chopped(5), 2, u"answer is not JSON"_s);
    bad("not an array", R"({"ok":true})", 1, u"answer is not a JSON array"_s);
    bad("entry not an object", "[" + ok1 + ",true]", 2, u"entry 1 is not an object"_s);
    bad("neither ok nor error", "[" + ok1 + R"(,{"id":"x","ok":false}])", 2,
        uR"(entry 1 has neither "ok":true nor an "error")"_s);
}

void TestBulkCodec::parseCouchdb()
{
    QFETCH(int, status);
    QFETCH(QByteArray, answer);
    QFETCH(qsizetype, count);
    QFETCH(Outcomes, outcomes);
    QFETCH(QString, error);
    const BulkCodec codec(TargetMode::CouchdbBulk, BulkAction::Index, false);
    // Matched by position, and by ids nobody sent (nothing to compare, so by position too).
    for (const BulkReply &reply :
         {codec.parse(status, answer, count), codec.parse(status, answer, QStringList(count))}) {
        if (error.isEmpty()) {
            QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
            QVERIFY(sameOutcomes(reply.items, outcomes));
        } else {
            QVERIFY2(reply.error.contains(error), qPrintable(reply.error));
            QVERIFY(reply.items.isEmpty());
        }
    }
}

void TestBulkCodec::parseCouchdbOutOfOrder_data()
{
    QTest::addColumn<QStringList>("ids"); ///< the ids the docs were sent with
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<Outcomes>("outcomes");
    QTest::addColumn<QString>("error");

    const auto okId = [](const char *id) -> QByteArray {
        return R"({"ok":true,"id":")" + QByteArray(id) + R"(","rev":"1-0"})";
    };
    const QByteArray forbidden = R"({"id":"x2","error":"forbidden","reason":"bad is set"})";
    const QByteArray conflict
        = R"({"id":"a","error":"conflict","reason":"Document update conflict"})";
    const BulkItemOutcome forbiddenOutcome = failed(403, u"forbidden: bad is set"_s);
    const BulkItemOutcome conflictOutcome = failed(409, u"conflict: Document update conflict"_s);

    const auto row = [](const char *name, const QStringList &ids, const QByteArray &answer,
                        const Outcomes &outcomes, const QString &error) {
        QTest::newRow(name) << ids << answer << outcomes << error;
    };
    // What pouchdb-server answered to x1, x2 (rejected by validate_doc_update), a (exists).
    row("rejected first", {u"x1"_s, u"x2"_s, u"a"_s},
        "[" + forbidden + ',' + okId("x1") + ',' + conflict + "]",
        {ok(201), forbiddenOutcome, conflictOutcome}, QString());
    row("in order", {u"x1"_s, u"x2"_s, u"a"_s},
        "[" + okId("x1") + ',' + forbidden + ',' + conflict + "]",
        {ok(201), forbiddenOutcome, conflictOutcome}, QString());
    // Made-up ids for the docs sent without one: all succeeded, so any match is right.
    row("made-up ids", {QString(), u"x2"_s, QString()},
        "[" + forbidden + ',' + okId("uuid-1") + ',' + okId("uuid-2") + "]",
        {ok(201), forbiddenOutcome, ok(201)}, QString());
    // The same id twice: CouchDB's second one is a conflict; kept in batch order.
    row("same id twice", {u"x2"_s, u"a"_s, u"a"_s},
        "[" + forbidden + ',' + okId("a") + ',' + conflict + "]",
        {forbiddenOutcome, ok(201), conflictOutcome}, QString());
    row("reordered same id twice", {u"a"_s, u"x2"_s, u"a"_s},
        "[" + forbidden + ',' + okId("a") + ',' + conflict + "]",
        {ok(201), forbiddenOutcome, conflictOutcome}, QString());
    // An error entry without an id (the demo API's bad_request) for a doc that had one.
    row("null id left over", {u"x1"_s, u"y"_s, u"x2"_s},
        "[" + forbidden + R"(,{"id":null,"error":"bad_request","reason":"r"},)" + okId("x1") + "]",
        {ok(201), failed(400, u"bad_request: r"_s), forbiddenOutcome}, QString());
    row("ambiguous", {QString(), u"x2"_s, QString()},
        "[" + forbidden + R"(,{"id":"uuid-1","error":"forbidden","reason":"no"},)" + okId("uuid-2")
            + "]",
        {},
        u"the CouchDB _bulk_docs answer is not in the order of the documents, and 2 of its "
        u"entries with different outcomes cannot be matched to a document by id"_s);
}

void TestBulkCodec::parseCouchdbOutOfOrder()
{
    QFETCH(QStringList, ids);
    QFETCH(QByteArray, answer);
    QFETCH(Outcomes, outcomes);
    QFETCH(QString, error);
    const BulkReply reply
        = BulkCodec(TargetMode::CouchdbBulk, BulkAction::Index, true).parse(201, answer, ids);
    if (error.isEmpty()) {
        QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
        QVERIFY(sameOutcomes(reply.items, outcomes));
    } else {
        QVERIFY2(reply.error.startsWith(error), qPrintable(reply.error));
        QVERIFY(reply.items.isEmpty());
    }
}

void TestBulkCodec::parseWholeRequest_data()
{
    QTest::addColumn<TargetMode>("mode");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("error"); ///< each item's

    const QByteArray esRejected
        = R"({"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"r"}],)"
          R"("type":"es_rejected_execution_exception","reason":"rejected execution of bulk"},"status":429})";
    const QByteArray couchBad
        = R"({"error":"bad_request","reason":"Only reserved document ids may start with underscore."})";
    const QByteArray html = "<html><body>413 Request Entity Too Large</body></html>";

    const auto row = [](const char *name, TargetMode mode, int status, const QByteArray &answer,
                        const QString &error) {
        QTest::newRow(name) << mode << status << answer << error;
    };
    row("es 413 html", TargetMode::ElasticsearchBulk, 413, html, QString());
    row("es 429", TargetMode::ElasticsearchBulk, 429, esRejected,
        u"es_rejected_execution_exception: rejected execution of bulk"_s);
    row("es 500 empty", TargetMode::ElasticsearchBulk, 500, QByteArray(), QString());
    row("es 400 string error", TargetMode::ElasticsearchBulk, 400,
        R"({"error":"Incorrect HTTP method","status":405})", u"Incorrect HTTP method"_s);
    row("es no answer", TargetMode::ElasticsearchBulk, 0, QByteArray(), QString());
    row("couch 400", TargetMode::CouchdbBulk, 400, couchBad,
        u"bad_request: Only reserved document ids may start with underscore."_s);
    row("couch 413", TargetMode::CouchdbBulk, 413,
        R"({"error":"too_large","reason":"the request entity is too large"})",
        u"too_large: the request entity is too large"_s);
    row("couch 429 html", TargetMode::CouchdbBulk, 429, html, QString());
    row("couch 500", TargetMode::CouchdbBulk, 500,
        R"({"error":"unknown_error","reason":"function_clause"})",
        u"unknown_error: function_clause"_s);
    row("couch 409", TargetMode::CouchdbBulk, 409, R"({"error":"conflict"})", u"conflict"_s);
    row("couch 302", TargetMode::CouchdbBulk, 302, QByteArray(), QString());
    // json-array and ndjson never read the body: its shape is the API's own.
    row("json-array 201", TargetMode::JsonArray, 201, "not even JSON", QString());
    row("json-array 409", TargetMode::JsonArray, 409, couchBad, QString());
    row("json-array 500", TargetMode::JsonArray, 500, esRejected, QString());
    row("ndjson 200", TargetMode::Ndjson, 200, "{}", QString());
    row("ndjson 429", TargetMode::Ndjson, 429, couchBad, QString());
    row("ndjson no answer", TargetMode::Ndjson, 0, QByteArray(), QString());
}

void TestBulkCodec::parseWholeRequest()
{
    QFETCH(TargetMode, mode);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);
    QFETCH(QString, error);
    const BulkCodec codec(mode, BulkAction::Index, true);
    const BulkItemOutcome each {status, error, status == 409};
    for (const BulkReply &reply :
         {codec.parse(status, answer, 3), codec.parse(status, answer, QStringList(3, u"id"_s))}) {
        QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
        QVERIFY(sameOutcomes(reply.items, Outcomes(3, each)));
    }
}

int TestBulkCodec::post(const QByteArray &path, const QByteArray &contentType,
                        const QByteArray &body, QByteArray *answer)
{
    QNetworkRequest request(
        QUrl::fromEncoded("http://127.0.0.1:" + QByteArray::number(m_port) + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    std::unique_ptr<QNetworkReply> reply(m_manager->post(request, body));
    if (!reply->isFinished()) {
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!finished.wait(10000))
            return 0;
    }
    *answer = reply->readAll();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

namespace {

// Keys that need escaping or are not ASCII, then plain ones.
Entries demoEntries(int count)
{
    const QStringList special {uR"(quote " and \ back)"_s, u"tab\there"_s, u"ctl\x01"_s,
                               u"Zürich 😀"_s, u"日本"_s};
    Entries entries;
    for (int i = 0; i < count; ++i) {
        const QString key = i < special.size() ? special.at(i) : u"k"_s + QString::number(i);
        entries.append({R"({"n":)" + QByteArray::number(i) + R"(,"name":"item )"
                            + QByteArray::number(i) + R"( é","tags":["a",{"b":null}]})",
                        key});
    }
    return entries;
}

QJsonObject objectOf(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

void TestBulkCodec::demoApiElasticsearch()
{
    DemoApiServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    m_port = server.port();

    const Entries entries = demoEntries(40);
    const BulkCodec index(TargetMode::ElasticsearchBulk, BulkAction::Index, true);
    QByteArray answer;
    int status = post("/es/_bulk", index.contentType(), encodeBatch(index, entries), &answer);
    QCOMPARE(status, 200);
    BulkReply reply = index.parse(status, answer, entries.size());
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items, Outcomes(entries.size(), ok(201))));
    QStringList keys;
    for (const Entry &entry : entries) {
        keys.append(entry.key);
        QCOMPARE(server.document(u"es"_s, entry.key), objectOf(entry.payload));
    }
    QCOMPARE(server.documentIds(u"es"_s), keys);

    // Again with "create": every document exists.
    const BulkCodec create(TargetMode::ElasticsearchBulk, BulkAction::Create, true);
    status = post("/es/_bulk", create.contentType(), encodeBatch(create, entries), &answer);
    QCOMPARE(status, 200);
    reply = create.parse(status, answer, entries.size());
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QCOMPARE(reply.items.size(), entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QCOMPARE(reply.items.at(i),
                 failed(409,
                        u"version_conflict_engine_exception: ["_s + entries.at(i).key
                            + u"]: version conflict, document already exists"_s));
    }
    QCOMPARE(server.count(u"es"_s), entries.size());

    // Without keys, items fail alone: an "id" the demo API cannot use, a document that is no
    // object (the codec sends what it is given).
    const BulkCodec bare(TargetMode::ElasticsearchBulk, BulkAction::Index, false);
    const Entries mixed {
        {R"({"id":"u1","v":1})", {}}, {R"({"id":{"x":1}})", {}}, {"[1,2]", {}}, {R"({"v":4})", {}}};
    status = post("/other/_bulk", bare.contentType(), encodeBatch(bare, mixed), &answer);
    QCOMPARE(status, 200);
    reply = bare.parse(status, answer, mixed.size());
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(
        reply.items,
        {ok(201),
         failed(
             400,
             uR"(illegal_argument_exception: the "id" field is an object; it must be a string, a number or a boolean)"_s),
         failed(
             400,
             u"mapper_parsing_exception: bulk line 6: the document is an array, not a JSON object"_s),
         ok(201)}));
    QCOMPARE(server.count(u"other"_s), 2);
    QCOMPARE(server.document(u"other"_s, u"u1"_s), objectOf(mixed.at(0).payload));

    // A request that fails as a whole: every item gets its status and the server's words.
    status = post("/fail/503/_bulk", index.contentType(), encodeBatch(index, entries), &answer);
    QCOMPARE(status, 503);
    reply = index.parse(status, answer, entries.size());
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(
        reply.items,
        Outcomes(entries.size(), failed(503, u"rejected by the demo API's /fail/503 endpoint"_s))));
}

void TestBulkCodec::demoApiCouchdb()
{
    DemoApiServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    m_port = server.port();

    Entries entries = demoEntries(30);
    entries.append({"{}", u"empty"_s});
    entries.append({R"({"_id":"own","v":1})", u"not used"_s});
    const BulkCodec keyed(TargetMode::CouchdbBulk, BulkAction::Index, true);
    QStringList ids;
    QByteArray answer;
    int status = post("/couch/_bulk_docs", keyed.contentType(), encodeBatch(keyed, entries, &ids),
                      &answer);
    QCOMPARE(status, 201);
    BulkReply reply = keyed.parse(status, answer, ids);
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items, Outcomes(entries.size(), ok(201))));
    QCOMPARE(server.documentIds(u"couch"_s), ids);
    QCOMPARE(ids.constLast(), u"own"_s);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QJsonObject expected = objectOf(entries.at(i).payload);
        expected.insert(u"_id"_s, ids.at(i));
        QCOMPARE(server.document(u"couch"_s, ids.at(i)), expected);
    }

    // Without keys: the demo API fails a doc whose "id" cannot be an id, alone.
    const BulkCodec bare(TargetMode::CouchdbBulk, BulkAction::Index, false);
    const Entries mixed {{R"({"id":"c1"})", {}}, {R"({"id":[1]})", {}}, {R"({"id":"c3"})", {}}};
    ids.clear();
    status = post("/plain/_bulk_docs", bare.contentType(), encodeBatch(bare, mixed, &ids), &answer);
    QCOMPARE(status, 201);
    QCOMPARE(ids, QStringList(3));
    const Outcomes expected {
        ok(201),
        failed(
            400,
            uR"(bad_request: the "id" field is an array; it must be a string, a number or a boolean)"_s),
        ok(201)};
    reply = bare.parse(status, answer, mixed.size());
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items, expected));
    reply = bare.parse(status, answer, ids);
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items, expected));
    QCOMPARE(server.documentIds(u"plain"_s), (QStringList {u"c1"_s, u"c3"_s}));
}

void TestBulkCodec::demoApiJsonArray()
{
    DemoApiServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    m_port = server.port();

    const Entries entries = demoEntries(10);
    const BulkCodec codec(TargetMode::JsonArray, BulkAction::Index, true);
    QByteArray answer;
    const int status = post("/array", codec.contentType(), encodeBatch(codec, entries), &answer);
    QCOMPARE(status, 201);
    const BulkReply reply = codec.parse(status, answer, entries.size());
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items, Outcomes(entries.size(), ok(201))));
    QCOMPARE(server.count(u"array"_s), entries.size());
}

QTEST_GUILESS_MAIN(TestBulkCodec)
#include "tst_bulkcodec.moc"
