// SPDX-License-Identifier: GPL-3.0-or-later
#include "placeholders.h"

#include "util/text.h"

using namespace Qt::StringLiterals;

namespace sluice {

QStringList findPlaceholders(QStringView text, QList<Placeholder> *found)
{
    QStringList problems;
    qsizetype from = 0;
    while (true) {
        const qsizetype open = text.indexOf(u"{{", from);
        if (open < 0)
            break;
        const qsizetype close = text.indexOf(u"}}", open + 2);
        if (close < 0) {
            problems << u"unclosed placeholder "_s + quoted(text.sliced(open));
            break;
        }
        const QStringView inner = text.sliced(open + 2, close - open - 2);
        const QStringView whole = text.sliced(open, close + 2 - open);
        const QStringView name = inner.trimmed();
        if (name.isEmpty())
            problems << u"empty placeholder "_s + quoted(whole);
        else if (inner.contains(u'{') || inner.contains(u'}'))
            problems << u"invalid placeholder "_s + quoted(whole)
                    + u": a column name cannot contain { or }"_s;
        else if (found)
            found->append({open, whole.size(), name});
        from = close + 2;
    }
    return problems;
}

bool hasPlaceholders(QStringView text)
{
    QList<Placeholder> found;
    findPlaceholders(text, &found);
    return !found.isEmpty();
}

} // namespace sluice
