// SPDX-License-Identifier: GPL-3.0-or-later
// net/cafile: where target.caFile points and what it holds; and, with the test sink over
// TLS, that trusting the CA it names is what lets a request through.
#include <memory>

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include "net/cafile.h"
#include "testdata.h"
#include "testsink.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

constexpr int ReplyWaitMs = 15000;

// moc would read "//" in a raw string literal as a comment: an ordinary literal.
const QByteArray TransferWithCaFile
    = "{\"version\": 1,\n"
      " \"source\": {\"driver\": \"QSQLITE\", \"database\": \"data.db\"},\n"
      " \"query\": {\"sql\": \"SELECT 1\"},\n"
      " \"target\": {\"url\": \"https://127.0.0.1/items\", \"caFile\": \"certs/corp-ca.pem\"}}\n";

QByteArray readAll(const QString &fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", qPrintable(fileName));
    return file.readAll();
}

bool writeFile(const QString &fileName, const QByteArray &data)
{
    QFile file(fileName);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QString commonName(const QSslCertificate &certificate)
{
    return certificate.subjectInfo(QSslCertificate::CommonName).join(u", "_s);
}

} // namespace

class tst_CaFile : public QObject
{
    Q_OBJECT

private slots:
    void resolve_data();
    void resolve();
    void resolvedFromSpec();
    void readsTheTestCa();
    void readsABundleInOrder();
    void refuses_data();
    void refuses();
    void nullOutputs();
    void tlsSinkNeedsTheCa_data();
    void tlsSinkNeedsTheCa();
    void plainSinkStaysHttp();
};

void tst_CaFile::resolve_data()
{
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("baseDir");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << QString() << u"/data/transfers"_s << QString();
    QTest::newRow("absolute") << u"/etc/ssl/corp-ca.pem"_s << u"/data/transfers"_s
                              << u"/etc/ssl/corp-ca.pem"_s;
    QTest::newRow("absolute, cleaned")
        << u"/etc/ssl/./x/../corp-ca.pem"_s << QString() << u"/etc/ssl/corp-ca.pem"_s;
    QTest::newRow("next to the file")
        << u"ca.pem"_s << u"/data/transfers"_s << u"/data/transfers/ca.pem"_s;
    QTest::newRow("below the file")
        << u"certs/ca.pem"_s << u"/data/transfers"_s << u"/data/transfers/certs/ca.pem"_s;
    QTest::newRow("above the file")
        << u"../certs/ca.pem"_s << u"/data/transfers"_s << u"/data/certs/ca.pem"_s;
    QTest::newRow("never saved: working folder")
        << u"ca.pem"_s << QString() << QDir::cleanPath(QDir::currentPath() + u"/ca.pem"_s);
}

void tst_CaFile::resolve()
{
    QFETCH(QString, caFile);
    QFETCH(QString, baseDir);
    QFETCH(QString, expected);
    QCOMPARE(resolveCaFile(caFile, baseDir), expected);
}

void tst_CaFile::resolvedFromSpec()
{
    // A loaded transfer's folder is source.baseDir, and target.caFile is relative to it.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(u"transfer.json"_s);
    QVERIFY(writeFile(fileName, TransferWithCaFile));
    TransferSpec spec;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::load(fileName, &spec, &errors));
    QCOMPARE(spec.target.caFile, u"certs/corp-ca.pem"_s);
    QCOMPARE(resolvedCaFile(spec), dir.filePath(u"certs/corp-ca.pem"_s));

    spec.target.caFile.clear();
    QCOMPARE(resolvedCaFile(spec), QString());
}

