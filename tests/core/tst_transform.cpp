// SPDX-License-Identifier: GPL-3.0-or-later
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <thread>

#include <QJsonArray>
#include <QJsonDocument>
#include <QPoint>
#include <QTest>
#include <QTimeZone>
#include <QUrl>
#include <QUuid>

#include "transform/transform.h"
#include "json/jsonreader.h"
#include "json/jsonwriter.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double Inf = std::numeric_limits<double>::infinity();

ColumnList columnsNamed(const QStringList &names)
{
    ColumnList columns;
    for (const QString &name : names)
        columns.append(ColumnInfo {.name = name});
    return columns;
}

/// A template as TransferSpec keeps it: compact, every token as written.
QByteArray parseValue(QByteArrayView json)
{
    JsonSyntaxError error;
    const std::optional<QByteArray> compact = compactJson(json, &error);
    if (!compact)
        qWarning("template does not parse: %s", qPrintable(error.toString()));
    return compact.value_or(QByteArray());
}

TransformSpec templateSpec(const QByteArray &templ, const QString &key = {})
{
    TransformSpec spec;
    spec.present = true;
    spec.key = key;
    spec.templ = templ;
    return spec;
}

QStringList errorTexts(const QList<SpecError> &errors)
{
    QStringList texts;
    for (const SpecError &error : errors)
        texts.append(error.path + u": "_s + error.message);
    return texts;
}

bool isJson(const QByteArray &payload)
{
    QJsonParseError error;
    QJsonDocument::fromJson("[" + payload + "]", &error);
    return error.error == QJsonParseError::NoError;
}

QVariant nullOf(QMetaType type)
{
    return QVariant(type);
}

} // namespace

class TstTransform : public QObject
{
    Q_OBJECT

private slots:
    void idempotencyKey();
    void initTestCase();

    void formatDouble_data();
    void formatDouble();
    void jsonWriter_data();
    void jsonWriter();
    void jsonWriterSequence();
    void jsonWriterLongString();

    void value_data();
    void value();
    void templates_data();
    void templates();
    void noTransform();
    void key_data();
    void key();
    void url_data();
    void url();
    void wrongRowSize();
    void compileErrors_data();
    void compileErrors();
    void referencedColumns_data();
    void referencedColumns();
    void concurrentApply();

    void benchmarkApply_data();
    void benchmarkApply();
};

void TstTransform::initTestCase()
{
    // A fixed local zone (UTC+05:30, no DST) so that local-time conversions are known.
    qputenv("TZ", "IST-05:30");
    tzset();
    QCOMPARE(QDateTime(QDate(2024, 1, 2), QTime(10, 0), Qt::LocalTime).offsetFromUtc(), 19800);
}

// ---------------------------------------------------------------------------------------
// JsonWriter

void TstTransform::formatDouble_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("0") << 0.0 << "0"_ba;
    QTest::newRow("-0") << -0.0 << "-0"_ba;
    QTest::newRow("0.1") << 0.1 << "0.1"_ba;
    QTest::newRow("0.1+0.2") << 0.1 + 0.2 << "0.30000000000000004"_ba;
    QTest::newRow("1") << 1.0 << "1"_ba;
    QTest::newRow("12") << 12.0 << "12"_ba;
    QTest::newRow("-1.5") << -1.5 << "-1.5"_ba;
    QTest::newRow("100") << 100.0 << "100"_ba;
    QTest::newRow("123456.789") << 123456.789 << "123456.789"_ba;
    QTest::newRow("2^53") << 9007199254740992.0 << "9007199254740992"_ba;
    QTest::newRow("1e20") << 1e20 << "100000000000000000000"_ba;
    QTest::newRow("1e21") << 1e21 << "1e+21"_ba;
    QTest::newRow("-1.5e300") << -1.5e300 << "-1.5e+300"_ba;
    QTest::newRow("1e-6") << 1e-6 << "0.000001"_ba;
    QTest::newRow("1e-7") << 1e-7 << "1e-7"_ba;
    QTest::newRow("1.5e-7") << 1.5e-7 << "1.5e-7"_ba;
    QTest::newRow("denormal min") << 5e-324 << "5e-324"_ba;
    QTest::newRow("max") << std::numeric_limits<double>::max() << "1.7976931348623157e+308"_ba;
    QTest::newRow("NaN") << NaN << "NaN"_ba;
    QTest::newRow("Infinity") << Inf << "Infinity"_ba;
    QTest::newRow("-Infinity") << -Inf << "-Infinity"_ba;
}

void TstTransform::formatDouble()
{
    QFETCH(double, value);
    QFETCH(QByteArray, expected);

    const QByteArray text = JsonWriter::formatDouble(value);
    QCOMPARE(text, expected);
    if (std::isfinite(value)) {
        // Round trip: the very same double, sign of zero included.
        bool ok = false;
        const double back = text.toDouble(&ok);
        QVERIFY(ok);
        QVERIFY(std::memcmp(&back, &value, sizeof value) == 0);
    }
}

void TstTransform::jsonWriter_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("result");

    const auto row = [](const char *name, const QString &call, const QVariant &value,
                        const QByteArray &expected, bool result = true) {
        QTest::newRow(name) << call << value << expected << result;
    };
    row("null", u"null"_s, {}, "null"_ba);
    row("true", u"bool"_s, true, "true"_ba);
    row("false", u"bool"_s, false, "false"_ba);
    row("integer 0", u"integer"_s, qint64(0), "0"_ba);
    row("integer -1", u"integer"_s, qint64(-1), "-1"_ba);
    row("integer min", u"integer"_s, std::numeric_limits<qint64>::min(), "-9223372036854775808"_ba);
    row("integer max", u"integer"_s, std::numeric_limits<qint64>::max(), "9223372036854775807"_ba);
    row("unsigned max", u"unsigned"_s, std::numeric_limits<quint64>::max(),
        "18446744073709551615"_ba);
    row("double 0.1", u"double"_s, 0.1, "0.1"_ba);
    row("double 12", u"double"_s, 12.0, "12"_ba);
    row("double 1e21", u"double"_s, 1e21, "1e+21"_ba);
    row("double NaN", u"double"_s, NaN, ""_ba, false);
    row("double -inf", u"double"_s, -Inf, ""_ba, false);
    row("string empty", u"string"_s, u""_s, "\"\""_ba);
    row("string plain", u"string"_s, u"abc"_s, "\"abc\""_ba);
    row("string quote backslash slash", u"string"_s, u"a\"b\\c/d"_s, R"("a\"b\\c/d")"_ba);
    row("string short escapes", u"string"_s, u"\b\f\n\r\t"_s, R"("\b\f\n\r\t")"_ba);
    row("string controls", u"string"_s, QString(QChar(0) + u"\x01\x1f"_s),
        R"("\u0000\u0001\u001f")"_ba);
    row("string del", u"string"_s, u"\x7f"_s, "\"\x7f\""_ba);
    row("string Zürich", u"string"_s, u"Zürich"_s, "\"Z\xc3\xbcrich\""_ba);
    row("string CJK", u"string"_s, u"東京"_s, "\"\xe6\x9d\xb1\xe4\xba\xac\""_ba);
    row("string emoji", u"string"_s, u"😀"_s, "\"\xf0\x9f\x98\x80\""_ba);
    row("string lone surrogate", u"string"_s, QString(QChar(0xd800) + u"x"_s),
        "\"\xef\xbf\xbdx\""_ba);
    row("escaped", u"escaped"_s, u"a\"\n"_s, R"(a\"\n)"_ba);
    row("raw", u"raw"_s, "[1,2]"_ba, "[1,2]"_ba);
}

