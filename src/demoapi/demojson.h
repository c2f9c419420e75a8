// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "demostore.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringView>

// The JSON text the demo API reads and writes: request bodies and bulk lines in, replies
// out, and the names its error messages give JSON values. Pure functions, any thread.
namespace sluice::demoapi {

// Appends s as a JSON string literal. Hand-written because the hot paths answer with a
// few fixed keys, where QJsonDocument would cost more than the rest of the request.
void appendJsonString(QByteArray &out, const QString &s);
// s as a JSON string literal.
QByteArray jsonString(const QString &s);
// object as compact JSON text.
QByteArray compact(const QJsonObject &object);

// What value is, for messages: "null", "a boolean", "a number", "a string", "an array",
// "an object" (or "nothing").
QString jsonTypeName(const QJsonValue &value);
// "an array" or "an object".
QString documentTypeName(const QJsonDocument &document);

// Parses a request body or bulk line that must be JSON. On failure returns false and sets
// *error, which starts with what ("the body", "bulk line 3").
bool parseJson(const QByteArray &text, const QString &what, QJsonDocument *document,
               QString *error);

// The text form of a document's own "id" field (or a bulk action's "_id"); false, with
// *error set, if it cannot be an id. An absent, null or empty id gives an empty text: the
// caller generates one.
bool idFromField(const QJsonValue &value, QString *id, QString *error);

// A collection name: [A-Za-z0-9_.-]+, not starting with '_'.
bool isCollectionName(QStringView name);

// Pieces of the replies, written once for the routes that share them:
// "_index":<collection>,"_id":<id>: how a reply names a document.
QByteArray indexAndId(const QString &collection, const QString &id);
// "_id":…,"_version":…,"result":"created" (or "updated"): every reply on a stored document.
QByteArray storedFields(const DemoStore::Stored &stored);
// storedFields() and the item's "status" (201 or 200), for replies with many items.
QByteArray storedItem(const DemoStore::Stored &stored);
// indexAndId() and "result":"deleted" (or "not_found" with "status":404).
QByteArray deletedFields(const QString &collection, const QString &id, bool removed);
// A reply with one result item per item of a request: {<head>,"errors":..,"items":[..]}.
QByteArray itemsBody(const QByteArray &head, bool errors, const QByteArray &items);

} // namespace sluice::demoapi
