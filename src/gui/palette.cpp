// SPDX-License-Identifier: GPL-3.0-or-later
#include "palette.h"

#include <QPalette>
#include <QWidget>

namespace sluice {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor themedColor(const QPalette &palette, QRgb onLight, QRgb onDark)
{
    return QColor::fromRgb(isDark(palette) ? onDark : onLight);
}

QColor errorColor(const QPalette &palette)
{
    return themedColor(palette, 0xc62828, 0xef9a9a);
}

QColor warningColor(const QPalette &palette)
{
    return themedColor(palette, 0x8a5a00, 0xffcc80);
}

void setTextColor(QWidget *widget, const QColor &color)
{
    QPalette palette = widget->palette();
    palette.setColor(QPalette::WindowText, color);
    widget->setPalette(palette);
}

} // namespace sluice
