// SPDX-License-Identifier: GPL-3.0-or-later
#include "qtsqlcursor.h"

#include <charconv>
#include <limits>

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>
#include <QSqlRecord>

#include "db/sqlparameters.h"
#include "types/sourcevalue.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

// ODBC's SQL data type codes (sql.h), as QSqlField::typeID() gives them for QODBC.
constexpr int SqlBit = -7;
constexpr int SqlNumeric = 2;
constexpr int SqlDecimal = 3;
constexpr int SqlFloat = 6;
constexpr int SqlReal = 7;
constexpr int SqlDouble = 8;

/// Whether the column's values arrive as text under QSql::HighPrecision although the
/// column is numeric (read from the drivers' sources; QSQLITE and QODBC measured).
bool arrivesAsExactText(const QString &driver, const QSqlField &field)
{
    if (driver == "QSQLITE"_L1)
        return false; // INTEGER stays qint64 and REAL stays double
    if (driver == "QODBC"_L1) {
        // Exact decimals only: the approximate types, text too, are parsed (odbcValue()).
        return field.typeID() == SqlNumeric || field.typeID() == SqlDecimal;
    }
    // QMYSQL/QMARIADB hand every column they type as Double over as text.
    return field.metaType().id() == QMetaType::Double;
}

/// How a QODBC value is turned into the type its column stands for.
enum class OdbcConversion {
    None,
    Bit, ///< QODBC hands over 0 or 1 as an integer: a boolean
    Real, ///< SQL_REAL: text under QSql::HighPrecision, a float
    Double, ///< SQL_FLOAT, SQL_DOUBLE: text under QSql::HighPrecision, a double
};

OdbcConversion odbcConversion(const QSqlField &field)
{
    switch (field.typeID()) {
    case SqlBit:
        return OdbcConversion::Bit;
    case SqlReal:
        return OdbcConversion::Real;
    case SqlFloat:
    case SqlDouble:
        return OdbcConversion::Double;
    default:
        return OdbcConversion::None;
    }
}

template<typename Float>
QVariant parseFloat(const QString &text)
{
    // PostgreSQL's spellings of the non-finite values; the item will be Invalid.
    if (text == "NaN"_L1)
        return QVariant(std::numeric_limits<Float>::quiet_NaN());
    if (text == "Infinity"_L1 || text == "-Infinity"_L1 || text == "inf"_L1 || text == "-inf"_L1)
        return QVariant(text.startsWith(u'-') ? -std::numeric_limits<Float>::infinity()
                                              : std::numeric_limits<Float>::infinity());
    const QByteArray latin1 = text.toLatin1();
    Float value {};
    const auto [end, error] = std::from_chars(latin1.cbegin(), latin1.cend(), value);
    if (error == std::errc() && end == latin1.cend())
        return QVariant(value);
    return QVariant::fromValue(ValueError {u"the ODBC driver sent \""_s + text
                                           + u"\" for a floating-point column, which Sluice "
                                             u"cannot read"_s});
}

/// A QODBC value in the type its column stands for. Qt turns a date or time it cannot hold
/// (PostgreSQL's 24:00:00, a local time that falls into the client's daylight-saving gap)
/// into an invalid value, which would be sent as null: refuse it instead.
QVariant odbcValue(QVariant value, OdbcConversion conversion)
{
    switch (conversion) {
    case OdbcConversion::Bit:
        return QVariant(value.toUInt() != 0);
    case OdbcConversion::Real:
        return value.typeId() == QMetaType::QString ? parseFloat<float>(value.toString()) : value;
    case OdbcConversion::Double:
        return value.typeId() == QMetaType::QString ? parseFloat<double>(value.toString()) : value;
    case OdbcConversion::None:
        break;
    }
    const bool invalid = (value.typeId() == QMetaType::QDate && !value.toDate().isValid())
        || (value.typeId() == QMetaType::QTime && !value.toTime().isValid())
        || (value.typeId() == QMetaType::QDateTime && !value.toDateTime().isValid());
    if (invalid) {
        return QVariant::fromValue(
            ValueError {u"the ODBC driver sent a date or time that Qt cannot hold (such as "
                        u"24:00:00, or a local time that does not exist in this computer's "
                        u"time zone); select the column as text (CAST(... AS varchar))"_s});
    }
    return value;
}

class QtSqlCursor final : public RowCursor
{
public:
    QtSqlCursor(std::unique_ptr<QSqlQuery> query, const QString &driver)
        : m_query(std::move(query))
        , m_odbc(driver == "QODBC"_L1)
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
            if (m_odbc) {
                const OdbcConversion conversion = odbcConversion(field);
                m_conversions.append(conversion);
                if (conversion == OdbcConversion::Bit)
                    column.metaTypeId = QMetaType::Bool;
                else if (conversion == OdbcConversion::Real)
                    column.metaTypeId = QMetaType::Float;
                else if (conversion == OdbcConversion::Double)
                    column.metaTypeId = QMetaType::Double;
            }
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
        for (int i = 0; i < count; ++i) {
            if (m_query->isNull(i))
                row->append(QVariant());
            else if (m_odbc)
                row->append(odbcValue(m_query->value(i), m_conversions.at(i)));
            else
                row->append(m_query->value(i));
        }
        return Step::Row;
    }

    QString errorText() const override { return sqlErrorText(m_query->lastError()); }

private:
    std::unique_ptr<QSqlQuery> m_query;
    ColumnList m_columns;
    bool m_odbc;
    QList<OdbcConversion> m_conversions; ///< one per column, QODBC only
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
