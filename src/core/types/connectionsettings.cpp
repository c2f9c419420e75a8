// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionsettings.h"

#include <QDir>
#include <QFileInfo>

namespace sluice {

QString ConnectionSettings::resolvedDatabase() const
{
    if (driver != QLatin1String("QSQLITE") || database.isEmpty() || baseDir.isEmpty()
        || database == QLatin1String(":memory:") || database.startsWith(QLatin1String("file:"))
        || QFileInfo(database).isAbsolute())
        return database;
    return QDir(baseDir).absoluteFilePath(database);
}

} // namespace sluice
