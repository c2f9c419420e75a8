// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemfilterproxy.h"

#include "models/itemsortproxy.h"
#include "models/transferstatusmodel.h"

namespace sluice {

ItemFilterProxy::ItemFilterProxy(TransferStatusModel *model, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_model(model)
    , m_sorter(new ItemSortProxy(model, this))
{
    setFilterRole(TransferStatusModel::StatusRole);
    setSourceModel(m_sorter);
}

ItemFilterProxy::~ItemFilterProxy() = default;

bool ItemFilterProxy::setFilter(int status, const QString &text)
{
    if (status == m_status && text == m_text)
        return false;
    beginResetModel();
    m_status = status;
    m_text = text;
    endResetModel();
    return true;
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
    return m_model->keyContains(row, m_text, Qt::CaseInsensitive)
        || m_model->errorAt(row).contains(m_text, Qt::CaseInsensitive);
}

} // namespace sluice