void TstTransform::jsonWriter()
{
    QFETCH(QString, call);
    QFETCH(QVariant, value);
    QFETCH(QByteArray, expected);
    QFETCH(bool, result);

    // The writer appends: what was in the buffer stays.
    QByteArray out = "<"_ba;
    JsonWriter writer(&out);
    bool ok = true;
    if (call == u"null"_s)
        writer.writeNull();
    else if (call == u"bool"_s)
        writer.writeBool(value.toBool());
    else if (call == u"integer"_s)
        writer.writeInteger(value.toLongLong());
    else if (call == u"unsigned"_s)
        writer.writeUnsigned(value.toULongLong());
    else if (call == u"double"_s)
        ok = writer.writeDouble(value.toDouble());
    else if (call == u"string"_s)
        writer.writeString(value.toString());
    else if (call == u"escaped"_s)
        writer.writeEscaped(value.toString());
    else if (call == u"raw"_s)
        writer.writeRaw(value.toByteArray());
    else
        QFAIL("unknown call");
    QCOMPARE(ok, result);
    QCOMPARE(out, "<" + expected);
}

void TstTransform::jsonWriterSequence()
{
    QByteArray out;
    JsonWriter writer(&out);
    writer.writeRaw("{");
    writer.writeString(u"a"_s);
    writer.writeRaw(":[");
    writer.writeInteger(1);
    writer.writeRaw(",");
    writer.writeDouble(2.5);
    writer.writeRaw(",");
    writer.writeNull();
    writer.writeRaw("],");
    writer.writeString(u"b"_s);
    writer.writeRaw(":\"x");
    writer.writeEscaped(u"\"y\""_s);
    writer.writeRaw("\"}");
    QCOMPARE(out, R"({"a":[1,2.5,null],"b":"x\"y\""})"_ba);
    QVERIFY(isJson(out));
}

void TstTransform::jsonWriterLongString()
{
    // Longer than the writer's escape block, with a surrogate pair across the block edge;
    // nothing in it needs escaping, so QString::toUtf8 is an independent oracle.
    const QString text
        = QString(2047, u'a') + u"😀"_s + QString(3000, u'é') + u"東"_s + QString(5000, u'b');
    QByteArray out;
    JsonWriter(&out).writeString(text);
    QCOMPARE(out, '"' + text.toUtf8() + '"');

    // Many escapes in a long string.
    const QString controls(5000, QChar(1));
    QByteArray escaped;
    JsonWriter(&escaped).writeString(controls);
    QCOMPARE(escaped.size(), 5000 * 6 + 2);
    QVERIFY(escaped.startsWith("\"\\u0001\\u0001"));
    QCOMPARE(QJsonDocument::fromJson("[" + escaped + "]").array().at(0).toString(), controls);
}

// ---------------------------------------------------------------------------------------
// Values, typed and interpolated

