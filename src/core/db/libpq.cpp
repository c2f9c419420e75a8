// SPDX-License-Identifier: GPL-3.0-or-later
#include "libpq.h"

#include <QLibrary>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

template<typename Function>
bool resolve(QLibrary &library, const char *name, Function *function)
{
    *function = reinterpret_cast<Function>(library.resolve(name));
    return *function != nullptr;
}

} // namespace

const Libpq *Libpq::get()
{
    static const Libpq *const api = []() -> const Libpq * {
        static Libpq a;
        QLibrary libpq(u"pq"_s, 5);
        const bool ok = resolve(libpq, "PQprepare", &a.prepare)
            && resolve(libpq, "PQdescribePrepared", &a.describePrepared)
            && resolve(libpq, "PQsendQueryPrepared", &a.sendQueryPrepared)
            && resolve(libpq, "PQsetSingleRowMode", &a.setSingleRowMode)
            && resolve(libpq, "PQgetResult", &a.getResult) && resolve(libpq, "PQexec", &a.exec)
            && resolve(libpq, "PQexecParams", &a.execParams)
            && resolve(libpq, "PQresultStatus", &a.resultStatus)
            && resolve(libpq, "PQresultErrorMessage", &a.resultErrorMessage)
            && resolve(libpq, "PQerrorMessage", &a.errorMessage)
            && resolve(libpq, "PQclear", &a.clear) && resolve(libpq, "PQntuples", &a.ntuples)
            && resolve(libpq, "PQnfields", &a.nfields) && resolve(libpq, "PQfname", &a.fname)
            && resolve(libpq, "PQftype", &a.ftype) && resolve(libpq, "PQgetvalue", &a.getvalue)
            && resolve(libpq, "PQgetlength", &a.getlength)
            && resolve(libpq, "PQgetisnull", &a.getisnull)
            && resolve(libpq, "PQgetCancel", &a.getCancel) && resolve(libpq, "PQcancel", &a.cancel)
            && resolve(libpq, "PQfreeCancel", &a.freeCancel);
        return ok ? &a : nullptr;
    }();
    return api;
}

void *postgresConnection(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Qt 6.4 names the type after libpq's struct: "pg_conn*".
    const char *type = handle.typeName();
    if (qstrcmp(type, "pg_conn*") != 0 && qstrcmp(type, "PGconn*") != 0)
        return nullptr;
    return *static_cast<void *const *>(handle.constData());
}

} // namespace sluice
