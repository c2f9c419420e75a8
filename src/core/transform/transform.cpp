// SPDX-License-Identifier: GPL-3.0-or-later
#include "transform.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include <QDate>
#include <QDateTime>
#include <QTime>
#include <QUrl>
#include <QUuid>

#include "spec/placeholders.h"
#include "util/text.h"
#include "json/jsonreader.h"
#include "json/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

// How many column names an "unknown column" message lists before it says "...".
constexpr qsizetype MaxListedColumns = 20;

// ---------------------------------------------------------------------------------------
// Placeholders

struct Piece
{
    QStringView text; ///< literal text, or the (trimmed) column name
    bool isColumn = false;
};

/// Splits text into literal runs and placeholders (findPlaceholders: the same rules and
/// messages as TransferSpec's validation). Malformed placeholders are returned as problems
/// and left in the literal text.
QStringList splitPlaceholders(QStringView text, QList<Piece> *pieces)
{
    QList<Placeholder> found;
    const QStringList problems = findPlaceholders(text, &found);
    qsizetype literalStart = 0;
    for (const Placeholder &placeholder : std::as_const(found)) {
        if (placeholder.start > literalStart)
            pieces->append({text.sliced(literalStart, placeholder.start - literalStart), false});
        pieces->append({placeholder.name, true});
        literalStart = placeholder.start + placeholder.length;
    }
    if (literalStart < text.size())
        pieces->append({text.sliced(literalStart), false});
    return problems;
}

void collectColumns(QStringView text, QStringList *names)
{
    QList<Piece> pieces;
    splitPlaceholders(text, &pieces);
    for (const Piece &piece : std::as_const(pieces)) {
        if (piece.isColumn && !names->contains(piece.text))
            names->append(piece.text.toString());
    }
}

// ---------------------------------------------------------------------------------------
// Values

/// One column value, converted once and then written typed, as JSON string content, or
/// as plain text. Numbers, dates and times are formatted into the inline buffer so that the
/// common types cost no allocation.
struct Scalar
{
    enum class Kind : quint8 {
        Null,
        Bool,
        Number, ///< ascii() is a JSON number literal, written as it is
        Real, ///< ascii() is a double in shortest form; typed output may add ".0"
        Ascii, ///< ascii() is text needing no escapes (dates, base64, UUIDs)
        Text, ///< text (needs escaping)
        Error, ///< owned holds the message
    };
    Kind kind = Kind::Null;
    bool boolean = false;
    qsizetype length = 0;
    char buffer[48];
    QByteArray bytes; ///< Ascii/Number text too long or already allocated (base64)
    QStringView text; ///< Text: a view into the row's value, or into owned
    QString owned;

    QByteArrayView ascii() const
    {
        return bytes.isNull() ? QByteArrayView(buffer, length) : QByteArrayView(bytes);
    }
    void setBuffer(Kind k, const char *end)
    {
        kind = k;
        length = end - buffer;
    }
};

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
    }
}

} // namespace

// ---------------------------------------------------------------------------------------
// Compiler

class Transform::Compiler
{
public:
    Compiler(Transform *transform, QList<SpecError> *errors)
        : m_transform(transform)
        , m_errors(errors)
    { }

    bool failed() const { return m_failed; }

    void error(const QString &path, const QString &message)
    {
        m_failed = true;
        if (m_errors)
            m_errors->append({path, message});
    }

