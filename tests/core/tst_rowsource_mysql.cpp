// SPDX-License-Identifier: GPL-3.0-or-later
// RowSource against a real MariaDB server (the CTest fixture "mariadb" starts it): rows are
// streamed through db/mysqlcursor (Qt's QMYSQL would buffer the whole result), parameters
// are bound, and every MySQL type arrives with the value the server holds, compared with
// what the server itself prints for it.
#include <memory>

#include <QByteArray>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QTest>

#include "db/rowsource.h"
#include "db/shardquery.h"
#include "mariadbtestserver.h"
#include "rowsourcerecorder.h"
#include "testsink.h"
#include "transfer/transferrun.h"
#include "types/sourcevalue.h"
#include "json/jsonreader.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

using Recorder = RowSourceRecorder;

QStringList sourceConnections()
{
    return QSqlDatabase::connectionNames().filter(QRegularExpression(u"^sluice\\.source\\."_s));
}

/// One column of table types: how the server prints its value (an SQL expression over the
/// column c) and how Sluice's value of it is compared with that.
enum class Compare { Integer, Exact, Real, Temporal, Text, Json, Bytes };

struct TypeCase
{
    const char *name;
    const char *type;
    Compare compare;
    const char *serverText; ///< SQL expression for the server's text form; %1 is the column
};

const TypeCase TypeCases[] = {
    {"ti", "TINYINT", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"tiu", "TINYINT UNSIGNED", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"si", "SMALLINT", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"mi", "MEDIUMINT", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"i", "INT", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"iu", "INT UNSIGNED", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"bi", "BIGINT", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"biu", "BIGINT UNSIGNED", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"dc", "DECIMAL(65,30)", Compare::Exact, "CAST(%1 AS CHAR)"},
    {"dc2", "DECIMAL(10,2)", Compare::Exact, "CAST(%1 AS CHAR)"},
    {"f", "FLOAT", Compare::Real, "CAST(%1 AS CHAR)"},
    {"d", "DOUBLE", Compare::Real, "CAST(%1 AS CHAR)"},
    {"bit1", "BIT(1)", Compare::Integer, "CAST(%1 + 0 AS CHAR)"},
    {"bit64", "BIT(64)", Compare::Integer, "CAST(%1 + 0 AS CHAR)"},
    {"dt", "DATE", Compare::Temporal, "CAST(%1 AS CHAR)"},
    {"dtm", "DATETIME", Compare::Temporal, "CAST(%1 AS CHAR)"},
    {"dtm6", "DATETIME(6)", Compare::Temporal, "CAST(%1 AS CHAR)"},
    {"dtm3", "DATETIME(3)", Compare::Temporal, "CAST(%1 AS CHAR)"},
    {"ts6", "TIMESTAMP(6) NULL", Compare::Temporal, "CAST(%1 AS CHAR)"},
    {"tm", "TIME", Compare::Temporal, "CAST(%1 AS CHAR)"},
    {"tm6", "TIME(6)", Compare::Temporal, "CAST(%1 AS CHAR)"},
    {"yr", "YEAR", Compare::Integer, "CAST(%1 AS CHAR)"},
    {"ch", "CHAR(10)", Compare::Text, "%1"},
    {"vc", "VARCHAR(100)", Compare::Text, "%1"},
    {"tx", "TEXT", Compare::Text, "%1"},
    {"lt", "LONGTEXT", Compare::Text, "%1"},
    {"en", "ENUM('red','green')", Compare::Text, "%1"},
    {"st", "SET('a','b','c')", Compare::Text, "%1"},
    {"js", "JSON", Compare::Json, "%1"},
    {"bn", "BINARY(4)", Compare::Bytes, "HEX(%1)"},
    {"vb", "VARBINARY(100)", Compare::Bytes, "HEX(%1)"},
    {"bl", "BLOB", Compare::Bytes, "HEX(%1)"},
    {"lb", "LONGBLOB", Compare::Bytes, "HEX(%1)"},
};

