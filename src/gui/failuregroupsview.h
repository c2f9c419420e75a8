// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QList>
#include <QPointer>
#include <QWidget>

#include "types/item.h"

namespace Ui {
class FailureGroupsView;
}

namespace sluice {

class FailureGroupModel;

/// The failed and invalid items of a run grouped by cause (the Run tab's "Failures by cause"
/// page): a table of a FailureGroupModel, largest group first, whose current group the
/// steward can show in the item table ("Show these items", or activating the group) or send
/// again ("Retry this group"). The largest group becomes current as soon as there is one, so
/// that retrying it takes one click. The view only asks: its owner filters and retries.
///
/// Threads: the GUI thread only.
class FailureGroupsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FailureGroupsView)

public:
    explicit FailureGroupsView(QWidget *parent = nullptr);
    ~FailureGroupsView() override;

    /// The groups to show (not null). Not owned; once destroyed, the view has none.
    void setModel(FailureGroupModel *model);
    /// Whether the run can take a retry now; "Retry this group" is enabled when it can and a
    /// group is current.
    void setRetryEnabled(bool enabled);

Q_SIGNALS:
    /// Show the items of a group: those in status (Failed or Invalid) whose error has message,
    /// the group's message or, where it stands for each item's key
    /// (FailureGroupModel::KeyMark) or was cut short, its longest part without either.
    void showRequested(sluice::ItemStatus status, const QString &message);
    /// Send a group's items again.
    void retryRequested(const QList<qint64> &ids);

private:
    void showGroup();
    void retryGroup();
    void selectLargest();
    void updateButtons();

    std::unique_ptr<Ui::FailureGroupsView> m_ui;
    QPointer<FailureGroupModel> m_model;
    bool m_retryEnabled = false;
};

} // namespace sluice
