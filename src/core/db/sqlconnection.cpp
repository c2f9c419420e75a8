// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlconnection.h"

#include "db/shardquery.h"

#include <atomic>

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

bool isSqlite(const QString &driver)
{
    return driver == "QSQLITE"_L1;
}

} // namespace

QString driverDisplayName(const QString &driver)
{
    if (driver == "QSQLITE"_L1)
        return u"SQLite"_s;
    if (driver == "QPSQL"_L1)
        return u"PostgreSQL"_s;
    if (driver == "QMYSQL"_L1 || driver == "QMARIADB"_L1)
        return u"MySQL/MariaDB"_s;
    if (driver == "QODBC"_L1)
        return u"ODBC"_s;
    return driver;
}

QString sqlConnectionProblem(const ConnectionSettings &settings)
{
    if (!QSqlDatabase::isDriverAvailable(settings.driver)) {
        return u"source.driver: the Qt SQL driver \"%1\" is not available (installed: %2)"_s.arg(
            settings.driver, QSqlDatabase::drivers().join(", "_L1));
    }
    if (isSqlite(settings.driver)) {
        const QString file = settings.resolvedDatabase();
        if (file.isEmpty())
            return u"source.database: no SQLite file given"_s;
        // Read-only opening already refuses to create a file; checking first gives the
        // user a message that names the file.
        if (file != ":memory:"_L1 && !file.startsWith("file:"_L1) && !QFileInfo::exists(file)) {
            return u"source.database: SQLite file \"%1\" does not exist"_s.arg(
                QFileInfo(file).absoluteFilePath());
        }
    }
    return {};
}

ConnectionSettings withConnectTimeout(ConnectionSettings settings)
{
    QString key;
    if (settings.driver == "QPSQL"_L1)
        key = u"connect_timeout"_s;
    else if (settings.driver == "QMYSQL"_L1 || settings.driver == "QMARIADB"_L1)
        key = u"MYSQL_OPT_CONNECT_TIMEOUT"_s;
    else if (settings.driver == "QODBC"_L1)
        key = u"SQL_ATTR_LOGIN_TIMEOUT"_s;
    if (key.isEmpty() || settings.options.contains(key, Qt::CaseInsensitive))
        return settings;
    const QString option = key + u'=' + QString::number(SqlConnectTimeoutSeconds);
    settings.options = settings.options.trimmed().isEmpty()
        ? option
        : settings.options.trimmed() + u';' + option;
    return settings;
}

QString withPsqlOdbcDefaults(const QString &connectionString)
{
    // Attributes are KEY=VALUE separated by ';'; a value in braces may hold ';'.
    QStringList keys;
    QString driver;
    qsizetype i = 0;
    const qsizetype n = connectionString.size();
    while (i < n) {
        const qsizetype eq = connectionString.indexOf(u'=', i);
        if (eq < 0)
            break;
        const QString key = connectionString.sliced(i, eq - i).trimmed();
        qsizetype end = eq + 1;
        while (end < n && connectionString[end].isSpace())
            ++end;
        if (end < n && connectionString[end] == u'{') {
            const qsizetype close = connectionString.indexOf(u'}', end);
            end = close < 0 ? n : close + 1;
        }
        const qsizetype semicolon = connectionString.indexOf(u';', end);
        end = semicolon < 0 ? n : semicolon;
        if (key.compare("DRIVER"_L1, Qt::CaseInsensitive) == 0)
            driver = connectionString.sliced(eq + 1, end - eq - 1).trimmed();
        keys.append(key);
        i = end + 1;
    }
    const bool psqlOdbc = driver.contains("postgres"_L1, Qt::CaseInsensitive)
        || driver.contains("psqlodbc"_L1, Qt::CaseInsensitive);
    if (!psqlOdbc || keys.contains("CX"_L1, Qt::CaseInsensitive))
        return connectionString;

    const auto sets = [&keys](QLatin1StringView name, QLatin1StringView abbreviation) {
        return keys.contains(name, Qt::CaseInsensitive)
            || keys.contains(abbreviation, Qt::CaseInsensitive);
    };
    QString result = connectionString.trimmed();
    const auto add = [&result](const QString &attribute) {
        if (!result.isEmpty() && !result.endsWith(u';'))
            result += u';';
        result += attribute;
    };
    if (!sets("UseDeclareFetch"_L1, "B6"_L1))
        add(u"UseDeclareFetch=1"_s);
    if (!sets("Fetch"_L1, "A7"_L1))
        add(u"Fetch="_s + QString::number(PsqlOdbcFetchRows));
    if (!sets("BoolsAsChar"_L1, "B9"_L1))
        add(u"BoolsAsChar=0"_s);
    return result;
}

QString uniqueSqlConnectionName(const QString &prefix)
{
    static std::atomic<quint64> counter {0};
    QString name;
    do {
        name = prefix + QString::number(++counter);
    } while (QSqlDatabase::contains(name));
    return name;
}

bool openSqlConnection(const ConnectionSettings &settings, const QString &password,
                       const QString &connectionName, QString *error)
{
    if (const QString problem = sqlConnectionProblem(settings); !problem.isEmpty()) {
        *error = problem;
        return false;
    }

    const QString database = settings.resolvedDatabase();
    const QString connectAs
        = settings.driver == "QODBC"_L1 ? withPsqlOdbcDefaults(database) : database;
    QString options = withConnectTimeout(settings).options;
    if (isSqlite(settings.driver)) {
        // A source is only read, and read-only opening never creates a missing file.
        options = options.trimmed().isEmpty() ? u"QSQLITE_OPEN_READONLY"_s
                                              : options + u";QSQLITE_OPEN_READONLY"_s;
    }

    bool ok = false;
    QString driverError;
    {
        // No handle may outlive this scope: closeSqlConnection() removes the connection.
        QSqlDatabase db = QSqlDatabase::addDatabase(settings.driver, connectionName);
        db.setDatabaseName(connectAs);
        if (!settings.host.isEmpty())
            db.setHostName(settings.host);
        if (settings.port >= 0)
            db.setPort(settings.port);
        if (!settings.user.isEmpty())
            db.setUserName(settings.user);
        if (!password.isEmpty())
            db.setPassword(password);
        db.setConnectOptions(options);
        ok = db.open();
        if (!ok)
            driverError = db.lastError().text().trimmed();
        // The text shard key's hash (shardquery.h), for `sluice run --shard`.
        else if (isSqlite(settings.driver) && !registerSqliteShardFunction(db, &driverError))
            ok = false;
    }
    if (ok)
        return true;
    closeSqlConnection(connectionName);

    QString where = u"cannot connect to %1 database \"%2\""_s.arg(settings.driver, database);
    if (!settings.host.isEmpty()) {
        where += " on "_L1 + settings.host;
        if (settings.port >= 0)
            where += u':' + QString::number(settings.port);
    }
    if (!settings.user.isEmpty())
        where += " as "_L1 + settings.user;
    *error = where + ": "_L1 + driverError;
    return false;
}

void closeSqlConnection(const QString &connectionName)
{
    if (!QSqlDatabase::contains(connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

} // namespace sluice
