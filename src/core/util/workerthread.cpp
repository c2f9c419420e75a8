// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerthread.h"

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <utility>

#include <QCoreApplication>
#include <QEvent>
#include <QEventLoop>
#include <QObject>
#include <QThread>

#include "util/backgroundthreads.h"

namespace sluice {

/// Between the owner and the thread. std::mutex rather than QMutex: ThreadSanitizer sees
/// pthread's locking, but not QWaitCondition's, which would unlock and relock a QMutex
/// inside (uninstrumented) Qt.
struct WorkerThread::Shared
{
    std::mutex mutex;
    std::condition_variable running;
    QThread *thread = nullptr; ///< the thread's QThread, set once its event loop exists
    std::atomic<bool> done {false}; ///< the worker is destroyed; only the thread's end follows
};

WorkerThread::WorkerThread(QString name)
    : m_name(std::move(name))
    , m_shared(std::make_shared<Shared>())
{ }

WorkerThread::~WorkerThread()
{
    if (!m_thread.joinable())
        return;
    quit();
    m_thread.join();
}

void WorkerThread::start(std::unique_ptr<QObject> worker)
{
    Q_ASSERT(!m_thread.joinable() && worker && !worker->parent());
    QObject *object = worker.get();
    m_thread
        = std::thread([shared = m_shared, name = m_name, worker = std::move(worker)]() mutable {
              {
                  // The loop gives this thread its event dispatcher.
                  QEventLoop loop;
                  QThread *self = QThread::currentThread();
                  self->setObjectName(name);
                  // Also for the system (top -H, perf, gdb), which keeps 15 bytes.
                  pthread_setname_np(pthread_self(), name.toUtf8().left(15).constData());
                  {
                      const std::lock_guard lock(shared->mutex);
                      shared->thread = self;
                  }
                  shared->running.notify_all();
                  loop.exec();
                  worker.reset();
                  // What the worker handed to deleteLater() on its way out.
                  QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
              }
              shared->done.store(true);
          });
    QThread *target = nullptr;
    {
        std::unique_lock lock(m_shared->mutex);
        m_shared->running.wait(lock, [this] { return m_shared->thread != nullptr; });
        target = m_shared->thread;
    }
    // The loop runs already; it cannot end before quit(), and the worker is the thread's
    // only from here on.
    object->moveToThread(target);
}

void WorkerThread::quit()
{
    if (!m_thread.joinable() || std::exchange(m_quit, true))
        return;
    // Thread-safe, and it keeps the loop from starting should it not have started yet.
    m_shared->thread->quit();
}

void WorkerThread::finishInBackground()
{
    if (!m_thread.joinable())
        return;
    quit();
    BackgroundThreads::adopt(std::move(m_thread),
                             std::shared_ptr<const std::atomic<bool>>(m_shared, &m_shared->done));
}

} // namespace sluice
