// SPDX-License-Identifier: GPL-3.0-or-later
#include <csignal>
#include <memory>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include "demoapicommand.h"
#include "demoapiserver.h"

using namespace Qt::StringLiterals;
using sluice::DemoApiServer;

namespace {

struct Response
{
    int status = 0;
    QByteArray body;
    QJsonDocument json;
    QByteArray allow;
    QByteArray contentType;

    QJsonObject object() const { return json.object(); }
    QString error() const { return json.object().value("error"_L1).toString(); }
};

// CTest sets SLUICE_SOURCE_DIR to the repository's top folder.
QString sourceDir()
{
    return qEnvironmentVariable("SLUICE_SOURCE_DIR");
}

QByteArray ndjson(const QList<QByteArray> &lines)
{
    return lines.join('\n') + '\n';
}

QStringList idsOf(const QJsonArray &items)
{
    QStringList ids;
    for (const QJsonValue &item : items)
        ids.append(item.toObject().value("id"_L1).toVariant().toString());
    return ids;
}

// Every {{column}} used in a template value, recursively.
void collectPlaceholders(const QJsonValue &value, QSet<QString> *names)
{
    static const QRegularExpression placeholder(u"\\{\\{\\s*([^}\\s]+)\\s*\\}\\}"_s);
    if (value.isString()) {
        for (const QRegularExpressionMatch &m : placeholder.globalMatch(value.toString()))
            names->insert(m.captured(1));
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            collectPlaceholders(it.value(), names);
    } else if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            collectPlaceholders(v, names);
    }
}

QSet<QString> keysOf(const QJsonObject &object)
{
    const QStringList keys = object.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

} // namespace

// Sends one request and waits for its answer; returns from the calling test on failure.
#define SEND(response, verb, path, ...) \
    do { \
        send(&(response), verb, path __VA_OPT__(, ) __VA_ARGS__); \
        if (QTest::currentTestFailed()) \
            return; \
    } while (false)

class TestDemoApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void docCreateUpdateGet();
    void idFromBody_data();
    void idFromBody();
    void putWithId_data();
    void putWithId();
    void postObjectAndArrayToCollection();
    void bulk();
    void bulkMalformedActionRejectsWholeRequest();
    void bulkWithoutIndex();
    void bulkDocs();
    void summaryAndListing();
    void listingParameters_data();
    void listingParameters();
    void deleteCollectionAndDocument();
    void badBodies_data();
    void badBodies();
    void failEndpoint_data();
    void failEndpoint();
    void flaky_data();
    void flaky();
    void flakyRetriesGetThrough();
    void unknownRoutes_data();
    void unknownRoutes();
    void accessorsAndSignals();
    void portInUse();
    void commandLineErrors_data();
    void commandLineErrors();
    void commandRunsUntilSigterm();

    void exampleDatabase();
    void exampleDatabaseMatchesSql();
    void exampleTransferFile();

private:
    void send(Response *response, const QByteArray &verb, const QByteArray &encodedPath,
              const QByteArray &body = QByteArray());
    void store(const QString &collection, const QJsonObject &object);

    QNetworkAccessManager *m_manager = nullptr;
    std::unique_ptr<DemoApiServer> m_server;
};

void TestDemoApi::initTestCase()
{
    m_manager = new QNetworkAccessManager(this);
    m_manager->setProxy(QNetworkProxy::NoProxy);
}

void TestDemoApi::init()
{
    m_server = std::make_unique<DemoApiServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QVERIFY(m_server->port() != 0);
    QCOMPARE(m_server->address(), QHostAddress(QHostAddress::LocalHost));
}

void TestDemoApi::cleanup()
{
    m_server.reset();
}

void TestDemoApi::send(Response *response, const QByteArray &verb, const QByteArray &encodedPath,
                       const QByteArray &body)
{
    const QUrl url = QUrl::fromEncoded("http://127.0.0.1:" + QByteArray::number(m_server->port())
                                       + encodedPath);
    QNetworkRequest request(url);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(m_manager->sendCustomRequest(request, verb, body));
    if (!reply->isFinished()) {
        // QSignalSpy::wait returns on the signal; QTRY_* would add 50 ms polls per request.
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
    }
    response->status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response->body = reply->readAll();
    response->allow = reply->rawHeader("Allow");
    response->contentType = reply->rawHeader("Content-Type");
    QJsonParseError error;
    response->json = QJsonDocument::fromJson(response->body, &error);
    QVERIFY2(response->status != 0, qPrintable(reply->errorString()));
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(u"not JSON: "_s + QString::fromUtf8(response->body)));
    QCOMPARE(response->contentType, "application/json");
}

void TestDemoApi::store(const QString &collection, const QJsonObject &object)
{
    Response r;
    SEND(r, "POST", "/" + collection.toUtf8() + "/_doc",
         QJsonDocument(object).toJson(QJsonDocument::Compact));
    QVERIFY2(r.status == 201 || r.status == 200, r.body.constData());
}

void TestDemoApi::docCreateUpdateGet()
{
    const QJsonObject first {{"id"_L1, 42}, {"name"_L1, u"Zürich Hbf \"B\""_s}, {"value"_L1, 1.5}};
    Response r;
    SEND(r, "POST", "/sensors/_doc", QJsonDocument(first).toJson());
    QCOMPARE(r.status, 201);
    QCOMPARE(r.object().value("result"_L1).toString(), u"created"_s);
    QCOMPARE(r.object().value("_id"_L1).toString(), u"42"_s);
    QCOMPARE(r.object().value("_index"_L1).toString(), u"sensors"_s);
    QCOMPARE(m_server->count(u"sensors"_s), 1);
    QCOMPARE(m_server->document(u"sensors"_s, u"42"_s), first);

    QJsonObject second = first;
    second.insert("value"_L1, QJsonValue::Null);
    SEND(r, "POST", "/sensors/_doc", QJsonDocument(second).toJson(QJsonDocument::Compact));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("result"_L1).toString(), u"updated"_s);
    QCOMPARE(r.object().value("_version"_L1).toInt(), 2);
    QCOMPARE(m_server->count(u"sensors"_s), 1);

    SEND(r, "GET", "/sensors/_doc/42");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("_id"_L1).toString(), u"42"_s);
    QCOMPARE(r.object().value("found"_L1).toBool(), true);
    QCOMPARE(r.object().value("_source"_L1).toObject(), second);

    SEND(r, "GET", "/sensors/_doc/43");
    QCOMPARE(r.status, 404);
    QCOMPARE(r.object().value("found"_L1).toBool(true), false);
    SEND(r, "GET", "/nothing/_doc/42");
    QCOMPARE(r.status, 404);
}

