// SPDX-License-Identifier: GPL-3.0-or-later
#include "rowsource.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace sluice {

RowSource::RowSource(ConnectionSettings settings, QuerySpec query, int chunkSize, QString password,
                     QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_query(std::move(query))
    , m_chunkSize(chunkSize)
    , m_password(std::move(password))
{
    registerRowMetaTypes();
    m_thread.setObjectName(u"sluice source"_s);
}

RowSource::~RowSource()
{
    if (!m_reader)
        return;
    // The reader is deleted in its own thread (QThread::finished -> deleteLater) after the
    // slot it is running returns; requests still queued for it are dropped.
    m_thread.quit();
    m_thread.wait();
    m_reader = nullptr;
}

void RowSource::start()
{
    if (m_reader)
        return;
    m_reader = new SqlRowReader(std::move(m_settings), std::move(m_query), m_chunkSize,
                                std::exchange(m_password, QString()));
    m_reader->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_reader, &QObject::deleteLater);
    connect(m_reader, &SqlRowReader::opened, this, &RowSource::opened, Qt::QueuedConnection);
    connect(m_reader, &SqlRowReader::chunkReady, this, &RowSource::onChunkReady,
            Qt::QueuedConnection);
    connect(m_reader, &SqlRowReader::failed, this, &RowSource::onFailed, Qt::QueuedConnection);
    m_thread.start();
    QMetaObject::invokeMethod(m_reader, &SqlRowReader::open, Qt::QueuedConnection);
}

void RowSource::requestChunk()
{
    if (!m_reader || m_fetching || m_atEnd || m_failed)
        return;
    m_fetching = true;
    QMetaObject::invokeMethod(m_reader, &SqlRowReader::fetchChunk, Qt::QueuedConnection);
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

void RowSource::onFailed(const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    m_fetching = false;
    Q_EMIT failed(message);
}

} // namespace sluice
