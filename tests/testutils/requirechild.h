// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

namespace sluice {

/// The descendant of root named name, of type T; aborts the test binary when there is none,
/// since every following step would only fail in a less readable way.
template<typename T>
T *requireChild(const QObject *root, const char *name)
{
    T *child = root->findChild<T *>(QString::fromLatin1(name));
    if (!child)
        qFatal("no child %s", name);
    return child;
}

} // namespace sluice