void TestDemoApi::idFromBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expectedId"); // empty: a generated one

    QTest::newRow("integer") << QByteArray(R"({"id": 12345})") << u"12345"_s;
    QTest::newRow("negative integer") << QByteArray(R"({"id": -7})") << u"-7"_s;
    QTest::newRow("big integer") << QByteArray(R"({"id": 9007199254740993})")
                                 << u"9007199254740993"_s;
    QTest::newRow("real") << QByteArray(R"({"id": 1.25})") << u"1.25"_s;
    QTest::newRow("string") << QByteArray(R"({"id": "s-1"})") << u"s-1"_s;
    QTest::newRow("non-ASCII string") << QByteArray(R"({"id": "東京-1"})") << u"東京-1"_s;
    QTest::newRow("boolean") << QByteArray(R"({"id": true})") << u"true"_s;
    QTest::newRow("null") << QByteArray(R"({"id": null})") << QString();
    QTest::newRow("empty string") << QByteArray(R"({"id": ""})") << QString();
    QTest::newRow("absent") << QByteArray(R"({"name": "x"})") << QString();
}

void TestDemoApi::idFromBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expectedId);

    Response r;
    SEND(r, "POST", "/ids/_doc", body);
    QCOMPARE(r.status, 201);
    const QString id = r.object().value("_id"_L1).toString();
    QVERIFY(!id.isEmpty());
    if (!expectedId.isEmpty())
        QCOMPARE(id, expectedId);
    QCOMPARE(m_server->documentIds(u"ids"_s), QStringList {id});
    QCOMPARE(m_server->document(u"ids"_s, id), QJsonDocument::fromJson(body).object());

    // A second document without an id gets another generated one, never the same.
    if (expectedId.isEmpty()) {
        SEND(r, "POST", "/ids/_doc", body);
        QCOMPARE(r.status, 201);
        QVERIFY(r.object().value("_id"_L1).toString() != id);
        QCOMPARE(m_server->count(u"ids"_s), 2);
    }
}

void TestDemoApi::putWithId_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("plain") << u"abc"_s;
    QTest::newRow("digits") << u"0012"_s;
    QTest::newRow("space") << u"with space"_s;
    QTest::newRow("slash") << u"a/b"_s;
    QTest::newRow("non-ASCII") << u"Kraków ✓"_s;
}

void TestDemoApi::putWithId()
{
    QFETCH(QString, id);
    const QByteArray path = "/things/_doc/" + QUrl::toPercentEncoding(id);
    // The path's id wins over the body's.
    const QJsonObject body {{"id"_L1, u"other"_s}, {"n"_L1, 1}};

    Response r;
    SEND(r, "PUT", path, QJsonDocument(body).toJson());
    QCOMPARE(r.status, 201);
    QCOMPARE(r.object().value("_id"_L1).toString(), id);
    QCOMPARE(m_server->documentIds(u"things"_s), QStringList {id});

    SEND(r, "PUT", path, QJsonDocument(body).toJson());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("result"_L1).toString(), u"updated"_s);
    QCOMPARE(m_server->count(u"things"_s), 1);

    SEND(r, "GET", path);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("_id"_L1).toString(), id);
    QCOMPARE(r.object().value("_source"_L1).toObject(), body);
}

void TestDemoApi::postObjectAndArrayToCollection()
{
    Response r;
    SEND(r, "POST", "/list", R"({"id": "single", "v": 0})");
    QCOMPARE(r.status, 201);
    QCOMPARE(r.object().value("_id"_L1).toString(), u"single"_s);

    const QJsonArray array {
        QJsonObject {{"id"_L1, 1}, {"v"_L1, u"a"_s}}, 17, QJsonObject {{"v"_L1, u"no id"_s}},
        QJsonObject {{"id"_L1, QJsonArray {1}}}, QJsonObject {{"id"_L1, u"single"_s}, {"v"_L1, 2}}};
    SEND(r, "POST", "/list", QJsonDocument(array).toJson());
    QCOMPARE(r.status, 201);
    QCOMPARE(r.object().value("errors"_L1).toBool(), true);
    const QJsonArray items = r.object().value("items"_L1).toArray();
    QCOMPARE(items.size(), array.size());
    const QList<int> expectedStatus {201, 400, 201, 400, 200};
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        QCOMPARE(item.value("status"_L1).toInt(), expectedStatus.at(i));
        QCOMPARE(item.contains("error"_L1), expectedStatus.at(i) == 400);
    }
    QVERIFY(items.at(1).toObject().value("error"_L1).toString().contains(u"not a JSON object"_s));
    QCOMPARE(items.at(0).toObject().value("_id"_L1).toString(), u"1"_s);
    QCOMPARE(m_server->count(u"list"_s), 3);
    QCOMPARE(m_server->document(u"list"_s, u"single"_s), array.at(4).toObject());
    const QString generated = items.at(2).toObject().value("_id"_L1).toString();
    QCOMPARE(m_server->document(u"list"_s, generated), array.at(2).toObject());

    SEND(r, "POST", "/list", "[]");
    QCOMPARE(r.status, 201);
    QCOMPARE(r.object().value("errors"_L1).toBool(true), false);
    QCOMPARE(r.object().value("items"_L1).toArray().size(), 0);
}

