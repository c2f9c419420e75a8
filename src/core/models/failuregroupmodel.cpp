// SPDX-License-Identifier: GPL-3.0-or-later
#include "failuregroupmodel.h"

#include <algorithm>

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include "transfer/transferrun.h"
#include "transferstatusmodel.h"
#include "util/text.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

QString cut(const QString &text)
{
    if (text.size() <= FailureGroupModel::MaxMessageLength)
        return text;
    return text.left(FailureGroupModel::MaxMessageLength) + u'\x2026';
}

/// The first non-empty string among names in object.
QString stringField(const QJsonObject &object, std::initializer_list<QLatin1StringView> names)
{
    for (QLatin1StringView name : names) {
        const QString value = firstLine(object.value(name).toString());
        if (!value.isEmpty())
            return value;
    }
    return {};
}

/// The message of a JSON error answer: {"error": "..."}, {"message": "..."}, {"detail": "..."}
/// or, as Elasticsearch answers, {"error": {"reason": "..."}}.
QString jsonMessage(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (!trimmed.startsWith('{'))
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(trimmed);
    if (!document.isObject())
        return {};
    const QJsonObject object = document.object();
    const QString message = stringField(object, {"error"_L1, "message"_L1, "detail"_L1});
    if (!message.isEmpty())
        return message;
    return stringField(object.value("error"_L1).toObject(),
                       {"reason"_L1, "message"_L1, "detail"_L1});
}

/// The "HTTP 422 Unprocessable Entity" head of a dispatcher error and the rest after ": ",
/// when error starts with it.
bool splitHttpError(const ItemResult &result, QString *head, QString *rest)
{
    if (result.httpStatus <= 0)
        return false;
    const QString line = firstLine(result.error);
    const QString prefix = u"HTTP "_s + QString::number(result.httpStatus);
    if (!line.startsWith(prefix))
        return false;
    if (line.size() > prefix.size() && line.at(prefix.size()) != u' '
        && line.at(prefix.size()) != u':')
        return false;
    const qsizetype colon = line.indexOf(": "_L1, prefix.size());
    *head = colon < 0 ? line : line.left(colon);
    *rest = colon < 0 ? QString() : line.mid(colon + 2).trimmed();
    return true;
}

/// message with key replaced by FailureGroupModel::KeyMark wherever it stands as a word (no
/// letter or digit right before or after it): "[k-7]: version conflict" groups with "[k-8]:
/// version conflict", while "k-70" is left alone in the message of k-7.
QString withoutKey(QString message, const QString &key)
{
    if (key.isEmpty())
        return message;
    const QString mark = FailureGroupModel::KeyMark.toString();
    qsizetype from = 0;
    while ((from = message.indexOf(key, from)) >= 0) {
        const qsizetype end = from + key.size();
        if ((from > 0 && message.at(from - 1).isLetterOrNumber())
            || (end < message.size() && message.at(end).isLetterOrNumber())) {
            ++from;
            continue;
        }
        message.replace(from, key.size(), mark);
        from += mark.size();
    }
    return message;
}

} // namespace

FailureGroupModel::FailureGroupModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

FailureGroupModel::~FailureGroupModel() = default;

void FailureGroupModel::attach(TransferRun *run, bool keepRows)
{
    m_runConnections.disconnectAll();
    if (!keepRows)
        clear();
    if (!run)
        return;
    m_runConnections.replace({
        connect(run, &TransferRun::itemFinished, this, &FailureGroupModel::addResult),
        connect(run, &TransferRun::finished, this, [this] { flush(); }),
    });
}

void FailureGroupModel::clear()
{
    m_flushTimer.cancel();
    beginResetModel();
    m_rows.clear();
    m_groupByKey.clear();
    m_groupOf.clear();
    m_pending.clear();
    m_pendingAdded.clear();
    endResetModel();
}

QString FailureGroupModel::shortMessage(const ItemResult &result)
{
    QString message = jsonMessage(result.responseBody);
    if (message.isEmpty()) {
        QString head;
        if (!splitHttpError(result, &head, &message))
            message = firstLine(result.error);
    }
    return cut(withoutKey(std::move(message), result.key));
}

