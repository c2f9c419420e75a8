// SPDX-License-Identifier: GPL-3.0-or-later
#include <memory>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "db/connectiontester.h"
#include "db/rowsource.h"
#include "db/sqlconnection.h"
#include "pgtestserver.h"
#include "silentserver.h"
#include "sqlitefixture.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

struct Result
{
    bool ok = false;
    QString message;
};

/// What a ConnectionTester answered, collected in the test's thread.
struct Results
{
    QList<Result> list;

    void listen(QObject *context, ConnectionTester *tester)
    {
        QObject::connect(tester, &ConnectionTester::finished, context,
                         [this](bool ok, const QString &message) {
                             list.append({ok, message});
                         });
    }
};

QStringList testConnections()
{
    return QSqlDatabase::connectionNames().filter(QRegularExpression(u"^sluice\\.test\\."_s));
}

/// A loopback port nothing listens on (it was free a moment ago).
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class TstConnectionTester : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void sqliteOk_data();
    void sqliteOk();
    void answersLaterNeverInsideTest();
    void failuresReadAsTheRunWordsThem_data();
    void failuresReadAsTheRunWordsThem();
    void missingFileIsNotCreated();
    void driverNotInstalled();
    void postgresOk();
    void postgresWrongPassword_data();
    void postgresWrongPassword();
    void passwordVariableNotSet();
    void unreachablePortFailsFast();
    void runGivesUpOnASilentServer();
    void newTestSupersedesRunningOne();
    void cancelDropsTheResult();
    void destructionWhileTesting();

private:
    ConnectionSettings sqlite(const QString &file) const;
    ConnectionSettings silent(const SilentServer &server) const;
    /// The message a run (RowSource) gives for the same settings.
    QString runMessage(const ConnectionSettings &settings, const QString &password);
    QString sqliteVersion(const QString &file);

    QTemporaryDir m_dir;
    ConnectionSettings m_pg;
    QString m_oneTable; ///< sensors.db: 3 rows in 1 table
    QString m_twoTables; ///< shop.db: 2 + 5 rows in 2 tables
    QString m_noTables; ///< empty.db
};

void TstConnectionTester::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s));
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QPSQL"_s));
    QString error;
    m_pg = PgTestServer::settings(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    m_oneTable = SqliteFixture::create(
        m_dir.path(), u"sensors.db"_s, {u"CREATE TABLE sensors (id INTEGER, name TEXT)"_s},
        u"sensors"_s, {{1, u"a"_s}, {2, u"b"_s}, {3, u"c"_s}}, &error);
    QVERIFY2(!m_oneTable.isEmpty(), qPrintable(error));
    m_twoTables = SqliteFixture::create(
        m_dir.path(), u"shop.db"_s,
        {u"CREATE TABLE orders (id INTEGER)"_s, u"CREATE TABLE \"odd name\" (x)"_s,
         u"INSERT INTO \"odd name\" VALUES (1), (2), (3), (4), (5)"_s},
        u"orders"_s, {{10}, {11}}, &error);
    QVERIFY2(!m_twoTables.isEmpty(), qPrintable(error));
    m_noTables = SqliteFixture::create(
        m_dir.path(), u"empty.db"_s, {u"CREATE TABLE t (x)"_s, u"DROP TABLE t"_s}, {}, {}, &error);
    QVERIFY2(!m_noTables.isEmpty(), qPrintable(error));
}

void TstConnectionTester::init()
{
    // Qt SQL reports connections still in use or used from the wrong thread as warnings.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void TstConnectionTester::cleanup()
{
    QTRY_VERIFY2(testConnections().isEmpty(), qPrintable(testConnections().join(u' ')));
}

ConnectionSettings TstConnectionTester::sqlite(const QString &file) const
{
    ConnectionSettings settings;
    settings.driver = u"QSQLITE"_s;
    settings.database = file;
    return settings;
}

ConnectionSettings TstConnectionTester::silent(const SilentServer &server) const
{
    ConnectionSettings settings = m_pg;
    settings.port = server.port();
    return settings;
}

QString TstConnectionTester::runMessage(const ConnectionSettings &settings, const QString &password)
{
    QuerySpec query;
    query.sql = u"SELECT 1"_s;
    RowSource source(settings, query, 10, password);
    QStringList errors;
    bool opened = false;
    connect(&source, &RowSource::failed, this,
            [&errors](const SourceFailure &failure) { errors.append(failure.message); });
    connect(&source, &RowSource::opened, this, [&opened] { opened = true; });
    source.start();
    [&] {
        QTRY_VERIFY(opened || !errors.isEmpty());
    }();
    return errors.value(0);
}

QString TstConnectionTester::sqliteVersion(const QString &file)
{
    QList<QVariantList> rows;
    QString error;
    if (!SqliteFixture::select(file, u"SELECT sqlite_version()"_s, &rows, &error))
        return error;
    return rows.value(0).value(0).toString();
}

void TstConnectionTester::sqliteOk_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("relative");
    QTest::addColumn<QString>("details");

    QTest::newRow("one table") << m_oneTable << false << u"sensors.db, 3 rows in 1 table"_s;
    QTest::newRow("two tables") << m_twoTables << false << u"shop.db, 7 rows in 2 tables"_s;
    QTest::newRow("no tables") << m_noTables << false << u"empty.db, no tables"_s;
    QTest::newRow("relative to baseDir")
        << m_oneTable << true << u"sensors.db, 3 rows in 1 table"_s;
}

