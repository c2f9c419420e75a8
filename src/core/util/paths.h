// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sluice {

/// How a transfer names a file chosen in a dialog (a SQLite database, a CA file): relative to
/// folder (the transfer file's) when it lies inside it, so the pair can move together;
/// otherwise the clean absolute path. An empty folder (a transfer never saved) keeps the path.
QString pathForTransfer(const QString &file, const QString &folder);

/// A path a transfer holds, relative to folder from (the working folder when from is empty: a
/// transfer never saved), as the transfer names the same file once it is saved in folder to
/// (pathForTransfer): an absolute path inside to becomes relative too, as Browse… makes it.
/// An empty path stays empty.
QString movedPathForTransfer(const QString &path, const QString &from, const QString &to);

} // namespace sluice