void tst_CaFile::readsTheTestCa()
{
    QList<QSslCertificate> certificates;
    QString error;
    QVERIFY2(readCaFile(TestSink::tlsCaFile(), &certificates, &error), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(certificates.size(), 1);
    QVERIFY(certificates.first().isSelfSigned());
    QVERIFY2(commonName(certificates.first()).startsWith(u"Sluice test CA"_s),
             qPrintable(commonName(certificates.first())));
}

void tst_CaFile::readsABundleInOrder()
{
    // A bundle as a corporate CA file often is: several certificates, text between them.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString bundle = dir.filePath(u"bundle.pem"_s);
    QVERIFY(writeFile(bundle,
                      "Corporate CAs\n" + readAll(TestSink::tlsCaFile()) + "\n# next\n"
                          + readAll(testDataPath(u"tls/server.pem"_s))));
    QList<QSslCertificate> certificates;
    QString error;
    QVERIFY2(readCaFile(bundle, &certificates, &error), qPrintable(error));
    QCOMPARE(certificates.size(), 2);
    QVERIFY(commonName(certificates.at(0)).startsWith(u"Sluice test CA"_s));
    QCOMPARE(commonName(certificates.at(1)), u"127.0.0.1"_s);
}

void tst_CaFile::refuses_data()
{
    QTest::addColumn<QString>("name"); ///< file in a temporary folder; "" for the folder itself
    QTest::addColumn<QByteArray>("content"); ///< not written when null
    QTest::addColumn<QString>("expected"); ///< %1: the file's absolute path; %2: QFile's reason

    const QByteArray ca = readAll(TestSink::tlsCaFile());
    QByteArray broken = ca;
    broken.replace(200, 20, QByteArray(20, 'A')); // still base64, no longer a certificate

    QTest::newRow("missing") << u"missing.pem"_s << QByteArray()
                             << u"target.caFile: cannot read %1: %2"_s;
    QTest::newRow("folder") << QString() << QByteArray()
                            << u"target.caFile: cannot read %1: it is a folder"_s;
    QTest::newRow("empty") << u"empty.pem"_s << QByteArray("")
                           << u"target.caFile: %1 holds no PEM certificate"_s;
    QTest::newRow("a key, no certificate")
        << u"server.key"_s << readAll(testDataPath(u"tls/server.key"_s))
        << u"target.caFile: %1 holds no PEM certificate"_s;
    QTest::newRow("DER, not PEM") << u"ca.der"_s << QSslCertificate(ca, QSsl::Pem).toDer()
                                  << u"target.caFile: %1 holds no PEM certificate"_s;
    QTest::newRow("broken only") << u"broken.pem"_s << broken
                                 << u"target.caFile: %1: certificate 1 of 1 cannot be read"_s;
    QTest::newRow("second of three broken")
        << u"bundle.pem"_s << ca + broken + ca
        << u"target.caFile: %1: certificate 2 of 3 cannot be read"_s;
    QByteArray unterminated = ca;
    unterminated.chop(unterminated.size() - unterminated.indexOf("-----END"));
    QTest::newRow("no end line") << u"cut.pem"_s << ca + unterminated
                                 << u"target.caFile: %1: certificate 2 of 2 cannot be read"_s;
}

void tst_CaFile::refuses()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = name.isEmpty() ? dir.path() : dir.filePath(name);
    if (!content.isNull())
        QVERIFY(writeFile(path, content));
    QFile probe(path);
    const QString reason = probe.open(QIODevice::ReadOnly) ? QString() : probe.errorString();

    // Left alone on failure: a caller's list of CAs is not half replaced.
    const QList<QSslCertificate> before = QSslCertificate::fromPath(TestSink::tlsCaFile());
    QCOMPARE(before.size(), 1);
    QList<QSslCertificate> certificates = before;
    QString error;
    QVERIFY(!readCaFile(path, &certificates, &error));
    QCOMPARE(error, expected.contains(u"%2"_s) ? expected.arg(path, reason) : expected.arg(path));
    QCOMPARE(certificates, before);
}

void tst_CaFile::nullOutputs()
{
    QVERIFY(readCaFile(TestSink::tlsCaFile(), nullptr, nullptr));
    QVERIFY(!readCaFile(testDataPath(u"tls/missing.pem"_s), nullptr, nullptr));
}

void tst_CaFile::tlsSinkNeedsTheCa_data()
{
    QTest::addColumn<bool>("trustTestCa");
    QTest::newRow("trusting the test CA") << true;
    QTest::newRow("system CAs only") << false;
}

void tst_CaFile::tlsSinkNeedsTheCa()
{
    QFETCH(bool, trustTestCa);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend with SSL sockets (OpenSSL) in this Qt");

    TestSink sink(TestSink::Transport::Https);
    QVERIFY(sink.isListening());
    QCOMPARE(sink.url(u"/items"_s).scheme(), u"https"_s);

    QNetworkRequest request(sink.url(u"/items"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (trustTestCa) {
        QList<QSslCertificate> certificates;
        QString error;
        QVERIFY2(readCaFile(TestSink::tlsCaFile(), &certificates, &error), qPrintable(error));
        tls.addCaCertificates(certificates);
    }
    request.setSslConfiguration(tls);

    QNetworkAccessManager network;
    std::unique_ptr<QNetworkReply> reply(network.post(request, R"({"id":7})"));
    QSignalSpy sslErrors(reply.get(), &QNetworkReply::sslErrors);
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), ReplyWaitMs);

    if (trustTestCa) {
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        QCOMPARE(sslErrors.count(), 0);
        QCOMPARE(sink.requestCount(), 1);
        QCOMPARE(sink.requests().first().body, QByteArray(R"({"id":7})"));
        QCOMPARE(sink.countById().value(u"7"_s), 1);
    } else {
        // The certificate is fine but its issuer is unknown: the handshake fails and nothing
        // reaches the sink.
        QCOMPARE(reply->error(), QNetworkReply::SslHandshakeFailedError);
        QCOMPARE(sslErrors.count(), 1);
        const auto errors = sslErrors.first().first().value<QList<QSslError>>();
        QVERIFY(!errors.isEmpty());
        QCOMPARE(errors.first().error(), QSslError::UnableToGetLocalIssuerCertificate);
        QCOMPARE(sink.requestCount(), 0);
    }
}

void tst_CaFile::plainSinkStaysHttp()
{
    // The sink the other tests use is unchanged: plain http.
    TestSink sink;
    QVERIFY(sink.isListening());
    QCOMPARE(sink.transport(), TestSink::Transport::Http);
    QCOMPARE(sink.url(u"/x"_s), QUrl(u"http://127.0.0.1:%1/x"_s.arg(sink.port())));

    QNetworkAccessManager network;
    QNetworkRequest request(sink.url(u"/x"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(network.post(request, R"({"id":1})"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), ReplyWaitMs);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(sink.requestCount(), 1);
}

QTEST_GUILESS_MAIN(tst_CaFile)
#include "tst_cafile.moc"