void TstConnectionTester::sqliteOk()
{
    QFETCH(QString, file);
    QFETCH(bool, relative);
    QFETCH(QString, details);

    ConnectionSettings settings = sqlite(file);
    if (relative) {
        settings.database = QFileInfo(file).fileName();
        settings.baseDir = QFileInfo(file).absolutePath();
    }
    const QString version = sqliteVersion(file);
    QVERIFY2(QRegularExpression(u"^\\d+\\.\\d+"_s).match(version).hasMatch(), qPrintable(version));

    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(settings, {});
    QVERIFY(tester.isTesting());
    QTRY_COMPARE(results.list.size(), 1);
    QVERIFY2(results.list.first().ok, qPrintable(results.list.first().message));
    QCOMPARE(results.list.first().message, u"Connected to SQLite %1 (%2)"_s.arg(version, details));
    QVERIFY(!tester.isTesting());
    QTRY_COMPARE(tester.runningWorkers(), 0);
}

void TstConnectionTester::answersLaterNeverInsideTest()
{
    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(sqlite(m_oneTable), {});
    // Even a test that is over at once answers through the event loop: a caller can set
    // up its busy state after test() without racing the answer.
    QThread::yieldCurrentThread();
    QVERIFY(results.list.isEmpty());
    QVERIFY(tester.isTesting());
    QTRY_COMPARE(results.list.size(), 1);
}

void TstConnectionTester::failuresReadAsTheRunWordsThem_data()
{
    QTest::addColumn<ConnectionSettings>("settings");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("contains");

    ConnectionSettings missing = sqlite(m_dir.filePath(u"nowhere/missing.db"_s));
    QTest::newRow("missing file") << missing << QString() << u"does not exist"_s;
    ConnectionSettings noFile = sqlite({});
    QTest::newRow("no file") << noFile << QString() << u"no SQLite file given"_s;
    ConnectionSettings foo;
    foo.driver = u"QFOO"_s;
    foo.database = u"x"_s;
    QTest::newRow("driver not installed") << foo << QString() << u"is not available"_s;
    ConnectionSettings wrong = m_pg;
    wrong.user = QLatin1String(PgTestServer::PasswordRole);
    QTest::newRow("wrong password")
        << wrong << u"Not-The-Password-31337"_s << u"password authentication failed"_s;
    ConnectionSettings closed = m_pg;
    closed.port = closedPort();
    QTest::newRow("closed port") << closed << QString() << u"Connection refused"_s;
    ConnectionSettings noDatabase = m_pg;
    noDatabase.database = u"sluice_no_such_database"_s;
    QTest::newRow("no such database")
        << noDatabase << QString() << u"database \"sluice_no_such_database\" does not exist"_s;
}

void TstConnectionTester::failuresReadAsTheRunWordsThem()
{
    QFETCH(ConnectionSettings, settings);
    QFETCH(QString, password);
    QFETCH(QString, contains);

    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(settings, password);
    QTRY_COMPARE(results.list.size(), 1);
    const Result result = results.list.first();
    QVERIFY(!result.ok);
    QVERIFY2(result.message.contains(contains), qPrintable(result.message));
    if (!password.isEmpty())
        QVERIFY(!result.message.contains(password));
    QCOMPARE(result.message, runMessage(settings, password));
}

