// SPDX-License-Identifier: GPL-3.0-or-later
#include "rowcounter.h"

#include <cmath>
#include <utility>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>

#include "db/sqlconnection.h"
#include "db/sqlparameters.h"
#include "log/logging.h"
#include "util/backgroundthreads.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

struct Result
{
    bool ok = false;
    qint64 rows = 0;
    RowCounter::Accuracy accuracy = RowCounter::Accuracy::Exact;
    QString error;
};

Result failure(const QString &message)
{
    Result result;
    result.error = message;
    return result;
}

Result success(qint64 rows, RowCounter::Accuracy accuracy)
{
    Result result;
    result.ok = true;
    result.rows = rows;
    result.accuracy = accuracy;
    return result;
}

QString errorText(const QSqlError &error)
{
    return error.text().trimmed();
}

/// Prepares sql on query and binds the values, checking that Qt sees the same markers as
/// findSqlParameters() (see SqlRowReader::runQuery: where they disagree, values would be
/// bound to the wrong markers).
QString prepareAndBind(QSqlQuery *query, const QString &sql, const QStringList &names,
                       const QuerySpec &spec)
{
    const bool prepared = query->prepare(sql);
    if (query->boundValues().size() != countSqlParameterUses(sql))
        return u"Qt and Sluice find different parameter markers in the SQL"_s;
    if (!prepared) {
        const QString text = errorText(query->lastError());
        return text.isEmpty() ? u"the SQL cannot be prepared"_s : text;
    }
    for (const QString &name : names)
        query->bindValue(u':' + name, spec.parameters.value(name));
    return {};
}

Result countSqlite(const QSqlDatabase &db, const QuerySpec &spec, const QStringList &names)
{
    // A trailing ';' would end the statement inside the parentheses, and a trailing
    // -- comment would swallow the closing one if it shared its line.
    QString inner = spec.sql.trimmed();
    while (inner.endsWith(u';'))
        inner = inner.chopped(1).trimmed();
    const QString sql = "SELECT count(*) FROM (\n"_L1 + inner + "\n)"_L1;

    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (names.isEmpty()) {
        if (!query.exec(sql))
            return failure(errorText(query.lastError()));
    } else {
        const QString error = prepareAndBind(&query, sql, names, spec);
        if (!error.isEmpty())
            return failure(error);
        if (!query.exec())
            return failure(errorText(query.lastError()));
    }
    if (!query.next())
        return failure(errorText(query.lastError()));
    return success(query.value(0).toLongLong(), RowCounter::Accuracy::Exact);
}

Result estimatePostgres(const QSqlDatabase &db, const QuerySpec &spec, const QStringList &names)
{
    // EXPLAIN does not execute, but a query with several statements would run the others:
    // a read-only session keeps this a look, never a change.
    QSqlQuery readOnly(db);
    if (!readOnly.exec(u"SET default_transaction_read_only = on"_s))
        return failure(errorText(readOnly.lastError()));

    // PostgreSQL cannot PREPARE an EXPLAIN, and QPSQL binds by preparing (SQL PREPARE, then
    // EXECUTE with the values written as literals by the driver). So the query is prepared
    // as the preview prepares it, and the plan asked for with EXPLAIN EXECUTE and the
    // values formatted exactly as QPSQL's own EXECUTE formats them. The connection is new,
    // so the newest prepared statement is ours.
    QSqlQuery statement(db);
    QString explain;
    if (names.isEmpty()) {
        explain = "EXPLAIN (FORMAT JSON) "_L1 + spec.sql;
    } else {
        const QString error = prepareAndBind(&statement, spec.sql, names, spec);
        if (!error.isEmpty())
            return failure(error);
        QSqlQuery lookup(db);
        if (!lookup.exec(u"SELECT name FROM pg_prepared_statements "
                         "ORDER BY prepare_time DESC LIMIT 1"_s)
            || !lookup.next())
            return failure(u"the prepared statement is not found"_s);
        const QString statementName = lookup.value(0).toString();
        QStringList values;
        const QVariantList bound = statement.boundValues();
        for (const QVariant &value : bound) {
            QSqlField field(QString(), value.metaType());
            if (value.isNull())
                field.clear();
            else
                field.setValue(value);
            values.append(db.driver()->formatValue(field));
        }
        explain = "EXPLAIN (FORMAT JSON) EXECUTE "_L1
            + db.driver()->escapeIdentifier(statementName, QSqlDriver::TableName) + " ("_L1
            + values.join(", "_L1) + u')';
    }

    QSqlQuery plan(db);
    plan.setForwardOnly(true);
    if (!plan.exec(explain))
        return failure(errorText(plan.lastError()));
    if (!plan.next())
        return failure(errorText(plan.lastError()));
    const QJsonDocument document = QJsonDocument::fromJson(plan.value(0).toString().toUtf8());
    const QJsonValue rows
        = document.array().at(0).toObject().value("Plan"_L1).toObject().value("Plan Rows"_L1);
    if (!rows.isDouble())
        return failure(u"EXPLAIN gave no row estimate"_s);
    return success(std::llround(rows.toDouble()), RowCounter::Accuracy::Estimate);
}

