// SPDX-License-Identifier: GPL-3.0-or-later
// BulkCodec against a CouchDB API someone else wrote: pouchdb-server 4.2.0 (Node.js, in memory,
// installed from npm by the "pouchdb" CTest fixture, see tests/scripts/pouchdb-server.sh).
// Batches the codec writes go to /<db>/_bulk_docs over HTTP, the codec reads the answers, and
// the documents are read back and compared member by member with what was sent.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "net/bulkcodec.h"
#include "pouchdbserver.h"

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

struct Doc
{
    QByteArray payload; ///< compact JSON, as a transform writes it
    QString key;
};

using Answer = PouchDbServer::Answer;

// Values JSON can hold, each as JavaScript writes it back (12.5, not 12.50: the server
// re-serialises, so only the values can be compared, not the literals).
QByteArray payload(int n)
{
    return R"({"n":)" + QByteArray::number(n)
        + R"(,"text":"Zürich \"quoted\"\nline 2 😀 日本語 \\ \u00e9 \t","real":12.5,)"
          R"("negative":-3,"tiny":1e-7,"big":9007199254740991,"flag":true,"off":false,)"
          R"("none":null,"nested":{"list":[1,2.5,"x",{"deep":[]}],"empty":{}},"items":[]})";
}

// Keys that need escaping in JSON or are not ASCII, then plain ones.
QList<Doc> roundTripDocs()
{
    const QStringList special {uR"(quote " and \ back)"_s,
                               u"tab\there"_s,
                               u"Zürich 😀"_s,
                               u"日本語"_s,
                               u"with space"_s,
                               u"a/b?c&d"_s};
    QList<Doc> docs;
    for (int i = 0; i < 40; ++i)
        docs.append(
            {payload(i), i < special.size() ? special.at(i) : u"doc-"_s + QString::number(i)});
    docs.append({"{}", u"empty"_s});
    docs.append({R"({"_id":"own id","v":1})", u"not used: the payload has an _id"_s});
    return docs;
}

QByteArray encode(const BulkCodec &codec, const QList<Doc> &docs, QStringList *ids)
{
    QByteArray body;
    codec.begin(&body);
    for (const Doc &doc : docs) {
        QString id;
        codec.append(&body, doc.payload, doc.key, &id);
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
bool sameOutcomes(const QList<BulkItemOutcome> &actual, const QList<BulkItemOutcome> &expected)
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

const BulkItemOutcome created {201, QString(), false};
const BulkItemOutcome conflict {409, u"conflict: Document update conflict"_s, true};
const BulkItemOutcome forbidden {403, u"forbidden: bad is set"_s, false};

} // namespace

class TestCouchBulk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void roundTripAndConflicts();
    void validationRejectsDocsAlone();
    void badIdFailsTheWholeRequest();
    void unknownDatabase();
    void largeBatch();

private:
    /// Sends a request and waits for the answer (serving the event loop).
    Answer send(const QByteArray &verb, const QString &path, const QByteArray &body = {});
    /// Creates database `name`; fails the test if that does not work.
    void createDatabase(const QString &name);
    /// The documents stored under `ids` in `db`, in that order; a null object for a missing one.
    QList<QJsonObject> fetch(const QString &db, const QStringList &ids);

    PouchDbServer m_server;
};

void TestCouchBulk::initTestCase()
{
    QElapsedTimer clock;
    clock.start();
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    qInfo("pouchdb-server answered after %lld ms", qint64(clock.elapsed()));
}

void TestCouchBulk::cleanupTestCase()
{
    m_server.stop();
}

Answer TestCouchBulk::send(const QByteArray &verb, const QString &path, const QByteArray &body)
{
    return m_server.send(verb, path, body);
}

void TestCouchBulk::createDatabase(const QString &name)
{
    QString error;
    QVERIFY2(m_server.createDatabase(name, &error), qPrintable(error));
}

