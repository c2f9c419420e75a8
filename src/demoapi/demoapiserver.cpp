// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoapiserver.h"

#include "bulkrequest.h"
#include "demojson.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QMetaEnum>
#include <QTcpServer>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace sluice {

using namespace demoapi;

namespace {

constexpr qsizetype DefaultListLimit = 100;

QString methodName(QHttpServerRequest::Method method)
{
    const char *key = method == QHttpServerRequest::Method::Unknown
        ? nullptr
        : QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method));
    return key ? QString::fromLatin1(key).toUpper() : u"an unknown method"_s;
}

QByteArray methodList(std::initializer_list<const char *> methods)
{
    QByteArray out;
    for (const char *m : methods) {
        if (!out.isEmpty())
            out.append(", ");
        out.append(m);
    }
    return out;
}

} // namespace

DemoApiServer::DemoApiServer(QObject *parent)
    : QAbstractHttpServer(parent)
{ }

DemoApiServer::~DemoApiServer() = default;

bool DemoApiServer::start(quint16 port, const QHostAddress &address)
{
    if (m_tcpServer) {
        m_errorString = u"the demo API is already listening"_s;
        return false;
    }
    // Our own QTcpServer rather than QAbstractHttpServer::listen(), which only logs why it
    // failed: the command line must name the reason ("address already in use").
    auto *server = new QTcpServer(this);
    if (!server->listen(address, port)) {
        m_errorString = server->errorString();
        delete server;
        return false;
    }
    bind(server);
    m_tcpServer = server;
    m_errorString.clear();
    return true;
}

bool DemoApiServer::isListening() const
{
    return m_tcpServer && m_tcpServer->isListening();
}

quint16 DemoApiServer::port() const
{
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

QHostAddress DemoApiServer::address() const
{
    return m_tcpServer ? m_tcpServer->serverAddress() : QHostAddress();
}

QString DemoApiServer::errorString() const
{
    return m_errorString;
}

qsizetype DemoApiServer::count(const QString &collection) const
{
    return m_store.count(collection);
}

QJsonObject DemoApiServer::document(const QString &collection, const QString &id) const
{
    const DemoStore::Document *found = m_store.find(collection, id);
    return found ? QJsonDocument::fromJson(found->source).object() : QJsonObject();
}

QStringList DemoApiServer::documentIds(const QString &collection) const
{
    QStringList ids;
    for (const DemoStore::Document &document : m_store.documents(collection))
        ids.append(document.id);
    return ids;
}

QStringList DemoApiServer::collections() const
{
    return m_store.collections();
}

quint64 DemoApiServer::requestCount() const
{
    return m_requestCount;
}

void DemoApiServer::clear()
{
    const QStringList names = m_store.collections();
    m_store.clear();
    m_flakyCounters.clear();
    for (const QString &name : names)
        Q_EMIT collectionCleared(name);
}

bool DemoApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ++m_requestCount;
    // Split the still-encoded path so that an id may contain an encoded '/'.
    const QString path = request.url().path(QUrl::FullyEncoded);
    QList<QString> segments;
    for (const QStringView segment : QStringView(path).split(u'/'))
        segments.append(QUrl::fromPercentEncoding(segment.toUtf8()));
    if (!segments.isEmpty() && segments.constFirst().isEmpty())
        segments.removeFirst();
    if (!segments.isEmpty() && segments.constLast().isEmpty())
        segments.removeLast();
    writeReply(request, socket, route(request, std::move(segments)));
    return true;
}

void DemoApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() answers everything; this is only here because the base demands it.
    writeReply(request, socket, errorReply(404, u"no such route"_s));
}

DemoApiServer::Reply DemoApiServer::jsonReply(int status, QByteArray body)
{
    return Reply {status, std::move(body), {}};
}

DemoApiServer::Reply DemoApiServer::errorReply(int status, const QString &message)
{
    QByteArray body = "{\"error\":";
    appendJsonString(body, message);
    body += ",\"status\":" + QByteArray::number(status) + '}';
    return jsonReply(status, std::move(body));
}

