// SPDX-License-Identifier: GPL-3.0-or-later
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

#include "json/jsonobjectwriter.h"
#include "json/jsonreader.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

/// The text without the blank space outside strings.
QByteArray stripBlank(QByteArrayView json)
{
    QByteArray out;
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            continue;
        }
        out += c;
    }
    return out;
}

} // namespace

class TstJsonReader : public QObject
{
    Q_OBJECT

private slots:
    void compactKeepsTokens_data();
    void compactKeepsTokens();
    void syntaxErrors_data();
    void syntaxErrors();
    void indentLayout_data();
    void indentLayout();
    void decodedText_data();
    void decodedText();
    void depthLimit();
    void findMember();
    void memberNames();
    void stringsWithPaths();
    void objectWriter();
};

void TstJsonReader::compactKeepsTokens_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("compact");

    // The example of the issue that asked for this reader: a payload a steward edited.
    QTest::newRow("order and literals")
        << QByteArray(R"({"value": 12.50, "id": 74, "zeta": 1, "alpha": 2,)"
                      R"( "huge": 123456789012345678901234567890, "price": 1.10})")
        << QByteArray(R"({"value":12.50,"id":74,"zeta":1,"alpha":2,)"
                      R"("huge":123456789012345678901234567890,"price":1.10})");
    QTest::newRow("numbers as written")
        << QByteArray("[ -0, -0.0, 1E+2, 1e-7, 0.10, 100000000000000000000000 ]")
        << QByteArray("[-0,-0.0,1E+2,1e-7,0.10,100000000000000000000000]");
    QTest::newRow("escapes as written") << QByteArray(R"( "caf\u00e9 \/ \" \\ \n \ud83d\ude00" )")
                                        << QByteArray(R"("caf\u00e9 \/ \" \\ \n \ud83d\ude00")");
    QTest::newRow("blank space inside strings stays")
        << QByteArray("{ \"a b\" :\t\"c  d\"\r\n}") << QByteArray(R"({"a b":"c  d"})");
    QTest::newRow("UTF-8 text") << QByteArray("{\"名\": \"Zürich 😀\"}")
                                << QByteArray("{\"名\":\"Zürich 😀\"}");
    QTest::newRow("scalars at the top") << QByteArray(" true ") << QByteArray("true");
    QTest::newRow("empty containers")
        << QByteArray("{ \"a\": { }, \"b\": [ ] }") << QByteArray(R"({"a":{},"b":[]})");
    QTest::newRow("byte order mark")
        << QByteArray("\xef\xbb\xbf{\"a\":1}") << QByteArray(R"({"a":1})");
    QTest::newRow("same name in different objects")
        << QByteArray(R"({"a": {"a": 1}, "b": {"a": 2}})")
        << QByteArray(R"({"a":{"a":1},"b":{"a":2}})");
}

void TstJsonReader::compactKeepsTokens()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, compact);
    JsonSyntaxError error;
    const std::optional<QByteArray> result = compactJson(text, &error);
    QVERIFY2(result, qPrintable(error.toString()));
    QCOMPARE(*result, compact);
    QVERIFY(!error.isError());
    // Compact text is its own compact form.
    QCOMPARE(compactJson(*result).value(), compact);
}

