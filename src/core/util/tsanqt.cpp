// SPDX-License-Identifier: GPL-3.0-or-later
//
// ThreadSanitizer and Qt's event queue (built with SLUICE_TSAN only, see CMakeLists.txt).
//
// Debian's Qt is not built with ThreadSanitizer: the locks and atomics with which Qt hands an
// event from the thread that posts it to the thread that handles it are invisible to it.
// (ThreadSanitizer does see the file descriptor through which Qt wakes a sleeping thread, so
// a thread that sleeps until the event comes is synchronised; a busy one that takes the event
// on its way is not.) Without help, what our threads hand each other through queued calls and
// queued signals (row chunks, HTTP answers, the journal's reports) is reported as a data race
// at random. This file tells ThreadSanitizer about the hand-over:
//
//  - Queued calls of ours (invokeQueued(), util/queuedcall.h) post under one global mutex,
//    and every thread takes and drops that mutex before it handles any event (QInternal's
//    EventNotifyCallback, which QCoreApplication::notifyInternal2() calls in the receiving
//    thread). A thread can only handle an event after it was posted, so it waits for the
//    poster to leave the mutex: exact, everything the poster did before counts as before.
//  - Queued signals: Qt's signal spy hooks, called in the emitting thread at the start and
//    end of every emission and around every direct slot call (Qt posts the event of a
//    queued connection in between), release one global token, which the receiving thread
//    acquires before every event (the same EventNotifyCallback). An emission cannot hold a
//    mutex: a direct slot may run anything, including waiting for the receiving thread.
//  - ignore_noninstrumented_modules=1 (the default options below): memory that Qt itself
//    allocates, copies and frees (an event, its copied arguments) is Qt's business, which
//    ThreadSanitizer cannot follow anyway; only the accesses of our own code are checked.
//
// Limits. (1) The token is global: once a thread has handled an event, it counts as
// synchronised with everything any thread did before its last signal emission, not only with
// the thread that posted the event. Between two threads that both run event loops and emit
// signals (nearly all of ours), a race on data they share WITHOUT the queue can therefore go
// unreported when it happens to straddle such an event. Races on data shared through locks or
// atomics of our own are checked as usual, and so is everything within one hand-over.
// (2) Qt copies a queued signal's arguments after the token's release at the start of the
// emission, with their copy constructors (our code, when the type is ours); a receiver that
// takes the event before the emitting thread reaches its next release (at once, unless it is
// preempted) would see a race on the copy that is none. tests/tsan.supp suppresses exactly
// those reports (frame QMetaType::construct), and with them a real race on the emitted
// argument itself while Qt copies it, which nothing can tell apart from them.
#include <mutex>

#include <sanitizer/tsan_interface.h>

#include <QtCore/qnamespace.h>
#include <QtGlobal>

#include "util/queuedcall.h"

QT_BEGIN_NAMESPACE
class QObject;
// As in Qt 6.4's private qobject_p.h (Debian installs no private headers); the callbacks are
// called by QMetaObject::activate() in the emitting thread.
struct QSignalSpyCallbackSet
{
    using BeginCallback = void (*)(QObject *caller, int signalOrMethodIndex, void **argv);
    using EndCallback = void (*)(QObject *caller, int signalOrMethodIndex);
    BeginCallback signal_begin_callback;
    BeginCallback slot_begin_callback;
    EndCallback signal_end_callback;
    EndCallback slot_end_callback;
};
Q_CORE_EXPORT void qt_register_signal_spy_callbacks(QSignalSpyCallbackSet *callback_set);
QT_END_NAMESPACE

namespace {

/// Only its address matters: ThreadSanitizer keeps the synchronisation state there.
char g_eventQueue = 0;
/// Held while a queued call of ours is being posted (invokeQueued()).
std::mutex g_posting;

void releaseOnBegin(QObject *, int, void **)
{
    __tsan_release(&g_eventQueue);
}

void releaseOnEnd(QObject *, int)
{
    __tsan_release(&g_eventQueue);
}

bool acquireBeforeEvent(void **)
{
    {
        const std::lock_guard lock(g_posting);
    }
    __tsan_acquire(&g_eventQueue);
    return false; // deliver the event as usual
}

QSignalSpyCallbackSet g_callbacks {&releaseOnBegin, &releaseOnBegin, &releaseOnEnd, &releaseOnEnd};

/// Installs the hooks before main(), before any thread of ours exists.
/// SLUICE_TSAN_NO_QT_HOOKS=1 leaves them out (tests/core/tst_tsanqt.cpp shows what then).
const bool g_installed = [] {
    if (qEnvironmentVariableIsSet("SLUICE_TSAN_NO_QT_HOOKS"))
        return false;
    qt_register_signal_spy_callbacks(&g_callbacks);
    return QInternal::registerCallback(QInternal::EventNotifyCallback, &acquireBeforeEvent);
}();

} // namespace

namespace sluice::tsan {

void beginPost()
{
    g_posting.lock();
}

void endPost()
{
    g_posting.unlock();
}

} // namespace sluice::tsan

/// Pulled into every executable that links sluice_core (the linker is told that this symbol
/// is needed, see src/core/CMakeLists.txt), so that the static initialiser above runs in
/// every test and in `sluice` itself.
extern "C" Q_DECL_EXPORT void sluice_tsan_qt_hooks()
{
    Q_UNUSED(g_installed);
}

/// ThreadSanitizer reads its options here first, then TSAN_OPTIONS.
extern "C" Q_DECL_EXPORT const char *__tsan_default_options()
{
    return "ignore_noninstrumented_modules=1";
}
