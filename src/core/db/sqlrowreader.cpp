// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlrowreader.h"

#include <utility>

#include <QSqlDatabase>
#include <QThread>

#ifdef SLUICE_HAVE_MYSQL_CURSOR
#include "db/mysqlcursor.h"
#endif
#include "db/pgcursor.h"
#include "db/qtsqlcursor.h"
#include "db/sqlconnection.h"
#include "db/sqlparameters.h"
#include "log/logging.h"
#include "types/sourcevalue.h"

using namespace Qt::StringLiterals;

namespace sluice {

void registerRowMetaTypes()
{
    qRegisterMetaType<sluice::RowChunk>();
    qRegisterMetaType<sluice::ColumnInfo>();
    qRegisterMetaType<sluice::ColumnList>("sluice::ColumnList");
    qRegisterMetaType<sluice::SourceFailure>();
    registerSourceValueTypes();
}

SqlRowReader::SqlRowReader(ConnectionSettings settings, QuerySpec query, int chunkSize,
                           QString password, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_query(std::move(query))
    , m_chunkSize(qMax(1, chunkSize))
    , m_password(std::move(password))
    , m_canceller(std::make_shared<StatementCanceller>())
{
    registerRowMetaTypes();
}

SqlRowReader::~SqlRowReader()
{
    Q_ASSERT(QThread::currentThread() == thread());
    release();
}

void SqlRowReader::open()
{
    if (m_state != State::Idle)
        return;
    if (m_canceller->isStopped()) {
        close();
        return;
    }
    if (const QString problem = checkSettings(); !problem.isEmpty()) {
        fail(SourceFailure::Kind::Configuration, problem);
        return;
    }
    if (const QString error = openConnection(); !error.isEmpty()) {
        fail(SourceFailure::Kind::Database, error);
        return;
    }
    if (!m_canceller->attach(QSqlDatabase::database(m_connectionName, false))) {
        close(); // stopped while connecting: no statement may start
        return;
    }
    if (const QString error = runQuery(); !error.isEmpty()) {
        fail(SourceFailure::Kind::Database, error);
        return;
    }

    const ColumnList &columns = m_cursor->columns();
    m_columnCount = int(columns.size());
    m_state = State::Streaming;
    qCDebug(lcSource) << "opened" << m_settings.driver << "with" << m_columnCount << "columns";
    Q_EMIT opened(columns);
}

QString SqlRowReader::checkSettings() const
{
    // The source first, as the transfer file lists it: driver, then the SQLite file.
    if (const QString problem = sqlConnectionProblem(m_settings); !problem.isEmpty())
        return problem;

    if (m_query.sql.trimmed().isEmpty())
        return u"query.sql: the query is empty"_s;
    return sqlParameterProblems(m_query.sql, m_query.parameters).join(u'\n');
}

QString SqlRowReader::openConnection()
{
    const QString name = uniqueSqlConnectionName(u"sluice.source."_s);
    QString error;
    const bool ok = openSqlConnection(m_settings, m_password, name, &error);
    m_password.clear(); // needed for opening only
    if (!ok)
        return error; // openSqlConnection() left no connection behind
    m_connectionName = name;
    return {};
}

QString SqlRowReader::runQuery()
{
    QString error;
    // PostgreSQL through libpq itself: parameterised queries stream, and every type keeps
    // its value (db/pgcursor.h). MySQL/MariaDB through the client library's prepared
    // statements, unbuffered (db/mysqlcursor.h): QMYSQL stores every result whole. Every
    // other driver through QSqlQuery.
    const bool mysql = m_settings.driver == "QMYSQL"_L1 || m_settings.driver == "QMARIADB"_L1;
    if (m_settings.driver == "QPSQL"_L1) {
        m_cursor = openPgCursor(m_connectionName, m_query, &error);
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    } else if (mysql && canStreamMysql(m_connectionName)) {
        m_cursor = openMysqlCursor(m_connectionName, m_query, &error);
#endif
    } else {
        if (mysql)
            qCWarning(lcSource) << "the MariaDB client library cannot be used: the whole "
                                   "result is read into memory";
        m_cursor = openQtSqlCursor(m_connectionName, m_settings.driver, m_query, &error);
    }
    if (!m_cursor)
        return error;
    m_queryRunning = true;
    return {};
}

void SqlRowReader::fetchChunk()
{
    if (m_canceller->isStopped()) {
        close();
        return;
    }
    switch (m_state) {
    case State::Idle:
        fail(SourceFailure::Kind::Database, u"source: open() must succeed before rows are read"_s);
        return;
    case State::Failed:
    case State::Closed:
        return;
    case State::AtEnd:
        Q_EMIT chunkReady(RowChunk {m_nextId, {}, {}, true});
        return;
    case State::Streaming:
        break;
    }

    while (m_skip > 0) {
        // Resuming: the rows an earlier run read are passed over, not converted.
        if ((m_nextId & 0xfff) == 0 && m_canceller->isStopped()) {
            close();
            return;
        }
        if (const RowCursor::Step step = m_cursor->next(nullptr); step != RowCursor::Step::Row) {
            m_queryRunning = false;
            m_skip = 0;
            if (step == RowCursor::Step::Error) {
                fail(SourceFailure::Kind::Database, "query: "_L1 + m_cursor->errorText());
                return;
            }
            m_state = State::AtEnd;
            release();
            Q_EMIT chunkReady(RowChunk {m_nextId, {}, {}, true});
            return;
        }
        --m_skip;
        ++m_nextId;
    }

    RowChunk chunk;
    chunk.firstId = m_nextId;
    qint64 id = m_nextId;
    // Each row becomes an item as soon as it is read, while its values are still in cache.
    const auto take = [&](QVariantList &&row) {
        if (m_mapper)
            chunk.items.append(m_mapper(row, id++));
        else
            chunk.rows.append(std::move(row));
    };
    if (m_mapper)
        chunk.items.reserve(m_chunkSize);
    else
        chunk.rows.reserve(m_chunkSize);
    if (m_lookahead) {
        take(std::move(*m_lookahead));
        m_lookahead.reset();
    }
    ReadResult result = ReadResult::Row;
    QVariantList row;
    while (chunk.size() < m_chunkSize && (result = readRow(&row)) == ReadResult::Row)
        take(std::move(row));
    if (result == ReadResult::Row) {
        // The chunk is full: one row more tells whether it is the last one.
        result = readRow(&row);
        if (result == ReadResult::Row)
            m_lookahead = std::move(row);
    }
    if (result == ReadResult::Error) {
        fail(SourceFailure::Kind::Database, "query: "_L1 + m_cursor->errorText());
        return;
    }

    chunk.atEnd = result == ReadResult::End;
    m_nextId += chunk.size();
    if (chunk.atEnd) {
        m_state = State::AtEnd;
        release(); // nothing else is read: give the connection back now
        qCDebug(lcSource) << "read" << m_nextId << "rows";
    }
    Q_EMIT chunkReady(chunk);
}

SqlRowReader::ReadResult SqlRowReader::readRow(QVariantList *row)
{
    switch (m_cursor->next(row)) {
    case RowCursor::Step::Row:
        return ReadResult::Row;
    case RowCursor::Step::End:
        m_queryRunning = false;
        return ReadResult::End;
    case RowCursor::Step::Error:
        break;
    }
    m_queryRunning = false;
    return ReadResult::Error;
}

void SqlRowReader::setRowMapper(RowMapper mapper)
{
    m_mapper = std::move(mapper);
}

void SqlRowReader::skipRows(qint64 count)
{
    if (m_state == State::Streaming && m_nextId == 0 && !m_lookahead)
        m_skip = std::max<qint64>(0, count);
}

void SqlRowReader::close()
{
    release();
    m_state = State::Closed;
}

void SqlRowReader::fail(SourceFailure::Kind kind, const QString &message)
{
    if (m_canceller->isStopped()) {
        // Most likely the cancelled statement itself; nobody waits for the answer.
        close();
        return;
    }
    m_state = State::Failed;
    release();
    qCDebug(lcSource).noquote() << "failed:" << message;
    Q_EMIT failed(SourceFailure {kind, message});
}

void SqlRowReader::release()
{
    m_lookahead.reset();
    if (m_cursor) {
        // Cancelled rather than read to its end (PostgreSQL only; see StatementCanceller).
        if (m_queryRunning)
            m_canceller->cancel();
        m_cursor.reset();
        m_queryRunning = false;
    }
    m_canceller->detach();
    if (m_connectionName.isEmpty())
        return;
    closeSqlConnection(m_connectionName);
    m_connectionName.clear();
}

} // namespace sluice