void TstJsonReader::syntaxErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    QTest::newRow("empty") << QByteArray(" \n") << 2 << 1
                           << u"there is no JSON value: the text is empty"_s;
    QTest::newRow("missing comma, pointed after the value")
        << QByteArray("{\n  \"a\": 1\n  \"b\": 2\n}") << 2 << 9
        << u"missing comma (or a } to close the object)"_s;
    QTest::newRow("missing comma in an array")
        << QByteArray("[1 2]") << 1 << 3 << u"missing comma (or a ] to close the array)"_s;
    QTest::newRow("unquoted name")
        << QByteArray("{ name: 1 }") << 1 << 3 << u"a name in double quotes is expected"_s;
    QTest::newRow("missing colon")
        << QByteArray("{\"a\" 1}") << 1 << 6 << u"missing colon after the name"_s;
    QTest::newRow("capitalised literal")
        << QByteArray("[True]") << 1 << 2
        << u"not a JSON value (text needs double quotes; true, false and null are written in "
           u"lower case)"_s;
    QTest::newRow("single quotes")
        << QByteArray("['a']") << 1 << 2
        << u"not a JSON value (text needs double quotes; true, false and null are written in "
           u"lower case)"_s;
    QTest::newRow("trailing comma in an object")
        << QByteArray("{\"a\": 1,}") << 1 << 9
        << u"a comma is followed by nothing (JSON allows no comma before } or ])"_s;
    QTest::newRow("trailing comma in an array")
        << QByteArray("[1,]") << 1 << 4
        << u"a comma is followed by nothing (JSON allows no comma before } or ])"_s;
    QTest::newRow("two commas") << QByteArray("[1,,2]") << 1 << 4 << u"a value is expected"_s;
    QTest::newRow("no value after the colon")
        << QByteArray("{\"a\": }") << 1 << 7 << u"a value is expected"_s;
    QTest::newRow("value missing at the end")
        << QByteArray("{\"a\": \n") << 1 << 5 << u"a value is missing at the end"_s;
    QTest::newRow("object not closed, pointed at its last character")
        << QByteArray("{\n  \"a\": [1, 2]\n\n") << 2 << 13
        << u"the object is not closed: a } is missing"_s;
    QTest::newRow("array not closed")
        << QByteArray("[1, [2]") << 1 << 7 << u"the array is not closed: a ] is missing"_s;
    QTest::newRow("wrong bracket")
        << QByteArray("{\"a\": 1]") << 1 << 8 << u"] cannot close an object: a } is expected"_s;
    QTest::newRow("text after the end") << QByteArray("{\"a\": 1} x") << 1 << 10
                                        << u"unexpected text after the end of the JSON value"_s;
    QTest::newRow("a name twice") << QByteArray("{\"id\": 1,\n \"id\": 2}") << 2 << 2
                                  << u"\"id\" is given twice in the same object"_s;
    QTest::newRow("a name twice, once escaped") << QByteArray(R"({"é": 1, "\u00e9": 2})") << 1 << 10
                                                << u"\"é\" is given twice in the same object"_s;
    const QString badNumber = u"not a valid number (JSON numbers look like 12, -3.5 or 1e6)"_s;
    QTest::newRow("leading zero") << QByteArray("[01]") << 1 << 2 << badNumber;
    QTest::newRow("bare fraction") << QByteArray("[1.]") << 1 << 2 << badNumber;
    QTest::newRow("leading dot") << QByteArray("[.5]") << 1 << 2
                                 << u"not a JSON value (text needs double quotes; true, false and "
                                    u"null are written in lower case)"_s;
    QTest::newRow("empty exponent") << QByteArray("[1e]") << 1 << 2 << badNumber;
    QTest::newRow("minus alone") << QByteArray("[-]") << 1 << 2 << badNumber;
    QTest::newRow("NaN word") << QByteArray("[-Infinity]") << 1 << 2 << badNumber;
    QTest::newRow("hex") << QByteArray("[0x10]") << 1 << 2 << badNumber;
    QTest::newRow("unclosed string")
        << QByteArray("[\"abc") << 1 << 2 << u"a string is not closed: a \" is missing"_s;
    QTest::newRow("line break in a string")
        << QByteArray("[\"ab\ncd\"]") << 1 << 5
        << u"a line break or other control character inside a string (a \" may be missing; "
           u"in text, write a line break as \\n)"_s;
    QTest::newRow("bad escape") << QByteArray(R"(["a\x"])") << 1 << 4
                                << u"invalid escape sequence in a string (a \\ is written \\\\)"_s;
    QTest::newRow("short unicode escape")
        << QByteArray(R"(["\u12"])") << 1 << 3
        << u"invalid escape sequence in a string: \\u needs four hexadecimal digits"_s;
    QTest::newRow("invalid UTF-8")
        << QByteArray("[\"a\xff\"]") << 1 << 4 << u"invalid UTF-8 in a string"_s;
    QTest::newRow("overlong UTF-8")
        << QByteArray("[\"\xc0\xaf\"]") << 1 << 3 << u"invalid UTF-8 in a string"_s;
    QTest::newRow("encoded surrogate")
        << QByteArray("[\"\xed\xa0\x80\"]") << 1 << 3 << u"invalid UTF-8 in a string"_s;
    QTest::newRow("columns count characters") << QByteArray("{\"ä€😀\": \"é\" \"b\": 1}") << 1 << 12
                                              << u"missing comma (or a } to close the object)"_s;
}

