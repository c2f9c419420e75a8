// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sluice {

/// How a transfer names a file chosen in a dialog (a SQLite database, a CA file): relative to
/// folder (the transfer file's) when it lies inside it, so the pair can move together;
/// otherwise the clean absolute path. An empty folder (a transfer never saved) keeps the path.
QString pathForTransfer(const QString &file, const QString &folder);

} // namespace sluice
