// SPDX-License-Identifier: GPL-3.0-or-later
// The text -> typed query parameter rule that `sluice run --set` and the Query step share.
#include <limits>

#include <QObject>
#include <QString>
#include <QTest>
#include <QVariant>

#include "spec/parametervalue.h"

using namespace Qt::StringLiterals;
using namespace sluice;

class TstParameterValue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromText_data();
    void fromText();
    void textReadsBack_data();
    void textReadsBack();
};

void TstParameterValue::fromText_data()
{
    QTest::addColumn<QVariant>("fileValue");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QVariant>("expected"); ///< null: the value is null (or, refused, none)
    QTest::addColumn<QString>("error"); ///< the message when refused

    const QVariant integer(qlonglong(10));
    const QVariant refused;
    constexpr qlonglong Min = std::numeric_limits<qlonglong>::min();
    constexpr qlonglong Max = std::numeric_limits<qlonglong>::max();
    const QString range = u"(-9223372036854775808 to 9223372036854775807)"_s;

    QTest::newRow("integer") << integer << u"25"_s << QVariant(qlonglong(25)) << QString();
    QTest::newRow("integer, negative")
        << integer << u"-3"_s << QVariant(qlonglong(-3)) << QString();
    QTest::newRow("integer, signed") << integer << u"+7"_s << QVariant(qlonglong(7)) << QString();
    QTest::newRow("integer, blanks around")
        << integer << u" 5 "_s << QVariant(qlonglong(5)) << QString();
    // 2^53 + 1 has no double: through one it would become 2^53.
    QTest::newRow("integer, 2^53 + 1")
        << integer << u"9007199254740993"_s << QVariant(qlonglong(9007199254740993)) << QString();
    QTest::newRow("integer, largest")
        << integer << u"9223372036854775807"_s << QVariant(Max) << QString();
    QTest::newRow("integer, smallest")
        << integer << u"-9223372036854775808"_s << QVariant(Min) << QString();
    QTest::newRow("integer, above 64 bits")
        << integer << u"9223372036854775808"_s << refused
        << u"query.parameters.p: \"9223372036854775808\" is out of the integer range "_s + range;
    QTest::newRow("integer, below 64 bits")
        << integer << u"-9223372036854775809"_s << refused
        << u"query.parameters.p: \"-9223372036854775809\" is out of the integer range "_s + range;
    QTest::newRow("integer, word")
        << integer << u"ten"_s << refused << u"query.parameters.p: \"ten\" is not an integer"_s;
    QTest::newRow("integer, real")
        << integer << u"2.5"_s << refused << u"query.parameters.p: \"2.5\" is not an integer"_s;
    QTest::newRow("integer, exponent")
        << integer << u"1e3"_s << refused << u"query.parameters.p: \"1e3\" is not an integer"_s;
    QTest::newRow("integer, empty")
        << integer << QString() << refused << u"query.parameters.p: \"\" is not an integer"_s;
    QTest::newRow("integer given as int")
        << QVariant(3) << u"4"_s << QVariant(qlonglong(4)) << QString();

    const QVariant real(0.5);
    QTest::newRow("real") << real << u"2.25"_s << QVariant(2.25) << QString();
    QTest::newRow("real, negative") << real << u"-0.125"_s << QVariant(-0.125) << QString();
    QTest::newRow("real, integral") << real << u"3"_s << QVariant(3.0) << QString();
    QTest::newRow("real, exponent") << real << u"1e3"_s << QVariant(1000.0) << QString();
    QTest::newRow("real, word") << real << u"half"_s << refused
                                << u"query.parameters.p: \"half\" is not a number"_s;
    QTest::newRow("real, comma") << real << u"1,5"_s << refused
                                 << u"query.parameters.p: \"1,5\" is not a number"_s;
    QTest::newRow("real, infinite")
        << real << u"inf"_s << refused << u"query.parameters.p: \"inf\" is not a number"_s;
    QTest::newRow("real, overflow")
        << real << u"1e400"_s << refused << u"query.parameters.p: \"1e400\" is not a number"_s;
    QTest::newRow("real, NaN") << real << u"nan"_s << refused
                               << u"query.parameters.p: \"nan\" is not a number"_s;
    QTest::newRow("real, empty") << real << QString() << refused
                                 << u"query.parameters.p: \"\" is not a number"_s;

    const QVariant boolean(true);
    QTest::newRow("boolean, true") << boolean << u"true"_s << QVariant(true) << QString();
    QTest::newRow("boolean, false") << boolean << u"false"_s << QVariant(false) << QString();
    for (const QString &text : {u"TRUE"_s, u"yes"_s, u"1"_s, u" true"_s, QString()}) {
        QTest::addRow("boolean, \"%s\"", qPrintable(text))
            << boolean << text << refused
            << u"query.parameters.p: \"%1\" is not a boolean (true or false)"_s.arg(text);
    }

    const QVariant text(u"2024-01-01"_s);
    QTest::newRow("text") << text << u"2025-06-30"_s << QVariant(u"2025-06-30"_s) << QString();
    QTest::newRow("text that reads as a number")
        << text << u"42"_s << QVariant(u"42"_s) << QString();
    QTest::newRow("text, blanks kept") << text << u" a "_s << QVariant(u" a "_s) << QString();
    QTest::newRow("text, empty") << text << QString() << QVariant(u""_s) << QString();
    QTest::newRow("empty text, empty")
        << QVariant(u""_s) << QString() << QVariant(u""_s) << QString();

    // Null, or not in the file at all: the type is unknown, so the text is text.
    QTest::newRow("null") << QVariant() << u"10"_s << QVariant(u"10"_s) << QString();
    QTest::newRow("null, word") << QVariant() << u"ten"_s << QVariant(u"ten"_s) << QString();
    QTest::newRow("null, empty stays null") << QVariant() << QString() << QVariant() << QString();
}

