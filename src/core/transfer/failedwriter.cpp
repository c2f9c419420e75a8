// SPDX-License-Identifier: GPL-3.0-or-later
#include "failedwriter.h"

#include "json/jsonwriter.h"

namespace sluice {

FailedWriter::~FailedWriter()
{
    close(nullptr);
}

bool FailedWriter::open(const QString &fileName, QString *error)
{
    m_file.setFileName(fileName);
    m_lines = 0;
    m_error.clear();
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = QStringLiteral("cannot write the failed-items file \"%1\": %2")
                         .arg(fileName, m_file.errorString());
        return false;
    }
    return true;
}

QByteArray FailedWriter::toJsonLine(const ItemResult &result)
{
    QByteArray line;
    line.reserve(256 + result.payload.size() + result.responseBody.size());
    JsonWriter w(&line);
    line += "{\"id\":";
    w.writeInteger(result.id);
    line += ",\"key\":";
    w.writeString(result.key);
    line += ",\"status\":";
    w.writeString(itemStatusName(result.status));
    line += ",\"attempts\":";
    w.writeInteger(result.attempts);
    if (result.httpStatus > 0) {
        line += ",\"httpStatus\":";
        w.writeInteger(result.httpStatus);
    }
    line += ",\"error\":";
    w.writeString(result.error);
    if (!result.responseBody.isEmpty()) {
        line += ",\"response\":";
        w.writeString(QString::fromUtf8(result.responseBody));
    }
    if (!result.url.isEmpty()) {
        line += ",\"url\":";
        w.writeString(result.url);
    }
    if (!result.requestId.isEmpty()) {
        line += ",\"requestId\":";
        w.writeString(QString::fromLatin1(result.requestId));
    }
    if (!result.payload.isEmpty()) {
        line += ",\"payload\":";
        // The payload is our own compact JSON: embed it as it is, not as a string, so
        // the line can be read back and re-sent without unescaping.
        w.writeRaw(result.payload);
    }
    line += '}';
    return line;
}

bool FailedWriter::write(const ItemResult &result)
{
    if (!m_file.isOpen())
        return false;
    QByteArray line = toJsonLine(result);
    line += '\n';
    if (m_file.write(line) != line.size() || !m_file.flush()) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("cannot write to \"%1\": %2")
                          .arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    ++m_lines;
    return true;
}

bool FailedWriter::close(QString *error)
{
    if (m_file.isOpen()) {
        if (!m_file.flush() && m_error.isEmpty())
            m_error = QStringLiteral("cannot write to \"%1\": %2")
                          .arg(m_file.fileName(), m_file.errorString());
        m_file.close();
    }
    if (error)
        *error = m_error;
    return m_error.isEmpty();
}

} // namespace sluice