/// Rows of table types: id 1 ordinary values, 2 every column NULL, 3 the extremes, 4 the
/// other extremes (and a zero date).
const char *const TypeRows[] = {
    "(1, -5, 200, -300, 40000, -7, 4000000000, -9007199254740993, 9007199254740993, "
    "'12345678901234567890123456789012345.123456789012345678901234567890', 12.50, 0.1, 0.1, "
    "b'1', b'1010101010', '2024-02-29', '2024-01-02 03:04:05', '2024-01-02 03:04:05.123456', "
    "'2024-01-02 03:04:05.120', '2024-07-01 23:59:59.000001', '13:45:01', '-01:02:03.400000', "
    "2024, 'abc', 'Grüße, 世界 ✓ \"q\" \\\\', REPEAT('long text ', 100), REPEAT('x', 70000), "
    "'green', 'a,c', '{\"a\": [1, 2.50, 12345678901234567890], \"b\": {\"c\": null}}', "
    "x'00ff4100', x'00ff41', REPEAT(x'00ff', 500), REPEAT(x'0102', 100000))",
    "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL, NULL)",
    "(3, -128, 255, -32768, -8388608, -2147483648, 4294967295, -9223372036854775808, "
    "18446744073709551615, '-99999999999999999999999999999999999.999999999999999999999999999999', "
    "-99999999.99, 3.40282e38, 1.7976931348623157e308, b'0', b'11111111111111111111111111111111"
    "11111111111111111111111111111111', '1000-01-01', '9999-12-31 23:59:59', "
    "'9999-12-31 23:59:59.999999', '1000-01-01 00:00:00.001', '1970-01-01 05:00:01.000000', "
    "'838:59:59', '-838:59:59.000000', 1901, '', '', '', '', 'red', '', '[]', x'00000000', '', "
    "'', '')",
    "(4, 127, 0, 32767, 8388607, 2147483647, 0, 9223372036854775807, 0, "
    "0.000000000000000000000000000001, "
    "0.01, -1.5e-30, -2.2250738585072014e-308, b'0', b'1', '0000-00-00', '0000-00-00 00:00:00', "
    "'2024-01-02 00:00:00.000000', '2024-01-02 00:00:00', '2038-01-18 22:14:07.999999', "
    "'00:00:00', '100:00:00.5', 2155, 'a', 'a', 'a', 'a', 'green', 'a,b,c', "
    "'\"just a string with \\\\u00e9 and \\\\\" escapes\"', x'41424344', x'00', x'00', x'00')",
};

} // namespace

class TstRowSourceMysql : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void everyTypeAsTheServerHoldsIt_data();
    void everyTypeAsTheServerHoldsIt();
    void columnFlags();
    void mariadbDriverNameStreamsToo();
    void streamsInChunks();
    void firstRowsComeBeforeTheResultEnds();
    void namedParameters_data();
    void namedParameters();
    void parameterValueIsData();
    void skipsRowsWhenResuming();
    void shardsSplitTheRows_data();
    void shardsSplitTheRows();
    void slowReaderKeepsItsResult();
    void sqlError();
    void statementWithoutRows();
    void destructionMidStream();
    void destructionMidStatementReturnsAtOnce();
    void transferSendsExactJson();

private:
    QuerySpec sql(const QString &text) const;
    /// start(), then one request at a time until the end or a failure.
    void readAll(RowSource *source, Recorder *recorder);
    /// How many statements of this test's reader the server is still running.
    int runningStatements(const QString &marker);

    ConnectionSettings m_settings;
};