void TstTransform::value_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<bool>("timeZoneAware");
    QTest::addColumn<bool>("exactNumeric");
    QTest::addColumn<QByteArray>("typed"); ///< the payload for the template "{{c}}"
    QTest::addColumn<QByteArray>("text"); ///< JSON string content inside "<{{ c }}>"
    QTest::addColumn<QString>("error"); ///< both ways Invalid with this error

    const auto row = [](const char *name, const QVariant &value, const QByteArray &typed,
                        const QByteArray &text) {
        QTest::newRow(name) << value << false << false << typed << text << QString();
    };
    const auto zoned = [](const char *name, const QVariant &value, const QByteArray &typed,
                          const QByteArray &text) {
        QTest::newRow(name) << value << true << false << typed << text << QString();
    };
    const auto exact = [](const char *name, const QVariant &value, const QByteArray &typed,
                          const QByteArray &text) {
        QTest::newRow(name) << value << false << true << typed << text << QString();
    };
    const auto invalid = [](const char *name, const QVariant &value, const QString &error,
                            bool exactNumeric = false) {
        QTest::newRow(name) << value << false << exactNumeric << QByteArray() << QByteArray()
                            << error;
    };

    // NULLs of several types, and values that are empty but not NULL
    row("null invalid", QVariant(), "null"_ba, ""_ba);
    row("null int", nullOf(QMetaType::fromType<int>()), "null"_ba, ""_ba);
    row("null bool", nullOf(QMetaType::fromType<bool>()), "null"_ba, ""_ba);
    row("null double", nullOf(QMetaType::fromType<double>()), "null"_ba, ""_ba);
    row("null string", nullOf(QMetaType::fromType<QString>()), "null"_ba, ""_ba);
    row("null bytes", nullOf(QMetaType::fromType<QByteArray>()), "null"_ba, ""_ba);
    row("null date", nullOf(QMetaType::fromType<QDate>()), "null"_ba, ""_ba);
    row("null datetime", nullOf(QMetaType::fromType<QDateTime>()), "null"_ba, ""_ba);
    row("nullptr", QVariant::fromValue(nullptr), "null"_ba, ""_ba);
    row("empty string", QVariant(u""_s), "\"\""_ba, ""_ba);
    row("default QString", QVariant(QString()), "\"\""_ba, ""_ba);
    row("empty blob", QVariant(QByteArray("")), "\"\""_ba, ""_ba);

    // booleans and integers
    row("true", true, "true"_ba, "true"_ba);
    row("false", false, "false"_ba, "false"_ba);
    row("int", 42, "42"_ba, "42"_ba);
    row("int negative", -7, "-7"_ba, "-7"_ba);
    row("uint", 4000000000u, "4000000000"_ba, "4000000000"_ba);
    row("INT64_MIN", std::numeric_limits<qlonglong>::min(), "-9223372036854775808"_ba,
        "-9223372036854775808"_ba);
    row("INT64_MAX", std::numeric_limits<qlonglong>::max(), "9223372036854775807"_ba,
        "9223372036854775807"_ba);
    row("UINT64_MAX", std::numeric_limits<qulonglong>::max(), "18446744073709551615"_ba,
        "18446744073709551615"_ba);
    row("short", QVariant::fromValue(short(-3)), "-3"_ba, "-3"_ba);
    row("ushort", QVariant::fromValue(ushort(65535)), "65535"_ba, "65535"_ba);
    row("char", QVariant::fromValue('A'), "65"_ba, "65"_ba);
    row("signed char", QVariant::fromValue<signed char>(-5), "-5"_ba, "-5"_ba);
    row("uchar", QVariant::fromValue(uchar(200)), "200"_ba, "200"_ba);
    row("long", QVariant::fromValue(-123456789012L), "-123456789012"_ba, "-123456789012"_ba);
    row("ulong", QVariant::fromValue(123456789012UL), "123456789012"_ba, "123456789012"_ba);

    // reals: shortest round trip; typed keeps a ".0" so that a REAL stays a real
    row("0.1", 0.1, "0.1"_ba, "0.1"_ba);
    row("-0.0", -0.0, "-0.0"_ba, "-0"_ba);
    row("1e-7", 1e-7, "1e-7"_ba, "1e-7"_ba);
    row("1e21", 1e21, "1e+21"_ba, "1e+21"_ba);
    row("1e20", 1e20, "100000000000000000000.0"_ba, "100000000000000000000"_ba);
    row("12.0", 12.0, "12.0"_ba, "12"_ba);
    row("0.1+0.2", 0.1 + 0.2, "0.30000000000000004"_ba, "0.30000000000000004"_ba);
    row("float 0.1", 0.1f, "0.1"_ba, "0.1"_ba);
    row("float 3", 3.0f, "3.0"_ba, "3"_ba);
    invalid("NaN", NaN, uR"(column "c": NaN is not valid JSON)"_s);
    invalid("Infinity", Inf, uR"(column "c": infinity is not valid JSON)"_s);
    invalid("-Infinity", -Inf, uR"(column "c": -infinity is not valid JSON)"_s);
    invalid("float NaN", std::numeric_limits<float>::quiet_NaN(),
            uR"(column "c": NaN is not valid JSON)"_s);

    // text escaping
    row("quote backslash slash", u"a\"b\\c/d"_s, R"("a\"b\\c/d")"_ba, R"(a\"b\\c/d)"_ba);
    row("newline tab", u"1\n2\t3\r4"_s, R"("1\n2\t3\r4")"_ba, R"(1\n2\t3\r4)"_ba);
    row("backspace formfeed", u"\b\f"_s, R"("\b\f")"_ba, R"(\b\f)"_ba);
    row("controls", QString(QChar(0) + u"\x01\x1f"_s), R"("\u0000\u0001\u001f")"_ba,
        R"(\u0000\u0001\u001f)"_ba);
    row("del", u"\x7f"_s, "\"\x7f\""_ba, "\x7f"_ba);
    row("Zürich", u"Zürich"_s, "\"Z\xc3\xbcrich\""_ba, "Z\xc3\xbcrich"_ba);
    row("CJK", u"東京"_s, "\"\xe6\x9d\xb1\xe4\xba\xac\""_ba, "\xe6\x9d\xb1\xe4\xba\xac"_ba);
    row("emoji", u"a😀b"_s,
        "\"a\xf0\x9f\x98\x80"
        "b\""_ba,
        "a\xf0\x9f\x98\x80"
        "b"_ba);
    row("lone surrogate", QString(QChar(0xdc00)), "\"\xef\xbf\xbd\""_ba, "\xef\xbf\xbd"_ba);
    // A driver's replacement for bytes that are not UTF-8: refused, never sent as if it were
    // the data.
    invalid("replacement character", u"Z\uFFFDrich"_s,
            uR"(column "c": not valid UTF-8 at character 2 (bytes that are not UTF-8 text, or )"
            uR"(U+FFFD, the replacement character): fix the data, or select the column as a )"
            uR"(binary value (BLOB, bytea) to send it as base64)"_s);

    // blobs as standard base64
    row("blob", QByteArray("\x00\x01\xfe\xff", 4), "\"AAH+/w==\""_ba, "AAH+/w=="_ba);
    row("blob text", QByteArray("hello"), "\"aGVsbG8=\""_ba, "aGVsbG8="_ba);

    // dates and times
    row("date", QDate(2024, 2, 29), "\"2024-02-29\""_ba, "2024-02-29"_ba);
    row("date year 1", QDate(1, 1, 1), "\"0001-01-01\""_ba, "0001-01-01"_ba);
    row("date year 10000", QDate(10000, 1, 1), "\"+10000-01-01\""_ba, "+10000-01-01"_ba);
    row("date 44 BC", QDate(-44, 3, 15), "\"-0043-03-15\""_ba, "-0043-03-15"_ba);
    row("date invalid", QDate(), "null"_ba, ""_ba);
    row("time", QTime(13, 5, 9), "\"13:05:09\""_ba, "13:05:09"_ba);
    row("time msec", QTime(13, 5, 9, 7), "\"13:05:09.007\""_ba, "13:05:09.007"_ba);
    row("time last msec", QTime(23, 59, 59, 999), "\"23:59:59.999\""_ba, "23:59:59.999"_ba);
    row("time midnight", QTime(0, 0), "\"00:00:00\""_ba, "00:00:00"_ba);
    row("time invalid", QTime(), "null"_ba, ""_ba);
    const QDate day(2024, 1, 2);
    row("datetime naive", QDateTime(day, QTime(10, 0), Qt::LocalTime), "\"2024-01-02T10:00:00\""_ba,
        "2024-01-02T10:00:00"_ba);
    row("datetime naive msec", QDateTime(day, QTime(10, 0, 0, 250), Qt::LocalTime),
        "\"2024-01-02T10:00:00.250\""_ba, "2024-01-02T10:00:00.250"_ba);
    zoned("datetime local, zone-aware column", QDateTime(day, QTime(10, 0), Qt::LocalTime),
          "\"2024-01-02T04:30:00Z\""_ba, "2024-01-02T04:30:00Z"_ba);
    zoned("datetime local, zone-aware, day before",
          QDateTime(day, QTime(2, 0, 0, 5), Qt::LocalTime), "\"2024-01-01T20:30:00.005Z\""_ba,
          "2024-01-01T20:30:00.005Z"_ba);
    row("datetime UTC", QDateTime(day, QTime(10, 0), Qt::UTC), "\"2024-01-02T10:00:00Z\""_ba,
        "2024-01-02T10:00:00Z"_ba);
    row("datetime +05:30", QDateTime(day, QTime(10, 0), Qt::OffsetFromUTC, 19800),
        "\"2024-01-02T04:30:00Z\""_ba, "2024-01-02T04:30:00Z"_ba);
    row("datetime -08:00", QDateTime(day, QTime(20, 0), Qt::OffsetFromUTC, -8 * 3600),
        "\"2024-01-03T04:00:00Z\""_ba, "2024-01-03T04:00:00Z"_ba);
    row("datetime QTimeZone +01:00", QDateTime(day, QTime(10, 0), QTimeZone(3600)),
        "\"2024-01-02T09:00:00Z\""_ba, "2024-01-02T09:00:00Z"_ba);
    row("datetime invalid", QDateTime(), "null"_ba, ""_ba);

    // exact numerics (numeric under QSql::HighPrecision) arrive as text
    exact("exact 12.50", u"12.50"_s, "12.50"_ba, "12.50"_ba);
    exact("exact -0.001", u"-0.001"_s, "-0.001"_ba, "-0.001"_ba);
    exact("exact 1.5e10", u"1.5e10"_s, "1.5e10"_ba, "1.5e10"_ba);
    exact("exact 0", u"0"_s, "0"_ba, "0"_ba);
    const QString longNumber = u"-123456789012345678901234567890.123456789012345678901234567890"_s;
    exact("exact long", longNumber, longNumber.toLatin1(), longNumber.toLatin1());
    exact("exact not a number", u"12.5x"_s, "\"12.5x\""_ba, "12.5x"_ba);
    exact("exact leading zero", u"012"_s, "\"012\""_ba, "012"_ba);
    exact("exact as double", 12.5, "12.5"_ba, "12.5"_ba);
    invalid("exact NaN", u"NaN"_s, uR"(column "c": NaN is not valid JSON)"_s, true);
    invalid("exact Infinity", u"Infinity"_s, uR"(column "c": infinity is not valid JSON)"_s, true);
    invalid("exact -Infinity", u"-Infinity"_s, uR"(column "c": -infinity is not valid JSON)"_s,
            true);
    row("inexact text 12.50", u"12.50"_s, "\"12.50\""_ba, "12.50"_ba);
    row("inexact text NaN", u"NaN"_s, "\"NaN\""_ba, "NaN"_ba);

    // other types
    row("uuid", QUuid(u"{67c8770b-44f1-410a-ab9a-f9b5446f13ee}"_s),
        "\"67c8770b-44f1-410a-ab9a-f9b5446f13ee\""_ba, "67c8770b-44f1-410a-ab9a-f9b5446f13ee"_ba);
    row("url (via toString)", QUrl(u"http://x/a b"_s), "\"http://x/a b\""_ba, "http://x/a b"_ba);
    invalid("point (no text form)", QPoint(1, 2),
            uR"(column "c": a value of type QPoint cannot be written as JSON)"_s);
}