void TestDemoApi::bulk()
{
    const QByteArray body = ndjson({
        R"({"index":{"_id":"b1"}})",
        R"({"name":"first"})",
        R"({"index":{}})",
        R"({"id":7,"name":"id from the document"})",
        "",
        R"({"index":{"_id":"broken"}})",
        R"({"name": "unterminated)",
        R"({"create":{"_index":"other","_id":"c1"}})",
        R"({"name":"elsewhere"})",
        R"({"create":{"_id":"b1"}})",
        R"({"name":"conflict"})",
        R"({"index":{"_id":"arr"}})",
        R"([1,2])",
        R"({"delete":{"_id":"nope"}})",
    });
    Response r;
    SEND(r, "POST", "/sensors/_bulk", body);
    QCOMPARE(r.status, 200);
    QVERIFY(r.object().value("took"_L1).isDouble());
    QCOMPARE(r.object().value("errors"_L1).toBool(), true);
    const QJsonArray items = r.object().value("items"_L1).toArray();

    struct Expected
    {
        const char *action;
        int status;
        const char *index;
        const char *id;
    };
    const QList<Expected> expected {
        {"index", 201, "sensors", "b1"},     {"index", 201, "sensors", "7"},
        {"index", 400, "sensors", "broken"}, {"create", 201, "other", "c1"},
        {"create", 409, "sensors", "b1"},    {"index", 400, "sensors", "arr"},
        {"delete", 404, "sensors", "nope"}};
    QCOMPARE(items.size(), expected.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject wrapper = items.at(i).toObject();
        const QString action = QString::fromLatin1(expected.at(i).action);
        QCOMPARE(wrapper.keys(), QStringList {action});
        const QJsonObject item = wrapper.value(action).toObject();
        QCOMPARE(item.value("status"_L1).toInt(), expected.at(i).status);
        QCOMPARE(item.value("_index"_L1).toString(), QString::fromLatin1(expected.at(i).index));
        QCOMPARE(item.value("_id"_L1).toString(), QString::fromLatin1(expected.at(i).id));
        const bool failed = expected.at(i).status >= 400 && expected.at(i).status != 404;
        QCOMPARE(item.value("error"_L1).isObject(), failed);
        if (failed) {
            QVERIFY(!item.value("error"_L1).toObject().value("type"_L1).toString().isEmpty());
            QVERIFY(!item.value("error"_L1).toObject().value("reason"_L1).toString().isEmpty());
        }
    }
    QVERIFY(items.at(2)
                .toObject()
                .value("index"_L1)
                .toObject()
                .value("error"_L1)
                .toObject()
                .value("reason"_L1)
                .toString()
                .contains(u"line 7"_s));

    QCOMPARE(m_server->documentIds(u"sensors"_s), (QStringList {u"b1"_s, u"7"_s}));
    QCOMPARE(m_server->document(u"sensors"_s, u"b1"_s).value("name"_L1).toString(), u"first"_s);
    QCOMPARE(m_server->documentIds(u"other"_s), QStringList {u"c1"_s});

    // Sending the same index actions again replaces the documents: 200, nothing new.
    const QByteArray again = ndjson({R"({"index":{"_id":"b1"}})", R"({"name":"second"})",
                                     R"({"index":{"_index":"other"}})", R"({"id":"c1"})",
                                     R"({"delete":{"_id":"7"}})"});
    SEND(r, "POST", "/sensors/_bulk", again);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("errors"_L1).toBool(true), false);
    const QJsonArray againItems = r.object().value("items"_L1).toArray();
    QCOMPARE(againItems.size(), 3);
    QCOMPARE(againItems.at(0).toObject().value("index"_L1).toObject().value("status"_L1).toInt(),
             200);
    QCOMPARE(againItems.at(1).toObject().value("index"_L1).toObject().value("status"_L1).toInt(),
             200);
    QCOMPARE(againItems.at(2).toObject().value("delete"_L1).toObject().value("status"_L1).toInt(),
             200);
    QCOMPARE(m_server->documentIds(u"sensors"_s), QStringList {u"b1"_s});
    QCOMPARE(m_server->document(u"sensors"_s, u"b1"_s).value("name"_L1).toString(), u"second"_s);
    QCOMPARE(m_server->count(u"other"_s), 1);
}

void TestDemoApi::bulkMalformedActionRejectsWholeRequest()
{
    const QList<QByteArray> bodies {
        ndjson({R"({"index":{"_id":"1"}})", R"({"a":1})", R"({"index": )",
                R"({"index":{"_id":"2"}})", R"({"a":2})"}),
        ndjson({R"({"index":{"_id":"1"}})", R"({"a":1})", R"({"upsert":{}})", R"({"a":2})"}),
        ndjson({R"({"index":{"_id":"1"}})", R"({"a":1})", R"({"index":{"_id":"2"}})"}),
    };
    for (const QByteArray &body : bodies) {
        Response r;
        SEND(r, "POST", "/sensors/_bulk", body);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().startsWith(u"bulk line 3"_s), r.body.constData());
        QCOMPARE(m_server->count(u"sensors"_s), 0);
    }
}

