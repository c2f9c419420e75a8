// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtext.h"

namespace sluice {

QString RunText::duration(double seconds)
{
    const auto total = qint64(seconds + 0.5);
    if (total < 60)
        return tr("%1 s").arg(total);
    if (total < 3600)
        return tr("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QChar(u'0'));
    return tr("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QChar(u'0'));
}

QString RunText::itemCount(qint64 n)
{
    return tr("%Ln item(s)", nullptr, int(n));
}

} // namespace sluice
