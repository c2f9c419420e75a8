// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemfilterproxy.h"

#include "models/transferstatusmodel.h"

namespace sluice {

ItemFilterProxy::ItemFilterProxy(TransferStatusModel *model, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_model(model)
{
    setFilterRole(TransferStatusModel::StatusRole);
    setSortRole(TransferStatusModel::SortRole);
    setSourceModel(model);
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

bool ItemFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    if (m_status >= 0 && int(m_model->statusAt(sourceRow)) != m_status)
        return false;
    if (m_text.isEmpty())
        return true;
    return m_model->keyContains(sourceRow, m_text, Qt::CaseInsensitive)
        || m_model->errorAt(sourceRow).contains(m_text, Qt::CaseInsensitive);
}

bool ItemFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    return m_model->lessThan(left.row(), right.row(), left.column());
}

} // namespace sluice
