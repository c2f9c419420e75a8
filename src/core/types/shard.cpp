// SPDX-License-Identifier: GPL-3.0-or-later
#include "shard.h"

namespace sluice {

namespace {

/// A whole number of plain decimal digits (no sign, no blanks); nullopt otherwise or when it
/// is larger than limit.
std::optional<int> shardNumber(QStringView text, int limit)
{
    if (text.isEmpty() || text.size() > 9)
        return std::nullopt;
    int value = 0;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    if (value > limit)
        return std::nullopt;
    return value;
}

} // namespace

std::optional<Shard> Shard::fromText(QStringView text, QString *error)
{
    const qsizetype slash = text.indexOf(u'/');
    const auto fail = [error](const QString &why) {
        *error = why;
        return std::nullopt;
    };
    const QString expected
        = QStringLiteral("expected K/N, shard K (counted from 0) of N shards, as in 0/4 ... 3/4");
    if (slash < 0 || text.indexOf(u'/', slash + 1) >= 0)
        return fail(expected);
    const QStringView k = text.left(slash);
    const QStringView n = text.mid(slash + 1);
    if (k.isEmpty())
        return fail(QStringLiteral("K is missing (%1; in a Kubernetes Indexed Job: "
                                   "--shard $JOB_COMPLETION_INDEX/N)")
                        .arg(expected));
    const std::optional<int> count = shardNumber(n, MaxCount);
    if (!count || *count < 1)
        return fail(QStringLiteral("N must be a whole number from 1 to %1, got \"%2\"")
                        .arg(MaxCount)
                        .arg(n));
    const std::optional<int> index = shardNumber(k, MaxCount);
    if (!index || *index >= *count)
        return fail(QStringLiteral("K must be a whole number from 0 to %1 (shards are counted "
                                   "from 0), got \"%2\"")
                        .arg(*count - 1)
                        .arg(k));
    return Shard {*index, *count};
}

} // namespace sluice
