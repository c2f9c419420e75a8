// SPDX-License-Identifier: GPL-3.0-or-later
// The real OS keychain: QtKeychain against gnome-keyring's Secret Service in a private D-Bus
// session (tests/scripts/keychain-session.sh starts both; CTest runs this test through it).
// Entries are written through SecretStore and read back by the real `sluice run`.

#include "sluiceprocess.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include "util/secretstore.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;

namespace {

using Result = SluiceRun;

SecretStore::Answer writeEntry(SecretStore &store, const QString &entry, const QString &value)
{
    return SecretStore::wait([&](QObject *context, SecretStore::Callback done) {
        store.write(entry, value, context, std::move(done));
    });
}

SecretStore::Answer readEntry(SecretStore &store, const QString &entry)
{
    return SecretStore::wait([&](QObject *context, SecretStore::Callback done) {
        store.read(entry, context, std::move(done));
    });
}

SecretStore::Answer removeEntry(SecretStore &store, const QString &entry)
{
    return SecretStore::wait([&](QObject *context, SecretStore::Callback done) {
        store.remove(entry, context, std::move(done));
    });
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void storeWritesReadsAndRemoves();
    void sluiceRunReadsTheKeychain();
    void missingEntryStopsTheRun();
    void unreachableKeychainStopsTheRun();
    void validateReadsTheKeychain();

private:
    Result runSluice(const QStringList &arguments, const QProcessEnvironment &environment);
    QString writeTransfer(const QString &entry);

    QString m_sluice;
    QTemporaryDir m_dir;
    TestSink m_sink;
    std::shared_ptr<SecretStore> m_store;
    QString m_entry;
    QString m_token;
};

void TestKeychain::initTestCase()
{
    const QString keychain = qEnvironmentVariable("SLUICE_KEYCHAIN");
    if (keychain != QLatin1String("ready")) {
        const QString why = keychain == QLatin1String("absent")
            ? QStringLiteral("gnome-keyring or dbus-run-session is not installed")
            : QStringLiteral("not started by tests/scripts/keychain-session.sh (run via ctest)");
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL(qPrintable(why + QStringLiteral(" (CI must run this test)")));
        QSKIP(qPrintable(why));
    }
    m_sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(m_sluice).isExecutable(),
             "SLUICE_BINARY must name the sluice executable (run via ctest)");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QString error;
    QVERIFY2(!SqliteFixture::create(m_dir.path(), QStringLiteral("kc.db"),
                                    {QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY)")},
                                    QStringLiteral("t"), {{1}, {2}, {3}}, &error)
                  .isEmpty(),
             qPrintable(error));
    m_store = makeKeychainStore();
    m_entry
        = QStringLiteral("sluice test/api token %1").arg(QRandomGenerator::global()->generate());
    m_token = QStringLiteral("Bearer kc-%1").arg(QRandomGenerator::global()->generate64());
}

void TestKeychain::cleanupTestCase()
{
    if (m_store)
        removeEntry(*m_store, m_entry);
}

Result TestKeychain::runSluice(const QStringList &arguments, const QProcessEnvironment &environment)
{
    SluiceCall call;
    call.environment = environment;
    return ::runSluice(m_sluice, arguments, call);
}

