// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArrayView>
#include <QVariant>

#include "types/columninfo.h"

namespace sluice::pg {

// PostgreSQL's text output turned into the values the transform writes (docs/design.md,
// "PostgreSQL types"). The session must use DateStyle ISO, IntervalStyle iso_8601,
// bytea_output hex and extra_float_digits > 0 (PgCursor sets them).

/// How a column's text is read.
enum class Kind : quint8 {
    Text, ///< as it is: text types, uuid, inet, cidr, macaddr, enums, ranges, ...
    Bool,
    Int16,
    Int32,
    Int64,
    Oid,
    Float4,
    Float8,
    Numeric, ///< exact text, a JSON number literal (NaN and infinities are invalid)
    Json, ///< json, jsonb: nested JSON
    Bytea, ///< base64
    Date,
    Time,
    TimeTz,
    Timestamp,
    TimestampTz, ///< written in UTC with Z
    Interval, ///< ISO 8601 duration, as IntervalStyle iso_8601 writes it
    Array, ///< a JSON array of `element`s
};

struct Type
{
    Kind kind = Kind::Text;
    Kind element = Kind::Text; ///< Array: the elements' kind (never Array)
    char delimiter = ','; ///< Array: the elements' delimiter (';' for box)
    friend bool operator==(const Type &, const Type &) = default;
};

/// The type of a built-in OID whose meaning is fixed; nullopt for any other OID (enums,
/// domains, extension types, arrays of those): ask the catalogue (PgCursor does).
std::optional<Type> builtinType(unsigned int oid);

/// The column's flags for a type (exactNumeric, timeZoneAware, metaTypeId).
void describeColumn(const Type &type, ColumnInfo *column);

/// One non-NULL value from its text: int, qlonglong, float, double, bool, QString,
/// QByteArray, JsonText, or ValueError when the value has no faithful JSON form.
QVariant value(const Type &type, QByteArrayView text);

} // namespace sluice::pg