QString FailureGroupModel::statusText(const ItemResult &result)
{
    if (result.httpStatus <= 0)
        return TransferStatusModel::statusName(result.status);
    QString head;
    QString rest;
    if (!splitHttpError(result, &head, &rest))
        return QString::number(result.httpStatus);
    // "HTTP 302 Found (redirect to ... not followed)": the status line only.
    const qsizetype note = head.indexOf(" ("_L1);
    if (note >= 0)
        head.truncate(note);
    return head.mid(5); // without "HTTP "
}

QString FailureGroupModel::groupKey(ItemStatus status, int httpStatus, const QString &message)
{
    return QString::number(int(status)) + u'|' + QString::number(httpStatus) + u'|' + message;
}

void FailureGroupModel::addResult(const ItemResult &result)
{
    if (result.status == ItemStatus::Delivered) {
        removeItem(result.id);
        return;
    }
    if (result.status != ItemStatus::Failed && result.status != ItemStatus::Invalid)
        return;
    m_pendingAdded.insert(result.id);
    queue(Change {result.id, false, result.status, result.httpStatus, statusText(result),
                  shortMessage(result), result.error});
}

void FailureGroupModel::removeItem(qint64 id)
{
    // Every delivered item of a run comes here: most were never in a group.
    if (!m_groupOf.contains(id) && !m_pendingAdded.contains(id))
        return;
    queue(Change {id, true, ItemStatus::Failed, 0, {}, {}, {}});
}

void FailureGroupModel::queue(Change &&change)
{
    m_pending.push_back(std::move(change));
    m_flushTimer.schedule();
}

bool FailureGroupModel::before(const Group *a, const Group *b)
{
    if (a->ids.size() != b->ids.size())
        return a->ids.size() > b->ids.size();
    return a->serial < b->serial;
}

void FailureGroupModel::renumber()
{
    for (size_t row = 0; row < m_rows.size(); ++row)
        m_rows[row]->row = int(row);
}

