// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "db/rowsource.h"

#include <QList>
#include <QObject>
#include <QStringList>

namespace sluice {

/// What a RowSource said (opened, chunks, failures), collected in the test's thread.
struct RowSourceRecorder
{
    bool opened = false;
    ColumnList columns;
    QList<RowChunk> chunks;
    QStringList errors;
    QList<SourceFailure::Kind> errorKinds; ///< one per error, in the same order

    /// Records source's signals for as long as context lives.
    void listen(QObject *context, RowSource *source)
    {
        QObject::connect(source, &RowSource::opened, context, [this](const ColumnList &c) {
            opened = true;
            columns = c;
        });
        QObject::connect(source, &RowSource::chunkReady, context,
                         [this](const RowChunk &chunk) { chunks.append(chunk); });
        QObject::connect(source, &RowSource::failed, context, [this](const SourceFailure &failure) {
            errors.append(failure.message);
            errorKinds.append(failure.kind);
        });
    }
    qint64 rowCount() const
    {
        qint64 n = 0;
        for (const RowChunk &chunk : chunks)
            n += chunk.rows.size();
        return n;
    }
    QList<QVariantList> rows() const
    {
        QList<QVariantList> all;
        for (const RowChunk &chunk : chunks)
            all += chunk.rows;
        return all;
    }
    /// Index of the column called name, -1 when the query returned none.
    qsizetype column(const QString &name) const
    {
        for (qsizetype i = 0; i < columns.size(); ++i) {
            if (columns.at(i).name == name)
                return i;
        }
        return -1;
    }
};

} // namespace sluice
