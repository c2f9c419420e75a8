// SPDX-License-Identifier: GPL-3.0-or-later
#include "transferstatusmodel.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include <QSet>

#include "models/changedranges.h"
#include "transfer/transferrun.h"
#include "util/text.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// Past this many ranges in one flush, one signal over the span from the first to the last
/// dirty row costs a view less than thousands of small ones.
constexpr qsizetype MaxRangesPerFlush = 256;

/// Whether key is exactly the 1-based row number of id (the key a transfer without a key
/// template gives), so the row need not store it.
bool isRowNumber(const QString &key, qint64 id)
{
    if (id < 0 || id == std::numeric_limits<qint64>::max())
        return false;
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, id + 1);
    if (ec != std::errc())
        return false;
    if (key.size() != end - digits)
        return false;
    for (qsizetype i = 0; i < key.size(); ++i) {
        if (key.at(i) != QLatin1Char(digits[i]))
            return false;
    }
    return true;
}

template<typename T>
T clampTo(qint64 value)
{
    return T(std::clamp<qint64>(value, 0, std::numeric_limits<T>::max()));
}

} // namespace

TransferStatusModel::TransferStatusModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

TransferStatusModel::~TransferStatusModel() = default;

void TransferStatusModel::attach(TransferRun *run, bool keepRows)
{
    m_runConnections.disconnectAll();
    if (!keepRows)
        clear();
    if (!run)
        return;
    m_runConnections.replace({
        connect(run, &TransferRun::itemsQueued, this, &TransferStatusModel::addItems),
        connect(run, &TransferRun::itemStatusChanged, this, &TransferStatusModel::setStatus),
        connect(run, &TransferRun::itemFinished, this, &TransferStatusModel::setResult),
        // The last changes should not wait for the timer.
        connect(run, &TransferRun::finished, this, [this] { flush(); }),
    });
}

void TransferStatusModel::clear()
{
    m_flushTimer.cancel();
    beginResetModel();
    std::deque<Row>().swap(m_rows); // clear() may keep a block; a new run starts from nothing
    m_dense = true;
    m_keysInRowOrder = true;
    m_rowById = {};
    m_failures = {};
    m_keys.clear();
    m_delivered = {};
    std::deque<qint64>().swap(m_deliveredOrder);
    m_notes = {};
    m_longKeys = {};
    m_counts = {};
    std::vector<int>().swap(m_dirtyRows);
    endResetModel();
}

bool TransferStatusModel::isKnown(qint64 id) const
{
    return rowForId(id) >= 0;
}

const TransferStatusModel::Failure &TransferStatusModel::failureOf(qint64 id) const
{
    static const Failure none;
    const auto failure = m_failures.constFind(id);
    return failure == m_failures.cend() ? none : *failure;
}

const TransferStatusModel::Failure &TransferStatusModel::detailsOf(const Row &row) const
{
    if (row.status != ItemStatus::Delivered)
        return failureOf(row.id);
    static const Failure none;
    const auto delivered = m_delivered.constFind(row.id);
    return delivered == m_delivered.cend() ? none : *delivered;
}

int TransferStatusModel::rowForId(qint64 id) const
{
    if (m_dense)
        return id >= 0 && id < qint64(m_rows.size()) ? int(id) : -1;
    return m_rowById.value(id, -1);
}

qint64 TransferStatusModel::idAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return -1;
    return m_rows[size_t(row)].id;
}

QString TransferStatusModel::keyOf(const Row &row) const
{
    if (row.flags & KeyIsRowNumber)
        return QString::number(row.id + 1);
    if (row.flags & KeyIsLong)
        return m_longKeys.value(row.id);
    return m_keys.view(row.keyPosition, row.keyLength).toString();
}

QStringView TransferStatusModel::keyView(const Row &row, QString *scratch) const
{
    if (row.flags & KeyIsRowNumber) {
        *scratch = QString::number(row.id + 1);
        return *scratch;
    }
    if (row.flags & KeyIsLong) {
        const auto key = m_longKeys.constFind(row.id);
        return key == m_longKeys.cend() ? QStringView() : QStringView(*key);
    }
    return m_keys.view(row.keyPosition, row.keyLength);
}

