// SPDX-License-Identifier: GPL-3.0-or-later
// PostgreSQL's text output forms read by type, without a server: the edge cases a table in a
// test database rarely holds (BC dates, offsets with seconds, escaped array elements).
#include <cmath>

#include <QTest>

#include "db/pgvalues.h"
#include "types/sourcevalue.h"

using namespace Qt::StringLiterals;
using namespace sluice;

class TstPgValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerSourceValueTypes(); }
    void temporal_data();
    void temporal();
    void numbers();
    void arrays_data();
    void arrays();
    void json();
    void typesOfOids();
};

void TstPgValues::temporal_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, pg::Kind kind, const char *text, const QString &out) {
        QTest::newRow(name) << int(kind) << QByteArray(text) << out;
    };
    row("date", pg::Kind::Date, "2024-02-29", u"2024-02-29"_s);
    row("date BC: astronomical year", pg::Kind::Date, "0044-03-15 BC", u"-0043-03-15"_s);
    row("1 BC is year 0", pg::Kind::Date, "0001-01-01 BC", u"0000-01-01"_s);
    row("five-digit year", pg::Kind::Date, "12345-06-07", u"+12345-06-07"_s);
    row("date infinity", pg::Kind::Date, "infinity", u"infinity"_s);
    row("timestamp micros", pg::Kind::Timestamp, "2024-01-15 12:00:00.123456",
        u"2024-01-15T12:00:00.123456"_s);
    row("timestamp BC", pg::Kind::Timestamp, "0100-01-01 00:00:00 BC", u"-0099-01-01T00:00:00"_s);
    row("timestamptz to UTC", pg::Kind::TimestampTz, "2024-01-15 12:00:00.000001-05",
        u"2024-01-15T17:00:00.000001Z"_s);
    row("timestamptz across midnight", pg::Kind::TimestampTz, "2024-03-01 01:30:00+05:30",
        u"2024-02-29T20:00:00Z"_s);
    row("timestamptz LMT offset with seconds", pg::Kind::TimestampTz,
        "1850-01-01 00:00:00-04:56:02", u"1850-01-01T04:56:02Z"_s);
    row("timestamptz into the next year", pg::Kind::TimestampTz, "2024-12-31 23:30:00-01",
        u"2025-01-01T00:30:00Z"_s);
    row("timestamptz back into a leap day", pg::Kind::TimestampTz, "2024-03-01 00:30:00+01",
        u"2024-02-29T23:30:00Z"_s);
    row("timestamptz +14 before 2000", pg::Kind::TimestampTz, "2000-01-01 00:00:00.75+14",
        u"1999-12-31T10:00:00.75Z"_s);
    row("timestamptz year 1 into 1 BC", pg::Kind::TimestampTz, "0001-01-01 00:30:00+01",
        u"0000-12-31T23:30:00Z"_s);
    row("timestamptz BC", pg::Kind::TimestampTz, "0044-03-15 12:00:00+00 BC",
        u"-0043-03-15T12:00:00Z"_s);
    row("timestamptz -infinity", pg::Kind::TimestampTz, "-infinity", u"-infinity"_s);
    row("time", pg::Kind::Time, "13:45:01.5", u"13:45:01.5"_s);
    row("timetz hours", pg::Kind::TimeTz, "13:45:00+02", u"13:45:00+02:00"_s);
    row("timetz minutes", pg::Kind::TimeTz, "13:45:00.25-03:30", u"13:45:00.25-03:30"_s);
    row("interval", pg::Kind::Interval, "P1Y2M3DT4H5M6.5S", u"P1Y2M3DT4H5M6.5S"_s);
}

void TstPgValues::temporal()
{
    QFETCH(int, kind);
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const QVariant value = pg::value(pg::Type {pg::Kind(kind)}, text);
    QCOMPARE(value.typeId(), int(QMetaType::QString));
    QCOMPARE(value.toString(), expected);
}

void TstPgValues::numbers()
{
    QCOMPARE(pg::value({pg::Kind::Int64}, "-9223372036854775808").toLongLong(),
             std::numeric_limits<qint64>::min());
    QCOMPARE(pg::value({pg::Kind::Int16}, "-32768").typeId(), int(QMetaType::Int));
    // float4 stays a float: as a double 1.1f would be written 1.100000023841858.
    const QVariant f4 = pg::value({pg::Kind::Float4}, "1.1");
    QCOMPARE(f4.typeId(), int(QMetaType::Float));
    QCOMPARE(f4.toFloat(), 1.1f);
    QCOMPARE(pg::value({pg::Kind::Float8}, "1e-07").toDouble(), 1e-7);
    QVERIFY(std::isnan(pg::value({pg::Kind::Float8}, "NaN").toDouble()));
    QCOMPARE(pg::value({pg::Kind::Float8}, "-Infinity").toDouble(),
             -std::numeric_limits<double>::infinity());
    QCOMPARE(pg::value({pg::Kind::Numeric}, "12.50").toString(), u"12.50"_s);
    QCOMPARE(pg::value({pg::Kind::Bool}, "t").toBool(), true);
    QCOMPARE(pg::value({pg::Kind::Bytea}, "\\x00ff41").toByteArray(),
             QByteArray("\0\xff"
                        "A",
                        3));
    // Text that does not fit its type is an error value, not a silent zero.
    const QVariant bad = pg::value({pg::Kind::Int32}, "12x");
    QCOMPARE(bad.metaType(), QMetaType::fromType<ValueError>());
    QVERIFY(bad.value<ValueError>().message.contains(u"12x"_s));
}

