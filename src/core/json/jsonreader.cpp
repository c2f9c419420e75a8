// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonreader.h"

#include "util/text.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isWordChar(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// Length of the well-formed UTF-8 sequence at i (2 to 4 bytes), or 0: overlong forms,
/// encoded surrogates and code points past U+10FFFF are not well-formed.
int utf8SequenceLength(QByteArrayView text, qsizetype i)
{
    const auto lead = uchar(text.at(i));
    int length = 0;
    if (lead >= 0xc2 && lead <= 0xdf)
        length = 2;
    else if (lead >= 0xe0 && lead <= 0xef)
        length = 3;
    else if (lead >= 0xf0 && lead <= 0xf4)
        length = 4;
    else
        return 0;
    if (i + length > text.size())
        return 0;
    char32_t codePoint = lead & (0x7f >> length);
    for (int k = 1; k < length; ++k) {
        const auto continuation = uchar(text.at(i + k));
        if ((continuation & 0xc0) != 0x80)
            return 0;
        codePoint = (codePoint << 6) | (continuation & 0x3f);
    }
    if (length == 3 && (codePoint < 0x800 || (codePoint >= 0xd800 && codePoint <= 0xdfff)))
        return 0;
    if (length == 4 && (codePoint < 0x10000 || codePoint > 0x10ffff))
        return 0;
    return length;
}

int hexValue(char c)
{
    if (isDigit(c))
        return c - '0';
    return (c | 0x20) - 'a' + 10;
}

const QString NotAValue = u"not a JSON value (text needs double quotes; true, false and null "
                          u"are written in lower case)"_s;
const QString TrailingComma
    = u"a comma is followed by nothing (JSON allows no comma before } or ])"_s;

} // namespace

QString JsonSyntaxError::toString() const
{
    return u"line %1, column %2: %3"_s.arg(line).arg(column).arg(message);
}

void jsonLineAndColumn(QByteArrayView utf8, qsizetype offset, int *line, int *column)
{
    offset = qBound(qsizetype(0), offset, utf8.size());
    int lines = 1;
    int characters = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        const auto byte = uchar(utf8.at(i));
        if (byte == '\n') {
            ++lines;
            characters = 0;
        } else if ((byte & 0xc0) != 0x80) {
            ++characters; // a continuation byte is part of the character before it
        }
    }
    *line = lines;
    *column = characters + 1;
}

JsonReader::JsonReader(QByteArrayView utf8, Names names)
    : m_text(utf8)
    , m_checkNames(names == Names::Unique)
{
    if (m_text.startsWith("\xef\xbb\xbf"))
        m_pos = 3;
}

QString JsonReader::text() const
{
    if (m_token != Token::Key && m_token != Token::String)
        return {};
    const QByteArrayView inner = m_text.sliced(m_start + 1, m_end - m_start - 2);
    if (!inner.contains('\\'))
        return QString::fromUtf8(inner);
    QString out;
    out.reserve(inner.size());
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < inner.size(); ++i) {
        if (inner.at(i) != '\\')
            continue;
        out += QString::fromUtf8(inner.sliced(runStart, i - runStart));
        const char escape = inner.at(i + 1);
        switch (escape) {
        case 'b':
            out += u'\b';
            break;
        case 'f':
            out += u'\f';
            break;
        case 'n':
            out += u'\n';
            break;
        case 'r':
            out += u'\r';
            break;
        case 't':
            out += u'\t';
            break;
        case 'u': {
            char16_t unit = 0;
            for (int k = 2; k < 6; ++k)
                unit = char16_t(unit * 16 + hexValue(inner.at(i + k)));
            out += QChar(unit); // a pair of \u escapes makes one surrogate pair
            i += 4;
            break;
        }
        default: // " \ /
            out += QLatin1Char(escape);
            break;
        }
        ++i;
        runStart = i + 1;
    }
    out += QString::fromUtf8(inner.sliced(runStart));
    return out;
}

JsonReader::Token JsonReader::fail(qsizetype offset, const QString &message)
{
    m_error.offset = offset;
    m_error.message = message;
    jsonLineAndColumn(m_text, offset, &m_error.line, &m_error.column);
    m_start = m_end = offset;
    m_token = Token::Error;
    return m_token;
}

void JsonReader::skipBlank()
{
    while (m_pos < m_text.size() && isBlank(m_text.at(m_pos)))
        ++m_pos;
}

