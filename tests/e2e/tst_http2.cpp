// SPDX-License-Identifier: GPL-3.0-or-later
// The protocol Sluice speaks with a real HTTP/2 server (nginx, CTest fixture "nginx"): HTTP/2
// negotiated over TLS, h2c with prior knowledge, HTTP/1.1 when asked or offered, a trusted CA
// file, and few connections for many streams.
#include <QFile>
#include <QSet>
#include <QSslCertificate>
#include <QTest>
#include <QThread>

#include "net/dispatcher.h"

using namespace sluice;

Q_DECLARE_METATYPE(sluice::Http2Mode)

namespace {

constexpr int LongWaitMs = 60000;

struct Nginx
{
    QString dir;
    QHash<QString, int> ports;

    bool load(QString *error)
    {
        dir = qEnvironmentVariable("SLUICE_NGINX_DIR");
        QFile file(dir + QStringLiteral("/ports.env"));
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("no %1 (is the nginx fixture running?)").arg(file.fileName());
            return false;
        }
        for (const QByteArray &line : file.readAll().split('\n')) {
            const qsizetype eq = line.indexOf('=');
            if (eq > 0)
                ports.insert(QString::fromLatin1(line.left(eq)), line.mid(eq + 1).toInt());
        }
        return ports.size() == 4;
    }

    /// (connection, protocol) of every request logged since `from` lines.
    QList<QPair<QByteArray, QByteArray>> requests(qsizetype from) const
    {
        QList<QPair<QByteArray, QByteArray>> result;
        QFile file(dir + QStringLiteral("/access.log"));
        if (!file.open(QIODevice::ReadOnly))
            return result;
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (qsizetype i = from; i < lines.size(); ++i) {
            const QList<QByteArray> fields = lines.at(i).split(' ');
            if (fields.size() >= 3)
                result.append({fields.at(0), fields.at(1)});
        }
        return result;
    }

    qsizetype logLines() const
    {
        QFile file(dir + QStringLiteral("/access.log"));
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        return file.readAll().count('\n');
    }
};

QList<Item> makeItems(int count)
{
    QList<Item> items;
    for (int id = 0; id < count; ++id) {
        Item item;
        item.id = id;
        item.key = QString::number(id);
        item.payload = QStringLiteral("{\"id\":%1,\"value\":12.50}").arg(id).toUtf8();
        items.append(item);
    }
    return items;
}

QList<QSslCertificate> testCa()
{
    return QSslCertificate::fromPath(qEnvironmentVariable("SLUICE_SOURCE_DIR")
                                     + QStringLiteral("/tests/data/tls/ca.pem"));
}

struct Outcome
{
    QStringList protocols;
    QList<ItemResult> results;
};

Outcome run(const QString &url, Http2Mode http2, int concurrency, int count,
            const QList<QSslCertificate> &ca = testCa(), int maxRetries = 2)
{
    DispatchConfig config;
    config.url = url;
    config.concurrency = concurrency;
    config.http2 = http2;
    config.caCertificates = ca;
    config.retry.maxRetries = maxRetries;
    config.retry.baseDelayMs = 10;
    config.retry.maxDelayMs = 50;
    Dispatcher dispatcher(config);
    Outcome outcome;
    QObject context;
    QObject::connect(&dispatcher, &Dispatcher::protocolChanged, &context,
                     [&outcome](const QString &protocol) { outcome.protocols.append(protocol); });
    QObject::connect(&dispatcher, &Dispatcher::itemFinished, &context,
                     [&outcome](const ItemResult &result) { outcome.results.append(result); });
    dispatcher.submit(makeItems(count));
    (void)QTest::qWaitFor([&outcome, count] { return outcome.results.size() == count; },
                          LongWaitMs);
    return outcome;
}

} // namespace

class TestHttp2 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void protocolIsNegotiated_data();
    void protocolIsNegotiated();
    void manyStreamsFewConnections();
    void untrustedCertificateFails();

private:
    Nginx m_nginx;
};

