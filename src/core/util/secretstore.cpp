// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretstore.h"

#include <QEventLoop>

#include <algorithm>
#include <optional>

namespace sluice {

bool isKeychainEntryName(QStringView name)
{
    if (name.isEmpty() || name.size() > MaxKeychainEntryLength)
        return false;
    return std::none_of(name.begin(), name.end(), [](QChar c) {
        return c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0);
    });
}

QString SecretStore::service()
{
    return QStringLiteral("Sluice");
}

SecretStore::~SecretStore() = default;

SecretStore::Answer
SecretStore::wait(const std::function<void(QObject *context, Callback done)> &call)
{
    QEventLoop loop;
    std::optional<Answer> answer;
    call(&loop, [&loop, &answer](const Answer &a) {
        answer = a;
        loop.quit();
    });
    if (!answer)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return answer.value_or(Answer {});
}

} // namespace sluice
