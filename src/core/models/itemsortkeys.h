// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QList>
#include <QString>

namespace sluice {

/// The values one column of a TransferStatusModel sorts by, taken from every row in the
/// model's thread (TransferStatusModel::sortKeys()) so that another thread can sort them
/// (sortedRows()) or search their keys (rowsWhoseKeyContains()) while the model goes on
/// changing. Nothing in it points into the model: the key column's text is the model's key
/// blocks, shared (KeyPool::shared()), not copied: a block never moves and the model only
/// writes past the keys it held when these were taken.
struct ItemSortKeys
{
    int column = -1; ///< a TransferStatusModel::Column
    /// The rows sort in row order without reading a value (the model's keys already are).
    bool inRowOrder = false;
    std::vector<qint64> ids; ///< per row: ties compare by id
    /// Per row. Key: where the key is in blocks (KeyPool position), -1 for a row-number key
    /// (id + 1, made when read), or -2 - i for longKeys[i]; Error: the index in errors, or
    /// -1 for none; otherwise the value.
    std::vector<qint64> values;
    std::vector<quint16> lengths; ///< Key: per row, the key's length in blocks
    std::vector<std::shared_ptr<const char16_t[]>> blocks; ///< Key: the model's key blocks
    QList<QString> longKeys; ///< Key: keys longer than a block holds
    QList<QString> errors; ///< Error: the distinct rows' errors

    qsizetype rowCount() const { return qsizetype(ids.size()); }
    /// Key: row's key; scratch holds a row-number key.
    QStringView key(qsizetype row, QString *scratch) const;
};

/// The rows of keys in ascending order, exactly as TransferStatusModel::lessThan() orders
/// them (a total order: ties by id). Reentrant; the expensive part of a sort. Sorted in blocks
/// then merged, asking cancelled (when given) between two steps: once it says true, gives up
/// and returns no rows, so a sort nobody waits for stops taking a core.
std::vector<int> sortedRows(const ItemSortKeys &keys, const std::function<bool()> &cancelled = {});

/// Per row of keys (a Key column's), whether its key contains text, ignoring case as
/// QStringView::contains() does. Asks cancelled (when given) first and every few thousand rows:
/// once it says true, gives up and returns nothing.
std::vector<bool> rowsWhoseKeyContains(const ItemSortKeys &keys, const QString &text,
                                       const std::function<bool()> &cancelled = {});

} // namespace sluice