DemoApiServer::Reply DemoApiServer::methodNotAllowed(const QHttpServerRequest &request,
                                                     QByteArray allow)
{
    Reply reply = errorReply(405,
                             u"method "_s % methodName(request.method()) % u" is not allowed on "_s
                                 % request.url().path() % u" (allowed: "_s
                                 % QString::fromLatin1(allow) % u')');
    reply.allow = std::move(allow);
    return reply;
}

DemoApiServer::Reply DemoApiServer::notFound(const QHttpServerRequest &request)
{
    return errorReply(404,
                      u"no such route: "_s % methodName(request.method()) % u' '
                          % request.url().path()
                          % u" (routes: /, /<collection>, /<collection>/_doc[/<id>], /_bulk, "
                            u"/<collection>/_bulk, /<collection>/_bulk_docs, /fail/<status>/..., "
                            u"/flaky/<percent>/...; collection names are [A-Za-z0-9_.-]+)"_s);
}

DemoApiServer::Reply DemoApiServer::route(const QHttpServerRequest &request,
                                          QList<QString> segments)
{
    using Method = QHttpServerRequest::Method;
    const Method method = request.method();

    if (segments.isEmpty())
        return method == Method::Get ? summary() : methodNotAllowed(request, "GET");

    const QString &first = segments.constFirst();
    if (first == u"fail") {
        bool ok = false;
        const int status = segments.size() > 1 ? segments.at(1).toInt(&ok) : 0;
        if (!ok || status < 200 || status > 599)
            return errorReply(400, u"use /fail/<status>/... with an HTTP status from 200 to 599"_s);
        return errorReply(status,
                          u"rejected by the demo API's /fail/"_s % QString::number(status)
                              % u" endpoint"_s);
    }
    if (first == u"flaky")
        return flaky(request, std::move(segments));

    if (first == u"_bulk" && segments.size() == 1) {
        if (method != Method::Post)
            return methodNotAllowed(request, "POST");
        return bulk(QString(), request.body());
    }
    if (!isCollectionName(first))
        return notFound(request);
    return routeCollection(request, first, segments.mid(1));
}

DemoApiServer::Reply DemoApiServer::routeCollection(const QHttpServerRequest &request,
                                                    const QString &collection,
                                                    const QList<QString> &rest)
{
    using Method = QHttpServerRequest::Method;
    const Method method = request.method();

    if (rest.isEmpty()) {
        switch (method) {
        case Method::Get:
            return listCollection(request, collection);
        case Method::Post:
            return postToCollection(collection, request.body());
        case Method::Delete:
            return deleteCollection(collection);
        default:
            return methodNotAllowed(request, methodList({"GET", "POST", "DELETE"}));
        }
    }

    const QString &endpoint = rest.constFirst();
    if (endpoint == u"_doc" && rest.size() == 1) {
        if (method != Method::Post)
            return methodNotAllowed(request, "POST");
        return postDocument(collection, request.body());
    }
    if (endpoint == u"_doc" && rest.size() == 2) {
        const QString &id = rest.at(1);
        switch (method) {
        case Method::Get:
            return getDocument(collection, id);
        case Method::Put:
        case Method::Post:
            return putDocument(collection, id, request.body());
        case Method::Delete:
            return deleteDocument(collection, id);
        default:
            return methodNotAllowed(request, methodList({"GET", "PUT", "POST", "DELETE"}));
        }
    }
    if (endpoint == u"_bulk" && rest.size() == 1) {
        if (method != Method::Post)
            return methodNotAllowed(request, "POST");
        return bulk(collection, request.body());
    }
    if (endpoint == u"_bulk_docs" && rest.size() == 1) {
        if (method != Method::Post)
            return methodNotAllowed(request, "POST");
        return bulkDocs(collection, request.body());
    }
    return notFound(request);
}

