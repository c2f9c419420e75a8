// SPDX-License-Identifier: GPL-3.0-or-later
// QODBC through Debian's psqlODBC (odbc-postgresql) against the same PostgreSQL cluster as
// QPSQL (the CTest fixture "postgres"): every value read both ways through the default
// transform, the JSON compared value by value; where ODBC cannot carry a type, the
// difference that docs/design.md ("Reading rows", ODBC) documents is asserted as it is.
// Then a large result read in chunks and a parameterised query, both through psqlODBC's
// cursor, which Sluice turns on. The server runs in America/New_York, this process in
// Europe/Berlin.
#include <QCoreApplication>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QTest>

#include "db/rowsource.h"
#include "db/sqlconnection.h"
#include "pgtestserver.h"
#include "rowsourcerecorder.h"
#include "transform/transform.h"
#include "json/jsonreader.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

struct Column
{
    const char *name;
    const char *type;
    const char *value;
};

/// Read the same through QODBC as through QPSQL.
const Column sameColumns[] = {
    {"i2", "int2", "-32768"},
    {"i4", "int4", "2147483647"},
    {"i8", "int8", "9223372036854775807"},
    {"i8neg", "int8", "-9007199254740993"}, // -(2^53 + 1): no double holds it
    {"n", "numeric", "12.50"},
    {"n2", "numeric(12,2)", "0.10"},
    {"nbig", "numeric", "12345678901234567890.123450"},
    {"f4", "real", "1.1"},
    {"f8", "float8", "0.30000000000000004"},
    {"f8int", "float8", "12"},
    {"b", "bool", "true"},
    {"bf", "bool", "false"},
    {"t", "text", "'Zürich ✓ 😀 \"quoted\"'"},
    {"vc", "varchar(20)", "'äb'"},
    {"ch", "char(3)", "'ab'"},
    {"d", "date", "'2024-02-29'"},
    {"tm", "time", "'23:59:59'"},
    {"ts", "timestamp", "'2024-03-10 02:30:00.123'"},
    {"by", "bytea", "'\\x00ff41'"},
    {"ttz", "timetz", "'13:45:00.5+05:30'"},
};

/// Read differently: what QPSQL sends and what QODBC sends (JSON texts).
struct Difference
{
    const char *name;
    const char *type;
    const char *value;
    const char *qpsql;
    const char *qodbc;
    const char *why;
};

const Difference differentColumns[] = {
    {"tsus", "timestamp", "'2024-03-10 02:30:00.123456'", "\"2024-03-10T02:30:00.123456\"",
     "\"2024-03-10T02:30:00.123\"", "QDateTime holds milliseconds"},
    {"tmfrac", "time", "'23:59:59.999'", "\"23:59:59.999\"", "\"23:59:59\"",
     "QODBC reads a time without its fraction"},
    {"tstz", "timestamptz", "'2024-07-01 12:00:00.5-04'", "\"2024-07-01T16:00:00.5Z\"",
     "\"2024-07-01T12:00:00.500\"",
     "the server session's wall clock (America/New_York), without offset"},
    {"tsms", "timestamp", "'2024-03-10 02:30:00.5'", "\"2024-03-10T02:30:00.5\"",
     "\"2024-03-10T02:30:00.500\"", "milliseconds always written with three digits"},
    {"j", "json", "'{\"b\": 12.50, \"a\": [1, \"x\"]}'", "{\"b\":12.50,\"a\":[1,\"x\"]}",
     "\"{\\\"b\\\": 12.50, \\\"a\\\": [1, \\\"x\\\"]}\"", "JSON arrives as text"},
    {"jb", "jsonb", "'{\"b\": 12.50}'", "{\"b\":12.50}", "\"{\\\"b\\\": 12.50}\"",
     "JSON arrives as text"},
    {"u", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
     "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", "\"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11\"",
     "psqlODBC writes a GUID in capitals"},
    {"iv", "interval", "'1 day 02:00:00'", "\"P1DT2H\"", "\"1 day 02:00:00\"",
     "PostgreSQL's own interval text"},
    {"ia", "int[]", "'{1,NULL,-3}'", "[1,null,-3]", "\"{1,NULL,-3}\"",
     "arrays arrive as PostgreSQL's array text"},
};

constexpr int StreamedRows = 250000;

} // namespace

class TstRowSourceOdbc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void connectionStringDefaults_data();
    void connectionStringDefaults();
    void sameJsonAsQpsql_data();
    void sameJsonAsQpsql();
    void documentedDifferences_data();
    void documentedDifferences();
    void nullsOfEveryType();
    void valuesWithoutJsonFormAreInvalid_data();
    void valuesWithoutJsonFormAreInvalid();
    void largeResultStreamsInChunks();
    void parameterisedQueryStreams();

