// SPDX-License-Identifier: GPL-3.0-or-later
#include "bulkrequest.h"

#include "demojson.h"

#include <array>
#include <optional>

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sluice::demoapi {

namespace {

using Action = BulkOperation::Action;

constexpr std::array<const char *, 4> ActionKeys {"index", "create", "delete", "update"};

std::optional<Action> actionNamed(const QString &name)
{
    for (std::size_t i = 0; i < ActionKeys.size(); ++i) {
        if (name == QLatin1StringView(ActionKeys[i]))
            return Action(i);
    }
    return std::nullopt;
}

QString lineName(qsizetype index)
{
    return u"bulk line "_s % QString::number(index + 1);
}

// Reads action line `index` into *op: its action, collection and id, or the item's error.
// False, with *error set, if it is no action line: that breaks the whole request.
bool readActionLine(const QByteArray &line, qsizetype index, const QString &defaultCollection,
                    BulkOperation *op, QString *error)
{
    const QString where = lineName(index);
    QJsonDocument document;
    if (!parseJson(line, where, &document, error)) {
        *error += u" (expected an action line such as {\"index\":{\"_id\":\"1\"}})"_s;
        return false;
    }
    const QJsonObject actionLine = document.object();
    if (!document.isObject() || actionLine.size() != 1
        || !actionLine.constBegin().value().isObject()) {
        *error = where
            % u": expected an action line with one key (index, create, delete or update) whose "
              u"value is an object"_s;
        return false;
    }
    const QString name = actionLine.constBegin().key();
    const std::optional<Action> action = actionNamed(name);
    if (!action) {
        *error = where % u": unknown bulk action \""_s % name
            % u"\"; expected index, create, delete or update"_s;
        return false;
    }
    op->action = *action;

    const QJsonObject meta = actionLine.constBegin().value().toObject();
    const QJsonValue collection = meta.value("_index"_L1);
    op->collection = collection.isString() ? collection.toString() : defaultCollection;
    QString idError;
    if (!idFromField(meta.value("_id"_L1), &op->id, &idError)) {
        op->errorType = u"illegal_argument_exception"_s;
        op->error = where % u": "_s % idError;
    } else if (op->collection.isEmpty()) {
        op->errorType = u"action_request_validation_exception"_s;
        op->error = where % u": no _index in the action and none in the URL"_s;
    } else if (!isCollectionName(op->collection)) {
        op->errorType = u"invalid_index_name_exception"_s;
        op->error = where % u": invalid index name \""_s % op->collection
            % u"\"; names are [A-Za-z0-9_.-]+ and do not start with '_'"_s;
    }
    return true;
}

// Reads document line `index` of *op, unless the action already failed its item.
void readDocumentLine(const QByteArray &line, qsizetype index, BulkOperation *op)
{
    op->source = line;
    if (!op->error.isEmpty())
        return; // the action's own error wins
    if (op->action == Action::Update) {
        op->errorType = u"illegal_argument_exception"_s;
        op->error = u"the demo API does not support update actions; use index"_s;
        return;
    }
    const QString where = lineName(index);
    QJsonDocument document;
    QString error;
    if (!parseJson(line, where, &document, &error)) {
        op->errorType = u"mapper_parsing_exception"_s;
        op->error = u"failed to parse the document: "_s % error;
    } else if (!document.isObject()) {
        op->errorType = u"mapper_parsing_exception"_s;
        op->error = where % u": the document is "_s % documentTypeName(document)
            % u", not a JSON object"_s;
    } else {
        op->object = document.object();
    }
}

} // namespace

const char *actionKey(BulkOperation::Action action)
{
    return ActionKeys.at(std::size_t(action));
}

bool parseBulk(const QByteArray &body, const QString &defaultCollection,
               QList<BulkOperation> *operations, QString *error)
{
    const QList<QByteArray> lines = body.split('\n');
    // The next line with something on it, from index on; lines.size() when there is none.
    const auto nextLine = [&lines](qsizetype index) {
        while (index < lines.size() && lines.at(index).trimmed().isEmpty())
            ++index;
        return index;
    };
    for (qsizetype i = nextLine(0); i < lines.size(); i = nextLine(i + 1)) {
        BulkOperation op;
        if (!readActionLine(lines.at(i).trimmed(), i, defaultCollection, &op, error))
            return false;
        if (op.action != Action::Delete) {
            const qsizetype documentLine = nextLine(i + 1);
            if (documentLine >= lines.size()) {
                *error = lineName(i) % u": the "_s % QLatin1StringView(actionKey(op.action))
                    % u" action has no document line after it"_s;
                return false;
            }
            i = documentLine;
            readDocumentLine(lines.at(i).trimmed(), i, &op);
        }
        operations->append(std::move(op));
    }
    return true;
}

} // namespace sluice::demoapi
