// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <utility>

#include <QMetaObject>
#include <QObject>

namespace sluice {

namespace tsan {

/// ThreadSanitizer builds (SLUICE_TSAN) only; no-ops otherwise. A queued call posted between
/// beginPost() and endPost() happens, for ThreadSanitizer, before the receiving thread handles
/// it, with everything the caller did before endPost(). Qt's own locking is invisible to
/// ThreadSanitizer (Debian's Qt is not built with it); util/tsanqt.cpp explains the rest.
#ifdef SLUICE_TSAN
void beginPost();
void endPost();
#else
inline void beginPost()
{ }
inline void endPost()
{ }
#endif

} // namespace tsan

/// QMetaObject::invokeMethod(context, function, Qt::QueuedConnection), for a call from one
/// thread into another (a worker's, or the owner's from a worker): under ThreadSanitizer it
/// also hands over what the caller did before the call. Use it for every queued call that
/// may cross threads; a queued signal needs nothing of the kind.
/// context: a QObject (and, with a member function, its class).
template<typename Context, typename Function>
bool invokeQueued(Context *context, Function &&function)
{
    tsan::beginPost();
    const bool posted = QMetaObject::invokeMethod(context, std::forward<Function>(function),
                                                  Qt::QueuedConnection);
    tsan::endPost();
    return posted;
}

} // namespace sluice
