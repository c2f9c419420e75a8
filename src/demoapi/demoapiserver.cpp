// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoapiserver.h"

#include <algorithm>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QTcpServer>
#include <QUrl>
#include <QUrlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr qsizetype DefaultListLimit = 100;

// Appends s as a JSON string literal. Hand-written because the hot paths answer with a
// few fixed keys, where QJsonDocument would cost more than the rest of the request.
void appendJsonString(QByteArray &out, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (u < 0x20) {
            switch (c) {
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default: {
                static constexpr char hex[] = "0123456789abcdef";
                out.append("\\u00").append(hex[u >> 4]).append(hex[u & 0xf]);
            }
            }
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

QByteArray jsonString(const QString &s)
{
    QByteArray out;
    appendJsonString(out, s);
    return out;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool isCollectionName(QStringView name)
{
    if (name.isEmpty() || name.front() == u'_')
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'_' || c == u'.' || c == u'-';
    });
}

QString methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return u"GET"_s;
    case QHttpServerRequest::Method::Put:
        return u"PUT"_s;
    case QHttpServerRequest::Method::Delete:
        return u"DELETE"_s;
    case QHttpServerRequest::Method::Post:
        return u"POST"_s;
    case QHttpServerRequest::Method::Head:
        return u"HEAD"_s;
    case QHttpServerRequest::Method::Options:
        return u"OPTIONS"_s;
    case QHttpServerRequest::Method::Patch:
        return u"PATCH"_s;
    case QHttpServerRequest::Method::Connect:
        return u"CONNECT"_s;
    case QHttpServerRequest::Method::Trace:
        return u"TRACE"_s;
    default:
        return u"an unknown method"_s;
    }
}

QString valueTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

// Parses a request body or bulk line that must be JSON. On failure returns false and sets
// *error. QJsonDocument rejects top-level scalars as "illegal value"; those get a message
// naming what the text is instead, found by reparsing inside brackets on the error path.
bool parseJson(const QByteArray &text, const QString &what, QJsonDocument *document, QString *error)
{
    QJsonParseError parseError;
    *document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error == QJsonParseError::NoError)
        return true;
    if (text.trimmed().isEmpty()) {
        *error = what % u" is empty"_s;
        return false;
    }
    if (parseError.error == QJsonParseError::IllegalValue) {
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + text + ']');
        if (wrapped.isArray() && wrapped.array().size() == 1) {
            *error = what % u" is "_s % valueTypeName(wrapped.array().first())
                % u", not a JSON object or array"_s;
            return false;
        }
    }
    *error = what % u" is not valid JSON: "_s % parseError.errorString() % u" at offset "_s
        % QString::number(parseError.offset);
    return false;
}

QString documentTypeName(const QJsonDocument &document)
{
    return document.isArray() ? u"an array"_s : u"an object"_s;
}

// The text form of a document's own "id" field; false if it cannot be an id. An absent,
// null or empty id gives an empty text: the caller generates one.
bool idFromField(const QJsonValue &value, QString *id, QString *error)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null:
        id->clear();
        return true;
    case QJsonValue::String:
        *id = value.toString();
        return true;
    case QJsonValue::Bool:
        *id = value.toBool() ? u"true"_s : u"false"_s;
        return true;
    case QJsonValue::Double: {
        const QVariant variant = value.toVariant();
        if (variant.metaType().id() == QMetaType::LongLong)
            *id = QString::number(variant.toLongLong());
        else
            *id = QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
        return true;
    }
    case QJsonValue::Array:
    case QJsonValue::Object:
        break;
    }
    *error = u"the \"id\" field is "_s % valueTypeName(value)
        % u"; it must be a string, a number or a boolean"_s;
    return false;
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
    const auto it = m_collections.constFind(collection);
    return it == m_collections.cend() ? 0 : it->documents.size();
}

QJsonObject DemoApiServer::document(const QString &collection, const QString &id) const
{
    const auto it = m_collections.constFind(collection);
    if (it == m_collections.cend())
        return {};
    const auto index = it->indexById.constFind(id);
    if (index == it->indexById.cend())
        return {};
    return QJsonDocument::fromJson(it->documents.at(*index).source).object();
}

