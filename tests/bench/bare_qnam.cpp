// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test): the least code that POSTs N JSON bodies with Qt's QNetworkAccessManager
// the way a careful programmer would, as the yardstick for Sluice's CPU per request: no queue,
// no retries, no items, no log; just a bounded number of requests in flight per manager
// (at most 6 on HTTP/1.1, Qt 6.4's connections per host and manager, so nothing waits inside
// QNAM; a window of streams on one manager for HTTP/2), the next request sent from the
// finished() of the last one.
//
//   bare_qnam --url URL [--requests N] [--concurrency C] [--managers M] [--threads T]
//             [--http2 auto|prior-knowledge|off] [--ca FILE] [--payloads FILE]
//
// Managers: ceil(C/6) for HTTP/1.1, 1 for HTTP/2 (prior-knowledge, or auto over https, where
// the server picks by ALPN), unless --managers. They are spread over T QThreads; 0 keeps them
// all in the main thread (each QNAM still has its own internal thread). Only the sending phase
// is measured: from the first request to the last answer, CPU by getrusage(RUSAGE_SELF), which
// covers every thread. Prints one line:
//   RESULT method=bare-qnam requests=N seconds=S items_per_s=R cpu_s=C cpu_us_per_request=U
//          protocol=HTTP/1.1|HTTP/2|mixed
// Every request must get a 2xx: the others are counted, the first few printed, and the exit
// code is 1.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include <sys/resource.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QStringList>
#include <QThread>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

constexpr int MaxPerManagerHttp1 = 6;
constexpr int MaxErrorsShown = 5;

/// The 261-byte item of the shared harness's baselines (json.dumps of one sensors row).
constexpr char DefaultPayload[]
    = R"({"id": 1, "name": "sensor-00002", "site": "wallingford", "latitude": 51.627377, )"
      R"("longitude": -1.136093, "measured_at": "2024-01-01T00:00:16Z", "value": -0.1391, )"
      R"("unit": "m/s", "metadata": {"source": "sensors.db", )"
      R"("transferred_at": "2026-11-24T18:39:34.820057"}})";
static_assert(sizeof(DefaultPayload) - 1 == 261);

double cpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// What every sender shares: the request template, the bodies and the next request's number.
struct Work
{
    QNetworkRequest prototype;
    QList<QByteArray> payloads;
    qint64 total = 0;
    std::atomic<qint64> next {0};

    /// The body of the next request, or nullptr when all have been handed out.
    const QByteArray *take()
    {
        const qint64 n = next.fetch_add(1, std::memory_order_relaxed);
        return n < total ? &payloads.at(static_cast<qsizetype>(n % payloads.size())) : nullptr;
    }
};

/// Some managers, in one thread: keeps each one's window full until the work runs out.
class Sender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Sender)

public:
    Sender(Work *work, std::vector<int> windows)
        : m_work(work)
        , m_windows(std::move(windows))
    { }

    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 http2 = 0;
    QStringList errors;

    /// Runs in the sender's thread: makes the managers there and fills their windows.
    void start()
    {
        for (const int window : m_windows) {
            auto *nam = new QNetworkAccessManager(this);
            connect(nam, &QNetworkAccessManager::finished, this,
                    [this, nam](QNetworkReply *reply) { onFinished(nam, reply); });
            for (int i = 0; i < window; ++i) {
                if (!send(nam))
                    break;
            }
        }
        if (m_inFlight == 0)
            Q_EMIT done();
    }

Q_SIGNALS:
    void done();

