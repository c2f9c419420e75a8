// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <deque>

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>

#include "log/eventlog.h"
#include "models/modelfeed.h"

namespace sluice {

/// A list view of an EventLog, oldest entry first, that follows it in batches: the log's
/// changes are taken over when a timer fires (flushInterval(), default 200 ms, started by the
/// first change), as one row removal for the entries the ring dropped (at the top) and one
/// row insertion for the new ones (at the bottom). A burst of appends thus costs a view two
/// signals, however long it is.
///
/// The model keeps its own copy of the entries it shows (their texts are shared with the
/// log, not copied), so its rows stay valid between flushes although the log has already
/// dropped them. After a flush it shows exactly the log's entries. A cleared log is taken
/// over at once.
///
/// Threads: the log's thread only. The log may be destroyed first; the model then keeps
/// what it shows.
class EventLogModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogModel)

public:
    enum Role {
        TimeRole = Qt::UserRole, ///< QDateTime (UTC)
        SeverityRole, ///< int (EventLog::Severity)
        TextRole, ///< QString
        ItemIdRole, ///< qint64, -1 for none
        KeyRole, ///< QString
        HttpStatusRole, ///< int, 0 for none
        SequenceRole, ///< qint64, the entry's sequence number in the log
    };
    Q_ENUM(Role)

    static constexpr int DefaultFlushIntervalMs = FlushTimer::DefaultIntervalMs;

    /// Shows what log holds now, and follows it.
    explicit EventLogModel(EventLog *log, QObject *parent = nullptr);
    ~EventLogModel() override;

    int flushInterval() const { return m_flushTimer.interval(); }
    void setFlushInterval(int ms) { m_flushTimer.setInterval(ms); }
    /// Takes over the log's changes now.
    void flush();

    /// The entry of row (0 <= row < rowCount()).
    const EventLog::Entry &entryAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    /// DisplayRole: local time (HH:mm:ss) and text; ToolTipRole: full date and time, severity
    /// and text; the custom roles give each field.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void onLogChanged();

    QPointer<EventLog> m_log;
    std::deque<EventLog::Entry> m_rows;
    qint64 m_firstSequence = 0; ///< sequence number of m_rows.front()
    FlushTimer m_flushTimer {this, [this] {
                                 flush();
                             }};
};

} // namespace sluice
