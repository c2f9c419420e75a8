// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <QVariant>

#include "types/columninfo.h"
#include "json/jsonwriter.h"

namespace sluice {

/// One column value, converted once and then written typed, as JSON string content, or
/// as plain text. Numbers, dates and times are formatted into the inline buffer so that the
/// common types cost no allocation.
struct Scalar
{
    enum class Kind : quint8 {
        Null,
        Bool,
        Number, ///< ascii() is a JSON number literal, written as it is
        Real, ///< ascii() is a double in shortest form; typed output may add ".0"
        Ascii, ///< ascii() is text needing no escapes (dates, base64, UUIDs)
        Text, ///< text (needs escaping)
        Json, ///< bytes is compact JSON (a json column, an array): written nested
        Error, ///< owned holds the message
    };
    Kind kind = Kind::Null;
    bool boolean = false;
    qsizetype length = 0;
    char buffer[48];
    QByteArray bytes; ///< Ascii/Number text too long or already allocated (base64)
    QStringView text; ///< Text: a view into the row's value, or into owned
    QString owned;

    QByteArrayView ascii() const
    {
        return bytes.isNull() ? QByteArrayView(buffer, length) : QByteArrayView(bytes);
    }
    void setBuffer(Kind k, const char *end)
    {
        kind = k;
        length = end - buffer;
    }
};

/// Converts one column value by the template rules (docs/design.md, "Values"): typed
/// JSON for NULL, booleans, integers, reals, exact numerics, text, blobs, dates, times,
/// UUIDs, JSON (JsonText); NaN, infinities and types with no JSON form give Kind::Error with a
/// message that names the column, as does a ValueError. s->text may point into value: value must
/// outlive s.
void toScalar(const QVariant &value, const ColumnInfo &column, Scalar *s);

/// s as a typed JSON value (a REAL that looks integral gets ".0"). Writes nothing for
/// Kind::Error.
void writeTyped(JsonWriter &writer, const Scalar &s);

/// s as the content of a JSON string (escaped, without quotes): NULL and errors as
/// nothing, reals without the ".0".
void writeText(JsonWriter &writer, const Scalar &s);

} // namespace sluice
