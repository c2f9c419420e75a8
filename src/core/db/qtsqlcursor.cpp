// SPDX-License-Identifier: GPL-3.0-or-later
#include "qtsqlcursor.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>
#include <QSqlRecord>

#include "db/sqlparameters.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// Whether the column's values arrive as text under QSql::HighPrecision although the
/// column is numeric (read from the drivers' sources; QSQLITE and QODBC measured).
bool arrivesAsExactText(const QString &driver, const QSqlField &field)
{
    if (driver == "QSQLITE"_L1)
        return false; // INTEGER stays qint64 and REAL stays double
    // QMYSQL/QMARIADB and QODBC hand every column they type as Double over as text.
    return field.metaType().id() == QMetaType::Double;
}

class QtSqlCursor final : public RowCursor
{
public:
    QtSqlCursor(std::unique_ptr<QSqlQuery> query, const QString &driver)
        : m_query(std::move(query))
    {
        const QSqlRecord record = m_query->record();
        m_columns.reserve(record.count());
        for (int i = 0; i < record.count(); ++i) {
            const QSqlField field = record.field(i);
            ColumnInfo column;
            column.name = field.name();
            column.metaTypeId = field.metaType().id();
            column.nativeTypeId = field.typeID();
            column.exactNumeric = arrivesAsExactText(driver, field);
            m_columns.append(column);
        }
    }

    const ColumnList &columns() const override { return m_columns; }

    Step next(QVariantList *row) override
    {
        if (!m_query->next())
            return m_query->lastError().isValid() ? Step::Error : Step::End;
        if (!row)
            return Step::Row;
        const int count = int(m_columns.size());
        row->clear();
        row->reserve(count);
        for (int i = 0; i < count; ++i)
            row->append(m_query->isNull(i) ? QVariant() : m_query->value(i));
        return Step::Row;
    }

    QString errorText() const override { return sqlErrorText(m_query->lastError()); }

private:
    std::unique_ptr<QSqlQuery> m_query;
    ColumnList m_columns;
};

} // namespace

QString sqlErrorText(const QSqlError &error)
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

std::unique_ptr<RowCursor> openQtSqlCursor(const QString &connectionName, const QString &driver,
                                           const QuerySpec &spec, QString *error)
{
    auto query = std::make_unique<QSqlQuery>(QSqlDatabase::database(connectionName, false));
    // Both must be set before the query runs: forward-only is what keeps QSQLITE from
    // caching rows; HighPrecision keeps exact decimals exact.
    query->setForwardOnly(true);
    query->setNumericalPrecisionPolicy(QSql::HighPrecision);

    const QStringList names = findSqlParameters(spec.sql);
    if (names.isEmpty()) {
        // Nothing to bind: no prepare, which also keeps Qt's placeholder scanner away.
        if (!query->exec(spec.sql)) {
            *error = "query: "_L1 + sqlErrorText(query->lastError());
            return nullptr;
        }
    } else {
        const bool prepared = query->prepare(spec.sql);
        // Qt finds placeholders with its own scanner, which does not skip comments or dollar
        // quotes and reads :123 as a name. Where it disagrees, values would be bound to the
        // wrong markers (or the database rejects the rewritten SQL with a puzzling message),
        // so stop with one that says why. Qt counts even when preparing fails.
        const qsizetype qtMarkers = query->boundValues().size();
        const qsizetype ourMarkers = countSqlParameterUses(spec.sql);
        if (qtMarkers != ourMarkers) {
            *error = u"query: Qt finds %1 parameter marker(s) in the SQL where Sluice finds %2; "
                     "Qt also reads :name inside comments and dollar-quoted text, and :123 as a "
                     "parameter, so remove those"_s.arg(qtMarkers)
                         .arg(ourMarkers);
            return nullptr;
        }
        if (!prepared) {
            const QString text = sqlErrorText(query->lastError());
            *error = "query: "_L1 + (text.isEmpty() ? u"the SQL cannot be prepared"_s : text);
            return nullptr;
        }
        for (const QString &name : names)
            query->bindValue(u':' + name, spec.parameters.value(name));
        if (!query->exec()) {
            *error = "query: "_L1 + sqlErrorText(query->lastError());
            return nullptr;
        }
    }
    if (!query->isSelect()) {
        *error = u"query: the statement returns no rows (a source query must be a SELECT)"_s;
        return nullptr;
    }
    return std::make_unique<QtSqlCursor>(std::move(query), driver);
}

} // namespace sluice
