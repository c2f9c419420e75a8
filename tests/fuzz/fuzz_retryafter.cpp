// SPDX-License-Identifier: GPL-3.0-or-later
// net/retrypolicy: a server's Retry-After header, any bytes (delta seconds or an HTTP date in
// its three forms). Never negative; the delay it leads to stays within the policy's cap.

#include <cstddef>
#include <cstdint>

#include <QDateTime>

#include "fuzzcommon.h"
#include "net/retrypolicy.h"

using namespace sluice;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    // A fixed "now", so a crash reproduces.
    const QDateTime now(QDate(2026, 12, 5), QTime(7, 28, 0), Qt::UTC);
    const std::optional<qint64> ms = RetryPolicy::parseRetryAfter(value, now);
    if (ms && *ms < 0)
        fuzz::broken("negative Retry-After");
    const RetryPolicy policy;
    const int delay = policy.delayMs(3, value, now);
    if (delay < 0 || delay > std::max(policy.maxRetryAfterMs, policy.maxDelayMs))
        fuzz::broken("delay outside [0, cap]");
    return 0;
}
