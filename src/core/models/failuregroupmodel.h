// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <vector>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QMetaObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include "models/modelfeed.h"
#include "types/item.h"

namespace sluice {

class TransferRun;

/// Failed and Invalid items grouped by what went wrong, so a steward sees "212 × 422
/// Unprocessable Entity: invalid date" instead of 212 rows, and can select or retry a group.
///
/// A group is (status, HTTP status, short message); see shortMessage(). Rows are sorted by
/// count, largest first; groups with equal counts keep the order they appeared in. An item
/// is in at most one group: a result for an item already grouped moves it, a Delivered result
/// (a retry that passed) takes it out, and a group left empty disappears.
///
/// Changes are batched like TransferStatusModel's: addResult() and removeItem() only queue
/// them; a timer (flushInterval(), default 200 ms) applies them as at most one removal per
/// run of emptied rows, one insertion of the new groups at the end, one layout change when
/// the order changed and one dataChanged for the counts. Until then rows, data() and ids()
/// show the previous state.
///
/// Threads: the owner's thread only.
class FailureGroupModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FailureGroupModel)

public:
    enum Column { Count, Status, Message, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        /// Raw value for sorting: count (int), HTTP status (int), message (QString).
        SortRole = Qt::UserRole,
        CountRole, ///< int
        StatusRole, ///< int (ItemStatus: Failed or Invalid)
        HttpStatusRole, ///< int, 0 when no response was received
    };
    Q_ENUM(Role)

    static constexpr int DefaultFlushIntervalMs = FlushTimer::DefaultIntervalMs;
    /// Messages longer than this are cut (with an ellipsis).
    static constexpr qsizetype MaxMessageLength = 120;
    /// What stands for the item's own key in a group's message.
    static constexpr QStringView KeyMark = u"<key>";

    explicit FailureGroupModel(QObject *parent = nullptr);
    ~FailureGroupModel() override;

    /// Clears the model and follows run's itemFinished (the run's end flushes at once).
    /// nullptr only detaches.
    /// keepRows: the rows stay (a run that goes on from a journal whose items were shown).
    void attach(TransferRun *run, bool keepRows = false);
    void clear();

    int flushInterval() const { return m_flushTimer.interval(); }
    void setFlushInterval(int ms) { m_flushTimer.setInterval(ms); }
    /// Applies the queued changes now.
    void flush();

    /// The message a result is grouped by: the "error", "message" or "detail" string of a JSON
    /// object response (also inside an "error" object, as Elasticsearch answers), else the
    /// first line of the error without its "HTTP <status> <reason>: " prefix; the item's own
    /// key, where it stands there as a word, replaced by KeyMark (a server that names the
    /// document in its reason, as Elasticsearch does for a conflict, would otherwise make a
    /// group of each item); cut to MaxMessageLength characters.
    static QString shortMessage(const ItemResult &result);
    /// "422 Unprocessable Entity" (the reason as the error gives it), "422", or for no HTTP
    /// status the item's status name ("failed", "invalid").
    static QString statusText(const ItemResult &result);
    /// What makes two failures one group: the status, the HTTP status and shortMessage(); the
    /// reason phrase (statusText()) is shown as the group's first item gave it, not compared.
    /// The run report's FailureDigest groups by the same key.
    static QString groupKey(ItemStatus status, int httpStatus, const QString &message);

    /// Failed and Invalid results go into their group; Delivered takes the item out of its
    /// group; other statuses are ignored.
    void addResult(const sluice::ItemResult &result);
    void removeItem(qint64 id);

    /// The ids of row's group, ascending; empty for a bad row.
    QList<qint64> ids(int row) const;
    /// "212 × 422 Unprocessable Entity: invalid date"; empty for a bad row.
    QString summary(int row) const;
    /// Items in all groups.
    qint64 itemCount() const { return m_groupOf.size(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Group
    {
        ItemStatus status = ItemStatus::Failed;
        int httpStatus = 0;
        QString statusText;
        QString message;
        QString example; ///< full error of the group's first item (the tooltip)
        qint64 serial = 0; ///< creation order, to break ties in the sort
        QSet<qint64> ids;
        int row = -1; ///< its row, -1 while not shown yet
    };
    /// A queued change: a result to group, or (group empty) an item to take out.
    struct Change
    {
        qint64 id = -1;
        bool remove = false;
        ItemStatus status = ItemStatus::Failed;
        int httpStatus = 0;
        QString statusText;
        QString message;
        QString error;
    };

    void queue(Change &&change);
    static bool before(const Group *a, const Group *b);
    void renumber();

    std::vector<std::unique_ptr<Group>> m_rows; ///< shown groups, in row order
    QHash<QString, Group *> m_groupByKey;
    QHash<qint64, Group *> m_groupOf;
    std::vector<Change> m_pending;
    QSet<qint64> m_pendingAdded; ///< ids with a queued result, so removeItem() keeps them
    qint64 m_nextSerial = 0;
    FlushTimer m_flushTimer {this, [this] {
                                 flush();
                             }};
    RunConnections m_runConnections;
};

} // namespace sluice
