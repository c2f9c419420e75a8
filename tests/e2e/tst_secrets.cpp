// SPDX-License-Identifier: GPL-3.0-or-later
// Secrets stay secret: the real `sluice run` moves rows from a password-protected PostgreSQL
// role to TestSink with a token from the environment, some items fail, and afterwards no file
// Sluice wrote (the failed-items file, anything under HOME and the XDG folders: settings,
// data, caches, journals) and none of its output holds the password or the token.

#include "pgtestserver.h"
#include "sluiceprocess.h"
#include "testsink.h"

#include <QDirIterator>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void noSecretInAnythingSluiceWrites();
    void literalCredentialRunsWithAWarning();

private:
    Result runSluice(const QStringList &arguments);
    /// Every file under folder whose bytes contain one of secrets: "file: secret".
    static QStringList filesHolding(const QString &folder, const QList<QByteArray> &secrets);

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
    ConnectionSettings m_pg;
    QByteArray m_password;
    QByteArray m_token;
    QByteArray m_apiKey;
};

void TestSecrets::initTestCase()
{
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QString error;
    m_pg = PgTestServer::settings(&error);
    QVERIFY2(!m_pg.driver.isEmpty(), qPrintable(error));

    // Random, so that a match can only come from this run.
    auto *random = QRandomGenerator::global();
    m_password = "Pw-" + QByteArray::number(random->generate64(), 36);
    m_token = "Tok-" + QByteArray::number(random->generate64(), 36);
    m_apiKey = "Key-" + QByteArray::number(random->generate64(), 36);
    const QString role = QLatin1String(PgTestServer::PasswordRole);
    QVERIFY2(PgTestServer::exec(
                 {QStringLiteral("DROP TABLE IF EXISTS secret_rows"),
                  QStringLiteral("DROP ROLE IF EXISTS ") + role,
                  QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'")
                      .arg(role, QString::fromLatin1(m_password)),
                  QStringLiteral("CREATE TABLE secret_rows (id integer PRIMARY KEY, name text)"),
                  QStringLiteral("INSERT INTO secret_rows SELECT g, 'row ' || g "
                                 "FROM generate_series(1, 60) g"),
                  QStringLiteral("GRANT SELECT ON secret_rows TO ") + role},
                 &error),
             qPrintable(error));
}

void TestSecrets::cleanupTestCase()
{
    QString error;
    PgTestServer::exec(
        {QStringLiteral("DROP TABLE IF EXISTS secret_rows"),
         QStringLiteral("DROP ROLE IF EXISTS ") + QLatin1String(PgTestServer::PasswordRole)},
        &error);
}

Result TestSecrets::runSluice(const QStringList &arguments)
{
    // Everything Sluice may write for the user goes under the test's folder.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString home = m_dir.filePath(QStringLiteral("home"));
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    environment.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
    environment.insert(QStringLiteral("XDG_STATE_HOME"), home + QStringLiteral("/state"));
    environment.insert(QStringLiteral("TMPDIR"), home + QStringLiteral("/tmp"));
    environment.insert(QStringLiteral("SLUICE_TEST_DB_PASSWORD"), QString::fromLatin1(m_password));
    environment.insert(QStringLiteral("SLUICE_TEST_TOKEN"),
                       QStringLiteral("Bearer ") + QString::fromLatin1(m_token));
    environment.insert(QStringLiteral("SLUICE_TEST_API_KEY"), QString::fromLatin1(m_apiKey));
    // As much logging as Sluice has: none of it may carry a secret either.
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("sluice.*=true"));
    for (const char *folder : {"data", "config", "cache", "state", "tmp"})
        QDir().mkpath(home + u'/' + QLatin1String(folder));

    SluiceCall call;
    call.environment = environment;
    call.workingDirectory = m_dir.path();
    const SluiceRun run = ::runSluice(m_sluice, arguments, call);
    return {run.exitCode, run.outBytes, run.err.toUtf8()};
}

QStringList TestSecrets::filesHolding(const QString &folder, const QList<QByteArray> &secrets)
{
    QStringList found;
    QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            found.append(path + QStringLiteral(": cannot be read to check"));
            continue;
        }
        const QByteArray data = file.readAll();
        for (const QByteArray &secret : secrets) {
            if (data.contains(secret))
                found.append(path + QStringLiteral(": ") + QString::fromLatin1(secret));
        }
    }
    return found;
}

