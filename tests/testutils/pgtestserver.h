// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "types/connectionsettings.h"

namespace sluice {

/// The throwaway PostgreSQL cluster CTest starts for tests with FIXTURES postgres
/// (tests/scripts/pg-cluster.sh): 127.0.0.1, trusted user postgres, database sluice_test,
/// server time zone America/New_York.
struct PgTestServer
{
    /// The only role that must give a password (scram-sha-256 over TCP); tests create it.
    static constexpr const char *PasswordRole = "sluice_pwtest";

    /// QPSQL settings from $SLUICE_PG_DIR/conninfo.env. On failure returns {} and sets
    /// *error to a message that says how to get the cluster (run the test via ctest).
    static ConnectionSettings settings(QString *error);

    /// Runs the statements in order on a connection of its own, opened and removed in the
    /// calling thread, to `database` (default: the test database). Stops at the first
    /// failure: returns false with *error naming the statement.
    static bool exec(const QStringList &statements, QString *error, const QString &database = {});

    /// The rows one query returns, read on a connection of its own like exec().
    static bool select(const QString &sql, QList<QVariantList> *rows, QString *error);
};

} // namespace sluice
