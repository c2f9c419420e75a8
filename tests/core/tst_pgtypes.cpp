// SPDX-License-Identifier: GPL-3.0-or-later
// PostgreSQL's types through the reader and the transform into the JSON an item sends,
// compared value by value with what the server itself says the value is (its own to_json,
// or its text form); and a parameterised query that streams (the CTest fixture "postgres"
// starts the server). The server runs in America/New_York and this process in Asia/Tokyo.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include "db/rowsource.h"
#include "pgtestserver.h"
#include "rowsourcerecorder.h"
#include "transform/transform.h"
#include "json/jsonreader.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

const QString AppName = u"sluice_tst_pgtypes"_s;
/// temp_bytes counts per database, and other tests share sluice_test (a sort there writes a
/// temporary file too): the streaming check has a database of its own.
const QString TempDatabase = u"sluice_pgtypes_temp"_s;

/// Every column with a value of its own kind, and the SQL that makes the server write the
/// JSON Sluice must send for it. Intervals are spelled out: PostgreSQL has no JSON form of
/// its own for them (to_json writes the session's IntervalStyle).
struct Column
{
    const char *name;
    const char *type;
    const char *value;
    const char *oracle; ///< SQL giving the expected JSON text; %1 is the column
};

const Column columns[] = {
    {"i8", "int8", "9223372036854775807", "to_json(%1)"},
    {"n", "numeric", "12345678901234567890.123450", "to_json(%1)"},
    {"f4", "real", "1.1", "to_json(%1)"},
    {"f8", "float8", "0.30000000000000004", "to_json(%1)"},
    {"u", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "to_json(%1::text)"},
    {"ip", "inet", "'192.168.0.1/24'", "to_json(%1::text)"},
    {"net", "cidr", "'10.1.0.0/16'", "to_json(%1::text)"},
    {"mac", "macaddr", "'08:00:2b:01:02:03'", "to_json(%1::text)"},
    {"feeling", "pgtypes_mood", "'happy'", "to_json(%1::text)"},
    {"pos", "pgtypes_positive", "42", "to_json(%1)"},
    {"d", "date", "'0044-03-15 BC'", "to_json('-0043-03-15'::text)"},
    {"ts", "timestamp", "'2024-03-10 02:30:00.123456'", "to_json(%1)"},
    {"tstz", "timestamptz", "'2024-07-01 12:00:00.000001-04'",
     "to_json(to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))"},
    {"tm", "time", "'23:59:59.999999'", "to_json(%1)"},
    {"ttz", "timetz", "'13:45:00.5+05:30'", "to_json(%1)"},
    {"iv", "interval", "'1 year 2 months 3 days 04:05:06.5'", "to_json('P1Y2M3DT4H5M6.5S'::text)"},
    {"ivneg", "interval", "'-1 day 00:00:01'", "to_json('P-1DT1S'::text)"},
    {"j", "json", "'{\"b\": 12.50, \"a\": [1, \"x\"]}'", "%1::text"},
    {"jb", "jsonb", "'{\"b\": 12.50, \"a\": [1, \"x\"], \"n\": null}'", "%1::text"},
    {"jstr", "jsonb", "'\"just text\"'", "%1::text"},
    {"ia", "int[]", "'{1,NULL,-3}'", "to_json(%1)"},
    {"ta", "text[]", "ARRAY['a \"q\"', NULL, 'NULL', 'Zürich', '{x}']", "to_json(%1)"},
    {"na", "numeric[]", "'{12.50,-0.001}'", "to_json(%1)"},
    {"tsa", "timestamp[]", "ARRAY['2024-01-01 00:00:00.5'::timestamp, NULL]", "to_json(%1)"},
    {"ja", "jsonb[]", "ARRAY['{\"k\": 1.10}'::jsonb, '[]'::jsonb]", "to_json(%1)"},
    {"ea", "pgtypes_mood[]", "'{happy,sad}'", "to_json(%1)"},
    {"ua", "uuid[]", "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'", "to_json(%1)"},
    {"m2", "int[][]", "'{{1,2},{3,4}}'", "to_json(%1)"},
    {"by", "bytea", "'\\x00ff41'", "to_json(encode(%1, 'base64'))"},
};

} // namespace

class TstPgTypes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyTypeKeepsItsValue_data();
    void everyTypeKeepsItsValue();
    void nullsOfEveryType();
    void nonFiniteNumbersAreInvalid();
    void parameterisedQueryStreams();

private:
    /// The row read by a RowSource, and the item the default transform makes of it.
    bool readOne(const QuerySpec &query, ColumnList *columnsOut, QVariantList *row, Item *item);
    qint64 tempBytes();

    ConnectionSettings m_settings;
    QByteArray m_payload;
    QStringList m_oracle; ///< one expected JSON text per column
};

