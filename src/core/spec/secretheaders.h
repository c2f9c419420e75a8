// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "spec/transferspec.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QStringView>

namespace sluice {

/// Authorization, Proxy-Authorization and Cookie (any case): headers whose value is a
/// credential whatever the transfer says.
bool isSensitiveHeaderName(QStringView name);

/// A header Sluice never shows or writes with its value: a sensitive name, or one whose value
/// comes from headersEnv or headersKeychain (the steward marked it secret).
bool isSecretHeader(const TargetSpec &target, QStringView name);

/// What is shown instead of a secret header's value.
inline constexpr QStringView RedactedValue = u"(redacted)";

/// headers with every secret one's value replaced by RedactedValue: for anything that shows
/// or writes the headers of a request.
QList<QPair<QByteArray, QByteArray>>
redactedHeaders(const TargetSpec &target, const QList<QPair<QByteArray, QByteArray>> &headers);

/// target.headers that hold a credential as written text (a sensitive name with a literal
/// value): a secret in the transfer file. The app refuses to save them and offers the
/// keychain; `sluice run` runs them with a warning, so a hand-written file still works.
QList<SpecError> literalSecretHeaders(const TargetSpec &target);

} // namespace sluice
