// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QSqlDatabase;
QT_END_NAMESPACE

namespace sluice {

/// The part of libpq's C API Sluice calls itself, resolved once at run time from the libpq
/// (libpq.so.5) the QPSQL plugin has loaded: sluice_core neither links libpq nor needs its
/// headers, and a machine without PostgreSQL's client library still runs SQLite transfers.
/// Types are libpq's, opaque here (PGconn, PGresult, PGcancel as void).
struct Libpq
{
    using Oid = unsigned int;
    /// libpq's ExecStatusType values Sluice looks at.
    enum Status : int {
        CommandOk = 1,
        TuplesOk = 2,
        FatalError = 7,
        SingleTuple = 9,
    };

    void *(*prepare)(void *conn, const char *name, const char *query, int nParams,
                     const Oid *paramTypes)
        = nullptr;
    void *(*describePrepared)(void *conn, const char *name) = nullptr;
    int (*sendQueryPrepared)(void *conn, const char *name, int nParams, const char *const *values,
                             const int *lengths, const int *formats, int resultFormat)
        = nullptr;
    int (*setSingleRowMode)(void *conn) = nullptr;
    void *(*getResult)(void *conn) = nullptr;
    void *(*exec)(void *conn, const char *command) = nullptr;
    void *(*execParams)(void *conn, const char *command, int nParams, const Oid *paramTypes,
                        const char *const *values, const int *lengths, const int *formats,
                        int resultFormat)
        = nullptr;
    int (*resultStatus)(const void *result) = nullptr;
    char *(*resultErrorMessage)(const void *result) = nullptr;
    char *(*errorMessage)(const void *conn) = nullptr;
    void (*clear)(void *result) = nullptr;
    int (*ntuples)(const void *result) = nullptr;
    int (*nfields)(const void *result) = nullptr;
    char *(*fname)(const void *result, int field) = nullptr;
    Oid (*ftype)(const void *result, int field) = nullptr;
    char *(*getvalue)(const void *result, int row, int field) = nullptr;
    int (*getlength)(const void *result, int row, int field) = nullptr;
    int (*getisnull)(const void *result, int row, int field) = nullptr;
    void *(*getCancel)(void *conn) = nullptr;
    int (*cancel)(void *cancel, char *errbuf, int errbufsize) = nullptr;
    void (*freeCancel)(void *cancel) = nullptr;

    /// The API, or null when libpq is not loaded or lacks a function (then QPSQL cannot be
    /// in use either). Thread-safe.
    static const Libpq *get();
};

/// libpq's connection behind db, or null when db is no open QPSQL connection.
void *postgresConnection(const QSqlDatabase &db);

} // namespace sluice
