// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlrowreader.h"

#include <utility>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThread>

#ifdef SLUICE_HAVE_MYSQL_CURSOR
#include "db/mysqlcursor.h"
#endif
#include "db/sqlconnection.h"
#include "db/sqlparameters.h"
#include "log/logging.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

// PostgreSQL type OIDs (QSqlField::typeID() under QPSQL).
constexpr int PgNumericOid = 1700;
constexpr int PgTimestampTzOid = 1184;
constexpr int PgTimeTzOid = 1266;

bool isSqlite(const QString &driver)
{
    return driver == "QSQLITE"_L1;
}

bool isPostgres(const QString &driver)
{
    return driver == "QPSQL"_L1;
}

bool isMysql(const QString &driver)
{
    return driver == "QMYSQL"_L1 || driver == "QMARIADB"_L1;
}

QString errorText(const QSqlError &error)
{
    QString text = error.text().trimmed();
    // SQLITE_BUSY: a writer holds the file's lock for longer than the driver waits (5 s
    // unless QSQLITE_BUSY_TIMEOUT says otherwise).
    if (text.contains("database is locked"_L1))
        text += u" (another program holds a lock on the SQLite file while it writes: run again "
                u"when it has finished, or wait longer with QSQLITE_BUSY_TIMEOUT=MILLISECONDS "
                u"in source.options)"_s;
    return text;
}

/// Whether the column's values arrive as text under QSql::HighPrecision although the
/// column is numeric (read from the drivers' sources; QPSQL and QSQLITE measured).
bool arrivesAsExactText(const QString &driver, const QSqlField &field)
{
    if (isSqlite(driver))
        return false; // INTEGER stays qint64 and REAL stays double
    if (isPostgres(driver))
        return field.typeID() == PgNumericOid; // float4/float8 stay double
    // QMYSQL/QMARIADB and QODBC hand every column they type as Double over as text.
    return field.metaType().id() == QMetaType::Double;
}

bool isTimeZoneAware(const QString &driver, const QSqlField &field)
{
    return isPostgres(driver)
        && (field.typeID() == PgTimestampTzOid || field.typeID() == PgTimeTzOid);
}

#ifdef SLUICE_HAVE_MYSQL_CURSOR
/// A MysqlCursor result as the reader's own ReadResult (R: Row, End and Error too).
template<typename R>
R fromCursor(MysqlCursor::Result result)
{
    switch (result) {
    case MysqlCursor::Result::Row:
        return R::Row;
    case MysqlCursor::Result::End:
        break;
    case MysqlCursor::Result::Error:
        return R::Error;
    }
    return R::End;
}
#endif

} // namespace

