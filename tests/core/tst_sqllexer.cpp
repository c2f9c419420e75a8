// SPDX-License-Identifier: GPL-3.0-or-later
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTest>

#include "db/sqllexer.h"

using namespace Qt::StringLiterals;
using sluice::SqlLexer;

namespace {

QString kindName(SqlLexer::Kind kind)
{
    switch (kind) {
    case SqlLexer::Kind::Keyword:
        return u"keyword"_s;
    case SqlLexer::Kind::Identifier:
        return u"identifier"_s;
    case SqlLexer::Kind::QuotedIdentifier:
        return u"quoted"_s;
    case SqlLexer::Kind::String:
        return u"string"_s;
    case SqlLexer::Kind::Comment:
        return u"comment"_s;
    case SqlLexer::Kind::Number:
        return u"number"_s;
    case SqlLexer::Kind::Parameter:
        return u"parameter"_s;
    case SqlLexer::Kind::Cast:
        return u"cast"_s;
    case SqlLexer::Kind::Assignment:
        return u"assignment"_s;
    case SqlLexer::Kind::DollarQuoted:
        return u"dollar"_s;
    }
    return u"?"_s;
}

QString stateName(const SqlLexer::State &state)
{
    switch (state.open) {
    case SqlLexer::Open::Nothing:
        return u"nothing"_s;
    case SqlLexer::Open::BlockComment:
        return u"block comment"_s;
    case SqlLexer::Open::String:
        return u"string"_s;
    case SqlLexer::Open::EscapeString:
        return u"escape string"_s;
    case SqlLexer::Open::DoubleQuoted:
        return u"double quoted"_s;
    case SqlLexer::Open::Backticked:
        return u"backticked"_s;
    case SqlLexer::Open::DollarQuoted:
        return u"dollar "_s + state.dollarDelimiter;
    }
    return u"?"_s;
}

/// Lexes lines one after another, each starting in the state the one before ended in:
/// "kind(text) kind(text) | kind(text)" (lines apart by " | "), and the final state.
std::pair<QString, SqlLexer::State> lexLines(const QStringList &lines)
{
    QStringList rendered;
    SqlLexer::State state;
    for (const QString &line : lines) {
        SqlLexer lexer(line, state);
        QStringList tokens;
        while (const std::optional<SqlLexer::Token> token = lexer.next())
            tokens.append(kindName(token->kind) + u'(' + line.sliced(token->start, token->length)
                          + u')');
        rendered.append(tokens.join(u' '));
        state = lexer.state();
    }
    return {rendered.join(u" | "_s), state};
}

/// The kind of the token each character is part of, or -1; over the whole text at once
/// when lineByLine is false, else line by line with the state carried over.
QList<int> kindPerCharacter(const QString &text, bool lineByLine)
{
    QList<int> kinds(text.size(), -1);
    const QStringList lines = lineByLine ? text.split(u'\n') : QStringList {text};
    qsizetype offset = 0;
    SqlLexer::State state;
    for (const QString &line : lines) {
        SqlLexer lexer(line, state);
        while (const std::optional<SqlLexer::Token> token = lexer.next()) {
            for (qsizetype i = 0; i < token->length; ++i)
                kinds[offset + token->start + i] = int(token->kind);
        }
        state = lexer.state();
        offset += line.size() + 1;
    }
    return kinds;
}

} // namespace

class TstSqlLexer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokens_data();
    void tokens();
    void lineByLineAsWhole_data();
    void lineByLineAsWhole();
};

