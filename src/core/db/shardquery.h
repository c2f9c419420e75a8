// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "spec/transferspec.h"
#include "types/connectionsettings.h"
#include "types/shard.h"

#include <QByteArrayView>
#include <QString>
#include <QVariant>

#include <optional>

QT_BEGIN_NAMESPACE
class QSqlDatabase;
QT_END_NAMESPACE

namespace sluice {

// Shards (docs/design.md, "Shards"): `sluice run --shard K/N` reads only the rows whose
// source.shardKey falls in shard K of N. The database decides, so each shard's process reads
// only its own rows: the query is wrapped as
//
//   SELECT * FROM (
//   <the query, without a semicolon that ends it>
//   ) sluice_shard WHERE COALESCE(<shard of sluice_shard."key">, 0) = K
//
// where the shard of a value v is, in every database:
// - integer keys: ((v % N) + N) % N, so negative values fall in 0..N-1 too;
// - text keys: the first 60 bits of the MD5 of v's text (UTF-8), as an integer, % N
//   (PostgreSQL md5(), MySQL/MariaDB MD5(), SQLite sluice_shard_hash(), registered on every
//   SQLite connection Sluice opens); ODBC has no hash every database knows: integers only;
// - NULL: shard 0.
// A column is thus split the same way whatever database holds it.

/// The name of the SQL function Sluice adds to its SQLite connections: the text key's hash.
inline constexpr char SqliteShardHashFunction[] = "sluice_shard_hash";

/// The first 60 bits of the MD5 of utf8, as a non-negative integer: what a text key hashes to
/// in every database.
qint64 shardTextHash(QByteArrayView utf8);

/// The shard (0 .. count - 1) a key value falls in, computed here as the databases compute it
/// (see above): integers (qint64) modulo count, anything else hashed as its text; a null
/// value is in shard 0.
int shardOf(const QVariant &value, ShardKey::Type type, int count);

/// sql without the semicolons that end it (and the blanks and comments around them).
/// nullopt when a semicolon ends a statement that other SQL follows: more than one statement.
std::optional<QString> withoutFinalSemicolon(const QString &sql);

/// sql wrapped so that the database (driver: a Qt driver name) returns only the rows of shard.
/// Empty with *error (starting with the transfer-file field it is about) when it cannot be
/// done: a driver without shards, a text key over ODBC, more than one statement.
QString shardSql(const QString &sql, const QString &driver, const ShardKey &key, const Shard &shard,
                 QString *error);

/// The query a run of one shard reads: query with its SQL wrapped by shardSql() for
/// source's driver and shard key, its parameters as they are. nullopt with *error when the
/// source has no shard key or shardSql() refuses.
std::optional<QuerySpec> shardQuery(const ConnectionSettings &source, const QuerySpec &query,
                                    const Shard &shard, QString *error);

/// Adds SqliteShardHashFunction to an open QSQLITE connection (deterministic, innocuous).
/// False with *error when db is no SQLite connection or SQLite refuses.
bool registerSqliteShardFunction(const QSqlDatabase &db, QString *error);

} // namespace sluice
