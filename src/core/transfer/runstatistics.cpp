// SPDX-License-Identifier: GPL-3.0-or-later
#include "runstatistics.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sluice {

int LatencyHistogram::bucketOf(qint64 microseconds)
{
    if (microseconds < SubBuckets)
        return int(std::max<qint64>(microseconds, 0));
    const auto value = quint64(microseconds);
    const int octave = int(std::bit_width(value)) - 1; // >= 3
    const int sub = int((value >> (octave - 3)) & (SubBuckets - 1));
    return std::min(SubBuckets + (octave - 3) * SubBuckets + sub, BucketCount - 1);
}

qint64 LatencyHistogram::bucketLow(int bucket)
{
    if (bucket < SubBuckets)
        return bucket;
    const int octave = (bucket - SubBuckets) / SubBuckets + 3;
    const int sub = (bucket - SubBuckets) % SubBuckets;
    return qint64(SubBuckets + sub) << (octave - 3);
}

qint64 LatencyHistogram::bucketHigh(int bucket)
{
    return bucketLow(bucket + 1); // the buckets are contiguous
}

void LatencyHistogram::add(qint64 microseconds)
{
    ++m_counts[size_t(bucketOf(microseconds))];
    ++m_count;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_count += other.m_count;
}

void LatencyHistogram::clear()
{
    m_counts.fill(0);
    m_count = 0;
}

namespace {

/// The latency a bucket stands for: its value when exact, else the middle of its range.
double bucketValue(int bucket)
{
    if (bucket < LatencyHistogram::SubBuckets)
        return bucket;
    return double(LatencyHistogram::bucketLow(bucket) + LatencyHistogram::bucketHigh(bucket) - 1)
        / 2.0;
}

} // namespace

double LatencyHistogram::percentileUs(double q) const
{
    if (m_count == 0)
        return -1;
    const qint64 rank = std::clamp<qint64>(qint64(std::ceil(q * double(m_count))), 1, m_count);
    qint64 seen = 0;
    for (int bucket = 0; bucket < BucketCount; ++bucket) {
        seen += m_counts[size_t(bucket)];
        if (seen >= rank)
            return bucketValue(bucket);
    }
    return bucketValue(BucketCount - 1);
}

double LatencyHistogram::maxUs() const
{
    for (int bucket = BucketCount - 1; bucket >= 0; --bucket) {
        if (m_counts[size_t(bucket)] > 0)
            return double(bucketHigh(bucket) - 1);
    }
    return -1;
}

double StatisticsSample::itemsPerSecond() const
{
    return activeMs > 0 ? double(finishedTotal()) * 1000.0 / double(activeMs) : 0.0;
}

RunStatistics::RunStatistics(qint64 intervalMs, int maxSamples)
    : m_intervalMs(std::max<qint64>(intervalMs, 1))
    , m_maxSamples(std::max(maxSamples, 2))
{
    m_samples.reserve(size_t(m_maxSamples) + 1);
}

void RunStatistics::record(qint64 nowMs, ItemStatus status, qint64 latencyUs)
{
    int index = -1;
    switch (status) {
    case ItemStatus::Delivered:
        index = DeliveredIndex;
        break;
    case ItemStatus::Failed:
        index = FailedIndex;
        break;
    case ItemStatus::Invalid:
        index = InvalidIndex;
        break;
    case ItemStatus::Queued:
    case ItemStatus::Sending:
    case ItemStatus::Retrying:
        return;
    }
    if (!m_open) {
        // The first stretch starts with the run; a later one (a retry) when it begins.
        m_current = {};
        m_current.startMs = m_started ? nowMs : 0;
        m_started = true;
        m_open = true;
    }
    advance(nowMs);
    ++m_current.finished[size_t(index)];
    ++m_totals[size_t(index)];
    if (latencyUs >= 0) {
        m_current.latency.add(latencyUs);
        m_total.add(latencyUs);
    }
}

void RunStatistics::record(qint64 nowMs, const ItemResult &result)
{
    qint64 latencyUs = -1;
    if (result.attempts > 0 && !result.cancelled)
        latencyUs = result.latencyUs > 0 ? result.latencyUs : result.latencyMs * 1000;
    record(nowMs, result.status, latencyUs);
}

void RunStatistics::advance(qint64 nowMs)
{
    if (!m_open || nowMs < m_current.startMs + m_intervalMs)
        return;
    closeCurrent(m_current.startMs + m_intervalMs);
    // Whole intervals in which nothing finished: one empty sample.
    const qint64 empty = (nowMs - m_current.startMs) / m_intervalMs * m_intervalMs;
    if (empty > 0)
        closeCurrent(m_current.startMs + empty);
}

void RunStatistics::finish(qint64 nowMs)
{
    if (!m_open)
        return;
    advance(nowMs);
    m_open = false;
    const qint64 endMs = std::max(nowMs, m_current.startMs);
    if (endMs == m_current.startMs && m_current.finishedTotal() == 0)
        return;
    // A sliver of an interval would show as a spike of the rate: it joins the sample before.
    if (endMs - m_current.startMs < m_intervalMs / 2 && !m_samples.empty()
        && m_samples.back().endMs == m_current.startMs) {
        StatisticsSample &last = m_samples.back();
        last.endMs = endMs;
        last.activeMs += endMs - m_current.startMs;
        for (size_t i = 0; i < last.finished.size(); ++i)
            last.finished[i] += m_current.finished[i];
        last.latency.merge(m_current.latency);
        ++m_revision;
        return;
    }
    closeCurrent(endMs);
}

void RunStatistics::clear()
{
    m_samples.clear();
    m_current = {};
    m_open = false;
    m_started = false;
    m_total.clear();
    m_totals.fill(0);
    ++m_revision;
}

void RunStatistics::closeCurrent(qint64 endMs)
{
    StatisticsSample sample = std::move(m_current);
    sample.endMs = endMs;
    sample.activeMs = endMs - sample.startMs;
    m_current = {};
    m_current.startMs = endMs;
    push(std::move(sample));
}

void RunStatistics::push(StatisticsSample &&sample)
{
    m_samples.push_back(std::move(sample));
    ++m_revision;
    if (qsizetype(m_samples.size()) <= m_maxSamples)
        return;
    // Too many: neighbours merge, and the interval doubles.
    size_t kept = 0;
    for (size_t i = 0; i < m_samples.size(); i += 2) {
        StatisticsSample merged = std::move(m_samples[i]);
        if (i + 1 < m_samples.size()) {
            const StatisticsSample &next = m_samples[i + 1];
            merged.endMs = next.endMs;
            merged.activeMs += next.activeMs;
            for (size_t s = 0; s < merged.finished.size(); ++s)
                merged.finished[s] += next.finished[s];
            merged.latency.merge(next.latency);
        }
        m_samples[kept++] = std::move(merged);
    }
    m_samples.resize(kept);
    m_intervalMs *= 2;
}

} // namespace sluice
