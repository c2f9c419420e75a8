// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace sluice {

/// One shard of a run split among several processes (`sluice run --shard K/N`): the run reads
/// only the rows whose source.shardKey falls in shard `index` of `count`. Shards are numbered
/// from 0, as Kubernetes numbers an Indexed Job's pods (JOB_COMPLETION_INDEX).
struct Shard
{
    /// A shard count Sluice accepts at most (Kubernetes' limit on an Indexed Job's
    /// completions).
    static constexpr int MaxCount = 100000;

    int index = 0; ///< K: 0 .. count - 1
    int count = 1; ///< N: 1 .. MaxCount

    /// "K/N", as --shard takes it and the journal keeps it.
    QString toText() const { return QString::number(index) + u'/' + QString::number(count); }

    /// Reads "K/N". nullopt with *error (what is wrong, in words, without the option's name)
    /// when it is not two whole numbers with 0 <= K < N <= MaxCount.
    static std::optional<Shard> fromText(QStringView text, QString *error);

    friend bool operator==(const Shard &, const Shard &) = default;
};

} // namespace sluice
