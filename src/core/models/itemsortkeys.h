// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <vector>

#include <QList>
#include <QString>

namespace sluice {

/// The values one column of a TransferStatusModel sorts by, copied from every row in the
/// model's thread (TransferStatusModel::sortKeys()) so that another thread can sort them
/// (sortedRows()) while the model goes on changing. Owns everything it holds: nothing in it
/// points into the model.
struct ItemSortKeys
{
    int column = -1; ///< a TransferStatusModel::Column
    /// The rows sort in row order without reading a value (the model's keys already are).
    bool inRowOrder = false;
    std::vector<qint64> ids; ///< per row: ties compare by id
    /// Per row. Key: where the key starts in text, or -1 for a row-number key (id + 1,
    /// made when compared); Error: the index in errors, or -1 for none; otherwise the value.
    std::vector<qint64> values;
    std::vector<quint32> lengths; ///< Key: per row, the key's length in text
    std::vector<char16_t> text; ///< Key: the keys back to back
    QList<QString> errors; ///< Error: the distinct rows' errors

    qsizetype rowCount() const { return qsizetype(ids.size()); }
};

/// The rows of keys in ascending order, exactly as TransferStatusModel::lessThan() orders
/// them (a total order: ties by id). Reentrant; the expensive part of a sort. Sorted in blocks
/// then merged, asking cancelled (when given) between two steps: once it says true, gives up
/// and returns no rows, so a sort nobody waits for stops taking a core.
std::vector<int> sortedRows(const ItemSortKeys &keys, const std::function<bool()> &cancelled = {});

} // namespace sluice
