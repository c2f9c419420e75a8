// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sluice {

/// The column that splits a query's rows into shards ("source.shardKey"; see
/// docs/design.md, "Shards"): each row goes to one shard, decided by the database from the
/// row's value in this column.
struct ShardKey
{
    enum class Type : quint8 {
        Integer, ///< the value modulo the shard count (negative values too)
        Text, ///< a hash of the value as text (MD5, its first 60 bits)
    };

    QString column; ///< a column of the query's result, named as the result names it; empty: none
    Type type = Type::Integer;

    bool isSet() const { return !column.isEmpty(); }
    friend bool operator==(const ShardKey &, const ShardKey &) = default;
};

/// Where rows come from: a value type the connection form and the transfer file
/// produce. It never holds a password, only where to get one.
struct ConnectionSettings
{
    QString driver; ///< Qt SQL driver name: QSQLITE, QPSQL, QMYSQL, QODBC, ...
    QString database; ///< database name, or the file for QSQLITE (relative to baseDir)
    QString host;
    int port = -1; ///< -1: the driver's default
    QString user;
    QString passwordEnv; ///< name of the environment variable holding the password
    QString passwordKeychain; ///< name of the OS keychain entry holding the password
    bool askPassword = false; ///< "ask when run": the front end asks for it
    QString options; ///< Qt connect options (QSqlDatabase::setConnectOptions)
    QString baseDir; ///< folder a relative QSQLITE path is resolved against (not saved)
    /// Splits the rows among shards for `sluice run --shard K/N`; kept, unused, otherwise.
    ShardKey shardKey;

    /// The database file or name as the driver should open it (relative QSQLITE
    /// paths resolved against baseDir).
    QString resolvedDatabase() const;

    friend bool operator==(const ConnectionSettings &, const ConnectionSettings &) = default;
};

} // namespace sluice
