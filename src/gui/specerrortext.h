// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

#include "spec/transferspec.h"

namespace sluice {

/// A transfer's problem (SpecError, located by its JSON path) in the words of the window:
/// the step and the field where the steward fixes it, "Transform step, Template: line 3,
/// column 7: ..." rather than "transform.template: ...". Fields the forms do not show (a
/// shard key, a watermark) keep the file's name of the field.
class SpecErrorText final
{
    Q_DECLARE_TR_FUNCTIONS(SpecErrorText)

public:
    /// "Transform step, Template"; "Query step, parameter :since"; "Transfer file" for a
    /// problem with the file as a whole (an empty path).
    static QString place(const QString &path);
    /// The field alone, for a message shown in its own step: "Template, at where.site",
    /// "parameter :since", "Batch size"; empty for the file as a whole.
    static QString field(const QString &path);
    /// place(), a colon and the message; just the message when there is no path.
    static QString describe(const SpecError &error);
    /// field(), a colon and the message, for the step the field is on.
    static QString describeInStep(const SpecError &error);
};

} // namespace sluice
