// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonobjectwriter.h"

namespace sluice {

JsonObjectWriter::JsonObjectWriter(QByteArray *out)
    : m_out(out)
    , m_writer(out)
{
    m_out->append('{');
}

JsonObjectWriter::~JsonObjectWriter()
{
    m_out->append('}');
}

JsonWriter *JsonObjectWriter::member(const QString &name)
{
    if (m_names.contains(name))
        return nullptr;
    if (!m_names.isEmpty())
        m_out->append(',');
    m_names.insert(name);
    m_writer.writeString(name);
    m_out->append(':');
    return &m_writer;
}

} // namespace sluice
