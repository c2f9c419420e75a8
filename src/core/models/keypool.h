// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <vector>

#include <QStringView>

namespace sluice {

/// Strings back to back in UTF-16, in blocks that never move: no heap block per string,
/// and strings added in order sit side by side (a sort reads them from cache).
/// TransferStatusModel keeps every row's key here (24-byte rows instead of a QString each).
class KeyPool
{
public:
    static constexpr qsizetype BlockChars = 1 << 16;

    /// key.size() <= BlockChars - 1. Returns the position for view() (an empty key: 0).
    quint32 add(QStringView key);
    /// The key added at position with that length; valid until clear().
    QStringView view(quint32 position, quint16 length) const;
    /// Frees every block (those shared() handed out live on with their holders).
    void clear();

    /// The blocks, for reading the keys added so far in another thread (ItemSortKeys): a block
    /// never moves, and add() only writes past what it has written before.
    std::vector<std::shared_ptr<const char16_t[]>> shared() const;
    /// The key at position with that length in blocks from shared().
    static QStringView view(const std::vector<std::shared_ptr<const char16_t[]>> &blocks,
                            quint32 position, quint16 length);

private:
    std::vector<std::shared_ptr<char16_t[]>> m_blocks;
    qsizetype m_used = BlockChars; ///< characters used in the last block
};

} // namespace sluice