void TstJsonReader::syntaxErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);

    JsonSyntaxError error;
    QVERIFY(!compactJson(text, &error));
    QVERIFY(error.isError());
    QCOMPARE(error.message, message);
    QCOMPARE(error.line, line);
    QCOMPARE(error.column, column);
    QCOMPARE(error.toString(), u"line %1, column %2: %3"_s.arg(line).arg(column).arg(message));
    QVERIFY(!indentJson(text));

    // The reader stays at its error.
    JsonReader reader(text);
    while (reader.next() != JsonReader::Token::Error)
        QVERIFY(reader.token() != JsonReader::Token::End);
    QCOMPARE(reader.next(), JsonReader::Token::Error);
    QCOMPARE(reader.error().offset, error.offset);

    // Without the name check, every other error is still found, at the same place.
    JsonReader unchecked(text, JsonReader::Names::Unchecked);
    JsonReader::Token token = unchecked.next();
    while (token != JsonReader::Token::Error && token != JsonReader::Token::End)
        token = unchecked.next();
    if (message.endsWith(u"is given twice in the same object"_s)) {
        QCOMPARE(token, JsonReader::Token::End);
    } else {
        QCOMPARE(token, JsonReader::Token::Error);
        QCOMPARE(unchecked.error().offset, error.offset);
        QCOMPARE(unchecked.error().message, message);
    }
}

void TstJsonReader::indentLayout_data()
{
    QTest::addColumn<QByteArray>("compact");

    QTest::newRow("object") << QByteArray(R"({"b":1,"a":[true,null,"x"],"c":{"d":"e"}})");
    QTest::newRow("empty containers") << QByteArray(R"({"a":{},"b":[],"c":[{}]})");
    QTest::newRow("structural characters in strings")
        << QByteArray(R"({"a{,":"]\",:[","b\\":"\\"})");
    QTest::newRow("scalar") << QByteArray(R"("text")");
    QTest::newRow("literals") << QByteArray(R"([12.50,1E+2,123456789012345678901234567890])");
}

void TstJsonReader::indentLayout()
{
    QFETCH(QByteArray, compact);
    const QByteArray indented = indentJson(compact).value();
    QCOMPARE(stripBlank(indented), compact);
    QVERIFY(!indented.endsWith('\n'));
    // QJsonDocument's layout, apart from empty containers, kept on one line; compared where
    // QJsonDocument keeps the tokens (its keys sorted, its numbers doubles).
    const QJsonDocument document = QJsonDocument::fromJson(compact);
    if (!document.isNull() && document.toJson(QJsonDocument::Compact) == compact) {
        QString qt = QString::fromUtf8(document.toJson()).trimmed();
        static const QRegularExpression emptyObject(u"\\{\\n\\s*\\}"_s);
        static const QRegularExpression emptyArray(u"\\[\\n\\s*\\]"_s);
        qt.replace(emptyObject, u"{}"_s).replace(emptyArray, u"[]"_s);
        QCOMPARE(QString::fromUtf8(indented), qt);
    }
}

void TstJsonReader::decodedText_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("text");

    QTest::newRow("plain") << QByteArray(R"("abc")") << u"abc"_s;
    QTest::newRow("short escapes") << QByteArray(R"("\"\\\/\b\f\n\r\t")") << u"\"\\/\b\f\n\r\t"_s;
    QTest::newRow("unicode escape") << QByteArray(R"("caf\u00E9")") << u"café"_s;
    QTest::newRow("surrogate pair") << QByteArray(R"("\ud83d\ude00!")") << u"😀!"_s;
    QTest::newRow("UTF-8") << QByteArray("\"Zürich\"") << u"Zürich"_s;
    QTest::newRow("empty") << QByteArray(R"("")") << QString();
}