qsizetype JsonReader::lastNonBlank() const
{
    qsizetype i = m_text.size() - 1;
    while (i > 0 && isBlank(m_text.at(i)))
        --i;
    while (i > 0 && (uchar(m_text.at(i)) & 0xc0) == 0x80)
        --i; // to the first byte of that character
    return qMax(qsizetype(0), i);
}

JsonReader::Token JsonReader::next()
{
    if (m_error.isError())
        return Token::Error;
    for (;;) {
        skipBlank();
        if (m_pos >= m_text.size())
            return atEndOfText();
        const char c = m_text.at(m_pos);
        switch (m_expect) {
        case Expect::Value:
            if (c == '}' || c == ']' || c == ',' || c == ':')
                return fail(m_pos, u"a value is expected"_s);
            return value(c);
        case Expect::ValueOrEndArray:
            if (c == ']')
                return close(Token::EndArray);
            if (c == '}')
                return fail(m_pos, u"} cannot close an array: a ] is expected"_s);
            if (c == ',' || c == ':')
                return fail(m_pos, u"a value is expected"_s);
            return value(c);
        case Expect::ValueAfterComma:
            if (c == ']' || c == '}')
                return fail(m_pos, TrailingComma);
            if (c == ',' || c == ':')
                return fail(m_pos, u"a value is expected"_s);
            return value(c);
        case Expect::KeyOrEndObject:
            if (c == '}')
                return close(Token::EndObject);
            [[fallthrough]];
        case Expect::KeyAfterComma:
            if (c == '"')
                return scanString(Token::Key);
            return fail(m_pos, c == '}' ? TrailingComma : u"a name in double quotes is expected"_s);
        case Expect::Colon:
            if (c != ':')
                return fail(m_pos, u"missing colon after the name"_s);
            ++m_pos;
            m_expect = Expect::Value;
            continue;
        case Expect::CommaOrEnd:
            if (c == ',') {
                ++m_pos;
                m_expect = inObject() ? Expect::KeyAfterComma : Expect::ValueAfterComma;
                continue;
            }
            if (c == '}' || c == ']') {
                if ((c == '}') != inObject())
                    return fail(m_pos,
                                inObject() ? u"] cannot close an object: a } is expected"_s
                                           : u"} cannot close an array: a ] is expected"_s);
                return close(c == '}' ? Token::EndObject : Token::EndArray);
            }
            // The comma belongs right after the value before, often on an earlier line.
            return fail(m_end,
                        inObject() ? u"missing comma (or a } to close the object)"_s
                                   : u"missing comma (or a ] to close the array)"_s);
        case Expect::EndOfText:
            return fail(m_pos, u"unexpected text after the end of the JSON value"_s);
        }
    }
}

JsonReader::Token JsonReader::atEndOfText()
{
    if (m_expect == Expect::EndOfText) {
        m_start = m_end = m_text.size();
        m_token = Token::End;
        return m_token;
    }
    if (m_stack.isEmpty())
        return fail(m_pos, u"there is no JSON value: the text is empty"_s);
    const qsizetype at = lastNonBlank();
    if (m_expect == Expect::Value)
        return fail(at, u"a value is missing at the end"_s);
    return fail(at,
                inObject() ? u"the object is not closed: a } is missing"_s
                           : u"the array is not closed: a ] is missing"_s);
}

JsonReader::Token JsonReader::value(char c)
{
    if (c == '{')
        return open(Token::BeginObject, '{');
    if (c == '[')
        return open(Token::BeginArray, '[');
    if (c == '"')
        return scanString(Token::String);
    if (c == '-' || isDigit(c))
        return scanNumber();
    if (isWordChar(c))
        return scanWord();
    return fail(m_pos, NotAValue);
}

JsonReader::Token JsonReader::open(Token kind, char bracket)
{
    if (m_stack.size() >= MaxDepth)
        return fail(m_pos, u"nested too deeply (more than %1 levels)"_s.arg(MaxDepth));
    m_start = m_pos++;
    m_end = m_pos;
    m_stack.append(bracket);
    if (bracket == '{') {
        if (m_checkNames)
            m_keys.append(QSet<QString>());
        m_expect = Expect::KeyOrEndObject;
    } else {
        m_expect = Expect::ValueOrEndArray;
    }
    m_token = kind;
    return m_token;
}

JsonReader::Token JsonReader::close(Token kind)
{
    if (m_stack.takeLast() == '{' && m_checkNames)
        m_keys.removeLast();
    m_start = m_pos++;
    m_end = m_pos;
    m_expect = m_stack.isEmpty() ? Expect::EndOfText : Expect::CommaOrEnd;
    m_token = kind;
    return m_token;
}

