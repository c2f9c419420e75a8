// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace sluice {

/// pouchdb-server 4.2.0, a CouchDB API on Node.js, for tests with FIXTURES pouchdb (the
/// fixture installs it into $SLUICE_POUCHDB_DIR, see tests/scripts/pouchdb-server.sh). It runs
/// in memory on 127.0.0.1 and a free port, as a child process that dies with the test process
/// (even when that crashes), in a temporary folder of its own (its config.json and log.txt).
///
/// Threads: the thread that creates it, which needs an event loop: send() serves it while it
/// waits.
class PouchDbServer
{
    Q_DISABLE_COPY_MOVE(PouchDbServer)

public:
    struct Answer
    {
        int status = 0; ///< 0: no answer
        QByteArray body;
        QString error; ///< the network error, when there was one
        QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    };

    PouchDbServer();
    ~PouchDbServer();

    /// Starts the server and waits until it answers (about 1 s). Returns false with *error
    /// saying why (not installed: run the test via ctest; Node.js missing; did not answer).
    bool start(QString *error);
    void stop();
    /// http://127.0.0.1:<port> once started; invalid before.
    QUrl url() const { return m_api; }
    /// The server's base URL with path ("/db/_bulk_docs"), as text.
    QString url(const QString &path) const;

    /// Sends a request (a JSON body, when not empty) and waits for the answer up to 30 s.
    /// path may carry a query ("/db/_all_docs?include_docs=true").
    Answer send(const QByteArray &verb, const QString &path, const QByteArray &body = {});
    /// Creates database name; false with *error set when the server refuses.
    bool createDatabase(const QString &name, QString *error);
    /// The documents stored under ids in db, in that order (an empty object for a missing
    /// one); empty with *error set when the server does not answer the query.
    QList<QJsonObject> documents(const QString &db, const QStringList &ids, QString *error);
    /// Every document of db (design documents included) by id.
    QHash<QString, QJsonObject> allDocuments(const QString &db, QString *error);
    /// How many requests the server logged (its log.txt) with this method and path, e.g.
    /// ("POST", "/db/_bulk_docs"), whatever their status. The server writes its log as it
    /// answers: wait for a count with QTRY_COMPARE.
    int loggedRequests(const QString &method, const QString &path) const;

private:
    QTemporaryDir m_dir;
    QNetworkAccessManager m_nam;
    QProcess m_server;
    QUrl m_api;
};

} // namespace sluice
