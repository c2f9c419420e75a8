// SPDX-License-Identifier: GPL-3.0-or-later
#include "memorysecretstore.h"

#include <QTimer>

namespace sluice {

void MemorySecretStore::answer(QObject *context, Callback done, const Answer &a)
{
    Answer given = a;
    if (!m_unavailable.isEmpty())
        given = {Status::Failed, {}, m_unavailable};
    QTimer::singleShot(0, context, [done = std::move(done), given] { done(given); });
}

void MemorySecretStore::read(const QString &entry, QObject *context, Callback done)
{
    reads.append(entry);
    const auto it = entries.constFind(entry);
    if (it == entries.cend() || !m_unavailable.isEmpty()) {
        answer(context, std::move(done), {Status::NotFound, {}, {}});
        return;
    }
    answer(context, std::move(done), {Status::Ok, *it, {}});
}

void MemorySecretStore::write(const QString &entry, const QString &value, QObject *context,
                              Callback done)
{
    if (m_unavailable.isEmpty())
        entries.insert(entry, value);
    answer(context, std::move(done), {Status::Ok, {}, {}});
}

void MemorySecretStore::remove(const QString &entry, QObject *context, Callback done)
{
    const bool found = m_unavailable.isEmpty() && entries.remove(entry) > 0;
    answer(context, std::move(done), {found ? Status::Ok : Status::NotFound, {}, {}});
}

} // namespace sluice
