// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QStringView>

#include <functional>
#include <memory>

namespace sluice {

/// Longest keychain entry name a transfer may give (source.passwordKeychain,
/// target.headersKeychain values).
inline constexpr int MaxKeychainEntryLength = 200;

/// 1 to MaxKeychainEntryLength characters, none of them a control character.
bool isKeychainEntryName(QStringView name);

/// Where secrets named by a transfer live: the OS keychain in the app and `sluice run`, an
/// in-memory fake in tests. Entries are strings under one service ("Sluice").
///
/// Every call answers later, never from inside the call: done runs once in context's thread,
/// from its event loop, and not at all when context is destroyed first (the keychain's jobs
/// are asynchronous and may wait for the user to unlock it).
class SecretStore
{
public:
    /// The service name all of Sluice's entries are stored under.
    static QString service();

    enum class Status : quint8 {
        Ok, ///< read: the entry was found (value); write and remove: done
        NotFound, ///< read, remove: there is no such entry
        Failed, ///< the store could not be reached or refused (locked, no D-Bus session, ...)
    };
    struct Answer
    {
        Status status = Status::Failed;
        QString value; ///< read and Ok: the secret
        QString error; ///< Failed: the store's reason, for a message
    };
    using Callback = std::function<void(const Answer &)>;

    SecretStore() = default;
    virtual ~SecretStore();
    Q_DISABLE_COPY_MOVE(SecretStore)

    virtual void read(const QString &entry, QObject *context, Callback done) = 0;
    virtual void write(const QString &entry, const QString &value, QObject *context, Callback done)
        = 0;
    virtual void remove(const QString &entry, QObject *context, Callback done) = 0;
    /// Where the entries are, for messages: "the keychain (service \"Sluice\")".
    virtual QString location() const = 0;

    /// Runs one call to its answer in a local event loop: for a front end with nothing else
    /// to do meanwhile (saving a transfer, tests). Not for code that runs during a transfer.
    static Answer wait(const std::function<void(QObject *context, Callback done)> &call);
};

/// The OS keychain through QtKeychain (Secret Service over D-Bus on Linux, the Keychain on
/// macOS, the Credential Store on Windows). Never falls back to a plain file.
std::shared_ptr<SecretStore> makeKeychainStore();

} // namespace sluice