QStringList DemoApiServer::documentIds(const QString &collection) const
{
    QStringList ids;
    const auto it = m_collections.constFind(collection);
    if (it == m_collections.cend())
        return ids;
    ids.reserve(it->documents.size());
    for (const Document &document : it->documents)
        ids.append(document.id);
    return ids;
}

QStringList DemoApiServer::collections() const
{
    QStringList names = m_collections.keys();
    names.sort();
    return names;
}

quint64 DemoApiServer::requestCount() const
{
    return m_requestCount;
}

void DemoApiServer::clear()
{
    const QStringList names = collections();
    m_collections.clear();
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
                                const QJsonObject &object, const QByteArray &source, Stored *stored,
                                QString *error)
{
    QString id = explicitId;
    if (id.isEmpty() && !idFromField(object.value("id"_L1), &id, error))
        return false;
    if (id.isEmpty())
        id = generateId(collection);
    stored->id = id;
    stored->created = store(collection, id, source, &stored->version);
    return true;
}

DemoApiServer::Reply DemoApiServer::storedReply(const QString &collection, const Stored &stored)
{
    QByteArray body = "{\"_index\":";
    appendJsonString(body, collection);
    body += ",\"_id\":";
    appendJsonString(body, stored.id);
    body += ",\"_version\":" + QByteArray::number(stored.version)
        + ",\"result\":" + (stored.created ? "\"created\"}" : "\"updated\"}");
    return jsonReply(stored.created ? 201 : 200, std::move(body));
}

DemoApiServer::Reply DemoApiServer::postDocument(const QString &collection, const QByteArray &body)
{
    QJsonDocument document;
    QString error;
    if (!parseJson(body, u"the body"_s, &document, &error))
        return errorReply(400, error);
    if (!document.isObject())
        return errorReply(
            400, u"expected a JSON object as the body, got "_s % documentTypeName(document));
    Stored stored;
    if (!storeObject(collection, QString(), document.object(), body, &stored, &error))
        return errorReply(400, error);
    return storedReply(collection, stored);
}

DemoApiServer::Reply DemoApiServer::putDocument(const QString &collection, const QString &id,
                                                const QByteArray &body)
{
    QJsonDocument document;
    QString error;
    if (!parseJson(body, u"the body"_s, &document, &error))
        return errorReply(400, error);
    if (!document.isObject())
        return errorReply(
            400, u"expected a JSON object as the body, got "_s % documentTypeName(document));
    Stored stored;
    stored.id = id;
    stored.created = store(collection, id, body, &stored.version);
    return storedReply(collection, stored);
}

DemoApiServer::Reply DemoApiServer::getDocument(const QString &collection, const QString &id) const
{
    const Document *found = nullptr;
    const auto it = m_collections.constFind(collection);
    if (it != m_collections.cend()) {
        const auto index = it->indexById.constFind(id);
        if (index != it->indexById.cend())
            found = &it->documents.at(*index);
    }
    QByteArray body = "{\"_index\":";
    appendJsonString(body, collection);
    body += ",\"_id\":";
    appendJsonString(body, id);
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
    const auto it = m_collections.find(collection);
    if (it == m_collections.end())
        return false;
    const auto index = it->indexById.constFind(id);
    if (index == it->indexById.cend())
        return false;
    const qsizetype position = *index;
    it->indexById.erase(index);
    it->documents.removeAt(position);
    // Deletes are rare in a demo; renumbering the tail keeps inserts and lookups O(1).
    for (qsizetype i = position; i < it->documents.size(); ++i)
        it->indexById[it->documents.at(i).id] = i;
    if (it->documents.isEmpty()) {
        m_collections.erase(it);
        Q_EMIT collectionCleared(collection);
    }
    return true;
}

