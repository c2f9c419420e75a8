// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QObject>
#include <QString>

#include "db/sourcefailure.h"
#include "db/sqlrowreader.h"
#include "spec/transferspec.h"
#include "types/columninfo.h"
#include "types/connectionsettings.h"
#include "util/workerthread.h"

namespace sluice {

/// The rows of one query, read in a worker thread, one chunk per request.
///
/// Threads: a RowSource lives in its owner's thread; every method is called from there and
/// every signal arrives there (queued). It owns a WorkerThread and the SqlRowReader living
/// in it, which owns the database connection.
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
    /// Returns at once, at any point, and nothing is emitted afterwards. The reader is
    /// stopped: a PostgreSQL statement it is running (connecting excepted) is cancelled, a
    /// half-read PostgreSQL query too (a prepared one, whose rows PostgreSQL sends although
    /// cancelled, is drained), and then it removes its connection and its thread ends, in
    /// the background (see WorkerThread::finishInBackground()): the connection is gone soon
    /// after, not when this returns.
    ~RowSource() override;

    /// Starts the thread and opens the source there -> opened() or failed(). Only the first
    /// call does anything.
    void start();
    /// Asks for the next chunk -> chunkReady() or failed(). May be called right after
    /// start(): the request then waits for the opening.
    void requestChunk();
    /// Chunks carry items made by mapper in the reader's thread from now on (see
    /// SqlRowReader::setRowMapper()). Call after opened(), before the first requestChunk().
    void setRowMapper(sluice::RowMapper mapper);
    /// The first chunk starts at row `count` (0-based): the rows before are read and dropped
    /// (a resumed run). Call before the first requestChunk().
    void skipRows(qint64 count);

    bool isAtEnd() const { return m_atEnd; }
    bool isFetching() const { return m_fetching; }
    bool hasFailed() const { return m_failed; }

Q_SIGNALS:
    void opened(const sluice::ColumnList &columns);
    void chunkReady(const sluice::RowChunk &chunk);
    void failed(const sluice::SourceFailure &failure);

private:
    void onChunkReady(const sluice::RowChunk &chunk);
    void onFailed(const sluice::SourceFailure &failure);

    ConnectionSettings m_settings;
    QuerySpec m_query;
    int m_chunkSize;
    QString m_password;
    WorkerThread m_thread;
    SqlRowReader *m_reader = nullptr; ///< lives in m_thread, which destroys it
    std::shared_ptr<StatementCanceller> m_canceller; ///< the reader's
    bool m_fetching = false;
    bool m_atEnd = false;
    bool m_failed = false;
};

} // namespace sluice
