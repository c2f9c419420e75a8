// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include "types/item.h"

namespace sluice {

/// The failed and invalid items of a run grouped by cause, as FailureGroupModel groups them
/// (status, HTTP status, FailureGroupModel::shortMessage()), each group with its count and
/// its first few items as examples: what a run report shows. An item is in one group at most:
/// a later result moves it, a Delivered one (a retry that passed) takes it out.
///
/// Memory: a hash entry per item not delivered, and at most MaxGroups groups (causes past
/// those count in one last group, "other causes") of at most MaxExamples examples each, an
/// example's answer cut to MaxResponseBytes. Threads: the owner's only.
class FailureDigest final
{
public:
    static constexpr int MaxGroups = 50;
    static constexpr int MaxExamples = 3;
    static constexpr qsizetype MaxResponseBytes = 1000;

    struct Example
    {
        qint64 id = -1;
        QString key;
        int httpStatus = 0;
        int attempts = 0;
        QString error;
        QByteArray response; ///< the answer's first MaxResponseBytes
        QString url; ///< when the target URL has placeholders
    };
    struct Group
    {
        ItemStatus status = ItemStatus::Failed;
        int httpStatus = 0;
        QString statusText; ///< FailureGroupModel::statusText()
        QString message; ///< FailureGroupModel::shortMessage(); empty in "other causes"
        qint64 count = 0;
        QList<Example> examples;
        qint64 serial = 0; ///< creation order
    };

    /// Failed and Invalid results go into their group; Delivered takes the item out.
    void add(const ItemResult &result);
    void clear();
    /// Groups with items, largest first (equal counts in the order they appeared).
    QList<Group> groups() const;
    qint64 itemCount() const { return m_groupOf.size(); }

private:
    void remove(qint64 id);

    std::vector<Group> m_groups;
    QHash<QString, int> m_byCause;
    QHash<qint64, int> m_groupOf; ///< item id -> index in m_groups
    int m_otherGroup = -1;
};

} // namespace sluice