void TstSqlLexer::tokens_data()
{
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<QString>("tokens");
    QTest::addColumn<QString>("endState");

    const auto row = [](const char *name, QStringList lines, const QString &tokens,
                        const QString &endState = u"nothing"_s) {
        QTest::newRow(name) << lines << tokens << endState;
    };

    row("empty", {QString()}, QString());
    row("blanks and punctuation only", {u" ,;()+-*/ "_s}, QString());
    row("words", {u"SELECT name FROM t"_s},
        u"keyword(SELECT) identifier(name) keyword(FROM) identifier(t)"_s);
    row("keywords in any case", {u"select Select sElEcT selected"_s},
        u"keyword(select) keyword(Select) keyword(sElEcT) identifier(selected)"_s);
    row("longest keyword", {u"current_timestamp current_timestampx"_s},
        u"keyword(current_timestamp) identifier(current_timestampx)"_s);
    row("non-ASCII ends a word", {u"größe"_s}, u"identifier(gr) identifier(e)"_s);

    // Literals
    row("string", {u"'a b' x"_s}, u"string('a b') identifier(x)"_s);
    row("empty string", {u"''"_s}, u"string('')"_s);
    row("doubled quote", {u"'it''s' x"_s}, u"string('it''s') identifier(x)"_s);
    row("only a doubled quote", {u"'''' x"_s}, u"string('''') identifier(x)"_s);
    row("backslash in a plain string", {u"'a\\' x"_s}, u"string('a\\') identifier(x)"_s);
    row("E string escapes", {u"E'a\\'b' x"_s}, u"string(E'a\\'b') identifier(x)"_s);
    row("lower-case e string", {u"e'\\''"_s}, u"string(e'\\'')"_s);
    row("E string takes '' too", {u"E'a''b' x"_s}, u"string(E'a''b') identifier(x)"_s);
    row("name ending in e before a quote", {u"type'a\\' x"_s},
        u"identifier(type) string('a\\') identifier(x)"_s);
    row("digit and e before a quote", {u"1e'a\\' x"_s}, u"string('a\\') identifier(x)"_s);
    row("unclosed string", {u"x 'a"_s}, u"identifier(x) string('a)"_s, u"string"_s);
    row("unclosed E string", {u"E'a\\'"_s}, u"string(E'a\\')"_s, u"escape string"_s);
    row("string ends with a lone backslash", {u"E'\\"_s}, u"string(E'\\)"_s, u"escape string"_s);

    // Quoted identifiers
    row("double quotes", {u"\"a\"\"b\" c"_s}, u"quoted(\"a\"\"b\") identifier(c)"_s);
    row("backticks", {u"`a``b` c"_s}, u"quoted(`a``b`) identifier(c)"_s);
    row("unclosed double quotes", {u"\"a"_s}, u"quoted(\"a)"_s, u"double quoted"_s);
    row("unclosed backticks", {u"`a"_s}, u"quoted(`a)"_s, u"backticked"_s);

    // Comments
    row("line comment", {u"a -- b :c 'd\ne"_s},
        u"identifier(a) comment(-- b :c 'd) identifier(e)"_s);
    row("line comment at the end", {u"a --"_s}, u"identifier(a) comment(--)"_s);
    row("block comment", {u"a /* :b */ c"_s}, u"identifier(a) comment(/* :b */) identifier(c)"_s);
    row("block comments do not nest", {u"/* a /* b */ c */"_s},
        u"comment(/* a /* b */) identifier(c)"_s);
    row("unclosed block comment", {u"a /* b"_s}, u"identifier(a) comment(/* b)"_s,
        u"block comment"_s);
    row("division and product", {u"a / b * 2 - 1"_s},
        u"identifier(a) identifier(b) number(2) number(1)"_s);

    // Dollar quotes
    row("dollar quote", {u"$$ :x ' $$ y"_s}, u"dollar($$ :x ' $$) identifier(y)"_s);
    row("tagged dollar quote", {u"$fn$ $$ :x $fn$ y"_s},
        u"dollar($fn$ $$ :x $fn$) identifier(y)"_s);
    row("tag with digits and _", {u"$a_1$x$a_1$"_s}, u"dollar($a_1$x$a_1$)"_s);
    row("positional $1", {u"$1, $2"_s}, u"number(1) number(2)"_s);
    row("dollar inside a name", {u"a$b$ c"_s}, u"identifier(a) identifier(b) identifier(c)"_s);
    row("tag cannot start with a digit", {u"$1a$ x"_s}, u"identifier(x)"_s);
    row("unclosed dollar quote", {u"x $q$ :y"_s}, u"identifier(x) dollar($q$ :y)"_s,
        u"dollar $q$"_s);

    // Colons
    row("parameter", {u"a = :start_1"_s}, u"identifier(a) parameter(:start_1)"_s);
    row("parameter ends at non-ASCII", {u":aé"_s}, u"parameter(:a)"_s);
    row("cast", {u"a::text"_s}, u"identifier(a) cast(::) keyword(text)"_s);
    row("cast after a parameter", {u":start::date"_s},
        u"parameter(:start) cast(::) keyword(date)"_s);
    row("cast with spaces", {u"a :: int"_s}, u"identifier(a) cast(::) keyword(int)"_s);
    row("assignment", {u"v:=:yes"_s}, u"identifier(v) assignment(:=) parameter(:yes)"_s);
    row(":123 is no parameter", {u":123 :2x"_s}, u"number(123)"_s);
    row("lone colons", {u": a :"_s}, u"identifier(a)"_s);

    // Numbers
    row("numbers", {u"1 1.5 .5 2. 1e10 1.5E-3 7e+2"_s},
        u"number(1) number(1.5) number(.5) number(2.) number(1e10) number(1.5E-3) number(7e+2)"_s);
    row("exponent without digits", {u"1e+ x"_s}, u"identifier(x)"_s);
    row("digits running into a name", {u"1abc x"_s}, u"identifier(x)"_s);

    // State carried from line to line
    row("block comment over lines", {u"a /* b"_s, u"c"_s, u"d */ e"_s},
        u"identifier(a) comment(/* b) | comment(c) | comment(d */) identifier(e)"_s);
    row("empty line inside a comment", {u"/* a"_s, QString(), u"b */"_s},
        u"comment(/* a) |  | comment(b */)"_s);
    row("string over lines", {u"'it"_s, u"''s"_s, u"' x"_s},
        u"string('it) | string(''s) | string(') identifier(x)"_s);
    row("E string over lines", {u"E'a"_s, u"\\' b"_s, u"' c"_s},
        u"string(E'a) | string(\\' b) | string(') identifier(c)"_s);
    row("plain string over lines", {u"'a"_s, u"\\' b"_s},
        u"string('a) | string(\\') identifier(b)"_s);
    row("quoted identifier over lines", {u"\"a"_s, u"b\" c"_s},
        u"quoted(\"a) | quoted(b\") identifier(c)"_s);
    row("dollar quote over lines", {u"$fn$ a"_s, u"$$ b"_s, u"$fn$ c"_s},
        u"dollar($fn$ a) | dollar($$ b) | dollar($fn$) identifier(c)"_s);
    row("dollar quote still open", {u"$q$"_s, u"x"_s}, u"dollar($q$) | dollar(x)"_s,
        u"dollar $q$"_s);
    row("line comment ends with its line", {u"a -- b"_s, u"c"_s},
        u"identifier(a) comment(-- b) | identifier(c)"_s);
}

