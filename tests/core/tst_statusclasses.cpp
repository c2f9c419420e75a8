// SPDX-License-Identifier: GPL-3.0-or-later
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "spec/statusclasses.h"

using namespace Qt::StringLiterals;
using namespace sluice;

Q_DECLARE_METATYPE(sluice::StatusClass)

class TestStatusClasses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spanFromText_data();
    void spanFromText();
    void badSpanFromText_data();
    void badSpanFromText();
    void spanFromJson_data();
    void spanFromJson();
    void listTextRoundTrip();
    void listJsonKeepsTheForms();
    void firstCommonStatus_data();
    void firstCommonStatus();
    void classify_data();
    void classify();
    void explicitStatuses();
};

void TestStatusClasses::spanFromText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("form");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<QString>("written");
    const int status = int(StatusSpan::Form::Status);
    const int klass = int(StatusSpan::Form::Class);
    const int range = int(StatusSpan::Form::Range);
    QTest::newRow("status") << u"409"_s << status << 409 << 409 << u"409"_s;
    QTest::newRow("lowest") << u"100"_s << status << 100 << 100 << u"100"_s;
    QTest::newRow("highest") << u"599"_s << status << 599 << 599 << u"599"_s;
    QTest::newRow("class") << u"4xx"_s << klass << 400 << 499 << u"4xx"_s;
    QTest::newRow("class upper case") << u"5XX"_s << klass << 500 << 599 << u"5xx"_s;
    QTest::newRow("1xx") << u"1xx"_s << klass << 100 << 199 << u"1xx"_s;
    QTest::newRow("range") << u"500-504"_s << range << 500 << 504 << u"500-504"_s;
    QTest::newRow("range of one") << u"418-418"_s << range << 418 << 418 << u"418-418"_s;
    QTest::newRow("blanks around") << u"  2xx "_s << klass << 200 << 299 << u"2xx"_s;
}

void TestStatusClasses::spanFromText()
{
    QFETCH(QString, text);
    QFETCH(int, form);
    QFETCH(int, first);
    QFETCH(int, last);
    QFETCH(QString, written);
    QString error;
    const std::optional<StatusSpan> span = statusSpanFromText(text, &error);
    QVERIFY2(span, qPrintable(error));
    QCOMPARE(int(span->form), form);
    QCOMPARE(span->first, first);
    QCOMPARE(span->last, last);
    QCOMPARE(span->toString(), written);
    QVERIFY(span->contains(first));
    QVERIFY(span->contains(last));
    QVERIFY(!span->contains(first - 1));
    QVERIFY(!span->contains(last + 1));
}

void TestStatusClasses::badSpanFromText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const QString shape = uR"( is not a status, a class like "5xx" or a range like "500-504")"_s;
    QTest::newRow("two digits and x") << u"5x"_s << uR"("5x")"_s + shape;
    QTest::newRow("empty") << QString() << uR"("")"_s + shape;
    QTest::newRow("word") << u"ok"_s << uR"("ok")"_s + shape;
    QTest::newRow("four digits") << u"2000"_s << uR"("2000")"_s + shape;
    QTest::newRow("open range") << u"500-"_s << uR"("500-")"_s + shape;
    QTest::newRow("status too low") << u"099"_s << u"099 is not an HTTP status (100 to 599)"_s;
    QTest::newRow("status too high") << u"600"_s << u"600 is not an HTTP status (100 to 599)"_s;
    QTest::newRow("class 6xx") << u"6xx"_s
                               << uR"("6xx" is not a class of HTTP statuses (1xx to 5xx))"_s;
    QTest::newRow("class 0xx") << u"0xx"_s << uR"("0xx")"_s + shape;
    QTest::newRow("range end too high")
        << u"500-700"_s << uR"("500-700": 700 is not an HTTP status (100 to 599))"_s;
    QTest::newRow("range backwards")
        << u"504-500"_s << uR"("504-500" is not a range: its first status is above its last)"_s;
}

