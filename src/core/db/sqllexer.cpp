// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqllexer.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "util/text.h"

namespace sluice {

namespace {

/// Words the highlighter shows as keywords, lower case and sorted (checked below) for a
/// binary search. Not every reserved word of every dialect: the common ones of queries
/// and the type names that follow a ::cast.
constexpr std::u16string_view Keywords[] = {
    u"all",         u"alter",        u"and",          u"any",
    u"array",       u"as",           u"asc",          u"asymmetric",
    u"at",          u"begin",        u"between",      u"bigint",
    u"binary",      u"blob",         u"boolean",      u"both",
    u"by",          u"case",         u"cast",         u"char",
    u"character",   u"check",        u"collate",      u"column",
    u"commit",      u"constraint",   u"create",       u"cross",
    u"current",     u"current_date", u"current_time", u"current_timestamp",
    u"date",        u"decimal",      u"default",      u"delete",
    u"desc",        u"distinct",     u"double",       u"drop",
    u"else",        u"end",          u"escape",       u"except",
    u"exists",      u"explain",      u"extract",      u"false",
    u"fetch",       u"filter",       u"first",        u"float",
    u"following",   u"for",          u"foreign",      u"from",
    u"full",        u"glob",         u"group",        u"groups",
    u"having",      u"ilike",        u"in",           u"index",
    u"inner",       u"insert",       u"int",          u"integer",
    u"intersect",   u"interval",     u"into",         u"is",
    u"isnull",      u"join",         u"json",         u"jsonb",
    u"key",         u"last",         u"lateral",      u"leading",
    u"left",        u"like",         u"limit",        u"materialized",
    u"natural",     u"next",         u"not",          u"notnull",
    u"null",        u"nulls",        u"numeric",      u"offset",
    u"on",          u"only",         u"or",           u"order",
    u"outer",       u"over",         u"partition",    u"preceding",
    u"precision",   u"primary",      u"range",        u"real",
    u"recursive",   u"references",   u"regexp",       u"returning",
    u"right",       u"rollback",     u"row",          u"rows",
    u"select",      u"set",          u"similar",      u"smallint",
    u"some",        u"symmetric",    u"table",        u"text",
    u"then",        u"ties",         u"time",         u"timestamp",
    u"timestamptz", u"to",           u"top",          u"trailing",
    u"true",        u"unbounded",    u"union",        u"unique",
    u"update",      u"using",        u"uuid",         u"values",
    u"varchar",     u"view",         u"when",         u"where",
    u"window",      u"with",         u"within",       u"without",
    u"zone",
};
static_assert(std::ranges::is_sorted(Keywords));

constexpr qsizetype LongestKeyword = [] {
    qsizetype longest = 0;
    for (const std::u16string_view word : Keywords)
        longest = std::max(longest, qsizetype(word.size()));
    return longest;
}();

bool isKeyword(QStringView word)
{
    if (word.size() > LongestKeyword)
        return false;
    char16_t lower[LongestKeyword];
    for (qsizetype i = 0; i < word.size(); ++i) {
        const char16_t c = word.at(i).unicode();
        lower[i] = c >= u'A' && c <= u'Z' ? char16_t(c - u'A' + u'a') : c;
    }
    return std::ranges::binary_search(Keywords, std::u16string_view(lower, size_t(word.size())));
}

bool isStart(QChar c)
{
    return isIdentifierStart(c.unicode());
}

bool isNameChar(QChar c)
{
    return isIdentifierChar(c.unicode());
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

/// The index after the name characters from `from` on.
qsizetype nameEnd(QStringView text, qsizetype from)
{
    while (from < text.size() && isNameChar(text.at(from)))
        ++from;
    return from;
}

/// The index after the quote that closes a literal or quoted identifier, scanning from
/// `from`; -1 when the text ends first. A doubled quote is an escaped quote.
qsizetype closeQuoted(QStringView text, qsizetype from, QChar quote, bool backslashEscapes)
{
    qsizetype i = from;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (backslashEscapes && c == u'\\') {
            i += 2;
        } else if (c == quote) {
            if (i + 1 < text.size() && text.at(i + 1) == quote)
                i += 2;
            else
                return i + 1;
        } else {
            ++i;
        }
    }
    return -1;
}

/// The delimiter ($$ or $tag$) of the dollar quote that opens at `dollar`; empty when
/// none does.
QStringView dollarDelimiter(QStringView text, qsizetype dollar)
{
    // "$1" is a positional parameter and "a$b" an identifier: neither opens a quote.
    if (dollar > 0 && (isNameChar(text.at(dollar - 1)) || text.at(dollar - 1) == u'$'))
        return {};
    qsizetype i = dollar + 1;
    if (i < text.size() && isStart(text.at(i)))
        i = nameEnd(text, i + 1);
    if (i >= text.size() || text.at(i) != u'$')
        return {};
    return text.sliced(dollar, i + 1 - dollar);
}

QChar quoteOf(SqlLexer::Open open)
{
    switch (open) {
    case SqlLexer::Open::DoubleQuoted:
        return u'"';
    case SqlLexer::Open::Backticked:
        return u'`';
    default:
        return u'\'';
    }
}

} // namespace

SqlLexer::SqlLexer(QStringView text, State state)
    : m_text(text)
    , m_state(std::move(state))
{ }

SqlLexer::SqlLexer(QStringView text)
    : SqlLexer(text, State())
{ }

std::optional<SqlLexer::Token> SqlLexer::next()
{
    const qsizetype n = m_text.size();
    if (m_pos < n && m_state.open != Open::Nothing)
        return continueOpen();
    while (m_pos < n) {
        const QChar c = m_text.at(m_pos);
        const QChar following = m_pos + 1 < n ? m_text.at(m_pos + 1) : QChar();
        if (c == u'\'')
            return quoted(Kind::String, m_pos + 1, Open::String);
        if (c == u'"')
            return quoted(Kind::QuotedIdentifier, m_pos + 1, Open::DoubleQuoted);
        if (c == u'`')
            return quoted(Kind::QuotedIdentifier, m_pos + 1, Open::Backticked);
        if (c == u'-' && following == u'-') {
            const qsizetype end = m_text.indexOf(u'\n', m_pos + 2);
            return take(Kind::Comment, end < 0 ? n : end);
        }
        if (c == u'/' && following == u'*')
            return blockComment(m_pos + 2);
        if (c == u'$') {
            const QStringView delimiter = dollarDelimiter(m_text, m_pos);
            if (!delimiter.isEmpty()) {
                m_state.dollarDelimiter = delimiter.toString();
                return dollarQuoted(m_pos + delimiter.size());
            }
        } else if (c == u':') {
            if (following == u':')
                return take(Kind::Cast, m_pos + 2);
            if (following == u'=')
                return take(Kind::Assignment, m_pos + 2);
            if (isStart(following))
                return take(Kind::Parameter, nameEnd(m_text, m_pos + 2));
        } else if (isStart(c)) {
            return word();
        } else if (isDigit(c) || (c == u'.' && isDigit(following))) {
            if (const std::optional<Token> token = number())
                return token;
            continue;
        }
        ++m_pos;
    }
    return std::nullopt;
}

SqlLexer::Token SqlLexer::continueOpen()
{
    switch (m_state.open) {
    case Open::BlockComment:
        return blockComment(m_pos);
    case Open::String:
    case Open::EscapeString:
        return quoted(Kind::String, m_pos, m_state.open);
    case Open::DoubleQuoted:
    case Open::Backticked:
        return quoted(Kind::QuotedIdentifier, m_pos, m_state.open);
    case Open::DollarQuoted:
        return dollarQuoted(m_pos);
    case Open::Nothing:
        break;
    }
    Q_UNREACHABLE(); // next() continues only what is open
    return {};
}

SqlLexer::Token SqlLexer::quoted(Kind kind, qsizetype contentStart, Open open)
{
    const qsizetype end
        = closeQuoted(m_text, contentStart, quoteOf(open), open == Open::EscapeString);
    m_state = end < 0 ? State {open, {}} : State {};
    return take(kind, end < 0 ? m_text.size() : end);
}

SqlLexer::Token SqlLexer::dollarQuoted(qsizetype bodyStart)
{
    const qsizetype close = m_text.indexOf(m_state.dollarDelimiter, bodyStart);
    const qsizetype end = close < 0 ? m_text.size() : close + m_state.dollarDelimiter.size();
    if (close < 0)
        m_state.open = Open::DollarQuoted;
    else
        m_state = {};
    return take(Kind::DollarQuoted, end);
}

SqlLexer::Token SqlLexer::blockComment(qsizetype bodyStart)
{
    const qsizetype close = m_text.indexOf(u"*/", bodyStart);
    m_state = close < 0 ? State {Open::BlockComment, {}} : State {};
    return take(Kind::Comment, close < 0 ? m_text.size() : close + 2);
}

SqlLexer::Token SqlLexer::word()
{
    const qsizetype end = nameEnd(m_text, m_pos + 1);
    const QChar first = m_text.at(m_pos);
    if (end == m_pos + 1 && (first == u'E' || first == u'e') && end < m_text.size()
        && m_text.at(end) == u'\'') {
        // PostgreSQL E'...': the E belongs to the literal, which takes backslashes.
        return quoted(Kind::String, end + 1, Open::EscapeString);
    }
    return take(isKeyword(m_text.sliced(m_pos, end - m_pos)) ? Kind::Keyword : Kind::Identifier,
                end);
}

std::optional<SqlLexer::Token> SqlLexer::number()
{
    const qsizetype n = m_text.size();
    qsizetype end = m_pos;
    while (end < n && isDigit(m_text.at(end)))
        ++end;
    if (end < n && m_text.at(end) == u'.') {
        ++end;
        while (end < n && isDigit(m_text.at(end)))
            ++end;
    }
    if (end < n && (m_text.at(end) == u'e' || m_text.at(end) == u'E')) {
        qsizetype exponent = end + 1;
        if (exponent < n && (m_text.at(exponent) == u'+' || m_text.at(exponent) == u'-'))
            ++exponent;
        if (exponent < n && isDigit(m_text.at(exponent))) {
            end = exponent;
            while (end < n && isDigit(m_text.at(end)))
                ++end;
        }
    }
    if (end < n && isNameChar(m_text.at(end))) {
        // "1abc" is no number but an odd name: no token, and nothing inside it starts one.
        m_pos = nameEnd(m_text, end);
        return std::nullopt;
    }
    return take(Kind::Number, end);
}

SqlLexer::Token SqlLexer::take(Kind kind, qsizetype end)
{
    const Token token {kind, m_pos, end - m_pos};
    m_pos = end;
    return token;
}

} // namespace sluice
