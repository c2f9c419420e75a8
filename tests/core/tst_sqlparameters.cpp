// SPDX-License-Identifier: GPL-3.0-or-later
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTest>

#include "db/sqlparameters.h"

using namespace Qt::StringLiterals;
using sluice::countSqlParameterUses;
using sluice::findSqlParameters;

class TstSqlParameters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void find_data();
    void find();
    void countsEveryUse_data();
    void countsEveryUse();
};

void TstSqlParameters::find_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QStringList>("names");

    const auto names = [](std::initializer_list<const char *> list) {
        QStringList result;
        for (const char *name : list)
            result.append(QString::fromLatin1(name));
        return result;
    };

    QTest::newRow("none") << u"SELECT * FROM t"_s << QStringList();
    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("one") << u"SELECT * FROM t WHERE d >= :startdate"_s << names({"startdate"});
    QTest::newRow("first-use order")
        << u"SELECT :zeta, :alpha, :mid FROM t"_s << names({"zeta", "alpha", "mid"});
    QTest::newRow("each once") << u"SELECT * FROM t WHERE a = :x OR b = :y OR c = :x OR d = :y"_s
                               << names({"x", "y"});
    QTest::newRow("at start and end") << u":a + :b"_s << names({"a", "b"});
    QTest::newRow("no space around")
        << u"SELECT a FROM t WHERE a=:v AND(b<:w)"_s << names({"v", "w"});
    QTest::newRow("name charset") << u"WHERE a = :_under_1 AND b = :B2c;"_s
                                  << names({"_under_1", "B2c"});
    QTest::newRow("name ends at punctuation") << u"WHERE a IN (:p1,:p2)"_s << names({"p1", "p2"});
    QTest::newRow("case sensitive") << u"WHERE a = :Name OR b = :name"_s << names({"Name", "name"});
    QTest::newRow("digit is no name") << u"WHERE a = :1 OR b = :2x"_s << QStringList();
    QTest::newRow("lone colon") << u"SELECT ':' || x, : FROM t WHERE y = :"_s << QStringList();

    QTest::newRow("string literal") << u"SELECT ':no' FROM t WHERE a = :yes"_s << names({"yes"});
    QTest::newRow("string with '' escape")
        << u"SELECT 'it''s :no' FROM t WHERE a = :yes AND b = 'x'"_s << names({"yes"});
    QTest::newRow("string ends with ''") << u"SELECT '''' || :yes, 'a:no'''"_s << names({"yes"});
    QTest::newRow("time literal") << u"SELECT * FROM t WHERE at > '12:30:00' AND d = :d"_s
                                  << names({"d"});
    QTest::newRow("unterminated string") << u"SELECT :yes, ':no"_s << names({"yes"});
    QTest::newRow("E string backslash escape") << u"SELECT E'a\\':no' || :yes"_s << names({"yes"});
    QTest::newRow("backslash in plain string is not an escape")
        << u"SELECT 'a\\' || :yes"_s << names({"yes"});
    QTest::newRow("identifier ending in e before a string")
        << u"SELECT type'x\\' || :yes"_s << names({"yes"});
    QTest::newRow("quoted identifier")
        << u"SELECT \":no\" FROM t WHERE a = :yes"_s << names({"yes"});
    QTest::newRow("quoted identifier with \"\" escape")
        << u"SELECT \"a\"\":no\" FROM t WHERE a = :yes"_s << names({"yes"});
    QTest::newRow("backtick identifier")
        << u"SELECT `:no` FROM t WHERE a = :yes"_s << names({"yes"});
    QTest::newRow("line comment") << u"SELECT a -- where :no\nFROM t WHERE a = :yes"_s
                                  << names({"yes"});
    QTest::newRow("line comment at end") << u"SELECT :yes -- :no"_s << names({"yes"});
    QTest::newRow("quote inside line comment")
        << u"SELECT 1 -- don't\nWHERE a = :yes"_s << names({"yes"});
    QTest::newRow("single dash") << u"SELECT 2-:yes"_s << names({"yes"});
    QTest::newRow("block comment")
        << u"SELECT /* :no\n :no2 */ a FROM t WHERE a = :yes"_s << names({"yes"});
    QTest::newRow("unterminated block comment") << u"SELECT :yes /* :no"_s << names({"yes"});
    QTest::newRow("division is no comment") << u"SELECT a / :yes * 2 FROM t"_s << names({"yes"});
    QTest::newRow("cast") << u"SELECT a::text, :yes::int FROM t"_s << names({"yes"});
    QTest::newRow("cast right after a parameter")
        << u"SELECT * FROM t WHERE d >= :start::date AND n = :n::numeric(12,2)"_s
        << names({"start", "n"});
    QTest::newRow("cast with spaces") << u"SELECT a :: int, :yes"_s << names({"yes"});
    QTest::newRow("assignment") << u"SET @x := 5; SELECT @x, :yes"_s << names({"yes"});
    QTest::newRow("assignment without spaces") << u"v:=:yes"_s << names({"yes"});
    QTest::newRow("dollar quote") << u"SELECT $$ :no 'x $$ || :yes"_s << names({"yes"});
    QTest::newRow("tagged dollar quote")
        << u"SELECT $fn$ :no $$ :no2 $fn$, :yes"_s << names({"yes"});
    QTest::newRow("tag with digits and underscore")
        << u"SELECT $a_1$ :no $a_1$ || :yes"_s << names({"yes"});
    QTest::newRow("unterminated dollar quote") << u"SELECT :yes, $q$ :no"_s << names({"yes"});
    QTest::newRow("positional $1 is no dollar quote") << u"SELECT $1, :yes, $2"_s << names({"yes"});
    QTest::newRow("dollar inside identifier")
        << u"SELECT a$b$ FROM t WHERE c = :yes AND d$ = 1"_s << names({"yes"});
    QTest::newRow("non-ASCII around")
        << u"SELECT 'größe :no' AS \"größe\", :yes FROM t WHERE ä = :zwei"_s
        << names({"yes", "zwei"});
    QTest::newRow("non-ASCII ends a name") << u"SELECT :aé"_s << names({"a"});
    QTest::newRow("everything at once")
        << u"SELECT /* :c1 */ a::int, 'l:1', \"i:2\", $$d:3$$ -- :c2\n"
           "FROM t WHERE x := :one AND y = :two::date AND z = :one"_s
        << names({"one", "two"});
}

void TstSqlParameters::find()
{
    QFETCH(QString, sql);
    QFETCH(QStringList, names);
    QCOMPARE(findSqlParameters(sql), names);
}

void TstSqlParameters::countsEveryUse_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<qsizetype>("uses");

    QTest::newRow("none") << u"SELECT 1"_s << qsizetype(0);
    QTest::newRow("repeated") << u"SELECT :a, :b, :a, :a"_s << qsizetype(4);
    QTest::newRow("skips quotes and comments")
        << u"SELECT ':x', \":y\", $$:z$$, /* :w */ :a -- :v"_s << qsizetype(1);
    QTest::newRow("casts") << u"SELECT :a::int, :b::date"_s << qsizetype(2);
}

void TstSqlParameters::countsEveryUse()
{
    QFETCH(QString, sql);
    QFETCH(qsizetype, uses);
    QCOMPARE(countSqlParameterUses(sql), uses);
}

QTEST_APPLESS_MAIN(TstSqlParameters)
#include "tst_sqlparameters.moc"
