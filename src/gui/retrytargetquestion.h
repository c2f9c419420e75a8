// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

#include "spec/transferspec.h"

class QWidget;

namespace sluice {

/// The question a retry of a finished run asks when the Target form changed after the run
/// started: do the items go to the changed target or to the run's own?
class RetryTargetQuestion final
{
    Q_DECLARE_TR_FUNCTIONS(RetryTargetQuestion)

public:
    enum class Answer {
        Changed, ///< to the target the form shows now
        Original, ///< to the run's own target
        Cancelled, ///< nowhere: the steward changed their mind
    };

    RetryTargetQuestion() = delete;

    /// Asks modally over parent; Changed is the default button. GUI thread only.
    static Answer ask(QWidget *parent, const TargetSpec &changed, const TargetSpec &original);
};

} // namespace sluice
