// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlhighlighter.h"

#include <utility>

#include <QGuiApplication>
#include <QSet>
#include <QStringView>
#include <QTextBlockUserData>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// What a block ends inside of: the low bits of the block state. For a dollar quote the
/// state also holds a hash of its tag, so that a changed tag changes the state and Qt
/// highlights the following blocks again.
enum Construct {
    Normal = 0,
    BlockComment = 1,
    SingleQuoted = 2,
    EscapeQuoted = 3, ///< PostgreSQL E'...': backslash escapes
    DoubleQuoted = 4,
    Backticked = 5,
    DollarQuoted = 6,
};
constexpr int ConstructBits = 4;
constexpr int ConstructMask = (1 << ConstructBits) - 1;

/// The delimiter ($$ or $tag$) of the dollar quote a block ends inside of.
class DollarTag final : public QTextBlockUserData
{
public:
    explicit DollarTag(QString delimiter)
        : delimiter(std::move(delimiter))
    { }
    QString delimiter;
};

int dollarState(const QString &delimiter)
{
    return DollarQuoted | int((qHash(delimiter) & 0xffffff) << ConstructBits);
}

bool isNameStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= u'0' && c <= u'9');
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

/// The index after the quote that closes a literal or quoted identifier, scanning from
/// `from`; -1 when the line ends first. A doubled quote is an escaped quote.
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

/// The delimiter of the dollar quote that opens at `dollar`, or an empty string when none
/// does (the same rule as findSqlParameters: "$1" and "a$b" open nothing).
QString dollarDelimiter(QStringView text, qsizetype dollar)
{
    if (dollar > 0 && (isNameChar(text.at(dollar - 1)) || text.at(dollar - 1) == u'$'))
        return {};
    qsizetype i = dollar + 1;
    if (i < text.size() && isNameStart(text.at(i))) {
        while (i < text.size() && isNameChar(text.at(i)))
            ++i;
    }
    if (i >= text.size() || text.at(i) != u'$')
        return {};
    return text.sliced(dollar, i + 1 - dollar).toString();
}

const QSet<QString> &keywords()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        const char *const list[] = {
            "ALL",         "ALTER",        "AND",          "ANY",
            "ARRAY",       "AS",           "ASC",          "ASYMMETRIC",
            "AT",          "BEGIN",        "BETWEEN",      "BIGINT",
            "BINARY",      "BLOB",         "BOOLEAN",      "BOTH",
            "BY",          "CASE",         "CAST",         "CHAR",
            "CHARACTER",   "CHECK",        "COLLATE",      "COLUMN",
            "COMMIT",      "CONSTRAINT",   "CREATE",       "CROSS",
            "CURRENT",     "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
            "DATE",        "DECIMAL",      "DEFAULT",      "DELETE",
            "DESC",        "DISTINCT",     "DOUBLE",       "DROP",
            "ELSE",        "END",          "ESCAPE",       "EXCEPT",
            "EXISTS",      "EXPLAIN",      "EXTRACT",      "FALSE",
            "FETCH",       "FILTER",       "FIRST",        "FLOAT",
            "FOLLOWING",   "FOR",          "FOREIGN",      "FROM",
            "FULL",        "GLOB",         "GROUP",        "GROUPS",
            "HAVING",      "ILIKE",        "IN",           "INDEX",
            "INNER",       "INSERT",       "INT",          "INTEGER",
            "INTERSECT",   "INTERVAL",     "INTO",         "IS",
            "ISNULL",      "JOIN",         "JSON",         "JSONB",
            "KEY",         "LAST",         "LATERAL",      "LEADING",
            "LEFT",        "LIKE",         "LIMIT",        "MATERIALIZED",
            "NATURAL",     "NEXT",         "NOT",          "NOTNULL",
            "NULL",        "NULLS",        "NUMERIC",      "OFFSET",
            "ON",          "ONLY",         "OR",           "ORDER",
            "OUTER",       "OVER",         "PARTITION",    "PRECEDING",
            "PRECISION",   "PRIMARY",      "RANGE",        "REAL",
            "RECURSIVE",   "REFERENCES",   "REGEXP",       "RETURNING",
            "RIGHT",       "ROLLBACK",     "ROW",          "ROWS",
            "SELECT",      "SET",          "SIMILAR",      "SMALLINT",
            "SOME",        "SYMMETRIC",    "TABLE",        "TEXT",
            "THEN",        "TIES",         "TIME",         "TIMESTAMP",
            "TIMESTAMPTZ", "TO",           "TOP",          "TRAILING",
            "TRUE",        "UNBOUNDED",    "UNION",        "UNIQUE",
            "UPDATE",      "USING",        "UUID",         "VALUES",
            "VARCHAR",     "VIEW",         "WHEN",         "WHERE",
            "WINDOW",      "WITH",         "WITHIN",       "WITHOUT",
            "ZONE",
        };
        for (const char *word : list)
            set.insert(QString::fromLatin1(word));
        return set;
    }();
    return words;
}