void TstTransform::value()
{
    QFETCH(QVariant, value);
    QFETCH(bool, timeZoneAware);
    QFETCH(bool, exactNumeric);
    QFETCH(QByteArray, typed);
    QFETCH(QByteArray, text);
    QFETCH(QString, error);

    const ColumnList columns {
        ColumnInfo {.name = u"c"_s, .timeZoneAware = timeZoneAware, .exactNumeric = exactNumeric}};
    QList<SpecError> errors;
    const auto typedTransform
        = Transform::compile(templateSpec(R"("{{c}}")"), {}, columns, &errors);
    const auto textTransform
        = Transform::compile(templateSpec(R"("<{{ c }}>")"), {}, columns, &errors);
    QVERIFY(typedTransform);
    QVERIFY(textTransform);
    QVERIFY(errors.isEmpty());

    const Item typedItem = typedTransform->apply({value}, 4);
    const Item textItem = textTransform->apply({value}, 4);
    QCOMPARE(typedItem.id, qint64(4));
    QCOMPARE(typedItem.key, u"5"_s);
    QCOMPARE(typedItem.error, error);
    QCOMPARE(textItem.error, error);
    if (!error.isEmpty()) {
        QVERIFY(!typedItem.isValid());
        QVERIFY(typedItem.payload.isEmpty());
        QVERIFY(textItem.payload.isEmpty());
        QCOMPARE(typedItem.key, u"5"_s); // the key still identifies the row
        return;
    }
    QCOMPARE(typedItem.payload, typed);
    QCOMPARE(textItem.payload, "\"<" + text + ">\"");
    QVERIFY(isJson(typedItem.payload));
    QVERIFY(isJson(textItem.payload));
    QVERIFY(typedItem.url.isEmpty());
}

// ---------------------------------------------------------------------------------------
// Templates