void registerRowMetaTypes()
{
    qRegisterMetaType<sluice::RowChunk>();
    qRegisterMetaType<sluice::ColumnInfo>();
    qRegisterMetaType<sluice::ColumnList>("sluice::ColumnList");
    qRegisterMetaType<sluice::SourceFailure>();
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

#ifdef SLUICE_HAVE_MYSQL_CURSOR
    if (m_mysql) {
        m_columnCount = int(m_mysql->columns().size());
        m_state = State::Streaming;
        qCDebug(lcSource) << "opened" << m_settings.driver << "(streaming) with" << m_columnCount
                          << "columns";
        Q_EMIT opened(m_mysql->columns());
        return;
    }
#endif
    const QSqlRecord record = m_sqlQuery->record();
    m_columnCount = record.count();
    ColumnList columns;
    columns.reserve(m_columnCount);
    for (int i = 0; i < m_columnCount; ++i) {
        const QSqlField field = record.field(i);
        ColumnInfo column;
        column.name = field.name();
        column.metaTypeId = field.metaType().id();
        column.nativeTypeId = field.typeID();
        column.timeZoneAware = isTimeZoneAware(m_settings.driver, field);
        column.exactNumeric = arrivesAsExactText(m_settings.driver, field);
        if (isPostgres(m_settings.driver) && column.nativeTypeId == PgTimeTzOid) {
            // QPSQL parses timetz with QTime::fromString, which rejects the offset: every
            // value would arrive as an invalid QTime. Refuse rather than send nothing.
            fail(SourceFailure::Kind::Database,
                 u"query: column \"%1\" is a PostgreSQL timetz, which Qt's QPSQL driver cannot "
                 "read (every value arrives empty); cast it in the SQL, e.g. to time or text"_s.arg(
                     column.name));
            return;
        }
        columns.append(column);
    }
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
    QStringList problems;
    const QStringList names = findSqlParameters(m_query.sql);
    for (const QString &name : names) {
        if (!m_query.parameters.contains(name))
            problems.append(
                u"query.parameters: the query uses :%1 but no value is given"_s.arg(name));
    }
    for (auto it = m_query.parameters.cbegin(); it != m_query.parameters.cend(); ++it) {
        if (!names.contains(it.key()))
            problems.append(u"query.parameters.%1: the query has no parameter :%1"_s.arg(it.key()));
    }
    return problems.join(u'\n');
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
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    // QMYSQL buffers every result whole: read MySQL/MariaDB through the native handle.
    if (isMysql(m_settings.driver)) {
        const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (mysqlCursorAvailable(db)) {
            auto cursor = std::make_unique<MysqlCursor>(db);
            if (!cursor->exec(m_query.sql, m_query.parameters))
                return "query: "_L1 + cursor->errorText();
            m_mysql = std::move(cursor);
            m_queryRunning = true;
            return {};
        }
        qCWarning(lcSource) << "the MariaDB client library cannot be used: the whole result is "
                               "read into memory";
    }
#endif
    auto query = std::make_unique<QSqlQuery>(QSqlDatabase::database(m_connectionName, false));
    // Both must be set before the query runs: forward-only is what makes QPSQL stream
    // (single-row mode) and QSQLITE not cache rows; HighPrecision keeps exact decimals exact.
    query->setForwardOnly(true);
    query->setNumericalPrecisionPolicy(QSql::HighPrecision);

    const QStringList names = findSqlParameters(m_query.sql);
    if (names.isEmpty()) {
        // Nothing to bind, so no PREPARE: QPSQL runs a prepared statement as an SQL EXECUTE,
        // and PostgreSQL materialises an EXECUTE's whole result on the server (a temporary
        // file of 330 MB for 3 million rows here) before it sends the first row. A plain
        // query streams from the first row. It also keeps Qt's placeholder scanner away.
        if (!query->exec(m_query.sql))
            return "query: "_L1 + errorText(query->lastError());
    } else {
        const bool prepared = query->prepare(m_query.sql);
        // Qt finds placeholders with its own scanner, which does not skip comments or dollar
        // quotes and reads :123 as a name. Where it disagrees, values would be bound to the
        // wrong markers (or the database rejects the rewritten SQL with a puzzling message),
        // so stop with one that says why. Qt counts even when preparing fails.
        const qsizetype qtMarkers = query->boundValues().size();
        const qsizetype ourMarkers = countSqlParameterUses(m_query.sql);
        if (qtMarkers != ourMarkers) {
            return u"query: Qt finds %1 parameter marker(s) in the SQL where Sluice finds %2; "
                   "Qt also reads :name inside comments and dollar-quoted text, and :123 as a "
                   "parameter, so remove those"_s.arg(qtMarkers)
                       .arg(ourMarkers);
        }
        if (!prepared) {
            const QString text = errorText(query->lastError());
            return "query: "_L1 + (text.isEmpty() ? u"the SQL cannot be prepared"_s : text);
        }
        for (const QString &name : names)
            query->bindValue(u':' + name, m_query.parameters.value(name));
        if (!query->exec())
            return "query: "_L1 + errorText(query->lastError());
    }
    if (!query->isSelect())
        return u"query: the statement returns no rows (a source query must be a SELECT)"_s;
    m_sqlQuery = std::move(query);
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
        if (const ReadResult skipped = skipRow(); skipped != ReadResult::Row) {
            m_queryRunning = false;
            m_skip = 0;
            if (skipped == ReadResult::Error) {
                fail(SourceFailure::Kind::Database, "query: "_L1 + lastErrorText());
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
        fail(SourceFailure::Kind::Database, "query: "_L1 + lastErrorText());
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

SqlRowReader::ReadResult SqlRowReader::skipRow()
{
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    if (m_mysql)
        return fromCursor<ReadResult>(m_mysql->skip());
#endif
    if (m_sqlQuery->next())
        return ReadResult::Row;
    return m_sqlQuery->lastError().isValid() ? ReadResult::Error : ReadResult::End;
}

QString SqlRowReader::lastErrorText() const
{
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    if (m_mysql)
        return m_mysql->errorText();
#endif
    return m_sqlQuery ? errorText(m_sqlQuery->lastError()) : QString();
}

SqlRowReader::ReadResult SqlRowReader::readRow(QVariantList *row)
{
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    if (m_mysql) {
        const ReadResult result = fromCursor<ReadResult>(m_mysql->next(row));
        if (result != ReadResult::Row)
            m_queryRunning = false;
        return result;
    }
#endif
    if (!m_sqlQuery->next()) {
        m_queryRunning = false;
        return m_sqlQuery->lastError().isValid() ? ReadResult::Error : ReadResult::End;
    }
    row->clear();
    row->reserve(m_columnCount);
    for (int i = 0; i < m_columnCount; ++i)
        row->append(m_sqlQuery->isNull(i) ? QVariant() : m_sqlQuery->value(i));
    return ReadResult::Row;
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
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    if (m_mysql) {
        // A half-read result is abandoned (the socket shut down), not drained.
        m_mysql->finish();
        m_mysql.reset();
        m_queryRunning = false;
    }
#endif
    if (m_sqlQuery) {
        // Cancelled rather than read to its end (PostgreSQL only; see StatementCanceller).
        if (m_queryRunning)
            m_canceller->cancel();
        m_sqlQuery.reset();
        m_queryRunning = false;
    }
    m_canceller->detach();
    if (m_connectionName.isEmpty())
        return;
    closeSqlConnection(m_connectionName);
    m_connectionName.clear();
}

} // namespace sluice
