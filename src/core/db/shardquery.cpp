// SPDX-License-Identifier: GPL-3.0-or-later
#include "shardquery.h"

#include "db/sqlconnection.h"
#include "db/sqllexer.h"

#include <QCryptographicHash>
#include <QSqlDatabase>
#include <QSqlDriver>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

enum class Dialect : quint8 { Sqlite, Postgres, Mysql, Odbc };

std::optional<Dialect> dialectOf(const QString &driver)
{
    if (driver == "QSQLITE"_L1)
        return Dialect::Sqlite;
    if (driver == "QPSQL"_L1)
        return Dialect::Postgres;
    if (driver == "QMYSQL"_L1 || driver == "QMARIADB"_L1)
        return Dialect::Mysql;
    if (driver == "QODBC"_L1)
        return Dialect::Odbc;
    return std::nullopt;
}

/// The column as the wrapping query names it: sluice_shard."name", quotes doubled.
QString columnReference(const QString &column, Dialect dialect)
{
    const QChar quote = dialect == Dialect::Mysql ? u'`' : u'"';
    QString quoted = column;
    quoted.replace(quote, QString(2, quote));
    return "sluice_shard."_L1 + quote + quoted + quote;
}

/// The key's text hash (see shardTextHash) in SQL.
QString textHash(const QString &column, Dialect dialect)
{
    switch (dialect) {
    case Dialect::Sqlite:
        return QLatin1String(SqliteShardHashFunction) + u'(' + column + u')';
    case Dialect::Postgres:
        // No "::" casts: Qt's placeholder scanner could take them for parameters.
        return "CAST(CAST('x' || substr(md5(CAST(%1 AS text)), 1, 15) AS bit(60)) AS bigint)"_L1
            .arg(column);
    case Dialect::Mysql:
        return "CAST(CONV(SUBSTRING(MD5(%1), 1, 15), 16, 10) AS UNSIGNED)"_L1.arg(column);
    case Dialect::Odbc:
        break;
    }
    return {};
}

void shardHashFunction(sqlite3_context *context, int, sqlite3_value **arguments)
{
    sqlite3_value *value = arguments[0];
    if (sqlite3_value_type(value) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    // Text as UTF-8; an integer or a real as SQLite writes it; a blob's bytes.
    const unsigned char *text = sqlite3_value_text(value);
    const int bytes = sqlite3_value_bytes(value);
    sqlite3_result_int64(
        context, shardTextHash(QByteArrayView(reinterpret_cast<const char *>(text), bytes)));
}

} // namespace

qint64 shardTextHash(QByteArrayView utf8)
{
    const QByteArray digest = QCryptographicHash::hash(utf8, QCryptographicHash::Md5);
    quint64 first = 0;
    for (int i = 0; i < 8; ++i)
        first = (first << 8) | quint8(digest.at(i));
    return qint64(first >> 4);
}

int shardOf(const QVariant &value, ShardKey::Type type, int count)
{
    if (value.isNull() || count < 1)
        return 0;
    if (type == ShardKey::Type::Integer) {
        const qint64 v = value.toLongLong();
        return int(((v % count) + count) % count);
    }
    return int(shardTextHash(value.toString().toUtf8()) % count);
}

std::optional<QString> withoutFinalSemicolon(const QString &sql)
{
    qsizetype end = 0; // just after the last SQL that is not blank, a comment or a semicolon
    bool semicolon = false; // a semicolon came after it
    bool more = false; // SQL came after a semicolon
    const auto gap = [&](qsizetype from, qsizetype to) {
        for (qsizetype i = from; i < to; ++i) {
            const QChar c = sql.at(i);
            if (c.isSpace())
                continue;
            if (c == u';') {
                semicolon = true;
                continue;
            }
            more = more || semicolon;
            end = i + 1;
        }
    };
    SqlLexer lexer(sql);
    qsizetype pos = 0;
    while (const std::optional<SqlLexer::Token> token = lexer.next()) {
        gap(pos, token->start);
        pos = token->start + token->length;
        if (token->kind == SqlLexer::Kind::Comment)
            continue;
        more = more || semicolon;
        end = pos;
    }
    gap(pos, sql.size());
    if (more)
        return std::nullopt;
    return sql.left(end);
}

QString shardSql(const QString &sql, const QString &driver, const ShardKey &key, const Shard &shard,
                 QString *error)
{
    const std::optional<Dialect> dialect = dialectOf(driver);
    if (!dialect) {
        *error = u"source.driver: shards are supported with SQLite, PostgreSQL, MySQL/MariaDB "_s
                 u"and ODBC, not with %1"_s.arg(driverDisplayName(driver));
        return {};
    }
    if (*dialect == Dialect::Odbc && key.type == ShardKey::Type::Text) {
        *error = u"source.shardKey.type: a \"text\" key cannot split an ODBC source (there is "_s
                 u"no hash function every database behind ODBC has); use an \"integer\" key"_s;
        return {};
    }
    const std::optional<QString> statement = withoutFinalSemicolon(sql);
    if (!statement) {
        *error = u"query.sql: a query split into shards must be one statement (a semicolon "_s
                 u"ends one before the end)"_s;
        return {};
    }
    const QString column = columnReference(key.column, *dialect);
    const QString n = QString::number(shard.count);
    QString expression;
    if (key.type == ShardKey::Type::Text)
        expression = textHash(column, *dialect) + " % "_L1 + n;
    else if (*dialect == Dialect::Odbc)
        expression = "{fn MOD({fn MOD(%1, %2)} + %2, %2)}"_L1.arg(column, n);
    else
        expression = "((%1 % %2) + %2) % %2"_L1.arg(column, n);
    // The line breaks keep a -- comment at the query's end from swallowing the ")".
    return "SELECT * FROM (\n"_L1 + *statement + "\n) sluice_shard WHERE COALESCE("_L1 + expression
        + ", 0) = "_L1 + QString::number(shard.index);
}

std::optional<QuerySpec> shardQuery(const ConnectionSettings &source, const QuerySpec &query,
                                    const Shard &shard, QString *error)
{
    if (!source.shardKey.isSet()) {
        *error = u"source.shardKey: is required to read one shard of the rows: the column that "_s
                 u"decides each row's shard, e.g. \"shardKey\": {\"column\": \"id\", "_s
                 u"\"type\": \"integer\"}"_s;
        return std::nullopt;
    }
    QuerySpec sharded = query;
    sharded.sql = shardSql(query.sql, source.driver, source.shardKey, shard, error);
    if (sharded.sql.isEmpty())
        return std::nullopt;
    return sharded;
}

bool registerSqliteShardFunction(const QSqlDatabase &db, QString *error)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0) {
        *error = u"not an SQLite connection"_s;
        return false;
    }
    sqlite3 *sqlite = *static_cast<sqlite3 *const *>(handle.constData());
    if (!sqlite) {
        *error = u"the SQLite connection is not open"_s;
        return false;
    }
    const int rc = sqlite3_create_function_v2(
        sqlite, SqliteShardHashFunction, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
        nullptr, &shardHashFunction, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errstr(rc));
        return false;
    }
    return true;
}

} // namespace sluice
