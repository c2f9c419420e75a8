// SPDX-License-Identifier: GPL-3.0-or-later
// BulkCodec's reading of answers (bulkcodec.cpp writes the requests).
#include "bulkcodec.h"

#include <QHash>

#include "json/jsonreader.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

using Token = JsonReader::Token;

bool isSuccess(int httpStatus)
{
    return httpStatus >= 200 && httpStatus < 300;
}

// The decoded value of a string token, after the reader read it.
QString stringValue(const JsonReader &reader)
{
    return reader.token() == Token::String ? reader.text() : QString();
}

QString joinError(const QString &type, const QString &reason)
{
    if (type.isEmpty())
        return reason;
    if (reason.isEmpty())
        return type;
    return type + u": "_s + reason;
}

// Reads {"type":..,"reason":..} (the reader is at its '{', in text) into "type: reason"; with
// nested also one "caused_by". The object's JSON when it has neither; empty on a syntax error.
QString readEsError(JsonReader *reader, QByteArrayView text, bool nested)
{
    const qsizetype start = reader->offset();
    QString type;
    QString reason;
    QString cause;
    while (reader->next() == Token::Key) {
        const QByteArrayView name = reader->raw();
        reader->next();
        if (name == R"("type")")
            type = stringValue(*reader);
        else if (name == R"("reason")")
            reason = stringValue(*reader);
        else if (nested && name == R"("caused_by")" && reader->token() == Token::BeginObject)
            cause = readEsError(reader, text, false); // leaves the reader at its '}'
        if (!reader->skipValue())
            return {};
    }
    if (reader->token() != Token::EndObject)
        return {};
    QString error = joinError(type, reason);
    if (error.isEmpty())
        error = QString::fromUtf8(text.sliced(start, reader->endOffset() - start));
    if (!cause.isEmpty())
        error += u"; caused by: "_s + cause;
    return error;
}

int couchErrorStatus(QStringView error)
{
    if (error == "conflict"_L1)
        return 409;
    if (error == "forbidden"_L1)
        return 403;
    if (error == "unauthorized"_L1)
        return 401;
    if (error == "not_found"_L1)
        return 404;
    if (error == "too_large"_L1 || error == "document_too_large"_L1)
        return 413;
    if (error == "bad_request"_L1 || error == "illegal_docid"_L1 || error == "doc_validation"_L1
        || error == "invalid_ejson"_L1 || error == "bad_content_type"_L1)
        return 400;
    // Unknown: most likely the server's trouble, so the retry policy gets a say.
    return 500;
}

// The error a failed whole request's body holds when a CouchDB or Elasticsearch server wrote
// it: {"error":"bad_request","reason":".."} or {"error":{"type":..,"reason":..},"status":..}.
QString wholeRequestError(QByteArrayView body)
{
    JsonReader reader(body, JsonReader::Names::Unchecked);
    if (reader.next() != Token::BeginObject)
        return {};
    QString error;
    QString reason;
    while (reader.next() == Token::Key) {
        const QByteArrayView name = reader.raw();
        if (reader.next() == Token::Error)
            return {};
        if (name == R"("error")" && reader.token() == Token::BeginObject)
            error = readEsError(&reader, body, true);
        else if (name == R"("error")")
            error = stringValue(reader);
        else if (name == R"("reason")")
            reason = stringValue(reader);
        if (!reader.skipValue())
            return {};
    }
    return reader.token() == Token::EndObject ? joinError(error, reason) : QString();
}

// What is wrong with the answer at the reader's position: its syntax error, else `shape`.
QString problem(const JsonReader &reader, const QString &shape)
{
    if (reader.token() == Token::Error)
        return u"is not JSON ("_s + reader.error().toString() + u')';
    return shape;
}

QString countProblem(qsizetype got, qsizetype expected, const QString &what)
{
    return u"has "_s + QString::number(got) + u' ' + what + u" for a batch of "_s
        + QString::number(expected) + u" (one per item expected)"_s;
}

} // namespace

BulkReply BulkCodec::parse(int httpStatus, QByteArrayView responseBody, qsizetype itemCount) const
{
    if (!isSuccess(httpStatus) || m_mode == TargetMode::JsonArray || m_mode == TargetMode::Ndjson)
        return everyItem(httpStatus, responseBody, itemCount);
    if (m_mode == TargetMode::ElasticsearchBulk)
        return parseElasticsearch(responseBody, itemCount);
    return parseCouchdb(httpStatus, responseBody, itemCount, nullptr);
}