JsonReader::Token JsonReader::scanString(Token kind)
{
    const qsizetype start = m_pos;
    qsizetype i = start + 1;
    const qsizetype size = m_text.size();
    for (;;) {
        if (i >= size)
            return fail(start, u"a string is not closed: a \" is missing"_s);
        const char c = m_text.at(i);
        if (c == '"') {
            ++i;
            break;
        }
        if (c == '\\') {
            const char escape = i + 1 < size ? m_text.at(i + 1) : '\0';
            if (escape == 'u') {
                for (int k = 2; k < 6; ++k) {
                    if (i + k >= size || !isHexDigit(m_text.at(i + k)))
                        return fail(i,
                                    u"invalid escape sequence in a string: \\u needs four "
                                    u"hexadecimal digits"_s);
                }
                i += 6;
            } else if (escape && QByteArrayView("\"\\/bfnrt").contains(escape)) {
                i += 2;
            } else {
                return fail(i, u"invalid escape sequence in a string (a \\ is written \\\\)"_s);
            }
        } else if (uchar(c) < 0x20) {
            return fail(i,
                        u"a line break or other control character inside a string (a \" may "
                        u"be missing; in text, write a line break as \\n)"_s);
        } else if (uchar(c) < 0x80) {
            ++i;
        } else {
            const int length = utf8SequenceLength(m_text, i);
            if (length == 0)
                return fail(i, u"invalid UTF-8 in a string"_s);
            i += length;
        }
    }
    m_start = start;
    m_end = m_pos = i;
    m_token = kind;
    if (kind == Token::Key) {
        if (m_checkNames) {
            const QString name = text();
            QSet<QString> &names = m_keys.last();
            if (names.contains(name))
                return fail(start, quoted(name) + u" is given twice in the same object"_s);
            names.insert(name);
        }
        m_expect = Expect::Colon;
    } else {
        m_expect = m_stack.isEmpty() ? Expect::EndOfText : Expect::CommaOrEnd;
    }
    return m_token;
}

JsonReader::Token JsonReader::scanNumber()
{
    const qsizetype start = m_pos;
    const qsizetype size = m_text.size();
    qsizetype i = start;
    const auto digits = [&] {
        const qsizetype from = i;
        while (i < size && isDigit(m_text.at(i)))
            ++i;
        return i > from;
    };
    bool ok = true;
    if (m_text.at(i) == '-')
        ++i;
    if (i < size && m_text.at(i) == '0')
        ++i;
    else
        ok = digits();
    if (ok && i < size && m_text.at(i) == '.') {
        ++i;
        ok = digits();
    }
    if (ok && i < size && (m_text.at(i) == 'e' || m_text.at(i) == 'E')) {
        ++i;
        if (i < size && (m_text.at(i) == '+' || m_text.at(i) == '-'))
            ++i;
        ok = digits();
    }
    if (!ok || (i < size && (isWordChar(m_text.at(i)) || m_text.at(i) == '.')))
        return fail(start, u"not a valid number (JSON numbers look like 12, -3.5 or 1e6)"_s);
    m_start = start;
    m_end = m_pos = i;
    m_expect = m_stack.isEmpty() ? Expect::EndOfText : Expect::CommaOrEnd;
    m_token = Token::Number;
    return m_token;
}

JsonReader::Token JsonReader::scanWord()
{
    const qsizetype start = m_pos;
    qsizetype i = start;
    while (i < m_text.size() && isWordChar(m_text.at(i)))
        ++i;
    const QByteArrayView word = m_text.sliced(start, i - start);
    Token kind = Token::Error;
    if (word == "true")
        kind = Token::True;
    else if (word == "false")
        kind = Token::False;
    else if (word == "null")
        kind = Token::Null;
    else
        return fail(start, NotAValue);
    m_start = start;
    m_end = m_pos = i;
    m_expect = m_stack.isEmpty() ? Expect::EndOfText : Expect::CommaOrEnd;
    m_token = kind;
    return m_token;
}

bool JsonReader::skipValue()
{
    if (m_token == Token::Error)
        return false;
    if (m_token != Token::BeginObject && m_token != Token::BeginArray)
        return true;
    const int outside = depth() - 1;
    while (depth() > outside) {
        if (next() == Token::Error)
            return false;
    }
    return true;
}

