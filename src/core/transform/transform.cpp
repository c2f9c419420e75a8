// SPDX-License-Identifier: GPL-3.0-or-later
#include "transform.h"

#include <algorithm>
#include <utility>

#include <QUrl>

#include "spec/placeholders.h"
#include "transform/scalar.h"
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
                                            const ColumnList &columns, QList<SpecError> *errors,
                                            const QString &idempotencyKey)
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
    if (!idempotencyKey.isEmpty())
        transform.m_idempotencyKey
            = compiler.text(idempotencyKey, u"target.idempotencyKey"_s, &hasColumns);
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
    if (!m_idempotencyKey.isEmpty()) {
        QString key;
        if (!buildText(m_idempotencyKey, row, TextUse::Header, &key, &error)) {
            item.url.clear();
            item.error = u"target.idempotencyKey: "_s + error;
            return item;
        }
        item.idempotencyKey = key.toUtf8();
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
            if (url || use == TextUse::Header) {
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
        case Scalar::Kind::Json:
            if (url)
                out->append(QLatin1StringView(s.bytes.toPercentEncoding()));
            else
                out->append(QString::fromUtf8(s.bytes));
            break;
        }
    }
    if (use == TextUse::Header) {
        // A header's value: a line break would end it, and an empty key identifies nothing.
        if (out->trimmed().isEmpty()) {
            *error = u"the value is empty"_s;
            return false;
        }
        for (const QChar ch : std::as_const(*out)) {
            if ((ch.unicode() < 0x20 && ch != u'\t') || ch.unicode() == 0x7f) {
                *error = u"the value contains a control character such as a line break"_s;
                return false;
            }
        }
    }
    return true;
}

} // namespace sluice
