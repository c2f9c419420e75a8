// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <vector>

#include <QtGlobal>

#include "types/item.h"

namespace sluice {

/// Latencies counted in log-scaled buckets: exact below 8 µs, then eight buckets per doubling
/// (each 1/8 of its octave wide, so a percentile is within about 6 % of the true value), up to
/// 2^36 µs (19 hours; longer ones count in the last bucket). A fixed 1.1 KB however many
/// latencies are added, and two histograms merge exactly.
class LatencyHistogram
{
public:
    static constexpr int SubBuckets = 8; ///< buckets per doubling
    static constexpr int Octaves = 33; ///< doublings from 8 µs
    static constexpr int BucketCount = SubBuckets + Octaves * SubBuckets;

    void add(qint64 microseconds);
    void merge(const LatencyHistogram &other);
    void clear();
    qint64 count() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }
    /// The latency below or at which a share q (0 < q <= 1) of the latencies lie, in
    /// microseconds: the middle of the bucket holding that rank (exact below 8 µs); -1 when
    /// empty.
    double percentileUs(double q) const;
    /// The highest latency's bucket's upper end (µs); -1 when empty.
    double maxUs() const;

    static int bucketOf(qint64 microseconds);
    /// The smallest latency of bucket, and the first one past it (µs).
    static qint64 bucketLow(int bucket);
    static qint64 bucketHigh(int bucket);

private:
    std::array<quint32, BucketCount> m_counts {};
    qint64 m_count = 0;
};

/// What finished in one stretch of a run.
struct StatisticsSample
{
    qint64 startMs = 0; ///< since the run started
    qint64 endMs = 0;
    /// Time the rate is taken over: endMs - startMs, less the gaps between the run and later
    /// retries a merged sample spans.
    qint64 activeMs = 0;
    std::array<qint64, 3> finished {}; ///< delivered, failed, invalid, in this stretch
    LatencyHistogram latency; ///< of the requests answered in it

    qint64 finishedTotal() const { return finished[0] + finished[1] + finished[2]; }
    /// Items finished per second over activeMs.
    double itemsPerSecond() const;
};

/// A run's statistics over time, fed with each finished item (record()) and read by the run
/// panel's charts and the run report: items per second, latency percentiles per sampling
/// interval, items finished per status, and the latency percentiles of the whole run.
///
/// Time is what the caller passes (milliseconds since the run started), so tests inject it.
/// Samples are intervalMs long (default 250 ms); a stretch in which nothing finished becomes
/// one empty sample, however long. Memory is flat: at most maxSamples samples of about 1.2 KB
/// are kept; when there would be more, neighbours merge pairwise (histograms exactly) and the
/// interval doubles, so a run of any length ends with between maxSamples/2 and maxSamples
/// samples covering all of it. Latency is the request's (its last attempt's, sent to
/// answered); items that were never sent (invalid, cancelled before sending, already
/// delivered by a previous run) count without one.
///
/// Not thread-safe: the run's thread only. record() costs a few additions per item.
class RunStatistics final
{
public:
    static constexpr qint64 DefaultIntervalMs = 250;
    static constexpr int DefaultMaxSamples = 480;
    enum StatusIndex { DeliveredIndex, FailedIndex, InvalidIndex };

    explicit RunStatistics(qint64 intervalMs = DefaultIntervalMs,
                           int maxSamples = DefaultMaxSamples);

    /// One item finished at nowMs (Delivered, Failed or Invalid; other statuses are ignored)
    /// after a request of latencyUs microseconds (negative: none was answered).
    void record(qint64 nowMs, ItemStatus status, qint64 latencyUs);
    /// The same from a result: its latency when it was sent (attempts > 0, not cancelled).
    void record(qint64 nowMs, const ItemResult &result);
    /// Closes the samples up to nowMs, so a reader sees the time in which nothing finished.
    void advance(qint64 nowMs);
    /// The run ended at nowMs: the last, partial sample is closed (merged into the one before
    /// when shorter than half an interval). A later record() (a retry) starts a new stretch
    /// without filling the time between.
    void finish(qint64 nowMs);
    void clear();

    /// The closed samples, oldest first.
    const std::vector<StatisticsSample> &samples() const { return m_samples; }
    qint64 intervalMs() const { return m_intervalMs; }
    /// Every answered request's latency in this run.
    const LatencyHistogram &latency() const { return m_total; }
    qint64 finished(StatusIndex status) const { return m_totals[status]; }
    qint64 finishedTotal() const { return m_totals[0] + m_totals[1] + m_totals[2]; }
    /// Grows whenever samples() changes, so a reader can skip an unchanged one.
    quint64 revision() const { return m_revision; }

private:
    void closeCurrent(qint64 endMs);
    void push(StatisticsSample &&sample);

    qint64 m_intervalMs;
    int m_maxSamples;
    std::vector<StatisticsSample> m_samples;
    StatisticsSample m_current;
    bool m_open = false;
    bool m_started = false;
    LatencyHistogram m_total;
    std::array<qint64, 3> m_totals {};
    quint64 m_revision = 0;
};

} // namespace sluice