namespace {

/// compactJson() with indentWidth 0, indentJson() with 4: one walk over the tokens that
/// writes each as it is and only decides the blank space between them.
std::optional<QByteArray> layOut(QByteArrayView utf8, int indentWidth, JsonSyntaxError *error)
{
    JsonReader reader(utf8);
    QByteArray out;
    out.reserve(indentWidth > 0 ? utf8.size() * 2 : utf8.size());
    int level = 0;
    bool needComma = false;
    bool justOpened = false;
    const auto newline = [&] {
        if (indentWidth > 0) {
            out += '\n';
            out.append(qsizetype(level) * indentWidth, ' ');
        }
    };
    for (;;) {
        const JsonReader::Token token = reader.next();
        if (token == JsonReader::Token::Error) {
            if (error)
                *error = reader.error();
            return std::nullopt;
        }
        if (token == JsonReader::Token::End)
            break;
        if (token == JsonReader::Token::EndObject || token == JsonReader::Token::EndArray) {
            --level;
            if (!justOpened) // an empty container stays on one line: {} []
                newline();
            justOpened = false;
            out += reader.raw();
            needComma = true;
            continue;
        }
        if (justOpened) {
            newline();
        } else if (needComma) {
            out += ',';
            newline();
        }
        justOpened = false;
        needComma = false;
        out += reader.raw();
        if (token == JsonReader::Token::Key) {
            out += indentWidth > 0 ? QByteArrayView(": ") : QByteArrayView(":");
        } else if (token == JsonReader::Token::BeginObject
                   || token == JsonReader::Token::BeginArray) {
            ++level;
            justOpened = true;
        } else {
            needComma = true;
        }
    }
    if (error)
        *error = {};
    return out;
}

bool visitStrings(JsonReader &reader, const QString &path,
                  const std::function<void(const QString &, const QString &)> &visit)
{
    switch (reader.token()) {
    case JsonReader::Token::String:
        visit(path, reader.text());
        return true;
    case JsonReader::Token::BeginObject:
        for (;;) {
            const JsonReader::Token token = reader.next();
            if (token == JsonReader::Token::EndObject)
                return true;
            if (token != JsonReader::Token::Key)
                return false;
            const QString name = reader.text();
            reader.next();
            if (!visitStrings(reader, joinPath(path, name), visit))
                return false;
        }
    case JsonReader::Token::BeginArray:
        for (int index = 0;; ++index) {
            const JsonReader::Token token = reader.next();
            if (token == JsonReader::Token::EndArray)
                return true;
            if (!visitStrings(reader, path + u'[' + QString::number(index) + u']', visit))
                return false;
        }
    case JsonReader::Token::Error:
        return false;
    default:
        return true;
    }
}

} // namespace

std::optional<QByteArray> compactJson(QByteArrayView utf8, JsonSyntaxError *error)
{
    return layOut(utf8, 0, error);
}

std::optional<QByteArray> indentJson(QByteArrayView utf8)
{
    return layOut(utf8, 4, nullptr);
}

QByteArrayView findJsonMember(QByteArrayView utf8, const QStringList &path)
{
    JsonReader reader(utf8);
    reader.next();
    for (const QString &name : path) {
        if (reader.token() != JsonReader::Token::BeginObject)
            return {};
        for (;;) {
            const JsonReader::Token token = reader.next();
            if (token != JsonReader::Token::Key)
                return {}; // the end of the object, or an error
            const bool match = reader.text() == name;
            if (reader.next() == JsonReader::Token::Error)
                return {};
            if (match)
                break;
            if (!reader.skipValue())
                return {};
        }
    }
    const qsizetype start = reader.offset();
    if (!reader.skipValue())
        return {};
    return utf8.sliced(start, reader.endOffset() - start);
}

QStringList jsonMemberNames(QByteArrayView object)
{
    JsonReader reader(object);
    if (reader.next() != JsonReader::Token::BeginObject)
        return {};
    QStringList names;
    while (reader.next() == JsonReader::Token::Key) {
        names.append(reader.text());
        reader.next();
        if (!reader.skipValue())
            return {};
    }
    return reader.token() == JsonReader::Token::EndObject ? names : QStringList();
}

bool forEachJsonString(QByteArrayView utf8, const QString &basePath,
                       const std::function<void(const QString &, const QString &)> &visit)
{
    JsonReader reader(utf8);
    reader.next();
    if (!visitStrings(reader, basePath, visit))
        return false;
    return reader.next() == JsonReader::Token::End;
}

} // namespace sluice