void TstTransform::templates_data()
{
    QTest::addColumn<QByteArray>("templ");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QVariantList>("row");
    QTest::addColumn<QByteArray>("expected");

    const QStringList sensor {u"id"_s, u"name"_s, u"lat"_s, u"lon"_s, u"site"_s, u"n"_s};
    const QVariantList sensorRow {7, u"Pump \"3\""_s, 52.5, 13.0, u"Zürich"_s, QVariant()};

    QTest::newRow("nested objects and arrays")
        << R"({"id":"{{id}}","location":{"lat":"{{lat}}","lon":"{{lon}}"},
              "label":"{{site}} / {{name}}","tags":["{{name}}",1,true,null,"x",["{{id}}"]]})"_ba
        << sensor << sensorRow
        << "{\"id\":7,\"location\":{\"lat\":52.5,\"lon\":13.0},\"label\":\"Z\xc3\xbcrich / "
           "Pump \\\"3\\\"\",\"tags\":[\"Pump \\\"3\\\"\",1,true,null,\"x\",[7]]}"_ba;
    QTest::newRow("literals copied")
        << R"({"i":42,"neg":-7,"big":9007199254740993,"r":1.5,"e":1e300,"t":true,"f":false,
              "n":null,"s":"plain","b1":"{x}","b2":"a { b } c","b3":"}}","b4":"{ {x} }",
              "empty":"","obj":{},"arr":[]})"_ba
        << sensor << sensorRow
        << R"({"i":42,"neg":-7,"big":9007199254740993,"r":1.5,"e":1e300,"t":true,"f":false,)"
           R"("n":null,"s":"plain","b1":"{x}","b2":"a { b } c","b3":"}}","b4":"{ {x} }",)"
           R"("empty":"","obj":{},"arr":[]})"_ba;
    QTest::newRow("keys keep their order")
        << R"({"b":1,"a":2,"C":3})"_ba << sensor << sensorRow << R"({"b":1,"a":2,"C":3})"_ba;
    // A data tool moves data exactly: what the steward wrote reaches the API as written.
    QTest::newRow("literals as written")
        << R"({"value": 12.50, "id": "{{id}}", "zeta": 1, "alpha": 2,
              "huge": 123456789012345678901234567890, "price": 1.10, "x": -0.0, "y": 1E+2,
              "u": "caf\u00e9 \/"})"_ba
        << sensor << sensorRow
        << R"({"value":12.50,"id":7,"zeta":1,"alpha":2,"huge":123456789012345678901234567890,)"
           R"("price":1.10,"x":-0.0,"y":1E+2,"u":"caf\u00e9 \/"})"_ba;
    QTest::newRow("placeholder with spaces")
        << R"({"a":"{{ id }}","b":"{{id  }}","c":" {{id}}","d":"{{ id }}{{id}}"})"_ba << sensor
        << sensorRow << R"({"a":7,"b":7,"c":" 7","d":"77"})"_ba;
    QTest::newRow("escapes in literal text") << R"({"q":"say \"{{id}}\"\n\t\\"})"_ba << sensor
                                             << sensorRow << R"({"q":"say \"7\"\n\t\\"})"_ba;
    QTest::newRow("non-ASCII keys and text")
        << "{\"city\":\"Z\xc3\xbcrich {{id}}\",\"\xe5\x90\x8d\":\"\xe6\x9d\xb1\"}"_ba << sensor
        << sensorRow << "{\"city\":\"Z\xc3\xbcrich 7\",\"\xe5\x90\x8d\":\"\xe6\x9d\xb1\"}"_ba;
    QTest::newRow("keys are not interpolated")
        << R"({"{{id}}":"{{id}}"})"_ba << sensor << sensorRow << R"({"{{id}}":7})"_ba;
    QTest::newRow("null typed and interpolated") << R"({"a":"{{n}}","b":"[{{n}}]"})"_ba << sensor
                                                 << sensorRow << R"({"a":null,"b":"[]"})"_ba;
    QTest::newRow("same column twice") << R"({"a":"{{id}}","b":"{{id}}-{{id}}"})"_ba << sensor
                                       << sensorRow << R"({"a":7,"b":"7-7"})"_ba;
    QTest::newRow("root string typed")
        << R"("{{name}}")"_ba << sensor << sensorRow << R"("Pump \"3\"")"_ba;
    QTest::newRow("root string interpolated")
        << R"("#{{id}}")"_ba << sensor << sensorRow << R"("#7")"_ba;
    QTest::newRow("root array") << R"(["{{id}}","{{lat}}"])"_ba << sensor << sensorRow
                                << R"([7,52.5])"_ba;
    QTest::newRow("root literal") << "42"_ba << sensor << sensorRow << "42"_ba;
    QTest::newRow("root null") << "null"_ba << sensor << sensorRow << "null"_ba;
    QTest::newRow("case-insensitive match")
        << R"({"id":"{{id}}","name":"{{name}}"})"_ba << QStringList {u"ID"_s, u"Name"_s}
        << QVariantList {1, u"x"_s} << R"({"id":1,"name":"x"})"_ba;
    QTest::newRow("exact match wins over case")
        << R"({"v":"{{Name}}"})"_ba << QStringList {u"name"_s, u"Name"_s}
        << QVariantList {u"lower"_s, u"upper"_s} << R"({"v":"upper"})"_ba;
    QTest::newRow("duplicate column not used")
        << R"({"a":"{{a}}"})"_ba << QStringList {u"a"_s, u"x"_s, u"x"_s} << QVariantList {1, 2, 3}
        << R"({"a":1})"_ba;
}

void TstTransform::templates()
{
    QFETCH(QByteArray, templ);
    QFETCH(QStringList, columns);
    QFETCH(QVariantList, row);
    QFETCH(QByteArray, expected);

    const QByteArray value = parseValue(templ);
    QVERIFY(!value.isEmpty());
    QList<SpecError> errors;
    const auto transform
        = Transform::compile(templateSpec(value), {}, columnsNamed(columns), &errors);
    QCOMPARE(errorTexts(errors), QStringList());
    QVERIFY(transform);
    QCOMPARE(transform->columns(), columnsNamed(columns));
    const Item item = transform->apply(row, 0);
    QCOMPARE(item.error, QString());
    QCOMPARE(item.payload, expected);
    QVERIFY(isJson(item.payload));
}

void TstTransform::noTransform()
{
    const ColumnList columns = columnsNamed({u"z"_s, u"a"_s, u"m"_s, u"we\"ird"_s});
    const QVariantList row {1, u"x"_s, QVariant(), 2.0};
    const QByteArray expected = R"({"z":1,"a":"x","m":null,"we\"ird":2.0})"_ba;

    // No transform at all, and a transform with a key but an undefined template.
    TransformSpec withKey;
    withKey.present = true;
    withKey.key = u"{{a}}"_s;
    withKey.templ.clear();
    for (const TransformSpec &spec : {TransformSpec(), withKey}) {
        const auto transform = Transform::compile(spec, {}, columns, nullptr);
        QVERIFY(transform);
        const Item item = transform->apply(row, 9);
        QCOMPARE(item.error, QString());
        QCOMPARE(item.payload, expected);
        QCOMPARE(item.key, spec.key.isEmpty() ? u"10"_s : u"x"_s);
    }

    // Without columns, a row is an empty object (and a default Transform is just that).
    const auto empty = Transform::compile(TransformSpec(), {}, {}, nullptr);
    QVERIFY(empty);
    QCOMPARE(empty->apply({}, 0).payload, "{}"_ba);
    QCOMPARE(Transform().apply({}, 0).payload, "{}"_ba);
}

