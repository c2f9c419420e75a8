// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QNetworkReply>

namespace sluice {

/// When and how often a failed request is tried again. Value type; every function is pure
/// apart from the jitter (QRandomGenerator::global(), safe from any thread).
struct RetryPolicy
{
    int maxRetries = 5; ///< retries after the first attempt (0 = never retry)
    int baseDelayMs = 500; ///< backoff: base * 2^(retry-1), +/-20% jitter, capped
    int maxDelayMs = 30000; ///< cap of the computed backoff (after jitter)
    int maxRetryAfterMs = 300000; ///< cap for a server's Retry-After

    /// Retryable: network errors that are transient (connection refused/reset/closed, timeout,
    /// host unreachable, temporary failure), HTTP 408, 429, and every 5xx. Not: other 4xx, SSL
    /// errors, protocol errors. A connection-level error decides even when a status arrived (a
    /// 200 whose body was cut off is retried); otherwise the HTTP status decides when there is
    /// one (httpStatus > 0). HostNotFoundError is not retried: it is almost always a wrong host
    /// name, and retrying every item of a run would only delay the obvious.
    static bool isRetryable(int httpStatus, QNetworkReply::NetworkError error);

    /// Delay before retry number `retry` (1-based); a Retry-After header value (delta seconds or
    /// HTTP date) wins when present and valid, capped at maxRetryAfterMs and never negative.
    int delayMs(int retry, const QByteArray &retryAfter, const QDateTime &now) const;

    /// The backoff alone, with jitter, in [0, maxDelayMs].
    int backoffMs(int retry) const;

    /// Parses a Retry-After value: delta seconds ("120") or an HTTP date (IMF-fixdate
    /// "Wed, 21 Oct 2015 07:28:00 GMT", and the obsolete RFC 850 and asctime forms).
    /// Returns milliseconds from `now` (0 for a date in the past), or nothing when invalid.
    static std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now);
};

} // namespace sluice
