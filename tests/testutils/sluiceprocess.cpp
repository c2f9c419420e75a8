// SPDX-License-Identifier: GPL-3.0-or-later
#include "sluiceprocess.h"

#include <QElapsedTimer>
#include <QTest>

SluiceRun runSluice(const QString &program, const QStringList &arguments, const SluiceCall &call)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    if (!call.environment.isEmpty())
        process.setProcessEnvironment(call.environment);
    if (!call.workingDirectory.isEmpty())
        process.setWorkingDirectory(call.workingDirectory);
    process.start();
    if (!process.waitForStarted()) {
        qWarning() << "cannot start" << program << process.errorString();
        return {};
    }
    if (call.whileRunning)
        call.whileRunning(process);
    // Not waitForFinished(): the sinks answer from this thread's event loop.
    QElapsedTimer clock;
    clock.start();
    while (process.state() != QProcess::NotRunning && clock.elapsed() < call.timeoutMs)
        QTest::qWait(10);
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        qWarning() << program << arguments << "did not finish in" << call.timeoutMs << "ms";
        return {};
    }
    SluiceRun run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.outBytes = process.readAllStandardOutput();
    run.out = QString::fromUtf8(run.outBytes);
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}
