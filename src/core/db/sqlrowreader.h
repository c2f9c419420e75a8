// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QVariant>

#include "db/rowcursor.h"
#include "db/sourcefailure.h"
#include "db/statementcanceller.h"
#include "spec/transferspec.h"
#include "types/columninfo.h"
#include "types/connectionsettings.h"
#include "types/item.h"

namespace sluice {

/// Turns a row (one QVariant per column) and its 0-based id into an item. Runs in the
/// reader's thread: it must be thread-safe (a compiled Transform's apply() is).
using RowMapper = std::function<Item(const QVariantList &row, qint64 id)>;

/// Consecutive rows of a query result, handed over by value.
struct RowChunk
{
    qint64 firstId = 0; ///< 0-based index of the chunk's first row in the whole result
    QList<QVariantList> rows; ///< one QVariant per column, in column order; NULL = QVariant()
    QList<Item> items; ///< the rows as items when a RowMapper is set (rows is then empty)
    bool atEnd = false; ///< no rows follow this chunk (the query is done)

    qsizetype size() const { return rows.size() + items.size(); }
};

/// Reads a query's rows in chunks: the worker side of RowSource.
///
/// Threads: the reader lives in ONE thread for its whole life: move it there before open(),
/// call its slots there (queued) and destroy it there. Its connection is opened, used and
/// removed in that thread only; errors leave it as failed(), never as exceptions. Another
/// thread stops it through canceller(): after StatementCanceller::stop() the reader starts
/// no statement and reads no chunk any more, a PostgreSQL statement it is running is
/// cancelled (a MySQL/MariaDB one loses its connection), and the failure that causes is not
/// reported.
///
/// The connection is its own, uniquely named, and used by nothing else: a streaming result
/// owns its connection. Memory stays flat for any number of rows (Qt's QMYSQL would buffer
/// the whole result: MySQL/MariaDB are read through db/mysqlcursor.h instead).
///
/// How rows are read depends on the driver (a RowCursor): PostgreSQL through libpq itself
/// (db/pgcursor.h: parameterised queries stream, every type keeps its value), MySQL and
/// MariaDB through their client library (db/mysqlcursor.h: streamed, every type keeps its
/// value), the others through QSqlQuery (db/qtsqlcursor.h). NULLs are plain null QVariants; values
/// that no Qt type carries are types/sourcevalue.h's (JSON, errors).
class SqlRowReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqlRowReader)

public:
    /// chunkSize < 1 counts as 1. The password is used for opening only (never in messages).
    SqlRowReader(ConnectionSettings settings, QuerySpec query, int chunkSize, QString password,
                 QObject *parent = nullptr);
    /// Finishes the query and removes the connection; must run in the reader's thread.
    ~SqlRowReader() override;

    /// How another thread stops the reader; take it before the reader moves to its thread.
    const std::shared_ptr<StatementCanceller> &canceller() const { return m_canceller; }

public Q_SLOTS:
    /// Checks the settings and parameters (a problem there fails as Configuration), connects,
    /// and runs the query with every parameter bound (values are never spliced into the
    /// SQL). Emits opened() or failed(). Only the first call does anything.
    void open();
    /// Reads up to chunkSize rows and emits ONE chunkReady(); the last chunk has atEnd set
    /// (a result of exactly n * chunkSize rows still ends with a full chunk, not an empty
    /// one; an empty result gives one empty chunk). At the end the connection is released.
    /// Emits failed() when reading fails. After the end it answers with an empty atEnd
    /// chunk; after failed() or close() it does nothing.
    void fetchChunk();
    /// From now on chunks carry items made by mapper instead of rows, so the transform runs
    /// in the reader's thread, beside the reading (call before the first fetchChunk()).
    void setRowMapper(sluice::RowMapper mapper);
    /// The first fetchChunk() reads and drops `count` rows first (without converting their
    /// values), so the chunk starts at row `count`; a result that ends before gives an
    /// empty atEnd chunk whose firstId is the number of rows there were.
    void skipRows(qint64 count);
    /// Drops the query and the connection (idempotent). A half-read PostgreSQL query is
    /// cancelled on the server rather than read to its end.
    void close();

Q_SIGNALS:
    void opened(const sluice::ColumnList &columns);
    void chunkReady(const sluice::RowChunk &chunk);
    void failed(const sluice::SourceFailure &failure);

private:
    enum class State { Idle, Streaming, AtEnd, Failed, Closed };
    enum class ReadResult { Row, End, Error };

    QString checkSettings() const;
    QString openConnection();
    QString runQuery();
    ReadResult readRow(QVariantList *row);
    void fail(SourceFailure::Kind kind, const QString &message);
    void release();

    ConnectionSettings m_settings;
    QuerySpec m_query;
    int m_chunkSize;
    QString m_password;
    QString m_connectionName; ///< non-empty while the connection is registered
    std::shared_ptr<StatementCanceller> m_canceller;
    std::unique_ptr<RowCursor> m_cursor;
    bool m_queryRunning = false; ///< executed, and neither read to its end nor failed
    int m_columnCount = 0;
    qint64 m_nextId = 0;
    qint64 m_skip = 0; ///< rows to drop before the first chunk
    /// The row after a full chunk, read to know whether that chunk is the last one.
    std::optional<QVariantList> m_lookahead;
    RowMapper m_mapper;
    State m_state = State::Idle;
};

/// Registers RowChunk, ColumnList and SourceFailure for queued connections (idempotent,
/// thread-safe).
void registerRowMetaTypes();

} // namespace sluice

Q_DECLARE_METATYPE(sluice::RowChunk)