void TstConnectionTester::missingFileIsNotCreated()
{
    const QString file = m_dir.filePath(u"missing/none.db"_s);
    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(sqlite(file), {});
    QTRY_COMPARE(results.list.size(), 1);
    QVERIFY(!results.list.first().ok);
    QCOMPARE(results.list.first().message,
             u"source.database: SQLite file \"%1\" does not exist"_s.arg(file));
    QVERIFY(!QFile::exists(file));
    QVERIFY(!QFile::exists(m_dir.filePath(u"missing"_s)));

    // An existing folder does not tempt it to create the file either.
    const QString inDir = m_dir.filePath(u"none.db"_s);
    tester.test(sqlite(inDir), {});
    QTRY_COMPARE(results.list.size(), 2);
    QVERIFY(!results.list.last().ok);
    QVERIFY(!QFile::exists(inDir));
}

void TstConnectionTester::driverNotInstalled()
{
    ConnectionSettings settings;
    settings.driver = u"QFOO"_s;
    settings.database = u"x"_s;
    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(settings, {});
    QTRY_COMPARE(results.list.size(), 1);
    QVERIFY(!results.list.first().ok);
    QCOMPARE(results.list.first().message,
             u"source.driver: the Qt SQL driver \"QFOO\" is not available (installed: %1)"_s.arg(
                 QSqlDatabase::drivers().join(u", "_s)));
}

void TstConnectionTester::postgresOk()
{
    QList<QVariantList> rows;
    QString error;
    QVERIFY2(PgTestServer::select(u"SHOW server_version"_s, &rows, &error), qPrintable(error));
    // "15.18 (Debian 15.18-0+deb12u1)": the number is what the steward needs.
    const QString version = rows.value(0).value(0).toString().section(u' ', 0, 0);
    QVERIFY(!version.isEmpty());

    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(m_pg, {});
    QTRY_COMPARE(results.list.size(), 1);
    const Result result = results.list.first();
    QVERIFY2(result.ok, qPrintable(result.message));
    // Other tests create tables in the same database meanwhile: the count is not fixed.
    const QRegularExpression expected(
        u"^Connected to PostgreSQL %1 \\(database %2, (no tables|1 table|\\d+ tables)\\)$"_s.arg(
            QRegularExpression::escape(version), QRegularExpression::escape(m_pg.database)));
    QVERIFY2(expected.match(result.message).hasMatch(), qPrintable(result.message));
}

void TstConnectionTester::postgresWrongPassword_data()
{
    QTest::addColumn<bool>("fromEnvironment");
    QTest::newRow("typed") << false;
    QTest::newRow("environment variable") << true;
}

void TstConnectionTester::postgresWrongPassword()
{
    QFETCH(bool, fromEnvironment);
    // The role may or may not exist (other tests create and drop it): under
    // scram-sha-256 the server answers a wrong password the same way either way.
    const QString role = QLatin1String(PgTestServer::PasswordRole);
    const QString wrong = u"Wrong-Secret-0815"_s;
    ConnectionSettings settings = m_pg;
    settings.user = role;
    QString password = wrong;
    const char *variable = "SLUICE_TST_CONNECTIONTESTER_PASSWORD";
    if (fromEnvironment) {
        qputenv(variable, wrong.toUtf8());
        settings.passwordEnv = QLatin1String(variable);
        password = u"ignored-when-a-variable-is-named"_s;
    }

    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(settings, password);
    QTRY_COMPARE(results.list.size(), 1);
    qunsetenv(variable);
    const Result result = results.list.first();
    QVERIFY(!result.ok);
    const QString where = u"cannot connect to QPSQL database \"%1\" on %2:%3 as %4: "_s.arg(
        settings.database, settings.host, QString::number(settings.port), role);
    QVERIFY2(result.message.startsWith(where), qPrintable(result.message));
    QVERIFY2(result.message.contains(u"password authentication failed for user \"%1\""_s.arg(role)),
             qPrintable(result.message));
    QVERIFY(!result.message.contains(wrong));
    QVERIFY(!result.message.contains(password));
}

void TstConnectionTester::passwordVariableNotSet()
{
    const char *variable = "SLUICE_TST_CONNECTIONTESTER_UNSET";
    qunsetenv(variable);
    ConnectionSettings settings = m_pg;
    settings.passwordEnv = QLatin1String(variable);
    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(settings, u"typed"_s);
    QVERIFY(results.list.isEmpty());
    QTRY_COMPARE(results.list.size(), 1);
    QVERIFY(!results.list.first().ok);
    QCOMPARE(results.list.first().message,
             u"source.passwordEnv: the environment variable %1 (the database password) is not "
             "set"_s.arg(settings.passwordEnv));
    QVERIFY(!tester.isTesting());
}

