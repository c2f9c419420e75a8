// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <QSortFilterProxyModel>
#include <QString>

#include "util/receiverlink.h"

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
/// A search text over many rows (backgroundSearchRows()) is looked for in the keys in a
/// background thread (rowsWhoseKeyContains(), on the model's key blocks, shared): the filter in
/// force stays until the answer comes, then the new one is applied in one reset. A key never
/// changes, so the answer stays true for those rows; rows appended since, and every error (few,
/// and they change), are read when filtered. A newer filter supersedes a search in flight.
///
/// Threads: the model's thread; only the key search runs elsewhere, on its own copy.
class ItemFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ItemFilterProxy)

public:
    static constexpr int BackgroundSearchRows = 50000;

    /// Shows model (not owned: it must outlive the proxy).
    ItemFilterProxy(TransferStatusModel *model, QObject *parent);
    ~ItemFilterProxy() override;

    /// Sets both at once; -1 shows every status. Returns whether the filter was applied now
    /// (the proxy was then reset: selection and current index are gone); false when nothing
    /// changed, or when a search started (searchingChanged(true)): its filter comes later,
    /// with filterChanged() (another status for the text being looked for keeps the search and
    /// comes with it). Every change of the filter in force is between filterAboutToChange()
    /// and filterChanged().
    bool setFilter(int status, const QString &text);
    /// The filter applied now (the search field may hold a text not applied yet).
    int statusFilter() const { return m_status; }
    QString textFilter() const { return m_text; }
    /// Whether a filter asked for by setFilter() waits for its key search.
    bool isSearching() const { return m_searching; }
    /// Texts are looked for in a background thread from this many rows on (tests: 0).
    int backgroundSearchRows() const { return m_backgroundSearchRows; }
    void setBackgroundSearchRows(int rows) { m_backgroundSearchRows = rows; }

    /// Orders the rows by column (-1: queue order) in the background (ItemSortProxy::sort()).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    /// The sorting model between the item model and this one.
    ItemSortProxy *sorter() const { return m_sorter; }
    /// The row of this proxy that shows index of the item model; invalid when filtered out.
    QModelIndex mapFromModel(const QModelIndex &modelIndex) const;

Q_SIGNALS:
    void filterAboutToChange();
    void filterChanged();
    /// A search began (true), or its filter is applied or superseded (false).
    void searchingChanged(bool searching);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    using Matches = std::shared_ptr<const std::vector<bool>>;

    void apply(int status, const QString &text, Matches keyMatches);
    void startSearch();
    void searchDone(quint64 generation, Matches keyMatches);
    /// Whatever search is in flight is of no use now.
    void dropSearch();
    void setSearching(bool searching);

    TransferStatusModel *m_model;
    ItemSortProxy *m_sorter;
    int m_status = -1;
    QString m_text;
    /// Per model row, whether its key contains m_text; null, or rows past its end: ask the
    /// model.
    Matches m_keyMatches;
    int m_pendingStatus = -1; ///< what the search in flight is for
    QString m_pendingText;
    bool m_searching = false;
    int m_backgroundSearchRows = BackgroundSearchRows;
    quint64 m_generation = 0; ///< of the newest search; older answers are dropped
    /// m_generation, for the searching thread: one whose generation is older gives up.
    std::shared_ptr<std::atomic<quint64>> m_newest;
    std::shared_ptr<ReceiverLink<ItemFilterProxy>> m_link;
};

} // namespace sluice