    /// The index of the column `name` refers to, or -1 after reporting why there is none.
    int resolve(QStringView name, const QString &path)
    {
        const ColumnList &columns = m_transform->m_columns;
        int exact = -1;
        int exactCount = 0;
        QStringList folded;
        int foldedIndex = -1;
        for (qsizetype i = 0; i < columns.size(); ++i) {
            if (columns.at(i).name == name) {
                if (exactCount++ == 0)
                    exact = int(i);
            } else if (name.compare(columns.at(i).name, Qt::CaseInsensitive) == 0) {
                folded.append(columns.at(i).name);
                foldedIndex = int(i);
            }
        }
        if (exactCount == 1)
            return exact;
        if (exactCount > 1) {
            error(path, duplicateMessage(name, exactCount));
            return -1;
        }
        if (folded.size() == 1)
            return foldedIndex;
        if (folded.size() > 1) {
            error(path,
                  u"the query returns no column "_s + quoted(name)
                      + u", and several differ from it only in case ("_s + folded.join(u", "_s)
                      + u"): use the exact name"_s);
            return -1;
        }
        error(path,
              u"the query returns no column "_s + quoted(name) + u" ("_s + columnList() + u')');
        return -1;
    }

    static QString duplicateMessage(QStringView name, int count)
    {
        const QString n = name.toString();
        return u"the query returns %1 columns named %2: give them distinct names with AS in "
               u"the query (for example \"b.%3 AS b_%3\")"_s.arg(count)
                   .arg(quoted(n), n);
    }

    QString columnList() const
    {
        const ColumnList &columns = m_transform->m_columns;
        if (columns.isEmpty())
            return u"it returns no columns"_s;
        QStringList names;
        for (qsizetype i = 0; i < columns.size() && i < MaxListedColumns; ++i)
            names.append(columns.at(i).name);
        if (columns.size() > MaxListedColumns)
            names.append(u"..."_s);
        return u"columns: "_s + names.join(u", "_s);
    }

    void literal(QByteArrayView bytes)
    {
        QByteArray &literals = m_transform->m_literals;
        QList<JsonOp> &ops = m_transform->m_ops;
        if (!ops.isEmpty() && ops.constLast().kind == JsonOp::Kind::Literal)
            ops.last().length += bytes.size();
        else
            ops.append({JsonOp::Kind::Literal, -1, literals.size(), bytes.size()});
        literals.append(bytes);
    }

    void column(JsonOp::Kind kind, int column) { m_transform->m_ops.append({kind, column, 0, 0}); }

    void jsonString(QStringView text)
    {
        QByteArray json;
        JsonWriter(&json).writeString(text);
        literal(json);
    }

    /// The template, every token as written: member names, numbers, true/false/null and
    /// strings without placeholders are copied byte for byte; strings with placeholders
    /// become typed values or interpolated text.
    void templ(QByteArrayView json, const QString &path)
    {
        JsonReader reader(json);
        reader.next();
        if (!value(reader, path) || reader.next() != JsonReader::Token::End)
            error(path, u"not valid JSON: "_s + reader.error().toString());
    }

    /// The value whose first token the reader is at; false on a syntax error.
    bool value(JsonReader &reader, const QString &path)
    {
        using Token = JsonReader::Token;
        switch (reader.token()) {
        case Token::String:
            string(reader.text(), reader.raw(), path);
            return true;
        case Token::BeginObject:
            literal("{");
            for (bool first = true;; first = false) {
                const Token token = reader.next();
                if (token == Token::EndObject)
                    break;
                if (token != Token::Key)
                    return false;
                if (!first)
                    literal(",");
                literal(reader.raw());
                literal(":");
                const QString name = reader.text();
                reader.next();
                if (!value(reader, joinPath(path, name)))
                    return false;
            }
            literal("}");
            return true;
        case Token::BeginArray:
            literal("[");
            for (int index = 0;; ++index) {
                if (reader.next() == Token::EndArray)
                    break;
                if (index > 0)
                    literal(",");
                if (!value(reader, path + u'[' + QString::number(index) + u']'))
                    return false;
            }
            literal("]");
            return true;
        case Token::Number:
        case Token::True:
        case Token::False:
        case Token::Null:
            literal(reader.raw());
            return true;
        case Token::Key:
        case Token::EndObject:
        case Token::EndArray:
        case Token::End:
        case Token::Error:
            break;
        }
        return false;
    }

