// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>

class QPalette;
class QWidget;

/// The colour rules the widgets share, each written once: when a palette counts as dark,
/// how a hand-picked colour pair is chosen for it, and the one red that means "error"
/// (an error message and a Failed row look the same). GUI thread only (setTextColor).
namespace sluice {

/// Whether palette is a dark theme: its Base (the background of text fields and views)
/// is darker than mid-grey.
bool isDark(const QPalette &palette);

/// onDark on a dark palette (isDark()), otherwise onLight: for colours chosen by hand in a
/// light and a dark shade, each readable on that kind of Base.
QColor themedColor(const QPalette &palette, QRgb onLight, QRgb onDark);

/// The colour of errors: error messages, marks on the line at fault, Failed items.
QColor errorColor(const QPalette &palette);

/// The colour of warnings: a risk to know about, not a mistake (an amber, readable on
/// either kind of Base).
QColor warningColor(const QPalette &palette);

/// Gives widget (a label) text of this colour, keeping the rest of its palette.
void setTextColor(QWidget *widget, const QColor &color);

} // namespace sluice
