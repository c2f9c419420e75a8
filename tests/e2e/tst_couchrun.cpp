// SPDX-License-Identifier: GPL-3.0-or-later
// `sluice run` in target.mode couchdb-bulk, end to end: the real executable reads 3000 rows
// from a SQLite file and sends them in batches of 250 to pouchdb-server 4.2.0's _bulk_docs (a
// CouchDB API on Node.js, in memory; fixture "pouchdb", see tests/scripts/pouchdb-server.sh).
// What the server stored is read back and compared with values worked out from the rows here,
// never from Sluice's code. Then the same transfer again (every document conflicts), and a
// database whose validate_doc_update refuses some documents: exactly those items fail.

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "pouchdbserver.h"
#include "sluiceprocess.h"
#include "sqlitefixture.h"

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

constexpr int RowCount = 3000;
constexpr int BatchSize = 250;
constexpr int RunTimeoutMs = 180000;

using Result = SluiceRun;

/// One row of the source table, as the test wrote it.
struct Row
{
    int id = 0;
    QString name;
    double price = 0;
    qint64 qty = 0;
    QVariant note; ///< null for a NULL
    QString code;
};

Row makeRow(int id)
{
    Row row;
    row.id = id;
    // Text that JSON must escape, and text beyond ASCII, in every third row.
    row.name = id % 3 == 0 ? u"Zürich \"%1\"\\\nline 2\t😀 日本語"_s.arg(id) : u"item %1"_s.arg(id);
    row.price = id * 0.25; // 12.5, and integral reals (12.0) every fourth row
    row.qty = qint64(id) * 1000003; // beyond 32 bits, below 2^53
    if (id % 100 != 0)
        row.note = u"note %1"_s.arg(id);
    row.code = u"SKU é/%1"_s.arg(id % 7);
    return row;
}

/// The transform's key for a row: the document's _id.
QString keyOf(const Row &row)
{
    return row.code + u'-' + QString::number(row.id);
}

/// The document the template makes of a row, as JSON values (numbers as JavaScript keeps
/// them: 12.50 and 12.0 arrive, 12.5 and 12 come back; the values are the same).
QJsonObject expectedDocument(const Row &row)
{
    return QJsonObject {
        {u"_id"_s, keyOf(row)},
        {u"n"_s, row.id},
        {u"name"_s, row.name},
        {u"price"_s, row.price},
        {u"list"_s, 12.5},
        {u"qty"_s, row.qty},
        {u"note"_s, row.note.isNull() ? QJsonValue() : QJsonValue(row.note.toString())},
        {u"label"_s, u"#%1: %2"_s.arg(row.id).arg(row.name)},
        {u"meta"_s,
         QJsonObject {{u"code"_s, row.code},
                      {u"tags"_s, QJsonArray {u"fixed"_s, row.code}},
                      {u"empty"_s, QJsonObject {}}}},
    };
}

/// The lines of an NDJSON file, each read as an object; a line that is not is a test failure
/// reported through *error.
QList<QJsonObject> readNdjson(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + u": "_s + file.errorString();
        return {};
    }
    QList<QJsonObject> lines;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        if (!line.endsWith('\n') || !document.isObject()) {
            *error = u"not one JSON object a line: "_s + QString::fromUtf8(line);
            return {};
        }
        lines.append(document.object());
    }
    return lines;
}

} // namespace

class TestCouchRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyRowDeliveredOnce();
    void secondRunConflictsForEveryItem();
    void validationRejectsExactlyTheRefusedItems();

private:
    /// Runs sluice; the test waits (no event loop is needed: pouchdb-server is a process).
    Result runSluice(const QStringList &arguments);
    /// A transfer of the whole table into database db.
    QString writeTransfer(const QString &name, const QString &db);
    /// Checks a --failed file: one line per item of ids (row ids), each failed with
    /// httpStatus and error, its key and its payload; and the batches' request ids.
    void checkFailedFile(const QString &path, const QSet<int> &ids, int httpStatus,
                         const QString &error);

    QString m_sluice;
    QTemporaryDir m_dir;
    PouchDbServer m_server;
    QList<Row> m_rows;
};