private:
    /// The item the default transform makes of the single row query returns.
    bool readOne(const ConnectionSettings &settings, const QString &sql, Item *item);
    /// Reads the whole result in chunks of chunkSize; after the first chunk, *serverQuery
    /// gets the statement the reading backend ran last (pg_stat_activity).
    void readAll(const QuerySpec &query, int chunkSize, QList<qint64> *ids, QString *serverQuery);

    ConnectionSettings m_pg;
    ConnectionSettings m_odbc;
    QByteArray m_pgPayload;
    QByteArray m_odbcPayload;
};

void TstRowSourceOdbc::initTestCase()
{
    QString error;
    m_pg = PgTestServer::settings(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(QSqlDatabase::isDriverAvailable(u"QODBC"_s),
             "the Qt ODBC driver is missing: install libqt6sql6-odbc (scripts/install-deps.sh)");

    // DSN-less: the driver's name as the odbc-postgresql package registers it in
    // /etc/odbcinst.ini; no DSN file is needed. QODBC ignores host and port.
    m_odbc.driver = u"QODBC"_s;
    m_odbc.database = u"DRIVER={PostgreSQL Unicode};SERVER=%1;PORT=%2;DATABASE=%3"_s.arg(
        m_pg.host, QString::number(m_pg.port), m_pg.database);
    m_odbc.user = m_pg.user;

    QStringList definitions;
    QStringList values;
    for (const Column &c : sameColumns) {
        definitions.append(QString::fromUtf8(c.name) + u' ' + QString::fromUtf8(c.type));
        values.append(QString::fromUtf8(c.value));
    }
    for (const Difference &c : differentColumns) {
        definitions.append(QString::fromUtf8(c.name) + u' ' + QString::fromUtf8(c.type));
        values.append(QString::fromUtf8(c.value));
    }
    QVERIFY2(PgTestServer::exec(
                 {u"DROP TABLE IF EXISTS odbc_types, odbc_streamed"_s,
                  u"CREATE TABLE odbc_types (id int, "_s + definitions.join(u", "_s) + u')',
                  u"INSERT INTO odbc_types VALUES (1, "_s + values.join(u", "_s) + u')',
                  u"INSERT INTO odbc_types (id) VALUES (2)"_s,
                  u"CREATE TABLE odbc_streamed AS SELECT g AS id, md5(g::text) AS t "
                  "FROM generate_series(1, %1) g"_s.arg(StreamedRows)},
                 &error),
             qPrintable(error));

    Item item;
    QVERIFY(readOne(m_pg, u"SELECT * FROM odbc_types WHERE id = 1"_s, &item));
    QVERIFY2(item.isValid(), qPrintable(item.error));
    m_pgPayload = item.payload;
    QVERIFY2(readOne(m_odbc, u"SELECT * FROM odbc_types WHERE id = 1"_s, &item),
             "QODBC could not read through psqlODBC: is odbc-postgresql installed "
             "(scripts/install-deps.sh test)?");
    QVERIFY2(item.isValid(), qPrintable(item.error));
    m_odbcPayload = item.payload;
}

void TstRowSourceOdbc::cleanupTestCase()
{
    QString error;
    QVERIFY2(PgTestServer::exec({u"DROP TABLE IF EXISTS odbc_types, odbc_streamed"_s}, &error),
             qPrintable(error));
}

bool TstRowSourceOdbc::readOne(const ConnectionSettings &settings, const QString &sql, Item *item)
{
    QuerySpec query;
    query.sql = sql;
    RowSource source(settings, query, 10, {});
    RowSourceRecorder recorder;
    recorder.listen(this, &source);
    source.start();
    source.requestChunk();
    if (!QTest::qWaitFor([&] { return !recorder.chunks.isEmpty() || !recorder.errors.isEmpty(); },
                         20000)
        || !recorder.errors.isEmpty() || recorder.rows().size() != 1) {
        qWarning() << settings.driver << "reading failed:" << recorder.errors;
        return false;
    }
    const std::optional<Transform> transform
        = Transform::compile(TransformSpec {}, QString(), recorder.columns, nullptr);
    if (!transform)
        return false;
    *item = transform->apply(recorder.rows().first(), 0);
    return true;
}

void TstRowSourceOdbc::connectionStringDefaults_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("opened");
    const QString added = u"UseDeclareFetch=1;Fetch=%1;BoolsAsChar=0"_s.arg(PsqlOdbcFetchRows);
    QTest::newRow("registered name")
        << u"DRIVER={PostgreSQL Unicode};SERVER=h;DATABASE=d"_s
        << u"DRIVER={PostgreSQL Unicode};SERVER=h;DATABASE=d;"_s + added;
    QTest::newRow("ANSI, trailing ;")
        << u"driver={PostgreSQL ANSI};"_s << u"driver={PostgreSQL ANSI};"_s + added;
    QTest::newRow(".so path") << u"DRIVER=/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so"_s
                              << u"DRIVER=/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so;"_s + added;
    QTest::newRow("user's choices kept")
        << u"DRIVER={PostgreSQL Unicode};usedeclarefetch=0;A7=50"_s
        << u"DRIVER={PostgreSQL Unicode};usedeclarefetch=0;A7=50;BoolsAsChar=0"_s;
    QTest::newRow("braces hold ;") << u"DRIVER={PostgreSQL Unicode};PWD={a;Fetch=1};B9=1"_s
                                   << u"DRIVER={PostgreSQL Unicode};PWD={a;Fetch=1};B9=1;"
                                      "UseDeclareFetch=1;Fetch=1000"_s;
    QTest::newRow("CX bit mask") << u"DRIVER={PostgreSQL Unicode};CX=1c502bb"_s
                                 << u"DRIVER={PostgreSQL Unicode};CX=1c502bb"_s;
    QTest::newRow("a DSN") << u"sluice_dsn"_s << u"sluice_dsn"_s;
    QTest::newRow("another driver")
        << u"DRIVER={MariaDB};SERVER=h"_s << u"DRIVER={MariaDB};SERVER=h"_s;
}

