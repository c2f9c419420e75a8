// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <thread>

#include <QString>
#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace sluice {

/// A thread with an event loop for one worker QObject: the idiom for long-lived workers
/// (a row source's reader, the dispatcher's HTTP lanes, the built-in demo API).
///
/// Threads: a WorkerThread is used from one thread, its owner's. start() moves the worker
/// into a new thread that runs an event loop; from then on the owner speaks to it with
/// queued calls and signals only. quit() ends the loop once the call the worker is running
/// returns (calls still queued are dropped); the worker is then destroyed in its own thread,
/// together with whatever it deleteLater()ed.
///
/// The thread is a std::thread running a QEventLoop (an adopted thread, in Qt's words) so
/// that it can really be joined (see BackgroundThreads). The destructor quits and joins:
/// right for workers that wind down at once. finishInBackground() quits and hands the
/// thread to BackgroundThreads instead, for an owner that must not wait (a row source whose
/// reader may be inside a slow statement); it is joined when the application ends.
class WorkerThread final
{
    Q_DISABLE_COPY_MOVE(WorkerThread)

public:
    /// name: the thread's QThread::objectName(), for debugging.
    explicit WorkerThread(QString name);
    /// quit(), then waits until the worker is destroyed and the thread has ended (unless
    /// finishInBackground() was called).
    ~WorkerThread();

    /// Starts the thread and moves worker into it; the thread owns it from now on. worker
    /// has no parent and lives in the owner's thread. Only once; needs a QCoreApplication.
    void start(std::unique_ptr<QObject> worker);
    bool isStarted() const { return m_thread.joinable(); }
    /// Ends the loop after the call running now; returns at once. Idempotent.
    void quit();
    /// quit(), and lets the thread end in the background: BackgroundThreads joins it.
    void finishInBackground();

private:
    struct Shared;

    QString m_name;
    std::shared_ptr<Shared> m_shared;
    std::thread m_thread;
    bool m_quit = false;
};

} // namespace sluice
