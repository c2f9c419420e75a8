// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectiontester.h"

#include <optional>

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QStringList>

#include "db/sqlconnection.h"
#include "log/logging.h"
#include "spec/secretproblems.h"
#include "util/backgroundthreads.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// SQLite files with more tables than this are described by their table count alone:
/// counting rows scans every table.
constexpr int MaxTablesToCount = 20;

QString plural(qint64 n, const QString &one, const QString &many)
{
    return QString::number(n) + u' ' + (n == 1 ? one : many);
}

std::optional<QString> firstValue(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(sql) || !query.next())
        return std::nullopt;
    return query.value(0).toString();
}

QString tablesText(const std::optional<QString> &count)
{
    if (!count)
        return {};
    const qint64 n = count->toLongLong();
    return n == 0 ? u"no tables"_s : plural(n, u"table"_s, u"tables"_s);
}

QString describeSqlite(const QSqlDatabase &db, const ConnectionSettings &settings)
{
    QString text = u"SQLite"_s;
    if (const auto version = firstValue(db, u"SELECT sqlite_version()"_s))
        text += u' ' + *version;

    QStringList details;
    const QString file = settings.resolvedDatabase();
    if (file != ":memory:"_L1 && !file.startsWith("file:"_L1))
        details.append(QFileInfo(file).fileName());

    QStringList tables;
    {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (query.exec(u"SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"_s)) {
            while (query.next())
                tables.append(query.value(0).toString());
        }
    }
    if (tables.isEmpty()) {
        details.append(u"no tables"_s);
    } else if (tables.size() > MaxTablesToCount) {
        details.append(plural(tables.size(), u"table"_s, u"tables"_s));
    } else {
        qint64 rows = 0;
        bool counted = true;
        for (const QString &table : std::as_const(tables)) {
            const QString name = db.driver()->escapeIdentifier(table, QSqlDriver::TableName);
            const auto count = firstValue(db, u"SELECT count(*) FROM "_s + name);
            if (!count) {
                counted = false;
                break;
            }
            rows += count->toLongLong();
        }
        const QString tableText = plural(tables.size(), u"table"_s, u"tables"_s);
        details.append(counted ? plural(rows, u"row"_s, u"rows"_s) + u" in "_s + tableText
                               : tableText);
    }
    return text + u" ("_s + details.join(", "_L1) + u')';
}

/// text, followed by the database and the number of tables information_schema lists where
/// schemaCondition holds.
QString withDatabaseDetails(QString text, const QSqlDatabase &db,
                            const ConnectionSettings &settings, QStringView schemaCondition,
                            bool countWithoutDatabase)
{
    QStringList details;
    if (!settings.database.isEmpty())
        details.append(u"database "_s + settings.database);
    if (countWithoutDatabase || !settings.database.isEmpty()) {
        const QString tables
            = tablesText(firstValue(db,
                                    u"SELECT count(*) FROM information_schema.tables WHERE "
                                    "table_type = 'BASE TABLE' AND "_s
                                        + schemaCondition));
        if (!tables.isEmpty())
            details.append(tables);
    }
    return details.isEmpty() ? text : text + u" ("_s + details.join(", "_L1) + u')';
}

QString describePostgres(const QSqlDatabase &db, const ConnectionSettings &settings)
{
    // "PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by ..."
    QString text = u"PostgreSQL"_s;
    if (const auto version = firstValue(db, u"SELECT version()"_s)) {
        const QStringList words = version->split(u' ', Qt::SkipEmptyParts);
        if (words.size() >= 2)
            text = words.at(0) + u' ' + words.at(1);
    }
    // A session is always in some database, named or the user's default.
    return withDatabaseDetails(text, db, settings,
                               u"table_schema NOT IN ('pg_catalog', 'information_schema')", true);
}

QString describeMysql(const QSqlDatabase &db, const ConnectionSettings &settings)
{
    // "10.11.19-MariaDB-0+deb12u1" or "8.0.36"
    QString text = u"MySQL/MariaDB"_s;
    if (const auto version = firstValue(db, u"SELECT version()"_s)) {
        const QString number = version->section(u'-', 0, 0);
        text = (version->contains("MariaDB"_L1) ? u"MariaDB "_s : u"MySQL "_s) + number;
    }
    // Without a database DATABASE() is NULL and every count would be "no tables".
    return withDatabaseDetails(text, db, settings, u"table_schema = DATABASE()", false);
}

/// What an open connection reaches, in a few words. The extra queries are best effort: a
/// connection that cannot answer them still connected.
QString describe(const QString &connectionName, const ConnectionSettings &settings)
{
    const QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    const QString &driver = settings.driver;
    if (driver == "QSQLITE"_L1)
        return describeSqlite(db, settings);
    if (driver == "QPSQL"_L1)
        return describePostgres(db, settings);
    if (driver == "QMYSQL"_L1 || driver == "QMARIADB"_L1)
        return describeMysql(db, settings);
    return driverDisplayName(driver);
}

struct Outcome
{
    bool ok = false;
    QString message;
};

/// Runs in a test thread: the connection is added, used and removed there.
Outcome runTest(const ConnectionSettings &settings, const QString &password)
{
    const QString name = uniqueSqlConnectionName(u"sluice.test."_s);
    Outcome outcome;
    if (!openSqlConnection(settings, password, name, &outcome.message))
        return outcome;
    outcome.ok = true;
    outcome.message = u"Connected to "_s + describe(name, settings);
    closeSqlConnection(name);
    return outcome;
}

} // namespace

ConnectionTester::ConnectionTester(QObject *parent)
    : QObject(parent)
    , m_link(std::make_shared<ReceiverLink<ConnectionTester>>(this))
{ }

ConnectionTester::~ConnectionTester()
{
    // A result posted before this point is discarded by ~QObject with the tester's other
    // posted events; none can be posted after it.
    m_link->clear();
}

void ConnectionTester::test(const ConnectionSettings &settings, const QString &password)
{
    const quint64 generation = ++m_generation;
    m_testing = true;

    QString secret = password;
    if (!settings.passwordEnv.isEmpty()) {
        // Like the run: the variable is read when the connection is made, here and now.
        const QByteArray name = settings.passwordEnv.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(name.constData())) {
            const QString message = secretproblems::variableNotSet(
                u"source.passwordEnv"_s, settings.passwordEnv, u"the database password"_s);
            QMetaObject::invokeMethod(
                this, [this, generation, message] { deliver(generation, false, message); },
                Qt::QueuedConnection);
            return;
        }
        secret = qEnvironmentVariable(name.constData());
    }

    ++m_runningWorkers;
    BackgroundThreads::run([link = m_link, settings, secret, generation] {
        const Outcome outcome = runTest(settings, secret);
        link->post([generation, outcome](ConnectionTester *tester) {
            --tester->m_runningWorkers;
            tester->deliver(generation, outcome.ok, outcome.message);
        });
    });
}

void ConnectionTester::cancel()
{
    ++m_generation;
    m_testing = false;
}

void ConnectionTester::deliver(quint64 generation, bool ok, const QString &message)
{
    if (generation != m_generation)
        return; // superseded or cancelled
    m_testing = false;
    qCDebug(lcSource).noquote() << "connection test:" << message;
    Q_EMIT finished(ok, message);
}

} // namespace sluice