void TstRowSourceOdbc::connectionStringDefaults()
{
    QFETCH(QString, given);
    QFETCH(QString, opened);
    QCOMPARE(withPsqlOdbcDefaults(given), opened);
}

void TstRowSourceOdbc::sameJsonAsQpsql_data()
{
    QTest::addColumn<QString>("name");
    for (const Column &c : sameColumns)
        QTest::newRow(c.name) << QString::fromUtf8(c.name);
}

void TstRowSourceOdbc::sameJsonAsQpsql()
{
    QFETCH(QString, name);
    const QByteArrayView pg = findJsonMember(m_pgPayload, {name});
    const QByteArrayView odbc = findJsonMember(m_odbcPayload, {name});
    QVERIFY2(!pg.isNull(), m_pgPayload.constData());
    QVERIFY2(!odbc.isNull(), m_odbcPayload.constData());
    QCOMPARE(odbc.toByteArray(), pg.toByteArray());
}

void TstRowSourceOdbc::documentedDifferences_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("qpsql");
    QTest::addColumn<QByteArray>("qodbc");
    QTest::addColumn<QString>("why");
    for (const Difference &c : differentColumns)
        QTest::newRow(c.name) << QString::fromUtf8(c.name) << QByteArray(c.qpsql)
                              << QByteArray(c.qodbc) << QString::fromUtf8(c.why);
}

void TstRowSourceOdbc::documentedDifferences()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, qpsql);
    QFETCH(QByteArray, qodbc);
    QFETCH(QString, why);
    const QByteArray pg = findJsonMember(m_pgPayload, {name}).toByteArray();
    const QByteArray odbc = findJsonMember(m_odbcPayload, {name}).toByteArray();
    QVERIFY2(pg == qpsql, qPrintable(u"QPSQL sent "_s + QString::fromUtf8(pg)));
    QVERIFY2(odbc == qodbc,
             qPrintable(u"QODBC sent %1, documented: %2 (%3)"_s.arg(
                 QString::fromUtf8(odbc), QString::fromUtf8(qodbc), why)));
}

void TstRowSourceOdbc::nullsOfEveryType()
{
    Item item;
    QVERIFY(readOne(m_odbc, u"SELECT * FROM odbc_types WHERE id = 2"_s, &item));
    QVERIFY2(item.isValid(), qPrintable(item.error));
    for (const Column &c : sameColumns)
        QCOMPARE(findJsonMember(item.payload, {QString::fromUtf8(c.name)}).toByteArray(), "null");
    for (const Difference &c : differentColumns)
        QCOMPARE(findJsonMember(item.payload, {QString::fromUtf8(c.name)}).toByteArray(), "null");
}

