// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemsortproxy.h"

#include <algorithm>
#include <utility>

#include "models/changedranges.h"
#include "models/itemsortkeys.h"
#include "models/transferstatusmodel.h"
#include "util/backgroundthreads.h"

namespace sluice {

namespace {

/// Past this many ranges of moved rows, one dataChanged() over their span (as the model's
/// own flush does).
constexpr qsizetype MaxRangesPerChange = 256;

} // namespace

ItemSortProxy::ItemSortProxy(TransferStatusModel *model, QObject *parent)
    : QAbstractProxyModel(parent)
    , m_model(model)
    , m_newest(std::make_shared<std::atomic<quint64>>(0))
    , m_link(std::make_shared<ReceiverLink<ItemSortProxy>>(this))
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(RefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ItemSortProxy::refresh);
    QAbstractProxyModel::setSourceModel(model);
    m_rowCount = model->rowCount();
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this,
            &ItemSortProxy::onRowsAboutToBeInserted);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ItemSortProxy::onRowsInserted);
    connect(model, &QAbstractItemModel::dataChanged, this, &ItemSortProxy::onDataChanged);
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, &ItemSortProxy::beginReset);
    connect(model, &QAbstractItemModel::modelReset, this, &ItemSortProxy::endReset);
    // The model never removes, moves or reorders rows; should it ever, start afresh.
    for (const auto &[begin, end] :
         {std::pair {&QAbstractItemModel::rowsAboutToBeRemoved, &QAbstractItemModel::rowsRemoved},
          std::pair {&QAbstractItemModel::columnsAboutToBeInserted,
                     &QAbstractItemModel::columnsInserted},
          std::pair {&QAbstractItemModel::columnsAboutToBeRemoved,
                     &QAbstractItemModel::columnsRemoved}}) {
        connect(model, begin, this, &ItemSortProxy::beginReset);
        connect(model, end, this, &ItemSortProxy::endReset);
    }
    connect(model, &QAbstractItemModel::rowsAboutToBeMoved, this, &ItemSortProxy::beginReset);
    connect(model, &QAbstractItemModel::rowsMoved, this, &ItemSortProxy::endReset);
    connect(model, &QAbstractItemModel::layoutAboutToBeChanged, this, &ItemSortProxy::beginReset);
    connect(model, &QAbstractItemModel::layoutChanged, this, &ItemSortProxy::endReset);
}

ItemSortProxy::~ItemSortProxy()
{
    m_link->clear();
    m_newest->store(m_generation + 1); // nobody waits for what runs now
}

void ItemSortProxy::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= TransferStatusModel::ColumnCount)
        column = -1;
    m_column = column;
    m_order = order;
    ++m_generation; // whatever is in flight is of no use now
    m_newest->store(m_generation);
    m_pending = false;
    m_refreshTimer.stop();
    m_stale = false;
    if (column < 0) {
        if (!isIdentity())
            changeOrder({});
        setSorting(false);
        return;
    }
    startSort();
    setSorting(true);
}

void ItemSortProxy::startSort()
{
    if (!m_model)
        return;
    m_refreshTimer.stop();
    m_stale = false;
    m_pending = true;
    // Copied here, in the model's thread: the rows go on changing while the copy is sorted.
    auto keys = std::make_shared<ItemSortKeys>(m_model->sortKeys(m_column));
    m_newest->store(m_generation);
    BackgroundThreads::run(
        [link = m_link, keys = std::move(keys), newest = m_newest, generation = m_generation] {
            auto rows = std::make_shared<std::vector<int>>(
                sortedRows(*keys, [&newest, generation] { return newest->load() != generation; }));
            if (rows->empty() && keys->rowCount() > 0)
                return; // superseded
            link->post([generation, rows](ItemSortProxy *proxy) {
                proxy->applySort(generation, std::move(*rows));
            });
        });
}

void ItemSortProxy::applySort(quint64 generation, std::vector<int> rows)
{
    if (generation != m_generation || !m_pending)
        return; // a newer sort, a reset or column -1 came since
    m_pending = false;
    if (rows.size() > size_t(m_rowCount)) {
        // Cannot be (a reset starts a new generation); sort afresh rather than show it.
        markStale();
        return;
    }
    if (m_order == Qt::DescendingOrder)
        std::reverse(rows.begin(), rows.end());
    // Rows appended since the copy: at the end until the next sort.
    if (rows.size() < size_t(m_rowCount))
        m_stale = true;
    for (int row = int(rows.size()); row < m_rowCount; ++row)
        rows.push_back(row);
    changeOrder(std::move(rows));
    setSorting(false);
    if (m_stale)
        m_refreshTimer.start();
}

