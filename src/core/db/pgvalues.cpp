// SPDX-License-Identifier: GPL-3.0-or-later
#include "pgvalues.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <QDateTime>

#include "types/sourcevalue.h"
#include "json/jsonreader.h"
#include "json/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace sluice::pg {

namespace {

template<typename Int>
std::optional<Int> parseInt(QByteArrayView text)
{
    Int value {};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

/// PostgreSQL's spelling of a non-finite float or numeric; nullopt for a finite one.
std::optional<QString> nonFiniteName(QByteArrayView text)
{
    if (text == "NaN")
        return u"NaN"_s;
    if (text == "Infinity")
        return u"infinity"_s;
    if (text == "-Infinity")
        return u"-infinity"_s;
    return std::nullopt;
}

template<typename Float>
std::optional<Float> parseFloat(QByteArrayView text)
{
    Float value {};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

/// An ISO 8601 year: four digits, astronomical (1 BC is 0000), signed outside 0..9999.
void appendIsoYear(QByteArray *out, qint64 year)
{
    if (year < 0 || year > 9999)
        out->append(year < 0 ? '-' : '+');
    const QByteArray digits = QByteArray::number(year < 0 ? -year : year);
    out->append(QByteArray(qMax<qsizetype>(0, 4 - digits.size()), '0'));
    out->append(digits);
}

/// Splits PostgreSQL's " BC" suffix off a date or timestamp.
bool takeBc(QByteArrayView *text)
{
    if (text->endsWith(" BC")) {
        text->chop(3);
        return true;
    }
    return false;
}

/// "2024-01-02" (ISO DateStyle; the year may have more than four digits) as ISO 8601, the
/// year astronomical when bc. Empty when the text is not such a date.
QByteArray isoDate(QByteArrayView date, bool bc)
{
    const qsizetype dash = date.indexOf('-');
    if (dash <= 0)
        return {};
    const std::optional<qint64> year = parseInt<qint64>(date.first(dash));
    if (!year)
        return {};
    QByteArray out;
    appendIsoYear(&out, bc ? 1 - *year : *year);
    out.append(date.sliced(dash));
    return out;
}

/// "+05", "-03:30", "+00:19:32" as "+05:00", "-03:30", "+00:19:32" (RFC 3339 needs minutes).
QByteArray isoOffset(QByteArrayView offset)
{
    QByteArray out = offset.toByteArray();
    if (out.size() == 3)
        out.append(":00");
    return out;
}

/// A timestamptz "2024-01-02 03:04:05.123456+01[:30[:15]][ BC]" as UTC "...Z", every
/// fractional digit kept. Empty when the text is not such a timestamp.
QByteArray utcTimestamp(QByteArrayView text)
{
    const bool bc = takeBc(&text);
    // date ' ' HH:MM:SS[.f] (+|-)hh[:mm[:ss]]
    const qsizetype space = text.indexOf(' ');
    if (space <= 0 || text.size() < space + 9)
        return {};
    const QByteArrayView date = text.first(space);
    QByteArrayView rest = text.sliced(space + 1);
    qsizetype sign = rest.size() - 1;
    while (sign > 0 && rest[sign] != '+' && rest[sign] != '-')
        --sign;
    if (sign < 8)
        return {};
    const QByteArrayView time = rest.first(sign);
    const QByteArrayView offset = rest.sliced(sign + 1);

    const qsizetype dash = date.indexOf('-');
    if (dash <= 0 || date.size() != dash + 6)
        return {};
    const qint64 year = parseInt<qint64>(date.first(dash)).value_or(-1);
    const std::optional<int> month = parseInt<int>(date.sliced(dash + 1, 2));
    const std::optional<int> day = parseInt<int>(date.sliced(dash + 4, 2));
    const std::optional<int> hour = parseInt<int>(time.first(2));
    const std::optional<int> minute = parseInt<int>(time.sliced(3, 2));
    const std::optional<int> second = parseInt<int>(time.sliced(6, 2));
    if (year < 0 || !month || !day || !hour || !minute || !second || year > 1'000'000)
        return {};
    const QByteArrayView fraction = time.sliced(8); // "" or ".123456"

    int offsetSeconds = 0;
    int unit = 3600;
    for (const QByteArrayView part : QByteArrayView(offset).toByteArray().split(':')) {
        const std::optional<int> n = parseInt<int>(part);
        if (!n || unit < 1)
            return {};
        offsetSeconds += *n * unit;
        unit /= 60;
    }
    if (rest[sign] == '-')
        offsetSeconds = -offsetSeconds;

    // QDate has no year 0: 1 BC is -1.
    const QDate qdate(int(bc ? -year : year), *month, *day);
    const QTime qtime(*hour, *minute, *second);
    if (!qdate.isValid() || !qtime.isValid())
        return {};
    const QDateTime utc = QDateTime(qdate, qtime, Qt::UTC).addSecs(-offsetSeconds);
    const int y = utc.date().year();
    QByteArray out;
    appendIsoYear(&out, y < 0 ? y + 1 : y);
    out.append(utc.toString(u"-MM-ddTHH:mm:ss"_s).toLatin1());
    out.append(fraction);
    out.append('Z');
    return out;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/// The date of a day number (civil_from_days).
void civilFromDays(qint64 z, qint64 *y, int *m, int *d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    *d = int(doy - (153 * mp + 2) / 5 + 1);
    *m = int(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/// n fixed digits at text[at], or -1.
int digitsAt(QByteArrayView text, qsizetype at, int n)
{
    if (at + n > text.size())
        return -1;
    int value = 0;
    for (int i = 0; i < n; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

char *put2(char *p, int value)
{
    p[0] = char('0' + value / 10);
    p[1] = char('0' + value % 10);
    return p + 2;
}

/// The common timestamptz "YYYY-MM-DD HH:MM:SS[.f]±hh[:mm[:ss]]" (a four-digit year AD) in
/// UTC, without allocating on the way; empty for any other form (utcTimestamp() reads those).
QString fastUtcTimestamp(QByteArrayView text)
{
    const int year = digitsAt(text, 0, 4);
    const int month = digitsAt(text, 5, 2);
    const int day = digitsAt(text, 8, 2);
    const int hour = digitsAt(text, 11, 2);
    const int minute = digitsAt(text, 14, 2);
    const int second = digitsAt(text, 17, 2);
    if (year < 0 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0 || text[4] != '-'
        || text[10] != ' ' || text.endsWith(" BC"))
        return {};
    qsizetype at = 19;
    const qsizetype fractionStart = at;
    if (at < text.size() && text[at] == '.') {
        ++at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9')
            ++at;
    }
    const QByteArrayView fraction = text.sliced(fractionStart, at - fractionStart);
    if (at >= text.size() || (text[at] != '+' && text[at] != '-'))
        return {};
    const int sign = text[at] == '-' ? -1 : 1;
    int offset = 0;
    int unit = 3600;
    ++at;
    for (;;) {
        const int part = digitsAt(text, at, 2);
        if (part < 0 || unit < 1)
            return {};
        offset += part * unit;
        unit /= 60;
        at += 2;
        if (at == text.size())
            break;
        if (text[at] != ':')
            return {};
        ++at;
    }
    const qint64 seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60
        + second - sign * offset;
    const qint64 days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const int inDay = int(seconds - days * 86400);
    qint64 y = 0;
    int m = 0;
    int d = 0;
    civilFromDays(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        return {};
    char buffer[48];
    char *p = put2(buffer, int(y / 100));
    p = put2(p, int(y % 100));
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p++ = 'T';
    p = put2(p, inDay / 3600);
    *p++ = ':';
    p = put2(p, inDay / 60 % 60);
    *p++ = ':';
    p = put2(p, inDay % 60);
    if (fraction.size() > 20)
        return {};
    p = std::copy(fraction.begin(), fraction.end(), p);
    *p++ = 'Z';
    return QString::fromLatin1(buffer, p - buffer);
}

/// A timestamp whose text needs only its blank turned into a 'T' (a four-digit year AD).
bool isPlainTimestamp(QByteArrayView text)
{
    return text.size() >= 19 && text[4] == '-' && text[10] == ' ' && !text.endsWith(" BC");
}

QByteArray slowTemporalText(Kind kind, QByteArrayView text);

/// The text of a date, time or interval in ISO 8601 form (see Kind); "infinity" and
/// "-infinity" as they are.
QString temporalText(Kind kind, QByteArrayView text)
{
    // The common forms first, straight into the QString.
    switch (kind) {
    case Kind::Date:
    case Kind::Time:
    case Kind::Interval:
        if (!text.endsWith(" BC") && digitsAt(text, 0, 4) >= 0 && text.size() == 10)
            return QString::fromLatin1(text);
        if (kind != Kind::Date)
            return QString::fromLatin1(text);
        break;
    case Kind::Timestamp:
        if (isPlainTimestamp(text)) {
            QString out = QString::fromLatin1(text);
            out[10] = u'T';
            return out;
        }
        break;
    case Kind::TimestampTz:
        if (QString utc = fastUtcTimestamp(text); !utc.isEmpty())
            return utc;
        break;
    default:
        break;
    }
    return QString::fromLatin1(slowTemporalText(kind, text));
}

QByteArray slowTemporalText(Kind kind, QByteArrayView text)
{
    if (text == "infinity" || text == "-infinity")
        return text.toByteArray();
    switch (kind) {
    case Kind::Date: {
        const bool bc = takeBc(&text);
        if (QByteArray date = isoDate(text, bc); !date.isEmpty())
            return date;
        break;
    }
    case Kind::Timestamp: {
        const bool bc = takeBc(&text);
        const qsizetype space = text.indexOf(' ');
        if (space > 0) {
            QByteArray date = isoDate(text.first(space), bc);
            if (!date.isEmpty())
                return date + 'T' + text.sliced(space + 1).toByteArray();
        }
        break;
    }
    case Kind::TimestampTz:
        if (QByteArray utc = utcTimestamp(text); !utc.isEmpty())
            return utc;
        break;
    case Kind::TimeTz: {
        qsizetype sign = text.size() - 1;
        while (sign > 0 && text[sign] != '+' && text[sign] != '-')
            --sign;
        if (sign > 0)
            return text.first(sign).toByteArray() + isoOffset(text.sliced(sign));
        break;
    }
    default:
        break;
    }
    return text.toByteArray(); // time, interval, or a form not foreseen: as the server wrote it
}

/// Why a json value is not sent. PostgreSQL's json type keeps a member name given twice,
/// which receivers read in different ways (the first wins, the last wins, an error): the
/// item is refused rather than sent for the API to pick one.
QString jsonProblem(const JsonSyntaxError &syntax)
{
    return u"holds JSON that Sluice does not send (%1)"_s.arg(syntax.toString());
}

bool isTemporal(Kind kind)
{
    switch (kind) {
    case Kind::Date:
    case Kind::Time:
    case Kind::TimeTz:
    case Kind::Timestamp:
    case Kind::TimestampTz:
    case Kind::Interval:
        return true;
    default:
        return false;
    }
}

/// Writes one array element (not NULL) as JSON; false with *error set when it has no JSON
/// form.
bool writeElement(JsonWriter &writer, Kind kind, QByteArrayView text, QString *error)
{
    switch (kind) {
    case Kind::Bool:
        writer.writeBool(text == "t");
        return true;
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Oid:
    case Kind::Numeric:
        if (const std::optional<QString> name = nonFiniteName(text)) {
            *error = *name + u" is not valid JSON"_s;
            return false;
        }
        writer.writeRaw(text);
        return true;
    case Kind::Float4:
    case Kind::Float8: {
        if (const std::optional<QString> name = nonFiniteName(text)) {
            *error = *name + u" is not valid JSON"_s;
            return false;
        }
        if (kind == Kind::Float4) {
            const std::optional<float> f = parseFloat<float>(text);
            if (!f)
                break;
            char buffer[JsonWriter::MaxNumberLength];
            writer.writeRealLiteral(QByteArrayView(buffer, JsonWriter::formatFloat(*f, buffer)));
            return true;
        }
        const std::optional<double> d = parseFloat<double>(text);
        if (!d)
            break;
        writer.writeReal(*d);
        return true;
    }
    case Kind::Json: {
        JsonSyntaxError syntax;
        const std::optional<QByteArray> compact = compactJson(text, &syntax);
        if (!compact) {
            *error = jsonProblem(syntax);
            return false;
        }
        writer.writeRaw(*compact);
        return true;
    }
    case Kind::Bytea:
        if (!text.startsWith("\\x"))
            break;
        writer.writeRaw("\"");
        writer.writeRaw(QByteArray::fromHex(text.sliced(2).toByteArray()).toBase64());
        writer.writeRaw("\"");
        return true;
    case Kind::Array:
        break;
    default:
        if (isTemporal(kind)) {
            writer.writeString(temporalText(kind, text));
            return true;
        }
        writer.writeString(QString::fromUtf8(text));
        return true;
    }
    *error = u"\""_s + QString::fromUtf8(text) + u"\" cannot be read"_s;
    return false;
}

/// PostgreSQL's array text ("{1,NULL,\"a b\"}", nested braces for more dimensions, an
/// optional "[1:3]=" bounds prefix) as a JSON array.
class ArrayParser
{
public:
    ArrayParser(const Type &type, QByteArrayView text)
        : m_type(type)
        , m_text(text)
    { }

    QVariant parse()
    {
        if (m_text.startsWith('[')) { // explicit bounds: "[0:2]={...}"
            const qsizetype equals = m_text.indexOf('=');
            if (equals < 0)
                return fail(u"the array text cannot be read"_s);
            m_pos = equals + 1;
        }
        QByteArray out;
        out.reserve(m_text.size() + 2);
        JsonWriter writer(&out);
        if (!parseArray(writer))
            return QVariant::fromValue(ValueError {m_error});
        return QVariant::fromValue(JsonText {std::move(out)});
    }

private:
    QVariant fail(const QString &message) { return QVariant::fromValue(ValueError {message}); }

    void skipBlanks()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t'))
            ++m_pos;
    }

    bool expect(char c)
    {
        skipBlanks();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        m_error = u"the array text cannot be read"_s;
        return false;
    }

    bool parseArray(JsonWriter &writer)
    {
        if (!expect('{'))
            return false;
        writer.writeRaw("[");
        skipBlanks();
        if (m_pos < m_text.size() && m_text[m_pos] == '}') {
            ++m_pos;
            writer.writeRaw("]");
            return true;
        }
        for (bool first = true;; first = false) {
            if (!first)
                writer.writeRaw(",");
            ++m_index;
            skipBlanks();
            if (m_pos >= m_text.size())
                return expect('}');
            if (m_text[m_pos] == '{') {
                --m_index;
                if (!parseArray(writer))
                    return false;
            } else if (!parseElement(writer)) {
                return false;
            }
            skipBlanks();
            if (m_pos < m_text.size() && m_text[m_pos] == m_type.delimiter) {
                ++m_pos;
                continue;
            }
            if (!expect('}'))
                return false;
            writer.writeRaw("]");
            return true;
        }
    }

    bool parseElement(JsonWriter &writer)
    {
        QByteArray element;
        if (m_text[m_pos] == '"') {
            ++m_pos;
            for (;;) {
                if (m_pos >= m_text.size()) {
                    m_error = u"the array text cannot be read"_s;
                    return false;
                }
                char c = m_text[m_pos++];
                if (c == '"')
                    break;
                if (c == '\\' && m_pos < m_text.size())
                    c = m_text[m_pos++];
                element.append(c);
            }
        } else {
            const qsizetype start = m_pos;
            while (m_pos < m_text.size() && m_text[m_pos] != m_type.delimiter
                   && m_text[m_pos] != '}')
                ++m_pos;
            QByteArrayView bare = m_text.sliced(start, m_pos - start).trimmed();
            if (bare.compare("NULL", Qt::CaseInsensitive) == 0) {
                writer.writeNull();
                return true;
            }
            element = bare.toByteArray();
        }
        QString problem;
        if (!writeElement(writer, m_type.element, element, &problem)) {
            m_error = u"element %1 of the array: "_s.arg(m_index) + problem;
            return false;
        }
        return true;
    }

    const Type &m_type;
    QByteArrayView m_text;
    qsizetype m_pos = 0;
    qsizetype m_index = 0; ///< 1-based number of the current element, across dimensions
    QString m_error;
};

} // namespace

std::optional<Type> builtinType(unsigned int oid)
{
    const auto array = [](Kind element) {
        return Type {Kind::Array, element, ','};
    };
    switch (oid) {
    case 16:
        return Type {Kind::Bool};
    case 17:
        return Type {Kind::Bytea};
    case 18: // "char"
    case 19: // name
    case 25: // text
    case 1042: // bpchar
    case 1043: // varchar
    case 2950: // uuid
        return Type {Kind::Text};
    case 20:
        return Type {Kind::Int64};
    case 21:
        return Type {Kind::Int16};
    case 23:
        return Type {Kind::Int32};
    case 26:
        return Type {Kind::Oid};
    case 114: // json
    case 3802: // jsonb
        return Type {Kind::Json};
    case 700:
        return Type {Kind::Float4};
    case 701:
        return Type {Kind::Float8};
    case 1082:
        return Type {Kind::Date};
    case 1083:
        return Type {Kind::Time};
    case 1114:
        return Type {Kind::Timestamp};
    case 1184:
        return Type {Kind::TimestampTz};
    case 1186:
        return Type {Kind::Interval};
    case 1266:
        return Type {Kind::TimeTz};
    case 1700:
        return Type {Kind::Numeric};
    case 1000:
        return array(Kind::Bool);
    case 1001:
        return array(Kind::Bytea);
    case 1003: // _name
    case 1009: // _text
    case 1014: // _bpchar
    case 1015: // _varchar
    case 2951: // _uuid
        return array(Kind::Text);
    case 1005:
        return array(Kind::Int16);
    case 1007:
        return array(Kind::Int32);
    case 1016:
        return array(Kind::Int64);
    case 1028:
        return array(Kind::Oid);
    case 1021:
        return array(Kind::Float4);
    case 1022:
        return array(Kind::Float8);
    case 1231:
        return array(Kind::Numeric);
    case 199: // _json
    case 3807: // _jsonb
        return array(Kind::Json);
    case 1182:
        return array(Kind::Date);
    case 1183:
        return array(Kind::Time);
    case 1115:
        return array(Kind::Timestamp);
    case 1185:
        return array(Kind::TimestampTz);
    case 1187:
        return array(Kind::Interval);
    case 1270:
        return array(Kind::TimeTz);
    default:
        return std::nullopt;
    }
}

void describeColumn(const Type &type, ColumnInfo *column)
{
    column->exactNumeric = type.kind == Kind::Numeric;
    column->timeZoneAware = type.kind == Kind::TimestampTz || type.kind == Kind::TimeTz;
    switch (type.kind) {
    case Kind::Bool:
        column->metaTypeId = QMetaType::Bool;
        break;
    case Kind::Int16:
    case Kind::Int32:
        column->metaTypeId = QMetaType::Int;
        break;
    case Kind::Int64:
    case Kind::Oid:
        column->metaTypeId = QMetaType::LongLong;
        break;
    case Kind::Float4:
        column->metaTypeId = QMetaType::Float;
        break;
    case Kind::Float8:
        column->metaTypeId = QMetaType::Double;
        break;
    case Kind::Bytea:
        column->metaTypeId = QMetaType::QByteArray;
        break;
    case Kind::Json:
    case Kind::Array:
        column->metaTypeId = qMetaTypeId<JsonText>();
        break;
    default:
        column->metaTypeId = QMetaType::QString;
        break;
    }
}

QVariant value(const Type &type, QByteArrayView text)
{
    switch (type.kind) {
    case Kind::Bool:
        return QVariant(text == "t");
    case Kind::Int16:
    case Kind::Int32:
        if (const std::optional<int> n = parseInt<int>(text))
            return QVariant(*n);
        break;
    case Kind::Int64:
    case Kind::Oid:
        if (const std::optional<qlonglong> n = parseInt<qlonglong>(text))
            return QVariant(*n);
        break;
    case Kind::Float4:
        if (text == "NaN")
            return QVariant(std::numeric_limits<float>::quiet_NaN());
        if (text == "Infinity" || text == "-Infinity")
            return QVariant(text[0] == '-' ? -std::numeric_limits<float>::infinity()
                                           : std::numeric_limits<float>::infinity());
        if (const std::optional<float> f = parseFloat<float>(text))
            return QVariant(*f);
        break;
    case Kind::Float8:
        if (text == "NaN")
            return QVariant(std::numeric_limits<double>::quiet_NaN());
        if (text == "Infinity" || text == "-Infinity")
            return QVariant(text[0] == '-' ? -std::numeric_limits<double>::infinity()
                                           : std::numeric_limits<double>::infinity());
        if (const std::optional<double> d = parseFloat<double>(text))
            return QVariant(*d);
        break;
    case Kind::Numeric:
        return QVariant(QString::fromLatin1(text));
    case Kind::Json: {
        JsonSyntaxError syntax;
        if (std::optional<QByteArray> compact = compactJson(text, &syntax))
            return QVariant::fromValue(JsonText {std::move(*compact)});
        return QVariant::fromValue(ValueError {jsonProblem(syntax)});
    }
    case Kind::Bytea:
        if (text.startsWith("\\x"))
            return QVariant(QByteArray::fromHex(text.sliced(2).toByteArray()));
        break;
    case Kind::Array:
        return ArrayParser(type, text).parse();
    case Kind::Text:
        return QVariant(QString::fromUtf8(text));
    default:
        if (isTemporal(type.kind))
            return QVariant(temporalText(type.kind, text));
        break;
    }
    return QVariant::fromValue(ValueError {u"the database sent \""_s + QString::fromUtf8(text)
                                           + u"\", which Sluice cannot read"_s});
}

} // namespace sluice::pg
