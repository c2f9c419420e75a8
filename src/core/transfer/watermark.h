// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "spec/transferspec.h"
#include "types/columninfo.h"
#include "types/item.h"

#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QVariant>

#include <optional>

/// Incremental runs (run.watermark, docs/design.md "Incremental runs"): the state a run leaves
/// for the next one, and how a run finds it from its items.
namespace sluice {

/// Orders two values of a watermark column as the database does, as far as the values tell
/// (<0, 0, >0): NULL first, then numbers, then text, then bytes, as SQLite orders mixed types;
/// integers exactly over the whole signed and unsigned 64-bit range (QPSQL gives a positive
/// int8 as qulonglong, a negative one as qlonglong), exact decimals that arrive as text
/// (exactNumeric) exactly by their digits, reals as doubles; date-times by their instant,
/// dates and times among themselves; text by its UTF-8 bytes (SQLite's BINARY collation),
/// ISO 8601 UTC date-times ("…T…Z", PostgreSQL's timestamptz) as if without their Z.
int compareWatermarkValues(const QVariant &a, const QVariant &b, bool exactNumeric);

/// A watermark column's value as text: what the state file keeps, and what the parameter is
/// bound from (parameterFromText(), typed as the file's first value). Integers and exact
/// decimals as their digits, reals in their shortest form, date-times in ISO 8601 with
/// milliseconds (in UTC with Z for a column that knows its zone), text as it is.
QString watermarkText(const QVariant &value, const ColumnInfo &column);

/// What an incremental transfer keeps between runs: the state file (JSON).
struct WatermarkState
{
    static constexpr int FormatVersion = 1;

    /// An item delivered at or above the watermark: its key and its column value as text.
    struct Row
    {
        QString key;
        QString value;
        friend bool operator==(const Row &, const Row &) = default;
    };

    QString column; ///< run.watermark.column when it was written
    QString parameter; ///< run.watermark.parameter when it was written
    /// The watermark, typed as the parameter is bound: the next run binds it.
    QVariant value;
    /// The items delivered at or above value: the next run reads them again (they are not
    /// below it) and does not send them again while both key and value are the same.
    QList<Row> delivered;

    QByteArray toJson() const;
    /// Writes atomically (QSaveFile), indented, with a line break at the end.
    bool save(const QString &fileName, QString *error) const;
    /// Reads a state file written for spec; parameterType is the transfer file's value of
    /// the parameter, whose type the value is read as (parameterFromText()). Returns nullopt
    /// with *error empty when there is no such file, and with *error naming the file when it
    /// cannot be used (not JSON, another column or parameter, a value of the wrong type).
    static std::optional<WatermarkState> load(const QString &fileName, const WatermarkSpec &spec,
                                              const QVariant &parameterType, QString *error);
    /// Where a transfer's state is kept unless `--state` says: beside it,
    /// "nightly.json" -> "nightly.state.json".
    static QString defaultFile(const QString &transferFile);
};

/// Follows one run's items to the state the next run starts from. The new watermark is the
/// highest value v such that every item of this run whose value is at most v was delivered:
/// the value of the last item of the delivered prefix, in the query's order, which must be
/// the column's (checked as items are read). A failed, invalid or unsent item keeps it below
/// its own value, so the next run reads that item again, and with it the items delivered
/// after it, which the state lists so that they are not sent twice. NULL values take no part.
/// Lives in the run's thread.
class WatermarkTracker
{
public:
    /// bound: the value the parameter is bound to in this run (the previous state's, or the
    /// file's); parameterType: the file's value, whose type the new one gets; previous: the
    /// previous state's delivered rows.
    WatermarkTracker(const WatermarkSpec &spec, const QVariant &bound,
                     const QVariant &parameterType, const QList<WatermarkState::Row> &previous);

    /// The query ran: false with *error when the column is not one of its columns (matched as
    /// templates match them: exactly, else case-insensitively when that is unique).
    bool open(const ColumnList &columns, QString *error);
    /// The column's index in a row, once open.
    int columnIndex() const { return m_index; }

    /// A chunk's items in read order (Item::watermark holds each one's value). Returns false
    /// with *error when they are not in the column's order; otherwise adds to
    /// *alreadyDelivered the ids of items the previous run delivered (same key, same value).
    bool queued(const QList<Item> &items, QSet<qint64> *alreadyDelivered, QString *error);
    /// The item id ended: delivered, or failed or invalid (it may still be retried).
    void finished(qint64 id, bool delivered);
    /// The query was read to its end.
    void readToEnd() { m_readToEnd = true; }

    /// The state for the next run; nullopt when this run delivered nothing (the previous
    /// state stays as it is), and with *error set when the new value cannot be bound to the
    /// parameter (a column of another type than the parameter's first value).
    std::optional<WatermarkState> state(QString *error) const;

private:
    struct Entry
    {
        enum class State : quint8 { Pending, Delivered, NotDelivered };
        QVariant value;
        QString key;
        State state = State::Pending;
    };
    int compare(const QVariant &a, const QVariant &b) const;
    WatermarkState::Row row(const Entry &entry) const;
    void advance();

    WatermarkSpec m_spec;
    QVariant m_bound;
    QVariant m_parameterType;
    QList<WatermarkState::Row> m_previous;
    QSet<QString> m_previousIndex; ///< key + '\0' + value of m_previous
    QSet<QString> m_previousSeen; ///< the same, for the previous rows read again
    ColumnInfo m_column;
    int m_index = -1;
    /// Items not yet in the delivered prefix, by id (NULL values are not here).
    QMap<qint64, Entry> m_entries;
    qint64 m_next = -1; ///< the first id after the delivered prefix; -1 before any item
    qint64 m_lastQueued = -1;
    QVariant m_highest; ///< the highest value read (order check)
    qint64 m_highestId = -1;
    /// The prefix's last value and the delivered rows that have it; before it, the previous
    /// distinct value and its rows (the watermark steps back to it when an item that has
    /// the last value was not delivered).
    std::optional<QVariant> m_mark;
    QList<WatermarkState::Row> m_markRows;
    std::optional<QVariant> m_before;
    QList<WatermarkState::Row> m_beforeRows;
    bool m_anyDelivered = false;
    bool m_readToEnd = false;
};

} // namespace sluice