void TestCouchRun::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));

    QList<QVariantList> rows;
    for (int id = 1; id <= RowCount; ++id) {
        const Row row = makeRow(id);
        m_rows.append(row);
        rows.append({row.id, row.name, row.price, row.qty, row.note, row.code});
    }
    const QString db = SqliteFixture::create(
        m_dir.path(), u"couch.db"_s,
        {u"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, "
         u"note TEXT, code TEXT)"_s},
        u"items"_s, rows, &error);
    QVERIFY2(!db.isEmpty(), qPrintable(error));
}

void TestCouchRun::cleanupTestCase()
{
    m_server.stop();
}

Result TestCouchRun::runSluice(const QStringList &arguments)
{
    SluiceCall call;
    call.timeoutMs = RunTimeoutMs;
    return ::runSluice(m_sluice, arguments, call);
}

QString TestCouchRun::writeTransfer(const QString &name, const QString &db)
{
    // Written as text: the template's 12.50 is sent as written (QJsonDocument would make it
    // 12.5 before Sluice saw it).
    const QString text = uR"({
  "version": 1,
  "source": { "driver": "QSQLITE", "database": "couch.db" },
  "query": { "sql": "SELECT id, name, price, qty, note, code FROM items ORDER BY id" },
  "transform": {
    "key": "{{code}}-{{id}}",
    "template": { "n": "{{id}}", "name": "{{name}}", "price": "{{price}}", "list": 12.50,
                  "qty": "{{qty}}", "note": "{{note}}", "label": "#{{id}}: {{name}}",
                  "meta": { "code": "{{code}}", "tags": ["fixed", "{{code}}"], "empty": {} } }
  },
  "target": { "url": "%1", "method": "POST", "mode": "couchdb-bulk", "batchSize": %2 },
  "run": { "chunkSize": 500, "concurrency": 4, "maxRetries": 1 }
})"_s.arg(m_server.url(u"/"_s + db + u"/_bulk_docs"_s))
                             .arg(BatchSize);
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) != text.toUtf8().size())
        return {};
    return path;
}

