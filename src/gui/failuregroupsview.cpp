// SPDX-License-Identifier: GPL-3.0-or-later
#include "failuregroupsview.h"

#include "ui_failuregroupsview.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>

#include "models/failuregroupmodel.h"

namespace sluice {

namespace {

/// What every item of a group has in its error: the group's message, or its longest part
/// between the marks of the items' keys and without the ellipsis of a cut.
QString searchText(const QString &message)
{
    QStringView longest;
    for (QStringView part : QStringView(message).split(FailureGroupModel::KeyMark)) {
        if (part.endsWith(u'\x2026'))
            part.chop(1);
        if (part.size() > longest.size())
            longest = part;
    }
    return longest.toString();
}

} // namespace

FailureGroupsView::FailureGroupsView(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::FailureGroupsView>())
{
    m_ui->setupUi(this);
    QHeaderView *header = m_ui->groupsTable->horizontalHeader();
    m_ui->groupsTable->verticalHeader()->hide();
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    // The message is what the steward reads: wrapped in its column, never cut (a message is
    // at most FailureGroupModel::MaxMessageLength characters, and groups are few).
    m_ui->groupsTable->setWordWrap(true);
    m_ui->groupsTable->setTextElideMode(Qt::ElideNone);
    m_ui->groupsTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Activating a group shows its items: the failed (or invalid) ones, searched by message.
    connect(m_ui->groupsTable, &QAbstractItemView::activated, this, &FailureGroupsView::showGroup);
    connect(m_ui->showGroupButton, &QPushButton::clicked, this, &FailureGroupsView::showGroup);
    connect(m_ui->retryGroupButton, &QPushButton::clicked, this, &FailureGroupsView::retryGroup);
    updateButtons();
}

FailureGroupsView::~FailureGroupsView() = default;

void FailureGroupsView::setModel(FailureGroupModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_ui->groupsTable->setModel(model);
    QHeaderView *header = m_ui->groupsTable->horizontalHeader();
    header->resizeSection(FailureGroupModel::Count, 60);
    header->resizeSection(FailureGroupModel::Status, 170);
    connect(m_ui->groupsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &FailureGroupsView::updateButtons);
    connect(model, &QAbstractItemModel::modelReset, this, &FailureGroupsView::updateButtons);
    connect(model, &QAbstractItemModel::rowsInserted, this, &FailureGroupsView::selectLargest);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &FailureGroupsView::updateButtons);
    updateButtons();
}

void FailureGroupsView::setRetryEnabled(bool enabled)
{
    m_retryEnabled = enabled;
    updateButtons();
}

void FailureGroupsView::selectLargest()
{
    QItemSelectionModel *selection = m_ui->groupsTable->selectionModel();
    if (!selection->currentIndex().isValid())
        selection->setCurrentIndex(m_model->index(0, 0),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateButtons();
}

void FailureGroupsView::updateButtons()
{
    const bool groupSelected = m_model && m_model->rowCount() > 0
        && m_ui->groupsTable->selectionModel()->currentIndex().isValid();
    m_ui->showGroupButton->setEnabled(groupSelected);
    m_ui->retryGroupButton->setEnabled(m_retryEnabled && groupSelected);
}

void FailureGroupsView::showGroup()
{
    const QModelIndex index = m_ui->groupsTable->selectionModel()->currentIndex();
    if (!index.isValid())
        return;
    const auto status
        = ItemStatus(index.siblingAtColumn(0).data(FailureGroupModel::StatusRole).toInt());
    Q_EMIT showRequested(
        status, searchText(index.siblingAtColumn(FailureGroupModel::Message).data().toString()));
}

void FailureGroupsView::retryGroup()
{
    const QModelIndex index = m_ui->groupsTable->selectionModel()->currentIndex();
    if (index.isValid())
        Q_EMIT retryRequested(m_model->ids(index.row()));
}

} // namespace sluice
