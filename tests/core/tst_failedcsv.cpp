// SPDX-License-Identifier: GPL-3.0-or-later
// FailedCsv: the CSV export's header and lines, byte for byte, with the fields that need
// quoting (commas, double quotes, line breaks) and text that does not (non-ASCII).

#include <QTest>

#include "transfer/failedcsv.h"

using namespace sluice;
using namespace Qt::StringLiterals;

class TestFailedCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void header();
    void line_data();
    void line();
};

void TestFailedCsv::header()
{
    const QByteArray header = FailedCsv::header();
    QCOMPARE(header, QByteArray("key,status,http status,attempts,error\r\n"));
    QCOMPARE(header.chopped(2).split(',').size(), 5);
}

void TestFailedCsv::line_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QByteArray>("expected");

    const int failed = int(ItemStatus::Failed);
    QTest::newRow("plain") << u"sensor-1"_s << failed << 422 << 2
                           << u"HTTP 422 Unprocessable Entity: bad date"_s
                           << QByteArray("sensor-1,failed,422,2,HTTP 422 Unprocessable Entity: "
                                         "bad date\r\n");
    QTest::newRow("no HTTP status")
        << u"7"_s << int(ItemStatus::Invalid) << 0 << 0 << u"no value for {{name}}"_s
        << QByteArray("7,invalid,,0,no value for {{name}}\r\n");
    QTest::newRow("empty error") << u"k"_s << failed << 0 << 1 << QString()
                                 << QByteArray("k,failed,,1,\r\n");
    QTest::newRow("comma") << u"a,b"_s << failed << 400 << 1 << u"x, y"_s
                           << QByteArray("\"a,b\",failed,400,1,\"x, y\"\r\n");
    QTest::newRow("quotes") << u"say \"hi\""_s << failed << 400 << 1 << u"\"quoted\""_s
                            << QByteArray("\"say \"\"hi\"\"\",failed,400,1,\"\"\"quoted\"\"\"\r\n");
    QTest::newRow("line feed") << u"k"_s << failed << 500 << 3 << u"first\nsecond"_s
                               << QByteArray("k,failed,500,3,\"first\nsecond\"\r\n");
    QTest::newRow("carriage return") << u"k"_s << failed << 500 << 3 << u"first\r\nsecond"_s
                                     << QByteArray("k,failed,500,3,\"first\r\nsecond\"\r\n");
    QTest::newRow("non-ASCII") << u"Zürich-東京"_s << failed << 409 << 1 << u"déjà vu 😀"_s
                               << QByteArray("Z\xC3\xBCrich-\xE6\x9D\xB1\xE4\xBA\xAC,failed,409,"
                                             "1,d\xC3\xA9j\xC3\xA0 vu \xF0\x9F\x98\x80\r\n");
}

void TestFailedCsv::line()
{
    QFETCH(QString, key);
    QFETCH(int, status);
    QFETCH(int, httpStatus);
    QFETCH(int, attempts);
    QFETCH(QString, error);
    QFETCH(QByteArray, expected);

    ItemResult result;
    result.id = 41;
    result.key = key;
    result.status = ItemStatus(status);
    result.httpStatus = httpStatus;
    result.attempts = attempts;
    result.error = error;
    // Not part of the CSV: payload, response, URL and request id stay out of it.
    result.payload = QByteArrayLiteral("{\"a\":1}");
    result.responseBody = QByteArrayLiteral("{\"error\":\"x\"}");
    result.url = u"http://example.invalid/items/41"_s;
    result.requestId = QByteArrayLiteral("req-1");
    QCOMPARE(FailedCsv::line(result), expected);
}

QTEST_APPLESS_MAIN(TestFailedCsv)
#include "tst_failedcsv.moc"
