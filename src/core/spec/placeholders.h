// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QStringList>
#include <QStringView>

namespace sluice {

/// A well-formed `{{name}}` placeholder found in a text.
struct Placeholder
{
    qsizetype start = 0; ///< position of the opening braces
    qsizetype length = 0; ///< braces included
    QStringView name; ///< trimmed; points into the scanned text
};

/// The placeholder grammar of the template rules, in one place for the transfer file's
/// validation and the transform's compilation: `{{name}}` where name may have surrounding
/// spaces and is otherwise a non-empty run without braces. Appends every well-formed
/// placeholder to *found (may be null), in order, and returns the problems, each naming the
/// placeholder ("unclosed placeholder \"{{id\""). Scanning stops at an unclosed one. The
/// names point into text, which must outlive them.
QStringList findPlaceholders(QStringView text, QList<Placeholder> *found);

/// Whether text has at least one well-formed placeholder (a target URL that has one is
/// resolved per row).
bool hasPlaceholders(QStringView text);

} // namespace sluice
