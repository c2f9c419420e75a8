// SPDX-License-Identifier: GPL-3.0-or-later
#include "statusdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>
#include <QStyle>

#include "models/transferstatusmodel.h"
#include "palette.h"

namespace sluice {

namespace {

constexpr int DotGap = 6;

int dotDiameter(const QStyleOptionViewItem &option)
{
    return qMax(6, option.fontMetrics.height() / 2);
}

} // namespace

StatusDelegate::StatusDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

StatusDelegate::~StatusDelegate() = default;

QColor StatusDelegate::statusColor(ItemStatus status, const QPalette &palette)
{
    switch (status) {
    case ItemStatus::Queued:
        return themedColor(palette, 0x757575, 0x9e9e9e);
    case ItemStatus::Sending:
        return themedColor(palette, 0x1565c0, 0x64b5f6);
    case ItemStatus::Retrying:
        return themedColor(palette, 0xe67e00, 0xffb74d);
    case ItemStatus::Delivered:
        return themedColor(palette, 0x2e7d32, 0x81c784);
    case ItemStatus::Failed:
        return errorColor(palette);
    case ItemStatus::Invalid:
        return themedColor(palette, 0x8e24aa, 0xce93d8);
    }
    return palette.color(QPalette::Text);
}

void StatusDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QVariant statusValue = index.data(TransferStatusModel::StatusRole);
    if (!statusValue.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const auto status = ItemStatus(statusValue.toInt());
    const QString text = opt.text;
    // Let the style draw background, selection and focus, then put the dot and text on top.
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    const int d = dotDiameter(opt);
    const QRect dot(textRect.left() + 2, textRect.center().y() - d / 2 + 1, d, d);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(statusColor(status, opt.palette));
    painter->drawEllipse(dot);
    const bool selected = opt.state & QStyle::State_Selected;
    painter->setPen(
        opt.palette.color(opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled,
                          selected ? QPalette::HighlightedText : QPalette::Text));
    const QRect rest = textRect.adjusted(2 + d + DotGap, 0, 0, 0);
    painter->drawText(rest, Qt::AlignLeft | Qt::AlignVCenter,
                      opt.fontMetrics.elidedText(text, Qt::ElideRight, rest.width()));
    painter->restore();
}

QSize StatusDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.rwidth() += dotDiameter(option) + DotGap + 2;
    return size;
}

} // namespace sluice