void TstPgValues::arrays_data()
{
    QTest::addColumn<int>("element");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("json"); // empty: an error whose message contains `error`
    QTest::addColumn<QString>("error");
    const auto row = [](const char *name, pg::Kind element, const char *text, const char *json,
                        const QString &error = {}) {
        QTest::newRow(name) << int(element) << QByteArray(text) << QByteArray(json) << error;
    };
    row("integers with NULL", pg::Kind::Int32, "{1,NULL,-3}", "[1,null,-3]");
    row("empty", pg::Kind::Int32, "{}", "[]");
    row("text: quotes, escapes, NULL as text", pg::Kind::Text,
        R"({plain,"with space","q\"uote","back\\slash","NULL",NULL,"{br,ace}"})",
        R"(["plain","with space","q\"uote","back\\slash","NULL",null,"{br,ace}"])");
    row("non-ASCII", pg::Kind::Text, "{Zürich,日本}", "[\"Zürich\",\"日本\"]");
    row("numeric exact", pg::Kind::Numeric, "{12.50,-0.001}", "[12.50,-0.001]");
    row("numeric NaN", pg::Kind::Numeric, "{1,NaN}", "",
        u"element 2 of the array: NaN is not valid JSON"_s);
    row("float8 integral stays real", pg::Kind::Float8, "{12,0.1,1e+100}", "[12.0,0.1,1e+100]");
    row("float8 Infinity", pg::Kind::Float8, "{Infinity}", "", u"infinity is not valid JSON"_s);
    row("float4 shortest", pg::Kind::Float4, "{1.1}", "[1.1]");
    row("bool", pg::Kind::Bool, "{t,f,NULL}", "[true,false,null]");
    row("json elements nested", pg::Kind::Json, R"({"{\"a\": 12.50}","[1, 2]",NULL})",
        R"([{"a":12.50},[1,2],null])");
    row("timestamptz elements in UTC", pg::Kind::TimestampTz,
        R"({"2024-01-15 12:00:00.5+01",NULL})", R"(["2024-01-15T11:00:00.5Z",null])");
    row("bytea as base64", pg::Kind::Bytea, R"({"\\x00ff"})", R"(["AP8="])");
    row("two dimensions", pg::Kind::Int32, "{{1,2},{3,NULL}}", "[[1,2],[3,null]]");
    row("explicit bounds", pg::Kind::Int32, "[0:1]={5,6}", "[5,6]");
    row("broken text", pg::Kind::Int32, "{1,2", "", u"cannot be read"_s);
}

void TstPgValues::arrays()
{
    QFETCH(int, element);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const QVariant value = pg::value(pg::Type {pg::Kind::Array, pg::Kind(element), ','}, text);
    if (json.isEmpty()) {
        QCOMPARE(value.metaType(), QMetaType::fromType<ValueError>());
        QVERIFY2(value.value<ValueError>().message.contains(error),
                 qPrintable(value.value<ValueError>().message));
        return;
    }
    QCOMPARE(value.metaType(), QMetaType::fromType<JsonText>());
    QCOMPARE(value.value<JsonText>().utf8, json);
}

void TstPgValues::json()
{
    // Blank space goes, tokens stay as written: member order, 12.50, escapes.
    const QVariant value
        = pg::value({pg::Kind::Json}, "{\"b\" : 12.50,\n \"a\": [1, 2], \"c\": \"\\u00e9\"}");
    QVERIFY2(value.metaType() == QMetaType::fromType<JsonText>(), qPrintable(value.toString()));
    QCOMPARE(value.value<JsonText>().utf8, QByteArray(R"({"b":12.50,"a":[1,2],"c":"\u00e9"})"));
    QCOMPARE(value.toString(), uR"({"b":12.50,"a":[1,2],"c":"\u00e9"})"_s);
    QCOMPARE(pg::value({pg::Kind::Json}, "\"text\"").value<JsonText>().utf8,
             QByteArray("\"text\""));
    // json (not jsonb) keeps a name given twice; receivers disagree on which one counts.
    const QVariant twice = pg::value({pg::Kind::Json}, R"({"b": 1, "b": 2})");
    QCOMPARE(twice.metaType(), QMetaType::fromType<ValueError>());
    QVERIFY2(twice.value<ValueError>().message.contains(u"\"b\" is given twice"_s),
             qPrintable(twice.value<ValueError>().message));
}

void TstPgValues::typesOfOids()
{
    QCOMPARE(pg::builtinType(3802)->kind, pg::Kind::Json); // jsonb
    QCOMPARE(pg::builtinType(1185)->kind, pg::Kind::Array); // timestamptz[]
    QCOMPARE(pg::builtinType(1185)->element, pg::Kind::TimestampTz);
    QVERIFY(!pg::builtinType(869)); // inet: asked of the catalogue, read as text
    ColumnInfo column;
    pg::describeColumn({pg::Kind::Numeric}, &column);
    QVERIFY(column.exactNumeric);
    pg::describeColumn({pg::Kind::TimeTz}, &column);
    QVERIFY(column.timeZoneAware && !column.exactNumeric);
}

QTEST_GUILESS_MAIN(TstPgValues)
#include "tst_pgvalues.moc"