DemoApiServer::Reply DemoApiServer::flaky(const QHttpServerRequest &request,
                                          QList<QString> segments)
{
    bool ok = false;
    const int percent = segments.size() > 1 ? segments.at(1).toInt(&ok) : -1;
    if (!ok || percent < 0 || percent > 100)
        return errorReply(400, u"use /flaky/<percent>/... with a percentage from 0 to 100"_s);

    // Request n fails when ceil((n + 1) * p / 100) > ceil(n * p / 100): exactly p of every
    // 100 requests fail, spread evenly, and the first one fails so a demo shows it at once.
    const quint64 n = m_flakyCounters[percent]++;
    const auto ceilPercent = [percent](quint64 k) {
        return (k * quint64(percent) + 99) / 100;
    };
    if (ceilPercent(n + 1) > ceilPercent(n))
        return errorReply(503, u"temporarily unavailable (demo)"_s);

    segments.remove(0, 2);
    return route(request, std::move(segments));
}

bool DemoApiServer::storeObject(const QString &collection, const QString &explicitId,
                                const QJsonObject &object, const QByteArray &source,
                                DemoStore::Stored *stored, QString *error)
{
    QString id = explicitId;
    if (id.isEmpty() && !idFromField(object.value("id"_L1), &id, error))
        return false;
    if (id.isEmpty())
        id = m_store.generateId(collection);
    *stored = store(collection, id, source);
    return true;
}

DemoApiServer::Reply DemoApiServer::storedReply(const QString &collection,
                                                const DemoStore::Stored &stored)
{
    return jsonReply(stored.created ? 201 : 200,
                     "{\"_index\":" + jsonString(collection) + ',' + storedFields(stored) + '}');
}

std::optional<QJsonObject> DemoApiServer::objectBody(const QByteArray &body, Reply *error)
{
    QJsonDocument document;
    QString message;
    if (!parseJson(body, u"the body"_s, &document, &message)) {
        *error = errorReply(400, message);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = errorReply(
            400, u"expected a JSON object as the body, got "_s % documentTypeName(document));
        return std::nullopt;
    }
    return document.object();
}

DemoApiServer::Reply DemoApiServer::postDocument(const QString &collection, const QByteArray &body)
{
    Reply reply;
    const std::optional<QJsonObject> object = objectBody(body, &reply);
    if (!object)
        return reply;
    DemoStore::Stored stored;
    QString error;
    if (!storeObject(collection, QString(), *object, body, &stored, &error))
        return errorReply(400, error);
    return storedReply(collection, stored);
}

DemoApiServer::Reply DemoApiServer::putDocument(const QString &collection, const QString &id,
                                                const QByteArray &body)
{
    Reply reply;
    if (!objectBody(body, &reply))
        return reply;
    return storedReply(collection, store(collection, id, body));
}

DemoApiServer::Reply DemoApiServer::getDocument(const QString &collection, const QString &id) const
{
    QByteArray body = '{' + indexAndId(collection, id);
    const DemoStore::Document *found = m_store.find(collection, id);
    if (!found) {
        body += ",\"found\":false,\"error\":";
        appendJsonString(body, u"no document with this id in "_s % collection);
        body += ",\"status\":404}";
        return jsonReply(404, std::move(body));
    }
    body += ",\"_version\":" + QByteArray::number(found->version)
        + ",\"found\":true,\"_source\":" + found->source + '}';
    return jsonReply(200, std::move(body));
}

bool DemoApiServer::remove(const QString &collection, const QString &id)
{
    const DemoStore::Removed removed = m_store.remove(collection, id);
    if (removed == DemoStore::Removed::LastDocument)
        Q_EMIT collectionCleared(collection);
    return removed != DemoStore::Removed::Nothing;
}

DemoApiServer::Reply DemoApiServer::deleteDocument(const QString &collection, const QString &id)
{
    const bool removed = remove(collection, id);
    return jsonReply(removed ? 200 : 404, '{' + deletedFields(collection, id, removed) + '}');
}

DemoApiServer::Reply DemoApiServer::postToCollection(const QString &collection,
                                                     const QByteArray &body)
{
    QJsonDocument document;
    QString error;
    if (!parseJson(body, u"the body"_s, &document, &error))
        return errorReply(400, error + u"; expected a JSON object or an array of objects"_s);
    if (document.isArray())
        return postArray(collection, document.array());
    DemoStore::Stored stored;
    if (!storeObject(collection, QString(), document.object(), body, &stored, &error))
        return errorReply(400, error);
    return storedReply(collection, stored);
}