    /// raw: the string as written, copied when it holds no placeholder.
    void string(const QString &text, QByteArrayView raw, const QString &path)
    {
        QList<Piece> pieces;
        const QStringList problems = splitPlaceholders(text, &pieces);
        for (const QString &problem : problems)
            error(path, problem);
        if (!problems.isEmpty())
            return;
        if (pieces.size() == 1 && pieces.constFirst().isColumn) {
            const int index = resolve(pieces.constFirst().text, path);
            if (index >= 0)
                column(JsonOp::Kind::Typed, index);
            return;
        }
        if (std::none_of(pieces.cbegin(), pieces.cend(),
                         [](const Piece &p) { return p.isColumn; })) {
            literal(raw);
            return;
        }
        literal("\"");
        for (const Piece &piece : std::as_const(pieces)) {
            if (piece.isColumn) {
                const int index = resolve(piece.text, path);
                if (index >= 0)
                    column(JsonOp::Kind::Text, index);
            } else {
                QByteArray escaped;
                JsonWriter(&escaped).writeEscaped(piece.text);
                literal(escaped);
            }
        }
        literal("\"");
    }

    /// The key or URL template as pieces; *hasColumns tells whether any placeholder is in it.
    QList<TextPiece> text(const QString &text, const QString &path, bool *hasColumns)
    {
        *hasColumns = false;
        QList<Piece> pieces;
        const QStringList problems = splitPlaceholders(text, &pieces);
        for (const QString &problem : problems)
            error(path, problem);
        QList<TextPiece> result;
        for (const Piece &piece : std::as_const(pieces)) {
            if (piece.isColumn) {
                *hasColumns = true;
                result.append(TextPiece {resolve(piece.text, path), {}});
            } else {
                result.append(TextPiece {-1, piece.text.toString()});
            }
        }
        return result;
    }

    /// No template: {column: typed value} in column order.
    void defaultObject()
    {
        const ColumnList &columns = m_transform->m_columns;
        QStringList reported;
        literal("{");
        for (qsizetype i = 0; i < columns.size(); ++i) {
            const QString &name = columns.at(i).name;
            const auto count = std::count_if(columns.cbegin(), columns.cend(),
                                             [&](const ColumnInfo &c) { return c.name == name; });
            if (count > 1 && !reported.contains(name)) {
                reported.append(name);
                // Without a template every column is used, and an object cannot hold a name twice.
                error(u"query.sql"_s, duplicateMessage(name, int(count)));
            }
            if (i > 0)
                literal(",");
            jsonString(name);
            literal(":");
            column(JsonOp::Kind::Typed, int(i));
        }
        literal("}");
    }

private:
    Transform *m_transform;
    QList<SpecError> *m_errors;
    bool m_failed = false;
};

// ---------------------------------------------------------------------------------------
// Transform

Transform::Transform()
{
    m_ops.append({JsonOp::Kind::Literal, -1, 0, 2});
    m_literals = QByteArrayLiteral("{}");
}

std::optional<Transform> Transform::compile(const TransformSpec &spec, const QString &urlTemplate,
                                            const ColumnList &columns, QList<SpecError> *errors)
{
    Transform transform;
    transform.m_ops.clear();
    transform.m_literals.clear();
    transform.m_columns = columns;
    Compiler compiler(&transform, errors);

    bool hasColumns = false;
    if (!spec.key.isEmpty())
        transform.m_key = compiler.text(spec.key, u"transform.key"_s, &hasColumns);
    if (spec.present && !spec.templ.isEmpty())
        compiler.templ(spec.templ, u"transform.template"_s);
    else
        compiler.defaultObject();
    QList<TextPiece> url = compiler.text(urlTemplate, u"target.url"_s, &hasColumns);
    if (hasColumns)
        transform.m_url = std::move(url);
    if (compiler.failed())
        return std::nullopt;

    const auto columnOps = std::count_if(transform.m_ops.cbegin(), transform.m_ops.cend(),
                                         [](const JsonOp &op) { return op.column >= 0; });
    transform.m_payloadReserve
        = std::max<qsizetype>(64, transform.m_literals.size() + 24 * columnOps);
    return transform;
}

