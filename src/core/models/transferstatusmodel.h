// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <vector>

#include <QAbstractTableModel>
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMetaObject>
#include <QString>
#include <QTimer>

#include "models/itemsortkeys.h"
#include "models/keypool.h"
#include "models/modelfeed.h"
#include "types/item.h"

namespace sluice {

class TransferRun;

/// The live item table of a run: one row per item read, in the order the run queued them.
///
/// Built for a million rows. A row holds a compact record (id, key, status, HTTP status,
/// attempts, latency: 24 bytes, the key's text in a shared pool); a key that is just the 1-based
/// row number (the default without a key template) is not stored at all. Error text, response body,
/// payload, URL and request id are kept for items that are Failed or Invalid, and (no error) for
/// the newest DeliveredDetailsKept delivered ones; a delivered item's remark (ItemResult::note)
/// is kept for every one that has it. Rows are never removed except by clear().
///
/// Signals are batched (docs/design.md, "Desktop app"): each addItems() call (a chunk) is
/// one row insertion; value changes only mark rows dirty, and a timer (flushInterval(), default 200
/// ms, started by the first change) emits them: one dataChanged over the whole table when more than
/// half of the rows changed, otherwise one per contiguous range of dirty rows naming only the roles
/// that changed there (each signal spans every column: the custom roles answer for all of them;
/// more than 256 ranges in one flush become one signal over their span). Until then data() already
/// returns the new values, so a view repainting for other reasons never shows stale text.
///
/// Retries: an item that failed keeps its error, response and payload while it is sent
/// again (they describe its last attempt); a later Delivered result drops them, a later
/// failure replaces them.
///
/// Threads: the owner's thread only (the run's signals arrive there). Never starts network
/// work: retry goes through itemsForRetry() and TransferRun::retry().
class TransferStatusModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferStatusModel)

public:
    enum Column { Key, Status, HttpStatus, Attempts, Latency, Error, ColumnCount };
    Q_ENUM(Column)

    /// Custom roles answer for every column of a row unless noted.
    enum Role {
        /// The raw value of the cell, for sorting: key and error as QString, status as int
        /// (ItemStatus), HTTP status, attempts and latency in ms as numbers (latency -1 while
        /// the item has no finished attempt).
        SortRole = Qt::UserRole,
        StatusRole, ///< int (ItemStatus)
        ItemIdRole, ///< qint64
        ErrorTextRole, ///< QString, the full error; empty unless Failed or Invalid
        /// QString, the last response body as text; failures and recently delivered items
        ResponseTextRole,
        /// QByteArray, the JSON sent or to send again; failures and recently delivered items
        PayloadRole,
    };
    Q_ENUM(Role)

    static constexpr int DefaultFlushIntervalMs = FlushTimer::DefaultIntervalMs;
    /// Delivered items whose payload and response are kept (the newest ones), so that a
    /// steward can look at what went out without the memory growing with the run.
    static constexpr int DeliveredDetailsKept = 1000;

    explicit TransferStatusModel(QObject *parent = nullptr);
    ~TransferStatusModel() override;

    /// Clears the model and follows run (itemsQueued, itemStatusChanged, itemFinished; the
    /// run's end flushes at once). nullptr only detaches. The run must outlive the
    /// attachment or be detached; a destroyed run detaches itself.
    /// keepRows: the rows stay (a run that goes on from a journal whose items were shown).
    void attach(TransferRun *run, bool keepRows = false);

    /// Removes every row (a model reset) and forgets pending changes.
    void clear();

    int flushInterval() const { return m_flushTimer.interval(); }
    /// Milliseconds between batched dataChanged signals; 0 flushes on the next event loop pass.
    void setFlushInterval(int ms) { m_flushTimer.setInterval(ms); }
    /// Emits the pending value changes now (tests, and the end of a run).
    void flush();
    /// Rows whose change has not been signalled yet.
    int pendingRowCount() const { return int(m_dirtyRows.size()); }

    int rowForId(qint64 id) const; ///< -1 when the id has no row
    qint64 idAt(int row) const; ///< -1 when row is out of range
    /// Everything the model knows about row's item; error, response, payload, URL and request
    /// id are filled for failed and invalid items, and (without an error) for the last
    /// DeliveredDetailsKept delivered ones; the note of every delivered item that has one
    /// (ItemResult::note). A default result for a bad row.
    ItemResult resultAt(int row) const;
    ItemStatus statusAt(int row) const;
    /// The item's key (a row-number key is made on the fly); empty for a bad row.
    QString keyAt(int row) const;
    /// Whether row's key contains text (no copy of a pooled key); false for a bad row.
    bool keyContains(int row, QStringView text, Qt::CaseSensitivity cs) const;
    /// The full error of a failed or invalid item; empty otherwise. No copy is made.
    const QString &errorAt(int row) const;
    /// Whether row left sorts before row right by column (a Column), without building a
    /// QVariant: keys in natural order ("sensor-9" before "sensor-10"), statuses in their
    /// enum order, numbers as numbers, a missing latency first, errors as text. Ties and bad
    /// rows compare by id, so the order is total and stable.
    bool lessThan(int left, int right, int column) const;
    /// What column sorts by in every row now, for a sort in another thread (sortedRows()
    /// orders it as lessThan() does). Reads each row once; the Key column's text is the key
    /// pool's blocks, shared, not copied, and none at all when the keys are in row order.
    ItemSortKeys sortKeys(int column) const;
    /// Every row's key (the Key column's sortKeys() without its row-order shortcut), for a
    /// search in another thread (rowsWhoseKeyContains()). A few ms at a million rows.
    ItemSortKeys searchKeys() const;
    /// Ids of the items now in status, in row order. Scans every row.
    QList<qint64> idsWithStatus(ItemStatus status) const;
    /// Rows in status; kept up to date on every change (no scan).
    int count(ItemStatus status) const;

    /// The payload kept for a failed or invalid item (possibly edited); empty otherwise.
    QByteArray payloadFor(qint64 id) const;
    /// Replaces the payload of an item that is not Delivered (the steward fixed its JSON
    /// before sending it again). Returns false, changing nothing, for an unknown id or a
    /// delivered item.
    bool setPayload(qint64 id, const QByteArray &payload);
    /// Items ready for TransferRun::retry(): those of ids that are Failed or Invalid and have
    /// a payload, with key, payload and URL. Other ids are skipped.
    QList<Item> itemsForRetry(const QList<qint64> &ids) const;

    /// The status as the window shows it, translated ("delivered"; itemStatusName() is the
    /// untranslated name that files and logs keep).
    static QString statusName(ItemStatus status);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

