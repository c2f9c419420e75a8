// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>

/// Which C++ number types a QVariant may hold. SQL drivers and specs built in code give any
/// of them (int, uint, qlonglong, float, ...); code that treats every integer, or every real,
/// alike asks here so that the lists are written once.
namespace sluice {

/// A signed or unsigned integer type (not bool, not char).
inline bool isIntegerType(QMetaType type)
{
    switch (type.id()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return true;
    default:
        return false;
    }
}

/// double or float.
inline bool isRealType(QMetaType type)
{
    return type.id() == QMetaType::Double || type.id() == QMetaType::Float;
}

} // namespace sluice