DemoApiServer::Reply DemoApiServer::postArray(const QString &collection, const QJsonArray &array)
{
    QByteArray items;
    bool errors = false;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (i > 0)
            items += ',';
        const QJsonValue value = array.at(i);
        DemoStore::Stored stored;
        QString error;
        if (!value.isObject()) {
            error = u"item "_s % QString::number(i) % u" is "_s % jsonTypeName(value)
                % u", not a JSON object"_s;
        } else {
            const QJsonObject object = value.toObject();
            if (storeObject(collection, QString(), object, compact(object), &stored, &error)) {
                items += '{' + storedItem(stored) + '}';
                continue;
            }
        }
        errors = true;
        items += "{\"status\":400,\"error\":" + jsonString(error) + '}';
    }
    return jsonReply(201, itemsBody("\"_index\":" + jsonString(collection), errors, items));
}

DemoApiServer::Reply DemoApiServer::listCollection(const QHttpServerRequest &request,
                                                   const QString &collection) const
{
    const QUrlQuery query = request.query();
    qsizetype limit = DefaultListLimit;
    qsizetype offset = 0;
    for (const auto &[name, target] : {std::pair {u"limit"_s, &limit}, {u"offset"_s, &offset}}) {
        if (!query.hasQueryItem(name))
            continue;
        bool ok = false;
        const qlonglong value = query.queryItemValue(name).toLongLong(&ok);
        if (!ok || value < 0)
            return errorReply(400, name % u" must be a non-negative integer"_s);
        *target = qsizetype(value);
    }

    const QList<DemoStore::Document> &documents = m_store.documents(collection);
    const qsizetype count = documents.size();
    QByteArray body = "{\"count\":" + QByteArray::number(count) + ",\"offset\":"
        + QByteArray::number(offset) + ",\"limit\":" + QByteArray::number(limit) + ",\"items\":[";
    if (offset < count) {
        const qsizetype end = offset + std::min(limit, count - offset);
        for (qsizetype i = offset; i < end; ++i) {
            if (i > offset)
                body += ',';
            body += documents.at(i).source;
        }
    }
    body += "]}";
    return jsonReply(200, std::move(body));
}

DemoApiServer::Reply DemoApiServer::deleteCollection(const QString &collection)
{
    const qsizetype deleted = count(collection);
    if (m_store.removeCollection(collection))
        Q_EMIT collectionCleared(collection);
    return jsonReply(200,
                     "{\"acknowledged\":true,\"_index\":" + jsonString(collection)
                         + ",\"deleted\":" + QByteArray::number(deleted) + '}');
}

DemoApiServer::Reply DemoApiServer::summary() const
{
    QJsonObject counts;
    for (const QString &name : m_store.collections())
        counts.insert(name, qint64(m_store.count(name)));
    const QJsonObject object {{"collections"_L1, counts}, {"requests"_L1, qint64(m_requestCount)}};
    return jsonReply(200, compact(object));
}

DemoApiServer::Reply DemoApiServer::bulk(const QString &defaultCollection, const QByteArray &body)
{
    QElapsedTimer timer;
    timer.start();
    QList<BulkOperation> operations;
    QString error;
    if (!parseBulk(body, defaultCollection, &operations, &error))
        return errorReply(400, error);

    QByteArray items;
    bool errors = false;
    for (qsizetype i = 0; i < operations.size(); ++i) {
        if (i > 0)
            items += ',';
        const BulkOperation &op = operations.at(i);
        items += "{\"" + QByteArray(actionKey(op.action)) + "\":{" + applyBulk(op, &errors) + "}}";
    }
    return jsonReply(200,
                     itemsBody("\"took\":" + QByteArray::number(timer.elapsed()), errors, items));
}

