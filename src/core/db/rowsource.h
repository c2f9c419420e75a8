// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include "db/sqlrowreader.h"
#include "spec/transferspec.h"
#include "types/columninfo.h"
#include "types/connectionsettings.h"

namespace sluice {

/// The rows of one query, read in a worker thread, one chunk per request.
///
/// Threads: a RowSource lives in its owner's thread; every method is called from there and
/// every signal arrives there (queued). It owns a QThread and an SqlRowReader living in it,
/// which owns the database connection.
///
/// Backpressure: nothing is read without a request, and at most one request is outstanding:
/// requestChunk() while one is pending, before start(), after the end or after failed() does
/// nothing. So at most one chunk (plus one look-ahead row) is in memory on the reader's side.
///
/// Signals: opened() or failed() after start(); then one chunkReady() per request, the last
/// with atEnd set; failed() at most once, after which nothing else is emitted.
class RowSource final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowSource)

public:
    /// See SqlRowReader for chunkSize and password.
    RowSource(ConnectionSettings settings, QuerySpec query, int chunkSize, QString password,
              QObject *parent = nullptr);
    /// Stops the reader and joins its thread; safe at any point. Blocks while the reader
    /// finishes what it is doing (connecting, or reading one chunk); a half-read
    /// PostgreSQL query is cancelled, not read to its end. The connection is removed
    /// before this returns.
    ~RowSource() override;

    /// Starts the thread and opens the source there -> opened() or failed(). Only the first
    /// call does anything.
    void start();
    /// Asks for the next chunk -> chunkReady() or failed(). May be called right after
    /// start(): the request then waits for the opening.
    void requestChunk();

    bool isAtEnd() const { return m_atEnd; }
    bool isFetching() const { return m_fetching; }
    bool hasFailed() const { return m_failed; }

Q_SIGNALS:
    void opened(const sluice::ColumnList &columns);
    void chunkReady(const sluice::RowChunk &chunk);
    void failed(const QString &message);

private:
    void onChunkReady(const sluice::RowChunk &chunk);
    void onFailed(const QString &message);

    ConnectionSettings m_settings;
    QuerySpec m_query;
    int m_chunkSize;
    QString m_password;
    QThread m_thread;
    SqlRowReader *m_reader = nullptr; ///< lives in m_thread, deleted there when it finishes
    bool m_fetching = false;
    bool m_atEnd = false;
    bool m_failed = false;
};

} // namespace sluice
