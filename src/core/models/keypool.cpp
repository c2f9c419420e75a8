// SPDX-License-Identifier: GPL-3.0-or-later
#include "keypool.h"

#include <algorithm>

namespace sluice {

quint32 KeyPool::add(QStringView key)
{
    Q_ASSERT(key.size() < BlockChars);
    if (key.isEmpty())
        return 0;
    // 2^16 blocks of 2^16 characters: 8 GiB of keys before the position would wrap.
    if (BlockChars - m_used < key.size()) {
        m_blocks.push_back(std::make_shared_for_overwrite<char16_t[]>(size_t(BlockChars)));
        m_used = 0;
    }
    const auto position = quint32((m_blocks.size() - 1) << 16 | size_t(m_used));
    std::copy(key.utf16(), key.utf16() + key.size(), m_blocks.back().get() + m_used);
    m_used += key.size();
    return position;
}

QStringView KeyPool::view(quint32 position, quint16 length) const
{
    if (length == 0)
        return {};
    return QStringView(m_blocks[position >> 16].get() + (position & 0xffff), length);
}

void KeyPool::clear()
{
    std::vector<std::shared_ptr<char16_t[]>>().swap(m_blocks);
    m_used = BlockChars;
}

std::vector<std::shared_ptr<const char16_t[]>> KeyPool::shared() const
{
    return {m_blocks.cbegin(), m_blocks.cend()};
}

QStringView KeyPool::view(const std::vector<std::shared_ptr<const char16_t[]>> &blocks,
                          quint32 position, quint16 length)
{
    if (length == 0)
        return {};
    return QStringView(blocks[position >> 16].get() + (position & 0xffff), length);
}

} // namespace sluice
