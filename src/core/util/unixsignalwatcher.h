// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

namespace sluice {

/// Turns SIGINT/SIGTERM (or any signals given) into a Qt signal delivered by the event
/// loop of the thread that created the watcher. The handler itself only writes the signal
/// number to a pipe (async-signal-safe); everything else happens in the event loop.
/// One watcher at a time per process.
class UnixSignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnixSignalWatcher)

public:
    explicit UnixSignalWatcher(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~UnixSignalWatcher() override; ///< restores the previous handlers

Q_SIGNALS:
    void signalReceived(int signalNumber);

private:
    void readPipe();

    QList<int> m_signals;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace sluice
