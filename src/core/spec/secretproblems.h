// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "util/secretstore.h"

namespace sluice {

/// What is wrong with where a transfer's secrets come from, in the words every reader of them
/// uses: a run (TransferRun), the app's connection test (ConnectionTester) and the dry runs
/// (`sluice validate`, `sluice preview`). Each message starts with the field's path.
namespace secretproblems {

/// "source.passwordEnv: the environment variable DB_PW (the database password) is not set";
/// holds names what the variable is for, if anything.
QString variableNotSet(const QString &path, const QString &variable, const QString &holds = {});
/// The password of a transfer with source.askPassword, which nobody gave.
QString passwordNotGiven();
/// The keychain's answer for entry as a problem of the field at path; empty when it was read.
QString keychainAnswer(const QString &path, const QString &entry, const QString &location,
                       const SecretStore::Answer &answer);

} // namespace secretproblems

} // namespace sluice
