// SPDX-License-Identifier: GPL-3.0-or-later
#include "pouchdbserver.h"

#include <sys/prctl.h>

#include <csignal>
#include <memory>

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

namespace sluice {

PouchDbServer::PouchDbServer()
{
    m_nam.setProxy(QNetworkProxy::NoProxy);
}

PouchDbServer::~PouchDbServer()
{
    stop();
}

bool PouchDbServer::start(QString *error)
{
    if (!m_dir.isValid()) {
        *error = u"cannot create a temporary folder: "_s + m_dir.errorString();
        return false;
    }
    const QString installDir = qEnvironmentVariable("SLUICE_POUCHDB_DIR");
    const QString script = installDir + u"/node_modules/pouchdb-server/bin/pouchdb-server"_s;
    if (!QFileInfo::exists(script)) {
        *error = u"pouchdb-server is not installed in $SLUICE_POUCHDB_DIR: run this test via "
                 u"ctest, whose \"pouchdb\" fixture installs it (tests/scripts/pouchdb-server.sh "
                 u"install DIR)"_s;
        return false;
    }
    QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        node = QStandardPaths::findExecutable(u"nodejs"_s);
    if (node.isEmpty()) {
        *error = u"Node.js is not installed (Debian: apt-get install nodejs npm)"_s;
        return false;
    }

    // The server must not outlive the test, even when the test crashes.
    m_server.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_server.setWorkingDirectory(m_dir.path());
    m_server.setProcessChannelMode(QProcess::MergedChannels);
    m_server.setProgram(node);
    QString output;
    // A free port can be taken between asking and listening: then the server exits at once.
    for (int attempt = 1; attempt <= 5 && !m_api.isValid(); ++attempt) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            *error = u"no free port on 127.0.0.1: "_s + probe.errorString();
            return false;
        }
        const QString port = QString::number(probe.serverPort());
        probe.close();

        m_server.setArguments({script, u"--in-memory"_s, u"--host"_s, u"127.0.0.1"_s, u"--port"_s,
                               port, u"--no-stdout-logs"_s, u"--no-color"_s, u"--config"_s,
                               m_dir.filePath(u"config.json"_s)});
        m_server.start();
        if (!m_server.waitForStarted()) {
            *error = u"cannot start "_s + node + u": "_s + m_server.errorString();
            return false;
        }
        const QUrl base(u"http://127.0.0.1:"_s + port);
        QElapsedTimer waited;
        waited.start();
        while (m_server.state() == QProcess::Running && waited.elapsed() < 30000) {
            m_api = base;
            const Answer welcome = send("GET", u"/"_s);
            if (welcome.status == 200
                && welcome.json().object().value("express-pouchdb"_L1) == "Welcome!"_L1)
                break;
            m_api.clear();
            QTest::qWait(50);
        }
        if (!m_api.isValid()) {
            stop();
            output += u"port "_s + port + u": "_s + QString::fromUtf8(m_server.readAll());
        }
    }
    if (!m_api.isValid())
        *error = u"pouchdb-server did not start: "_s + output;
    return m_api.isValid();
}

void PouchDbServer::stop()
{
    if (m_server.state() == QProcess::NotRunning)
        return;
    m_server.terminate();
    if (!m_server.waitForFinished(5000)) {
        m_server.kill();
        m_server.waitForFinished();
    }
}

QString PouchDbServer::url(const QString &path) const
{
    return m_api.toString() + path;
}

PouchDbServer::Answer PouchDbServer::send(const QByteArray &verb, const QString &path,
                                          const QByteArray &body)
{
    QUrl url = m_api;
    url.setPath(path.section(u'?', 0, 0));
    url.setQuery(path.section(u'?', 1));
    QNetworkRequest request(url);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(request, verb, body));
    if (!reply->isFinished()) {
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!finished.wait(30000))
            return {0, {}, u"no answer in 30 s"_s};
    }
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
            reply->error() == QNetworkReply::NoError ? QString() : reply->errorString()};
}

bool PouchDbServer::createDatabase(const QString &name, QString *error)
{
    const Answer answer = send("PUT", u"/"_s + name);
    if (answer.status == 201)
        return true;
    *error = u"PUT /%1: %2 %3"_s.arg(name).arg(answer.status).arg(QString::fromUtf8(answer.body));
    return false;
}

QList<QJsonObject> PouchDbServer::documents(const QString &db, const QStringList &ids,
                                            QString *error)
{
    const QJsonObject keys {{u"keys"_s, QJsonArray::fromStringList(ids)}};
    const Answer answer = send("POST", u"/"_s + db + u"/_all_docs?include_docs=true"_s,
                               QJsonDocument(keys).toJson(QJsonDocument::Compact));
    if (answer.status != 200) {
        *error = u"_all_docs: %1 %2 %3"_s.arg(answer.status)
                     .arg(answer.error, QString::fromUtf8(answer.body));
        return {};
    }
    QList<QJsonObject> docs;
    for (const QJsonValue &row : answer.json().object().value("rows"_L1).toArray())
        docs.append(row.toObject().value("doc"_L1).toObject());
    return docs;
}

QHash<QString, QJsonObject> PouchDbServer::allDocuments(const QString &db, QString *error)
{
    const Answer answer = send("GET", u"/"_s + db + u"/_all_docs?include_docs=true"_s);
    if (answer.status != 200) {
        *error = u"_all_docs: %1 %2 %3"_s.arg(answer.status)
                     .arg(answer.error, QString::fromUtf8(answer.body));
        return {};
    }
    QHash<QString, QJsonObject> docs;
    for (const QJsonValue &row : answer.json().object().value("rows"_L1).toArray()) {
        const QJsonObject object = row.toObject();
        docs.insert(object.value("id"_L1).toString(), object.value("doc"_L1).toObject());
    }
    return docs;
}

int PouchDbServer::loggedRequests(const QString &method, const QString &path) const
{
    // Lines like "[date] [info] [<0.000.0>] 127.0.0.1 - - POST /db/_bulk_docs 201".
    QFile file(m_dir.filePath(u"log.txt"_s));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray request = ' ' + method.toUtf8() + ' ' + path.toUtf8() + ' ';
    int count = 0;
    while (!file.atEnd()) {
        if (file.readLine().contains(request))
            ++count;
    }
    return count;
}

} // namespace sluice
