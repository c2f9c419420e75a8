// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sluice {

/// Exit codes of `sluice run`.
enum RunExitCode : int {
    ExitAllDelivered = 0, ///< every item was delivered (also: the query returned no rows)
    ExitNotAllDelivered = 1, ///< some items failed or were invalid (see --failed), or
                             ///< run.stopAfterFailures stopped the run
    ExitConfigError = 2, ///< the transfer could not run: configuration, connection or usage error
    ExitInterrupted = 130, ///< stopped by SIGINT/SIGTERM; undelivered items are in --failed
};

/// `sluice run TRANSFER.json [--set NAME=VALUE]... [--shard K/N] [--failed FILE] [--quiet]`.
/// arguments[0] is the program name, arguments[1] is "run". Runs the event loop of the
/// QCoreApplication the caller created and returns the exit code.
int runTransferCommand(const QStringList &arguments);

/// `sluice resume JOURNAL [--failed FILE] [--quiet]`: goes on with an interrupted run from
/// its journal; same summary line and exit codes as `sluice run`.
int resumeRunCommand(const QStringList &arguments);

} // namespace sluice
