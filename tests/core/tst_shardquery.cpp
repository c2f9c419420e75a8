// SPDX-License-Identifier: GPL-3.0-or-later
// Shards (db/shardquery.h, types/shard.h): reading "K/N", wrapping the query for each
// database, and the SQLite connection's text hash against the rule every database follows.

#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "db/shardquery.h"
#include "db/sqlconnection.h"
#include "sqlitefixture.h"

#include <limits>

using namespace Qt::StringLiterals;
using namespace sluice;

Q_DECLARE_METATYPE(sluice::ShardKey)
Q_DECLARE_METATYPE(sluice::ShardKey::Type)

class tst_ShardQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shardFromText_data();
    void shardFromText();
    void finalSemicolon_data();
    void finalSemicolon();
    void sqlPerDatabase_data();
    void sqlPerDatabase();
    void refusals_data();
    void refusals();
    void missingShardKey();
    void hashRule();
    void shardOfValues();
    void sqliteShardsSplitTheRows_data();
    void sqliteShardsSplitTheRows();
};

void tst_ShardQuery::shardFromText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("index"); // -1: refused
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("error");

    const QString expected
        = u"expected K/N, shard K (counted from 0) of N shards, as in 0/4 ... 3/4"_s;
    QTest::newRow("0/4") << u"0/4"_s << 0 << 4 << QString();
    QTest::newRow("3/4") << u"3/4"_s << 3 << 4 << QString();
    QTest::newRow("0/1") << u"0/1"_s << 0 << 1 << QString();
    QTest::newRow("leading zeros") << u"007/010"_s << 7 << 10 << QString();
    QTest::newRow("largest") << u"99999/100000"_s << 99999 << 100000 << QString();
    QTest::newRow("K = N") << u"4/4"_s << -1 << 0
                           << u"K must be a whole number from 0 to 3 (shards are counted from "_s
                              u"0), got \"4\""_s;
    QTest::newRow("negative K") << u"-1/4"_s << -1 << 0
                                << u"K must be a whole number from 0 to 3 (shards are counted "_s
                                   u"from 0), got \"-1\""_s;
    QTest::newRow("no K (JOB_COMPLETION_INDEX unset)") << u"/4"_s << -1 << 0
                                                       << u"K is missing ("_s + expected
            + u"; in a Kubernetes Indexed Job: --shard $JOB_COMPLETION_INDEX/N)"_s;
    QTest::newRow("N = 0") << u"0/0"_s << -1 << 0
                           << u"N must be a whole number from 1 to 100000, got \"0\""_s;
    QTest::newRow("N too large") << u"0/100001"_s << -1 << 0
                                 << u"N must be a whole number from 1 to 100000, got \"100001\""_s;
    QTest::newRow("no N") << u"1/"_s << -1 << 0
                          << u"N must be a whole number from 1 to 100000, got \"\""_s;
    QTest::newRow("blank") << u" 1/4"_s << -1 << 0
                           << u"K must be a whole number from 0 to 3 (shards are counted from "_s
                              u"0), got \" 1\""_s;
    QTest::newRow("plus") << u"+1/4"_s << -1 << 0
                          << u"K must be a whole number from 0 to 3 (shards are counted from "_s
                             u"0), got \"+1\""_s;
    QTest::newRow("words") << u"one/four"_s << -1 << 0
                           << u"N must be a whole number from 1 to 100000, got \"four\""_s;
    QTest::newRow("no slash") << u"2"_s << -1 << 0 << expected;
    QTest::newRow("two slashes") << u"1/4/2"_s << -1 << 0 << expected;
    QTest::newRow("empty") << QString() << -1 << 0 << expected;
    QTest::newRow("huge K") << u"99999999999/4"_s << -1 << 0
                            << u"K must be a whole number from 0 to 3 (shards are counted from "_s
                               u"0), got \"99999999999\""_s;
}

