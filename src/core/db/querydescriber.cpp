// SPDX-License-Identifier: GPL-3.0-or-later
#include "querydescriber.h"

#include <memory>

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#ifdef SLUICE_HAVE_MYSQL_CURSOR
#include "db/mysqlcursor.h"
#endif
#include "db/pgcursor.h"
#include "db/qtsqlcursor.h"
#include "db/sqlparameters.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

std::optional<ColumnList> describeSqliteQuery(const QString &connectionName, const QuerySpec &query,
                                              QString *error)
{
    const QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    sqlite3 *sqlite = handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0
        ? *static_cast<sqlite3 *const *>(handle.constData())
        : nullptr;
    if (!sqlite) {
        *error = u"query: the SQLite connection is not open"_s;
        return std::nullopt;
    }
    // The run prepares through Qt when the SQL has parameters, and refuses the query when
    // Qt's scan of the markers disagrees with Sluice's: the same check here. Qt's prepare()
    // compiles the statement without stepping it.
    if (!findSqlParameters(query.sql).isEmpty()) {
        QSqlQuery probe(db);
        probe.prepare(query.sql);
        const qsizetype qtMarkers = probe.boundValues().size();
        const qsizetype ourMarkers = countSqlParameterUses(query.sql);
        if (qtMarkers != ourMarkers) {
            *error = u"query: Qt finds %1 parameter marker(s) in the SQL where Sluice finds %2; "
                     "Qt also reads :name inside comments and dollar-quoted text, and :123 as a "
                     "parameter, so remove those"_s.arg(qtMarkers)
                         .arg(ourMarkers);
            return std::nullopt;
        }
    }
    const QByteArray sql = query.sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    const char *tail = nullptr;
    const int rc = sqlite3_prepare_v2(sqlite, sql.constData(), int(sql.size()), &statement, &tail);
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> owner(statement,
                                                                       &sqlite3_finalize);
    if (rc != SQLITE_OK) {
        *error = "query: "_L1
            + sqlErrorText(QSqlError(QString(), QString::fromUtf8(sqlite3_errmsg(sqlite))));
        return std::nullopt;
    }
    const int count = statement ? sqlite3_column_count(statement) : 0;
    if (count == 0) {
        *error = u"query: the statement returns no rows (a source query must be a SELECT)"_s;
        return std::nullopt;
    }
    ColumnList columns;
    for (int i = 0; i < count; ++i) {
        ColumnInfo column;
        column.name = QString::fromUtf8(sqlite3_column_name(statement, i));
        columns.append(column);
    }
    return columns;
}

} // namespace

std::optional<ColumnList> describeQuery(const QString &connectionName, const QString &driver,
                                        const QuerySpec &query, QString *error)
{
    if (driver == "QPSQL"_L1)
        return describePgQuery(connectionName, query, error);
    if (driver == "QSQLITE"_L1)
        return describeSqliteQuery(connectionName, query, error);
#ifdef SLUICE_HAVE_MYSQL_CURSOR
    if ((driver == "QMYSQL"_L1 || driver == "QMARIADB"_L1) && canStreamMysql(connectionName))
        return describeMysqlQuery(connectionName, query, error);
#endif
    const std::unique_ptr<RowCursor> cursor = openQtSqlCursor(connectionName, driver, query, error);
    if (!cursor)
        return std::nullopt;
    return cursor->columns();
}

} // namespace sluice
