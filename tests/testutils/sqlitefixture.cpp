// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlitefixture.h"

#include <atomic>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

QString uniqueName()
{
    static std::atomic<int> counter {0};
    return u"sluice.sqlitefixture."_s + QString::number(++counter);
}

} // namespace

QString SqliteFixture::numbered(const QString &dir, const QString &fileName, int count,
                                const QString &nameFormat, QString *error)
{
    QList<QVariantList> rows;
    for (int id = 1; id <= count; ++id)
        rows.append({id, nameFormat.arg(id)});
    return create(dir, fileName, {u"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"_s}, u"t"_s,
                  rows, error);
}

QString SqliteFixture::create(const QString &dir, const QString &fileName,
                              const QStringList &setupSql, const QString &table,
                              const QList<QVariantList> &rows, QString *error)
{
    const QString path = QFileInfo(QDir(dir).filePath(fileName)).absoluteFilePath();
    if (QFile::exists(path) && !QFile::remove(path)) {
        *error = u"cannot replace %1"_s.arg(path);
        return {};
    }

    const QString name = uniqueName();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (!db.open()) {
            *error = u"cannot create %1: %2"_s.arg(path, db.lastError().text());
            ok = false;
        }
        for (qsizetype i = 0; ok && i < setupSql.size(); ++i) {
            QSqlQuery query(db);
            if (!query.exec(setupSql.at(i))) {
                *error = u"%1: %2"_s.arg(setupSql.at(i), query.lastError().text());
                ok = false;
            }
        }
        if (ok && !rows.isEmpty()) {
            ok = db.transaction();
            QSqlQuery insert(db);
            QStringList marks;
            for (qsizetype i = 0; i < rows.first().size(); ++i)
                marks.append(u"?"_s);
            const QString sql = u"INSERT INTO %1 VALUES (%2)"_s.arg(table, marks.join(u", "_s));
            ok = ok && insert.prepare(sql);
            for (qsizetype r = 0; ok && r < rows.size(); ++r) {
                for (qsizetype c = 0; c < rows.at(r).size(); ++c)
                    insert.bindValue(int(c), rows.at(r).at(c));
                ok = insert.exec();
            }
            if (!ok)
                *error = u"%1: %2"_s.arg(sql, insert.lastError().text());
            ok = ok && db.commit();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok ? path : QString();
}

bool SqliteFixture::select(const QString &file, const QString &sql, QList<QVariantList> *rows,
                           QString *error)
{
    const QString name = uniqueName();
    bool ok = true;
    rows->clear();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(file);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!db.open()) {
            *error = u"cannot open %1: %2"_s.arg(file, db.lastError().text());
            ok = false;
        } else {
            QSqlQuery query(db);
            query.setForwardOnly(true);
            if (!query.exec(sql)) {
                *error = u"%1: %2"_s.arg(sql, query.lastError().text());
                ok = false;
            }
            while (ok && query.next()) {
                QVariantList row;
                for (int i = 0; i < query.record().count(); ++i)
                    row.append(query.value(i));
                rows->append(row);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace sluice