QColor pick(bool dark, QRgb onLight, QRgb onDark)
{
    return QColor::fromRgb(dark ? onDark : onLight);
}

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setPalette(QGuiApplication::palette());
}

SqlHighlighter::~SqlHighlighter() = default;

void SqlHighlighter::setPalette(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;

    m_keyword = {};
    m_keyword.setForeground(pick(dark, 0x0033b3, 0x7aa6ff));
    m_keyword.setFontWeight(QFont::Bold);

    m_string = {};
    m_string.setForeground(pick(dark, 0x067d17, 0x8fcf7e));

    m_comment = {};
    m_comment.setForeground(palette.color(QPalette::PlaceholderText));
    m_comment.setFontItalic(true);

    m_number = {};
    m_number.setForeground(pick(dark, 0xa04a00, 0xe5a16b));

    m_parameter = {};
    m_parameter.setForeground(pick(dark, 0x871094, 0xe08ff0));
    m_parameter.setFontWeight(QFont::Bold);
    QColor tint = palette.color(QPalette::Highlight);
    tint.setAlpha(dark ? 70 : 40);
    m_parameter.setBackground(tint);

    rehighlight();
}

QTextCharFormat SqlHighlighter::formatFor(Kind kind) const
{
    switch (kind) {
    case Kind::Keyword:
        return m_keyword;
    case Kind::String:
        return m_string;
    case Kind::Comment:
        return m_comment;
    case Kind::Number:
        return m_number;
    case Kind::Parameter:
        return m_parameter;
    }
    return {};
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    const qsizetype n = text.size();
    const auto mark = [this](qsizetype from, qsizetype to, const QTextCharFormat &format) {
        setFormat(int(from), int(to - from), format);
    };
    setCurrentBlockUserData(nullptr);
    setCurrentBlockState(Normal);

    // Open the block inside whatever the previous one ended in.
    qsizetype i = 0;
    const int previous = qMax(0, previousBlockState());
    const auto continueQuoted
        = [&](QChar quote, bool backslashes, const QTextCharFormat *format, int state) {
              const qsizetype end = closeQuoted(text, 0, quote, backslashes);
              if (format)
                  mark(0, end < 0 ? n : end, *format);
              if (end < 0)
                  setCurrentBlockState(state);
              return end < 0 ? n : end;
          };
    switch (previous & ConstructMask) {
    case BlockComment: {
        const qsizetype end = text.indexOf("*/"_L1);
        i = end < 0 ? n : end + 2;
        mark(0, i, m_comment);
        if (end < 0)
            setCurrentBlockState(BlockComment);
        break;
    }
    case SingleQuoted:
        i = continueQuoted(u'\'', false, &m_string, SingleQuoted);
        break;
    case EscapeQuoted:
        i = continueQuoted(u'\'', true, &m_string, EscapeQuoted);
        break;
    case DoubleQuoted:
        i = continueQuoted(u'"', false, nullptr, DoubleQuoted);
        break;
    case Backticked:
        i = continueQuoted(u'`', false, nullptr, Backticked);
        break;
    case DollarQuoted: {
        const auto *tag = dynamic_cast<DollarTag *>(currentBlock().previous().userData());
        const QString delimiter = tag ? tag->delimiter : u"$$"_s;
        const qsizetype close = text.indexOf(delimiter);
        i = close < 0 ? n : close + delimiter.size();
        mark(0, i, m_string);
        if (close < 0) {
            setCurrentBlockUserData(new DollarTag(delimiter));
            setCurrentBlockState(dollarState(delimiter));
        }
        break;
    }
    default:
        break;
    }

    while (i < n) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < n ? text.at(i + 1) : QChar();
        if (c == u'\'') {
            const qsizetype end = closeQuoted(text, i + 1, c, false);
            mark(i, end < 0 ? n : end, m_string);
            if (end < 0)
                setCurrentBlockState(SingleQuoted);
            i = end < 0 ? n : end;
        } else if (c == u'"' || c == u'`') {
            // A quoted identifier: a name, not text, so it keeps the plain format.
            const qsizetype end = closeQuoted(text, i + 1, c, false);
            if (end < 0)
                setCurrentBlockState(c == u'"' ? DoubleQuoted : Backticked);
            i = end < 0 ? n : end;
        } else if (c == u'-' && next == u'-') {
            mark(i, n, m_comment);
            i = n;
        } else if (c == u'/' && next == u'*') {
            const qsizetype end = text.indexOf("*/"_L1, i + 2);
            mark(i, end < 0 ? n : end + 2, m_comment);
            if (end < 0)
                setCurrentBlockState(BlockComment);
            i = end < 0 ? n : end + 2;
        } else if (c == u'$') {
            const QString delimiter = dollarDelimiter(text, i);
            if (delimiter.isEmpty()) {
                ++i;
                continue;
            }
            const qsizetype close = text.indexOf(delimiter, i + delimiter.size());
            const qsizetype end = close < 0 ? n : close + delimiter.size();
            mark(i, end, m_string);
            if (close < 0) {
                setCurrentBlockUserData(new DollarTag(delimiter));
                setCurrentBlockState(dollarState(delimiter));
            }
            i = end;
        } else if (c == u':') {
            if (next == u':' || next == u'=') {
                i += 2; // a ::cast or := assignment; the type name after it is a word
            } else if (isNameStart(next)) {
                qsizetype end = i + 2;
                while (end < n && isNameChar(text.at(end)))
                    ++end;
                mark(i, end, m_parameter);
                i = end;
            } else {
                ++i;
            }
        } else if (isNameStart(c)) {
            qsizetype end = i + 1;
            while (end < n && isNameChar(text.at(end)))
                ++end;
            const QStringView word = QStringView(text).sliced(i, end - i);
            if (end - i == 1 && (c == u'E' || c == u'e') && end < n && text.at(end) == u'\'') {
                // PostgreSQL E'...': the E belongs to the literal, which takes backslashes.
                const qsizetype close = closeQuoted(text, end + 1, u'\'', true);
                mark(i, close < 0 ? n : close, m_string);
                if (close < 0)
                    setCurrentBlockState(EscapeQuoted);
                i = close < 0 ? n : close;
                continue;
            }
            if (keywords().contains(word.toString().toUpper()))
                mark(i, end, m_keyword);
            i = end;
        } else if (isDigit(c) || (c == u'.' && isDigit(next))) {
            qsizetype end = i;
            while (end < n && isDigit(text.at(end)))
                ++end;
            if (end < n && text.at(end) == u'.') {
                ++end;
                while (end < n && isDigit(text.at(end)))
                    ++end;
            }
            if (end < n && (text.at(end) == u'e' || text.at(end) == u'E')) {
                qsizetype exponent = end + 1;
                if (exponent < n && (text.at(exponent) == u'+' || text.at(exponent) == u'-'))
                    ++exponent;
                if (exponent < n && isDigit(text.at(exponent))) {
                    end = exponent;
                    while (end < n && isDigit(text.at(end)))
                        ++end;
                }
            }
            // "1abc" is no number but an odd name; leave it plain.
            if (end >= n || !isNameChar(text.at(end)))
                mark(i, end, m_number);
            while (end < n && isNameChar(text.at(end)))
                ++end;
            i = end;
        } else {
            ++i;
        }
    }
}

} // namespace sluice
