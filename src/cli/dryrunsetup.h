// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "spec/transferspec.h"
#include "transfer/watermark.h"
#include "types/shard.h"

QT_BEGIN_NAMESPACE
class QCommandLineParser;
QT_END_NAMESPACE

namespace sluice {

// What `sluice validate` and `sluice preview` share: the command line (the options of
// `sluice run` that choose the rows: --set, --shard, --state), the transfer as a run would
// see it, the database password, and problems printed by step and field.

/// A transfer made ready for a dry run: nothing of it is ever sent.
struct DryRun
{
    QString command; ///< "validate" or "preview"
    QString transferFile;
    QByteArray fileText; ///< the file as read, to point at a field's line and column
    /// As run: --set and the watermark's state applied to query.parameters.
    TransferSpec spec;
    /// The query the reader runs: spec.query, wrapped for --shard.
    QuerySpec query;
    std::optional<Shard> shard;
    /// run.watermark: the previous run's state (its value is bound already), if any.
    std::optional<WatermarkState> watermarkState;
    /// run.watermark: the file's own value of the parameter (its type).
    QVariant watermarkFileValue;
};

/// Adds --set, --shard and --state (as `sluice run` has them) and --help to parser, with a
/// TRANSFER.json positional argument.
void addDryRunOptions(QCommandLineParser *parser, const QString &description);

/// Parses arguments (arguments[1] is the command). Returns false when the command is done:
/// --help printed (*exitCode 0) or a usage problem printed (*exitCode 2).
bool parseDryRunCommandLine(QCommandLineParser &parser, const QString &command,
                            const QStringList &arguments, int *exitCode);

/// Reads the transfer file named on the command line and applies --set, --shard and the
/// watermark state. Every problem is printed (printDryRunProblem()); nullopt then.
std::optional<DryRun> loadDryRun(const QCommandLineParser &parser, const QString &command);

/// The database password as the run takes it (passwordEnv, passwordKeychain, or asked on
/// the terminal for askPassword); nullopt with *error naming the field when there is none.
std::optional<QString> dryRunPassword(const TransferSpec &spec, QString *error);

/// A problem for people: "<Step and field>, line L column C: <message> [<path>]". path is
/// the transfer file's (e.g. "transform.template.location.lat"); the step and field are
/// named as the app's steps name them ("Transform template", "Source query", "Connection");
/// the line and column are where that field is in fileText (a placeholder's own place for
/// a message about a column). An empty path: the message is about the file itself, or
/// about step (when given).
QString describeProblem(const SpecError &problem, const QByteArray &fileText,
                        const QString &step = {});

/// A message of the run's kind ("query: near ...", "transform.key: ...", "cannot connect
/// ...") as a SpecError: a leading "path: " becomes the path.
SpecError problemFromMessage(const QString &message);

/// Prints "sluice <command>: <line>" on stderr.
void printDryRunLine(const QString &command, const QString &line);

/// Prints every line of message (problemFromMessage(), describeProblem()) on stderr; a line
/// after the first without a path of its own continues the one before, indented.
void printDryRunProblems(const DryRun &run, const QString &message, const QString &step);

} // namespace sluice
