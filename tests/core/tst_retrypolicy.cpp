// SPDX-License-Identifier: GPL-3.0-or-later
#include <cmath>

#include <QDateTime>
#include <QLocale>
#include <QSet>
#include <QTest>
#include <QTimeZone>

#include "net/retrypolicy.h"

using namespace sluice;

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryableStatus_data();
    void retryableStatus();
    void retryableNetworkError_data();
    void retryableNetworkError();
    void backoffGrowsWithinJitter_data();
    void backoffGrowsWithinJitter();
    void backoffIsCapped();
    void backoffJitterVaries();
    void retryAfter_data();
    void retryAfter();
    void retryAfterIsCapped();
};

void TestRetryPolicy::retryableStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retryable");
    // Qt sets an error code alongside every 4xx/5xx; the status must decide, so pair each with
    // the code Qt uses.
    const int retryable[] = {408, 429, 500, 501, 502, 503, 504, 507, 599};
    const int permanent[] = {400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 300, 301, 302, 304};
    for (int status : retryable)
        QTest::addRow("HTTP %d", status) << status << true;
    for (int status : permanent)
        QTest::addRow("HTTP %d", status) << status << false;
}

void TestRetryPolicy::retryableStatus()
{
    QFETCH(int, status);
    QFETCH(bool, retryable);
    QNetworkReply::NetworkError error = QNetworkReply::UnknownContentError;
    if (status >= 500)
        error = QNetworkReply::UnknownServerError;
    else if (status < 400)
        error = QNetworkReply::NoError;
    QCOMPARE(RetryPolicy::isRetryable(status, error), retryable);
}

void TestRetryPolicy::retryableNetworkError_data()
{
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retryable");
    using E = QNetworkReply;
    QTest::newRow("connection refused") << E::ConnectionRefusedError << 0 << true;
    QTest::newRow("remote host closed") << E::RemoteHostClosedError << 0 << true;
    QTest::newRow("timeout") << E::TimeoutError << 0 << true;
    QTest::newRow("temporary failure") << E::TemporaryNetworkFailureError << 0 << true;
    QTest::newRow("session failed") << E::NetworkSessionFailedError << 0 << true;
    QTest::newRow("unreachable/reset (unknown network)") << E::UnknownNetworkError << 0 << true;
    QTest::newRow("proxy refused") << E::ProxyConnectionRefusedError << 0 << true;
    QTest::newRow("proxy timeout") << E::ProxyTimeoutError << 0 << true;
    QTest::newRow("cut off after a 200") << E::RemoteHostClosedError << 200 << true;
    QTest::newRow("host not found") << E::HostNotFoundError << 0 << false;
    QTest::newRow("ssl handshake") << E::SslHandshakeFailedError << 0 << false;
    QTest::newRow("protocol failure") << E::ProtocolFailure << 0 << false;
    QTest::newRow("unknown protocol") << E::ProtocolUnknownError << 0 << false;
    QTest::newRow("cancelled") << E::OperationCanceledError << 0 << false;
    QTest::newRow("too many redirects") << E::TooManyRedirectsError << 0 << false;
    QTest::newRow("insecure redirect") << E::InsecureRedirectError << 0 << false;
    QTest::newRow("proxy auth") << E::ProxyAuthenticationRequiredError << 0 << false;
    QTest::newRow("no error, 2xx") << E::NoError << 201 << false;
}

void TestRetryPolicy::retryableNetworkError()
{
    QFETCH(QNetworkReply::NetworkError, error);
    QFETCH(int, status);
    QFETCH(bool, retryable);
    QCOMPARE(RetryPolicy::isRetryable(status, error), retryable);
}

void TestRetryPolicy::backoffGrowsWithinJitter_data()
{
    QTest::addColumn<int>("base");
    QTest::addColumn<int>("retry");
    for (int retry = 1; retry <= 6; ++retry) {
        QTest::addRow("base 500, retry %d", retry) << 500 << retry;
        QTest::addRow("base 37, retry %d", retry) << 37 << retry;
    }
}

void TestRetryPolicy::backoffGrowsWithinJitter()
{
    QFETCH(int, base);
    QFETCH(int, retry);
    RetryPolicy policy;
    policy.baseDelayMs = base;
    policy.maxDelayMs = 1'000'000;
    const double nominal = base * double(1 << (retry - 1));
    for (int i = 0; i < 200; ++i) {
        const int delay = policy.delayMs(retry, {}, QDateTime::currentDateTimeUtc());
        QVERIFY2(delay >= std::floor(nominal * 0.8) && delay <= std::ceil(nominal * 1.2),
                 qPrintable(QStringLiteral("delay %1 outside %2 +/- 20%").arg(delay).arg(nominal)));
    }
}

