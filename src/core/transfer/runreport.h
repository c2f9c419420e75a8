// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include "spec/transferspec.h"
#include "transfer/failuredigest.h"
#include "transfer/runstatistics.h"
#include "transfer/transferrun.h"

namespace sluice {

/// A run report: one self-contained HTML file (XHTML-compatible: well-formed XML, so any XML
/// reader can check it; inline CSS and SVG, no script, nothing fetched) to hand on after a
/// run. It holds the outcome and the counts, start, end, duration and rates, the latency
/// percentiles of the whole run, three charts drawn as inline SVG (items per second, latency
/// p50/p95/p99, items finished per status), the failures grouped by cause with a few
/// examples each (key, HTTP status, error, the answer's first bytes; never the payload), the
/// query parameters as bound, and the transfer as run, without secrets: header values from
/// the environment or the keychain and sensitive headers (secretheaders.h) are "(redacted)",
/// and so is a password in the URL or in the source's connection string or options.
///
/// Written by `sluice run|resume --report FILE` and the app's Run > Save Report….
struct RunReport
{
    TransferSpec spec; ///< as run: the parameters with their overrides
    QString transferFile;
    QString journalFile;
    QString shard; ///< "2/4", empty when not sharded
    QDateTime startedAt;
    QDateTime finishedAt;
    double seconds = 0;
    TransferRun::Outcome outcome = TransferRun::Outcome::Completed;
    QString message; ///< the run's end message (TransferRun::finished)
    RunCounts counts;
    qint64 resumedFinished = 0; ///< items a resumed journal held as finished already
    RunStatistics statistics;
    QList<FailureDigest::Group> failures;

    /// Everything from a finished run (its spec, times, counts, statistics and failures).
    static RunReport fromRun(const TransferRun &run, TransferRun::Outcome outcome,
                             const QString &message);

    /// The outcome in words: "completed", "cancelled", ...
    static QString outcomeText(TransferRun::Outcome outcome);
    /// spec without secrets, as the report shows it (see above).
    static TransferSpec redacted(const TransferSpec &spec);

    QByteArray toHtml() const;
    /// Writes toHtml() atomically (QSaveFile); false with *error naming the file.
    bool save(const QString &fileName, QString *error) const;
};

} // namespace sluice