QString TransferStatusModel::keyAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return {};
    return keyOf(m_rows[size_t(row)]);
}

bool TransferStatusModel::keyContains(int row, QStringView text, Qt::CaseSensitivity cs) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return false;
    QString scratch;
    return keyView(m_rows[size_t(row)], &scratch).contains(text, cs);
}

const QString &TransferStatusModel::errorAt(int row) const
{
    static const QString none;
    if (row < 0 || size_t(row) >= m_rows.size())
        return none;
    // A delivered item keeps no failure: no lookup (a search asks every row).
    const Row &r = m_rows[size_t(row)];
    if (r.status == ItemStatus::Delivered || m_failures.isEmpty())
        return none;
    return failureOf(r.id).error;
}

int TransferStatusModel::compareKeys(const Row &l, const Row &r) const
{
    if (l.flags & r.flags & KeyIsRowNumber)
        return 0; // callers order equal keys by id, which is the same order
    QString left;
    QString right;
    return naturalCompare(keyView(l, &left), keyView(r, &right));
}

bool TransferStatusModel::lessThan(int left, int right, int column) const
{
    const auto rows = qsizetype(m_rows.size());
    if (left < 0 || right < 0 || left >= rows || right >= rows)
        return left < right;
    const Row &l = m_rows[size_t(left)];
    const Row &r = m_rows[size_t(right)];
    int order = 0;
    switch (column) {
    case Key:
        if (m_keysInRowOrder)
            return left < right;
        order = compareKeys(l, r);
        break;
    case Status:
        order = int(l.status) - int(r.status);
        break;
    case HttpStatus:
        order = int(l.httpStatus) - int(r.httpStatus);
        break;
    case Attempts:
        order = int(l.attempts) - int(r.attempts);
        break;
    case Latency: {
        const qint64 a = l.flags & HasLatency ? qint64(l.latencyMs) : -1;
        const qint64 b = r.flags & HasLatency ? qint64(r.latencyMs) : -1;
        order = a < b ? -1 : (a > b ? 1 : 0);
        break;
    }
    case Error:
        order = failureOf(l.id).error.compare(failureOf(r.id).error);
        break;
    default:
        break;
    }
    if (order != 0)
        return order < 0;
    return l.id < r.id;
}

ItemSortKeys TransferStatusModel::sortKeys(int column) const
{
    return takeKeys(column, column == Key && m_keysInRowOrder);
}

ItemSortKeys TransferStatusModel::searchKeys() const
{
    return takeKeys(Key, false);
}

ItemSortKeys TransferStatusModel::takeKeys(int column, bool inRowOrder) const
{
    ItemSortKeys keys;
    keys.column = column;
    keys.ids.reserve(m_rows.size());
    for (const Row &row : m_rows)
        keys.ids.push_back(row.id);
    keys.inRowOrder = inRowOrder;
    if (keys.inRowOrder)
        return keys;
    keys.values.reserve(m_rows.size());
    switch (column) {
    case Key:
        // The keys' text stays where it is: a million keys copied took 160 ms of the GUI
        // thread; sharing the blocks takes none.
        keys.lengths.reserve(m_rows.size());
        keys.blocks = m_keys.shared();
        for (const Row &row : m_rows) {
            qint64 where = row.keyPosition;
            if (row.flags & KeyIsRowNumber) {
                where = -1;
            } else if (row.flags & KeyIsLong) {
                where = -2 - keys.longKeys.size();
                keys.longKeys.append(m_longKeys.value(row.id));
            }
            keys.values.push_back(where);
            keys.lengths.push_back(row.keyLength);
        }
        break;
    case Error:
        keys.values.assign(m_rows.size(), -1);
        for (auto it = m_failures.cbegin(); it != m_failures.cend(); ++it) {
            const int row = rowForId(it.key());
            if (row < 0 || it->error.isEmpty())
                continue;
            keys.values[size_t(row)] = keys.errors.size();
            keys.errors.append(it->error);
        }
        break;
    default:
        for (const Row &row : m_rows) {
            switch (column) {
            case Status:
                keys.values.push_back(qint64(row.status));
                break;
            case HttpStatus:
                keys.values.push_back(row.httpStatus);
                break;
            case Attempts:
                keys.values.push_back(row.attempts);
                break;
            case Latency:
                keys.values.push_back(row.flags & HasLatency ? qint64(row.latencyMs) : -1);
                break;
            default:
                keys.values.push_back(0);
                break;
            }
        }
        break;
    }
    return keys;
}

