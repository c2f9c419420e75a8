// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventlogmodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

QString severityText(EventLog::Severity severity)
{
    switch (severity) {
    case EventLog::Severity::Info:
        return EventLogModel::tr("info");
    case EventLog::Severity::Warning:
        return EventLogModel::tr("warning");
    case EventLog::Severity::Error:
        return EventLogModel::tr("error");
    }
    return {};
}

} // namespace

EventLogModel::EventLogModel(EventLog *log, QObject *parent)
    : QAbstractListModel(parent)
    , m_log(log)
{
    if (!log)
        return;
    m_firstSequence = log->firstSequence();
    for (qsizetype i = 0; i < log->size(); ++i)
        m_rows.push_back(log->at(i));
    connect(log, &EventLog::changed, this, &EventLogModel::onLogChanged);
}

EventLogModel::~EventLogModel() = default;

void EventLogModel::onLogChanged()
{
    if (m_log && m_log->isEmpty() && !m_rows.empty()) {
        // Cleared: the user asked for it and expects to see it now.
        flush();
        return;
    }
    m_flushTimer.schedule();
}

void EventLogModel::flush()
{
    m_flushTimer.cancel();
    if (!m_log)
        return;
    const qint64 logFirst = m_log->firstSequence();
    const qint64 logEnd = m_log->nextSequence();

    // The entries the ring dropped are at the top.
    const auto gone
        = size_t(std::clamp<qint64>(logFirst - m_firstSequence, 0, qint64(m_rows.size())));
    if (gone > 0) {
        beginRemoveRows({}, 0, int(gone) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + qsizetype(gone));
        m_firstSequence += qint64(gone);
        endRemoveRows();
    }

    // The new ones go at the bottom; those appended and already dropped again never show.
    const qint64 from = std::max(m_firstSequence + qint64(m_rows.size()), logFirst);
    if (from >= logEnd)
        return;
    if (m_rows.empty())
        m_firstSequence = from;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(logEnd - from) - 1);
    for (qint64 sequence = from; sequence < logEnd; ++sequence)
        m_rows.push_back(m_log->at(sequence - logFirst));
    endInsertRows();
}

const EventLog::Entry &EventLogModel::entryAt(int row) const
{
    Q_ASSERT(row >= 0 && size_t(row) < m_rows.size());
    return m_rows[size_t(row)];
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EventLog::Entry &entry = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return QString(entry.time.toLocalTime().toString(u"HH:mm:ss"_s) + u"  "_s + entry.text);
    case Qt::ToolTipRole:
        return QString(entry.time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s) + u' '
                       + severityText(entry.severity) + u'\n' + entry.text);
    case TimeRole:
        return entry.time;
    case SeverityRole:
        return int(entry.severity);
    case TextRole:
        return entry.text;
    case ItemIdRole:
        return entry.itemId;
    case KeyRole:
        return entry.key;
    case HttpStatusRole:
        return entry.httpStatus;
    case SequenceRole:
        return m_firstSequence + index.row();
    default:
        return {};
    }
}

QHash<int, QByteArray> EventLogModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(TimeRole, QByteArrayLiteral("time"));
    names.insert(SeverityRole, QByteArrayLiteral("severity"));
    names.insert(TextRole, QByteArrayLiteral("text"));
    names.insert(ItemIdRole, QByteArrayLiteral("itemId"));
    names.insert(KeyRole, QByteArrayLiteral("key"));
    names.insert(HttpStatusRole, QByteArrayLiteral("httpStatus"));
    names.insert(SequenceRole, QByteArrayLiteral("sequence"));
    return names;
}

} // namespace sluice