void ItemSortProxy::changeOrder(std::vector<int> toModel)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList from = persistentIndexList();
    std::vector<int> modelRows;
    modelRows.reserve(size_t(from.size()));
    for (const QModelIndex &index : from)
        modelRows.push_back(modelRow(index.row()));
    m_toModel = std::move(toModel);
    m_toProxy.assign(m_toModel.size(), 0);
    for (size_t row = 0; row < m_toModel.size(); ++row)
        m_toProxy[size_t(m_toModel[row])] = int(row);
    QModelIndexList to;
    to.reserve(from.size());
    for (qsizetype i = 0; i < from.size(); ++i)
        to.append(index(rowOfModelRow(modelRows[size_t(i)]), from.at(i).column()));
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void ItemSortProxy::markStale()
{
    if (m_column < 0)
        return;
    m_stale = true;
    if (!m_pending && !m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void ItemSortProxy::refresh()
{
    if (m_column < 0 || !m_stale || m_pending)
        return;
    ++m_generation;
    startSort();
}

void ItemSortProxy::setSorting(bool sorting)
{
    if (m_sorting == sorting)
        return;
    m_sorting = sorting;
    Q_EMIT sortingChanged(sorting);
}

int ItemSortProxy::modelRow(int row) const
{
    if (row < 0 || row >= m_rowCount)
        return -1;
    return isIdentity() ? row : m_toModel[size_t(row)];
}

int ItemSortProxy::rowOfModelRow(int modelRow) const
{
    if (modelRow < 0 || modelRow >= m_rowCount)
        return -1;
    return isIdentity() ? modelRow : m_toProxy[size_t(modelRow)];
}

void ItemSortProxy::onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last)
{
    if (m_resetting)
        return;
    m_insertIsReset = parent.isValid() || first != m_rowCount;
    if (m_insertIsReset) {
        beginReset();
        return;
    }
    beginInsertRows({}, first, last);
}

void ItemSortProxy::onRowsInserted(const QModelIndex &, int first, int last)
{
    if (m_resetting && !m_insertIsReset)
        return;
    if (m_insertIsReset) {
        m_insertIsReset = false;
        endReset();
        return;
    }
    if (!isIdentity()) {
        for (int row = first; row <= last; ++row) {
            m_toProxy.push_back(int(m_toModel.size()));
            m_toModel.push_back(row);
        }
    }
    m_rowCount = last + 1;
    endInsertRows();
    markStale();
}

void ItemSortProxy::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                  const QList<int> &roles)
{
    if (m_resetting || !topLeft.isValid() || !bottomRight.isValid())
        return;
    // A key never changes; the other columns' values do.
    if (m_column != TransferStatusModel::Key
        && (roles.isEmpty() || roles.contains(TransferStatusModel::SortRole)))
        markStale();
    const int left = topLeft.column();
    const int right = bottomRight.column();
    if (isIdentity()) {
        Q_EMIT dataChanged(index(topLeft.row(), left), index(bottomRight.row(), right), roles);
        return;
    }
    std::vector<std::pair<int, quint8>> rows;
    rows.reserve(size_t(bottomRight.row() - topLeft.row() + 1));
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
        rows.emplace_back(rowOfModelRow(row), quint8(1));
    for (const ChangedRange &range : changedRanges(std::move(rows), m_rowCount, MaxRangesPerChange))
        Q_EMIT dataChanged(index(range.first, left), index(range.last, right), roles);
}

void ItemSortProxy::beginReset()
{
    if (m_resetting)
        return;
    m_resetting = true;
    beginResetModel();
}

void ItemSortProxy::endReset()
{
    if (!m_resetting)
        return;
    m_toModel.clear();
    m_toProxy.clear();
    m_rowCount = m_model ? m_model->rowCount() : 0;
    ++m_generation;
    m_newest->store(m_generation);
    m_pending = false;
    m_resetting = false;
    endResetModel();
    setSorting(false);
    if (m_rowCount > 0)
        markStale();
}

QModelIndex ItemSortProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= m_rowCount || column < 0
        || column >= TransferStatusModel::ColumnCount)
        return {};
    return createIndex(row, column);
}

QModelIndex ItemSortProxy::parent(const QModelIndex &) const
{
    return {};
}

QModelIndex ItemSortProxy::sibling(int row, int column, const QModelIndex &) const
{
    return index(row, column);
}

int ItemSortProxy::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int ItemSortProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : TransferStatusModel::ColumnCount;
}

bool ItemSortProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && m_rowCount > 0;
}

QModelIndex ItemSortProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || proxyIndex.model() != this || !m_model)
        return {};
    return m_model->index(modelRow(proxyIndex.row()), proxyIndex.column());
}

QModelIndex ItemSortProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.model() != m_model)
        return {};
    return index(rowOfModelRow(sourceIndex.row()), sourceIndex.column());
}

QVariant ItemSortProxy::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal)
        return m_model ? m_model->headerData(section, orientation, role) : QVariant();
    return QAbstractProxyModel::headerData(section, orientation, role);
}

} // namespace sluice