ItemStatus TransferStatusModel::statusAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return ItemStatus::Queued;
    return m_rows[size_t(row)].status;
}

ItemResult TransferStatusModel::resultAt(int row) const
{
    ItemResult result;
    if (row < 0 || size_t(row) >= m_rows.size())
        return result;
    const Row &r = m_rows[size_t(row)];
    result.id = r.id;
    result.key = keyOf(r);
    result.status = r.status;
    result.httpStatus = r.httpStatus;
    result.attempts = r.attempts;
    result.latencyMs = r.latencyMs;
    const Failure &kept = detailsOf(r);
    result.error = kept.error;
    result.responseBody = kept.response;
    result.payload = kept.payload;
    result.url = kept.url;
    result.requestId = kept.requestId;
    if (r.status == ItemStatus::Delivered)
        result.note = m_notes.value(r.id);
    return result;
}

QList<qint64> TransferStatusModel::idsWithStatus(ItemStatus status) const
{
    QList<qint64> ids;
    ids.reserve(count(status));
    for (const Row &row : m_rows) {
        if (row.status == status)
            ids.append(row.id);
    }
    return ids;
}

int TransferStatusModel::count(ItemStatus status) const
{
    const auto index = size_t(status);
    return index < m_counts.size() ? m_counts[index] : 0;
}

QByteArray TransferStatusModel::payloadFor(qint64 id) const
{
    return failureOf(id).payload;
}

bool TransferStatusModel::setPayload(qint64 id, const QByteArray &payload)
{
    const int row = rowForId(id);
    if (row < 0 || m_rows[size_t(row)].status == ItemStatus::Delivered)
        return false;
    m_failures[id].payload = payload;
    markDirty(row, DirtyPayload);
    return true;
}

QList<Item> TransferStatusModel::itemsForRetry(const QList<qint64> &ids) const
{
    QList<Item> items;
    for (qint64 id : ids) {
        const int row = rowForId(id);
        if (row < 0 || !isFailure(m_rows[size_t(row)].status))
            continue;
        const auto failure = m_failures.constFind(id);
        if (failure == m_failures.cend() || failure->payload.isEmpty())
            continue;
        items.append(Item {id, keyOf(m_rows[size_t(row)]), failure->payload, failure->url, {}});
    }
    return items;
}

void TransferStatusModel::addItems(const QList<Item> &items)
{
    const qint64 first = qint64(m_rows.size());
    // Decide which items become rows before announcing any: one insertion per call.
    std::vector<qsizetype> accepted;
    accepted.reserve(size_t(items.size()));
    bool dense = m_dense;
    qint64 denseAdded = 0; // items of this call whose id is their row number
    QSet<qint64> sparseAdded;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const qint64 id = items.at(i).id;
        if (dense && id == first + denseAdded) {
            ++denseAdded;
            accepted.push_back(i);
            continue;
        }
        const bool known
            = isKnown(id) || (id >= first && id < first + denseAdded) || sparseAdded.contains(id);
        if (known)
            continue;
        dense = false;
        sparseAdded.insert(id);
        accepted.push_back(i);
    }
    if (accepted.empty())
        return;
    if (m_dense && !dense) {
        m_rowById.reserve(qsizetype(first) + qsizetype(accepted.size()));
        for (qint64 row = 0; row < first; ++row)
            m_rowById.insert(row, int(row));
    }

    beginInsertRows({}, int(first), int(first + qint64(accepted.size()) - 1));
    int row = int(first);
    for (qsizetype index : accepted) {
        const Item &item = items.at(index);
        Row &r = m_rows.emplace_back();
        r.id = item.id;
        if (isRowNumber(item.key, item.id)) {
            r.flags |= KeyIsRowNumber;
        } else if (item.key.size() > std::numeric_limits<quint16>::max()) {
            r.flags |= KeyIsLong;
            m_longKeys.insert(item.id, item.key);
        } else {
            r.keyLength = quint16(item.key.size());
            r.keyPosition = m_keys.add(item.key);
        }
        if (!item.isValid()) {
            r.status = ItemStatus::Invalid;
            Failure &failure = m_failures[item.id];
            failure.error = item.error;
            failure.payload = item.payload;
            failure.url = item.url;
        }
        ++m_counts[size_t(r.status)];
        if (m_keysInRowOrder && m_rows.size() > 1) {
            const Row &previous = m_rows[m_rows.size() - 2];
            m_keysInRowOrder = previous.id < r.id && compareKeys(previous, r) <= 0;
        }
        if (!dense)
            m_rowById.insert(item.id, row);
        ++row;
    }
    m_dense = dense;
    endInsertRows();
}

