// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace sluice::demoapi {

// One item of an Elasticsearch _bulk request, as read from its NDJSON body: an action
// line ({"index":{"_index":"c","_id":"1"}}) and, for every action but delete, the line
// after it with the document.
struct BulkOperation
{
    enum class Action { Index, Create, Delete, Update };

    Action action = Action::Index;
    QString collection; // the action's "_index", else the one in the URL
    QString id; // the action's "_id" as text; empty: none
    QJsonObject object; // the document (not for delete or an item in error)
    QByteArray source; // the document line as it arrived
    QString error; // set: the item fails (400) with this reason and errorType
    QString errorType;
};

// The action's key in the request and in its reply item: "index", "create", ...
const char *actionKey(BulkOperation::Action action);

// Reads a bulk body in order. Returns false, with *error set, if its framing is broken
// (an action line that is not one, an action without its document line): as Elasticsearch
// does, the whole request is then rejected before anything is stored. A document that is
// not a JSON object, or an action with a bad "_id" or "_index", only fails its own item.
// Pure, any thread.
bool parseBulk(const QByteArray &body, const QString &defaultCollection,
               QList<BulkOperation> *operations, QString *error);

} // namespace sluice::demoapi
