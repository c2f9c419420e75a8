// SPDX-License-Identifier: GPL-3.0-or-later
#include "bulkcodec.h"

#include "json/jsonreader.h"
#include "json/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

using Token = JsonReader::Token;

// Begin and end of the framed modes; the first item gets no separator.
constexpr QByteArrayView CouchBegin = R"({"docs":[)";
constexpr QByteArrayView CouchEnd = "]}";
constexpr QByteArrayView IdMember = R"("_id":)";
constexpr QByteArrayView EsIndexKeyed = R"({"index":{"_id":)";
constexpr QByteArrayView EsCreateKeyed = R"({"create":{"_id":)";
constexpr QByteArrayView EsKeyedEnd = "}}\n";
constexpr QByteArrayView EsIndexBare = "{\"index\":{}}\n";
constexpr QByteArrayView EsCreateBare = "{\"create\":{}}\n";

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype skipBlank(QByteArrayView text, qsizetype i)
{
    while (i < text.size() && isBlank(text[i]))
        ++i;
    return i;
}

// From the opening quote at i to just past the closing one (text.size() when there is none);
// *escaped tells whether the string has a backslash.
qsizetype skipString(QByteArrayView text, qsizetype i, bool *escaped)
{
    for (++i; i < text.size(); ++i) {
        if (text[i] == '"')
            return i + 1;
        if (text[i] == '\\') {
            *escaped = true;
            ++i;
        }
    }
    return text.size();
}

// From the first character of a value to just past it.
qsizetype skipValue(QByteArrayView text, qsizetype i)
{
    bool escaped = false;
    int depth = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            i = skipString(text, i, &escaped);
            if (depth == 0)
                return i;
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i; // the end of the enclosing object
            if (--depth == 0)
                return i + 1;
        } else if (depth == 0 && (c == ',' || isBlank(c))) {
            return i; // the end of a number or a literal
        }
        ++i;
    }
    return i;
}

// A string token (with its quotes) decoded.
QString decodeString(QByteArrayView raw, bool escaped)
{
    if (!escaped)
        return QString::fromUtf8(raw.sliced(1, raw.size() - 2));
    JsonReader reader(raw);
    return reader.next() == Token::String ? reader.text() : QString();
}

// The top level of a payload, read only as far as _id insertion needs.
struct TopLevel
{
    qsizetype open = -1; ///< offset of the object's '{'; -1: the payload is not an object
    bool empty = false; ///< {}
    QByteArrayView id; ///< the "_id" member's value as written; null: there is none
};

// One pass over the top-level members, skipping nested values and strings. The payload is
// valid JSON (the transform's output); on anything else it stops and reports what it saw.
TopLevel scanTopLevel(QByteArrayView text)
{
    TopLevel result;
    qsizetype i = skipBlank(text, 0);
    if (i >= text.size() || text[i] != '{')
        return result;
    result.open = i;
    i = skipBlank(text, i + 1);
    if (i < text.size() && text[i] == '}') {
        result.empty = true;
        return result;
    }
    while (i < text.size() && text[i] == '"') {
        const qsizetype keyStart = i;
        bool escaped = false;
        i = skipString(text, i, &escaped);
        const QByteArrayView key = text.sliced(keyStart, i - keyStart);
        i = skipBlank(text, i);
        if (i >= text.size() || text[i] != ':')
            return result;
        const qsizetype valueStart = skipBlank(text, i + 1);
        i = skipValue(text, valueStart);
        // "\u005fid" is "_id" too.
        if (escaped ? decodeString(key, true) == "_id"_L1 : key == R"("_id")") {
            result.id = text.sliced(valueStart, i - valueStart);
            return result;
        }
        i = skipBlank(text, i);
        if (i >= text.size() || text[i] != ',')
            return result;
        i = skipBlank(text, i + 1);
    }
    return result;
}

// The id a doc carries: its "_id" when that is a string.
QString idOfValue(QByteArrayView raw)
{
    if (raw.size() < 2 || raw.front() != '"')
        return {};
    return decodeString(raw, raw.contains('\\'));
}