void TransferStatusModel::changeStatus(Row &row, ItemStatus status)
{
    --m_counts[size_t(row.status)];
    ++m_counts[size_t(status)];
    row.status = status;
}

void TransferStatusModel::setStatus(qint64 id, ItemStatus status, int attempts)
{
    const int row = rowForId(id);
    if (row < 0)
        return;
    Row &r = m_rows[size_t(row)];
    quint8 changed = 0;
    if (r.status != status) {
        changeStatus(r, status);
        changed |= DirtyStatus;
    }
    const auto clamped = clampTo<quint16>(attempts);
    if (r.attempts != clamped) {
        r.attempts = clamped;
        changed |= DirtyAttempts;
    }
    if (status == ItemStatus::Delivered && m_failures.remove(id))
        changed |= DirtyResult;
    if (changed)
        markDirty(row, changed);
}

void TransferStatusModel::setResult(const ItemResult &result)
{
    const int row = rowForId(result.id);
    if (row < 0)
        return;
    Row &r = m_rows[size_t(row)];
    quint8 changed = DirtyResult;
    if (r.status != result.status) {
        changeStatus(r, result.status);
        changed |= DirtyStatus;
    }
    const auto attempts = clampTo<quint16>(result.attempts);
    if (r.attempts != attempts) {
        r.attempts = attempts;
        changed |= DirtyAttempts;
    }
    r.httpStatus = clampTo<quint16>(result.httpStatus);
    // Rounded from microseconds where known (a 0.7 ms answer is 1 ms, not 0).
    r.latencyMs = clampTo<quint32>(result.latencyUs > 0 ? (result.latencyUs + 500) / 1000
                                                        : result.latencyMs);
    if (result.attempts > 0)
        r.flags |= HasLatency;
    else
        r.flags &= quint8(~HasLatency);

    if (isFailure(result.status)) {
        Failure &failure = m_failures[result.id];
        failure.error = result.error;
        failure.response = result.responseBody;
        // An invalid item has no payload; keep one the steward may have written meanwhile.
        if (!result.payload.isEmpty())
            failure.payload = result.payload;
        if (!result.url.isEmpty())
            failure.url = result.url;
        failure.requestId = result.requestId;
    } else if (result.status == ItemStatus::Delivered) {
        m_failures.remove(result.id);
        if (!m_delivered.contains(result.id))
            m_deliveredOrder.push_back(result.id);
        m_delivered.insert(result.id,
                           {{}, result.responseBody, result.payload, result.url, result.requestId});
        while (m_deliveredOrder.size() > size_t(DeliveredDetailsKept)) {
            m_delivered.remove(m_deliveredOrder.front());
            m_deliveredOrder.pop_front();
        }
    }
    // Kept apart from the newest delivered items' details: a remark is rare, and it says
    // something about the delivery that the steward should find however long the run.
    if (result.status == ItemStatus::Delivered && !result.note.isEmpty())
        m_notes.insert(result.id, result.note);
    else
        m_notes.remove(result.id);
    markDirty(row, changed);
}

void TransferStatusModel::markDirty(int row, quint8 what)
{
    Row &r = m_rows[size_t(row)];
    if (!(r.flags & DirtyMask))
        m_dirtyRows.push_back(row);
    r.flags |= what;
    m_flushTimer.schedule();
}