QStringList Transform::referencedColumns(const TransformSpec &spec, const QString &urlTemplate)
{
    QStringList names;
    collectColumns(spec.key, &names);
    if (spec.present) {
        forEachJsonString(spec.templ, {}, [&names](const QString &, const QString &text) {
            collectColumns(text, &names);
        });
    }
    collectColumns(urlTemplate, &names);
    return names;
}

Item Transform::apply(const QVariantList &row, qint64 id) const
{
    Item item;
    item.id = id;
    if (row.size() != m_columns.size()) {
        item.key = QString::number(id + 1);
        item.error = u"the row has %1 values, but the query returns %2 columns"_s.arg(row.size())
                         .arg(m_columns.size());
        return item;
    }

    QString error;
    if (m_key.isEmpty()) {
        item.key = QString::number(id + 1);
    } else if (!buildText(m_key, row, TextUse::Key, &item.key, &error)) {
        item.key = QString::number(id + 1);
        item.error = u"transform.key: "_s + error;
        return item;
    }

    QByteArray payload;
    payload.reserve(m_payloadReserve);
    if (!writePayload(row, &payload, &error)) {
        item.error = error;
        return item;
    }

    if (!m_url.isEmpty() && !buildText(m_url, row, TextUse::Url, &item.url, &error)) {
        item.url.clear();
        item.error = u"target.url: "_s + error;
        return item;
    }
    item.payload = std::move(payload);
    return item;
}

bool Transform::hasUrlTemplate() const
{
    return !m_url.isEmpty();
}

const ColumnList &Transform::columns() const
{
    return m_columns;
}

bool Transform::writePayload(const QVariantList &row, QByteArray *out, QString *error) const
{
    JsonWriter writer(out);
    const char *const literals = m_literals.constData();
    for (const JsonOp &op : m_ops) {
        if (op.kind == JsonOp::Kind::Literal) {
            writer.writeRaw(QByteArrayView(literals + op.offset, op.length));
            continue;
        }
        Scalar s;
        toScalar(row.at(op.column), m_columns.at(op.column), &s);
        if (s.kind == Scalar::Kind::Error) {
            *error = s.owned;
            return false;
        }
        if (op.kind == JsonOp::Kind::Typed)
            writeTyped(writer, s);
        else
            writeText(writer, s);
    }
    return true;
}

bool Transform::buildText(const QList<TextPiece> &pieces, const QVariantList &row, TextUse use,
                          QString *out, QString *error) const
{
    out->clear();
    for (const TextPiece &piece : pieces) {
        if (piece.column < 0) {
            out->append(piece.literal);
            continue;
        }
        const ColumnInfo &column = m_columns.at(piece.column);
        Scalar s;
        toScalar(row.at(piece.column), column, &s);
        const bool url = use == TextUse::Url;
        switch (s.kind) {
        case Scalar::Kind::Error:
            *error = s.owned;
            return false;
        case Scalar::Kind::Null:
            if (url) {
                // An empty path segment or query value would address something else.
                *error = u"column "_s + quoted(column.name) + u" is NULL"_s;
                return false;
            }
            break;
        case Scalar::Kind::Bool:
            out->append(s.boolean ? "true"_L1 : "false"_L1);
            break;
        case Scalar::Kind::Number:
        case Scalar::Kind::Real:
        case Scalar::Kind::Ascii:
            if (url)
                out->append(QLatin1StringView(s.ascii().toByteArray().toPercentEncoding()));
            else
                out->append(QLatin1StringView(s.ascii()));
            break;
        case Scalar::Kind::Text:
            if (url)
                out->append(QLatin1StringView(s.text.toUtf8().toPercentEncoding()));
            else
                out->append(s.text);
            break;
        }
    }
    return true;
}

} // namespace sluice
