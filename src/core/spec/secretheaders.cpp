// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretheaders.h"

#include <algorithm>

namespace sluice {

namespace {

bool containsName(const QList<QPair<QString, QString>> &headers, QStringView name)
{
    return std::any_of(headers.cbegin(), headers.cend(), [name](const auto &header) {
        return QStringView(header.first).compare(name, Qt::CaseInsensitive) == 0;
    });
}

} // namespace

bool isSensitiveHeaderName(QStringView name)
{
    for (const QStringView sensitive : {u"Authorization", u"Proxy-Authorization", u"Cookie"}) {
        if (name.compare(sensitive, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isSecretHeader(const TargetSpec &target, QStringView name)
{
    return isSensitiveHeaderName(name) || containsName(target.headersEnv, name)
        || containsName(target.headersKeychain, name);
}

QList<QPair<QByteArray, QByteArray>>
redactedHeaders(const TargetSpec &target, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QList<QPair<QByteArray, QByteArray>> shown = headers;
    for (auto &[name, value] : shown) {
        if (isSecretHeader(target, QString::fromLatin1(name)))
            value = RedactedValue.toUtf8();
    }
    return shown;
}

QList<SpecError> literalSecretHeaders(const TargetSpec &target)
{
    QList<SpecError> found;
    for (const auto &[name, value] : target.headers) {
        if (isSensitiveHeaderName(name) && !value.isEmpty())
            found.append({u"target.headers." + name,
                          QStringLiteral("a credential written in the transfer file; keep it in "
                                         "the keychain (headersKeychain) or an environment "
                                         "variable (headersEnv) instead")});
    }
    return found;
}

} // namespace sluice
