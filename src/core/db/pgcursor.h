// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QString>

#include "db/rowcursor.h"
#include "spec/transferspec.h"

namespace sluice {

/// Runs the query on the open QPSQL connection named connectionName through libpq itself
/// (the driver's native handle), not through QSqlQuery (docs/design.md, "Reading rows"):
///
/// - Parameters are bound as protocol parameters of a prepared statement ($1, $2, ...;
///   never spliced into the SQL) and the statement is executed with the extended protocol,
///   which streams: Qt's SQL-level PREPARE/EXECUTE made the server materialise the whole
///   result before the first row and ignore a cancel meanwhile.
/// - Rows arrive in libpq's single-row mode, so memory follows the chunk, not the result.
/// - Every value is read from PostgreSQL's text form by its type (db/pgvalues.h): json and
///   arrays nested, timestamps with their microseconds, timetz with its offset, intervals
///   in ISO 8601, numeric exact, enums and domains by what they are (the catalogue is asked
///   about types that are not built in).
/// - The statement is described before it runs: one that returns no rows is refused
///   without being executed.
///
/// The session is set to DateStyle ISO, IntervalStyle iso_8601, bytea_output hex and
/// extra_float_digits 3 (exact floats) first. On failure returns null with *error set
/// ("query: ...").
std::unique_ptr<RowCursor> openPgCursor(const QString &connectionName, const QuerySpec &query,
                                        QString *error);

/// Prepares and describes the query on the open QPSQL connection as openPgCursor() does
/// (the same session settings, the same protocol-level prepared statement, the same column
/// types), without executing it: no parameter value is needed or bound, and no row is read.
/// The statement is deallocated again. On failure returns nullopt with *error set
/// ("query: ...").
std::optional<ColumnList> describePgQuery(const QString &connectionName, const QuerySpec &query,
                                          QString *error);

} // namespace sluice
