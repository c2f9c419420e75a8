// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QVariantList>

#include "types/columninfo.h"

namespace sluice {

/// One running query's rows, read forward: the part of reading that differs by driver.
/// SqlRowReader chooses the cursor for its connection (db/sqlrowreader.cpp) and does the
/// rest (chunks, skipping, look-ahead, cancelling, errors) the same way for every driver.
///
/// A cursor is made by its driver's open function, which runs the query: it exists only
/// for a query that returns rows. It uses the connection it was opened on, in that
/// connection's thread, and must be destroyed before the connection is closed.
class RowCursor
{
public:
    enum class Step { Row, End, Error };

    RowCursor() = default;
    RowCursor(const RowCursor &) = delete;
    RowCursor &operator=(const RowCursor &) = delete;
    virtual ~RowCursor() = default;

    /// The result's columns, in order.
    virtual const ColumnList &columns() const = 0;
    /// Reads the next row: *row gets one value per column (NULL as a null QVariant), or,
    /// with row null, the row is passed over without converting its values. After End or
    /// Error, next() must not be called again.
    virtual Step next(QVariantList *row) = 0;
    /// After Error: what the database said, for people (without a "query:" prefix).
    virtual QString errorText() const = 0;
};

} // namespace sluice
