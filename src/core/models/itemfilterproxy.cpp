// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemfilterproxy.h"

#include "models/itemsortkeys.h"
#include "models/itemsortproxy.h"
#include "models/transferstatusmodel.h"
#include "util/backgroundthreads.h"

namespace sluice {

ItemFilterProxy::ItemFilterProxy(TransferStatusModel *model, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_model(model)
    , m_sorter(new ItemSortProxy(model, this))
    , m_newest(std::make_shared<std::atomic<quint64>>(0))
    , m_link(std::make_shared<ReceiverLink<ItemFilterProxy>>(this))
{
    setFilterRole(TransferStatusModel::StatusRole);
    setSourceModel(m_sorter);
    // Other rows from now on: the answers found are for the rows that were. Connected after
    // the sorter, so before this proxy filters the new rows (the model's reset reaches it
    // through the sorter).
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        m_keyMatches.reset();
        if (m_searching) {
            dropSearch();
            // Asked again once the new rows are there.
            QMetaObject::invokeMethod(this, &ItemFilterProxy::startSearch, Qt::QueuedConnection);
        }
    });
}

ItemFilterProxy::~ItemFilterProxy()
{
    m_link->clear();
    dropSearch();
}

bool ItemFilterProxy::setFilter(int status, const QString &text)
{
    if (m_searching && text == m_pendingText && !(status == m_status && text == m_text)) {
        m_pendingStatus = status; // the keys being searched serve any status
        return false;
    }
    dropSearch();
    if (status == m_status && text == m_text) {
        setSearching(false);
        return false;
    }
    if (text.isEmpty() || text == m_text || m_model->rowCount() < m_backgroundSearchRows) {
        apply(status, text, text == m_text ? m_keyMatches : nullptr);
        setSearching(false);
        return true;
    }
    m_pendingStatus = status;
    m_pendingText = text;
    setSearching(true);
    startSearch();
    return false;
}

void ItemFilterProxy::startSearch()
{
    if (!m_searching)
        return;
    dropSearch();
    if (m_model->rowCount() < m_backgroundSearchRows) {
        apply(m_pendingStatus, m_pendingText, nullptr);
        setSearching(false);
        return;
    }
    // Taken here, in the model's thread; the keys' text itself is shared, not copied.
    auto keys = std::make_shared<ItemSortKeys>(m_model->searchKeys());
    BackgroundThreads::run([link = m_link, keys = std::move(keys), text = m_pendingText,
                            newest = m_newest, generation = m_generation] {
        auto found = std::make_shared<std::vector<bool>>(rowsWhoseKeyContains(
            *keys, text, [&newest, generation] { return newest->load() != generation; }));
        if (found->empty() && keys->rowCount() > 0)
            return; // superseded
        link->post([generation, found = Matches(std::move(found))](ItemFilterProxy *proxy) {
            proxy->searchDone(generation, found);
        });
    });
}

void ItemFilterProxy::searchDone(quint64 generation, Matches keyMatches)
{
    if (generation != m_generation || !m_searching)
        return;
    apply(m_pendingStatus, m_pendingText, std::move(keyMatches));
    setSearching(false);
}

void ItemFilterProxy::dropSearch()
{
    ++m_generation;
    m_newest->store(m_generation);
}

void ItemFilterProxy::apply(int status, const QString &text, Matches keyMatches)
{
    Q_EMIT filterAboutToChange();
    beginResetModel();
    m_status = status;
    m_text = text;
    m_keyMatches = text.isEmpty() ? nullptr : std::move(keyMatches);
    endResetModel();
    Q_EMIT filterChanged();
}

void ItemFilterProxy::setSearching(bool searching)
{
    if (m_searching == searching)
        return;
    m_searching = searching;
    Q_EMIT searchingChanged(searching);
}

void ItemFilterProxy::sort(int column, Qt::SortOrder order)
{
    m_sorter->sort(column, order);
}

QModelIndex ItemFilterProxy::mapFromModel(const QModelIndex &modelIndex) const
{
    return mapFromSource(m_sorter->mapFromSource(modelIndex));
}

bool ItemFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const int row = m_sorter->modelRow(sourceRow);
    if (m_status >= 0 && int(m_model->statusAt(row)) != m_status)
        return false;
    if (m_text.isEmpty())
        return true;
    const bool keyMatches = m_keyMatches && row >= 0 && size_t(row) < m_keyMatches->size()
        ? (*m_keyMatches)[size_t(row)]
        : m_model->keyContains(row, m_text, Qt::CaseInsensitive);
    return keyMatches || m_model->errorAt(row).contains(m_text, Qt::CaseInsensitive);
}

} // namespace sluice
