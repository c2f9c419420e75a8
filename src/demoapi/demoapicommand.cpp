// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoapicommand.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QUrl>

#include "demoapiserver.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr quint16 DefaultPort = 8765;

void printLine(FILE *stream, const QString &line)
{
    const QByteArray bytes = line.toLocal8Bit() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

// Self-pipe: the handler only write()s one byte (async-signal-safe); a QSocketNotifier
// on the read end brings the news into the event loop.
int g_signalWriteFd = -1;

extern "C" void onTerminationSignal(int signal)
{
    const int savedErrno = errno;
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_signalWriteFd, &byte, 1);
    errno = savedErrno;
}

class TerminationSignals final
{
    Q_DISABLE_COPY_MOVE(TerminationSignals)

public:
    TerminationSignals()
    {
        if (::pipe2(m_fds.data(), O_CLOEXEC | O_NONBLOCK) != 0)
            return;
        g_signalWriteFd = m_fds[1];
        struct sigaction action = {};
        action.sa_handler = onTerminationSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, &m_previous[0]);
        sigaction(SIGTERM, &action, &m_previous[1]);
        m_installed = true;
    }

    ~TerminationSignals()
    {
        if (!m_installed)
            return;
        sigaction(SIGINT, &m_previous[0], nullptr);
        sigaction(SIGTERM, &m_previous[1], nullptr);
        g_signalWriteFd = -1;
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }

    bool isInstalled() const { return m_installed; }
    int readFd() const { return m_fds[0]; }

    // Drains the pipe; returns the last signal number read, or 0.
    int take() const
    {
        char byte = 0;
        int last = 0;
        while (::read(m_fds[0], &byte, 1) == 1)
            last = byte;
        return last;
    }

private:
    std::array<int, 2> m_fds = {-1, -1};
    std::array<struct sigaction, 2> m_previous = {};
    bool m_installed = false;
};

QString summaryLine(const DemoApiServer &server)
{
    QStringList counts;
    for (const QString &collection : server.collections())
        counts.append(collection % u'=' % QString::number(server.count(collection)));
    const quint64 requests = server.requestCount();
    return u"Sluice demo API stopped after "_s % QString::number(requests)
        % (requests == 1 ? u" request"_s : u" requests"_s) % u"; documents: "_s
        % (counts.isEmpty() ? u"none"_s : counts.join(u", "_s));
}

} // namespace

int runDemoApiCommand(const QStringList &arguments)
{
    QStringList args = arguments;
    if (args.size() > 1 && args.constFirst() != u"demo-api" && args.at(1) == u"demo-api")
        args.removeFirst();
    if (args.isEmpty())
        args.append(u"demo-api"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs a small JSON API on this computer that keeps what it receives in memory,\n"
        u"so a transfer can be tried with nothing else installed.\n"
        u"\n"
        u"  POST /<collection>/_doc         store a JSON object; its \"id\" field is its key\n"
        u"  PUT  /<collection>/_doc/<id>    store a JSON object under <id>\n"
        u"  POST /_bulk, /<collection>/_bulk   Elasticsearch bulk (NDJSON)\n"
        u"  POST /<collection>/_bulk_docs   CouchDB bulk {\"docs\": [...]}\n"
        u"  GET  /, /<collection>           what arrived; DELETE /<collection> clears it\n"
        u"  /fail/<status>/...              answers <status>, e.g. /fail/422/sensors/_doc\n"
        u"  /flaky/<percent>/...            fails <percent>% with 503, else serves /...\n"
        u"\n"
        u"Stop it with Ctrl+C; it then prints how many documents it received."_s);
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption portOption(
        u"port"_s, u"Port to listen on (default %1; 0 picks a free one)."_s.arg(DefaultPort),
        u"N"_s, QString::number(DefaultPort));
    const QCommandLineOption hostOption(
        u"host"_s, u"Address to listen on (default 127.0.0.1, this computer only)."_s, u"ADDRESS"_s,
        u"127.0.0.1"_s);
    parser.addOption(helpOption);
    parser.addOption(portOption);
    parser.addOption(hostOption);

    const QString usageError = u"sluice demo-api: "_s;
    const QString seeHelp = u" (see sluice demo-api --help)"_s;
    if (!parser.parse(args)) {
        printLine(stderr, usageError % parser.errorText() % seeHelp);
        return 2;
    }
    if (parser.isSet(helpOption)) {
        QString help = parser.helpText();
        const qsizetype options = help.indexOf(u"[options]"_s);
        if (options >= 0)
            help = u"Usage: sluice demo-api "_s % help.mid(options);
        std::fputs(help.toLocal8Bit().constData(), stdout);
        std::fflush(stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printLine(stderr,
                  usageError % u"unexpected argument \""_s
                      % parser.positionalArguments().constFirst() % u'"' % seeHelp);
        return 2;
    }

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        printLine(stderr,
                  usageError % u"--port needs a number from 0 to 65535, not \""_s
                      % parser.value(portOption) % u'"');
        return 2;
    }
    const QString host = parser.value(hostOption);
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host)) {
        printLine(stderr,
                  usageError % u"--host needs an IP address such as 127.0.0.1, not \""_s % host
                      % u'"');
        return 2;
    }
    if (!QCoreApplication::instance()) {
        printLine(stderr, usageError % u"internal error: no QCoreApplication"_s);
        return 2;
    }

    DemoApiServer server;
    if (!server.start(quint16(port), address)) {
        printLine(stderr,
                  usageError % u"cannot listen on "_s % address.toString() % u':'
                      % QString::number(port) % u": "_s % server.errorString()
                      % u" (choose another port with --port N, or --port 0 for a free one)"_s);
        return 2;
    }
    if (!address.isLoopback())
        printLine(stderr,
                  u"Warning: the demo API accepts and shows data from anyone who can reach "_s
                      % address.toString() % u"; it has no authentication."_s);

    TerminationSignals termination;
    if (!termination.isInstalled())
        printLine(stderr, u"Warning: cannot catch Ctrl+C; stop the demo API with kill -9"_s);
    QSocketNotifier notifier(termination.readFd(), QSocketNotifier::Read);
    notifier.setEnabled(termination.isInstalled());
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&termination] {
        if (termination.take() != 0)
            QCoreApplication::quit();
    });

    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(server.address().toString());
    url.setPort(server.port());
    url.setPath(u"/"_s);
    printLine(stdout, u"Sluice demo API listening on "_s % url.toString());
    printLine(stderr,
              u"POST JSON to "_s % url.toString() % u"<collection>/_doc; GET "_s % url.toString()
                  % u" lists what arrived; Ctrl+C stops."_s);

    const int exitCode = QCoreApplication::exec();
    printLine(stdout, summaryLine(server));
    return exitCode == 0 ? 0 : exitCode;
}

} // namespace sluice