DemoApiServer::Reply DemoApiServer::deleteDocument(const QString &collection, const QString &id)
{
    const bool removed = remove(collection, id);
    QByteArray body = "{\"_index\":";
    appendJsonString(body, collection);
    body += ",\"_id\":";
    appendJsonString(body, id);
    body += removed ? ",\"result\":\"deleted\"}" : ",\"result\":\"not_found\",\"status\":404}";
    return jsonReply(removed ? 200 : 404, std::move(body));
}

DemoApiServer::Reply DemoApiServer::postToCollection(const QString &collection,
                                                     const QByteArray &body)
{
    QJsonDocument document;
    QString error;
    if (!parseJson(body, u"the body"_s, &document, &error))
        return errorReply(400, error + u"; expected a JSON object or an array of objects"_s);
    if (document.isObject()) {
        Stored stored;
        if (!storeObject(collection, QString(), document.object(), body, &stored, &error))
            return errorReply(400, error);
        return storedReply(collection, stored);
    }

    const QJsonArray array = document.array();
    QByteArray items;
    bool errors = false;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (i > 0)
            items += ',';
        const QJsonValue value = array.at(i);
        Stored stored;
        if (!value.isObject()) {
            error = u"item "_s % QString::number(i) % u" is "_s % valueTypeName(value)
                % u", not a JSON object"_s;
        } else {
            const QJsonObject object = value.toObject();
            if (storeObject(collection, QString(), object, compact(object), &stored, &error)) {
                items += "{\"_id\":";
                appendJsonString(items, stored.id);
                items += ",\"_version\":" + QByteArray::number(stored.version)
                    + (stored.created ? ",\"result\":\"created\",\"status\":201}"
                                      : ",\"result\":\"updated\",\"status\":200}");
                continue;
            }
        }
        errors = true;
        items += "{\"status\":400,\"error\":";
        appendJsonString(items, error);
        items += '}';
    }
    return jsonReply(201,
                     "{\"_index\":" + jsonString(collection) + ",\"errors\":"
                         + (errors ? "true" : "false") + ",\"items\":[" + items + "]}");
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

    const auto it = m_collections.constFind(collection);
    const qsizetype count = it == m_collections.cend() ? 0 : it->documents.size();
    QByteArray body = "{\"count\":" + QByteArray::number(count) + ",\"offset\":"
        + QByteArray::number(offset) + ",\"limit\":" + QByteArray::number(limit) + ",\"items\":[";
    if (offset < count) {
        const qsizetype end = offset + std::min(limit, count - offset);
        for (qsizetype i = offset; i < end; ++i) {
            if (i > offset)
                body += ',';
            body += it->documents.at(i).source;
        }
    }
    body += "]}";
    return jsonReply(200, std::move(body));
}

DemoApiServer::Reply DemoApiServer::deleteCollection(const QString &collection)
{
    const qsizetype deleted = count(collection);
    if (m_collections.remove(collection))
        Q_EMIT collectionCleared(collection);
    return jsonReply(200,
                     "{\"acknowledged\":true,\"_index\":" + jsonString(collection)
                         + ",\"deleted\":" + QByteArray::number(deleted) + '}');
}

DemoApiServer::Reply DemoApiServer::summary() const
{
    QJsonObject counts;
    for (auto it = m_collections.cbegin(); it != m_collections.cend(); ++it)
        counts.insert(it.key(), qint64(it->documents.size()));
    const QJsonObject object {{"collections"_L1, counts}, {"requests"_L1, qint64(m_requestCount)}};
    return jsonReply(200, compact(object));
}