void tst_ShardQuery::shardFromText()
{
    QFETCH(QString, text);
    QFETCH(int, index);
    QFETCH(int, count);
    QFETCH(QString, error);
    QString why;
    const std::optional<Shard> shard = Shard::fromText(text, &why);
    if (index < 0) {
        QVERIFY(!shard);
        QCOMPARE(why, error);
        return;
    }
    QVERIFY2(shard, qPrintable(why));
    QCOMPARE(shard->index, index);
    QCOMPARE(shard->count, count);
    QCOMPARE(Shard::fromText(shard->toText(), &why), shard);
}

void tst_ShardQuery::finalSemicolon_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("expected"); // null: refused

    QTest::newRow("none") << u"SELECT 1"_s << u"SELECT 1"_s;
    QTest::newRow("one") << u"SELECT 1;"_s << u"SELECT 1"_s;
    QTest::newRow("blanks and several") << u"SELECT 1 ;; \n "_s << u"SELECT 1"_s;
    QTest::newRow("comment after") << u"SELECT 1; -- the end\n/* really */"_s << u"SELECT 1"_s;
    QTest::newRow("comment before") << u"SELECT 1 -- last; words\n;"_s << u"SELECT 1"_s;
    QTest::newRow("in a literal") << u"SELECT ';' AS s"_s << u"SELECT ';' AS s"_s;
    QTest::newRow("in an identifier") << u"SELECT 1 AS \"a;\";"_s << u"SELECT 1 AS \"a;\""_s;
    QTest::newRow("in a dollar quote") << u"SELECT $$;$$"_s << u"SELECT $$;$$"_s;
    QTest::newRow("two statements") << u"SELECT 1; SELECT 2"_s << QString();
    QTest::newRow("two statements, the second in words")
        << u"SELECT 1;\nDROP TABLE t;"_s << QString();
}

void tst_ShardQuery::finalSemicolon()
{
    QFETCH(QString, sql);
    QFETCH(QString, expected);
    const std::optional<QString> statement = withoutFinalSemicolon(sql);
    if (expected.isNull()) {
        QVERIFY(!statement);
        return;
    }
    QVERIFY(statement);
    QCOMPARE(*statement, expected);
}

void tst_ShardQuery::sqlPerDatabase_data()
{
    QTest::addColumn<QString>("driver");
    QTest::addColumn<ShardKey>("key");
    QTest::addColumn<QString>("where");

    const QString integer = u"COALESCE(((sluice_shard.\"id\" % 4) + 4) % 4, 0) = 1"_s;
    QTest::newRow("SQLite integer")
        << u"QSQLITE"_s << ShardKey {u"id"_s, ShardKey::Type::Integer} << integer;
    QTest::newRow("PostgreSQL integer")
        << u"QPSQL"_s << ShardKey {u"id"_s, ShardKey::Type::Integer} << integer;
    QTest::newRow("MySQL integer") << u"QMYSQL"_s << ShardKey {u"id"_s, ShardKey::Type::Integer}
                                   << u"COALESCE(((sluice_shard.`id` % 4) + 4) % 4, 0) = 1"_s;
    QTest::newRow("MariaDB integer")
        << u"QMARIADB"_s << ShardKey {u"i`d"_s, ShardKey::Type::Integer}
        << u"COALESCE(((sluice_shard.`i``d` % 4) + 4) % 4, 0) = 1"_s;
    QTest::newRow("ODBC integer")
        << u"QODBC"_s << ShardKey {u"id"_s, ShardKey::Type::Integer}
        << u"COALESCE({fn MOD({fn MOD(sluice_shard.\"id\", 4)} + 4, 4)}, "_s
           u"0) = 1"_s;
    QTest::newRow("SQLite text")
        << u"QSQLITE"_s << ShardKey {u"Site \"N\""_s, ShardKey::Type::Text}
        << u"COALESCE(sluice_shard_hash(sluice_shard.\"Site \"\"N\"\"\") "_s
           u"% 4, 0) = 1"_s;
    QTest::newRow("PostgreSQL text")
        << u"QPSQL"_s << ShardKey {u"site"_s, ShardKey::Type::Text}
        << u"COALESCE(CAST(CAST('x' || substr(md5(CAST(sluice_shard.\"site\" AS text)), 1, 15) "_s
           u"AS bit(60)) AS bigint) % 4, 0) = 1"_s;
    QTest::newRow("MySQL text")
        << u"QMYSQL"_s << ShardKey {u"site"_s, ShardKey::Type::Text}
        << u"COALESCE(CAST(CONV(SUBSTRING(MD5(sluice_shard.`site`), 1, 15), 16, 10) AS "_s
           u"UNSIGNED) % 4, 0) = 1"_s;
}

