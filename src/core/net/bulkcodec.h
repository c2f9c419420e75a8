// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "spec/transferspec.h"

namespace sluice {

/// What a bulk answer says about one item of the batch.
struct BulkItemOutcome
{
    /// The item's own status: Elasticsearch's items[i].<action>.status; for CouchDB the
    /// answer's HTTP status (201, or 202) when "ok", else from "error" (conflict 409,
    /// forbidden 403, unauthorized 401, bad_request and other request errors 400, not_found
    /// 404, too_large 413, anything else 500); for json-array and ndjson, and for a whole
    /// request that failed, the request's HTTP status.
    int status = 0;
    /// Empty when the item succeeded. Else the server's words: "mapper_parsing_exception:
    /// failed to parse ..." (Elasticsearch: type: reason, then "; caused by: type: reason"),
    /// "conflict: Document update conflict." (CouchDB: error: reason). For a failed whole
    /// request, the error of the answer's body when it has one these servers write, else empty.
    QString error;
    /// The item exists already: status 409 (Elasticsearch's version conflict of a create,
    /// CouchDB's "conflict").
    bool conflict = false;

    friend bool operator==(const BulkItemOutcome &, const BulkItemOutcome &) = default;
};

/// A bulk answer, read per item.
struct BulkReply
{
    /// Set when a 2xx answer cannot be read per item (not JSON, not the expected shape, a
    /// different number of items); says what was expected. Then items is empty and the
    /// caller fails every item of the batch with this text.
    QString error;
    /// One outcome per item, in batch order, when error is empty.
    QList<BulkItemOutcome> items;
};

/// Writes a batch of item payloads as one request body in a bulk format, and reads the
/// answer back per item. Pure and immutable: one codec may serve any number of threads.
///
/// Payloads are compact UTF-8 JSON objects (the transform's output): they are copied
/// unchecked, so a payload with a raw line break would break ndjson and elasticsearch-bulk.
///
/// - elasticsearch-bulk (application/x-ndjson): per item an action line, {"index":{"_id":
///   "<key>"}} ("create" for BulkAction::Create; {"index":{}} when not keyed), then the payload
///   line; every line ends with \n. The answer is {"items":[{"<action>":{"status":..,
///   "error":{"type":..,"reason":..}}},...]}, one per item in order.
/// - couchdb-bulk (application/json): {"docs":[doc,...]}. When keyed, a doc gets
///   "_id":"<key>" as its first member unless the payload has a top-level "_id" already
///   (then the payload is kept as it is); {} becomes {"_id":"<key>"}. The answer is an array
///   of {"ok":true,"id":..,"rev":..} or {"id":..,"error":..,"reason":..}, one per doc.
///   CouchDB answers in doc order; pouchdb-server does not (it puts the docs its
///   validate_doc_update functions reject first), so parse() matches the answer to the docs
///   by id when the ids say the order differs (see parse()).
/// - json-array (application/json): [p1,p2]; ndjson (application/x-ndjson): p1\np2\n. The
///   answer is not read: every item gets the request's status.
///
/// Keys are JSON-escaped as JsonWriter::writeString does (quotes, backslashes, control
/// characters; everything else as UTF-8). An empty key is sent as "" (keyed means the
/// transform has a key template: an item whose key came out empty fails at the server
/// instead of getting an id made up for it).
///
/// A batch: body.reserve(...); begin(&body); append(&body, ...) per item; end(&body).
/// Nothing on the encode path parses JSON: append() costs about 10 ns an item plus the copy
/// (40 ns keyed elasticsearch-bulk), except that keyed couchdb-bulk scans each payload's top
/// level for "_id" (about 0.2 us for 200 bytes, in append() and again in extraBytes()).
class BulkCodec
{
public:
    /// mode must be a bulk mode (isBulk()); action matters for elasticsearch-bulk only;
    /// keyed: the transform has a key (transform.key), so the key is sent as the _id.
    BulkCodec(TargetMode mode, BulkAction action, bool keyed);

    TargetMode mode() const { return m_mode; }
    BulkAction action() const { return m_action; }
    bool isKeyed() const { return m_keyed; }

    /// "application/x-ndjson" for elasticsearch-bulk and ndjson, "application/json" otherwise.
    QByteArray contentType() const;

    /// Starts a batch: appends {"docs":[ (couchdb-bulk), [ (json-array) or nothing.
    void begin(QByteArray *body) const;
    /// Appends one item, with the separator a previous item needs (the batch knows it has
    /// one when body does not end with the '[' begin() wrote). For couchdb-bulk, *documentId
    /// (when not null) is set to the _id the doc is sent with: the key when keyed and the
    /// payload has no top-level "_id", else the payload's own "_id" when it is a string, else
    /// empty (the server makes one up); for the other modes it is cleared.
    void append(QByteArray *body, QByteArrayView payload, QStringView key,
                QString *documentId = nullptr) const;
    /// Ends a batch: appends ]} (couchdb-bulk), ] (json-array) or nothing.
    void end(QByteArray *body) const;

    /// The bytes append() adds for an item besides payload.size(), including the separator
    /// from the previous item. A body of n >= 1 items is exactly
    /// frameBytes() + sum(payload.size() + extraBytes(payload, key)) bytes long.
    qsizetype extraBytes(QByteArrayView payload, QStringView key) const;
    /// What begin() and end() add, less the one separator the first item does not get.
    qsizetype frameBytes() const;

    /// Reads the answer to a batch of itemCount items, matched by position. httpStatus is
    /// the answer's HTTP status (0: none arrived). For json-array and ndjson, and for
    /// elasticsearch-bulk and couchdb-bulk when the status is not 2xx (the request failed
    /// as a whole; the caller applies its retry policy), every item gets httpStatus. A 2xx
    /// elasticsearch-bulk or couchdb-bulk answer is read per item; when it cannot be,
    /// BulkReply::error says why. Read with JsonReader without its name check: 0.26 us an
    /// item of an Elasticsearch answer, 0.14 us of a CouchDB one (QJsonDocument: 2 us and
    /// 0.5 us; JsonReader with the check: 1.5 us). Any thread.
    BulkReply parse(int httpStatus, QByteArrayView responseBody, qsizetype itemCount) const;
    /// The same for a couchdb-bulk batch whose docs were sent with these ids (append()'s
    /// *documentId, in batch order; empty for a doc without one). When an answer entry's id
    /// differs from the id of the doc at its position, the entries are matched by id: an
    /// entry goes to the first doc not yet matched that was sent with its id; the entries
    /// left over (ids the server made up, or no id) go to the docs left over (sent without an
    /// id, or answered without one), and must then all say the same (otherwise which doc
    /// failed is unknown and BulkReply::error says so). Other modes: as
    /// parse(httpStatus, body, documentIds.size()).
    BulkReply parse(int httpStatus, QByteArrayView responseBody,
                    const QStringList &documentIds) const;

private:
    BulkReply parseElasticsearch(QByteArrayView body, qsizetype itemCount) const;
    BulkReply parseCouchdb(int httpStatus, QByteArrayView body, qsizetype itemCount,
                           const QStringList *documentIds) const;
    BulkReply everyItem(int httpStatus, QByteArrayView body, qsizetype itemCount) const;

    TargetMode m_mode;
    BulkAction m_action;
    bool m_keyed;
};

} // namespace sluice