void TestDemoApi::bulkWithoutIndex()
{
    Response r;
    SEND(r, "POST", "/_bulk",
         ndjson({R"({"index":{"_index":"a","_id":"1"}})", R"({})", R"({"index":{"_id":"2"}})",
                 R"({})", R"({"index":{"_index":"_bad"}})", R"({})"}));
    QCOMPARE(r.status, 200);
    const QJsonArray items = r.object().value("items"_L1).toArray();
    QCOMPARE(items.size(), 3);
    QCOMPARE(items.at(0).toObject().value("index"_L1).toObject().value("status"_L1).toInt(), 201);
    QCOMPARE(items.at(1).toObject().value("index"_L1).toObject().value("status"_L1).toInt(), 400);
    QCOMPARE(items.at(2).toObject().value("index"_L1).toObject().value("status"_L1).toInt(), 400);
    QCOMPARE(m_server->collections(), QStringList {u"a"_s});
}

void TestDemoApi::bulkDocs()
{
    const QJsonArray docs {QJsonObject {{"_id"_L1, u"d1"_s}, {"v"_L1, 1}},
                           QJsonObject {{"id"_L1, 5}, {"v"_L1, 2}}, QJsonObject {{"v"_L1, 3}},
                           u"not an object"_s};
    Response r;
    SEND(r, "POST", "/couch/_bulk_docs", QJsonDocument(QJsonObject {{"docs"_L1, docs}}).toJson());
    QCOMPARE(r.status, 201);
    QVERIFY(r.json.isArray());
    const QJsonArray results = r.json.array();
    QCOMPARE(results.size(), docs.size());
    static const QRegularExpression rev(u"^1-[0-9a-f]{32}$"_s);
    for (qsizetype i = 0; i < 3; ++i) {
        const QJsonObject result = results.at(i).toObject();
        QCOMPARE(result.value("ok"_L1).toBool(), true);
        QVERIFY2(rev.match(result.value("rev"_L1).toString()).hasMatch(),
                 qPrintable(result.value("rev"_L1).toString()));
        QCOMPARE(m_server->document(u"couch"_s, result.value("id"_L1).toString()),
                 docs.at(i).toObject());
    }
    QCOMPARE(results.at(0).toObject().value("id"_L1).toString(), u"d1"_s);
    QCOMPARE(results.at(1).toObject().value("id"_L1).toString(), u"5"_s);
    const QJsonObject bad = results.at(3).toObject();
    QCOMPARE(bad.value("error"_L1).toString(), u"bad_request"_s);
    QVERIFY(!bad.value("reason"_L1).toString().isEmpty());
    QVERIFY(bad.contains("id"_L1));
    QCOMPARE(m_server->count(u"couch"_s), 3);

    // A second write of the same document bumps the revision.
    SEND(r, "POST", "/couch/_bulk_docs",
         QJsonDocument(QJsonObject {{"docs"_L1, QJsonArray {docs.at(0)}}}).toJson());
    QCOMPARE(r.status, 201);
    QVERIFY(r.json.array().at(0).toObject().value("rev"_L1).toString().startsWith(u"2-"_s));

    SEND(r, "POST", "/couch/_bulk_docs", R"({"documents": []})");
    QCOMPARE(r.status, 400);
    QVERIFY2(r.error().contains(u"\"docs\""_s), r.body.constData());
}

void TestDemoApi::summaryAndListing()
{
    for (int i = 0; i < 3; ++i)
        store(u"alpha"_s, {{"id"_L1, i}, {"n"_L1, i * 10}});
    store(u"beta.v2"_s, {{"id"_L1, u"x"_s}});

    Response r;
    SEND(r, "GET", "/");
    QCOMPARE(r.status, 200);
    const QJsonObject collections = r.object().value("collections"_L1).toObject();
    QCOMPARE(collections.keys(), m_server->collections());
    for (const QString &name : m_server->collections())
        QCOMPARE(collections.value(name).toInteger(), qint64(m_server->count(name)));
    QCOMPARE(quint64(r.object().value("requests"_L1).toInteger()), m_server->requestCount());
    QCOMPARE(m_server->requestCount(), quint64(5)); // 4 stores and this summary

    SEND(r, "GET", "/alpha");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("count"_L1).toInteger(), qint64(m_server->count(u"alpha"_s)));
    const QJsonArray items = r.object().value("items"_L1).toArray();
    QCOMPARE(idsOf(items), m_server->documentIds(u"alpha"_s));
    for (const QJsonValue &item : items)
        QCOMPARE(
            item.toObject(),
            m_server->document(u"alpha"_s, item.toObject().value("id"_L1).toVariant().toString()));

    SEND(r, "GET", "/never-written");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("count"_L1).toInt(-1), 0);
    QCOMPARE(r.object().value("items"_L1).toArray().size(), 0);
}

void TestDemoApi::listingParameters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("limit");

    QTest::newRow("default") << QByteArray() << 0 << 100;
    QTest::newRow("limit") << QByteArray("?limit=7") << 0 << 7;
    QTest::newRow("offset") << QByteArray("?offset=120") << 120 << 100;
    QTest::newRow("both") << QByteArray("?limit=3&offset=10") << 10 << 3;
    QTest::newRow("past the end") << QByteArray("?offset=500") << 500 << 100;
    QTest::newRow("limit 0") << QByteArray("?limit=0") << 0 << 0;
}

void TestDemoApi::listingParameters()
{
    QFETCH(QByteArray, query);
    QFETCH(int, offset);
    QFETCH(int, limit);

    QJsonArray array;
    for (int i = 0; i < 150; ++i)
        array.append(QJsonObject {{"id"_L1, u"k%1"_s.arg(i)}});
    Response r;
    SEND(r, "POST", "/many", QJsonDocument(array).toJson(QJsonDocument::Compact));
    QCOMPARE(r.status, 201);
    QCOMPARE(m_server->count(u"many"_s), array.size());

    SEND(r, "GET", "/many" + query);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("count"_L1).toInteger(), qint64(array.size()));
    const QStringList all = m_server->documentIds(u"many"_s);
    QCOMPARE(idsOf(r.object().value("items"_L1).toArray()), all.mid(offset, limit));
}