BulkReply BulkCodec::parse(int httpStatus, QByteArrayView responseBody,
                           const QStringList &documentIds) const
{
    if (m_mode != TargetMode::CouchdbBulk || !isSuccess(httpStatus))
        return parse(httpStatus, responseBody, documentIds.size());
    return parseCouchdb(httpStatus, responseBody, documentIds.size(), &documentIds);
}

BulkReply BulkCodec::everyItem(int httpStatus, QByteArrayView body, qsizetype itemCount) const
{
    BulkItemOutcome outcome;
    outcome.status = httpStatus;
    outcome.conflict = httpStatus == 409;
    if (!isSuccess(httpStatus)
        && (m_mode == TargetMode::ElasticsearchBulk || m_mode == TargetMode::CouchdbBulk))
        outcome.error = wholeRequestError(body);
    BulkReply reply;
    reply.items.fill(outcome, itemCount);
    return reply;
}

BulkReply BulkCodec::parseElasticsearch(QByteArrayView body, qsizetype itemCount) const
{
    BulkReply reply;
    const auto fail = [&reply](const QString &what) {
        reply.items.clear();
        reply.error = u"the Elasticsearch bulk answer "_s + what
            + uR"(; expected {"items":[{"index":{"status":201,...}},...]} with one item per document)"_s;
        return reply;
    };
    const auto itemName = [](qsizetype index) -> QString {
        return u"items["_s + QString::number(index) + u']';
    };
    JsonReader reader(body, JsonReader::Names::Unchecked);
    if (reader.next() != Token::BeginObject)
        return fail(problem(reader, u"is not a JSON object"_s));
    bool seenItems = false;
    while (reader.next() == Token::Key) {
        const bool isItems = reader.raw() == R"("items")";
        reader.next();
        if (!isItems || seenItems) {
            if (!reader.skipValue())
                break;
            continue;
        }
        if (reader.token() != Token::BeginArray)
            return fail(problem(reader, uR"(has "items" that is not an array)"_s));
        seenItems = true;
        reply.items.reserve(itemCount);
        while (reader.next() == Token::BeginObject) {
            const qsizetype index = reply.items.size();
            // {"<action>":{"status":..,"error":..}}
            if (reader.next() != Token::Key || reader.next() != Token::BeginObject)
                return fail(problem(reader, itemName(index) + uR"( is not {"<action>":{...}})"_s));
            BulkItemOutcome outcome;
            QString error;
            while (reader.next() == Token::Key) {
                const QByteArrayView member = reader.raw();
                reader.next();
                if (member == R"("status")") {
                    bool ok = false;
                    outcome.status = reader.token() == Token::Number ? reader.raw().toInt(&ok) : 0;
                    if (!ok || outcome.status < 100 || outcome.status > 599)
                        return fail(problem(
                            reader,
                            itemName(index) + uR"( has a "status" that is not an HTTP status)"_s));
                } else if (member == R"("error")") {
                    error = reader.token() == Token::BeginObject ? readEsError(&reader, body, true)
                                                                 : stringValue(reader);
                }
                if (!reader.skipValue())
                    break;
            }
            if (reader.token() != Token::EndObject)
                return fail(problem(reader, itemName(index) + u" is not an object"_s));
            if (outcome.status == 0)
                return fail(itemName(index) + uR"( has no "status")"_s);
            if (reader.next() != Token::EndObject)
                return fail(problem(reader, itemName(index) + u" has more than one action"_s));
            if (!isSuccess(outcome.status)) {
                outcome.error = error.isEmpty()
                    ? u"failed with status "_s + QString::number(outcome.status)
                    : error;
                outcome.conflict = outcome.status == 409;
            }
            reply.items.append(std::move(outcome));
        }
        if (reader.token() != Token::EndArray)
            return fail(problem(reader, itemName(reply.items.size()) + u" is not an object"_s));
    }
    if (reader.token() != Token::EndObject || reader.next() != Token::End)
        return fail(problem(reader, u"has text after its end"_s));
    if (!seenItems)
        return fail(uR"(has no "items")"_s);
    if (reply.items.size() != itemCount)
        return fail(countProblem(reply.items.size(), itemCount, u"items"_s));
    return reply;
}

