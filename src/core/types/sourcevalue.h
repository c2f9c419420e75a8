// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace sluice {

// Column values that no Qt type carries, as a source reader hands them to the transform
// inside a QVariant. Both convert to QString (the preview shows them as text).

/// A JSON value the database holds (PostgreSQL json/jsonb, an array column turned into a
/// JSON array): compact UTF-8 JSON text, every token as the database wrote it. The transform
/// writes it as a nested value, not as a string.
struct JsonText
{
    QByteArray utf8;
    friend bool operator==(const JsonText &, const JsonText &) = default;
};

/// A value the reader could read but that has no faithful JSON form (a NaN inside an
/// array): the item becomes Invalid with this message, which says what is wrong with the
/// value; the transform adds the column's name.
struct ValueError
{
    QString message;
    friend bool operator==(const ValueError &, const ValueError &) = default;
};

/// Registers both types and their conversions to QString (idempotent, thread-safe).
void registerSourceValueTypes();

} // namespace sluice

Q_DECLARE_METATYPE(sluice::JsonText)
Q_DECLARE_METATYPE(sluice::ValueError)
