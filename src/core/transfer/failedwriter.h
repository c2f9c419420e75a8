// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "types/item.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace sluice {

/// Writes failed and invalid items as NDJSON, one object per line, as they happen, so
/// nothing is lost if the process dies later. Each line holds the item's key (as the Run
/// step's table shows it), its row (1-based place in the query's result), status, attempts, HTTP
/// status, error, response text, URL, request id, and the payload as embedded JSON (so the file can
/// be re-sent as it is).
///
/// Not thread-safe: use it from one thread.
class FailedWriter final
{
public:
    FailedWriter() = default;
    ~FailedWriter();
    Q_DISABLE_COPY_MOVE(FailedWriter)

    /// Creates or truncates fileName. On failure returns false with a message naming the file.
    bool open(const QString &fileName, QString *error);
    bool isOpen() const { return m_file.isOpen(); }
    /// Appends one line and flushes it. Returns false (and keeps the error) when the disk refuses.
    bool write(const ItemResult &result);
    /// Flushes and closes; returns false if any write failed.
    bool close(QString *error);
    qint64 linesWritten() const { return m_lines; }

    /// The NDJSON line for one result, without the trailing newline.
    static QByteArray toJsonLine(const ItemResult &result);

private:
    QFile m_file;
    QString m_error;
    qint64 m_lines = 0;
};

} // namespace sluice
