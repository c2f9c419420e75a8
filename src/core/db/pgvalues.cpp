// SPDX-License-Identifier: GPL-3.0-or-later
#include "pgvalues.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "db/pgtime.h"
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

/// A float or double from its text, PostgreSQL's NaN and infinities included (the writer
/// refuses those, naming the column).
template<typename Float>
std::optional<Float> parseFloat(QByteArrayView text)
{
    if (text == "NaN")
        return std::numeric_limits<Float>::quiet_NaN();
    if (text == "Infinity" || text == "-Infinity")
        return text[0] == '-' ? -std::numeric_limits<Float>::infinity()
                              : std::numeric_limits<Float>::infinity();
    Float value {};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
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
        if (const std::optional<float> f = parseFloat<float>(text))
            return QVariant(*f);
        break;
    case Kind::Float8:
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