void TstTransform::key_data()
{
    QTest::addColumn<QString>("keyTemplate");
    QTest::addColumn<QString>("expectedKey");
    QTest::addColumn<QString>("error");

    QTest::newRow("default: 1-based row number") << QString() << u"42"_s << QString();
    QTest::newRow("column") << u"{{id}}"_s << u"7"_s << QString();
    QTest::newRow("text around") << u"{{site}}/{{ id }}"_s << u"Zürich/7"_s << QString();
    QTest::newRow("null is empty") << u"{{n}}x"_s << u"x"_s << QString();
    QTest::newRow("real in shortest form") << u"{{r}}"_s << u"12"_s << QString();
    QTest::newRow("bool") << u"{{b}}"_s << u"true"_s << QString();
    QTest::newRow("datetime") << u"{{when}}"_s << u"2024-01-02T10:00:00Z"_s << QString();
    QTest::newRow("constant") << u"const"_s << u"const"_s << QString();
    QTest::newRow("NaN") << u"k{{nan}}"_s << u"42"_s
                         << uR"(transform.key: column "nan": NaN is not valid JSON)"_s;
}

void TstTransform::key()
{
    QFETCH(QString, keyTemplate);
    QFETCH(QString, expectedKey);
    QFETCH(QString, error);

    const ColumnList columns
        = columnsNamed({u"id"_s, u"site"_s, u"n"_s, u"r"_s, u"b"_s, u"when"_s, u"nan"_s});
    const QVariantList row {7,    u"Zürich"_s, QVariant(),
                            12.0, true,        QDateTime(QDate(2024, 1, 2), QTime(10, 0), Qt::UTC),
                            NaN};
    const auto transform = Transform::compile(
        templateSpec(parseValue(R"({"id":"{{id}}"})"), keyTemplate), {}, columns, nullptr);
    QVERIFY(transform);
    const Item item = transform->apply(row, 41);
    QCOMPARE(item.key, expectedKey);
    QCOMPARE(item.error, error);
    QCOMPARE(item.payload, error.isEmpty() ? R"({"id":7})"_ba : QByteArray());
}

void TstTransform::url_data()
{
    QTest::addColumn<QString>("urlTemplate");
    QTest::addColumn<bool>("hasUrlTemplate");
    QTest::addColumn<QString>("expectedUrl");
    QTest::addColumn<QString>("error");

    QTest::newRow("no placeholders") << u"http://127.0.0.1/x"_s << false << QString() << QString();
    QTest::newRow("id") << u"http://127.0.0.1/x/{{id}}"_s << true << u"http://127.0.0.1/x/7"_s
                        << QString();
    QTest::newRow("percent-encoding") << u"http://127.0.0.1/x/{{id}}?n={{ name }}"_s << true
                                      << u"http://127.0.0.1/x/7?n=a%2Fb%20c%3F%26"_s << QString();
    QTest::newRow("non-ASCII") << u"http://127.0.0.1/{{city}}"_s << true
                               << u"http://127.0.0.1/Z%C3%BCrich"_s << QString();
    QTest::newRow("datetime") << u"http://127.0.0.1/{{when}}"_s << true
                              << u"http://127.0.0.1/2024-01-02T10%3A00%3A00Z"_s << QString();
    QTest::newRow("real") << u"http://127.0.0.1/{{r}}"_s << true << u"http://127.0.0.1/0.5"_s
                          << QString();
    QTest::newRow("NULL") << u"http://127.0.0.1/{{id}}/{{n}}"_s << true << QString()
                          << uR"(target.url: column "n" is NULL)"_s;
}

void TstTransform::url()
{
    QFETCH(QString, urlTemplate);
    QFETCH(bool, hasUrlTemplate);
    QFETCH(QString, expectedUrl);
    QFETCH(QString, error);

    const ColumnList columns
        = columnsNamed({u"id"_s, u"name"_s, u"city"_s, u"n"_s, u"when"_s, u"r"_s});
    const QVariantList row {7,
                            u"a/b c?&"_s,
                            u"Zürich"_s,
                            QVariant(),
                            QDateTime(QDate(2024, 1, 2), QTime(10, 0), Qt::UTC),
                            0.5};
    const auto transform = Transform::compile(templateSpec(parseValue(R"({"id":"{{id}}"})")),
                                              urlTemplate, columns, nullptr);
    QVERIFY(transform);
    QCOMPARE(transform->hasUrlTemplate(), hasUrlTemplate);
    const Item item = transform->apply(row, 0);
    QCOMPARE(item.url, expectedUrl);
    QCOMPARE(item.error, error);
    QCOMPARE(item.payload, error.isEmpty() ? R"({"id":7})"_ba : QByteArray());
    QCOMPARE(item.key, u"1"_s);
}

void TstTransform::wrongRowSize()
{
    const auto transform
        = Transform::compile(TransformSpec(), {}, columnsNamed({u"a"_s, u"b"_s}), nullptr);
    QVERIFY(transform);
    for (const QVariantList &row : {QVariantList {1}, QVariantList {1, 2, 3}, QVariantList {}}) {
        const Item item = transform->apply(row, 3);
        QVERIFY(!item.isValid());
        QCOMPARE(item.error,
                 u"the row has %1 values, but the query returns 2 columns"_s.arg(row.size()));
        QVERIFY(item.payload.isEmpty());
        QCOMPARE(item.key, u"4"_s);
        QCOMPARE(item.id, qint64(3));
    }
}

// ---------------------------------------------------------------------------------------
// Compiling

