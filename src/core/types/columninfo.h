// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace sluice {

/// What the transform needs to know about one column of a query result, read from the
/// driver's QSqlRecord once the query has run. Values still carry their own QVariant type;
/// these flags cover what the value alone cannot tell.
struct ColumnInfo
{
    QString name;
    int metaTypeId = QMetaType::UnknownType; ///< the driver's declared type (QSqlField::metaType)
    int nativeTypeId = -1; ///< the database's own type id (QSqlField::typeID), -1 unknown
    /// The database knows the time zone of this column's values (PostgreSQL timestamptz,
    /// timetz): date-times are written with their UTC offset.
    bool timeZoneAware = false;
    /// Exact decimal (PostgreSQL numeric, MySQL decimal) fetched as text under
    /// QSql::HighPrecision: a QString value of this column is a JSON number literal.
    bool exactNumeric = false;

    friend bool operator==(const ColumnInfo &, const ColumnInfo &) = default;
};

using ColumnList = QList<ColumnInfo>;

} // namespace sluice

Q_DECLARE_METATYPE(sluice::ColumnInfo)
