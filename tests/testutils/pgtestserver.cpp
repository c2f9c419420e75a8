// SPDX-License-Identifier: GPL-3.0-or-later
#include "pgtestserver.h"

#include <atomic>

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace sluice {

ConnectionSettings PgTestServer::settings(QString *error)
{
    const QString dir = qEnvironmentVariable("SLUICE_PG_DIR");
    const QString hint
        = u"run this test via ctest, whose \"postgres\" fixture starts the "
          "cluster (tests/scripts/pg-cluster.sh start DIR, then SLUICE_PG_DIR=DIR)"_s;
    if (dir.isEmpty()) {
        *error = u"SLUICE_PG_DIR is not set: "_s + hint;
        return {};
    }
    QFile file(QDir(dir).filePath(u"conninfo.env"_s));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = u"cannot read %1 (%2): "_s.arg(file.fileName(), file.errorString()) + hint;
        return {};
    }

    ConnectionSettings settings;
    settings.driver = u"QPSQL"_s;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        const qsizetype eq = line.indexOf(u'=');
        if (line.startsWith(u'#') || eq <= 0)
            continue;
        const QString key = line.left(eq);
        const QString value = line.mid(eq + 1);
        if (key == "PGHOST"_L1)
            settings.host = value;
        else if (key == "PGPORT"_L1)
            settings.port = value.toInt();
        else if (key == "PGUSER"_L1)
            settings.user = value;
        else if (key == "PGDATABASE"_L1)
            settings.database = value;
    }
    if (settings.host.isEmpty() || settings.port <= 0 || settings.user.isEmpty()
        || settings.database.isEmpty()) {
        *error = u"%1 lacks PGHOST, PGPORT, PGUSER or PGDATABASE: "_s.arg(file.fileName()) + hint;
        return {};
    }
    return settings;
}

namespace {

/// Runs the statements on a fresh connection; the rows of the last one go to *rows.
bool run(const QStringList &statements, QList<QVariantList> *rows, QString *error,
         const QString &database = {})
{
    const ConnectionSettings s = PgTestServer::settings(error);
    if (s.driver.isEmpty())
        return false;

    static std::atomic<int> counter {0};
    const QString name = u"sluice.pgtestserver."_s + QString::number(++counter);
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(s.driver, name);
        db.setHostName(s.host);
        db.setPort(s.port);
        db.setUserName(s.user);
        db.setDatabaseName(database.isEmpty() ? s.database : database);
        if (!db.open()) {
            *error = u"cannot connect to the test cluster: "_s + db.lastError().text();
            ok = false;
        }
        for (qsizetype i = 0; ok && i < statements.size(); ++i) {
            QSqlQuery query(db);
            query.setForwardOnly(true);
            if (!query.exec(statements.at(i))) {
                *error = u"%1: %2"_s.arg(statements.at(i), query.lastError().text());
                ok = false;
            }
            if (!rows || i + 1 < statements.size())
                continue;
            rows->clear();
            while (ok && query.next()) {
                QVariantList row;
                for (int c = 0; c < query.record().count(); ++c)
                    row.append(query.value(c));
                rows->append(row);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

bool PgTestServer::exec(const QStringList &statements, QString *error, const QString &database)
{
    return run(statements, nullptr, error, database);
}

bool PgTestServer::select(const QString &sql, QList<QVariantList> *rows, QString *error)
{
    return run({sql}, rows, error);
}

} // namespace sluice
