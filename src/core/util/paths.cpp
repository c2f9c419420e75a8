// SPDX-License-Identifier: GPL-3.0-or-later
#include "paths.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace sluice {

QString pathForTransfer(const QString &file, const QString &folder)
{
    const QString clean = QDir::cleanPath(file);
    if (folder.isEmpty())
        return clean;
    const QString relative = QDir(folder).relativeFilePath(clean);
    if (relative != ".."_L1 && !relative.startsWith("../"_L1) && QFileInfo(relative).isRelative())
        return relative;
    return clean;
}

QString movedPathForTransfer(const QString &path, const QString &from, const QString &to)
{
    if (path.isEmpty())
        return path;
    const QDir base(from.isEmpty() ? QDir::currentPath() : from);
    return pathForTransfer(base.absoluteFilePath(path), to);
}

} // namespace sluice
