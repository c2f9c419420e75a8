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
    /// Frees every block.
    void clear();

private:
    std::vector<std::unique_ptr<char16_t[]>> m_blocks;
    qsizetype m_used = BlockChars; ///< characters used in the last block
};

} // namespace sluice