Result countOnOwnConnection(const ConnectionSettings &settings, const QuerySpec &spec,
                            const QString &password)
{
    if (spec.sql.trimmed().isEmpty())
        return failure(u"the query is empty"_s);
    const QStringList names = findSqlParameters(spec.sql);
    for (const QString &name : names) {
        if (!spec.parameters.contains(name))
            return failure(u"the query uses :%1 but no value is given"_s.arg(name));
    }

    const QString connectionName = uniqueSqlConnectionName(u"sluice.count."_s);
    QString error;
    if (!openSqlConnection(settings, password, connectionName, &error))
        return failure(error);
    Result result;
    {
        // Every QSqlDatabase and QSqlQuery handle ends in this scope, before the close.
        const QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        result = settings.driver == "QSQLITE"_L1 ? countSqlite(db, spec, names)
                                                 : estimatePostgres(db, spec, names);
    }
    closeSqlConnection(connectionName);
    return result;
}

} // namespace

RowCounter::RowCounter(ConnectionSettings settings, QuerySpec query, QString password,
                       QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_query(std::move(query))
    , m_password(std::move(password))
    , m_link(std::make_shared<ReceiverLink<RowCounter>>(this))
{ }

RowCounter::~RowCounter()
{
    // After this, the task posts nothing here; a result it posted before is a pending event
    // of this object, which QObject's destructor discards.
    m_link->clear();
}

bool RowCounter::supportsDriver(const QString &driver)
{
    return driver == "QSQLITE"_L1 || driver == "QPSQL"_L1;
}

void RowCounter::start()
{
    if (m_started)
        return;
    m_started = true;
    m_running = true;
    if (!supportsDriver(m_settings.driver)) {
        Result result
            = failure(u"the %1 driver cannot count rows cheaply"_s.arg(m_settings.driver));
        QMetaObject::invokeMethod(
            this, [this, result] { finish(false, 0, result.accuracy, result.error); },
            Qt::QueuedConnection);
        return;
    }
    BackgroundThreads::run([link = m_link, settings = m_settings, query = m_query,
                            password = std::exchange(m_password, QString())] {
        const Result result = countOnOwnConnection(settings, query, password);
        link->post([result](RowCounter *receiver) {
            receiver->finish(result.ok, result.rows, result.accuracy, result.error);
        });
    });
}

void RowCounter::finish(bool ok, qint64 rows, Accuracy accuracy, const QString &error)
{
    m_running = false;
    if (ok) {
        qCDebug(lcSource) << "counted" << rows << accuracy;
        Q_EMIT counted(rows, accuracy);
    } else {
        qCDebug(lcSource).noquote() << "no count:" << error;
        Q_EMIT failed(error);
    }
}

} // namespace sluice