void TstRowSourceMysql::initTestCase()
{
    QString error;
    m_settings = MariaDbTestServer::settings(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QStringList columns;
    for (const TypeCase &c : TypeCases)
        columns.append(u"%1 %2"_s.arg(QLatin1StringView(c.name), QLatin1StringView(c.type)));
    QStringList setup = {
        u"DROP TABLE IF EXISTS types, big"_s,
        u"CREATE TABLE types (id INT PRIMARY KEY, %1)"_s.arg(columns.join(u", "_s)),
        u"CREATE TABLE big (id INT PRIMARY KEY, t VARCHAR(40))"_s,
        u"INSERT INTO big SELECT seq, MD5(seq) FROM seq_0_to_299999"_s,
    };
    for (const char *row : TypeRows)
        setup.append(u"INSERT INTO types VALUES "_s + QString::fromUtf8(row));
    QVERIFY2(MariaDbTestServer::exec(setup, &error), qPrintable(error));
}

void TstRowSourceMysql::init()
{
    // The reader must never fall back to Qt's buffering reader (it warns when it does).
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void TstRowSourceMysql::cleanupTestCase()
{
    QString error;
    QVERIFY2(MariaDbTestServer::exec({u"DROP TABLE IF EXISTS types, big"_s}, &error),
             qPrintable(error));
}

QuerySpec TstRowSourceMysql::sql(const QString &text) const
{
    QuerySpec query;
    query.sql = text;
    return query;
}

void TstRowSourceMysql::readAll(RowSource *source, Recorder *recorder)
{
    source->start();
    QTRY_VERIFY(recorder->opened || !recorder->errors.isEmpty());
    QVERIFY2(recorder->errors.isEmpty(), qPrintable(recorder->errors.join(u'\n')));
    while (!source->isAtEnd()) {
        const qsizetype before = recorder->chunks.size();
        QSignalSpy spy(source, &RowSource::chunkReady);
        source->requestChunk();
        QVERIFY(spy.wait(20000));
        QCOMPARE(recorder->chunks.size(), before + 1);
        QVERIFY2(recorder->errors.isEmpty(), qPrintable(recorder->errors.join(u'\n')));
    }
}

int TstRowSourceMysql::runningStatements(const QString &marker)
{
    QList<QVariantList> rows;
    QString error;
    const bool ok = MariaDbTestServer::select(
        u"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%%1%' "
        "AND INFO NOT LIKE '%PROCESSLIST%'"_s.arg(marker),
        &rows, &error);
    return ok && !rows.isEmpty() ? rows.first().first().toInt() : -1;
}

void TstRowSourceMysql::everyTypeAsTheServerHoldsIt_data()
{
    QTest::addColumn<int>("id");
    QTest::newRow("ordinary values") << 1;
    QTest::newRow("nulls") << 2;
    QTest::newRow("extremes") << 3;
    QTest::newRow("other extremes, zero dates") << 4;
}

void TstRowSourceMysql::everyTypeAsTheServerHoldsIt()
{
    QFETCH(int, id);
    QStringList names;
    QStringList serverTexts;
    for (const TypeCase &c : TypeCases) {
        names.append(QLatin1StringView(c.name));
        serverTexts.append(QLatin1StringView(c.serverText).arg(QLatin1StringView(c.name)));
    }
    RowSource source(m_settings,
                     sql(u"SELECT %1 FROM types WHERE id = %2"_s.arg(names.join(u", "_s)).arg(id)),
                     10, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(recorder.rows().size(), 1);
    const QVariantList row = recorder.rows().first();
    QCOMPARE(row.size(), names.size());

    QList<QVariantList> server;
    QString error;
    QVERIFY2(MariaDbTestServer::select(
                 u"SELECT %1 FROM types WHERE id = %2"_s.arg(serverTexts.join(u", "_s)).arg(id),
                 &server, &error),
             qPrintable(error));
    QCOMPARE(server.size(), 1);

    for (qsizetype i = 0; i < names.size(); ++i) {
        const TypeCase &c = TypeCases[i];
        const QVariant value = row.at(i);
        const QVariant held = server.first().at(i);
        const QByteArray what = QByteArray(c.name) + " " + c.type + ": Sluice "
            + value.toString().left(80).toUtf8() + " ("
            + QByteArray::number(value.toString().size()) + " characters), server "
            + held.toString().left(80).toUtf8() + " (" + QByteArray::number(held.toString().size())
            + ")";
        if (held.isNull()) {
            QVERIFY2(value.isNull(), what.constData());
            continue;
        }
        QVERIFY2(!value.isNull(), what.constData());
        const QString text = held.toString();
        switch (c.compare) {
        case Compare::Integer:
            QVERIFY2(value.typeId() == QMetaType::LongLong
                         || value.typeId() == QMetaType::ULongLong,
                     what.constData());
            QVERIFY2(value.toString() == text, what.constData());
            break;
        case Compare::Json: {
            // Nested JSON: the server's text with its blank space removed, tokens as written.
            QVERIFY2(value.metaType() == QMetaType::fromType<JsonText>(), what.constData());
            const std::optional<QByteArray> compact = compactJson(text.toUtf8());
            QVERIFY2(compact && value.value<JsonText>().utf8 == *compact, what.constData());
            break;
        }
        case Compare::Exact:
        case Compare::Text:
            QVERIFY2(value.typeId() == QMetaType::QString, what.constData());
            QVERIFY2(value.toString() == text, what.constData());
            break;
        case Compare::Real:
            QVERIFY2(value.typeId() == QMetaType::Double, what.constData());
            QVERIFY2(value.toDouble() == text.toDouble(), what.constData());
            break;
        case Compare::Temporal: {
            // ISO 8601: the date and the time are joined by a T, microseconds kept.
            QString expected = text;
            if (expected.size() > 10 && expected.at(10) == u' ')
                expected[10] = u'T';
            QVERIFY2(value.typeId() == QMetaType::QString, what.constData());
            QVERIFY2(value.toString() == expected, what.constData());
            break;
        }
        case Compare::Bytes:
            QVERIFY2(value.typeId() == QMetaType::QByteArray, what.constData());
            QVERIFY2(value.toByteArray().toHex().toUpper() == text.toLatin1(), what.constData());
            break;
        }
    }
}

void TstRowSourceMysql::columnFlags()
{
    RowSource source(m_settings,
                     sql(u"SELECT dc2, d, js, JSON_OBJECT('k', id) AS made, lt, bl, biu "
                         "FROM types WHERE id = 1"_s),
                     10, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    const QStringList exact = {u"dc2"_s};
    // MariaDB's JSON is LONGTEXT: only the extended metadata tells js (and what JSON
    // functions return) from lt.
    const QStringList json = {u"js"_s, u"made"_s};
    const QVariantList row = recorder.rows().first();
    for (qsizetype i = 0; i < recorder.columns.size(); ++i) {
        const ColumnInfo &c = recorder.columns.at(i);
        QVERIFY2(c.exactNumeric == exact.contains(c.name), qPrintable(c.name));
        QVERIFY2((row.at(i).metaType() == QMetaType::fromType<JsonText>()) == json.contains(c.name),
                 qPrintable(c.name));
        QVERIFY(!c.timeZoneAware);
    }
    QCOMPARE(recorder.columns.at(recorder.column(u"bl"_s)).metaTypeId, int(QMetaType::QByteArray));
    QCOMPARE(recorder.columns.at(recorder.column(u"biu"_s)).metaTypeId, int(QMetaType::ULongLong));
    QCOMPARE(row.at(recorder.column(u"made"_s)).value<JsonText>().utf8, QByteArray("{\"k\":1}"));
}

void TstRowSourceMysql::mariadbDriverNameStreamsToo()
{
    // QMARIADB is Qt's other name for the same plugin; it must not fall back to Qt's
    // buffering reader either (init() fails the test on its warning).
    ConnectionSettings settings = m_settings;
    settings.driver = u"QMARIADB"_s;
    RowSource source(settings, sql(u"SELECT biu, js FROM types WHERE id = 3"_s), 10, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    const QVariantList row = recorder.rows().first();
    QCOMPARE(row.at(0).toULongLong(), Q_UINT64_C(18446744073709551615));
    QCOMPARE(row.at(1).value<JsonText>().utf8, QByteArray("[]"));
}

void TstRowSourceMysql::streamsInChunks()
{
    const qint64 total = 300000;
    const int chunkSize = 5000;
    RowSource source(m_settings, sql(u"SELECT id, t FROM big ORDER BY id"_s), chunkSize, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(recorder.chunks.size(), total / chunkSize);
    qint64 next = 0;
    for (const RowChunk &chunk : std::as_const(recorder.chunks)) {
        QCOMPARE(chunk.firstId, next);
        QCOMPARE(chunk.rows.size(), chunkSize);
        QCOMPARE(chunk.rows.first().first().toLongLong(), next);
        QCOMPARE(chunk.rows.last().first().toLongLong(), next + chunkSize - 1);
        next += chunk.rows.size();
    }
    QCOMPARE(next, total);
    QVERIFY(recorder.chunks.last().atEnd);
    QCOMPARE(
        recorder.chunks.last().rows.last().at(1).toString(),
        QString::fromLatin1(QCryptographicHash::hash("299999", QCryptographicHash::Md5).toHex()));
    QVERIFY(sourceConnections().isEmpty());
}

void TstRowSourceMysql::firstRowsComeBeforeTheResultEnds()
{
    // The server needs 3 s for the row 200000; a buffering reader (Qt's QMYSQL) would hand
    // over the first chunk only after it. A streaming one has it long before.
    RowSource source(m_settings,
                     sql(u"SELECT seq, IF(seq = 200000, SLEEP(3), 0) AS slept "
                         "FROM seq_0_to_200000"_s),
                     100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    QElapsedTimer clock;
    clock.start();
    source.start();
    QSignalSpy spy(&source, &RowSource::chunkReady);
    source.requestChunk();
    QVERIFY(spy.wait(20000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed < 2500, qPrintable(u"the first chunk took %1 ms"_s.arg(elapsed)));
    QCOMPARE(recorder.chunks.first().rows.size(), 100);
    QCOMPARE(recorder.chunks.first().rows.last().first().toLongLong(), 99);
}

void TstRowSourceMysql::namedParameters_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QVariantMap>("parameters");
    QTest::addColumn<QStringList>("firstColumn");

    QTest::newRow("integers, text, same name twice")
        << u"SELECT seq FROM seq_1_to_10 WHERE seq >= :low AND seq <= :high AND :label = 'x' "
           "AND seq <> :low + 1 ORDER BY seq"_s
        << QVariantMap {{u"low"_s, 4}, {u"high"_s, u"7"_s}, {u"label"_s, u"x"_s}}
        << QStringList {u"4"_s, u"6"_s, u"7"_s};
    QTest::newRow("exact decimal text stays exact")
        << u"SELECT CAST(:v AS DECIMAL(40,2)) + 0.01"_s
        << QVariantMap {{u"v"_s, u"12345678901234567890123456789012345678.12"_s}}
        << QStringList {u"12345678901234567890123456789012345678.13"_s};
    QTest::newRow("bool and real")
        << u"SELECT id FROM types WHERE :flag AND d < :limit ORDER BY id"_s
        << QVariantMap {{u"flag"_s, true}, {u"limit"_s, 0.5}} << QStringList {u"1"_s, u"4"_s};
    QTest::newRow("null matches nothing") << u"SELECT id FROM types WHERE vc = :t"_s
                                          << QVariantMap {{u"t"_s, QVariant()}} << QStringList {};
    QTest::newRow("markers in literals and comments are text")
        << u"SELECT ':no' AS a, :yes AS b /* :none */ -- :neither"_s << QVariantMap {{u"yes"_s, 7}}
        << QStringList {u":no"_s};
    QTest::newRow("LIMIT takes a bound value")
        << u"SELECT seq FROM seq_1_to_10 ORDER BY seq LIMIT :n"_s << QVariantMap {{u"n"_s, 2}}
        << QStringList {u"1"_s, u"2"_s};
}

void TstRowSourceMysql::namedParameters()
{
    QFETCH(QString, sql);
    QFETCH(QVariantMap, parameters);
    QFETCH(QStringList, firstColumn);

    QuerySpec query;
    query.sql = sql;
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it)
        query.parameters.insert(it.key(), it.value());
    RowSource source(m_settings, query, 2, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    QStringList found;
    for (const QVariantList &row : recorder.rows())
        found.append(row.first().toString());
    QCOMPARE(found, firstColumn);
}

void TstRowSourceMysql::parameterValueIsData()
{
    const QString value = u"x'); DROP TABLE types; -- \\' \" `"_s;
    QuerySpec query;
    query.sql = u"SELECT :v AS v, COUNT(*) FROM types WHERE vc = :v"_s;
    query.parameters.insert(u"v"_s, value);
    RowSource source(m_settings, query, 10, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(recorder.rows().first().at(0).toString(), value);
    QCOMPARE(recorder.rows().first().at(1).toInt(), 0);

    QList<QVariantList> rows;
    QString error;
    QVERIFY2(MariaDbTestServer::select(u"SELECT COUNT(*) FROM types"_s, &rows, &error),
             qPrintable(error));
    QCOMPARE(rows.first().first().toInt(), 4);
}

void TstRowSourceMysql::skipsRowsWhenResuming()
{
    RowSource source(m_settings, sql(u"SELECT id FROM big WHERE id < 1000 ORDER BY id"_s), 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    QTRY_VERIFY(recorder.opened);
    source.skipRows(950);
    while (!source.isAtEnd()) {
        QSignalSpy spy(&source, &RowSource::chunkReady);
        source.requestChunk();
        QVERIFY(spy.wait(20000));
    }
    QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(u'\n')));
    QCOMPARE(recorder.rowCount(), 50);
    QCOMPARE(recorder.chunks.first().firstId, 950);
    QCOMPARE(recorder.rows().first().first().toLongLong(), 950);
    QCOMPARE(recorder.rows().last().first().toLongLong(), 999);
}

void TstRowSourceMysql::shardsSplitTheRows_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<int>("type");
    QTest::newRow("integer key") << u"id"_s << int(ShardKey::Type::Integer);
    QTest::newRow("text key") << u"t"_s << int(ShardKey::Type::Text);
}

void TstRowSourceMysql::shardsSplitTheRows()
{
    // The shard query (db/shardquery) wraps the SQL; its parameters stay bound through the
    // cursor, and MariaDB's hash agrees with Sluice's own for every row.
    QFETCH(QString, column);
    QFETCH(int, type);
    ConnectionSettings source = m_settings;
    source.shardKey.column = column;
    source.shardKey.type = ShardKey::Type(type);
    QuerySpec query;
    query.sql = u"SELECT id, t FROM big WHERE id < :limit"_s;
    query.parameters.insert(u"limit"_s, 3000);
    const int count = 3;
    QSet<qint64> seen;
    for (int index = 0; index < count; ++index) {
        QString error;
        const std::optional<QuerySpec> sharded
            = shardQuery(source, query, Shard {index, count}, &error);
        QVERIFY2(sharded, qPrintable(error));
        RowSource reader(m_settings, *sharded, 1000, {});
        Recorder recorder;
        recorder.listen(this, &reader);
        readAll(&reader, &recorder);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(recorder.rowCount() > 0);
        const qsizetype keyColumn = recorder.column(column);
        QVERIFY(keyColumn >= 0);
        for (const QVariantList &row : recorder.rows()) {
            const qint64 id = row.first().toLongLong();
            QVERIFY2(!seen.contains(id), qPrintable(u"row %1 in two shards"_s.arg(id)));
            seen.insert(id);
            QCOMPARE(shardOf(row.at(keyColumn), source.shardKey.type, count), index);
        }
    }
    QCOMPARE(seen.size(), 3000);
}

void TstRowSourceMysql::slowReaderKeepsItsResult()
{
    // A paused run stops reading; the server must not drop the result meanwhile. Its
    // net_write_timeout is set to 1 s here (the default is 60 s).
    QString error;
    QVERIFY2(MariaDbTestServer::exec({u"SET GLOBAL net_write_timeout = 1"_s}, &error),
             qPrintable(error));
    const auto restore = qScopeGuard([] {
        QString ignored;
        MariaDbTestServer::exec({u"SET GLOBAL net_write_timeout = 60"_s}, &ignored);
    });
    RowSource source(m_settings, sql(u"SELECT id, t FROM big ORDER BY id"_s), 1000, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    QTRY_VERIFY(recorder.opened);
    QSignalSpy spy(&source, &RowSource::chunkReady);
    source.requestChunk();
    QVERIFY(spy.wait(20000));
    QTest::qWait(3000); // the socket buffers fill up and the server waits to write
    while (!source.isAtEnd() && recorder.errors.isEmpty()) {
        source.requestChunk();
        QVERIFY(spy.wait(20000));
    }
    QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(u'\n')));
    QCOMPARE(recorder.rowCount(), 300000);
}

void TstRowSourceMysql::sqlError()
{
    RowSource source(m_settings, sql(u"SELECT nocolumn FROM types"_s), 10, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    QTRY_COMPARE(recorder.errors.size(), 1);
    const QString message = recorder.errors.first();
    QVERIFY2(message.startsWith(u"query: "_s) && message.contains(u"Unknown column 'nocolumn'"_s),
             qPrintable(message));
    QVERIFY(sourceConnections().isEmpty());
}

void TstRowSourceMysql::statementWithoutRows()
{
    RowSource source(m_settings, sql(u"DO 1"_s), 10, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    QTRY_COMPARE(recorder.errors.size(), 1);
    QVERIFY2(recorder.errors.first().contains(u"returns no rows"_s),
             qPrintable(recorder.errors.first()));
    QTRY_VERIFY(sourceConnections().isEmpty());
}

void TstRowSourceMysql::destructionMidStream()
{
    // 300,000 rows, one chunk of 100 read: the rest is not read (the socket is shut down,
    // the server stops sending), and the destructor does not wait for it.
    const QString marker = u"sluice_mid_stream"_s;
    auto source = std::make_unique<RowSource>(
        m_settings, sql(u"SELECT id, t, '%1' FROM big a"_s.arg(marker)), 100, QString());
    Recorder recorder;
    recorder.listen(this, source.get());
    source->start();
    QTRY_VERIFY(recorder.opened);
    QSignalSpy spy(source.get(), &RowSource::chunkReady);
    source->requestChunk();
    QVERIFY(spy.wait(20000));
    QCOMPARE(runningStatements(marker), 1);

    QElapsedTimer clock;
    clock.start();
    source.reset();
    QTRY_VERIFY(sourceConnections().isEmpty());
    QVERIFY2(clock.elapsed() < 1000, qPrintable(u"closing took %1 ms"_s.arg(clock.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(runningStatements(marker), 0, 10000);
    QVERIFY(recorder.errors.isEmpty());
}

void TstRowSourceMysql::destructionMidStatementReturnsAtOnce()
{
    const QString marker = u"sluice_mid_statement"_s;
    QuerySpec query;
    query.sql = u"SELECT SLEEP(:seconds) AS slept, '%1'"_s.arg(marker);
    query.parameters.insert(u"seconds"_s, 30);
    auto source = std::make_unique<RowSource>(m_settings, query, 100, QString());
    Recorder recorder;
    recorder.listen(this, source.get());
    source->start();
    source->requestChunk();
    QTRY_COMPARE(runningStatements(marker), 1);
    QVERIFY(!recorder.opened);

    QElapsedTimer clock;
    clock.start();
    source.reset();
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed < 100, qPrintable(u"the destructor took %1 ms"_s.arg(elapsed)));
    QTRY_VERIFY(sourceConnections().isEmpty());
    QVERIFY(recorder.errors.isEmpty());
}

void TstRowSourceMysql::transferSendsExactJson()
{
    // From the table through a transform to the body the API receives, byte for byte.
    TestSink sink;
    QVERIFY(sink.isListening());
    TransferSpec spec;
    spec.source.driver = m_settings.driver;
    spec.source.host = m_settings.host;
    spec.source.port = m_settings.port;
    spec.source.user = m_settings.user;
    spec.source.database = m_settings.database;
    spec.query.sql = u"SELECT id, biu, dc2, dc, d, f, bit64, dtm6, ts6, tm6, dt, js, bn, vc "
                     "FROM types WHERE id IN (:a, :b) ORDER BY id"_s;
    spec.query.parameters.insert(u"a"_s, 1);
    spec.query.parameters.insert(u"b"_s, 3);
    spec.transform.present = true;
    spec.transform.key = u"{{id}}"_s;
    spec.transform.templ
        = R"({"id":"{{id}}","u":"{{biu}}","money":"{{dc2}}","big":"{{dc}}","d":"{{d}}",)"
          R"("f":"{{f}}","bits":"{{bit64}}","at":"{{dtm6}}","ts":"{{ts6}}","t":"{{tm6}}",)"
          R"("day":"{{dt}}","doc":"{{js}}","raw":"{{bn}}","text":"{{vc}}"})";
    spec.target.url = sink.url().toString() + u"items"_s;
    spec.run.chunkSize = 10;
    spec.run.concurrency = 1;
    spec.run.maxRetries = 0;

    TransferRun run(spec);
    std::optional<TransferRun::Outcome> outcome;
    QString message;
    connect(&run, &TransferRun::finished, this, [&](TransferRun::Outcome o, const QString &m) {
        outcome = o;
        message = m;
    });
    run.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30000);
    QVERIFY2(*outcome == TransferRun::Outcome::Completed, qPrintable(message));
    QCOMPARE(sink.requestCount(), 2);

    QMap<QByteArray, QByteArray> bodies;
    for (const auto &r : sink.requests())
        bodies.insert(r.body.left(8), r.body);
    QCOMPARE(bodies.size(), 2);
    const QByteArray first
        = R"({"id":1,"u":9007199254740993,)"
          R"("money":12.50,"big":12345678901234567890123456789012345.123456789012345678901234567890,)"
          R"("d":0.1,"f":0.1,"bits":682,"at":"2024-01-02T03:04:05.123456",)"
          R"("ts":"2024-07-01T23:59:59.000001","t":"-01:02:03.400000",)"
          R"("day":"2024-02-29","doc":{"a":[1,2.50,12345678901234567890],"b":{"c":null}},)"
          R"("raw":"AP9BAA==","text":"Grüße, 世界 ✓ \"q\" \\"})";
    const QByteArray third
        = R"({"id":3,"u":18446744073709551615,)"
          R"("money":-99999999.99,"big":-99999999999999999999999999999999999.999999999999999999999999999999,)"
          R"("d":1.7976931348623157e+308,"f":3.40282e+38,"bits":18446744073709551615,)"
          R"("at":"9999-12-31T23:59:59.999999","ts":"1970-01-01T05:00:01.000000",)"
          R"("t":"-838:59:59.000000","day":"1000-01-01","doc":[],"raw":"AAAAAA==","text":""})";
    if (bodies.first() != first || bodies.last() != third)
        qInfo().noquote() << "sent:" << bodies.first() << bodies.last();
    QCOMPARE(bodies.first(), first);
    QCOMPARE(bodies.last(), third);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    TstRowSourceMysql test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_rowsource_mysql.moc"