QList<QJsonObject> TestCouchBulk::fetch(const QString &db, const QStringList &ids)
{
    QString error;
    const QList<QJsonObject> docs = m_server.documents(db, ids, &error);
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return docs;
}

void TestCouchBulk::roundTripAndConflicts()
{
    createDatabase(u"roundtrip"_s);
    if (QTest::currentTestFailed())
        return;
    const QList<Doc> docs = roundTripDocs();
    const BulkCodec codec(TargetMode::CouchdbBulk, BulkAction::Index, true);
    QStringList ids;
    const QByteArray batch = encode(codec, docs, &ids);
    QCOMPARE(ids.constLast(), u"own id"_s);

    Answer answer = send("POST", u"/roundtrip/_bulk_docs"_s, batch);
    QCOMPARE(answer.status, 201);
    BulkReply reply = codec.parse(answer.status, answer.body, ids);
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items, QList<BulkItemOutcome>(docs.size(), created)));

    // Every member comes back with its value; the server adds _rev only.
    const QList<QJsonObject> stored = fetch(u"roundtrip"_s, ids);
    QCOMPARE(stored.size(), docs.size());
    for (qsizetype i = 0; i < docs.size(); ++i) {
        QJsonObject expected = QJsonDocument::fromJson(docs.at(i).payload).object();
        expected.insert(u"_id"_s, ids.at(i));
        QJsonObject actual = stored.at(i);
        QVERIFY2(actual.value("_rev"_L1).toString().startsWith(u"1-"_s), qPrintable(ids.at(i)));
        actual.remove(u"_rev"_s);
        QCOMPARE(actual, expected);
    }

    // The same batch again: every document exists, so every one is a conflict.
    answer = send("POST", u"/roundtrip/_bulk_docs"_s, batch);
    QCOMPARE(answer.status, 201);
    reply = codec.parse(answer.status, answer.body, ids);
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items, QList<BulkItemOutcome>(docs.size(), conflict)));
}

void TestCouchBulk::validationRejectsDocsAlone()
{
    createDatabase(u"validated"_s);
    if (QTest::currentTestFailed())
        return;
    // What a CouchDB administrator sets up to refuse documents: forbidden fails the doc alone.
    const QByteArray design
        = R"({"validate_doc_update":"function (newDoc) { if (newDoc.bad) throw({forbidden: 'bad is set'}); }"})";
    Answer answer = send("PUT", u"/validated/_design/check"_s, design);
    QCOMPARE(answer.status, 201);

    QList<Doc> docs;
    const QList<int> bad {2, 5, 9};
    for (int i = 0; i < 12; ++i) {
        docs.append(
            {R"({"n":)" + QByteArray::number(i) + (bad.contains(i) ? R"(,"bad":true})" : "}"),
             u"v"_s + QString::number(i)});
    }
    const BulkCodec codec(TargetMode::CouchdbBulk, BulkAction::Index, true);
    QStringList ids;
    const QByteArray batch = encode(codec, docs, &ids);
    answer = send("POST", u"/validated/_bulk_docs"_s, batch);
    QCOMPARE(answer.status, 201);
    // pouchdb-server 4.2.0 answers with the rejected docs first: by position the outcomes
    // would land on the wrong docs.
    QCOMPARE(answer.json().array().at(0).toObject().value("id"_L1).toString(), u"v2"_s);
    BulkReply reply = codec.parse(answer.status, answer.body, ids);
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QList<BulkItemOutcome> expected;
    for (int i = 0; i < docs.size(); ++i)
        expected.append(bad.contains(i) ? forbidden : created);
    QVERIFY(sameOutcomes(reply.items, expected));
    const QList<QJsonObject> stored = fetch(u"validated"_s, ids);
    QCOMPARE(stored.size(), docs.size());
    for (int i = 0; i < docs.size(); ++i)
        QCOMPARE(stored.at(i).isEmpty(), bad.contains(i));

    // Again: the rejected ones are still rejected, the others exist now.
    answer = send("POST", u"/validated/_bulk_docs"_s, batch);
    QCOMPARE(answer.status, 201);
    reply = codec.parse(answer.status, answer.body, ids);
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    for (int i = 0; i < docs.size(); ++i)
        expected[i] = bad.contains(i) ? forbidden : conflict;
    QVERIFY(sameOutcomes(reply.items, expected));
}