QList<int> TransferStatusModel::rolesFor(quint8 dirty)
{
    QList<int> roles;
    if (dirty & (DirtyStatus | DirtyAttempts | DirtyResult))
        roles.append(Qt::DisplayRole);
    if (dirty & DirtyResult)
        roles.append(Qt::ToolTipRole);
    if (dirty & (DirtyStatus | DirtyAttempts | DirtyResult))
        roles.append(SortRole);
    if (dirty & DirtyStatus)
        roles.append(StatusRole);
    if (dirty & DirtyResult)
        roles.append({ErrorTextRole, ResponseTextRole});
    if (dirty & (DirtyResult | DirtyPayload))
        roles.append(PayloadRole);
    return roles;
}

void TransferStatusModel::flush()
{
    m_flushTimer.cancel();
    if (m_dirtyRows.empty())
        return;
    // Take the list first: a slot connected to dataChanged may change rows again.
    std::vector<int> rows;
    rows.swap(m_dirtyRows);
    std::vector<std::pair<int, quint8>> changes;
    changes.reserve(rows.size());
    for (int row : rows) {
        Row &r = m_rows[size_t(row)];
        changes.emplace_back(row, r.flags & DirtyMask);
        r.flags &= quint8(~DirtyMask);
    }
    for (const ChangedRange &range :
         changedRanges(std::move(changes), rowCount(), MaxRangesPerFlush))
        Q_EMIT dataChanged(index(range.first, 0), index(range.last, ColumnCount - 1),
                           rolesFor(range.what));
}

int TransferStatusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TransferStatusModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransferStatusModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    const auto column = Column(index.column());
    const bool hasLatency = r.flags & HasLatency;

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Key:
            return keyOf(r);
        case Status:
            return statusName(r.status);
        case HttpStatus:
            return r.httpStatus ? QString::number(r.httpStatus) : QString();
        case Attempts:
            return r.attempts ? QString::number(r.attempts) : QString();
        case Latency:
            if (!hasLatency)
                return QString();
            // A fast local API answers within a millisecond: not "0 ms".
            return r.latencyMs == 0 ? tr("< 1 ms") : tr("%1 ms").arg(r.latencyMs);
        case Error:
            return firstLine(failureOf(r.id).error);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (column == Error) {
            const QString error = failureOf(r.id).error;
            if (!error.isEmpty())
                return error;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == HttpStatus || column == Attempts || column == Latency)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    case SortRole:
        switch (column) {
        case Key:
            return keyOf(r);
        case Status:
            return int(r.status);
        case HttpStatus:
            return int(r.httpStatus);
        case Attempts:
            return int(r.attempts);
        case Latency:
            return hasLatency ? qint64(r.latencyMs) : qint64(-1);
        case Error:
            return failureOf(r.id).error;
        case ColumnCount:
            break;
        }
        return {};
    case StatusRole:
        return int(r.status);
    case ItemIdRole:
        return r.id;
    case ErrorTextRole:
        return failureOf(r.id).error;
    case ResponseTextRole:
        return QString::fromUtf8(detailsOf(r).response);
    case PayloadRole:
        return detailsOf(r).payload;
    default:
        return {};
    }
}

QString TransferStatusModel::statusName(ItemStatus status)
{
    switch (status) {
    case ItemStatus::Queued:
        return tr("queued");
    case ItemStatus::Sending:
        return tr("sending");
    case ItemStatus::Retrying:
        return tr("retrying");
    case ItemStatus::Delivered:
        return tr("delivered");
    case ItemStatus::Failed:
        return tr("failed");
    case ItemStatus::Invalid:
        return tr("invalid");
    }
    return itemStatusName(status);
}

QVariant TransferStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = section == HttpStatus || section == Attempts || section == Latency;
        return QVariant::fromValue(
            Qt::Alignment((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Key:
        return tr("Key");
    case Status:
        return tr("Status");
    case HttpStatus:
        return tr("HTTP");
    case Attempts:
        return tr("Attempts");
    case Latency:
        return tr("Latency");
    case Error:
        return tr("Error");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> TransferStatusModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, QByteArrayLiteral("sortValue"));
    names.insert(StatusRole, QByteArrayLiteral("status"));
    names.insert(ItemIdRole, QByteArrayLiteral("itemId"));
    names.insert(ErrorTextRole, QByteArrayLiteral("errorText"));
    names.insert(ResponseTextRole, QByteArrayLiteral("responseText"));
    names.insert(PayloadRole, QByteArrayLiteral("payload"));
    return names;
}

} // namespace sluice
