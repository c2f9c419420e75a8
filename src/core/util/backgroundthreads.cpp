// SPDX-License-Identifier: GPL-3.0-or-later
#include "backgroundthreads.h"

#include <list>
#include <utility>

#include <QCoreApplication>
#include <QMutex>
#include <QMutexLocker>

namespace sluice {

namespace {

class Registry
{
public:
    static Registry &instance()
    {
        static Registry registry;
        return registry;
    }

    ~Registry() { joinAll(); }

    void adopt(std::thread thread, std::shared_ptr<const std::atomic<bool>> done)
    {
        QMutexLocker locker(&m_mutex);
        joinDoneLocked();
        // Post routines run once per application object: a new one needs registering.
        if (QCoreApplication *app = QCoreApplication::instance(); app && app != m_registeredFor) {
            qAddPostRoutine(&Registry::joinAtExit);
            m_registeredFor = app;
        }
        m_threads.push_back({std::move(thread), std::move(done)});
    }

private:
    struct Entry
    {
        std::thread thread;
        std::shared_ptr<const std::atomic<bool>> done;
    };

    /// Runs first in ~QCoreApplication, while Qt SQL and its plugins are still alive.
    static void joinAtExit() { instance().joinAll(); }

    void joinAll()
    {
        // Another thread may hand one over while these are joined: repeat until none is left.
        for (;;) {
            std::list<Entry> threads;
            {
                QMutexLocker locker(&m_mutex);
                threads.swap(m_threads);
            }
            if (threads.empty())
                return;
            for (Entry &entry : threads)
                entry.thread.join();
        }
    }

    void joinDoneLocked()
    {
        for (auto it = m_threads.begin(); it != m_threads.end();) {
            if (it->done->load()) {
                it->thread.join();
                it = m_threads.erase(it);
            } else {
                ++it;
            }
        }
    }

    QMutex m_mutex;
    std::list<Entry> m_threads;
    QCoreApplication *m_registeredFor = nullptr;
};

} // namespace

void BackgroundThreads::run(std::function<void()> job)
{
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::thread thread([job = std::move(job), done] {
        job();
        done->store(true);
    });
    adopt(std::move(thread), std::move(done));
}

void BackgroundThreads::adopt(std::thread thread, std::shared_ptr<const std::atomic<bool>> done)
{
    Registry::instance().adopt(std::move(thread), std::move(done));
}

} // namespace sluice