void TestRetryPolicy::backoffIsCapped()
{
    RetryPolicy policy;
    policy.baseDelayMs = 500;
    policy.maxDelayMs = 3000;
    for (int retry : {4, 5, 10, 31, 64, 1000}) {
        for (int i = 0; i < 50; ++i) {
            const int delay = policy.backoffMs(retry);
            QVERIFY2(delay <= 3000 && delay >= 2400, qPrintable(QString::number(delay)));
        }
    }
    policy.baseDelayMs = std::numeric_limits<int>::max();
    QVERIFY(policy.backoffMs(31) <= 3000);
    QVERIFY(policy.backoffMs(0) >= 0); // out-of-range retry numbers behave like retry 1
}

void TestRetryPolicy::backoffJitterVaries()
{
    RetryPolicy policy;
    policy.baseDelayMs = 1000;
    QSet<int> seen;
    for (int i = 0; i < 100; ++i)
        seen.insert(policy.backoffMs(1));
    // Without jitter every value would be 1000; with +/-20% over 401 values, 100 draws spread.
    QVERIFY2(seen.size() > 20, qPrintable(QString::number(seen.size())));
}

void TestRetryPolicy::retryAfter_data()
{
    const QDateTime now(QDate(2024, 3, 5), QTime(12, 0, 0), QTimeZone::utc());
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("expectedMs"); // -1: the header is invalid, backoff applies

    const auto httpDate = [](const QDateTime &when) {
        return QLocale::c().toString(when.toUTC(), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'").toLatin1();
    };
    QTest::newRow("delta 1") << now << QByteArray("1") << 1000;
    QTest::newRow("delta 120") << now << QByteArray("120") << 120000;
    QTest::newRow("delta 0") << now << QByteArray("0") << 0;
    QTest::newRow("delta with spaces") << now << QByteArray(" 7 ") << 7000;
    QTest::newRow("IMF-fixdate +90 s") << now << httpDate(now.addSecs(90)) << 90000;
    QTest::newRow("IMF-fixdate literal")
        << now << QByteArray("Tue, 05 Mar 2024 12:00:30 GMT") << 30000;
    QTest::newRow("RFC 850 date") << now << QByteArray("Tuesday, 05-Mar-24 12:01:00 GMT") << 60000;
    QTest::newRow("RFC 850, last century")
        << now << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << 0;
    QTest::newRow("asctime date") << now << QByteArray("Tue Mar  5 12:00:05 2024") << 5000;
    QTest::newRow("date in the past") << now << httpDate(now.addSecs(-3600)) << 0;
    QTest::newRow("negative delta") << now << QByteArray("-5") << -1;
    QTest::newRow("fraction") << now << QByteArray("1.5") << -1;
    QTest::newRow("garbage") << now << QByteArray("soon") << -1;
    QTest::newRow("empty") << now << QByteArray() << -1;
}

void TestRetryPolicy::retryAfter()
{
    QFETCH(QDateTime, now);
    QFETCH(QByteArray, header);
    QFETCH(int, expectedMs);
    RetryPolicy policy;
    policy.baseDelayMs = 10; // far from every expected value, so a fallback shows
    policy.maxDelayMs = 20;
    const std::optional<qint64> parsed = RetryPolicy::parseRetryAfter(header, now);
    if (expectedMs < 0) {
        QVERIFY2(!parsed, qPrintable(QString::number(parsed.value_or(-1))));
        const int delay = policy.delayMs(3, header, now);
        QVERIFY2(delay >= 16 && delay <= 20, qPrintable(QString::number(delay)));
    } else {
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, qint64(expectedMs));
        QCOMPARE(policy.delayMs(3, header, now), expectedMs);
    }
}

void TestRetryPolicy::retryAfterIsCapped()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    RetryPolicy policy;
    policy.maxRetryAfterMs = 60000;
    QCOMPARE(policy.delayMs(1, "3600", now), 60000);
    QCOMPARE(policy.delayMs(1, "99999999999999999999999", now), 60000);
    QCOMPARE(policy.delayMs(1, "30", now), 30000);
}

QTEST_APPLESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