void TestDemoApi::deleteCollectionAndDocument()
{
    store(u"gone"_s, {{"id"_L1, 1}});
    store(u"gone"_s, {{"id"_L1, 2}});
    store(u"gone"_s, {{"id"_L1, 3}});
    store(u"kept"_s, {{"id"_L1, 1}});
    QSignalSpy cleared(m_server.get(), &DemoApiServer::collectionCleared);

    Response r;
    SEND(r, "DELETE", "/gone/_doc/2");
    QCOMPARE(r.status, 200);
    QCOMPARE(m_server->documentIds(u"gone"_s), (QStringList {u"1"_s, u"3"_s}));
    SEND(r, "GET", "/gone/_doc/3"); // the index still finds the documents after the gap
    QCOMPARE(r.status, 200);
    SEND(r, "DELETE", "/gone/_doc/2");
    QCOMPARE(r.status, 404);

    SEND(r, "DELETE", "/gone");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("deleted"_L1).toInt(), 2);
    QCOMPARE(m_server->count(u"gone"_s), 0);
    QCOMPARE(m_server->collections(), QStringList {u"kept"_s});
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(cleared.at(0).at(0).toString(), u"gone"_s);

    SEND(r, "GET", "/gone/_doc/1");
    QCOMPARE(r.status, 404);
    SEND(r, "DELETE", "/gone");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value("deleted"_L1).toInt(-1), 0);
}

void TestDemoApi::badBodies_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("pattern"); // of the "error" text

    const QString invalid = u"^the body is not valid JSON: [a-z ]+ at offset %1"_s;
    QTest::newRow("truncated") << QByteArray("POST") << QByteArray("/s/_doc")
                               << QByteArray(R"({"id": 1, "name": )") << invalid.arg(u"1[89]"_s);
    QTest::newRow("garbage after") << QByteArray("POST") << QByteArray("/s/_doc")
                                   << QByteArray(R"({"id": 1} x)") << invalid.arg(u"1[01]"_s);
    QTest::newRow("missing comma") << QByteArray("PUT") << QByteArray("/s/_doc/1")
                                   << QByteArray(R"({"a": 1 "b": 2})") << invalid.arg(u"[89]"_s);
    QTest::newRow("into collection")
        << QByteArray("POST") << QByteArray("/s") << QByteArray("[{},") << invalid.arg(u"\\d+"_s);
    QTest::newRow("array for _doc")
        << QByteArray("POST") << QByteArray("/s/_doc") << QByteArray("[{}]")
        << u"^expected a JSON object as the body, got an array$"_s;
    QTest::newRow("number") << QByteArray("POST") << QByteArray("/s/_doc") << QByteArray("42")
                            << u"^the body is a number, not a JSON object"_s;
    QTest::newRow("string to collection") << QByteArray("POST") << QByteArray("/s")
                                          << QByteArray(R"("x")") << u"^the body is a string"_s;
    QTest::newRow("empty") << QByteArray("POST") << QByteArray("/s/_doc") << QByteArray()
                           << u"^the body is empty"_s;
    QTest::newRow("object id") << QByteArray("POST") << QByteArray("/s/_doc")
                               << QByteArray(R"({"id": {"a": 1}})")
                               << u"^the \"id\" field is an object"_s;
    QTest::newRow("bulk_docs array") << QByteArray("POST") << QByteArray("/s/_bulk_docs")
                                     << QByteArray("[]") << u"expected \\{\"docs\""_s;
}

void TestDemoApi::badBodies()
{
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, pattern);

    Response r;
    SEND(r, verb, path, body);
    QCOMPARE(r.status, 400);
    const QRegularExpression expected(pattern);
    QVERIFY(expected.isValid());
    QVERIFY2(expected.match(r.error()).hasMatch(), qPrintable(r.error()));
    QCOMPARE(r.object().value("status"_L1).toInt(), 400);
    QCOMPARE(m_server->collections(), QStringList());
}

void TestDemoApi::failEndpoint_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");

    QTest::newRow("422 doc") << QByteArray("POST") << QByteArray("/fail/422/sensors/_doc") << 422;
    QTest::newRow("500 bulk") << QByteArray("POST") << QByteArray("/fail/500/_bulk") << 500;
    QTest::newRow("429 get") << QByteArray("GET") << QByteArray("/fail/429/") << 429;
    QTest::newRow("unlisted 599") << QByteArray("PUT") << QByteArray("/fail/599/a/_doc/1") << 599;
    QTest::newRow("bare") << QByteArray("POST") << QByteArray("/fail/401") << 401;
}

void TestDemoApi::failEndpoint()
{
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, path);
    QFETCH(int, status);

    Response r;
    SEND(r, verb, path, R"({"id": 1})");
    QCOMPARE(r.status, status);
    QCOMPARE(r.object().value("status"_L1).toInt(), status);
    QCOMPARE(r.error(), u"rejected by the demo API's /fail/%1 endpoint"_s.arg(status));
    QCOMPARE(m_server->collections(), QStringList());

    SEND(r, "POST", "/fail/abc/sensors/_doc", R"({"id": 1})");
    QCOMPARE(r.status, 400);
    SEND(r, "POST", "/fail/99/sensors/_doc", R"({"id": 1})");
    QCOMPARE(r.status, 400);
}

void TestDemoApi::flaky_data()
{
    QTest::addColumn<int>("percent");
    QTest::newRow("0") << 0;
    QTest::newRow("30") << 30;
    QTest::newRow("50") << 50;
    QTest::newRow("100") << 100;
}

