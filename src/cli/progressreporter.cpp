// SPDX-License-Identifier: GPL-3.0-or-later
#include "progressreporter.h"

#include "transfer/transferrun.h"

#include <QLocale>
#include <QMutex>
#include <QMutexLocker>

#include <unistd.h>

namespace sluice {

namespace {

ProgressReporter *s_active = nullptr;
// Log messages may come from other threads; stderr lines must not interleave.
QMutex s_outputMutex;
constexpr int LiveIntervalMs = 250;

} // namespace

ProgressReporter::ProgressReporter(TransferRun *run, Style style, int linesIntervalMs,
                                   QObject *parent)
    : QObject(parent)
    , m_run(run)
    , m_style(style == Style::Live && !isatty(STDERR_FILENO) ? Style::Lines : style)
{
    s_active = this;
    m_previousHandler = qInstallMessageHandler(&ProgressReporter::messageHandler);
    if (m_style == Style::Quiet)
        return;
    connect(&m_timer, &QTimer::timeout, this, &ProgressReporter::tick);
    m_timer.start(m_style == Style::Live ? LiveIntervalMs : linesIntervalMs);
}

ProgressReporter::~ProgressReporter()
{
    stop();
}

void ProgressReporter::stop()
{
    m_timer.stop();
    const QMutexLocker lock(&s_outputMutex);
    if (s_active == this) {
        qInstallMessageHandler(m_previousHandler);
        s_active = nullptr;
    }
    if (m_lineShown) {
        std::fputs("\r\x1b[K", stderr);
        std::fflush(stderr);
        m_lineShown = false;
    }
}

QString ProgressReporter::statusLine(const TransferRun &run)
{
    const RunCounts c = run.counts();
    const double seconds = run.elapsedSeconds();
    const QLocale locale = QLocale::c();
    const double rate = seconds > 0 ? double(c.finished()) / seconds : 0.0;
    QString line = QStringLiteral("read %1 | delivered %2, failed %3, invalid %4 | sending %5, "
                                  "retrying %6, queued %7 | %8 items/s | %9 s")
                       .arg(c.read)
                       .arg(c.delivered)
                       .arg(c.failed)
                       .arg(c.invalid)
                       .arg(c.sending)
                       .arg(c.retrying)
                       .arg(c.queued)
                       .arg(locale.toString(rate, 'f', 0), locale.toString(seconds, 'f', 1));
    if (!run.protocol().isEmpty())
        line += QLatin1String(" | ") + run.protocol();
    const int window = run.window();
    if (window > 0 && window < run.spec().run.concurrency)
        line += QStringLiteral(" | slowed down by the server: %1 of %2 requests at once")
                    .arg(window)
                    .arg(run.spec().run.concurrency);
    return line;
}

void ProgressReporter::tick()
{
    const QMutexLocker lock(&s_outputMutex);
    const QByteArray line = statusLine(*m_run).toUtf8();
    if (m_style == Style::Live) {
        std::fprintf(stderr, "\r\x1b[K%s", line.constData());
        m_lineShown = true;
        m_lastLine = line;
    } else {
        std::fprintf(stderr, "sluice: %s\n", line.constData());
    }
    std::fflush(stderr);
}

void ProgressReporter::printLog(const QString &text)
{
    const QMutexLocker lock(&s_outputMutex);
    if (m_lineShown)
        std::fputs("\r\x1b[K", stderr);
    std::fprintf(stderr, "%s\n", text.toUtf8().constData());
    if (m_lineShown)
        std::fputs(m_lastLine.constData(), stderr);
    std::fflush(stderr);
}

void ProgressReporter::messageHandler(QtMsgType type, const QMessageLogContext &context,
                                      const QString &message)
{
    if (!s_active)
        return;
    s_active->printLog(qFormatLogMessage(type, context, message));
}

} // namespace sluice
