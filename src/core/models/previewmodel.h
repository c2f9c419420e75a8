// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QVariant>

#include "types/columninfo.h"

namespace sluice {

/// The first rows of a query, as a read-only table for the query panel's preview.
///
/// Headers are the column names (horizontal) and 1-based row numbers (vertical). The
/// display text of a value follows its type, in the spirit of the transform's JSON: NULL as
/// "NULL" (IsNullRole tells the view to paint it as a placeholder), numbers in their
/// shortest exact form and right-aligned, exact decimals as the text the database sent,
/// booleans as true/false, blobs as "<n bytes>", dates and times in ISO 8601 (date-times of
/// a time-zone-aware column in UTC with "Z"), line breaks in text as a visible mark.
/// RawValueRole gives the value itself (a null QVariant for NULL).
///
/// Threads: GUI (owner) thread only. Rows are handed over by value and replaced as a whole.
class PreviewModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewModel)

public:
    enum Role {
        RawValueRole = Qt::UserRole, ///< the QVariant as the driver returned it
        IsNullRole, ///< bool: the value is SQL NULL
    };
    Q_ENUM(Role)

    /// Display texts are cut at this many characters (the tooltip holds more).
    static constexpr qsizetype MaxDisplayLength = 500;

    explicit PreviewModel(QObject *parent = nullptr);
    ~PreviewModel() override;

    /// Replaces everything (one model reset). A row shorter than columns shows its missing
    /// cells as empty; extra values are ignored.
    void setRows(const ColumnList &columns, const QList<QVariantList> &rows);
    void clear();

    const ColumnList &columns() const { return m_columns; }
    const QList<QVariantList> &rows() const { return m_rows; }

    /// The text a cell shows for value in column (NULL: "NULL"). Static so other views can
    /// show values the same way.
    static QString displayText(const QVariant &value, const ColumnInfo &column);
    /// Whether the value is a number (right-aligned).
    static bool isNumeric(const QVariant &value, const ColumnInfo &column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    ColumnList m_columns;
    QList<QVariantList> m_rows;
};

} // namespace sluice
