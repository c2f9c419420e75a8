// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLocale>

namespace sluice {

/// Puts the window's texts into the language of locale: Sluice's own translation (embedded,
/// ":/i18n/sluice_<lang>.qm") and Qt's (qtbase_<lang>.qm from Qt's translations folder: the
/// standard buttons and dialogs), replacing the ones installed before. English has a
/// translation too: it only holds the plural forms ("%n item(s)" -> "1 item", "2 items"), and
/// is the one any language without a translation gets. Every QApplication that links the GUI
/// calls this with the system locale at its start (the app and the GUI tests alike); the
/// headless commands never do, so their output stays English. Returns false when Sluice has no
/// translation for the locale's languages (the English plural forms are used then).
bool installTranslations(const QLocale &locale = QLocale());

} // namespace sluice
