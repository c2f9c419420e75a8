// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

#include "transfer/transferrun.h"

namespace sluice {

/// Why a headless run ended, as `--json` names it; each goes with one exit code.
enum class ExitReason {
    Delivered, ///< 0: every item read was delivered
    NoRows, ///< 0: the query returned no rows; nothing was sent
    FailedItems, ///< 1: some items failed or were invalid
    Stopped, ///< 1: run.stopAfterFailures stopped the run
    WriteError, ///< 1: the --failed file or the state file could not be written
    ConfigError, ///< 2: the command line, the transfer file, its secrets or the journal
    SourceError, ///< 2: the database (connecting, running or reading the query)
    Interrupted, ///< 130: SIGINT or SIGTERM
};

/// "delivered", "no-rows", "failed-items", "stopped", "write-error", "config-error",
/// "source-error", "interrupted".
QString exitReasonName(ExitReason reason);

/// Why a run that ended with exitCode (RunExitCode) did; outcome is unset when the run did
/// not get as far as starting.
ExitReason exitReasonOf(int exitCode, std::optional<TransferRun::Outcome> outcome,
                        const RunCounts &counts);

/// The summary `sluice run --json` and `sluice resume --json` print on stdout when they end:
/// one JSON object on one line, for schedulers.
struct RunSummary
{
    QString command; ///< "run" or "resume"
    int exitCode = 0;
    ExitReason reason = ExitReason::Delivered;
    QString message; ///< what went wrong (ConfigError, SourceError), one problem a line
    RunCounts counts;
    double seconds = 0;
    double itemsPerSecond = 0; ///< this process's rate (a resume's: what it finished itself)
    QString transferFile;
    QString journalFile; ///< empty: no journal
    QString failedFile; ///< --failed; empty: none
    qint64 failedLines = 0; ///< lines written to failedFile

    /// {"command":..,"exitCode":..,"exitReason":..,"message":..,"counts":{"read":..,
    /// "delivered":..,"alreadyDelivered":..,"failed":..,"invalid":..,"notFinished":..},
    /// "seconds":..,"itemsPerSecond":..,"transfer":..,"journal":..,"failedFile":..,
    /// "failedItemsWritten":..} in that order; "message" only when there is one, "journal"
    /// and "failedFile" null when there is none. Ends with a line break.
    QByteArray toJson() const;
};

} // namespace sluice