void TstSqlLexer::tokens()
{
    QFETCH(QStringList, lines);
    QFETCH(QString, tokens);
    QFETCH(QString, endState);

    const auto [rendered, state] = lexLines(lines);
    QCOMPARE(rendered, tokens);
    QCOMPARE(stateName(state), endState);
}

void TstSqlLexer::lineByLineAsWhole_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("everything") << u"SELECT /* :c1\n :c2 */ a::int, 'l:1\n''x', \"i\n:2\",\n"
                                   "$f$ d:3\n$$ $f$ -- :c3\n"
                                   "FROM t WHERE x := :one AND y = E'\\\n' || :two::date\n"
                                   "AND z = 1.5e3 AND w = `b\nq` AND v = :one"_s;
    QTest::newRow("open at the end") << u"SELECT 1\n/* a\nb"_s;
    QTest::newRow("empty lines") << u"\n\n'a\n\n'\n"_s;
}

void TstSqlLexer::lineByLineAsWhole()
{
    QFETCH(QString, text);

    // What a highlighter colours block by block is what the whole-text lexer finds,
    // except the line breaks, which no block contains.
    QList<int> whole = kindPerCharacter(text, false);
    const QList<int> byLine = kindPerCharacter(text, true);
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'\n')
            whole[i] = -1;
    }
    QCOMPARE(byLine, whole);
}

QTEST_APPLESS_MAIN(TstSqlLexer)
#include "tst_sqllexer.moc"
