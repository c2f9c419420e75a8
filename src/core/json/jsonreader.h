// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace sluice {

/// Where and why a text is not JSON. Line and column are 1-based; the column counts
/// characters (code points), not bytes, so it matches what an editor shows.
struct JsonSyntaxError
{
    qsizetype offset = -1; ///< byte offset into the text; -1: no error
    int line = 0;
    int column = 0;
    QString message; ///< words for a steward: "missing comma", "a } is missing", ...

    bool isError() const { return offset >= 0; }
    /// "line L, column C: message"
    QString toString() const;
};

/// 1-based line and column (in code points) of a byte offset into UTF-8 text.
void jsonLineAndColumn(QByteArrayView utf8, qsizetype offset, int *line, int *column);

/// A strict RFC 8259 reader that hands out one token at a time, each as the text writes
/// it: a number keeps its literal ("12.50", 30-digit integers), a string its escapes, and
/// object members their order. That is what lets Sluice move a template or an edited
/// payload without changing it; QJsonDocument sorts keys and reads numbers as doubles.
///
/// Besides the grammar it refuses what JSON parsers disagree on: a name twice in one
/// object (unless told not to compare names), invalid UTF-8, nesting deeper than MaxDepth. Its
/// error messages say what is wrong in a steward's words and point where it is best fixed (a
/// missing comma right after the value it should follow). A reader is cheap, reads the text in
/// place (the text must outlive it) and is not thread-safe; use one per thread.
class JsonReader
{
public:
    enum class Token : quint8 {
        BeginObject,
        EndObject,
        BeginArray,
        EndArray,
        Key, ///< an object member's name (raw() with its quotes)
        String, ///< raw() with its quotes
        Number,
        True,
        False,
        Null,
        End, ///< the whole value was read and only blank space follows
        Error, ///< see error(); every later next() returns Error again
    };

    static constexpr int MaxDepth = 512;

    /// Whether a name given twice in one object is an error.
    enum class Names : quint8 {
        Unique, ///< it is: for everything a person wrote
        Unchecked, ///< names are not compared, which makes reading an answer of many small
                   ///< objects about five times faster: only for text a program wrote (a
                   ///< server's answer) and read for a few members
    };

    explicit JsonReader(QByteArrayView utf8, Names names = Names::Unique);

    /// Reads the next token. A leading UTF-8 byte order mark is skipped.
    Token next();
    Token token() const { return m_token; }
    /// The current token exactly as written (for Key and String with the quotes).
    QByteArrayView raw() const { return m_text.sliced(m_start, m_end - m_start); }
    /// Byte offset of the current token.
    qsizetype offset() const { return m_start; }
    /// Byte offset just past the current token.
    qsizetype endOffset() const { return m_end; }
    /// The current Key or String decoded (escapes resolved).
    QString text() const;
    /// Open objects and arrays around the current position.
    int depth() const { return int(m_stack.size()); }
    const JsonSyntaxError &error() const { return m_error; }

    /// Reads past the value whose first token is the current one (for BeginObject and
    /// BeginArray up to the matching end). False on a syntax error.
    bool skipValue();

private:
    enum class Expect : quint8 {
        Value, ///< at the start, or after ':'
        ValueOrEndArray, ///< right after '['
        ValueAfterComma, ///< after ',' in an array
        KeyOrEndObject, ///< right after '{'
        KeyAfterComma, ///< after ',' in an object
        Colon,
        CommaOrEnd, ///< after a value inside an object or array
        EndOfText, ///< after the top-level value
    };

    Token fail(qsizetype offset, const QString &message);
    Token value(char c);
    Token scanString(Token kind);
    Token scanNumber();
    Token scanWord();
    Token open(Token kind, char bracket);
    Token close(Token kind);
    Token atEndOfText();
    void skipBlank();
    qsizetype lastNonBlank() const;
    bool inObject() const { return !m_stack.isEmpty() && m_stack.constLast() == '{'; }

    QByteArrayView m_text;
    qsizetype m_pos = 0;
    qsizetype m_start = 0;
    qsizetype m_end = 0;
    Token m_token = Token::Error;
    Expect m_expect = Expect::Value;
    QList<char> m_stack; ///< '{' or '[' for each open container
    QList<QSet<QString>> m_keys; ///< names seen, for each open object (Names::Unique)
    bool m_checkNames = true;
    JsonSyntaxError m_error;
};

/// The text without blank space between tokens, every token as written; std::nullopt with
/// *error (may be null) set when it is not one valid JSON value.
std::optional<QByteArray> compactJson(QByteArrayView utf8, JsonSyntaxError *error = nullptr);

/// The text laid out one member or element a line, indented by four spaces, "name": value,
/// empty objects and arrays as {} and [] (QJsonDocument's layout), every token as written;
/// std::nullopt when it is not valid JSON. No line break at the end.
std::optional<QByteArray> indentJson(QByteArrayView utf8);

/// The value at `path` (member names from the top-level object down) as written, without
/// the blank space around it; a null view when the text is not valid JSON or the path leads
/// nowhere.
QByteArrayView findJsonMember(QByteArrayView utf8, const QStringList &path);

/// The member names of the JSON object `object`, in the order written; empty when it is not
/// a valid object.
QStringList jsonMemberNames(QByteArrayView object);

/// Calls visit(path, text) for every string value (not member names) in valid JSON, in
/// document order; paths start at basePath and go on with ".name" and "[index]"
/// ("transform.template.location.lat", "transform.template.tags[0]").
/// Stops at a syntax error and returns false.
bool forEachJsonString(QByteArrayView utf8, const QString &basePath,
                       const std::function<void(const QString &path, const QString &text)> &visit);

} // namespace sluice
