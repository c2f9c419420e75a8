// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QLabel;

namespace sluice {

/// Sets the text of a label that carries status, counts or an error, and keeps what
/// assistive technology hears in step with it: the label's accessible name stays what it is
/// ("Run error", "Delivered items"), and its accessible description becomes the text in
/// plain words (rich text's markup and the status dot dropped), so a screen reader says
/// "Delivered items, 218 delivered" rather than only the name.
void setLabelText(QLabel *label, const QString &text);

/// The words of a label's text as assistive technology should hear them: rich text as plain
/// text, without the coloured status dot (●) the counts start with.
QString accessibleWords(const QString &text);

} // namespace sluice