void TstParameterValue::fromText()
{
    QFETCH(QVariant, fileValue);
    QFETCH(QString, text);
    QFETCH(QVariant, expected);
    QFETCH(QString, error);

    SpecError problem;
    const std::optional<QVariant> value = parameterFromText(u"p"_s, fileValue, text, &problem);
    if (!error.isEmpty()) {
        QVERIFY2(!value, qPrintable(value->toString()));
        QCOMPARE(problem.path, u"query.parameters.p"_s);
        QCOMPARE(problem.toString(), error);
        return;
    }
    QVERIFY2(value, qPrintable(problem.toString()));
    QCOMPARE(value->metaType(), expected.metaType());
    QCOMPARE(*value, expected);
}

void TstParameterValue::textReadsBack_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("integer") << QVariant(qlonglong(-42)) << u"-42"_s;
    QTest::newRow("integer, largest")
        << QVariant(std::numeric_limits<qlonglong>::max()) << u"9223372036854775807"_s;
    QTest::newRow("real") << QVariant(0.1) << u"0.1"_s;
    QTest::newRow("real, integral") << QVariant(3.0) << u"3"_s;
    QTest::newRow("real, large") << QVariant(1e300) << u"1e+300"_s;
    QTest::newRow("true") << QVariant(true) << u"true"_s;
    QTest::newRow("false") << QVariant(false) << u"false"_s;
    QTest::newRow("text") << QVariant(u"x y"_s) << u"x y"_s;
    QTest::newRow("empty text") << QVariant(u""_s) << QString();
    QTest::newRow("null") << QVariant() << QString();
}

void TstParameterValue::textReadsBack()
{
    QFETCH(QVariant, value);
    QFETCH(QString, text);
    QCOMPARE(parameterText(value), text);
    const std::optional<QVariant> back = parameterFromText(u"p"_s, value, text, nullptr);
    QVERIFY(back);
    QCOMPARE(back->isNull(), value.isNull());
    QCOMPARE(back->metaType(), value.metaType());
    QCOMPARE(*back, value);
}

QTEST_GUILESS_MAIN(TstParameterValue)
#include "tst_parametervalue.moc"