void FailureGroupModel::flush()
{
    m_flushTimer.cancel();
    if (m_pending.empty())
        return;
    std::vector<Change> changes;
    changes.swap(m_pending);
    m_pendingAdded.clear();

    // Apply every change to the groups first; the signals below describe the outcome.
    std::vector<std::unique_ptr<Group>> fresh;
    QSet<Group *> touched;
    for (Change &change : changes) {
        Group *old = m_groupOf.value(change.id, nullptr);
        Group *target = nullptr;
        if (!change.remove) {
            const QString key = groupKey(change.status, change.httpStatus, change.message);
            target = m_groupByKey.value(key, nullptr);
            if (!target) {
                auto group = std::make_unique<Group>();
                group->status = change.status;
                group->httpStatus = change.httpStatus;
                group->statusText = std::move(change.statusText);
                group->message = std::move(change.message);
                group->example = std::move(change.error);
                group->serial = m_nextSerial++;
                target = group.get();
                m_groupByKey.insert(key, target);
                fresh.push_back(std::move(group));
            }
        }
        if (old == target)
            continue;
        if (old) {
            old->ids.remove(change.id);
            touched.insert(old);
        }
        if (target) {
            target->ids.insert(change.id);
            m_groupOf.insert(change.id, target);
            touched.insert(target);
        } else {
            m_groupOf.remove(change.id);
        }
    }

    // Emptied groups go, one removal per run of adjacent rows, bottom up so that the rows
    // above keep their numbers.
    std::vector<int> emptied;
    for (const Group *group : std::as_const(touched)) {
        if (group->row >= 0 && group->ids.isEmpty())
            emptied.push_back(group->row);
    }
    std::sort(emptied.begin(), emptied.end(), std::greater<>());
    for (size_t i = 0; i < emptied.size();) {
        const int last = emptied[i];
        int first = last;
        while (++i < emptied.size() && emptied[i] == first - 1)
            --first;
        beginRemoveRows({}, first, last);
        for (int row = first; row <= last; ++row) {
            const Group &group = *m_rows[size_t(row)];
            touched.remove(m_rows[size_t(row)].get());
            m_groupByKey.remove(groupKey(group.status, group.httpStatus, group.message));
        }
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
    }
    if (!emptied.empty())
        renumber();

    // New groups start at the bottom (a count of at least one ties with the smallest at
    // worst, and they are the newest); the sort below moves them up if need be.
    std::vector<std::unique_ptr<Group>> added;
    for (std::unique_ptr<Group> &group : fresh) {
        touched.remove(group.get());
        if (group->ids.isEmpty())
            m_groupByKey.remove(groupKey(group->status, group->httpStatus, group->message));
        else
            added.push_back(std::move(group));
    }
    if (!added.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (std::unique_ptr<Group> &group : added) {
            group->row = int(m_rows.size());
            touched.insert(group.get());
            m_rows.push_back(std::move(group));
        }
        endInsertRows();
    }

    // Only a group whose count changed can be out of place.
    bool sorted = true;
    for (const Group *group : std::as_const(touched)) {
        const auto row = size_t(group->row);
        if ((row > 0 && before(group, m_rows[row - 1].get()))
            || (row + 1 < m_rows.size() && before(m_rows[row + 1].get(), group))) {
            sorted = false;
            break;
        }
    }
    if (!sorted) {
        Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        std::vector<Group *> oldOrder;
        oldOrder.reserve(m_rows.size());
        for (const std::unique_ptr<Group> &group : m_rows)
            oldOrder.push_back(group.get());
        std::stable_sort(m_rows.begin(), m_rows.end(),
                         [](const auto &a, const auto &b) { return before(a.get(), b.get()); });
        renumber();
        const QModelIndexList from = persistentIndexList();
        QModelIndexList to;
        to.reserve(from.size());
        for (const QModelIndex &index : from)
            to.append(this->index(oldOrder[size_t(index.row())]->row, index.column()));
        changePersistentIndexList(from, to);
        Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }

    if (!touched.isEmpty()) {
        int top = int(m_rows.size());
        int bottom = -1;
        for (const Group *group : std::as_const(touched)) {
            top = std::min(top, group->row);
            bottom = std::max(bottom, group->row);
        }
        Q_EMIT dataChanged(index(top, Count), index(bottom, Count),
                           {Qt::DisplayRole, SortRole, CountRole});
    }
}

QList<qint64> FailureGroupModel::ids(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return {};
    const QSet<qint64> &set = m_rows[size_t(row)]->ids;
    QList<qint64> list(set.cbegin(), set.cend());
    std::sort(list.begin(), list.end());
    return list;
}

QString FailureGroupModel::summary(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return {};
    const Group &group = *m_rows[size_t(row)];
    if (group.message.isEmpty())
        return tr("%1 × %2").arg(group.ids.size()).arg(group.statusText);
    return tr("%1 × %2: %3").arg(group.ids.size()).arg(group.statusText, group.message);
}

int FailureGroupModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FailureGroupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailureGroupModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Group &group = *m_rows[size_t(index.row())];
    const auto column = Column(index.column());
    const int count = int(group.ids.size());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Count:
            return QString::number(count);
        case Status:
            return group.statusText;
        case Message:
            return group.message;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (column == Message)
            return group.example;
        return {};
    case Qt::TextAlignmentRole:
        if (column == Count)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    case SortRole:
        switch (column) {
        case Count:
            return count;
        case Status:
            return group.httpStatus;
        case Message:
            return group.message;
        case ColumnCount:
            break;
        }
        return {};
    case CountRole:
        return count;
    case StatusRole:
        return int(group.status);
    case HttpStatusRole:
        return group.httpStatus;
    default:
        return {};
    }
}

QVariant FailureGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && section == Count)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Count:
        return tr("Count");
    case Status:
        return tr("Status");
    case Message:
        return tr("Message");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sluice
