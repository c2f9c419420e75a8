// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QList>

#include "spec/transferspec.h"

namespace sluice {

/// The rules of each section of a transfer file (TransferSpec::fromJson's second half).
/// text is the file's valid JSON and json the same document as an object: the object for
/// the structure, the text for what QJsonObject cannot keep (the template as written,
/// exact integer parameters). Fills *spec section by section and returns every problem
/// found, each with its path.
QList<SpecError> parseTransferSpec(QByteArrayView text, const QJsonObject &json,
                                   TransferSpec *spec);

} // namespace sluice