void TestDemoApi::flaky()
{
    QFETCH(int, percent);
    const QByteArray path = "/flaky/" + QByteArray::number(percent) + "/sensors/_doc";

    constexpr int requests = 40;
    QList<int> statuses;
    for (int i = 0; i < requests; ++i) {
        Response r;
        SEND(r, "POST", path, QJsonDocument(QJsonObject {{"id"_L1, i}}).toJson());
        QVERIFY2(r.status == 503 || r.status == 201, r.body.constData());
        if (r.status == 503)
            QCOMPARE(r.error(), u"temporarily unavailable (demo)"_s);
        statuses.append(r.status);
    }
    const qsizetype failed = statuses.count(503);
    QCOMPARE(failed, qsizetype(requests * percent / 100));
    QCOMPARE(m_server->count(u"sensors"_s), requests - failed);
    if (percent > 0) // a demo shows the failure at once
        QCOMPARE(statuses.constFirst(), 503);
    // Evenly spread: never more consecutive failures than the ratio needs.
    if (percent > 0 && percent <= 50) {
        for (qsizetype i = 1; i < statuses.size(); ++i)
            QVERIFY(!(statuses.at(i) == 503 && statuses.at(i - 1) == 503));
    }
}

void TestDemoApi::flakyRetriesGetThrough()
{
    // Each item is retried up to 3 times, as the example transfer does.
    int failures = 0;
    for (int item = 0; item < 20; ++item) {
        const QByteArray body = QJsonDocument(QJsonObject {{"id"_L1, item}}).toJson();
        int status = 0;
        for (int attempt = 0; attempt < 4 && status != 201; ++attempt) {
            Response r;
            SEND(r, "POST", "/flaky/50/sensors/_doc", body);
            status = r.status;
            failures += status == 503 ? 1 : 0;
        }
        QCOMPARE(status, 201);
    }
    QCOMPARE(m_server->count(u"sensors"_s), 20);
    QCOMPARE(failures, 20);

    Response r;
    SEND(r, "GET", "/flaky/200/sensors");
    QCOMPARE(r.status, 400);
}

void TestDemoApi::unknownRoutes_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");

    QTest::newRow("underscore collection")
        << QByteArray("GET") << QByteArray("/_cat") << 404 << QByteArray();
    QTest::newRow("bad collection name")
        << QByteArray("GET") << QByteArray("/a%20b") << 404 << QByteArray();
    QTest::newRow("unknown endpoint")
        << QByteArray("POST") << QByteArray("/s/_update") << 404 << QByteArray();
    QTest::newRow("too deep") << QByteArray("GET") << QByteArray("/s/_doc/1/2") << 404
                              << QByteArray();
    QTest::newRow("GET _doc") << QByteArray("GET") << QByteArray("/s/_doc") << 405
                              << QByteArray("POST");
    QTest::newRow("PATCH doc") << QByteArray("PATCH") << QByteArray("/s/_doc/1") << 405
                               << QByteArray("GET, PUT, POST, DELETE");
    QTest::newRow("PUT collection")
        << QByteArray("PUT") << QByteArray("/s") << 405 << QByteArray("GET, POST, DELETE");
    QTest::newRow("DELETE root") << QByteArray("DELETE") << QByteArray("/") << 405
                                 << QByteArray("GET");
    QTest::newRow("GET _bulk") << QByteArray("GET") << QByteArray("/_bulk") << 405
                               << QByteArray("POST");
    QTest::newRow("GET _bulk_docs")
        << QByteArray("GET") << QByteArray("/s/_bulk_docs") << 405 << QByteArray("POST");
}

void TestDemoApi::unknownRoutes()
{
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);

    Response r;
    SEND(r, verb, path, R"({"id": 1})");
    QCOMPARE(r.status, status);
    QCOMPARE(r.object().value("status"_L1).toInt(), status);
    QVERIFY(!r.error().isEmpty());
    QCOMPARE(r.allow, allow);
    QCOMPARE(m_server->collections(), QStringList());
}

void TestDemoApi::accessorsAndSignals()
{
    QSignalSpy stored(m_server.get(), &DemoApiServer::documentStored);
    QSignalSpy cleared(m_server.get(), &DemoApiServer::collectionCleared);
    const quint64 before = m_server->requestCount();

    store(u"b"_s, {{"id"_L1, u"one"_s}});
    store(u"a"_s, {{"id"_L1, u"two"_s}});
    store(u"a"_s, {{"id"_L1, u"two"_s}, {"again"_L1, true}});
    Response r;
    SEND(r, "POST", "/fail/500/a/_doc", "{}");

    QCOMPARE(m_server->requestCount(), before + 4);
    QCOMPARE(stored.size(), 3);
    QCOMPARE(stored.at(0), (QVariantList {u"b"_s, u"one"_s}));
    QCOMPARE(stored.at(2), (QVariantList {u"a"_s, u"two"_s}));
    QCOMPARE(m_server->collections(), (QStringList {u"a"_s, u"b"_s}));
    QCOMPARE(m_server->document(u"a"_s, u"two"_s).value("again"_L1).toBool(), true);
    QVERIFY(m_server->document(u"a"_s, u"missing"_s).isEmpty());
    QVERIFY(m_server->document(u"missing"_s, u"two"_s).isEmpty());

    m_server->clear();
    QCOMPARE(m_server->collections(), QStringList());
    QCOMPARE(m_server->count(u"a"_s), 0);
    QCOMPARE(cleared.size(), 2);
    QCOMPARE(m_server->requestCount(), before + 4);
}

void TestDemoApi::portInUse()
{
    DemoApiServer second;
    QVERIFY(!second.start(m_server->port()));
    QVERIFY(!second.isListening());
    QVERIFY(!second.errorString().isEmpty());
    QCOMPARE(second.port(), quint16(0));

    QVERIFY(!m_server->start(0)); // once only
    QVERIFY(m_server->isListening());
}