void TestStatusClasses::badSpanFromText()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString found;
    QVERIFY(!statusSpanFromText(text, &found));
    QCOMPARE(found, error);
}

void TestStatusClasses::spanFromJson_data()
{
    QTest::addColumn<QByteArray>("json"); // one element, in an array
    QTest::addColumn<QString>("written"); // empty: refused
    QTest::addColumn<QString>("error");
    const QString type = uR"(must be a status (404), a class ("4xx") or a range ("500-504"))"_s;
    QTest::newRow("integer") << QByteArray("[409]") << u"409"_s << QString();
    QTest::newRow("class") << QByteArray(R"(["2xx"])") << u"2xx"_s << QString();
    QTest::newRow("range") << QByteArray(R"(["500-504"])") << u"500-504"_s << QString();
    QTest::newRow("string status") << QByteArray(R"(["409"])") << u"409"_s << QString();
    QTest::newRow("fraction") << QByteArray("[409.5]") << QString() << type;
    QTest::newRow("too high") << QByteArray("[600]") << QString()
                              << u"600 is not an HTTP status (100 to 599)"_s;
    QTest::newRow("negative") << QByteArray("[-1]") << QString()
                              << u"-1 is not an HTTP status (100 to 599)"_s;
    QTest::newRow("boolean") << QByteArray("[true]") << QString() << type;
    QTest::newRow("null") << QByteArray("[null]") << QString() << type;
    QTest::newRow("object") << QByteArray("[{}]") << QString() << type;
    QTest::newRow("bad string")
        << QByteArray(R"(["5x"])") << QString()
        << uR"("5x" is not a status, a class like "5xx" or a range like "500-504")"_s;
}

void TestStatusClasses::spanFromJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, written);
    QFETCH(QString, error);
    const QJsonValue value = QJsonDocument::fromJson(json).array().first();
    QString found;
    const std::optional<StatusSpan> span = statusSpanFromJson(value, &found);
    if (written.isEmpty()) {
        QVERIFY(!span);
        QCOMPARE(found, error);
    } else {
        QVERIFY2(span, qPrintable(found));
        QCOMPARE(span->toString(), written);
    }
}

void TestStatusClasses::listTextRoundTrip()
{
    QString error;
    const auto list = statusListFromText(u"2xx, 409;500-504  418"_s, &error);
    QVERIFY2(list, qPrintable(error));
    QCOMPARE(list->size(), 4);
    QCOMPARE(statusListText(*list), u"2xx, 409, 500-504, 418"_s);
    QCOMPARE(statusListFromText(statusListText(*list), nullptr), list);

    const auto empty = statusListFromText(u"  "_s, &error);
    QVERIFY(empty);
    QVERIFY(empty->isEmpty());

    QVERIFY(!statusListFromText(u"2xx, 5x, 409"_s, &error));
    QCOMPARE(error, uR"("5x" is not a status, a class like "5xx" or a range like "500-504")"_s);
}

void TestStatusClasses::listJsonKeepsTheForms()
{
    const auto list = statusListFromText(u"201, 4xx, 500-504"_s, nullptr);
    QVERIFY(list);
    const QByteArray json = statusListJson(*list);
    QCOMPARE(json, QByteArray(R"([201,"4xx","500-504"])"));
    StatusList back;
    const QJsonArray array = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &value : array)
        back.append(*statusSpanFromJson(value, nullptr));
    QCOMPARE(back, *list);
    QCOMPARE(statusListJson({}), QByteArray("[]"));
}

void TestStatusClasses::firstCommonStatus_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("common");
    QTest::newRow("none") << u"2xx"_s << u"408, 429, 5xx"_s << 0;
    QTest::newRow("same status") << u"2xx, 409"_s << u"409"_s << 409;
    QTest::newRow("status in class") << u"503"_s << u"5xx"_s << 503;
    QTest::newRow("overlapping ranges") << u"500-504"_s << u"502-510"_s << 502;
    QTest::newRow("smallest of several") << u"4xx, 503"_s << u"503, 429"_s << 429;
    QTest::newRow("touching, not overlapping") << u"500-502"_s << u"503-504"_s << 0;
}