void tst_ShardQuery::sqlPerDatabase()
{
    QFETCH(QString, driver);
    QFETCH(ShardKey, key);
    QFETCH(QString, where);
    QString error;
    // The final semicolon and the comment after it go; the comment inside stays.
    const QString sql = shardSql(u"SELECT * FROM t -- the rows;\nWHERE a = :a; -- all\n"_s, driver,
                                 key, Shard {1, 4}, &error);
    QCOMPARE(error, QString());
    QCOMPARE(sql,
             u"SELECT * FROM (\nSELECT * FROM t -- the rows;\nWHERE a = :a\n) sluice_shard WHERE "_s
                 + where);
}

void tst_ShardQuery::refusals_data()
{
    QTest::addColumn<QString>("driver");
    QTest::addColumn<ShardKey>("key");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("error");

    QTest::newRow("ODBC text") << u"QODBC"_s << ShardKey {u"site"_s, ShardKey::Type::Text}
                               << u"SELECT 1"_s
                               << u"source.shardKey.type: a \"text\" key cannot split an ODBC "_s
                                  u"source (there is no hash function every database behind "_s
                                  u"ODBC has); use an \"integer\" key"_s;
    QTest::newRow("other driver") << u"QOCI"_s << ShardKey {u"id"_s, ShardKey::Type::Integer}
                                  << u"SELECT 1"_s
                                  << u"source.driver: shards are supported with SQLite, "_s
                                     u"PostgreSQL, MySQL/MariaDB and ODBC, not with QOCI"_s;
    QTest::newRow("two statements")
        << u"QPSQL"_s << ShardKey {u"id"_s, ShardKey::Type::Integer} << u"SELECT 1; SELECT 2"_s
        << u"query.sql: a query split into shards must be one statement (a semicolon ends one "_s
           u"before the end)"_s;
}

void tst_ShardQuery::refusals()
{
    QFETCH(QString, driver);
    QFETCH(ShardKey, key);
    QFETCH(QString, sql);
    QFETCH(QString, error);
    QString why;
    QCOMPARE(shardSql(sql, driver, key, Shard {0, 2}, &why), QString());
    QCOMPARE(why, error);
}

void tst_ShardQuery::missingShardKey()
{
    ConnectionSettings source;
    source.driver = u"QSQLITE"_s;
    QuerySpec query {u"SELECT 1"_s, {{u"a"_s, 1}}};
    QString error;
    QVERIFY(!shardQuery(source, query, Shard {0, 2}, &error));
    QVERIFY2(error.startsWith(u"source.shardKey: is required"_s), qPrintable(error));
    source.shardKey = {u"id"_s, ShardKey::Type::Integer};
    const std::optional<QuerySpec> sharded = shardQuery(source, query, Shard {0, 2}, &error);
    QVERIFY(sharded);
    QCOMPARE(sharded->parameters, query.parameters);
    QVERIFY(sharded->sql.startsWith(u"SELECT * FROM (\nSELECT 1\n) sluice_shard"_s));
}

