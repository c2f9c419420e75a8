// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlhighlighter.h"

#include <utility>

#include <QGuiApplication>
#include <QTextBlockUserData>
#include <QTextDocument>

#include "palette.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// The block state: the low bits say what the block ends inside of (SqlLexer::Open). For a
/// dollar quote the state also holds a hash of its delimiter, so that a changed tag changes
/// the state and Qt highlights the following blocks again; the delimiter itself is in the
/// block's user data.
constexpr int OpenBits = 4;
constexpr int OpenMask = (1 << OpenBits) - 1;

/// The delimiter ($$ or $tag$) of the dollar quote a block ends inside of.
class DollarTag final : public QTextBlockUserData
{
public:
    explicit DollarTag(QString delimiter)
        : delimiter(std::move(delimiter))
    { }
    QString delimiter;
};

int blockState(const SqlLexer::State &state)
{
    const int open = int(state.open);
    if (state.open != SqlLexer::Open::DollarQuoted)
        return open;
    return open | int((qHash(state.dollarDelimiter) & 0xffffff) << OpenBits);
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
    m_keyword = {};
    m_keyword.setForeground(themedColor(palette, 0x0033b3, 0x7aa6ff));
    m_keyword.setFontWeight(QFont::Bold);

    m_string = {};
    m_string.setForeground(themedColor(palette, 0x067d17, 0x8fcf7e));

    m_comment = {};
    m_comment.setForeground(palette.color(QPalette::PlaceholderText));
    m_comment.setFontItalic(true);

    m_number = {};
    m_number.setForeground(themedColor(palette, 0xa04a00, 0xe5a16b));

    m_parameter = {};
    m_parameter.setForeground(themedColor(palette, 0x871094, 0xe08ff0));
    m_parameter.setFontWeight(QFont::Bold);
    QColor tint = palette.color(QPalette::Highlight);
    tint.setAlpha(isDark(palette) ? 70 : 40);
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

const QTextCharFormat *SqlHighlighter::formatOf(SqlLexer::Kind kind) const
{
    switch (kind) {
    case SqlLexer::Kind::Keyword:
        return &m_keyword;
    case SqlLexer::Kind::String:
    case SqlLexer::Kind::DollarQuoted:
        return &m_string;
    case SqlLexer::Kind::Comment:
        return &m_comment;
    case SqlLexer::Kind::Number:
        return &m_number;
    case SqlLexer::Kind::Parameter:
        return &m_parameter;
    case SqlLexer::Kind::Identifier:
    case SqlLexer::Kind::QuotedIdentifier: // a name, not text
    case SqlLexer::Kind::Cast:
    case SqlLexer::Kind::Assignment:
        break;
    }
    return nullptr;
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    // Open the block inside whatever the previous one ended in.
    SqlLexer::State state;
    const int previous = qMax(0, previousBlockState());
    state.open = SqlLexer::Open(previous & OpenMask);
    if (state.open == SqlLexer::Open::DollarQuoted) {
        const auto *tag = dynamic_cast<DollarTag *>(currentBlock().previous().userData());
        state.dollarDelimiter = tag ? tag->delimiter : u"$$"_s;
    }

    SqlLexer lexer(text, std::move(state));
    while (const std::optional<SqlLexer::Token> token = lexer.next()) {
        if (const QTextCharFormat *format = formatOf(token->kind))
            setFormat(int(token->start), int(token->length), *format);
    }

    const SqlLexer::State &end = lexer.state();
    setCurrentBlockUserData(
        end.open == SqlLexer::Open::DollarQuoted ? new DollarTag(end.dollarDelimiter) : nullptr);
    setCurrentBlockState(blockState(end));
}

} // namespace sluice
