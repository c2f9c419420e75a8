// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QString>
#include <QStringView>

namespace sluice {

/// The one place that says which part of SQL text is what: findSqlParameters() and the
/// editor's highlighter both read SQL through it, so the parameters the run binds and the
/// ones the editor colours are the same by construction.
///
/// Rules (PostgreSQL, SQLite and MySQL spellings together):
/// - '...' literals ('' is a quote inside); E'...' (a lone E or e right before the quote)
///   also takes backslash escapes. The token includes the quotes and the E.
/// - "..." and `...` quoted identifiers ("" and `` escape the quote).
/// - -- comments to the end of the line (the '\n' is not part of the token); /* */
///   comments, not nested: the first */ closes.
/// - PostgreSQL dollar quotes $$...$$ and $tag$...$tag$ (tag: isIdentifierStart() then
///   isIdentifierChar()); a $ right after a name character or another $ opens none, so
///   $1 and a$b$ are no quotes.
/// - :name parameters (name by isIdentifierStart()/isIdentifierChar()), :: casts and :=
///   assignments (so neither the type after :: nor := itself is a parameter).
/// - Words (keywords, case-insensitive, or identifiers) and numbers (digits, an optional
///   fraction, an optional exponent; 1abc is no number and no token).
/// Blanks, operators, punctuation and anything else between tokens belong to no token.
///
/// The lexer works on a whole text or line by line: a literal, quoted identifier, block
/// comment or dollar quote still open at the end of the text is recorded in state(), and
/// a lexer given that state continues it at the start of the next text. A lexer does not
/// copy or own its text; it must outlive the lexer. Any thread; no shared state.
class SqlLexer final
{
public:
    enum class Kind {
        Keyword,
        Identifier,
        QuotedIdentifier, ///< "..." or `...`, quotes included
        String, ///< '...' or E'...', quotes included
        Comment, ///< -- or /* */, delimiters included
        Number,
        Parameter, ///< :name, colon included
        Cast, ///< ::
        Assignment, ///< :=
        DollarQuoted, ///< $tag$...$tag$, delimiters included
    };

    /// What the text ends inside of.
    enum class Open {
        Nothing,
        BlockComment,
        String,
        EscapeString, ///< E'...': backslashes escape
        DoubleQuoted,
        Backticked,
        DollarQuoted,
    };

    struct State
    {
        Open open = Open::Nothing;
        /// The whole delimiter ("$$", "$tag$") when open is DollarQuoted; empty otherwise.
        QString dollarDelimiter;

        bool operator==(const State &) const = default;
    };

    /// A piece of the text: [start, start + length). A token continued from a previous
    /// text starts at 0; a token still open at the end runs to the end.
    struct Token
    {
        Kind kind;
        qsizetype start;
        qsizetype length;

        bool operator==(const Token &) const = default;
    };

    /// Lexes text, which begins inside whatever `state` says is open.
    SqlLexer(QStringView text, State state);
    /// Lexes text that begins outside of any literal or comment.
    explicit SqlLexer(QStringView text);

    /// The next token, in text order; nullopt at the end.
    std::optional<Token> next();

    /// After next() returned nullopt: what the text ends inside of (the state to give the
    /// lexer of the following line). Before, what the text is inside of at the current
    /// position.
    const State &state() const { return m_state; }

private:
    // Each makes the token that starts at m_pos, moves m_pos past it and updates m_state.
    Token continueOpen();
    /// The contents start at contentStart; open names the quote and what stays open if
    /// the text ends first.
    Token quoted(Kind kind, qsizetype contentStart, Open open);
    /// The delimiter is m_state.dollarDelimiter.
    Token dollarQuoted(qsizetype bodyStart);
    Token blockComment(qsizetype bodyStart);
    Token word();
    /// nullopt (and m_pos past it) when the digits run into a name: 1abc.
    std::optional<Token> number();
    Token take(Kind kind, qsizetype end);

    QStringView m_text;
    qsizetype m_pos = 0;
    State m_state;
};

} // namespace sluice