void TstRowSourceOdbc::valuesWithoutJsonFormAreInvalid_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("qpsql"); ///< the item's error through QPSQL, empty: valid
    QTest::addColumn<QString>("qodbc");
    QTest::newRow("NaN float8") << u"SELECT 'NaN'::float8 AS f"_s
                                << u"column \"f\": NaN is not valid JSON"_s
                                << u"column \"f\": NaN is not valid JSON"_s;
    QTest::newRow("-Infinity real")
        << u"SELECT '-Infinity'::real AS f"_s << u"column \"f\": -infinity is not valid JSON"_s
        << u"column \"f\": -infinity is not valid JSON"_s;
    QTest::newRow("NaN numeric") << u"SELECT 'NaN'::numeric AS n"_s
                                 << u"column \"n\": NaN is not valid JSON"_s
                                 << u"column \"n\": NaN is not valid JSON"_s;
    // Qt turns these into invalid values, which would be sent as null.
    const QString noQtTime
        = u"column \"t\": the ODBC driver sent a date or time that Qt cannot hold (such as "
          "24:00:00, or a local time that does not exist in this computer's time zone); "
          "select the column as text (CAST(... AS varchar))"_s;
    QTest::newRow("time 24:00") << u"SELECT '24:00:00'::time AS t"_s << QString() << noQtTime;
    QTest::newRow("in Berlin's DST gap")
        << u"SELECT '2024-03-31 02:30:00'::timestamp AS t"_s << QString() << noQtTime;
}

void TstRowSourceOdbc::valuesWithoutJsonFormAreInvalid()
{
    QFETCH(QString, sql);
    QFETCH(QString, qpsql);
    QFETCH(QString, qodbc);
    Item item;
    QVERIFY(readOne(m_pg, sql, &item));
    QCOMPARE(item.error, qpsql);
    QVERIFY(readOne(m_odbc, sql, &item));
    QVERIFY(!item.isValid());
    QCOMPARE(item.error, qodbc);
}

void TstRowSourceOdbc::readAll(const QuerySpec &query, int chunkSize, QList<qint64> *ids,
                               QString *serverQuery)
{
    RowSource source(m_odbc, query, chunkSize, {});
    RowSourceRecorder recorder;
    recorder.listen(this, &source);
    source.start();
    source.requestChunk();
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.chunks.isEmpty() || !recorder.errors.isEmpty(), 20000);
    QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(u'\n')));

    // Between two chunks the reader's backend waits inside the cursor psqlODBC declared.
    QList<QVariantList> rows;
    QString error;
    QVERIFY2(PgTestServer::select(u"SELECT query FROM pg_stat_activity WHERE query "
                                  "LIKE 'fetch % in \"SQL_CUR%' AND pid <> pg_backend_pid()"_s,
                                  &rows, &error),
             qPrintable(error));
    QCOMPARE(rows.size(), 1);
    *serverQuery = rows.first().first().toString();

    while (!source.isAtEnd()) {
        QSignalSpy spy(&source, &RowSource::chunkReady);
        source.requestChunk();
        QVERIFY(spy.wait(20000));
    }
    QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(u'\n')));
    for (qsizetype i = 0; i < recorder.chunks.size(); ++i) {
        const RowChunk &chunk = recorder.chunks.at(i);
        if (i + 1 < recorder.chunks.size())
            QCOMPARE(chunk.rows.size(), chunkSize);
        for (const QVariantList &row : chunk.rows)
            ids->append(row.first().toLongLong());
    }
}

void TstRowSourceOdbc::largeResultStreamsInChunks()
{
    QuerySpec query;
    query.sql = u"SELECT id, t FROM odbc_streamed ORDER BY id"_s;
    QList<qint64> ids;
    QString serverQuery;
    readAll(query, 5000, &ids, &serverQuery);
    if (QTest::currentTestFailed())
        return;
    // psqlODBC fetches Fetch rows at a time from its cursor, not the whole result at once.
    QVERIFY2(serverQuery.startsWith(u"fetch %1 in "_s.arg(PsqlOdbcFetchRows)),
             qPrintable(serverQuery));
    QCOMPARE(ids.size(), StreamedRows);
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (ids.at(i) != i + 1)
            QFAIL(qPrintable(u"row %1 has id %2"_s.arg(i).arg(ids.at(i))));
    }
}

void TstRowSourceOdbc::parameterisedQueryStreams()
{
    QuerySpec query;
    query.sql = u"SELECT id, t FROM odbc_streamed WHERE id > :low AND id <= :high "
                "AND t <> :never ORDER BY id"_s;
    query.parameters.insert(u"low"_s, 1000);
    query.parameters.insert(u"high"_s, qint64(StreamedRows) - 1000);
    query.parameters.insert(u"never"_s, u"Zürich"_s);
    QList<qint64> ids;
    QString serverQuery;
    readAll(query, 7000, &ids, &serverQuery);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(serverQuery.startsWith(u"fetch %1 in "_s.arg(PsqlOdbcFetchRows)),
             qPrintable(serverQuery));
    QCOMPARE(ids.size(), StreamedRows - 2000);
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (ids.at(i) != i + 1001)
            QFAIL(qPrintable(u"row %1 has id %2"_s.arg(i).arg(ids.at(i))));
    }
}

int main(int argc, char *argv[])
{
    qputenv("TZ", "Europe/Berlin");
    QCoreApplication app(argc, argv);
    TstRowSourceOdbc test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_rowsource_odbc.moc"
