// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventlog.h"

#include <algorithm>

namespace sluice {

EventLog::EventLog(QObject *parent)
    : QObject(parent)
{ }

EventLog::~EventLog() = default;

void EventLog::setCapacity(qsizetype capacity)
{
    capacity = std::max<qsizetype>(1, capacity);
    if (capacity == m_capacity)
        return;
    linearize();
    m_capacity = capacity;
    const qsizetype excess = m_entries.size() - capacity;
    if (excess <= 0)
        return;
    m_entries.remove(0, excess);
    m_entries.squeeze();
    m_dropped += excess;
    Q_EMIT changed();
}

void EventLog::append(const Entry &entry)
{
    Entry &slot = [this]() -> Entry & {
        if (m_entries.size() < m_capacity)
            return m_entries.emplace_back();
        // Full: the oldest entry's slot takes the new one.
        Entry &oldest = m_entries[m_head];
        m_head = (m_head + 1) % m_entries.size();
        ++m_dropped;
        return oldest;
    }();
    slot = entry;
    if (slot.time.isNull())
        slot.time = QDateTime::currentDateTimeUtc();
    ++m_nextSequence;
    Q_EMIT changed();
}

void EventLog::append(Severity severity, const QString &text, qint64 itemId, const QString &key,
                      int httpStatus)
{
    append(Entry {QDateTime(), severity, text, itemId, key, httpStatus});
}

const EventLog::Entry &EventLog::at(qsizetype i) const
{
    Q_ASSERT(i >= 0 && i < m_entries.size());
    return m_entries.at((m_head + i) % m_entries.size());
}

void EventLog::clear()
{
    if (m_entries.isEmpty() && m_dropped == 0)
        return;
    m_entries = {};
    m_head = 0;
    m_dropped = 0;
    Q_EMIT changed();
}

void EventLog::linearize()
{
    if (m_head == 0)
        return;
    std::rotate(m_entries.begin(), m_entries.begin() + m_head, m_entries.end());
    m_head = 0;
}

} // namespace sluice