void TstConnectionTester::unreachablePortFailsFast()
{
    ConnectionSettings settings = m_pg;
    settings.port = closedPort();
    QVERIFY(settings.port > 0);

    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    QElapsedTimer clock;
    clock.start();
    tester.test(settings, {});
    QTRY_COMPARE(results.list.size(), 1);
    // A refused connection is known at once; only a silent host waits for the timeout.
    QVERIFY2(clock.elapsed() < ConnectionTester::ConnectTimeoutSeconds * 1000 / 2,
             qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!results.list.first().ok);
    QVERIFY2(results.list.first().message.contains(u"Connection refused"_s),
             qPrintable(results.list.first().message));
    QVERIFY2(results.list.first().message.contains(QString::number(settings.port)),
             qPrintable(results.list.first().message));
}

void TstConnectionTester::runGivesUpOnASilentServer()
{
    // A run opens through the same function as the test: it too has a connect timeout by
    // default, and keeps one the options choose.
    QVERIFY2(withConnectTimeout(m_pg).options.contains(
                 u"connect_timeout=%1"_s.arg(SqlConnectTimeoutSeconds)),
             qPrintable(withConnectTimeout(m_pg).options));
    SilentServer server;
    QVERIFY(server.listen());
    ConnectionSettings settings = silent(server);
    settings.options = u"connect_timeout=2"_s; // libpq's shortest
    QCOMPARE(withConnectTimeout(settings).options, settings.options);
    QElapsedTimer clock;
    clock.start();
    const QString message = runMessage(settings, {});
    QCOMPARE(server.accepted(), 1);
    QVERIFY2(clock.elapsed() < 4500, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(message.startsWith(u"cannot connect to QPSQL database"_s), qPrintable(message));
    QVERIFY2(message.contains(u"timeout expired"_s), qPrintable(message));
    server.release();
}

void TstConnectionTester::newTestSupersedesRunningOne()
{
    SilentServer server;
    QVERIFY(server.listen());
    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(silent(server), {});
    QTRY_COMPARE(server.accepted(), 1); // the first test now hangs in its worker
    QCOMPARE(tester.runningWorkers(), 1);

    tester.test(sqlite(m_oneTable), {});
    QTRY_COMPARE(results.list.size(), 1);
    QVERIFY2(results.list.first().ok, qPrintable(results.list.first().message));
    QVERIFY(results.list.first().message.startsWith(u"Connected to SQLite"_s));
    QVERIFY(!tester.isTesting());
    QCOMPARE(tester.runningWorkers(), 1);

    // The first test ends with an error, which nobody asked for any more.
    server.release();
    QTRY_COMPARE(tester.runningWorkers(), 0);
    QCOMPARE(results.list.size(), 1);
    QVERIFY(!tester.isTesting());
}

void TstConnectionTester::cancelDropsTheResult()
{
    SilentServer server;
    QVERIFY(server.listen());
    ConnectionTester tester;
    Results results;
    results.listen(this, &tester);
    tester.test(silent(server), {});
    QTRY_COMPARE(server.accepted(), 1);
    tester.cancel();
    QVERIFY(!tester.isTesting());
    server.release();
    QTRY_COMPARE(tester.runningWorkers(), 0);
    QVERIFY(results.list.isEmpty());

    // The tester is still usable.
    tester.test(sqlite(m_oneTable), {});
    QTRY_COMPARE(results.list.size(), 1);
    QVERIFY(results.list.first().ok);
}

void TstConnectionTester::destructionWhileTesting()
{
    SilentServer server;
    QVERIFY(server.listen());
    auto tester = std::make_unique<ConnectionTester>();
    Results results;
    results.listen(this, tester.get());
    tester->test(silent(server), {});
    QTRY_COMPARE(server.accepted(), 1);
    QVERIFY(!testConnections().isEmpty()); // the worker holds its connection

    QElapsedTimer clock;
    clock.start();
    tester.reset();
    // The destructor does not wait for the hanging worker.
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));

    server.release();
    // The worker ends on its own and removes its connection in its own thread.
    QTRY_VERIFY(testConnections().isEmpty());
    QVERIFY(results.list.isEmpty());
}

QTEST_GUILESS_MAIN(TstConnectionTester)
#include "tst_connectiontester.moc"
