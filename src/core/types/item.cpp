// SPDX-License-Identifier: GPL-3.0-or-later
#include "item.h"

namespace sluice {

QString itemStatusName(ItemStatus status)
{
    switch (status) {
    case ItemStatus::Queued:
        return QStringLiteral("queued");
    case ItemStatus::Sending:
        return QStringLiteral("sending");
    case ItemStatus::Retrying:
        return QStringLiteral("retrying");
    case ItemStatus::Delivered:
        return QStringLiteral("delivered");
    case ItemStatus::Failed:
        return QStringLiteral("failed");
    case ItemStatus::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

} // namespace sluice