void TstTransform::compileErrors_data()
{
    QTest::addColumn<bool>("present");
    QTest::addColumn<QByteArray>("templ");
    QTest::addColumn<QString>("keyTemplate");
    QTest::addColumn<QString>("urlTemplate");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QStringList>("errors");

    const QStringList sensor {u"id"_s, u"name"_s, u"latitude"_s};
    const QString unknown = u"the query returns no column \"%1\" (columns: id, name, latitude)"_s;

    QTest::newRow("unknown column in nested template")
        << true << R"({"location":{"lat":"{{latitud}}"}})"_ba << QString() << QString() << sensor
        << QStringList {u"transform.template.location.lat: "_s + unknown.arg(u"latitud"_s)};
    QTest::newRow("unknown column in array")
        << true << R"({"tags":["x","{{nope}}"]})"_ba << QString() << QString() << sensor
        << QStringList {u"transform.template.tags[1]: "_s + unknown.arg(u"nope"_s)};
    QTest::newRow("unknown column in interpolated text")
        << true << R"({"label":"{{name}} / {{ nope }}"})"_ba << QString() << QString() << sensor
        << QStringList {u"transform.template.label: "_s + unknown.arg(u"nope"_s)};
    QTest::newRow("unknown column at the root")
        << true << R"("{{nope}}")"_ba << QString() << QString() << sensor
        << QStringList {u"transform.template: "_s + unknown.arg(u"nope"_s)};
    QTest::newRow("unknown column in key")
        << false << QByteArray() << u"{{ident}}"_s << QString() << sensor
        << QStringList {u"transform.key: "_s + unknown.arg(u"ident"_s)};
    QTest::newRow("unknown column in url")
        << false << QByteArray() << QString() << u"http://127.0.0.1/{{ident}}"_s << sensor
        << QStringList {u"target.url: "_s + unknown.arg(u"ident"_s)};
    QTest::newRow("all errors, in order")
        << true << R"({"x":"{{c}}"})"_ba << u"{{a}}"_s << u"http://127.0.0.1/{{b}}"_s << sensor
        << QStringList {u"transform.key: "_s + unknown.arg(u"a"_s),
                        u"transform.template.x: "_s + unknown.arg(u"c"_s),
                        u"target.url: "_s + unknown.arg(u"b"_s)};
    QTest::newRow("no columns") << true << R"({"x":"{{c}}"})"_ba << QString() << QString()
                                << QStringList()
                                << QStringList {uR"(transform.template.x: the query returns no )"
                                                uR"(column "c" (it returns no columns))"_s};
    QStringList many;
    for (int i = 1; i <= 25; ++i)
        many.append(u"c"_s + QString::number(i));
    QTest::newRow("many columns")
        << true << R"({"x":"{{c0}}"})"_ba << QString() << QString() << many
        << QStringList {u"transform.template.x: the query returns no column \"c0\" (columns: "_s
                        + many.mid(0, 20).join(u", "_s) + u", ...)"_s};

    const QString duplicate = u"the query returns 2 columns named \"id\": give them distinct "
                              u"names with AS in the query (for example \"b.id AS b_id\")"_s;
    QTest::newRow("duplicate column used") << true << R"({"a":"{{id}}"})"_ba << QString()
                                           << QString() << QStringList {u"id"_s, u"name"_s, u"id"_s}
                                           << QStringList {u"transform.template.a: "_s + duplicate};
    QTest::newRow("duplicate column in key")
        << false << QByteArray() << u"{{id}}"_s << QString() << QStringList {u"id"_s, u"id"_s}
        << QStringList {u"transform.key: "_s + duplicate, u"query.sql: "_s + duplicate};
    QTest::newRow("duplicate column without transform")
        << false << QByteArray() << QString() << QString() << QStringList {u"id"_s, u"id"_s}
        << QStringList {u"query.sql: "_s + duplicate};
    QTest::newRow("ambiguous by case")
        << true << R"({"a":"{{name}}"})"_ba << QString() << QString()
        << QStringList {u"Name"_s, u"NAME"_s}
        << QStringList {
               uR"(transform.template.a: the query returns no column "name", and )"
               uR"(several differ from it only in case (Name, NAME): use the exact name)"_s};

    QTest::newRow("unclosed placeholder")
        << true << R"({"a":"x {{id"})"_ba << QString() << QString() << sensor
        << QStringList {uR"(transform.template.a: unclosed placeholder "{{id")"_s};
    QTest::newRow("empty placeholder")
        << true << R"({"a":"{{ }}"})"_ba << QString() << QString() << sensor
        << QStringList {uR"(transform.template.a: empty placeholder "{{ }}")"_s};
    QTest::newRow("brace in placeholder")
        << true << R"({"a":"{{{id}}}"})"_ba << QString() << QString() << sensor
        << QStringList {uR"(transform.template.a: invalid placeholder "{{{id}}": a column name )"
                        uR"(cannot contain { or })"_s};
    QTest::newRow("malformed in url")
        << false << QByteArray() << QString() << u"http://127.0.0.1/{{}}"_s << sensor
        << QStringList {uR"(target.url: empty placeholder "{{}}")"_s};
}

void TstTransform::compileErrors()
{
    QFETCH(bool, present);
    QFETCH(QByteArray, templ);
    QFETCH(QString, keyTemplate);
    QFETCH(QString, urlTemplate);
    QFETCH(QStringList, columns);
    QFETCH(QStringList, errors);

    TransformSpec spec;
    spec.present = present;
    spec.key = keyTemplate;
    if (present)
        spec.templ = parseValue(templ);
    QList<SpecError> found {SpecError {u"before"_s, u"kept"_s}};
    const auto transform = Transform::compile(spec, urlTemplate, columnsNamed(columns), &found);
    QVERIFY(!transform);
    QCOMPARE(errorTexts(found), QStringList {u"before: kept"_s} + errors);
    // A null error list is allowed.
    QVERIFY(!Transform::compile(spec, urlTemplate, columnsNamed(columns), nullptr));
}

void TstTransform::referencedColumns_data()
{
    QTest::addColumn<bool>("present");
    QTest::addColumn<QByteArray>("templ");
    QTest::addColumn<QString>("keyTemplate");
    QTest::addColumn<QString>("urlTemplate");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("key, template, url; each once")
        << true << R"({"y":["{{c}}"],"x":"{{b}} {{ a }}"})"_ba << u"{{a}}-{{a}}"_s
        << u"http://127.0.0.1/{{d}}/{{b}}"_s << QStringList {u"a"_s, u"c"_s, u"b"_s, u"d"_s};
    QTest::newRow("malformed skipped") << true << R"({"x":"{{}} {{e}} {{{f}}} {{g"})"_ba
                                       << QString() << QString() << QStringList {u"e"_s};
    QTest::newRow("template ignored when not present")
        << false << R"({"x":"{{t}}"})"_ba << u"{{k}}"_s << u"{{u}}"_s
        << QStringList {u"k"_s, u"u"_s};
    QTest::newRow("none") << true << R"({"x":1,"y":"text"})"_ba << QString()
                          << u"http://127.0.0.1/"_s << QStringList();
}

void TstTransform::referencedColumns()
{
    QFETCH(bool, present);
    QFETCH(QByteArray, templ);
    QFETCH(QString, keyTemplate);
    QFETCH(QString, urlTemplate);
    QFETCH(QStringList, expected);

    TransformSpec spec;
    spec.present = present;
    spec.key = keyTemplate;
    spec.templ = parseValue(templ);
    QCOMPARE(Transform::referencedColumns(spec, urlTemplate), expected);
}

void TstTransform::concurrentApply()
{
    const ColumnList columns = columnsNamed({u"id"_s, u"name"_s, u"v"_s});
    const auto transform = Transform::compile(
        templateSpec(parseValue(R"({"id":"{{id}}","t":"{{name}}:{{v}}"})"), u"{{id}}"_s),
        u"http://127.0.0.1/{{name}}"_s, columns, nullptr);
    QVERIFY(transform);
    const auto rowFor = [](int i) {
        return QVariantList {i, u"n%1"_s.arg(i), i * 0.5};
    };
    constexpr int Rows = 2000;
    QList<QByteArray> expected;
    for (int i = 0; i < Rows; ++i)
        expected.append(transform->apply(rowFor(i), i).payload);

    // Two threads share one Transform (and a copy of it); results must not differ.
    QList<QByteArray> first(Rows);
    QList<QByteArray> second(Rows);
    const Transform copy = *transform;
    std::thread a([&] {
        for (int i = 0; i < Rows; ++i)
            first[i] = transform->apply(rowFor(i), i).payload;
    });
    std::thread b([&] {
        for (int i = 0; i < Rows; ++i)
            second[i] = copy.apply(rowFor(i), i).payload;
    });
    a.join();
    b.join();
    QCOMPARE(first, expected);
    QCOMPARE(second, expected);
    QCOMPARE(expected.at(3), R"({"id":3,"t":"n3:1.5"})"_ba);
}

// ---------------------------------------------------------------------------------------
// Speed (reported, not asserted)

void TstTransform::benchmarkApply_data()
{
    QTest::addColumn<bool>("withTemplate");
    QTest::newRow("8 columns, no transform") << false;
    QTest::newRow("8 columns, template + key + url") << true;
}

void TstTransform::benchmarkApply()
{
    QFETCH(bool, withTemplate);

    ColumnList columns = columnsNamed({u"id"_s, u"name"_s, u"value"_s, u"count"_s, u"active"_s,
                                       u"created"_s, u"note"_s, u"amount"_s});
    columns[5].timeZoneAware = true;
    columns[7].exactNumeric = true;
    TransformSpec spec;
    if (withTemplate) {
        spec = templateSpec(parseValue(R"json({"id":"{{id}}","name":"{{name}}",
            "reading":{"value":"{{value}}","count":"{{count}}"},"active":"{{active}}",
            "created":"{{created}}","label":"{{name}} ({{note}})","amount":"{{amount}}"})json"),
                            u"{{id}}"_s);
    }
    const QString url = withTemplate ? u"http://127.0.0.1/doc/{{id}}"_s : QString();
    const auto transform = Transform::compile(spec, url, columns, nullptr);
    QVERIFY(transform);

    constexpr int Rows = 1000;
    QList<QVariantList> rows;
    for (int i = 0; i < Rows; ++i) {
        rows.append(QVariantList {qlonglong(1000000 + i), u"sensor-%1"_s.arg(i), 20.25 + i, i % 97,
                                  i % 2 == 0,
                                  QDateTime(QDate(2024, 1, 2), QTime(10, 0, i % 60), Qt::UTC),
                                  u"Zürich \"north\""_s, u"12.50"_s});
    }
    qsizetype bytes = 0;
    QBENCHMARK
    {
        for (int i = 0; i < Rows; ++i)
            bytes += transform->apply(rows.at(i), i).payload.size();
    }
    QVERIFY(bytes > 0);
    QVERIFY(transform->apply(rows.at(0), 0).isValid());
}

void TstTransform::idempotencyKey()
{
    const ColumnList columns = columnsNamed({u"id"_s, u"name"_s});
    const auto transform = Transform::compile(templateSpec(R"({"id":"{{id}}"})"), {}, columns,
                                              nullptr, u"row-{{id}}/{{name}}"_s);
    QVERIFY(transform);
    Item item = transform->apply({7, u"Zürich"_s}, 6);
    QVERIFY2(item.isValid(), qPrintable(item.error));
    QCOMPARE(item.idempotencyKey, u"row-7/Zürich"_s.toUtf8());
    QCOMPARE(item.payload, QByteArray(R"({"id":7})"));

    // What cannot be a header value makes the item invalid, naming the field.
    item = transform->apply({8, QVariant()}, 7);
    QCOMPARE(item.error, u"target.idempotencyKey: column \"name\" is NULL"_s);
    QVERIFY(item.payload.isEmpty());
    item = transform->apply({9, u"a\nb"_s}, 8);
    QCOMPARE(item.error,
             u"target.idempotencyKey: the value contains a control character such as a line "
             u"break"_s);
    const auto whole = Transform::compile(templateSpec(R"({"id":"{{id}}"})"), {}, columns, nullptr,
                                          u"{{name}}"_s);
    QVERIFY(whole);
    QCOMPARE(whole->apply({1, u" "_s}, 0).error, u"target.idempotencyKey: the value is empty"_s);

    // None configured: no key. An unknown column is a compile error at its path.
    QCOMPARE(Transform::compile(templateSpec(R"({})"), {}, columns, nullptr)
                 ->apply({1, u"x"_s}, 0)
                 .idempotencyKey,
             QByteArray());
    QList<SpecError> errors;
    QVERIFY(!Transform::compile(templateSpec(R"({})"), {}, columns, &errors, u"{{nope}}"_s));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().path, u"target.idempotencyKey"_s);
}

QTEST_APPLESS_MAIN(TstTransform)
#include "tst_transform.moc"
