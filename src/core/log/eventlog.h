// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace sluice {

/// What happened during a session, for the user: a bounded ring buffer of entries. When it
/// is full, each new entry drops the oldest one (counted in droppedCount()).
///
/// Every entry gets a sequence number, counted up from 0 and never reused (not even after
/// clear()): at(i) has sequence firstSequence() + i. EventLogModel uses them to tell which
/// of the rows it shows are gone.
///
/// Threads: the owner's thread only. append() is cheap (no allocation once full, one signal
/// without arguments), so a burst of a hundred thousand failures is fine; views batch.
class EventLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLog)

public:
    enum class Severity : quint8 { Info, Warning, Error };
    Q_ENUM(Severity)

    struct Entry
    {
        QDateTime time; ///< in UTC; append() stamps the current time when null
        Severity severity = Severity::Info;
        QString text;
        qint64 itemId = -1; ///< the item concerned, -1 for none
        QString key; ///< that item's key, for people
        int httpStatus = 0; ///< 0 when there is none
    };

    static constexpr qsizetype DefaultCapacity = 10000;

    explicit EventLog(QObject *parent = nullptr);
    ~EventLog() override;

    qsizetype capacity() const { return m_capacity; }
    /// At least 1. Shrinking drops the oldest entries beyond it (they count as dropped).
    void setCapacity(qsizetype capacity);

    void append(const Entry &entry);
    void append(Severity severity, const QString &text, qint64 itemId = -1, const QString &key = {},
                int httpStatus = 0);

    qsizetype size() const { return m_entries.size(); }
    bool isEmpty() const { return m_entries.isEmpty(); }
    /// 0 <= i < size(); 0 is the oldest entry held.
    const Entry &at(qsizetype i) const;
    /// Removes every entry. Sequence numbers go on; droppedCount() restarts at 0.
    void clear();
    /// Entries dropped to make room since construction or clear().
    qint64 droppedCount() const { return m_dropped; }

    /// Sequence number of at(0) (equal to nextSequence() when empty).
    qint64 firstSequence() const { return m_nextSequence - m_entries.size(); }
    /// Sequence number the next entry will get: one past the newest.
    qint64 nextSequence() const { return m_nextSequence; }

Q_SIGNALS:
    /// Entries were appended, dropped or cleared. Emitted once per call that changed them.
    void changed();

private:
    /// Puts the entries in order, oldest first, and forgets the ring's start.
    void linearize();

    QList<Entry> m_entries; ///< the ring; m_head is the oldest once it is full
    qsizetype m_head = 0;
    qsizetype m_capacity = DefaultCapacity;
    qint64 m_dropped = 0;
    qint64 m_nextSequence = 0;
};

} // namespace sluice