void TestHttp2::initTestCase()
{
    QString error;
    QVERIFY2(m_nginx.load(&error), qPrintable(error));
    QVERIFY(!testCa().isEmpty());
}

void TestHttp2::protocolIsNegotiated_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("port");
    QTest::addColumn<Http2Mode>("http2");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QByteArray>("logged");
    QTest::newRow("https, auto, server offers h2")
        << "https"
        << "H2_PORT" << Http2Mode::Auto << "HTTP/2 over TLS" << QByteArray("HTTP/2.0");
    QTest::newRow("https, off") << "https"
                                << "H2_PORT" << Http2Mode::Off << "HTTP/1.1 over TLS"
                                << QByteArray("HTTP/1.1");
    QTest::newRow("https, auto, server without h2")
        << "https"
        << "TLS11_PORT" << Http2Mode::Auto << "HTTP/1.1 over TLS" << QByteArray("HTTP/1.1");
    QTest::newRow("http, prior knowledge (h2c)")
        << "http"
        << "H2C_PORT" << Http2Mode::PriorKnowledge << "HTTP/2 cleartext (h2c)"
        << QByteArray("HTTP/2.0");
    QTest::newRow("http, auto") << "http"
                                << "HTTP_PORT" << Http2Mode::Auto << "HTTP/1.1"
                                << QByteArray("HTTP/1.1");
}

void TestHttp2::protocolIsNegotiated()
{
    QFETCH(QString, scheme);
    QFETCH(QString, port);
    QFETCH(Http2Mode, http2);
    QFETCH(QString, expected);
    QFETCH(QByteArray, logged);
    const qsizetype before = m_nginx.logLines();
    const QString url
        = QStringLiteral("%1://127.0.0.1:%2/items").arg(scheme).arg(m_nginx.ports.value(port));
    constexpr int Count = 200;
    const Outcome outcome = run(url, http2, 16, Count);
    QCOMPARE(outcome.results.size(), Count);
    for (const ItemResult &result : outcome.results)
        QVERIFY2(result.status == ItemStatus::Delivered, qPrintable(result.error));
    QCOMPARE(outcome.protocols, QStringList {expected});
    QTRY_COMPARE(m_nginx.requests(before).size(), Count);
    for (const auto &[connection, protocol] : m_nginx.requests(before))
        QCOMPARE(protocol, logged);
}

void TestHttp2::manyStreamsFewConnections()
{
    // 100 requests at once over HTTP/2: a connection per lane, not one per six requests.
    const qsizetype before = m_nginx.logLines();
    const QString url = QStringLiteral("https://127.0.0.1:%1/items")
                            .arg(m_nginx.ports.value(QStringLiteral("H2_PORT")));
    constexpr int Count = 2000;
    const Outcome outcome = run(url, Http2Mode::Auto, 100, Count);
    QCOMPARE(outcome.results.size(), Count);
    QTRY_COMPARE(m_nginx.requests(before).size(), Count);
    QSet<QByteArray> connections;
    for (const auto &[connection, protocol] : m_nginx.requests(before))
        connections.insert(connection);
    // One for the probe's lane and one for the other lane (machines with more cores may use a
    // few more lanes), far fewer than the 17 HTTP/1.1 would need.
    QVERIFY2(connections.size() <= std::max(2, QThread::idealThreadCount()),
             qPrintable(QString::number(connections.size())));
}

void TestHttp2::untrustedCertificateFails()
{
    const QString url = QStringLiteral("https://127.0.0.1:%1/items")
                            .arg(m_nginx.ports.value(QStringLiteral("H2_PORT")));
    const Outcome outcome = run(url, Http2Mode::Auto, 2, 2, {}, 0);
    QCOMPARE(outcome.results.size(), 2);
    for (const ItemResult &result : outcome.results) {
        QCOMPARE(result.status, ItemStatus::Failed);
        QVERIFY2(result.error.contains(u"SSL", Qt::CaseInsensitive)
                     || result.error.contains(u"certificate", Qt::CaseInsensitive),
                 qPrintable(result.error));
    }
}

QTEST_GUILESS_MAIN(TestHttp2)
#include "tst_http2.moc"