private:
    bool send(QNetworkAccessManager *nam)
    {
        const QByteArray *payload = m_work->take();
        if (!payload)
            return false;
        nam->post(m_work->prototype, *payload);
        ++m_inFlight;
        return true;
    }

    void onFinished(QNetworkAccessManager *nam, QNetworkReply *reply)
    {
        --m_inFlight;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->readAll();
        if (reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool())
            ++http2;
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status <= 299) {
            ++succeeded;
        } else {
            ++failed;
            if (errors.size() < MaxErrorsShown)
                errors.append(u"HTTP %1: %2"_s.arg(status).arg(reply->errorString()));
        }
        reply->deleteLater();
        send(nam);
        if (m_inFlight == 0)
            Q_EMIT done();
    }

    Work *m_work;
    std::vector<int> m_windows;
    int m_inFlight = 0;
};

int fail(const QString &message)
{
    std::fprintf(stderr, "bare_qnam: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"POSTs N JSON bodies with bare QNetworkAccessManagers "
                                     "and prints items/s and CPU per request."_s);
    parser.addHelpOption();
    const QCommandLineOption urlOption(u"url"_s, u"Target URL."_s, u"url"_s);
    const QCommandLineOption requestsOption(u"requests"_s, u"Requests to send."_s, u"n"_s,
                                            u"20000"_s);
    const QCommandLineOption concurrencyOption(u"concurrency"_s, u"Requests in flight in all."_s,
                                               u"c"_s, u"16"_s);
    const QCommandLineOption managersOption(
        u"managers"_s, u"Managers (default: ceil(c/6) for HTTP/1.1, 1 for HTTP/2)."_s, u"m"_s);
    const QCommandLineOption threadsOption(
        u"threads"_s, u"QThreads the managers are spread over (0: the main thread)."_s, u"t"_s,
        u"0"_s);
    const QCommandLineOption http2Option(u"http2"_s, u"auto, prior-knowledge or off."_s, u"mode"_s,
                                         u"auto"_s);
    const QCommandLineOption caOption(u"ca"_s, u"PEM file of CA certificates to trust."_s,
                                      u"file"_s);
    const QCommandLineOption payloadsOption(
        u"payloads"_s, u"One JSON body per line, cycled (default: a 261-byte sensor item)."_s,
        u"file"_s);
    parser.addOptions({urlOption, requestsOption, concurrencyOption, managersOption, threadsOption,
                       http2Option, caOption, payloadsOption});
    parser.process(app);

    const QUrl url(parser.value(urlOption));
    if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        return fail(u"--url: an http:// or https:// URL is required"_s);
    bool ok = false;
    const qint64 requests = parser.value(requestsOption).toLongLong(&ok);
    if (!ok || requests < 1)
        return fail(u"--requests: a positive number is required"_s);
    const int concurrency = parser.value(concurrencyOption).toInt(&ok);
    if (!ok || concurrency < 1)
        return fail(u"--concurrency: a positive number is required"_s);
    int threads = parser.value(threadsOption).toInt(&ok);
    if (!ok || threads < 0)
        return fail(u"--threads: 0 or more is required"_s);
    const QString http2 = parser.value(http2Option);
    if (http2 != u"auto"_s && http2 != u"prior-knowledge"_s && http2 != u"off"_s)
        return fail(u"--http2: auto, prior-knowledge or off"_s);
    const bool expectHttp2
        = http2 == u"prior-knowledge"_s || (http2 == u"auto"_s && url.scheme() == u"https"_s);
    int managers = expectHttp2 ? 1 : (concurrency + MaxPerManagerHttp1 - 1) / MaxPerManagerHttp1;
    if (parser.isSet(managersOption)) {
        managers = parser.value(managersOption).toInt(&ok);
        if (!ok || managers < 1 || managers > concurrency)
            return fail(u"--managers: between 1 and the concurrency"_s);
    }

    Work work;
    work.total = requests;
    if (parser.isSet(payloadsOption)) {
        QFile file(parser.value(payloadsOption));
        if (!file.open(QIODevice::ReadOnly))
            return fail(u"--payloads: %1"_s.arg(file.errorString()));
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (!line.isEmpty())
                work.payloads.append(line);
        }
        if (work.payloads.isEmpty())
            return fail(u"--payloads: the file has no lines"_s);
    } else {
        work.payloads.append(QByteArray(DefaultPayload));
    }

    QNetworkRequest &request = work.prototype;
    request.setUrl(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (http2 == u"off"_s)
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    else if (http2 == u"prior-knowledge"_s)
        request.setAttribute(QNetworkRequest::Http2DirectAttribute, true);
    if (parser.isSet(caOption)) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        if (!ssl.addCaCertificates(parser.value(caOption)))
            return fail(u"--ca: no PEM certificate in %1"_s.arg(parser.value(caOption)));
        request.setSslConfiguration(ssl);
    }

    // Windows: the concurrency split evenly over the managers; managers dealt round-robin
    // over the senders, one sender per thread (or one in the main thread).
    const int senderCount = threads == 0 ? 1 : std::min(threads, managers);
    threads = std::min(threads, managers);
    std::vector<std::vector<int>> windows(static_cast<size_t>(senderCount));
    for (int m = 0; m < managers; ++m) {
        windows[static_cast<size_t>(m % senderCount)].push_back(concurrency / managers
                                                                + (m < concurrency % managers));
    }
    if (!expectHttp2 && concurrency > managers * MaxPerManagerHttp1)
        std::fprintf(stderr,
                     "bare_qnam: note: more than %d in flight per manager on HTTP/1.1 "
                     "wait inside QNAM\n",
                     MaxPerManagerHttp1);

    // Senders in worker threads are deleted there (deleteLater, run as the thread ends).
    std::vector<Sender *> senders;
    std::vector<std::unique_ptr<QThread>> workerThreads;
    int running = senderCount;
    for (auto &senderWindows : windows) {
        auto *sender = new Sender(&work, std::move(senderWindows));
        senders.push_back(sender);
        QObject::connect(sender, &Sender::done, &app, [&running] {
            if (--running == 0)
                QCoreApplication::quit();
        });
        if (threads > 0) {
            workerThreads.push_back(std::make_unique<QThread>());
            sender->moveToThread(workerThreads.back().get());
            workerThreads.back()->start();
        }
    }

    QElapsedTimer clock;
    const double cpu0 = cpuSeconds();
    clock.start();
    for (Sender *sender : senders)
        QMetaObject::invokeMethod(sender, &Sender::start, Qt::QueuedConnection);
    QCoreApplication::exec();
    const double seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpu0;

    // Each sender's counters were final when its (queued) done() arrived here.
    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 http2Replies = 0;
    QStringList errors;
    for (const Sender *sender : senders) {
        succeeded += sender->succeeded;
        failed += sender->failed;
        http2Replies += sender->http2;
        errors += sender->errors;
    }
    for (size_t i = 0; i < senders.size(); ++i) {
        if (workerThreads.empty()) {
            delete senders[i];
            continue;
        }
        senders[i]->deleteLater();
        workerThreads[i]->quit();
        workerThreads[i]->wait();
    }

    const qint64 answered = succeeded + failed;
    const char *protocol = http2Replies == 0 ? "HTTP/1.1"
        : http2Replies == answered           ? "HTTP/2"
                                             : "mixed";
    std::printf("RESULT method=bare-qnam requests=%lld seconds=%.3f items_per_s=%.1f cpu_s=%.3f "
                "cpu_us_per_request=%.1f protocol=%s\n",
                static_cast<long long>(answered), seconds, static_cast<double>(answered) / seconds,
                cpu, cpu * 1e6 / static_cast<double>(std::max<qint64>(answered, 1)), protocol);
    std::fflush(stdout);
    if (failed == 0 && succeeded == requests)
        return 0;
    std::fprintf(stderr, "bare_qnam: %lld of %lld requests failed; the first:\n",
                 static_cast<long long>(failed), static_cast<long long>(requests));
    for (const QString &error : std::as_const(errors))
        std::fprintf(stderr, "  %s\n", qPrintable(error));
    return 1;
}

#include "bare_qnam.moc"