void TestCouchRun::everyRowDeliveredOnce()
{
    QString error;
    QVERIFY2(m_server.createDatabase(u"items"_s, &error), qPrintable(error));
    const QString transfer = writeTransfer(u"items.json"_s, u"items"_s);
    QVERIFY(!transfer.isEmpty());
    QElapsedTimer clock;
    clock.start();
    const Result r = runSluice({u"run"_s, transfer, u"--quiet"_s});
    qInfo("sluice run: %d items into pouchdb-server in %lld ms", RowCount, qint64(clock.elapsed()));
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    // The summary counts items, not requests.
    const QRegularExpression summary(
        u"^delivered %1, failed 0, invalid 0 in \\d+\\.\\d\\d s \\(\\d+ items/s\\)\\n$"_s.arg(
            RowCount));
    QVERIFY2(summary.match(r.out).hasMatch(), qPrintable(r.out + r.err));
    // In batches of 250: twelve requests (the server's log says), not 3000.
    const QString bulkDocs = u"/items/_bulk_docs"_s;
    QTRY_COMPARE(m_server.loggedRequests(u"POST"_s, bulkDocs), RowCount / BatchSize);

    // Every row is there once, under its key, with every value; written once (revision 1).
    const QHash<QString, QJsonObject> stored = m_server.allDocuments(u"items"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(stored.size(), RowCount);
    for (const Row &row : std::as_const(m_rows)) {
        const QString id = keyOf(row);
        QVERIFY2(stored.contains(id), qPrintable(id));
        QJsonObject doc = stored.value(id);
        QVERIFY2(doc.value("_rev"_L1).toString().startsWith(u"1-"_s), qPrintable(id));
        doc.remove(u"_rev"_s);
        const QJsonObject expected = expectedDocument(row);
        if (doc != expected) {
            qWarning().noquote() << "stored:  "
                                 << QJsonDocument(doc).toJson(QJsonDocument::Compact);
            qWarning().noquote() << "expected:"
                                 << QJsonDocument(expected).toJson(QJsonDocument::Compact);
        }
        QCOMPARE(doc, expected);
    }
    // The text pouchdb-server keeps of one document: it is JavaScript, whose numbers print in
    // their shortest form, so the template's 12.50 comes back as 12.5 and the REAL 12.0 as 12.
    const QJsonObject keys {{u"keys"_s, QJsonArray {keyOf(m_rows.at(47))}}};
    const PouchDbServer::Answer one
        = m_server.send("POST", u"/items/_all_docs?include_docs=true"_s,
                        QJsonDocument(keys).toJson(QJsonDocument::Compact));
    QCOMPARE(one.status, 200);
    QVERIFY2(one.body.contains("\"price\":12,\"list\":12.5,\"qty\":48000144,"),
             one.body.constData());
    // No request came late.
    QCOMPARE(m_server.loggedRequests(u"POST"_s, bulkDocs), RowCount / BatchSize);
}

void TestCouchRun::secondRunConflictsForEveryItem()
{
    // The same transfer again: every document exists, so CouchDB refuses every one.
    const QString transfer = m_dir.filePath(u"items.json"_s);
    QVERIFY2(QFileInfo::exists(transfer), "everyRowDeliveredOnce did not run");
    const QString failedFile = m_dir.filePath(u"conflicts.ndjson"_s);
    QElapsedTimer clock;
    clock.start();
    const Result r = runSluice({u"run"_s, transfer, u"--quiet"_s, u"--failed"_s, failedFile});
    qInfo("sluice run: %d conflicts in %lld ms", RowCount, qint64(clock.elapsed()));
    // Batched like the first run; nothing was retried (a conflict is final).
    QTRY_COMPARE(m_server.loggedRequests(u"POST"_s, u"/items/_bulk_docs"_s),
                 2 * RowCount / BatchSize);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(u"delivered 0, failed %1, invalid 0 in "_s.arg(RowCount)),
             qPrintable(r.out + r.err));
    QVERIFY2(r.err.contains(u"%1 failed or invalid items written to"_s.arg(RowCount)),
             qPrintable(r.err.right(2000)));
    QSet<int> all;
    for (const Row &row : std::as_const(m_rows))
        all.insert(row.id);
    checkFailedFile(failedFile, all, 409, u"HTTP 409: conflict: Document update conflict"_s);
    if (QTest::currentTestFailed())
        return;

    // Nothing was overwritten.
    QString error;
    const QHash<QString, QJsonObject> stored = m_server.allDocuments(u"items"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(stored.size(), RowCount);
    for (const QJsonObject &doc : stored)
        QVERIFY(doc.value("_rev"_L1).toString().startsWith(u"1-"_s));
}

void TestCouchRun::validationRejectsExactlyTheRefusedItems()
{
    QString error;
    QVERIFY2(m_server.createDatabase(u"checked"_s, &error), qPrintable(error));
    // What a CouchDB administrator sets up: a multiple of 7 is refused, the doc alone.
    const PouchDbServer::Answer design = m_server.send(
        "PUT", u"/checked/_design/check"_s,
        R"({"validate_doc_update":"function (newDoc) { if (newDoc.n % 7 === 0) throw({forbidden: 'n is a multiple of 7'}); }"})");
    QCOMPARE(design.status, 201);

    const QString transfer = writeTransfer(u"checked.json"_s, u"checked"_s);
    QVERIFY(!transfer.isEmpty());
    const QString failedFile = m_dir.filePath(u"refused.ndjson"_s);
    QElapsedTimer clock;
    clock.start();
    const Result r = runSluice({u"run"_s, transfer, u"--quiet"_s, u"--failed"_s, failedFile});
    qInfo("sluice run: %d items, some refused, in %lld ms", RowCount, qint64(clock.elapsed()));
    QTRY_COMPARE(m_server.loggedRequests(u"POST"_s, u"/checked/_bulk_docs"_s),
                 RowCount / BatchSize);
    QSet<int> refused;
    for (const Row &row : std::as_const(m_rows)) {
        if (row.id % 7 == 0)
            refused.insert(row.id);
    }
    QCOMPARE(refused.size(), 428);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(
        r.out.startsWith(u"delivered %1, failed %2, invalid 0 in "_s.arg(RowCount - 428).arg(428)),
        qPrintable(r.out + r.err.right(2000)));
    checkFailedFile(failedFile, refused, 403, u"HTTP 403: forbidden: n is a multiple of 7"_s);
    if (QTest::currentTestFailed())
        return;

    // Exactly the others are stored (pouchdb-server answers the refused ones first, out of
    // the batch's order: the answers were matched to the items by id).
    const QHash<QString, QJsonObject> stored = m_server.allDocuments(u"checked"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(stored.size(), RowCount - refused.size() + 1); // and the design document
    QVERIFY(stored.contains(u"_design/check"_s));
    for (const Row &row : std::as_const(m_rows)) {
        const QString id = keyOf(row);
        QCOMPARE(stored.contains(id), !refused.contains(row.id));
        if (refused.contains(row.id))
            continue;
        QJsonObject doc = stored.value(id);
        doc.remove(u"_rev"_s);
        QCOMPARE(doc, expectedDocument(row));
    }
}

void TestCouchRun::checkFailedFile(const QString &path, const QSet<int> &ids, int httpStatus,
                                   const QString &error)
{
    QString readError;
    const QList<QJsonObject> lines = readNdjson(path, &readError);
    QVERIFY2(readError.isEmpty(), qPrintable(readError));
    QCOMPARE(lines.size(), ids.size());
    QHash<int, Row> rowById;
    for (const Row &row : std::as_const(m_rows))
        rowById.insert(row.id, row);
    QSet<int> seen;
    QHash<QString, int> itemsPerRequest;
    for (const QJsonObject &line : lines) {
        // "row" is the place in the query result from 1; these rows' ids are that place.
        const int rowId = line.value("row"_L1).toInt();
        QVERIFY2(ids.contains(rowId) && !seen.contains(rowId),
                 QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
        seen.insert(rowId);
        const Row row = rowById.value(rowId);
        QCOMPARE(line.value("key"_L1).toString(), keyOf(row));
        QCOMPARE(line.value("status"_L1).toString(), u"failed"_s);
        QCOMPARE(line.value("httpStatus"_L1).toInt(), httpStatus);
        QCOMPARE(line.value("attempts"_L1).toInt(), 1); // a 4xx is not retried
        QCOMPARE(line.value("error"_L1).toString(), error);
        // The payload as sent, without the _id the batch gave it: ready to be sent again.
        QJsonObject payload = expectedDocument(row);
        payload.remove(u"_id"_s);
        QCOMPARE(line.value("payload"_L1).toObject(), payload);
        const QString requestId = line.value("requestId"_L1).toString();
        QVERIFY(!requestId.isEmpty());
        ++itemsPerRequest[requestId];
    }
    // The items failed in batches: one request id for up to BatchSize items.
    for (int n : std::as_const(itemsPerRequest))
        QVERIFY2(n <= BatchSize, qPrintable(QString::number(n)));
    QVERIFY2(itemsPerRequest.size() <= (RowCount + BatchSize - 1) / BatchSize,
             qPrintable(QString::number(itemsPerRequest.size())));
}

QTEST_GUILESS_MAIN(TestCouchRun)
#include "tst_couchrun.moc"
