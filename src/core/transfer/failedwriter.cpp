// SPDX-License-Identifier: GPL-3.0-or-later
#include "failedwriter.h"

#include "json/jsonobjectwriter.h"

using namespace Qt::StringLiterals;

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
    {
        JsonObjectWriter object(&line);
        // The key is what the steward sees in the Run step's table and the log; "row" is the
        // item's place in the query's result counted from 1, as a row count says it (the
        // internal item id counts from 0 and is not written: it read as a second key).
        object.string(u"key"_s, result.key);
        object.integer(u"row"_s, result.id + 1);
        object.string(u"status"_s, itemStatusName(result.status));
        object.integer(u"attempts"_s, result.attempts);
        if (result.httpStatus > 0)
            object.integer(u"httpStatus"_s, result.httpStatus);
        object.string(u"error"_s, result.error);
        if (!result.responseBody.isEmpty())
            object.string(u"response"_s, QString::fromUtf8(result.responseBody));
        if (!result.url.isEmpty())
            object.string(u"url"_s, result.url);
        if (!result.requestId.isEmpty())
            object.string(u"requestId"_s, QString::fromLatin1(result.requestId));
        // The payload is our own compact JSON: embedded as it is, not as a string, so the
        // line can be read back and re-sent without unescaping.
        if (!result.payload.isEmpty())
            object.raw(u"payload"_s, result.payload);
    }
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
