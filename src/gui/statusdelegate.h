// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QStyledItemDelegate>

#include "types/item.h"

class QPalette;

namespace sluice {

/// Paints a status cell as a small coloured dot followed by the status text, the colour
/// taken from the index's TransferStatusModel::StatusRole (so it works through any proxy).
/// GUI thread only.
class StatusDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusDelegate)

public:
    explicit StatusDelegate(QObject *parent = nullptr);
    ~StatusDelegate() override;

    /// The colour of status, readable on palette's base colour (light or dark).
    static QColor statusColor(ItemStatus status, const QPalette &palette);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace sluice
