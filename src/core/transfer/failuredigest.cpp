// SPDX-License-Identifier: GPL-3.0-or-later
#include "failuredigest.h"

#include <algorithm>

#include "models/failuregroupmodel.h"

namespace sluice {

void FailureDigest::add(const ItemResult &result)
{
    if (result.status == ItemStatus::Delivered) {
        if (!m_groupOf.isEmpty())
            remove(result.id);
        return;
    }
    if (!isFailure(result.status))
        return;
    remove(result.id);

    const QString statusText = FailureGroupModel::statusText(result);
    const QString message = FailureGroupModel::shortMessage(result);
    const QString cause = FailureGroupModel::groupKey(result.status, result.httpStatus, message);
    int index = m_byCause.value(cause, -1);
    if (index < 0) {
        if (qsizetype(m_groups.size()) < MaxGroups) {
            index = int(m_groups.size());
            Group group;
            group.status = result.status;
            group.httpStatus = result.httpStatus;
            group.statusText = statusText;
            group.message = message;
            group.serial = index;
            m_groups.push_back(std::move(group));
            m_byCause.insert(cause, index);
        } else {
            if (m_otherGroup < 0) {
                m_otherGroup = int(m_groups.size());
                Group group;
                group.serial = m_otherGroup;
                m_groups.push_back(std::move(group));
            }
            index = m_otherGroup;
        }
    }
    Group &group = m_groups[size_t(index)];
    ++group.count;
    m_groupOf.insert(result.id, index);
    if (group.examples.size() < MaxExamples) {
        group.examples.append({result.id, result.key, result.httpStatus, result.attempts,
                               result.error, result.responseBody.left(MaxResponseBytes),
                               result.url});
    }
}

void FailureDigest::remove(qint64 id)
{
    const auto it = m_groupOf.constFind(id);
    if (it == m_groupOf.cend())
        return;
    Group &group = m_groups[size_t(*it)];
    --group.count;
    group.examples.removeIf([id](const Example &example) { return example.id == id; });
    m_groupOf.erase(it);
}

void FailureDigest::clear()
{
    m_groups.clear();
    m_byCause.clear();
    m_groupOf.clear();
    m_otherGroup = -1;
}

QList<FailureDigest::Group> FailureDigest::groups() const
{
    QList<Group> shown;
    for (const Group &group : m_groups) {
        if (group.count > 0)
            shown.append(group);
    }
    std::stable_sort(shown.begin(), shown.end(),
                     [](const Group &a, const Group &b) { return a.count > b.count; });
    return shown;
}

} // namespace sluice
