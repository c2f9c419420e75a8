// SPDX-License-Identifier: GPL-3.0-or-later
#include "retrypolicy.h"

#include "net/networkerror.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QLocale>
#include <QRandomGenerator>
#include <QTimeZone>

namespace sluice {

namespace {

// Jitter spreads the retries of many items failing at once (a 503 burst) so they do not
// come back in lockstep.
constexpr double JitterFraction = 0.2;

bool isTransientNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    // Qt reports EHOSTUNREACH / ENETUNREACH and a reset by peer mid-transfer as unknown.
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
    // Only seen without a status when the server's answer was unusable; a status decides first.
    case QNetworkReply::InternalServerError:
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::UnknownServerError:
        return true;
    default:
        return false;
    }
}

std::optional<QDateTime> parseHttpDate(const QByteArray &value, const QDateTime &now)
{
    const QString text = QString::fromLatin1(value).simplified();
    const QLocale c = QLocale::c();
    // IMF-fixdate and asctime (RFC 9110 section 5.6.7); always GMT.
    for (const QString &format : {QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"),
                                  QStringLiteral("ddd MMM d HH:mm:ss yyyy")}) {
        QDateTime parsed = c.toDateTime(text, format);
        if (parsed.isValid()) {
            parsed.setTimeZone(QTimeZone::utc());
            return parsed;
        }
    }
    // Obsolete RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT". The day name is dropped because Qt
    // reads "yy" as 19yy and then rejects a weekday that does not match that century.
    const qsizetype comma = text.indexOf(u',');
    if (comma < 0)
        return std::nullopt;
    QDateTime parsed
        = c.toDateTime(text.mid(comma + 1).trimmed(), QStringLiteral("dd-MMM-yy HH:mm:ss 'GMT'"));
    if (!parsed.isValid())
        return std::nullopt;
    parsed.setTimeZone(QTimeZone::utc());
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    while (parsed.date().year() + 100 <= now.date().year() + 50)
        parsed = parsed.addYears(100);
    return parsed;
}

} // namespace

bool RetryPolicy::isRetryable(int httpStatus, QNetworkReply::NetworkError error)
{
    if (isConnectionLevelError(error))
        return isTransientNetworkError(error);
    if (httpStatus > 0)
        return httpStatus == 408 || httpStatus == 429 || (httpStatus >= 500 && httpStatus <= 599);
    return isTransientNetworkError(error);
}

int RetryPolicy::backoffMs(int retry) const
{
    const int cap = std::max(0, maxDelayMs);
    const int exponent = std::clamp(retry, 1, 31) - 1;
    // In double: base * 2^30 overflows int long before the cap applies.
    const double raw = std::max(0, baseDelayMs) * std::ldexp(1.0, exponent);
    const double jitter
        = 1.0 + JitterFraction * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
    return static_cast<int>(std::clamp(std::round(raw * jitter), 0.0, static_cast<double>(cap)));
}

int RetryPolicy::delayMs(int retry, const QByteArray &retryAfter, const QDateTime &now) const
{
    if (!retryAfter.isEmpty()) {
        if (const std::optional<qint64> serverMs = parseRetryAfter(retryAfter, now))
            return static_cast<int>(std::clamp<qint64>(*serverMs, 0, std::max(0, maxRetryAfterMs)));
    }
    return backoffMs(retry);
}

std::optional<qint64> RetryPolicy::parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    if (std::all_of(trimmed.cbegin(), trimmed.cend(),
                    [](char ch) { return ch >= '0' && ch <= '9'; })) {
        bool ok = false;
        const qlonglong seconds = trimmed.toLongLong(&ok);
        // Absurdly long digit strings saturate instead of being rejected: the cap applies anyway.
        constexpr qint64 maxSeconds = std::numeric_limits<qint64>::max() / 1000;
        return ok ? std::min<qint64>(seconds, maxSeconds) * 1000 : maxSeconds * 1000;
    }
    const std::optional<QDateTime> date = parseHttpDate(trimmed, now);
    if (!date)
        return std::nullopt;
    return std::max<qint64>(0, now.msecsTo(*date));
}

} // namespace sluice
