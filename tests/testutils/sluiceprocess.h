// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

/// How a `sluice` process ended and what it printed.
struct SluiceRun
{
    int exitCode = -1; ///< -1: it did not start, crashed or was killed for taking too long
    QString out; ///< standard output as UTF-8 text
    QString err;
    QByteArray outBytes; ///< standard output as printed (`sluice preview`'s bytes)
};

/// What runSluice() does besides running program with arguments.
struct SluiceCall
{
    int timeoutMs = 60000; ///< then the process is killed and the run counts as failed
    /// The process's environment; empty: the test's own.
    QProcessEnvironment environment;
    QString workingDirectory; ///< empty: the test's own
    /// Called once the process has started (to signal it, or write to its input).
    std::function<void(QProcess &)> whileRunning;
};

/// Runs program (the `sluice` under test, SLUICE_BINARY) to its end. The wait turns this
/// thread's event loop, where the tests' sinks answer; a process that cannot start or does
/// not end within call.timeoutMs is reported (qWarning) and gives exitCode -1.
SluiceRun runSluice(const QString &program, const QStringList &arguments,
                    const SluiceCall &call = {});
