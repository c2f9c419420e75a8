// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "models/changedranges.h"
#include "util/text.h"

using namespace Qt::StringLiterals;
using namespace sluice;

/// The small shared rules of util/text.h and models/changedranges.h.
class TstText : public QObject
{
    Q_OBJECT

private slots:
    void identifiers_data();
    void identifiers();
    void firstLines();
    void paths();
    void natural_data();
    void natural();
    void ranges();
};

void TstText::identifiers_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("letters") << u"since"_s << true;
    QTest::newRow("underscore first") << u"_a1"_s << true;
    QTest::newRow("digit first") << u"1a"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u"a b"_s << false;
    QTest::newRow("dash") << u"a-b"_s << false;
    QTest::newRow("non-ASCII letter") << u"größe"_s << false;
}

void TstText::identifiers()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isIdentifier(name), valid);
}

void TstText::firstLines()
{
    QCOMPARE(firstLine(u"  one  \ntwo"_s), u"one"_s);
    QCOMPARE(firstLine(u"  alone  "_s), u"alone"_s);
    QCOMPARE(firstLine(u"abcdef"_s, 3), u"abc…"_s);
    QCOMPARE(firstLine(u"abc\ndef"_s, 3), u"abc"_s);
    QCOMPARE(firstLine(QByteArrayView("Zürich is long\nx"), 6), u"Zürich…"_s);
    QCOMPARE(firstLine(QByteArrayView("{\"error\":\"x\"}\r\n")), u"{\"error\":\"x\"}"_s);
    QCOMPARE(firstLine(QByteArrayView()), QString());
}

void TstText::paths()
{
    QCOMPARE(joinPath(u"target", u"url"), u"target.url"_s);
    QCOMPARE(joinPath(u"", u"version"), u"version"_s);
    QCOMPARE(quoted(u"a b"), u"\"a b\""_s);
}

void TstText::natural_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("order");
    QTest::newRow("numbers by value") << u"item-9"_s << u"item-10"_s << -1;
    QTest::newRow("leading zeros ignored") << u"a007"_s << u"a7"_s << 0;
    QTest::newRow("text by code unit") << u"B"_s << u"a"_s << -1;
    QTest::newRow("prefix first") << u"ab"_s << u"abc"_s << -1;
    QTest::newRow("equal") << u"x1y2"_s << u"x1y2"_s << 0;
    QTest::newRow("long numbers") << u"99999999999999999999"_s << u"100000000000000000000"_s << -1;
}

void TstText::natural()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, order);
    const auto sign = [](int n) {
        return (n > 0) - (n < 0);
    };
    QCOMPARE(sign(naturalCompare(a, b)), order);
    QCOMPARE(sign(naturalCompare(b, a)), -order);
}

void TstText::ranges()
{
    using Changes = std::vector<std::pair<int, quint8>>;
    QVERIFY(changedRanges({}, 10, 4).empty());
    // Adjacent rows merge, their bits together; order of arrival does not matter.
    QCOMPARE(changedRanges(Changes {{3, 1}, {1, 2}, {2, 4}}, 100, 4),
             (std::vector<ChangedRange> {{1, 3, 7}}));
    QCOMPARE(changedRanges(Changes {{5, 1}, {1, 2}}, 100, 4),
             (std::vector<ChangedRange> {{1, 1, 2}, {5, 5, 1}}));
    // Past half the table: one range over all of it.
    QCOMPARE(changedRanges(Changes {{0, 1}, {2, 2}, {4, 4}}, 5, 4),
             (std::vector<ChangedRange> {{0, 4, 7}}));
    // More ranges than allowed: one from the first to the last changed row.
    QCOMPARE(changedRanges(Changes {{10, 1}, {20, 1}, {30, 2}}, 100, 2),
             (std::vector<ChangedRange> {{10, 30, 3}}));
}

QTEST_APPLESS_MAIN(TstText)
#include "tst_text.moc"
