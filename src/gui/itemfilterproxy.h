// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace sluice {

class ItemSortProxy;
class TransferStatusModel;

/// The Run tab's item table: a TransferStatusModel sorted by an ItemSortProxy (in a background
/// thread: a million rows sort without a stall), filtered here by status and by text found in
/// the key or the full error, reading the model's rows directly. This proxy never sorts
/// itself: sort() is passed to the ItemSortProxy, whose order it keeps. The filter role is
/// StatusRole so that a batched status change re-filters the row.
///
/// A new filter resets the proxy instead of invalidateFilter(): Qt 6.4 removes or inserts
/// the rows of each gap separately, rebuilding its mapping and the header's sections every
/// time, so filtering a million rows to 20,000 scattered failures froze the window for 18 s
/// (measured, tests/bench/bench_itemtable.cpp); the reset takes 30 ms.
///
/// Threads: the model's thread only.
class ItemFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ItemFilterProxy)

public:
    /// Shows model (not owned: it must outlive the proxy).
    ItemFilterProxy(TransferStatusModel *model, QObject *parent);
    ~ItemFilterProxy() override;

    /// Sets both at once; -1 shows every status. Returns whether the filter changed (the
    /// proxy was then reset: selection and current index are gone).
    bool setFilter(int status, const QString &text);
    /// The filter applied now (the search field may hold a text not applied yet).
    int statusFilter() const { return m_status; }
    QString textFilter() const { return m_text; }

    /// Orders the rows by column (-1: queue order) in the background (ItemSortProxy::sort()).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    /// The sorting model between the item model and this one.
    ItemSortProxy *sorter() const { return m_sorter; }
    /// The row of this proxy that shows index of the item model; invalid when filtered out.
    QModelIndex mapFromModel(const QModelIndex &modelIndex) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    TransferStatusModel *m_model;
    ItemSortProxy *m_sorter;
    int m_status = -1;
    QString m_text;
};

} // namespace sluice