void TestCouchBulk::badIdFailsTheWholeRequest()
{
    createDatabase(u"whole"_s);
    if (QTest::currentTestFailed())
        return;
    // An id CouchDB reserves is refused before anything is written, for the whole request (as
    // CouchDB itself does), not for its doc alone.
    const QList<Doc> docs {{R"({"n":1})", u"fine-1"_s},
                           {R"({"_id":"_bad","n":2})", u"ignored"_s},
                           {R"({"n":3})", u"fine-3"_s}};
    const BulkCodec codec(TargetMode::CouchdbBulk, BulkAction::Index, true);
    QStringList ids;
    const Answer answer = send("POST", u"/whole/_bulk_docs"_s, encode(codec, docs, &ids));
    QCOMPARE(answer.status, 400);
    QCOMPARE(ids, (QStringList {u"fine-1"_s, u"_bad"_s, u"fine-3"_s}));
    const BulkReply reply = codec.parse(answer.status, answer.body, ids);
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    const BulkItemOutcome refused {
        400, u"bad_request: Only reserved document ids may start with underscore."_s, false};
    QVERIFY(sameOutcomes(reply.items, QList<BulkItemOutcome>(docs.size(), refused)));
    const QList<QJsonObject> stored = fetch(u"whole"_s, {u"fine-1"_s, u"fine-3"_s});
    QCOMPARE(stored, QList<QJsonObject>(2));
}

void TestCouchBulk::unknownDatabase()
{
    const QList<Doc> docs {{R"({"n":1})", u"a"_s}, {R"({"n":2})", u"b"_s}};
    const BulkCodec codec(TargetMode::CouchdbBulk, BulkAction::Index, true);
    QStringList ids;
    const Answer answer = send("POST", u"/nosuchdb/_bulk_docs"_s, encode(codec, docs, &ids));
    QCOMPARE(answer.status, 404);
    const BulkReply reply = codec.parse(answer.status, answer.body, ids);
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items,
                         QList<BulkItemOutcome>(2, {404, u"not_found: no_db_file"_s, false})));
}

void TestCouchBulk::largeBatch()
{
    createDatabase(u"large"_s);
    if (QTest::currentTestFailed())
        return;
    QList<Doc> docs;
    for (int i = 0; i < 1000; ++i)
        docs.append({payload(i), u"large-"_s + QString::number(i)});
    const BulkCodec codec(TargetMode::CouchdbBulk, BulkAction::Index, true);
    QStringList ids;
    const QByteArray batch = encode(codec, docs, &ids);
    QElapsedTimer clock;
    clock.start();
    const Answer answer = send("POST", u"/large/_bulk_docs"_s, batch);
    const qint64 requestMs = clock.elapsed();
    QCOMPARE(answer.status, 201);
    clock.restart();
    const BulkReply reply = codec.parse(answer.status, answer.body, ids);
    const qint64 parseUs = clock.nsecsElapsed() / 1000;
    QVERIFY2(reply.error.isEmpty(), qPrintable(reply.error));
    QVERIFY(sameOutcomes(reply.items, QList<BulkItemOutcome>(docs.size(), created)));
    qInfo("%lld docs (%lld bytes): pouchdb-server took %lld ms, the codec read its answer in "
          "%lld us",
          qint64(docs.size()), qint64(batch.size()), requestMs, parseUs);
    const Answer info = send("GET", u"/large"_s);
    QCOMPARE(info.json().object().value("doc_count"_L1).toInt(), docs.size());
}

QTEST_GUILESS_MAIN(TestCouchBulk)
#include "tst_couchbulk.moc"