QByteArray DemoApiServer::applyBulk(const BulkOperation &op, bool *failed)
{
    using Action = BulkOperation::Action;
    if (op.error.isEmpty() && op.action == Action::Delete) {
        const bool removed = remove(op.collection, op.id);
        return deletedFields(op.collection, op.id, removed)
            + (removed ? ",\"status\":200" : QByteArray());
    }
    int status = 400;
    QString errorType = op.errorType;
    QString error = op.error;
    if (error.isEmpty() && op.action == Action::Create) {
        QString id = op.id;
        if (id.isEmpty() && !idFromField(op.object.value("id"_L1), &id, &error)) {
            errorType = u"illegal_argument_exception"_s;
        } else if (!id.isEmpty() && m_store.find(op.collection, id)) {
            status = 409;
            errorType = u"version_conflict_engine_exception"_s;
            error = u"["_s % id % u"]: version conflict, document already exists"_s;
        }
    }
    DemoStore::Stored stored;
    if (error.isEmpty() && storeObject(op.collection, op.id, op.object, op.source, &stored, &error))
        return "\"_index\":" + jsonString(op.collection) + ',' + storedItem(stored);

    *failed = true;
    QByteArray fields = "\"_index\":" + jsonString(op.collection);
    if (!op.id.isEmpty())
        fields += ",\"_id\":" + jsonString(op.id);
    return fields + ",\"status\":" + QByteArray::number(status) + ",\"error\":{\"type\":"
        + jsonString(errorType.isEmpty() ? u"illegal_argument_exception"_s : errorType)
        + ",\"reason\":" + jsonString(error) + '}';
}

DemoApiServer::Reply DemoApiServer::bulkDocs(const QString &collection, const QByteArray &body)
{
    QJsonDocument document;
    QString error;
    const QString expected = u"; expected {\"docs\": [...]}"_s;
    if (!parseJson(body, u"the body"_s, &document, &error))
        return errorReply(400, error + expected);
    if (!document.isObject())
        return errorReply(400, u"the body is "_s % documentTypeName(document) % expected);
    const QJsonValue docsValue = document.object().value("docs"_L1);
    if (!docsValue.isArray())
        return errorReply(400, u"\"docs\" is "_s % jsonTypeName(docsValue) % expected);

    const QJsonArray docs = docsValue.toArray();
    QByteArray items;
    for (qsizetype i = 0; i < docs.size(); ++i) {
        if (i > 0)
            items += ',';
        items += storeCouchDocument(collection, docs.at(i), i);
    }
    return jsonReply(201, '[' + items + ']');
}

QByteArray DemoApiServer::storeCouchDocument(const QString &collection, const QJsonValue &value,
                                             qsizetype index)
{
    QString error;
    if (!value.isObject()) {
        error = u"docs["_s % QString::number(index) % u"] is "_s % jsonTypeName(value)
            % u", not a JSON object"_s;
    } else {
        const QJsonObject object = value.toObject();
        const QJsonValue couchId = object.value("_id"_L1);
        const QByteArray source = compact(object);
        DemoStore::Stored stored;
        if (storeObject(collection, couchId.isString() ? couchId.toString() : QString(), object,
                        source, &stored, &error)) {
            return "{\"ok\":true,\"id\":" + jsonString(stored.id) + ",\"rev\":\""
                + QByteArray::number(stored.version) + '-'
                + QCryptographicHash::hash(source, QCryptographicHash::Md5).toHex() + "\"}";
        }
    }
    return "{\"id\":null,\"error\":\"bad_request\",\"reason\":" + jsonString(error) + '}';
}

DemoStore::Stored DemoApiServer::store(const QString &collection, const QString &id,
                                       const QByteArray &source)
{
    const DemoStore::Stored stored = m_store.store(collection, id, source);
    Q_EMIT documentStored(collection, id);
    return stored;
}

void DemoApiServer::writeReply(const QHttpServerRequest &request, QTcpSocket *socket,
                               const Reply &reply)
{
    using StatusCode = QHttpServerResponder::StatusCode;
    QHttpServerResponder responder = makeResponder(request, socket);
    const auto status = static_cast<StatusCode>(reply.status);
    const QByteArray contentType = "application/json";
    if (request.method() == QHttpServerRequest::Method::Head)
        responder.write({{"Content-Type", contentType}}, status);
    else if (!reply.allow.isEmpty())
        responder.write(reply.body, {{"Content-Type", contentType}, {"Allow", reply.allow}},
                        status);
    else
        responder.write(reply.body, {{"Content-Type", contentType}}, status);
}

} // namespace sluice
