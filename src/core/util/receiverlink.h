// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <utility>

#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>

#include "util/queuedcall.h"

namespace sluice {

/// How a one-shot background job (BackgroundThreads::run) hands its result to the object
/// that started it, which may be destroyed meanwhile. The object and its jobs share the
/// link (a std::shared_ptr); the object clears it first thing in its destructor, under the
/// mutex, so a job never posts to an object that is being destroyed. A result posted
/// before that is a pending event of the object, which ~QObject discards.
template<typename Receiver>
class ReceiverLink
{
public:
    explicit ReceiverLink(Receiver *receiver)
        : m_receiver(receiver)
    { }
    Q_DISABLE_COPY_MOVE(ReceiverLink)

    /// From the receiver's destructor: nothing is posted to it from now on.
    void clear()
    {
        QMutexLocker locker(&m_mutex);
        m_receiver = nullptr;
    }

    /// From any thread: runs deliver(receiver) in the receiver's thread, unless the receiver
    /// is gone already.
    template<typename Deliver>
    void post(Deliver deliver)
    {
        QMutexLocker locker(&m_mutex);
        if (Receiver *receiver = m_receiver) {
            invokeQueued(receiver, [receiver, deliver = std::move(deliver)] { deliver(receiver); });
        }
    }

private:
    QMutex m_mutex;
    Receiver *m_receiver; ///< guarded by m_mutex; null once the receiver is gone
};

} // namespace sluice
