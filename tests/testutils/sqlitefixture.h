// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace sluice {

/// SQLite files for tests, written through a connection of their own that is opened and
/// removed in the calling thread within each call (put the files in a QTemporaryDir).
struct SqliteFixture
{
    /// Creates dir/fileName (replacing it), runs the setup statements (CREATE TABLE ...) and
    /// inserts rows into table, one bound value per column, in one transaction. Returns the
    /// file's absolute path, or an empty string with *error set.
    static QString create(const QString &dir, const QString &fileName, const QStringList &setupSql,
                          const QString &table, const QList<QVariantList> &rows, QString *error);

    /// create() with the tests' usual table: t (id INTEGER PRIMARY KEY, name TEXT) holding ids
    /// 1..count, each named nameFormat with %1 = the id ("sensor-%1").
    static QString numbered(const QString &dir, const QString &fileName, int count,
                            const QString &nameFormat, QString *error);

    /// The rows a query returns from an existing file (to check what a test left behind).
    /// Returns false with *error set when the file cannot be opened or the query fails.
    static bool select(const QString &file, const QString &sql, QList<QVariantList> *rows,
                       QString *error);
};

} // namespace sluice
