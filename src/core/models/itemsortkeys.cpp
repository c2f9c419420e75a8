// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemsortkeys.h"

#include <algorithm>
#include <numeric>

#include "models/keypool.h"
#include "models/transferstatusmodel.h"
#include "util/text.h"

namespace sluice {

namespace {

std::vector<int> rowOrder(qsizetype count)
{
    std::vector<int> rows(size_t(count), 0);
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

/// Rows sorted by a block at a time between two checks of cancelled.
constexpr size_t BlockRows = 32768;

/// Sorts rows by less in blocks, then merges the blocks pairwise; false (rows unusable) once
/// cancelled says so.
template<typename Less>
bool sortInSteps(std::vector<int> &rows, Less less, const std::function<bool()> &cancelled)
{
    const auto stop = [&cancelled] {
        return cancelled && cancelled();
    };
    const size_t count = rows.size();
    for (size_t first = 0; first < count; first += BlockRows) {
        std::sort(rows.begin() + qsizetype(first),
                  rows.begin() + qsizetype(std::min(count, first + BlockRows)), less);
        if (stop())
            return false;
    }
    std::vector<int> merged(count);
    for (size_t width = BlockRows; width < count; width *= 2) {
        for (size_t first = 0; first < count; first += 2 * width) {
            const auto begin = rows.begin() + qsizetype(first);
            const auto middle = rows.begin() + qsizetype(std::min(count, first + width));
            const auto end = rows.begin() + qsizetype(std::min(count, first + 2 * width));
            std::merge(begin, middle, middle, end, merged.begin() + qsizetype(first), less);
            if (stop())
                return false;
        }
        rows.swap(merged);
    }
    return true;
}

} // namespace

QStringView ItemSortKeys::key(qsizetype row, QString *scratch) const
{
    const qint64 where = values[size_t(row)];
    if (where == -1) {
        *scratch = QString::number(ids[size_t(row)] + 1);
        return *scratch;
    }
    if (where < -1)
        return longKeys.at(-2 - where);
    return KeyPool::view(blocks, quint32(where), lengths[size_t(row)]);
}

std::vector<int> sortedRows(const ItemSortKeys &keys, const std::function<bool()> &cancelled)
{
    std::vector<int> rows = rowOrder(keys.rowCount());
    if (keys.inRowOrder)
        return rows;
    const std::vector<qint64> &ids = keys.ids;
    const std::vector<qint64> &values = keys.values;
    // The order is total (ties by id), so any sort gives what a stable sort would.
    bool done = false;
    switch (keys.column) {
    case TransferStatusModel::Key:
        done = sortInSteps(
            rows,
            [&](int l, int r) {
                int order = 0;
                // Two row-number keys sort as their ids do.
                if (values[size_t(l)] != -1 || values[size_t(r)] != -1) {
                    QString left;
                    QString right;
                    order = naturalCompare(keys.key(l, &left), keys.key(r, &right));
                }
                return order != 0 ? order < 0 : ids[size_t(l)] < ids[size_t(r)];
            },
            cancelled);
        break;
    case TransferStatusModel::Error: {
        static const QString none;
        const auto error = [&keys](int row) -> const QString & {
            const qint64 index = keys.values[size_t(row)];
            return index < 0 ? none : keys.errors.at(index);
        };
        done = sortInSteps(
            rows,
            [&](int l, int r) {
                const int order = error(l).compare(error(r));
                return order != 0 ? order < 0 : ids[size_t(l)] < ids[size_t(r)];
            },
            cancelled);
        break;
    }
    default:
        done = sortInSteps(
            rows,
            [&](int l, int r) {
                const qint64 a = values[size_t(l)];
                const qint64 b = values[size_t(r)];
                return a != b ? a < b : ids[size_t(l)] < ids[size_t(r)];
            },
            cancelled);
        break;
    }
    if (!done)
        rows.clear();
    return rows;
}

std::vector<bool> rowsWhoseKeyContains(const ItemSortKeys &keys, const QString &text,
                                       const std::function<bool()> &cancelled)
{
    constexpr qsizetype RowsPerStep = 16384;
    const qsizetype count = keys.rowCount();
    std::vector<bool> found(size_t(count), false);
    QString scratch;
    for (qsizetype row = 0; row < count; ++row) {
        if (row % RowsPerStep == 0 && cancelled && cancelled())
            return {};
        found[size_t(row)] = keys.key(row, &scratch).contains(text, Qt::CaseInsensitive);
    }
    return found;
}

} // namespace sluice
