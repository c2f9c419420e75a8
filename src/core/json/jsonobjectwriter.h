// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QSet>
#include <QString>

#include "json/jsonwriter.h"

namespace sluice {

/// Writes one compact JSON object member by member, in the order of the calls: '{' when
/// made, '}' when destroyed (so a nested object is a scope). A name already written in
/// this object is skipped with its value, so the text stays valid JSON whatever the
/// caller passes (a header given twice in a spec built in code, say).
class JsonObjectWriter
{
public:
    explicit JsonObjectWriter(QByteArray *out);
    ~JsonObjectWriter();
    Q_DISABLE_COPY_MOVE(JsonObjectWriter)

    /// Writes name and the ':' and returns the writer for the value; nullptr (and nothing
    /// written) when this object already has a member of that name.
    JsonWriter *member(const QString &name);

    void string(const QString &name, QStringView value)
    {
        writeValue(name, [value](JsonWriter &w) { w.writeString(value); });
    }
    void integer(const QString &name, qint64 value)
    {
        writeValue(name, [value](JsonWriter &w) { w.writeInteger(value); });
    }
    void boolean(const QString &name, bool value)
    {
        writeValue(name, [value](JsonWriter &w) { w.writeBool(value); });
    }
    /// Already-valid JSON, written as it is.
    void raw(const QString &name, QByteArrayView json)
    {
        writeValue(name, [json](JsonWriter &w) { w.writeRaw(json); });
    }
    /// A nested object whose members write(JsonObjectWriter &) writes.
    template<typename Write>
    void object(const QString &name, Write write)
    {
        if (!member(name))
            return;
        JsonObjectWriter inner(m_out);
        write(inner);
    }

private:
    template<typename Write>
    void writeValue(const QString &name, Write write)
    {
        if (JsonWriter *writer = member(name))
            write(*writer);
    }

    QByteArray *m_out;
    JsonWriter m_writer;
    QSet<QString> m_names;
};

} // namespace sluice