// Bytes JsonWriter::writeString(text) writes, quotes included.
qsizetype quotedLength(QStringView text)
{
    qsizetype n = 2;
    const char16_t *p = text.utf16();
    const char16_t *const end = p + text.size();
    while (p < end) {
        const char16_t c = *p++;
        if (c < 0x80) {
            if (c >= 0x20 && c != u'"' && c != u'\\')
                n += 1;
            else if (c == u'"' || c == u'\\' || c == u'\b' || c == u'\f' || c == u'\n' || c == u'\r'
                     || c == u'\t')
                n += 2;
            else
                n += 6; // \u00XX
        } else if (c < 0x800) {
            n += 2;
        } else if (QChar::isHighSurrogate(c) && p < end && QChar::isLowSurrogate(*p)) {
            ++p;
            n += 4;
        } else {
            n += 3; // a lone surrogate is written as U+FFFD
        }
    }
    return n;
}

} // namespace

BulkCodec::BulkCodec(TargetMode mode, BulkAction action, bool keyed)
    : m_mode(mode)
    , m_action(action)
    , m_keyed(keyed)
{
    Q_ASSERT(isBulk(mode));
}

QByteArray BulkCodec::contentType() const
{
    if (m_mode == TargetMode::ElasticsearchBulk || m_mode == TargetMode::Ndjson)
        return QByteArrayLiteral("application/x-ndjson");
    return QByteArrayLiteral("application/json");
}

void BulkCodec::begin(QByteArray *body) const
{
    if (m_mode == TargetMode::CouchdbBulk)
        body->append(CouchBegin);
    else if (m_mode == TargetMode::JsonArray)
        body->append('[');
}

void BulkCodec::end(QByteArray *body) const
{
    if (m_mode == TargetMode::CouchdbBulk)
        body->append(CouchEnd);
    else if (m_mode == TargetMode::JsonArray)
        body->append(']');
}

void BulkCodec::append(QByteArray *body, QByteArrayView payload, QStringView key,
                       QString *documentId) const
{
    if (documentId)
        documentId->clear();
    switch (m_mode) {
    case TargetMode::Item:
        Q_UNREACHABLE();
        break;
    case TargetMode::ElasticsearchBulk:
        if (m_keyed) {
            body->append(m_action == BulkAction::Create ? EsCreateKeyed : EsIndexKeyed);
            JsonWriter(body).writeString(key);
            body->append(EsKeyedEnd);
        } else {
            body->append(m_action == BulkAction::Create ? EsCreateBare : EsIndexBare);
        }
        body->append(payload);
        body->append('\n');
        break;
    case TargetMode::Ndjson:
        body->append(payload);
        body->append('\n');
        break;
    case TargetMode::JsonArray:
        if (!body->endsWith('['))
            body->append(',');
        body->append(payload);
        break;
    case TargetMode::CouchdbBulk: {
        if (!body->endsWith('['))
            body->append(',');
        if (!m_keyed && !documentId) {
            body->append(payload);
            break;
        }
        const TopLevel top = scanTopLevel(payload);
        if (!m_keyed || top.open < 0 || !top.id.isNull()) {
            body->append(payload);
            if (documentId)
                *documentId = idOfValue(top.id);
            break;
        }
        body->append(payload.first(top.open + 1));
        body->append(IdMember);
        JsonWriter(body).writeString(key);
        if (!top.empty)
            body->append(',');
        body->append(payload.sliced(top.open + 1));
        if (documentId)
            *documentId = key.toString();
        break;
    }
    }
}

qsizetype BulkCodec::extraBytes(QByteArrayView payload, QStringView key) const
{
    switch (m_mode) {
    case TargetMode::Item:
        break;
    case TargetMode::ElasticsearchBulk: {
        const bool create = m_action == BulkAction::Create;
        if (!m_keyed)
            return (create ? EsCreateBare : EsIndexBare).size() + 1;
        return (create ? EsCreateKeyed : EsIndexKeyed).size() + quotedLength(key)
            + EsKeyedEnd.size() + 1;
    }
    case TargetMode::Ndjson:
    case TargetMode::JsonArray:
        return 1;
    case TargetMode::CouchdbBulk: {
        if (!m_keyed)
            return 1;
        const TopLevel top = scanTopLevel(payload);
        if (top.open < 0 || !top.id.isNull())
            return 1;
        return 1 + IdMember.size() + quotedLength(key) + (top.empty ? 0 : 1);
    }
    }
    return 0;
}

qsizetype BulkCodec::frameBytes() const
{
    if (m_mode == TargetMode::CouchdbBulk)
        return CouchBegin.size() + CouchEnd.size() - 1;
    if (m_mode == TargetMode::JsonArray)
        return 1;
    return 0;
}

} // namespace sluice