void TstPgTypes::initTestCase()
{
    QString error;
    m_settings = PgTestServer::settings(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_settings.options = u"application_name="_s + AppName;

    QStringList definitions;
    QStringList values;
    QStringList oracle;
    for (const Column &c : columns) {
        definitions.append(QString::fromUtf8(c.name) + u' ' + QString::fromUtf8(c.type));
        values.append(QString::fromUtf8(c.value));
        oracle.append(QString::fromUtf8(c.oracle).replace(u"%1"_s, QString::fromUtf8(c.name))
                      + u"::text"_s);
    }
    QVERIFY2(PgTestServer::exec(
                 {u"DROP TABLE IF EXISTS pgtypes"_s, u"DROP TYPE IF EXISTS pgtypes_mood"_s,
                  u"DROP DOMAIN IF EXISTS pgtypes_positive"_s,
                  u"CREATE TYPE pgtypes_mood AS ENUM ('sad', 'happy')"_s,
                  u"CREATE DOMAIN pgtypes_positive AS int CHECK (VALUE > 0)"_s,
                  u"CREATE TABLE pgtypes (id int, "_s + definitions.join(u", "_s) + u')',
                  u"INSERT INTO pgtypes VALUES (1, "_s + values.join(u", "_s) + u')',
                  u"INSERT INTO pgtypes (id) VALUES (2)"_s,
                  u"DROP DATABASE IF EXISTS "_s + TempDatabase + u" WITH (FORCE)"_s,
                  u"CREATE DATABASE "_s + TempDatabase},
                 &error),
             qPrintable(error));
    QVERIFY2(PgTestServer::exec({u"CREATE TABLE pgtypes_streamed AS SELECT g AS id, "
                                 "md5(g::text) AS t FROM generate_series(1, 400000) g"_s},
                                &error, TempDatabase),
             qPrintable(error));

    QList<QVariantList> rows;
    QVERIFY2(
        PgTestServer::select(u"SELECT "_s + oracle.join(u", "_s) + u" FROM pgtypes WHERE id = 1"_s,
                             &rows, &error),
        qPrintable(error));
    for (const QVariant &v : rows.first())
        m_oracle.append(v.toString());

    QuerySpec query;
    query.sql = u"SELECT * FROM pgtypes WHERE id = :id"_s;
    query.parameters.insert(u"id"_s, 1);
    ColumnList columnList;
    QVariantList row;
    Item item;
    QVERIFY(readOne(query, &columnList, &row, &item));
    QVERIFY2(item.isValid(), qPrintable(item.error));
    m_payload = item.payload;
}

void TstPgTypes::cleanupTestCase()
{
    QString error;
    QVERIFY2(PgTestServer::exec({u"DROP TABLE IF EXISTS pgtypes"_s,
                                 u"DROP TYPE IF EXISTS pgtypes_mood"_s,
                                 u"DROP DOMAIN IF EXISTS pgtypes_positive"_s,
                                 u"DROP DATABASE IF EXISTS "_s + TempDatabase + u" WITH (FORCE)"_s},
                                &error),
             qPrintable(error));
}

bool TstPgTypes::readOne(const QuerySpec &query, ColumnList *columnsOut, QVariantList *row,
                         Item *item)
{
    RowSource source(m_settings, query, 10, {});
    RowSourceRecorder recorder;
    recorder.listen(this, &source);
    source.start();
    source.requestChunk();
    if (!QTest::qWaitFor([&] { return !recorder.chunks.isEmpty() || !recorder.errors.isEmpty(); },
                         20000)
        || !recorder.errors.isEmpty() || recorder.rows().size() != 1) {
        qWarning() << "reading failed:" << recorder.errors;
        return false;
    }
    *columnsOut = recorder.columns;
    *row = recorder.rows().first();
    const std::optional<Transform> transform
        = Transform::compile(TransformSpec {}, QString(), recorder.columns, nullptr);
    if (!transform)
        return false;
    *item = transform->apply(*row, 0);
    return true;
}

void TstPgTypes::everyTypeKeepsItsValue_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    for (qsizetype i = 0; i < qsizetype(std::size(columns)); ++i)
        QTest::newRow(columns[i].name) << QString::fromUtf8(columns[i].name) << m_oracle.value(i);
}

void TstPgTypes::everyTypeKeepsItsValue()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    const QByteArrayView sent = findJsonMember(m_payload, {name});
    QVERIFY2(!sent.isNull(), m_payload.constData());
    const std::optional<QByteArray> want = compactJson(expected.toUtf8());
    QVERIFY2(want, qPrintable(expected));
    QCOMPARE(sent.toByteArray(), *want);
}

