// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace sluice {

/// Threads that end by themselves, joined by the time the application ends: the idiom for
/// one-shot blocking work (a connection test, a row count, the end of a row source's
/// teardown) and where WorkerThread hands a thread it does not wait for.
///
/// They are std::threads, joined and never detached, and never QThreads: a QThread (and
/// QThreadPool) reports itself finished before the thread's thread-local destructors run,
/// and OpenSSL (under libpq) frees a per-thread random generator in one of those. A process
/// that exited right after a connection test raced that destructor: LeakSanitizer saw the
/// generator leak in about two runs of three.
///
/// Joining: threads whose job is done are joined whenever a new one arrives (that costs
/// at most their last microseconds); the others when the application object is destroyed
/// (first thing in ~QCoreApplication, while Qt SQL and its plugins are still there), or at
/// the latest at static destruction. So a job must end by itself in bounded time (a connect
/// timeout, a cancelled statement). All functions are thread-safe.
class BackgroundThreads final
{
public:
    BackgroundThreads() = delete;

    /// Runs job on a new thread and returns at once. The job must not throw.
    static void run(std::function<void()> job);
    /// Takes over thread, whose job sets done as its last act and ends by itself.
    static void adopt(std::thread thread, std::shared_ptr<const std::atomic<bool>> done);
};

} // namespace sluice
