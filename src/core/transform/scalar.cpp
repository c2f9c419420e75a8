// SPDX-License-Identifier: GPL-3.0-or-later
#include "scalar.h"

#include <charconv>
#include <cmath>

#include <QDate>
#include <QDateTime>
#include <QTime>
#include <QUuid>

#include "types/sourcevalue.h"
#include "util/text.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

template<typename T>
const T &valueOf(const QVariant &value)
{
    return *static_cast<const T *>(value.constData());
}

template<typename Int>
void setInteger(Scalar *s, Int value)
{
    s->setBuffer(Scalar::Kind::Number,
                 std::to_chars(s->buffer, s->buffer + sizeof s->buffer, value).ptr);
}

void setError(Scalar *s, const ColumnInfo &column, const QString &problem)
{
    s->kind = Scalar::Kind::Error;
    s->owned = u"column "_s + quoted(column.name) + u": "_s + problem;
}

void setNonFinite(Scalar *s, const ColumnInfo &column, bool nan, bool negative)
{
    setError(s, column,
             (nan            ? u"NaN"_s
                  : negative ? u"-infinity"_s
                             : u"infinity"_s)
                 + u" is not valid JSON"_s);
}

template<typename Float>
void setReal(Scalar *s, const ColumnInfo &column, Float value)
{
    if (!std::isfinite(value)) {
        setNonFinite(s, column, std::isnan(value), value < 0);
        return;
    }
    qsizetype length;
    if constexpr (std::is_same_v<Float, float>)
        length = JsonWriter::formatFloat(value, s->buffer);
    else
        length = JsonWriter::formatDouble(value, s->buffer);
    s->kind = Scalar::Kind::Real;
    s->length = length;
}

/// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool isJsonNumber(QStringView text)
{
    const auto isDigit = [](QChar c) {
        return c >= u'0' && c <= u'9';
    };
    qsizetype i = 0;
    const qsizetype n = text.size();
    if (i < n && text[i] == u'-')
        ++i;
    if (i >= n || !isDigit(text[i]))
        return false;
    if (text[i] == u'0') {
        ++i;
    } else {
        while (i < n && isDigit(text[i]))
            ++i;
    }
    if (i < n && text[i] == u'.') {
        ++i;
        if (i >= n || !isDigit(text[i]))
            return false;
        while (i < n && isDigit(text[i]))
            ++i;
    }
    if (i < n && (text[i] == u'e' || text[i] == u'E')) {
        ++i;
        if (i < n && (text[i] == u'+' || text[i] == u'-'))
            ++i;
        if (i >= n || !isDigit(text[i]))
            return false;
        while (i < n && isDigit(text[i]))
            ++i;
    }
    return i == n;
}

/// An exact numeric's text ("12.50"): a number literal, or one of PostgreSQL's
/// non-finite values. Returns false when it is neither (it is then written as text).
bool setExactNumber(Scalar *s, const ColumnInfo &column, const QString &text)
{
    if (text == "NaN"_L1) {
        setNonFinite(s, column, true, false);
        return true;
    }
    if (text == "Infinity"_L1 || text == "-Infinity"_L1) {
        setNonFinite(s, column, false, text.startsWith(u'-'));
        return true;
    }
    if (!isJsonNumber(text))
        return false;
    s->kind = Scalar::Kind::Number;
    if (text.size() <= qsizetype(sizeof s->buffer)) {
        std::transform(text.cbegin(), text.cend(), s->buffer,
                       [](QChar c) { return static_cast<char>(c.unicode()); });
        s->length = text.size();
    } else {
        s->bytes = text.toLatin1();
    }
    return true;
}

char *put2(char *p, int value)
{
    p[0] = static_cast<char>('0' + value / 10);
    p[1] = static_cast<char>('0' + value % 10);
    return p + 2;
}

