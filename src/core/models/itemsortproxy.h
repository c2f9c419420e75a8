// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <QAbstractProxyModel>
#include <QPointer>
#include <QTimer>

#include "util/receiverlink.h"

namespace sluice {

class TransferStatusModel;

/// A TransferStatusModel's rows in the order of one column, sorted in another thread
/// (docs/design.md, "Sorting a million items"): sort() copies the column's values
/// (TransferStatusModel::sortKeys(), a few ms at a million rows), a background thread orders
/// them (sortedRows(), up to a second), and the order comes back as one layout change with
/// the persistent indexes (selection, current item) moved along. Until then the rows keep the
/// order they had. A newer sort() supersedes one in flight: its order is dropped
/// (generation counter), and its thread stops at its next step. Column -1 is the model's own order,
/// at once and without a copy.
///
/// While sorted, the model goes on: appended rows come at the end, and a row whose value in
/// the sort column changes stays where it is, both until the next sort, which starts by
/// itself RefreshDelayMs after the previous order came (while some arrived or changed), so
/// a live run stays sorted to within about a second without a sort per change.
///
/// Value changes pass through as dataChanged() of the rows they moved to. The model only
/// appends rows and resets; any other structural change is taken as a reset.
///
/// Threads: the model's thread; only sortedRows() runs elsewhere, on its own copy.
class ItemSortProxy final : public QAbstractProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ItemSortProxy)

public:
    static constexpr int RefreshDelayMs = 1000;

    /// Shows model (not owned: it must outlive the proxy), in its own order.
    explicit ItemSortProxy(TransferStatusModel *model, QObject *parent = nullptr);
    ~ItemSortProxy() override;

    /// Orders the rows by column (-1: the model's order). Returns at once; the order comes
    /// with layoutChanged(), and sortingChanged(true) is emitted meanwhile.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_column; }
    Qt::SortOrder sortOrder() const { return m_order; }
    /// Whether a sort asked for by sort() has not been shown yet (the later refreshes of a
    /// live run do not count).
    bool isSorting() const { return m_sorting; }
    /// Milliseconds from an order's arrival to the next sort of rows that came or changed
    /// since; 0: on the next event loop pass (tests).
    void setRefreshDelay(int ms) { m_refreshTimer.setInterval(ms); }

    /// The model's row shown at row, and back; -1 when out of range.
    int modelRow(int row) const;
    int rowOfModelRow(int modelRow) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// A sort asked for by sort() began (true) or its order is shown or dropped (false).
    void sortingChanged(bool sorting);

private:
    void startSort();
    void applySort(quint64 generation, std::vector<int> rows);
    /// Rows appended or changed in the sort column since the last copy: sort again later.
    void markStale();
    void refresh();
    /// One layout change to the rows of the model in the order of toModel (empty: its own).
    void changeOrder(std::vector<int> toModel);
    void setSorting(bool sorting);
    bool isIdentity() const { return m_toModel.empty(); }

    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles);
    void beginReset();
    void endReset();

    /// Null once the model is destroyed: a view closing after its model (a window torn down)
    /// still asks for header data, which then answers nothing (UBSan saw a call into the
    /// destroyed model).
    QPointer<TransferStatusModel> m_model;
    /// Empty in the model's order; else the model's row of each row, and back.
    std::vector<int> m_toModel;
    std::vector<int> m_toProxy;
    int m_rowCount = 0;
    int m_column = -1;
    Qt::SortOrder m_order = Qt::AscendingOrder;
    quint64 m_generation = 0; ///< of the newest sort started; older orders are dropped
    /// m_generation, for the sorting threads: one whose generation is older gives up.
    std::shared_ptr<std::atomic<quint64>> m_newest;
    bool m_pending = false; ///< the newest sort's order has not come yet
    bool m_sorting = false; ///< ... and sort() asked for it
    bool m_stale = false;
    bool m_resetting = false;
    bool m_insertIsReset = false; ///< rows inserted elsewhere than at the end
    QTimer m_refreshTimer;
    std::shared_ptr<ReceiverLink<ItemSortProxy>> m_link;
};

} // namespace sluice