DemoApiServer::Reply DemoApiServer::bulk(const QString &defaultCollection, const QByteArray &body)
{
    QElapsedTimer timer;
    timer.start();

    enum class Action { Index, Create, Delete, Update };
    struct Operation
    {
        Action action = Action::Index;
        QString collection;
        QString id;
        QJsonObject object;
        QByteArray source;
        QString error; // set: a per-item 400 of type errorType
        QString errorType;
    };

    // Pass 1 checks the framing, so that a malformed action line rejects the whole request
    // before anything is stored, as Elasticsearch does. Broken documents are per item.
    QList<Operation> operations;
    const QList<QByteArray> lines = body.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const QString where = u"bulk line "_s % QString::number(i + 1);
        QJsonDocument actionDocument;
        QString error;
        if (!parseJson(line, where, &actionDocument, &error))
            return errorReply(400,
                              error
                                  + u" (expected an action line such as "
                                    u"{\"index\":{\"_id\":\"1\"}})"_s);
        const QJsonObject actionLine = actionDocument.object();
        if (!actionDocument.isObject() || actionLine.size() != 1
            || !actionLine.constBegin().value().isObject())
            return errorReply(400,
                              where
                                  % u": expected an action line with one key (index, create, "
                                    u"delete or update) whose value is an object"_s);

        Operation op;
        const QString actionName = actionLine.constBegin().key();
        if (actionName == u"index")
            op.action = Action::Index;
        else if (actionName == u"create")
            op.action = Action::Create;
        else if (actionName == u"delete")
            op.action = Action::Delete;
        else if (actionName == u"update")
            op.action = Action::Update;
        else
            return errorReply(400,
                              where % u": unknown bulk action \""_s % actionName
                                  % u"\"; expected index, create, delete or update"_s);

        const QJsonObject meta = actionLine.constBegin().value().toObject();
        const QJsonValue index = meta.value("_index"_L1);
        op.collection = index.isString() ? index.toString() : defaultCollection;
        if (!idFromField(meta.value("_id"_L1), &op.id, &error)) {
            op.errorType = u"illegal_argument_exception"_s;
            op.error = where % u": "_s % error;
        } else if (op.collection.isEmpty()) {
            op.errorType = u"action_request_validation_exception"_s;
            op.error = where % u": no _index in the action and none in the URL"_s;
        } else if (!isCollectionName(op.collection)) {
            op.errorType = u"invalid_index_name_exception"_s;
            op.error = where % u": invalid index name \""_s % op.collection
                % u"\"; names are [A-Za-z0-9_.-]+ and do not start with '_'"_s;
        }

        if (op.action != Action::Delete) {
            // The next non-empty line is this action's document.
            qsizetype j = i + 1;
            while (j < lines.size() && lines.at(j).trimmed().isEmpty())
                ++j;
            if (j >= lines.size())
                return errorReply(400,
                                  where % u": the "_s % actionName
                                      % u" action has no document line after it"_s);
            i = j;
            op.source = lines.at(j).trimmed();
            QJsonDocument document;
            const QString docWhere = u"bulk line "_s % QString::number(j + 1);
            if (!op.error.isEmpty()) {
                // the action's own error wins
            } else if (op.action == Action::Update) {
                op.errorType = u"illegal_argument_exception"_s;
                op.error = u"the demo API does not support update actions; use index"_s;
            } else if (!parseJson(op.source, docWhere, &document, &error)) {
                op.errorType = u"mapper_parsing_exception"_s;
                op.error = u"failed to parse the document: "_s % error;
            } else if (!document.isObject()) {
                op.errorType = u"mapper_parsing_exception"_s;
                op.error = docWhere % u": the document is "_s % documentTypeName(document)
                    % u", not a JSON object"_s;
            } else {
                op.object = document.object();
            }
        }
        operations.append(std::move(op));
    }

    QByteArray items;
    bool errors = false;
    for (qsizetype k = 0; k < operations.size(); ++k) {
        const Operation &op = operations.at(k);
        static constexpr const char *actionKeys[] = {"index", "create", "delete", "update"};
        if (k > 0)
            items += ',';
        items += "{\"";
        items += actionKeys[int(op.action)];
        items += "\":{\"_index\":";
        appendJsonString(items, op.collection);

        int status = 0;
        QString errorType = op.errorType;
        QString error = op.error;
        Stored stored;
        if (error.isEmpty() && op.action == Action::Delete) {
            const bool removed = remove(op.collection, op.id);
            items += ",\"_id\":";
            appendJsonString(items, op.id);
            items += removed ? ",\"result\":\"deleted\",\"status\":200}}"
                             : ",\"result\":\"not_found\",\"status\":404}}";
            continue;
        }
        if (error.isEmpty() && op.action == Action::Create) {
            QString id = op.id;
            if (id.isEmpty() && !idFromField(op.object.value("id"_L1), &id, &error))
                errorType = u"illegal_argument_exception"_s;
            const auto it = m_collections.constFind(op.collection);
            if (error.isEmpty() && !id.isEmpty() && it != m_collections.cend()
                && it->indexById.contains(id)) {
                status = 409;
                errorType = u"version_conflict_engine_exception"_s;
                error = u"["_s % id % u"]: version conflict, document already exists"_s;
            }
        }
        if (error.isEmpty()
            && storeObject(op.collection, op.id, op.object, op.source, &stored, &error)) {
            items += ",\"_id\":";
            appendJsonString(items, stored.id);
            items += ",\"_version\":" + QByteArray::number(stored.version)
                + (stored.created ? ",\"result\":\"created\",\"status\":201}}"
                                  : ",\"result\":\"updated\",\"status\":200}}");
            continue;
        }
        if (errorType.isEmpty())
            errorType = u"illegal_argument_exception"_s;
        errors = true;
        if (!op.id.isEmpty()) {
            items += ",\"_id\":";
            appendJsonString(items, op.id);
        }
        items
            += ",\"status\":" + QByteArray::number(status ? status : 400) + ",\"error\":{\"type\":";
        appendJsonString(items, errorType);
        items += ",\"reason\":";
        appendJsonString(items, error);
        items += "}}}";
    }
    return jsonReply(200,
                     "{\"took\":" + QByteArray::number(timer.elapsed()) + ",\"errors\":"
                         + (errors ? "true" : "false") + ",\"items\":[" + items + "]}");
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
        return errorReply(400, u"\"docs\" is "_s % valueTypeName(docsValue) % expected);

    const QJsonArray docs = docsValue.toArray();
    QByteArray items;
    for (qsizetype i = 0; i < docs.size(); ++i) {
        if (i > 0)
            items += ',';
        const QJsonValue value = docs.at(i);
        if (!value.isObject()) {
            items += "{\"id\":null,\"error\":\"bad_request\",\"reason\":";
            appendJsonString(items,
                             u"docs["_s % QString::number(i) % u"] is "_s % valueTypeName(value)
                                 % u", not a JSON object"_s);
            items += '}';
            continue;
        }
        const QJsonObject object = value.toObject();
        const QJsonValue couchId = object.value("_id"_L1);
        QString id;
        if (couchId.isString())
            id = couchId.toString();
        const QByteArray source = compact(object);
        Stored stored;
        if (!storeObject(collection, id, object, source, &stored, &error)) {
            items += "{\"id\":null,\"error\":\"bad_request\",\"reason\":";
            appendJsonString(items, error);
            items += '}';
            continue;
        }
        items += "{\"ok\":true,\"id\":";
        appendJsonString(items, stored.id);
        items += ",\"rev\":\"" + QByteArray::number(stored.version) + '-'
            + QCryptographicHash::hash(source, QCryptographicHash::Md5).toHex() + "\"}";
    }
    return jsonReply(201, '[' + items + ']');
}

bool DemoApiServer::store(const QString &collection, const QString &id, const QByteArray &source,
                          int *version)
{
    Collection &c = m_collections[collection];
    const auto index = c.indexById.constFind(id);
    bool created = false;
    if (index != c.indexById.cend()) {
        Document &document = c.documents[*index];
        document.source = source;
        *version = ++document.version;
    } else {
        c.indexById.insert(id, c.documents.size());
        c.documents.append(Document {id, source, 1});
        *version = 1;
        created = true;
    }
    Q_EMIT documentStored(collection, id);
    return created;
}

QString DemoApiServer::generateId(const QString &collection)
{
    const auto it = m_collections.constFind(collection);
    QString id;
    do {
        id = u"auto-"_s % QString::number(++m_nextGeneratedId);
    } while (it != m_collections.cend() && it->indexById.contains(id));
    return id;
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
