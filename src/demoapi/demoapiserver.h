// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demostore.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QJsonArray;
class QJsonValue;
class QTcpServer;

namespace sluice {

namespace demoapi {
struct BulkOperation;
}

// The local demo API behind `sluice demo-api`: an in-memory, Elasticsearch- and
// CouchDB-flavoured JSON store, so a new user can run a whole transfer with nothing
// else installed. Not a database: nothing survives the process.
//
// Routes (collection names match [A-Za-z0-9_.-]+ and do not start with '_'):
//   GET    /                          {"collections":{name:count},"requests":N}
//   GET    /<c>[?limit=&offset=]      {"count":N,"offset":o,"limit":l,"items":[sources]}
//                                     (insertion order, limit 100 by default)
//   POST   /<c>                       a JSON object (stored as by POST /<c>/_doc) or an
//                                     array of objects (201, per-item results)
//   DELETE /<c>                       clears the collection
//   POST   /<c>/_doc                  id = the body's "id" as text, else a generated one
//   PUT|POST /<c>/_doc/<id>           stores under <id> (percent-decoded)
//   GET    /<c>/_doc/<id>             {"_index","_id","_version","found":true,"_source"} or 404
//   DELETE /<c>/_doc/<id>             200 deleted or 404
//   POST   /_bulk, /<c>/_bulk         Elasticsearch NDJSON bulk (index, create, delete)
//   POST   /<c>/_bulk_docs            CouchDB {"docs":[...]}
//   any    /fail/<status>/...         answers <status> (200..599) with a JSON error
//   any    /flaky/<percent>/...       fails <percent>% of its requests with 503 (evenly
//                                     spread, the first one fails), else serves /...
// Storing an id that exists replaces the document and answers 200 "updated" instead of
// 201 "created", so re-sending is idempotent. Without an explicit id, the body's "id"
// field (string, number or boolean, as text) is used, also in bulk requests; only when
// it is absent, null or empty is an id generated ("auto-<n>").
//
// Threads: the server, its accessors and its signals live in the thread that owns the
// object; the accessors are not synchronised. Bodies are parsed once; a document is kept
// as the JSON text it arrived as (or its compact form for array and bulk items).
class DemoApiServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoApiServer)

public:
    explicit DemoApiServer(QObject *parent = nullptr);
    ~DemoApiServer() override;

    // Binds address:port (port 0 picks a free one). Returns false, with errorString()
    // set, if the port cannot be bound. May be called once.
    bool start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    bool isListening() const;
    quint16 port() const; // 0 before start() succeeded
    QHostAddress address() const;
    QString errorString() const;

    qsizetype count(const QString &collection) const;
    // The stored document, or an empty object if there is none.
    QJsonObject document(const QString &collection, const QString &id) const;
    // Ids of a collection in insertion order (updates keep their place).
    QStringList documentIds(const QString &collection) const;
    // Names of the collections that hold documents, sorted.
    QStringList collections() const;
    // Every HTTP request answered, including failures and /fail, /flaky ones.
    quint64 requestCount() const;
    // Drops every document and collection and restarts the /flaky counters;
    // requestCount() keeps counting.
    void clear();

Q_SIGNALS:
    // Emitted for every document created or replaced, after it is stored (a bulk request
    // emits it per item: a view should batch its updates).
    void documentStored(const QString &collection, const QString &id);
    // Emitted when a collection is emptied and dropped (DELETE /<c>, deleting its last
    // document, or clear()).
    void collectionCleared(const QString &collection);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Reply
    {
        int status = 200;
        QByteArray body; // JSON
        QByteArray allow; // the Allow header of a 405
    };

    static Reply jsonReply(int status, QByteArray body);
    static Reply errorReply(int status, const QString &message);
    static Reply methodNotAllowed(const QHttpServerRequest &request, QByteArray allow);
    static Reply notFound(const QHttpServerRequest &request);
    static Reply storedReply(const QString &collection, const DemoStore::Stored &stored);
    // The body as a JSON object, or nullopt with *error set to the 400 that says why not.
    static std::optional<QJsonObject> objectBody(const QByteArray &body, Reply *error);

    Reply route(const QHttpServerRequest &request, QList<QString> segments);
    Reply routeCollection(const QHttpServerRequest &request, const QString &collection,
                          const QList<QString> &rest);
    Reply flaky(const QHttpServerRequest &request, QList<QString> segments);
    Reply postDocument(const QString &collection, const QByteArray &body);
    Reply putDocument(const QString &collection, const QString &id, const QByteArray &body);
    Reply getDocument(const QString &collection, const QString &id) const;
    Reply deleteDocument(const QString &collection, const QString &id);
    Reply postToCollection(const QString &collection, const QByteArray &body);
    // POST /<c> with a JSON array: each object stored as by POST /<c>/_doc.
    Reply postArray(const QString &collection, const QJsonArray &array);
    Reply listCollection(const QHttpServerRequest &request, const QString &collection) const;
    Reply deleteCollection(const QString &collection);
    Reply summary() const;
    // Elasticsearch NDJSON bulk: read whole (see parseBulk()), then applied item by item.
    Reply bulk(const QString &defaultCollection, const QByteArray &body);
    // Carries out one bulk item; returns the fields of its reply item and sets *failed if
    // it failed (a delete of nothing is no failure).
    QByteArray applyBulk(const demoapi::BulkOperation &op, bool *failed);
    // CouchDB {"docs":[...]}: an object's "_id" is its id.
    Reply bulkDocs(const QString &collection, const QByteArray &body);
    // Stores docs[index] of a _bulk_docs request; returns its reply item.
    QByteArray storeCouchDocument(const QString &collection, const QJsonValue &value,
                                  qsizetype index);

    // Stores object (whose JSON text is source) under explicitId, else its "id" field, else
    // a generated id. False, with *error set, if its "id" cannot be an id.
    bool storeObject(const QString &collection, const QString &explicitId,
                     const QJsonObject &object, const QByteArray &source, DemoStore::Stored *stored,
                     QString *error);
    // Stores and reports it (documentStored).
    DemoStore::Stored store(const QString &collection, const QString &id, const QByteArray &source);
    // Removes the document, reporting a collection it empties; false if there was none.
    bool remove(const QString &collection, const QString &id);
    void writeReply(const QHttpServerRequest &request, QTcpSocket *socket, const Reply &reply);

    QTcpServer *m_tcpServer = nullptr;
    QString m_errorString;
    DemoStore m_store;
    QHash<int, quint64> m_flakyCounters; // percent -> requests seen under /flaky/<percent>
    quint64 m_requestCount = 0;
};

} // namespace sluice
