// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "spec/transferspec.h"

#include <optional>

#include <QString>
#include <QVariant>

/// The one rule by which a query parameter's value typed as text (`sluice run --set
/// NAME=VALUE`, the Query step's parameter table) becomes the typed value that is bound, and
/// back. Pure functions, any thread.
namespace sluice {

/// The value that text gives the parameter `name`, in the type of fileValue, the value the
/// transfer file has for it:
/// - an integer (qlonglong; any integer type): text must read as a decimal 64-bit integer
///   and gives a qlonglong, exact over the whole range (it never goes through a double);
/// - a real (double or float): text must read as a finite number and gives a double;
/// - a boolean: text must be `true` or `false`;
/// - text, null or no value: any text gives that text, except that an empty text stays null
///   where fileValue is null, so that a file's null survives being shown as text.
/// Blanks around a number are allowed. On failure returns nullopt and sets *error (may be
/// null) to the parameter's path and what is wrong, naming the type:
/// `query.parameters.limit: "ten" is not an integer`.
std::optional<QVariant> parameterFromText(const QString &name, const QVariant &fileValue,
                                          const QString &text, SpecError *error);

/// The text that parameterFromText() reads back as value (an empty text for null).
QString parameterText(const QVariant &value);

} // namespace sluice
