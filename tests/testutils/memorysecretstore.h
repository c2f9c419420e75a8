// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/secretstore.h"

#include <QHash>
#include <QStringList>

namespace sluice {

/// A SecretStore in memory for tests: answers like the keychain does (later, from the event
/// loop, in the context's thread), records what was asked, and can play a keychain that
/// cannot be reached.
class MemorySecretStore final : public SecretStore
{
public:
    void read(const QString &entry, QObject *context, Callback done) override;
    void write(const QString &entry, const QString &value, QObject *context,
               Callback done) override;
    void remove(const QString &entry, QObject *context, Callback done) override;
    QString location() const override { return QStringLiteral("the test store"); }

    /// Every later call fails with this reason (empty: calls work again).
    void setUnavailable(const QString &reason) { m_unavailable = reason; }

    QHash<QString, QString> entries; ///< entry -> value
    QStringList reads; ///< entries read, in order

private:
    void answer(QObject *context, Callback done, const Answer &a);
    QString m_unavailable;
};

} // namespace sluice