void TestDemoApi::commandLineErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");

    QTest::newRow("help") << QStringList {u"demo-api"_s, u"--help"_s} << 0;
    QTest::newRow("help after program")
        << QStringList {u"/usr/bin/sluice"_s, u"demo-api"_s, u"-h"_s} << 0;
    QTest::newRow("bad port") << QStringList {u"demo-api"_s, u"--port"_s, u"http"_s} << 2;
    QTest::newRow("port too big") << QStringList {u"demo-api"_s, u"--port"_s, u"70000"_s} << 2;
    QTest::newRow("bad host") << QStringList {u"demo-api"_s, u"--host"_s, u"example"_s} << 2;
    QTest::newRow("unknown option") << QStringList {u"demo-api"_s, u"--verbose"_s} << 2;
    QTest::newRow("extra argument") << QStringList {u"demo-api"_s, u"8765"_s} << 2;
}

void TestDemoApi::commandLineErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QCOMPARE(sluice::runDemoApiCommand(arguments), exitCode);

    // The port of a running server is in use.
    const QStringList busy {u"demo-api"_s, u"--port"_s, QString::number(m_server->port())};
    QCOMPARE(sluice::runDemoApiCommand(busy), 2);
}

void TestDemoApi::commandRunsUntilSigterm()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    // From inside the command's event loop: one request, then SIGTERM as from `kill`.
    int status = 0;
    QTimer::singleShot(0, this, [this, port, &status] {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/cmd/_doc"_s.arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        QNetworkReply *reply = m_manager->post(request, R"({"id": "via-command"})");
        connect(reply, &QNetworkReply::finished, this, [reply, &status] {
            status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            std::raise(SIGTERM);
        });
    });
    const int exitCode
        = sluice::runDemoApiCommand({u"demo-api"_s, u"--port"_s, QString::number(port)});
    QCOMPARE(status, 201);
    QCOMPARE(exitCode, 0);
}

void TestDemoApi::exampleDatabase()
{
    QVERIFY2(!sourceDir().isEmpty(), "SLUICE_SOURCE_DIR is not set; run the test through ctest");
    const QString path = sourceDir() + u"/resources/example/sensors.db"_s;
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"example"_s);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));

        QSqlQuery query(db);
        QVERIFY(
            query.exec(u"SELECT count(*), sum(latitude IS NULL), sum(longitude IS NULL), "
                       u"sum(value IS NULL), sum(unit IS NULL), "
                       u"sum(measured_at >= '2024-01-01'), count(DISTINCT site) FROM sensors"_s));
        QVERIFY(query.next());
        const int rows = query.value(0).toInt();
        QVERIFY2(rows >= 200 && rows <= 300, qPrintable(QString::number(rows)));
        for (int column = 1; column <= 4; ++column)
            QVERIFY2(query.value(column).toInt() > 0, "every nullable column has NULLs");
        QVERIFY(query.value(5).toInt() > 0 && query.value(5).toInt() < rows);
        QVERIFY(query.value(6).toInt() >= 5);

        QVERIFY(query.exec(u"SELECT id, name, site, latitude, longitude, measured_at, value, unit "
                           u"FROM sensors ORDER BY id"_s));
        static const QRegularExpression iso(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"_s);
        QSet<QString> sites;
        int nextId = 1;
        while (query.next()) {
            QCOMPARE(query.value(0).toInt(), nextId++);
            QVERIFY(!query.value(1).toString().isEmpty());
            sites.insert(query.value(2).toString());
            QVERIFY2(iso.match(query.value(5).toString()).hasMatch(),
                     qPrintable(query.value(5).toString()));
            QCOMPARE(query.value(3).isNull(), query.value(4).isNull());
        }
        QCOMPARE(nextId - 1, rows);
        for (const QString &site :
             {u"Zürich Hbf"_s, u"São Paulo"_s, u"Kraków"_s, u"東京"_s, u"Malmö"_s})
            QVERIFY2(sites.contains(site), qPrintable(site));

        // Non-ASCII text survives a bound parameter both ways.
        for (const QString &name : {u"気温 丸の内"_s, u"Temperatura Rynek Główny"_s,
                                    u"Roof probe 🌡"_s, u"Thermometer \"North\" mast"_s}) {
            QSqlQuery byName(db);
            QVERIFY(byName.prepare(u"SELECT name, length(name) FROM sensors WHERE name = :name"_s));
            byName.bindValue(u":name"_s, name);
            QVERIFY2(byName.exec(), qPrintable(byName.lastError().text()));
            QVERIFY2(byName.next(), qPrintable(name));
            QCOMPARE(byName.value(0).toString(), name);
            // SQLite counts characters: the text is stored as UTF-8, not mangled bytes.
            QCOMPARE(byName.value(1).toInt(), name.toUcs4().size());
        }
    }
    QSqlDatabase::removeDatabase(u"example"_s);
}

void TestDemoApi::exampleDatabaseMatchesSql()
{
    QVERIFY2(!sourceDir().isEmpty(), "SLUICE_SOURCE_DIR is not set; run the test through ctest");
    // The committed sensors.db must be what scripts/make-example-db.sh makes of sensors.sql.
    QFile sqlFile(sourceDir() + u"/resources/example/sensors.sql"_s);
    QVERIFY(sqlFile.open(QIODevice::ReadOnly));
    const QString sql = QString::fromUtf8(sqlFile.readAll());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    {
        QSqlDatabase fresh = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"fresh"_s);
        fresh.setDatabaseName(dir.filePath(u"fresh.db"_s));
        QVERIFY(fresh.open());
        QSqlQuery query(fresh);
        QStringList lines;
        for (const QString &line : sql.split(u'\n')) {
            if (!line.startsWith(u"--"_s))
                lines.append(line);
        }
        for (const QString &statement : lines.join(u'\n').split(u";\n"_s)) {
            if (statement.trimmed().isEmpty())
                continue;
            QVERIFY2(query.exec(statement), qPrintable(query.lastError().text()));
        }
        QVERIFY(query.exec(u"ATTACH DATABASE '%1' AS committed"_s.arg(
            sourceDir() + u"/resources/example/sensors.db"_s)));
        const QString columns = u"id, name, site, latitude, longitude, measured_at, value, unit"_s;
        for (const auto &[a, b] :
             {std::pair {u"main"_s, u"committed"_s}, {u"committed"_s, u"main"_s}}) {
            QVERIFY(query.exec(u"SELECT count(*) FROM (SELECT %1 FROM %2.sensors EXCEPT SELECT %1 "
                               u"FROM %3.sensors)"_s.arg(columns, a, b)));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toInt(), 0);
        }
        QVERIFY(query.exec(u"SELECT (SELECT count(*) FROM main.sensors), "
                           u"(SELECT count(*) FROM committed.sensors)"_s));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toInt(), query.value(1).toInt());
        QVERIFY(query.value(0).toInt() > 0);
    }
    QSqlDatabase::removeDatabase(u"fresh"_s);
}