BulkReply BulkCodec::parseCouchdb(int httpStatus, QByteArrayView body, qsizetype itemCount,
                                  const QStringList *documentIds) const
{
    BulkReply reply;
    const auto fail = [&reply](const QString &what) {
        reply.items.clear();
        reply.error = u"the CouchDB _bulk_docs answer "_s + what
            + uR"(; expected [{"ok":true,"id":..,"rev":..} or {"id":..,"error":..,"reason":..}, ...] with one entry per document)"_s;
        return reply;
    };
    QStringList ids; // the id of each entry; empty when it has none
    const bool matchIds = documentIds && !documentIds->isEmpty();
    JsonReader reader(body, JsonReader::Names::Unchecked);
    if (reader.next() != Token::BeginArray)
        return fail(problem(reader, u"is not a JSON array"_s));
    reply.items.reserve(itemCount);
    while (reader.next() == Token::BeginObject) {
        const auto name = [index = reply.items.size()]() -> QString {
            return u"entry "_s + QString::number(index);
        };
        bool ok = false;
        QString id;
        QString error;
        QString reason;
        while (reader.next() == Token::Key) {
            const QByteArrayView member = reader.raw();
            reader.next();
            if (member == R"("ok")")
                ok = reader.token() == Token::True;
            else if (member == R"("error")")
                error = stringValue(reader);
            else if (member == R"("reason")")
                reason = stringValue(reader);
            else if (matchIds && member == R"("id")")
                id = stringValue(reader);
            if (!reader.skipValue())
                break;
        }
        if (reader.token() != Token::EndObject)
            return fail(problem(reader, name() + u" is not an object"_s));
        BulkItemOutcome outcome;
        if (!error.isEmpty()) {
            outcome.status = couchErrorStatus(error);
            outcome.error = joinError(error, reason);
            outcome.conflict = outcome.status == 409;
        } else if (ok) {
            outcome.status = httpStatus;
        } else {
            return fail(name() + uR"( has neither "ok":true nor an "error")"_s);
        }
        reply.items.append(std::move(outcome));
        if (matchIds)
            ids.append(std::move(id));
    }
    if (reader.token() != Token::EndArray || reader.next() != Token::End)
        return fail(problem(
            reader, u"entry "_s + QString::number(reply.items.size()) + u" is not an object"_s));
    if (reply.items.size() != itemCount)
        return fail(countProblem(reply.items.size(), itemCount, u"entries"_s));
    if (!matchIds)
        return reply;

    bool inOrder = true;
    for (qsizetype i = 0; i < itemCount && inOrder; ++i) {
        const QString &sent = documentIds->at(i);
        inOrder = sent.isEmpty() || ids.at(i).isEmpty() || ids.at(i) == sent;
    }
    if (inOrder)
        return reply;

    // pouchdb-server answers out of order: match by id, in order within one id.
    QHash<QString, QList<qsizetype>> docsById;
    for (qsizetype i = 0; i < itemCount; ++i) {
        if (!documentIds->at(i).isEmpty())
            docsById[documentIds->at(i)].append(i);
    }
    QList<BulkItemOutcome> matched(itemCount);
    QList<bool> done(itemCount, false);
    QList<qsizetype> leftover; // entries whose id matches no doc still open
    for (qsizetype e = 0; e < itemCount; ++e) {
        const auto docs = docsById.find(ids.at(e));
        if (ids.at(e).isEmpty() || docs == docsById.end() || docs->isEmpty()) {
            leftover.append(e);
            continue;
        }
        const qsizetype doc = docs->takeFirst();
        matched[doc] = reply.items.at(e);
        done[doc] = true;
    }
    // The leftover entries belong to the docs still open, one each, in an order nobody
    // knows: fine when they all say the same.
    for (const qsizetype e : std::as_const(leftover)) {
        if (reply.items.at(e) != reply.items.at(leftover.constFirst()))
            return fail(u"is not in the order of the documents, and "_s
                        + QString::number(leftover.size())
                        + u" of its entries with different outcomes cannot be matched to a "
                          u"document by id"_s);
    }
    for (qsizetype doc = 0, next = 0; doc < itemCount; ++doc) {
        if (!done.at(doc))
            matched[doc] = reply.items.at(leftover.at(next++));
    }
    reply.items = std::move(matched);
    return reply;
}

} // namespace sluice