// ISO 8601 numbers years astronomically (1 BC is 0000) and needs a sign outside 0..9999;
// QDate has no year 0.
char *putDate(char *p, QDate date)
{
    int year = 0;
    int month = 0;
    int day = 0;
    date.getDate(&year, &month, &day);
    const int iso = year < 0 ? year + 1 : year;
    if (iso < 0 || iso > 9999)
        *p++ = iso < 0 ? '-' : '+';
    char digits[12];
    const char *end = std::to_chars(digits, digits + sizeof digits, iso < 0 ? -iso : iso).ptr;
    p = std::fill_n(p, std::max<qsizetype>(0, 4 - (end - digits)), '0');
    p = std::copy(static_cast<const char *>(digits), end, p);
    *p++ = '-';
    p = put2(p, month);
    *p++ = '-';
    return put2(p, day);
}

char *putTime(char *p, QTime time)
{
    const int ms = time.msecsSinceStartOfDay();
    p = put2(p, ms / 3600000);
    *p++ = ':';
    p = put2(p, ms / 60000 % 60);
    *p++ = ':';
    p = put2(p, ms / 1000 % 60);
    if (const int fraction = ms % 1000) {
        *p++ = '.';
        *p++ = static_cast<char>('0' + fraction / 100);
        p = put2(p, fraction % 100);
    }
    return p;
}

} // namespace

void toScalar(const QVariant &value, const ColumnInfo &column, Scalar *s)
{
    // A null of any type (the drivers' NULL) first; isNull() is also true when !isValid().
    if (value.isNull()) {
        s->kind = Scalar::Kind::Null;
        return;
    }
    switch (value.typeId()) {
    case QMetaType::Bool:
        s->kind = Scalar::Kind::Bool;
        s->boolean = valueOf<bool>(value);
        return;
    case QMetaType::Int:
        return setInteger(s, valueOf<int>(value));
    case QMetaType::UInt:
        return setInteger(s, valueOf<uint>(value));
    case QMetaType::LongLong:
        return setInteger(s, valueOf<qlonglong>(value));
    case QMetaType::ULongLong:
        return setInteger(s, valueOf<qulonglong>(value));
    case QMetaType::Long:
        return setInteger(s, valueOf<long>(value));
    case QMetaType::ULong:
        return setInteger(s, valueOf<ulong>(value));
    case QMetaType::Short:
        return setInteger(s, valueOf<short>(value));
    case QMetaType::UShort:
        return setInteger(s, valueOf<ushort>(value));
    case QMetaType::Char:
        return setInteger(s, int(valueOf<char>(value)));
    case QMetaType::SChar:
        return setInteger(s, int(valueOf<signed char>(value)));
    case QMetaType::UChar:
        return setInteger(s, int(valueOf<uchar>(value)));
    case QMetaType::Double:
        return setReal(s, column, valueOf<double>(value));
    case QMetaType::Float:
        return setReal(s, column, valueOf<float>(value));
    case QMetaType::QString: {
        const QString &text = valueOf<QString>(value);
        if (column.exactNumeric && setExactNumber(s, column, text))
            return;
        // The drivers decode text as UTF-8 and put U+FFFD where the bytes are not UTF-8
        // (SQLite can hold any bytes in a TEXT value): sending it would change the data
        // without a word. A U+FFFD stored as such cannot be told apart, and is refused too.
        if (const qsizetype bad = text.indexOf(QChar(QChar::ReplacementCharacter)); bad >= 0) {
            setError(s, column,
                     u"not valid UTF-8 at character %1 (bytes that are not UTF-8 text, or "
                     u"U+FFFD, the replacement character): fix the data, or select the "
                     u"column as a binary value (BLOB, bytea) to send it as base64"_s.arg(bad + 1));
            return;
        }
        s->kind = Scalar::Kind::Text;
        s->text = text;
        return;
    }
    case QMetaType::QByteArray:
        s->kind = Scalar::Kind::Ascii;
        s->bytes = valueOf<QByteArray>(value).toBase64();
        return;
    case QMetaType::QDate: {
        const QDate date = valueOf<QDate>(value);
        if (date.isValid())
            s->setBuffer(Scalar::Kind::Ascii, putDate(s->buffer, date));
        return;
    }
    case QMetaType::QTime: {
        const QTime time = valueOf<QTime>(value);
        if (time.isValid())
            s->setBuffer(Scalar::Kind::Ascii, putTime(s->buffer, time));
        return;
    }
    case QMetaType::QDateTime: {
        const QDateTime &dateTime = valueOf<QDateTime>(value);
        if (!dateTime.isValid())
            return;
        // QPSQL hands timestamptz over converted to local time: the instant is right, and
        // only UTC (or an explicit offset) tells it to a reader in another zone.
        const bool zoned = column.timeZoneAware || dateTime.timeSpec() != Qt::LocalTime;
        const QDateTime shown = zoned ? dateTime.toUTC() : dateTime;
        char *p = putDate(s->buffer, shown.date());
        *p++ = 'T';
        p = putTime(p, shown.time());
        if (zoned)
            *p++ = 'Z';
        s->setBuffer(Scalar::Kind::Ascii, p);
        return;
    }
    case QMetaType::QUuid:
        s->kind = Scalar::Kind::Ascii;
        s->bytes = valueOf<QUuid>(value).toByteArray(QUuid::WithoutBraces);
        return;
    case QMetaType::Nullptr:
        return;
    default:
        break;
    }
    if (value.metaType() == QMetaType::fromType<JsonText>()) {
        s->kind = Scalar::Kind::Json;
        s->bytes = valueOf<JsonText>(value).utf8;
        return;
    }
    if (value.metaType() == QMetaType::fromType<ValueError>()) {
        setError(s, column, valueOf<ValueError>(value).message);
        return;
    }
    if (value.canConvert(QMetaType::fromType<QString>())) {
        s->owned = value.toString();
        s->kind = Scalar::Kind::Text;
        s->text = s->owned;
        return;
    }
    setError(s, column,
             u"a value of type "_s + QString::fromLatin1(value.metaType().name())
                 + u" cannot be written as JSON"_s);
}