void tst_ShardQuery::hashRule()
{
    // The first 60 bits of MD5 (what PostgreSQL's and MySQL's expressions compute):
    // md5("Zürich") = 103a821a3a6a0b92..., 0x103a821a3a6a0b9 = 73086881401053369.
    QCOMPARE(shardTextHash(QByteArray("Z\xc3\xbcrich")), Q_INT64_C(73086881401053369));
    // md5("") = d41d8cd98f00b204...
    QCOMPARE(shardTextHash(QByteArray()), qint64(0xd41d8cd98f00b20LL));
}

void tst_ShardQuery::shardOfValues()
{
    // Integers: the remainder, negatives too, so every value has a shard in 0..N-1.
    QCOMPARE(shardOf(7, ShardKey::Type::Integer, 4), 3);
    QCOMPARE(shardOf(-1, ShardKey::Type::Integer, 4), 3);
    QCOMPARE(shardOf(-4, ShardKey::Type::Integer, 4), 0);
    QCOMPARE(shardOf(std::numeric_limits<qint64>::min(), ShardKey::Type::Integer, 3), 1);
    QCOMPARE(shardOf(QVariant(), ShardKey::Type::Integer, 4), 0);
    QCOMPARE(shardOf(QVariant(), ShardKey::Type::Text, 4), 0);
    QCOMPARE(shardOf(u"Zürich"_s, ShardKey::Type::Text, 4), int(73086881401053369LL % 4));
    // A text key that holds numbers hashes their text.
    QCOMPARE(shardOf(12, ShardKey::Type::Text, 7), int(shardTextHash("12") % 7));
}

void tst_ShardQuery::sqliteShardsSplitTheRows_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<ShardKey::Type>("type");
    QTest::newRow("integer") << u"ik"_s << ShardKey::Type::Integer;
    QTest::newRow("text") << u"tk"_s << ShardKey::Type::Text;
}

void tst_ShardQuery::sqliteShardsSplitTheRows()
{
    QFETCH(QString, column);
    QFETCH(ShardKey::Type, type);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QList<QVariantList> rows;
    for (int i = 1; i <= 200; ++i) {
        const QVariant ik = i % 17 == 0 ? QVariant() : QVariant(i * 7919 - 500000);
        const QVariant tk = i % 13 == 0 ? QVariant() : QVariant(u"Ort %1 ü"_s.arg(i * 31));
        rows.append({i, ik, tk});
    }
    QString error;
    const QString file = SqliteFixture::create(
        dir.path(), u"shards.db"_s, {u"CREATE TABLE t (id INTEGER PRIMARY KEY, ik, tk TEXT)"_s},
        u"t"_s, rows, &error);
    QVERIFY2(!file.isEmpty(), qPrintable(error));

    ConnectionSettings source;
    source.driver = u"QSQLITE"_s;
    source.database = file;
    const QString name = uniqueSqlConnectionName(u"tst_shardquery"_s);
    QVERIFY2(openSqlConnection(source, {}, name, &error), qPrintable(error));
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        QSet<int> seen;
        for (int k = 0; k < 4; ++k) {
            const QString sql = shardSql(u"SELECT id, ik, tk FROM t ORDER BY id;"_s, u"QSQLITE"_s,
                                         {column, type}, Shard {k, 4}, &error);
            QSqlQuery query(db);
            QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
            int previous = 0;
            while (query.next()) {
                const int id = query.value(0).toInt();
                QVERIFY(id > previous); // the query's order is kept
                previous = id;
                QVERIFY(!seen.contains(id));
                seen.insert(id);
                const QVariant key = query.value(type == ShardKey::Type::Integer ? 1 : 2);
                QCOMPARE(shardOf(key, type, 4), k);
            }
        }
        QCOMPARE(seen.size(), rows.size());
    }
    closeSqlConnection(name);
}

QTEST_GUILESS_MAIN(tst_ShardQuery)
#include "tst_shardquery.moc"