void TstPgTypes::nullsOfEveryType()
{
    QuerySpec query;
    query.sql = u"SELECT * FROM pgtypes WHERE id = 2"_s;
    ColumnList columnList;
    QVariantList row;
    Item item;
    QVERIFY(readOne(query, &columnList, &row, &item));
    QVERIFY2(item.isValid(), qPrintable(item.error));
    for (const Column &c : columns)
        QCOMPARE(findJsonMember(item.payload, {QString::fromUtf8(c.name)}).toByteArray(), "null");
}

void TstPgTypes::nonFiniteNumbersAreInvalid()
{
    struct Case
    {
        const char *sql;
        const char *message;
    };
    const Case cases[] = {
        {"SELECT 'NaN'::numeric AS n", "column \"n\": NaN is not valid JSON"},
        {"SELECT '-Infinity'::numeric AS n", "column \"n\": -infinity is not valid JSON"},
        {"SELECT 'Infinity'::float8 AS f", "column \"f\": infinity is not valid JSON"},
        {"SELECT ARRAY[1, 'NaN']::numeric[] AS a",
         "column \"a\": element 2 of the array: NaN is not valid JSON"},
        {"SELECT '{\"a\": 1, \"a\": 2}'::json AS j",
         "column \"j\": holds JSON that Sluice does "
         "not send (line 1, column 10: \"a\" is given "
         "twice in the same object)"},
    };
    for (const Case &c : cases) {
        QuerySpec query;
        query.sql = QString::fromUtf8(c.sql);
        ColumnList columnList;
        QVariantList row;
        Item item;
        QVERIFY2(readOne(query, &columnList, &row, &item), c.sql);
        QVERIFY2(!item.isValid(), c.sql);
        QCOMPARE(item.error, QString::fromUtf8(c.message));
    }
}

qint64 TstPgTypes::tempBytes()
{
    QList<QVariantList> rows;
    QString error;
    // Statistics reach pg_stat_database when a backend flushes them (at the latest a second
    // after its transaction); pg_stat_force_next_flush() does not reach other backends.
    QTest::qWait(1200);
    if (!PgTestServer::select(
            u"SELECT temp_bytes FROM pg_stat_database WHERE datname = '%1'"_s.arg(TempDatabase),
            &rows, &error))
        qFatal("pg_stat_database: %s", qPrintable(error));
    return rows.first().first().toLongLong();
}

void TstPgTypes::parameterisedQueryStreams()
{
    // Qt ran a query with parameters as SQL PREPARE + EXECUTE, and PostgreSQL materialises an
    // EXECUTE's result: beyond work_mem (4 MB) into a temporary file before the first row.
    // The check below sees that file when the same query runs that way:
    const qint64 before = tempBytes();
    QString error;
    QVERIFY2(PgTestServer::exec({u"PREPARE pgtypes_old(int) AS SELECT id, t FROM "
                                 "pgtypes_streamed WHERE id >= $1"_s,
                                 u"EXECUTE pgtypes_old(0)"_s},
                                &error, TempDatabase),
             qPrintable(error));
    const qint64 executed = tempBytes() - before;
    QVERIFY2(executed > 10'000'000, qPrintable(QString::number(executed)));

    // Sluice binds the parameter to a statement of the protocol: rows from the first one on.
    QuerySpec query;
    query.sql = u"SELECT id, t FROM pgtypes_streamed WHERE id >= :low"_s;
    query.parameters.insert(u"low"_s, 0);
    const qint64 start = tempBytes();
    QElapsedTimer clock;
    clock.start();
    ConnectionSettings settings = m_settings;
    settings.database = TempDatabase;
    RowSource source(settings, query, 5000, {});
    RowSourceRecorder recorder;
    recorder.listen(this, &source);
    source.start();
    source.requestChunk();
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.chunks.isEmpty() || !recorder.errors.isEmpty(), 20000);
    QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(u'\n')));
    const qint64 firstChunkMs = clock.elapsed();
    qint64 rows = recorder.chunks.first().rows.size();
    while (!source.isAtEnd()) {
        QSignalSpy spy(&source, &RowSource::chunkReady);
        source.requestChunk();
        QVERIFY(spy.wait(20000));
        rows += recorder.chunks.constLast().rows.size();
    }
    QCOMPARE(rows, 400000);
    const qint64 streamed = tempBytes() - start;
    qInfo("first chunk after %lld ms; temporary files: %lld bytes as EXECUTE, %lld streamed",
          firstChunkMs, executed, streamed);
    QCOMPARE(streamed, 0);
}

int main(int argc, char *argv[])
{
    qputenv("TZ", "Asia/Tokyo");
    QCoreApplication app(argc, argv);
    TstPgTypes test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_pgtypes.moc"