void TestSecrets::noSecretInAnythingSluiceWrites()
{
    // Every seventh item fails for good, with a body that names the item (not the token).
    m_sink.setHandler([](const TestSink::Request &request) {
        TestSink::Reply reply;
        if (request.jsonId.toInt() % 7 == 0) {
            reply.status = 422;
            reply.body = R"({"error":"rejected )" + request.jsonId.toUtf8() + R"("})";
        }
        return reply;
    });
    const QString transfer = m_dir.filePath(QStringLiteral("secret.json"));
    {
        QFile file(transfer);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"({
  "version": 1,
  "source": { "driver": "QPSQL", "host": "%1", "port": %2, "database": "%3", "user": "%4",
              "passwordEnv": "SLUICE_TEST_DB_PASSWORD" },
  "query": { "sql": "SELECT id, name FROM secret_rows ORDER BY id" },
  "transform": { "key": "{{id}}", "template": { "id": "{{id}}", "name": "{{name}}" } },
  "target": { "url": "%5", "headers": { "Accept": "application/json" },
              "headersEnv": { "Authorization": "SLUICE_TEST_TOKEN",
                              "X-Api-Key": "SLUICE_TEST_API_KEY" } },
  "run": { "chunkSize": 16, "concurrency": 4, "maxRetries": 0 }
})")
                       .arg(m_pg.host, QString::number(m_pg.port), m_pg.database,
                            QLatin1String(PgTestServer::PasswordRole),
                            m_sink.url(QStringLiteral("/items")).toString())
                       .toUtf8());
    }
    const QString failed = m_dir.filePath(QStringLiteral("failed.ndjson"));
    const Result r = runSluice({QStringLiteral("run"), transfer, QStringLiteral("--failed"), failed,
                                QStringLiteral("--progress-interval"), QStringLiteral("0.1")});
    QVERIFY2(r.exitCode == 1, r.err.constData());
    QVERIFY2(r.out.startsWith("delivered 52, failed 8, invalid 0 in "), r.out.constData());

    // The secrets were used: the database let the role in, the sink saw the token and key.
    QCOMPARE(m_sink.requestCount(), 60);
    for (const TestSink::Request &request : m_sink.requests()) {
        QCOMPARE(request.header("Authorization"), "Bearer " + m_token);
        QCOMPARE(request.header("X-Api-Key"), m_apiKey);
    }
    QVERIFY(QFileInfo(failed).size() > 0);

    // Nothing Sluice wrote or said holds them.
    const QList<QByteArray> secrets {m_password, m_token, m_apiKey};
    for (const QByteArray &secret : secrets) {
        QVERIFY2(!r.out.contains(secret), r.out.constData());
        QVERIFY2(!r.err.contains(secret), r.err.constData());
    }
    // The test's folder holds the transfer, the failed-items file and HOME with its XDG
    // folders (where settings, data, caches and the default journal go).
    const QStringList leaks = filesHolding(m_dir.path(), secrets);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));

    // The search would find them: the same secrets written into a file are found.
    QFile canary(m_dir.filePath(QStringLiteral("home/canary")));
    QVERIFY(canary.open(QIODevice::WriteOnly));
    canary.write("x" + m_token + "y");
    canary.close();
    QCOMPARE(filesHolding(m_dir.path(), secrets).size(), 1);
    QVERIFY(canary.remove());
}

void TestSecrets::literalCredentialRunsWithAWarning()
{
    // A hand-written file with the token as it is still runs, warned, and the warning does
    // not repeat the token.
    m_sink.clear();
    m_sink.setHandler(nullptr);
    const QString transfer = m_dir.filePath(QStringLiteral("literal.json"));
    {
        QFile file(transfer);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(R"({
  "version": 1,
  "source": { "driver": "QPSQL", "host": "%1", "port": %2, "database": "%3", "user": "%4",
              "passwordEnv": "SLUICE_TEST_DB_PASSWORD" },
  "query": { "sql": "SELECT id, name FROM secret_rows WHERE id <= 3 ORDER BY id" },
  "target": { "url": "%5", "headers": { "authorization": "Bearer %6" } }
})")
                       .arg(m_pg.host, QString::number(m_pg.port), m_pg.database,
                            QLatin1String(PgTestServer::PasswordRole),
                            m_sink.url(QStringLiteral("/items")).toString(),
                            QString::fromLatin1(m_token))
                       .toUtf8());
    }
    const Result r = runSluice({QStringLiteral("run"), transfer});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(m_sink.requestCount(), 3);
    QVERIFY2(r.err.contains("target.headers.authorization: a credential written in the transfer "
                            "file; keep it in the keychain (headersKeychain) or an environment "
                            "variable (headersEnv) instead"),
             r.err.constData());
    QVERIFY(!r.err.contains(m_token) && !r.out.contains(m_token));
}

QTEST_MAIN(TestSecrets)
#include "tst_secrets.moc"
