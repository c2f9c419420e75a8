// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>

#include <cstdio>

namespace sluice {

class TransferRun;

/// Shows a run's progress on stderr: a live line redrawn a few times a second on a
/// terminal, plain lines every few seconds otherwise (a log file, a scheduler). Log
/// messages printed meanwhile go through it so they never tangle with the live line.
class ProgressReporter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressReporter)

public:
    enum class Style { Live, Lines, Quiet };

    static constexpr int DefaultLinesIntervalMs = 5000;

    /// style Live is only honoured when stderr is a terminal; otherwise a plain line is
    /// printed every linesIntervalMs.
    ProgressReporter(TransferRun *run, Style style, int linesIntervalMs = DefaultLinesIntervalMs,
                     QObject *parent = nullptr);
    ~ProgressReporter() override;

    /// Clears the live line; call before printing the summary.
    void stop();
    /// The one-line status: counts, rate and elapsed time.
    static QString statusLine(const TransferRun &run);

private:
    void tick();
    static void messageHandler(QtMsgType type, const QMessageLogContext &context,
                               const QString &message);
    void printLog(const QString &text);

    TransferRun *m_run;
    Style m_style;
    QTimer m_timer;
    bool m_lineShown = false;
    QByteArray m_lastLine; ///< redrawn after a log message (which may come from any thread)
    QtMessageHandler m_previousHandler = nullptr;
};

} // namespace sluice
