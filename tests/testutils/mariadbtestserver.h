// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "types/connectionsettings.h"

namespace sluice {

/// The throwaway MariaDB server CTest starts for tests with FIXTURES mariadb
/// (tests/scripts/mariadb-server.sh): 127.0.0.1, user sluice without a password (allowed
/// everything), database sluice_test, server time zone -05:00.
struct MariaDbTestServer
{
    /// QMYSQL settings from $SLUICE_MARIADB_DIR/conninfo.env. On failure returns {} and sets
    /// *error to a message that says how to get the server (run the test via ctest).
    static ConnectionSettings settings(QString *error);

    /// Runs the statements in order on a connection of its own, opened and removed in the
    /// calling thread. Stops at the first failure: returns false with *error naming the
    /// statement.
    static bool exec(const QStringList &statements, QString *error);

    /// The rows one query returns, read through Qt's QMYSQL on a connection of its own.
    static bool select(const QString &sql, QList<QVariantList> *rows, QString *error);
};

} // namespace sluice