void TestStatusClasses::firstCommonStatus()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, common);
    const auto left = statusListFromText(a, nullptr);
    const auto right = statusListFromText(b, nullptr);
    QVERIFY(left && right);
    QCOMPARE(sluice::firstCommonStatus(*left, *right), common);
    QCOMPARE(sluice::firstCommonStatus(*right, *left), common);
}

void TestStatusClasses::classify_data()
{
    QTest::addColumn<QString>("success"); // "-": not set
    QTest::addColumn<QString>("retry");
    QTest::addColumn<int>("status");
    QTest::addColumn<StatusClass>("expected");
    const QString unset = u"-"_s;
    // The defaults: 2xx delivered; 408, 429, 5xx retried; the rest fails.
    QTest::newRow("default 200") << unset << unset << 200 << StatusClass::Delivered;
    QTest::newRow("default 299") << unset << unset << 299 << StatusClass::Delivered;
    QTest::newRow("default 408") << unset << unset << 408 << StatusClass::Retry;
    QTest::newRow("default 429") << unset << unset << 429 << StatusClass::Retry;
    QTest::newRow("default 503") << unset << unset << 503 << StatusClass::Retry;
    QTest::newRow("default 409") << unset << unset << 409 << StatusClass::Fail;
    QTest::newRow("default 422") << unset << unset << 422 << StatusClass::Fail;
    QTest::newRow("default 302") << unset << unset << 302 << StatusClass::Fail;
    QTest::newRow("default 100") << unset << unset << 100 << StatusClass::Fail;
    // A list that is set replaces its default ...
    QTest::newRow("409 delivered") << u"2xx, 409"_s << unset << 409 << StatusClass::Delivered;
    QTest::newRow("202 not in success") << u"200, 201"_s << unset << 202 << StatusClass::Fail;
    QTest::newRow("retry only 503") << unset << u"503"_s << 500 << StatusClass::Fail;
    QTest::newRow("retry 503 kept") << unset << u"503"_s << 503 << StatusClass::Retry;
    QTest::newRow("retry empty") << unset << QString() << 503 << StatusClass::Fail;
    QTest::newRow("retry 409") << unset << u"409, 5xx"_s << 409 << StatusClass::Retry;
    // ... and wins over the other list's default.
    QTest::newRow("503 delivered over default retry")
        << u"2xx, 503"_s << unset << 503 << StatusClass::Delivered;
    QTest::newRow("202 retried over default success")
        << unset << u"202"_s << 202 << StatusClass::Retry;
    QTest::newRow("both set") << u"2xx"_s << u"5xx"_s << 429 << StatusClass::Fail;
}

void TestStatusClasses::classify()
{
    QFETCH(QString, success);
    QFETCH(QString, retry);
    QFETCH(int, status);
    QFETCH(StatusClass, expected);
    StatusClasses classes;
    if (success != u"-"_s)
        classes.success = statusListFromText(success, nullptr);
    if (retry != u"-"_s)
        classes.retry = statusListFromText(retry, nullptr);
    QCOMPARE(classes.classify(status), expected);
}

void TestStatusClasses::explicitStatuses()
{
    StatusClasses classes;
    QVERIFY(!classes.isExplicit(409));
    QVERIFY(!classes.isExplicit(200)); // a default is not the steward's rule
    classes.retry = statusListFromText(u"4xx"_s, nullptr);
    QVERIFY(classes.isExplicit(409));
    QVERIFY(!classes.isExplicit(503));
    classes = {};
    classes.success = statusListFromText(u"409"_s, nullptr);
    QVERIFY(classes.isExplicit(409));
}

QTEST_APPLESS_MAIN(TestStatusClasses)
#include "tst_statusclasses.moc"
