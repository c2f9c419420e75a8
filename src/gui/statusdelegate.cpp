// SPDX-License-Identifier: GPL-3.0-or-later
#include "statusdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>
#include <QStyle>

#include "models/transferstatusmodel.h"

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
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    switch (status) {
    case ItemStatus::Queued:
        return dark ? QColor(0x9e, 0x9e, 0x9e) : QColor(0x75, 0x75, 0x75);
    case ItemStatus::Sending:
        return dark ? QColor(0x64, 0xb5, 0xf6) : QColor(0x15, 0x65, 0xc0);
    case ItemStatus::Retrying:
        return dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xe6, 0x7e, 0x00);
    case ItemStatus::Delivered:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32);
    case ItemStatus::Failed:
        return dark ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28);
    case ItemStatus::Invalid:
        return dark ? QColor(0xce, 0x93, 0xd8) : QColor(0x8e, 0x24, 0xaa);
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
