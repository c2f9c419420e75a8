// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretproblems.h"

namespace sluice::secretproblems {

QString variableNotSet(const QString &path, const QString &variable, const QString &holds)
{
    const QString what
        = holds.isEmpty() ? variable : QStringLiteral("%1 (%2)").arg(variable, holds);
    return QStringLiteral("%1: the environment variable %2 is not set").arg(path, what);
}

QString passwordNotGiven()
{
    return QStringLiteral("source.askPassword: this transfer asks for the database password "
                          "when run, and none was given");
}

QString keychainAnswer(const QString &path, const QString &entry, const QString &location,
                       const SecretStore::Answer &answer)
{
    switch (answer.status) {
    case SecretStore::Status::Ok:
        return {};
    case SecretStore::Status::NotFound:
        return QStringLiteral("%1: no entry \"%2\" in %3").arg(path, entry, location);
    case SecretStore::Status::Failed:
        break;
    }
    return QStringLiteral("%1: cannot read the entry \"%2\" from %3: %4")
        .arg(path, entry, location, answer.error);
}

} // namespace sluice::secretproblems
