// SPDX-License-Identifier: GPL-3.0-or-later
#include "runsummary.h"

#include "runcommand.h"
#include "json/jsonobjectwriter.h"

#include <cmath>

namespace sluice {

QString exitReasonName(ExitReason reason)
{
    switch (reason) {
    case ExitReason::Delivered:
        return QStringLiteral("delivered");
    case ExitReason::NoRows:
        return QStringLiteral("no-rows");
    case ExitReason::FailedItems:
        return QStringLiteral("failed-items");
    case ExitReason::Stopped:
        return QStringLiteral("stopped");
    case ExitReason::WriteError:
        return QStringLiteral("write-error");
    case ExitReason::ConfigError:
        return QStringLiteral("config-error");
    case ExitReason::SourceError:
        return QStringLiteral("source-error");
    case ExitReason::Interrupted:
        return QStringLiteral("interrupted");
    }
    return {};
}

ExitReason exitReasonOf(int exitCode, std::optional<TransferRun::Outcome> outcome,
                        const RunCounts &counts)
{
    switch (exitCode) {
    case ExitAllDelivered:
        return counts.read == 0 ? ExitReason::NoRows : ExitReason::Delivered;
    case ExitNotAllDelivered:
        if (outcome == TransferRun::Outcome::Stopped)
            return ExitReason::Stopped;
        return counts.failed + counts.invalid > 0 ? ExitReason::FailedItems
                                                  : ExitReason::WriteError;
    case ExitInterrupted:
        return ExitReason::Interrupted;
    default:
        return outcome == TransferRun::Outcome::SourceError ? ExitReason::SourceError
                                                            : ExitReason::ConfigError;
    }
}

namespace {

/// A rounded, finite number: to `digits` decimals.
QByteArray number(double value, int digits)
{
    if (!std::isfinite(value))
        value = 0;
    const double scale = std::pow(10.0, digits);
    return JsonWriter::formatDouble(std::round(value * scale) / scale);
}

void stringOrNull(JsonObjectWriter &object, const QString &name, const QString &value)
{
    if (value.isEmpty())
        object.raw(name, "null");
    else
        object.string(name, value);
}

} // namespace

QByteArray RunSummary::toJson() const
{
    QByteArray out;
    {
        JsonObjectWriter object(&out);
        object.string(QStringLiteral("command"), command);
        object.integer(QStringLiteral("exitCode"), exitCode);
        object.string(QStringLiteral("exitReason"), exitReasonName(reason));
        if (!message.isEmpty())
            object.string(QStringLiteral("message"), message);
        object.object(QStringLiteral("counts"), [this](JsonObjectWriter &c) {
            c.integer(QStringLiteral("read"), counts.read);
            c.integer(QStringLiteral("delivered"), counts.delivered);
            c.integer(QStringLiteral("alreadyDelivered"), counts.alreadyDelivered);
            c.integer(QStringLiteral("failed"), counts.failed);
            c.integer(QStringLiteral("invalid"), counts.invalid);
            // Read but neither delivered, failed nor invalid: only when the run could not
            // go on (the journal still owes them; sluice resume sends them).
            c.integer(QStringLiteral("notFinished"), counts.read - counts.finished());
        });
        object.raw(QStringLiteral("seconds"), number(seconds, 3));
        object.raw(QStringLiteral("itemsPerSecond"), number(itemsPerSecond, 1));
        stringOrNull(object, QStringLiteral("transfer"), transferFile);
        stringOrNull(object, QStringLiteral("journal"), journalFile);
        stringOrNull(object, QStringLiteral("failedFile"), failedFile);
        object.integer(QStringLiteral("failedItemsWritten"), failedLines);
    }
    out.append('\n');
    return out;
}

} // namespace sluice
