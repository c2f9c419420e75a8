// SPDX-License-Identifier: GPL-3.0-or-later
#include "text.h"

#include <algorithm>

namespace sluice {

namespace {

QString cutLine(QString line, bool cut)
{
    line = line.trimmed();
    if (cut)
        line += u'\x2026';
    return line;
}

} // namespace

bool isIdentifier(QStringView name)
{
    if (name.isEmpty() || !isIdentifierStart(name.front().unicode()))
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](QChar c) { return isIdentifierChar(c.unicode()); });
}

QString quoted(QStringView text)
{
    return u'"' + text.toString() + u'"';
}

QString joinPath(QStringView path, QStringView key)
{
    return path.isEmpty() ? key.toString() : path.toString() + u'.' + key.toString();
}

QString firstLine(QStringView text, qsizetype maxLength)
{
    qsizetype end = text.indexOf(u'\n');
    if (end < 0)
        end = text.size();
    const bool cut = maxLength >= 0 && end > maxLength;
    return cutLine(text.first(cut ? maxLength : end).toString(), cut);
}

QString firstLine(QByteArrayView utf8, qsizetype maxLength)
{
    qsizetype end = utf8.indexOf('\n');
    if (end < 0)
        end = utf8.size();
    // Bytes are at least as many as characters: decode a little more than needed, cut after.
    const qsizetype take = maxLength >= 0 ? std::min(end, maxLength * 4 + 4) : end;
    return firstLine(QString::fromUtf8(utf8.first(take)), maxLength);
}

int naturalCompare(QStringView a, QStringView b)
{
    const auto isDigit = [](QChar c) {
        return c.unicode() >= u'0' && c.unicode() <= u'9';
    };
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            while (i < a.size() && a[i] == u'0')
                ++i;
            while (j < b.size() && b[j] == u'0')
                ++j;
            qsizetype endA = i;
            qsizetype endB = j;
            while (endA < a.size() && isDigit(a[endA]))
                ++endA;
            while (endB < b.size() && isDigit(b[endB]))
                ++endB;
            if (endA - i != endB - j)
                return endA - i < endB - j ? -1 : 1;
            for (; i < endA; ++i, ++j) {
                if (a[i] != b[j])
                    return a[i] < b[j] ? -1 : 1;
            }
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j] ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size())
        return 1;
    if (j < b.size())
        return -1;
    return 0;
}

} // namespace sluice
