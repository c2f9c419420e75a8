// SPDX-License-Identifier: GPL-3.0-or-later
#include "sourcevalue.h"

namespace sluice {

void registerSourceValueTypes()
{
    static const bool registered = [] {
        QMetaType::registerConverter<JsonText, QString>(
            [](const JsonText &json) { return QString::fromUtf8(json.utf8); });
        QMetaType::registerConverter<ValueError, QString>(
            [](const ValueError &error) { return error.message; });
        return true;
    }();
    Q_UNUSED(registered);
}

} // namespace sluice
