// SPDX-License-Identifier: GPL-3.0-or-later
#include "rowsource.h"

#include <utility>

#include "util/backgroundthreads.h"
#include "util/queuedcall.h"

using namespace Qt::StringLiterals;

namespace sluice {

RowSource::RowSource(ConnectionSettings settings, QuerySpec query, int chunkSize, QString password,
                     QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_query(std::move(query))
    , m_chunkSize(chunkSize)
    , m_password(std::move(password))
    , m_thread(u"sluice source"_s)
{
    registerRowMetaTypes();
}

RowSource::~RowSource()
{
    if (!m_reader)
        return;
    // The reader may be inside a statement (or connecting) for a long time: nothing here
    // waits for it. Stopping sends PostgreSQL a cancel request, a network round trip, so it
    // runs on a thread of its own; the reader's thread ends once the call it is in returns
    // (requests still queued for it are dropped), and the reader is destroyed there, which
    // removes the connection.
    BackgroundThreads::run([canceller = m_canceller] { canceller->stop(); });
    m_thread.finishInBackground();
    m_reader = nullptr;
}

void RowSource::start()
{
    if (m_reader)
        return;
    auto reader = std::make_unique<SqlRowReader>(std::move(m_settings), std::move(m_query),
                                                 m_chunkSize, std::exchange(m_password, QString()));
    m_reader = reader.get();
    m_canceller = reader->canceller();
    connect(m_reader, &SqlRowReader::opened, this, &RowSource::opened, Qt::QueuedConnection);
    connect(m_reader, &SqlRowReader::chunkReady, this, &RowSource::onChunkReady,
            Qt::QueuedConnection);
    connect(m_reader, &SqlRowReader::failed, this, &RowSource::onFailed, Qt::QueuedConnection);
    m_thread.start(std::move(reader));
    invokeQueued(m_reader, &SqlRowReader::open);
}

void RowSource::requestChunk()
{
    if (!m_reader || m_fetching || m_atEnd || m_failed)
        return;
    m_fetching = true;
    invokeQueued(m_reader, &SqlRowReader::fetchChunk);
}

void RowSource::setRowMapper(RowMapper mapper)
{
    if (!m_reader)
        return;
    invokeQueued(m_reader, [reader = m_reader, mapper = std::move(mapper)]() mutable {
        reader->setRowMapper(std::move(mapper));
    });
}

void RowSource::skipRows(qint64 count)
{
    if (!m_reader || count <= 0)
        return;
    invokeQueued(m_reader, [reader = m_reader, count] { reader->skipRows(count); });
}

void RowSource::onChunkReady(const RowChunk &chunk)
{
    if (m_failed)
        return;
    // State first: a receiver may ask for the next chunk right away.
    m_fetching = false;
    m_atEnd = chunk.atEnd;
    Q_EMIT chunkReady(chunk);
}

void RowSource::onFailed(const SourceFailure &failure)
{
    if (m_failed)
        return;
    m_failed = true;
    m_fetching = false;
    Q_EMIT failed(failure);
}

} // namespace sluice
