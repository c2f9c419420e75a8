// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <utility>
#include <vector>

#include <QtGlobal>

namespace sluice {

/// Rows first..last (inclusive) changed; what: the bits of every change in them.
struct ChangedRange
{
    int first = 0;
    int last = 0;
    quint8 what = 0;
    friend bool operator==(const ChangedRange &, const ChangedRange &) = default;
};

/// The dataChanged() signals for a batch of changed rows (row, what changed), each row at
/// most once, in any order, in a table of rowCount rows. Like qBittorrent's transfer
/// list: past half the table one range over everything, since one signal is cheaper for
/// a view and a sorting proxy than many; otherwise adjacent rows merged into ranges, and
/// more than maxRanges ranges become one from the first row to the last changed one.
std::vector<ChangedRange> changedRanges(std::vector<std::pair<int, quint8>> rows, int rowCount,
                                        qsizetype maxRanges);

} // namespace sluice
