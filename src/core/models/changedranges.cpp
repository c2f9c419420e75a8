// SPDX-License-Identifier: GPL-3.0-or-later
#include "changedranges.h"

#include <algorithm>

namespace sluice {

std::vector<ChangedRange> changedRanges(std::vector<std::pair<int, quint8>> rows, int rowCount,
                                        qsizetype maxRanges)
{
    if (rows.empty())
        return {};
    const auto everything = [&rows](int first, int last) {
        quint8 all = 0;
        for (const auto &[row, what] : rows)
            all |= what;
        return std::vector<ChangedRange> {{first, last, all}};
    };
    if (rows.size() * 2 > size_t(rowCount))
        return everything(0, rowCount - 1);

    std::sort(rows.begin(), rows.end());
    std::vector<ChangedRange> ranges;
    for (const auto &[row, what] : rows) {
        if (!ranges.empty() && ranges.back().last + 1 == row) {
            ranges.back().last = row;
            ranges.back().what |= what;
        } else {
            ranges.push_back({row, row, what});
        }
    }
    if (qsizetype(ranges.size()) > maxRanges)
        return everything(ranges.front().first, ranges.back().last);
    return ranges;
}

} // namespace sluice