void TstJsonReader::decodedText()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, text);
    JsonReader reader(json);
    QCOMPARE(reader.next(), JsonReader::Token::String);
    QCOMPARE(reader.text(), text);
    QCOMPARE(reader.raw(), QByteArrayView(json));
    QCOMPARE(reader.next(), JsonReader::Token::End);
}

void TstJsonReader::depthLimit()
{
    const QByteArray deepest
        = QByteArray(JsonReader::MaxDepth, '[') + QByteArray(JsonReader::MaxDepth, ']');
    QVERIFY(compactJson(deepest));
    const QByteArray tooDeep = '[' + deepest + ']';
    JsonSyntaxError error;
    QVERIFY(!compactJson(tooDeep, &error));
    QCOMPARE(error.message, u"nested too deeply (more than 512 levels)"_s);
    QCOMPARE(error.column, JsonReader::MaxDepth + 1);
}

void TstJsonReader::findMember()
{
    const QByteArray text = R"({"a": {"b": [1, {"c": 2}], "t": { "x" : 12.50 } }, "z": "s"})";
    QCOMPARE(findJsonMember(text, {u"a"_s, u"t"_s}), QByteArrayView(R"({ "x" : 12.50 })"));
    QCOMPARE(findJsonMember(text, {u"a"_s, u"t"_s, u"x"_s}), QByteArrayView("12.50"));
    QCOMPARE(findJsonMember(text, {u"z"_s}), QByteArrayView(R"("s")"));
    QCOMPARE(findJsonMember(text, {}), QByteArrayView(text));
    QVERIFY(findJsonMember(text, {u"a"_s, u"missing"_s}).isNull());
    QVERIFY(findJsonMember(text, {u"z"_s, u"deeper"_s}).isNull());
    QVERIFY(findJsonMember("[1]", {u"a"_s}).isNull());
    QVERIFY(findJsonMember(R"({"a": [1, )", {u"a"_s}).isNull());
}

void TstJsonReader::memberNames()
{
    QCOMPARE(jsonMemberNames(R"({"z": 1, "a": {"q": 2}, "m\u00e9": []})"),
             (QStringList {u"z"_s, u"a"_s, u"mé"_s}));
    QCOMPARE(jsonMemberNames("{}"), QStringList());
    QCOMPARE(jsonMemberNames("[1]"), QStringList());
    QCOMPARE(jsonMemberNames(R"({"a": 1)"), QStringList());
}

void TstJsonReader::stringsWithPaths()
{
    QStringList seen;
    const auto record = [&seen](const QString &path, const QString &text) {
        seen.append(path + u'=' + text);
    };
    QVERIFY(forEachJsonString(R"({"z": "1", "a": {"k": ["x", 2, ["y"]]}, "n": null})",
                              u"transform.template"_s, record));
    QCOMPARE(seen,
             (QStringList {u"transform.template.z=1"_s, u"transform.template.a.k[0]=x"_s,
                           u"transform.template.a.k[2][0]=y"_s}));
    seen.clear();
    QVERIFY(forEachJsonString(R"("top")", {}, record));
    QCOMPARE(seen, QStringList {u"=top"_s});
    QVERIFY(!forEachJsonString(R"({"a": "x" "b": 1})", {}, record));
}

void TstJsonReader::objectWriter()
{
    QByteArray out;
    {
        JsonObjectWriter object(&out);
        object.string(u"z"_s, u"text \"q\""_s);
        object.integer(u"a"_s, -5);
        object.boolean(u"b"_s, true);
        object.raw(u"n"_s, "12.50");
        object.string(u"z"_s, u"second z is skipped"_s);
        QVERIFY(!object.member(u"a"_s));
        object.object(u"inner"_s, [](JsonObjectWriter &inner) { inner.integer(u"x"_s, 1); });
        object.object(u"empty"_s, [](JsonObjectWriter &) {});
    }
    // In the order of the calls, each name once, valid JSON.
    // (No raw string here: moc misreads one that holds \".)
    QCOMPARE(out,
             QByteArray("{\"z\":\"text \\\"q\\\"\",\"a\":-5,\"b\":true,\"n\":12.50,"
                        "\"inner\":{\"x\":1},\"empty\":{}}"));
    QVERIFY(compactJson(out));
}

QTEST_APPLESS_MAIN(TstJsonReader)
#include "tst_jsonreader.moc"