void writeTyped(JsonWriter &writer, const Scalar &s)
{
    switch (s.kind) {
    case Scalar::Kind::Null:
        writer.writeNull();
        return;
    case Scalar::Kind::Bool:
        writer.writeBool(s.boolean);
        return;
    case Scalar::Kind::Number:
    case Scalar::Kind::Json:
        writer.writeRaw(s.ascii());
        return;
    case Scalar::Kind::Real:
        // 12.0 stays "12.0" so that a REAL column stays recognisably real (as Python does).
        writer.writeRealLiteral(s.ascii());
        return;
    case Scalar::Kind::Ascii:
        writer.writeRaw("\"");
        writer.writeRaw(s.ascii());
        writer.writeRaw("\"");
        return;
    case Scalar::Kind::Text:
        writer.writeString(s.text);
        return;
    case Scalar::Kind::Error:
        return;
    }
}

void writeText(JsonWriter &writer, const Scalar &s)
{
    switch (s.kind) {
    case Scalar::Kind::Null:
    case Scalar::Kind::Error:
        return;
    case Scalar::Kind::Bool:
        writer.writeRaw(s.boolean ? QByteArrayView("true") : QByteArrayView("false"));
        return;
    case Scalar::Kind::Number:
    case Scalar::Kind::Real:
    case Scalar::Kind::Ascii:
        writer.writeRaw(s.ascii());
        return;
    case Scalar::Kind::Text:
        writer.writeEscaped(s.text);
        return;
    case Scalar::Kind::Json:
        // Interpolated into text, a JSON value is its JSON text.
        writer.writeEscaped(QString::fromUtf8(s.bytes));
        return;
    }
}

} // namespace sluice