QString TestKeychain::writeTransfer(const QString &entry)
{
    const QString text = QStringLiteral(R"({
  "version": 1,
  "source": { "driver": "QSQLITE", "database": "kc.db" },
  "query": { "sql": "SELECT id FROM t ORDER BY id" },
  "target": { "url": "%1", "headersKeychain": { "Authorization": "%2" } },
  "run": { "maxRetries": 0 }
})")
                             .arg(m_sink.url(QStringLiteral("/items")).toString(), entry);
    const QString path = m_dir.filePath(QStringLiteral("kc.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(text.toUtf8());
    return path;
}

void TestKeychain::storeWritesReadsAndRemoves()
{
    const QString entry = m_entry + QStringLiteral(" (round trip)");
    QCOMPARE(readEntry(*m_store, entry).status, SecretStore::Status::NotFound);
    SecretStore::Answer a = writeEntry(*m_store, entry, QStringLiteral("pw ü"));
    QVERIFY2(a.status == SecretStore::Status::Ok, qPrintable(a.error));
    a = readEntry(*m_store, entry);
    QVERIFY2(a.status == SecretStore::Status::Ok, qPrintable(a.error));
    QCOMPARE(a.value, QStringLiteral("pw ü"));
    QCOMPARE(removeEntry(*m_store, entry).status, SecretStore::Status::Ok);
    QCOMPARE(readEntry(*m_store, entry).status, SecretStore::Status::NotFound);
}

void TestKeychain::sluiceRunReadsTheKeychain()
{
    const SecretStore::Answer a = writeEntry(*m_store, m_entry, m_token);
    QVERIFY2(a.status == SecretStore::Status::Ok, qPrintable(a.error));
    m_sink.clear();
    const Result r = runSluice({QStringLiteral("run"), writeTransfer(m_entry)},
                               QProcessEnvironment::systemEnvironment());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QLatin1String("delivered 3, failed 0, invalid 0 in ")),
             qPrintable(r.out));
    QCOMPARE(m_sink.requestCount(), 3);
    for (const TestSink::Request &request : m_sink.requests())
        QCOMPARE(request.header("Authorization"), m_token.toUtf8());
    QVERIFY(!r.out.contains(m_token) && !r.err.contains(m_token));
}

void TestKeychain::missingEntryStopsTheRun()
{
    m_sink.clear();
    const QString entry = m_entry + QStringLiteral(" (never written)");
    const Result r = runSluice({QStringLiteral("run"), writeTransfer(entry)},
                               QProcessEnvironment::systemEnvironment());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("sluice run: target.headersKeychain.Authorization: no "
                                           "entry \"%1\" in the keychain (service \"Sluice\")")
                                .arg(entry)),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestKeychain::unreachableKeychainStopsTheRun()
{
    m_sink.clear();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                       QStringLiteral("unix:path=") + m_dir.filePath(QStringLiteral("no-bus")));
    environment.remove(QStringLiteral("DISPLAY"));
    const Result r = runSluice({QStringLiteral("run"), writeTransfer(m_entry)}, environment);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("sluice run: target.headersKeychain.Authorization: "
                                           "cannot read the entry \"%1\" from the keychain "
                                           "(service \"Sluice\"): ")
                                .arg(m_entry)),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0);
}

void TestKeychain::validateReadsTheKeychain()
{
    // `sluice validate` asks the keychain as the run would, and says what is wrong the same way.
    const SecretStore::Answer a = writeEntry(*m_store, m_entry, m_token);
    QVERIFY2(a.status == SecretStore::Status::Ok, qPrintable(a.error));
    m_sink.clear();
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    Result r = runSluice({QStringLiteral("validate"), writeTransfer(m_entry)}, system);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!r.out.contains(m_token) && !r.err.contains(m_token));

    const QString missing = m_entry + QStringLiteral(" (never written)");
    r = runSluice({QStringLiteral("validate"), writeTransfer(missing)}, system);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("no entry \"%1\" in the keychain (service "
                                           "\"Sluice\") [target.headersKeychain.Authorization]")
                                .arg(missing)),
             qPrintable(r.err));

    QProcessEnvironment noBus = system;
    noBus.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                 QStringLiteral("unix:path=") + m_dir.filePath(QStringLiteral("no-bus")));
    noBus.remove(QStringLiteral("DISPLAY"));
    r = runSluice({QStringLiteral("validate"), writeTransfer(m_entry)}, noBus);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("cannot read the entry \"%1\" from the keychain "
                                           "(service \"Sluice\"): ")
                                .arg(m_entry)),
             qPrintable(r.err));
    QCOMPARE(m_sink.requestCount(), 0); // nothing is sent
}

QTEST_MAIN(TestKeychain)
#include "tst_keychain.moc"