void TestDemoApi::exampleTransferFile()
{
    QVERIFY2(!sourceDir().isEmpty(), "SLUICE_SOURCE_DIR is not set; run the test through ctest");
    const QString path = sourceDir() + u"/resources/example/sensors-to-demo-api.json"_s;
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject spec = document.object();

    // Only keys of the transfer file (docs/design.md, "Transfer file"; plus target.timeoutSeconds).
    using Keys = QSet<QString>;
    QCOMPARE(keysOf(spec),
             (Keys {u"version"_s, u"source"_s, u"query"_s, u"transform"_s, u"target"_s, u"run"_s}));
    QCOMPARE(spec.value("version"_L1).toInt(), 1);
    const QJsonObject source = spec.value("source"_L1).toObject();
    QCOMPARE(keysOf(source), (Keys {u"driver"_s, u"database"_s}));
    QCOMPARE(source.value("driver"_L1).toString(), u"QSQLITE"_s);
    // The database is named relative to the transfer file.
    const QString database = source.value("database"_L1).toString();
    QVERIFY(QDir::isRelativePath(database));
    QVERIFY(QFileInfo::exists(QFileInfo(path).dir().filePath(database)));

    const QJsonObject query = spec.value("query"_L1).toObject();
    QCOMPARE(keysOf(query), (Keys {u"sql"_s, u"parameters"_s}));
    const QString sql = query.value("sql"_L1).toString();
    const QJsonObject parameters = query.value("parameters"_L1).toObject();
    QCOMPARE(parameters.value("since"_L1).toString(), u"2024-01-01"_s);
    for (const QString &name : parameters.keys())
        QVERIFY2(sql.contains(u':' + name), qPrintable(name));

    const QJsonObject transform = spec.value("transform"_L1).toObject();
    QCOMPARE(keysOf(transform), (Keys {u"key"_s, u"template"_s}));
    QCOMPARE(transform.value("key"_L1).toString(), u"{{id}}"_s);
    const QJsonObject templ = transform.value("template"_L1).toObject();
    QCOMPARE(templ.value("location"_L1).toObject(),
             (QJsonObject {{"lat"_L1, u"{{latitude}}"_s}, {"lon"_L1, u"{{longitude}}"_s}}));
    QCOMPARE(templ.value("label"_L1).toString(), u"{{site}} / {{name}}"_s);
    QCOMPARE(templ.value("source"_L1).toString(), u"sluice-example"_s);

    // Every placeholder names a column the query selects, and the query runs.
    QSet<QString> placeholders;
    collectPlaceholders(templ, &placeholders);
    collectPlaceholders(transform.value("key"_L1), &placeholders);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"transfer"_s);
        db.setDatabaseName(QFileInfo(path).dir().filePath(database));
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.prepare(sql));
        for (const QString &name : parameters.keys())
            q.bindValue(u':' + name, parameters.value(name).toVariant());
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QSet<QString> columns;
        for (int i = 0; i < q.record().count(); ++i)
            columns.insert(q.record().fieldName(i));
        QVERIFY2(columns.contains(placeholders),
                 qPrintable((placeholders - columns).values().join(u", "_s)));
        QCOMPARE(placeholders, columns); // every column is mapped
        int rows = 0;
        while (q.next())
            ++rows;
        QVERIFY(rows > 0);
    }
    QSqlDatabase::removeDatabase(u"transfer"_s);

    const QJsonObject target = spec.value("target"_L1).toObject();
    QVERIFY((Keys {u"url"_s, u"method"_s, u"headers"_s, u"mode"_s, u"timeoutSeconds"_s})
                .contains(keysOf(target)));
    QCOMPARE(target.value("method"_L1).toString(), u"POST"_s);
    QCOMPARE(target.value("mode"_L1).toString(), u"item"_s);
    QCOMPARE(target.value("headers"_L1).toObject().value("Content-Type"_L1).toString(),
             u"application/json"_s);
    const QUrl url(target.value("url"_L1).toString());
    QCOMPARE(url.host(), u"127.0.0.1"_s);
    QCOMPARE(url.port(), 8765); // the demo API's default port

    // The demo API accepts the target's method and path.
    Response r;
    SEND(r, target.value("method"_L1).toString().toUtf8(), url.path(QUrl::FullyEncoded).toUtf8(),
         R"({"id": 1})");
    QCOMPARE(r.status, 201);

    const QJsonObject run = spec.value("run"_L1).toObject();
    QCOMPARE(keysOf(run), (Keys {u"chunkSize"_s, u"concurrency"_s, u"maxRetries"_s}));
    QCOMPARE(run.value("chunkSize"_L1).toInt(), 100);
    QCOMPARE(run.value("concurrency"_L1).toInt(), 16);
    QCOMPARE(run.value("maxRetries"_L1).toInt(), 3);
}

QTEST_GUILESS_MAIN(TestDemoApi)
#include "tst_demoapi.moc"