public Q_SLOTS:
    /// Appends one row per item (one row insertion for the whole list), status Queued, or
    /// Invalid with its error for an item the transform rejected. Ids already present are
    /// skipped.
    void addItems(const QList<sluice::Item> &items);
    /// A status change of a known item (unknown ids are ignored). Delivered drops what was
    /// kept for a failure.
    void setStatus(qint64 id, sluice::ItemStatus status, int attempts);
    /// The outcome of a known item (unknown ids are ignored).
    void setResult(const sluice::ItemResult &result);

private:
    /// Which group of roles of a row changed since the last flush (bits of Row::flags).
    enum DirtyFlag : quint8 {
        DirtyStatus = 0x01,
        DirtyAttempts = 0x02,
        DirtyResult = 0x04,
        DirtyPayload = 0x08,
        DirtyMask = 0x0f,
        KeyIsRowNumber = 0x10, ///< key is QString::number(id + 1), not stored
        HasLatency = 0x20, ///< latencyMs belongs to a finished attempt
        KeyIsLong = 0x40, ///< key is longer than a pool block: in m_longKeys
    };

    /// 24 bytes: sizes are clamped to what a transfer can reach, and the key is a position
    /// in m_keys (a QString member would be 24 bytes itself plus a heap block of its own:
    /// 137 bytes per item at a million items, measured with bench-gui).
    struct Row
    {
        qint64 id = -1;
        quint32 keyPosition = 0; ///< block << 16 | offset in KeyPool
        quint32 latencyMs = 0;
        quint16 keyLength = 0;
        quint16 httpStatus = 0;
        quint16 attempts = 0;
        ItemStatus status = ItemStatus::Queued;
        quint8 flags = 0;
    };
    static_assert(sizeof(Row) == 24);

    /// What is kept beyond the row: for Failed and Invalid items, and (error empty) for the
    /// newest delivered ones.
    struct Failure
    {
        QString error;
        QByteArray response;
        QByteArray payload;
        QString url;
        QByteArray requestId;
    };

    bool isKnown(qint64 id) const;
    /// The failure kept for id, or an empty one.
    const Failure &failureOf(qint64 id) const;
    /// What is kept for row's item: its failure, or for a delivered item its payload and
    /// response if it is among the newest delivered; else an empty one.
    const Failure &detailsOf(const Row &row) const;
    QString keyOf(const Row &row) const;
    ItemSortKeys takeKeys(int column, bool inRowOrder) const;
    /// The row's key without a copy when it is pooled or long; a row-number key is made in
    /// *scratch, which the view then points into.
    QStringView keyView(const Row &row, QString *scratch) const;
    /// Natural order of two rows' keys (negative, 0, positive), reading pooled keys in place.
    int compareKeys(const Row &l, const Row &r) const;
    void changeStatus(Row &row, ItemStatus status);
    void markDirty(int row, quint8 what);
    static QList<int> rolesFor(quint8 dirty);

    std::deque<Row> m_rows; ///< no reallocation (and no copy of a million rows) as it grows
    /// True while every row's id equals its row number (a run's ids are): then no hash is
    /// needed to find a row.
    bool m_dense = true;
    /// True while each row's key sorts after the previous row's (natural order) and ids
    /// increase: then sorting by key is sorting by row, and reads no key at all. Usual for
    /// a query ORDER BY the column the key is made of.
    bool m_keysInRowOrder = true;
    QHash<qint64, int> m_rowById; ///< only when !m_dense
    QHash<qint64, Failure> m_failures;
    KeyPool m_keys;
    /// Payload, response, URL and request id of the newest delivered items, oldest first in
    /// m_deliveredOrder.
    QHash<qint64, Failure> m_delivered;
    std::deque<qint64> m_deliveredOrder;
    /// ItemResult::note of delivered items that have one (rare: "delivered by an earlier
    /// attempt whose answer was lost"), kept for all of them.
    QHash<qint64, QString> m_notes;
    QHash<qint64, QString> m_longKeys; ///< keys longer than a pool block, by id (rare)
    std::array<int, ItemStatusCount> m_counts {};
    std::vector<int> m_dirtyRows; ///< rows with a DirtyMask bit, unordered
    FlushTimer m_flushTimer {this, [this] {
                                 flush();
                             }};
    RunConnections m_runConnections;
};

} // namespace sluice
