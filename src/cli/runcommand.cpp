// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcommand.h"

#include "clicommon.h"
#include "journal/journalfile.h"
#include "progressreporter.h"
#include "runsummary.h"
#include "spec/parametervalue.h"
#include "spec/transferspec.h"
#include "transfer/failedwriter.h"
#include "transfer/runreport.h"
#include "transfer/transferrun.h"
#include "transfer/watermark.h"
#include "util/text.h"
#include "util/unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

#include <csignal>
#include <cstdio>

namespace sluice {

namespace {

/// "run" or "resume": which command prints.
const char *g_command = "run";

/// What printError() said, for --json's "message" (cleared once the run starts).
QStringList g_problems;

void printError(const QString &message)
{
    g_problems.append(message);
    std::fprintf(stderr, "sluice %s: %s\n", g_command, message.toUtf8().constData());
}

/// What the command line asks for, read and checked.
struct RunArguments
{
    TransferSpec spec;
    RunOptions options;
    std::optional<QString> failedFile; ///< --failed
    std::optional<QString> reportFile; ///< --report
    QString journalFile; ///< --journal, the default one, or empty with --no-journal
    QString stateFile; ///< run.watermark: --state, or the default one; empty without a watermark
    bool quiet = false;
    bool json = false; ///< --json: the summary as one JSON object on stdout
    int progressIntervalMs = ProgressReporter::DefaultLinesIntervalMs;
};

const QString SetOption = QStringLiteral("set");
const QString FailedOption = QStringLiteral("failed");
const QString ReportOption = QStringLiteral("report");
const QString QuietOption = QStringLiteral("quiet");
const QString IntervalOption = QStringLiteral("progress-interval");
const QString JournalOption = QStringLiteral("journal");
const QString NoJournalOption = QStringLiteral("no-journal");
const QString ShardOption = QStringLiteral("shard");
const QString StateOption = QStringLiteral("state");
const QString JsonOption = QStringLiteral("json");

/// The options `run` and `resume` share.
void addOutputOptions(QCommandLineParser *parser)
{
    parser->addOption({IntervalOption,
                       QStringLiteral("When stderr is not a terminal, prints a progress line "
                                      "every SECONDS (default 5)."),
                       QStringLiteral("SECONDS")});
    parser->addOption(
        {FailedOption,
         QStringLiteral("Writes failed and invalid items with their errors to FILE (NDJSON)."),
         QStringLiteral("FILE")});
    parser->addOption({QuietOption, QStringLiteral("Shows no progress, only the summary.")});
    parser->addOption(
        {ReportOption,
         QStringLiteral("Writes a run report to FILE when the run ends: one HTML file with the "
                        "counts, rates, latency, charts and failures by cause (no secrets)."),
         QStringLiteral("FILE")});
    parser->addOption(
        {JsonOption,
         QStringLiteral("Prints the summary as one JSON object on stdout (for schedulers): "
                        "counts per status, seconds, items/s, exit code and exit reason; the "
                        "summary line goes to stderr then. Progress stays on stderr (--quiet "
                        "leaves it out).")});
}

void addRunOptions(QCommandLineParser *parser)
{
    parser->setApplicationDescription(QStringLiteral(
        "Runs a saved transfer without the desktop app: reads the rows its query returns,\n"
        "turns each into JSON and sends it to the target API.\n\n"
        "Exit codes: 0 every item was delivered; 1 some items failed or were invalid\n"
        "(also when run.stopAfterFailures stopped the run);\n"
        "2 the transfer could not run (configuration, connection or usage error);\n"
        "130 interrupted (undelivered items are written to --failed).\n\n"
        "Every run keeps a journal (a SQLite file) of every item's fate, in the app's data\n"
        "folder unless --journal says where; an interrupted run goes on with\n"
        "`sluice resume JOURNAL` (a shard's run: with the same shard)."));
    parser->addHelpOption();
    parser->addPositionalArgument(QStringLiteral("transfer"),
                                  QStringLiteral("The transfer file (.json)."),
                                  QStringLiteral("TRANSFER.json"));
    parser->addOption(
        {SetOption, QStringLiteral("Gives the query parameter :NAME the value VALUE (repeatable)."),
         QStringLiteral("NAME=VALUE")});
    parser->addOption({JournalOption,
                       QStringLiteral("Writes the run's journal to FILE (a new file; default: a "
                                      "new file in %1).")
                           .arg(QDir::toNativeSeparators(JournalFile::defaultFolder())),
                       QStringLiteral("FILE")});
    parser->addOption(
        {NoJournalOption, QStringLiteral("Keeps no journal: the run cannot be resumed.")});
    parser->addOption(
        {ShardOption,
         QStringLiteral("Moves only shard K of N (K from 0 to N-1): the rows whose "
                        "source.shardKey falls in it, chosen by the database. N runs with "
                        "0/N ... N-1/N, on one machine or many, move every row once. In a "
                        "Kubernetes Indexed Job: --shard $JOB_COMPLETION_INDEX/N."),
         QStringLiteral("K/N")});
    parser->addOption({StateOption,
                       QStringLiteral("An incremental transfer (run.watermark) keeps its state "
                                      "in FILE (default: beside the transfer, "
                                      "NAME.state.json)."),
                       QStringLiteral("FILE")});
    addOutputOptions(parser);
}

void addResumeOptions(QCommandLineParser *parser)
{
    parser->setApplicationDescription(QStringLiteral(
        "Goes on with an interrupted run from its journal: items the journal holds as\n"
        "delivered are not sent again, items sent but not confirmed are sent again, and the\n"
        "rows the run had not read yet are read from the source (its query runs again and\n"
        "the rows read before are passed over). The transfer, its parameters and its target\n"
        "are the journal's; secrets (passwordEnv, headersEnv, asked passwords) are taken\n"
        "again.\n\n"
        "Exit codes as sluice run: 0 every item of the run was delivered; 1 some failed or\n"
        "were invalid; 2 it could not go on (journal, configuration, connection, usage);\n"
        "130 interrupted again (resume again)."));
    parser->addHelpOption();
    parser->addPositionalArgument(QStringLiteral("journal"),
                                  QStringLiteral("The run's journal (.sluicerun)."),
                                  QStringLiteral("JOURNAL"));
    addOutputOptions(parser);
}

bool readOverrides(const QStringList &assignments, const TransferSpec &spec, RunOptions *options)
{
    const QString problem = readParameterOverrides(assignments, spec, &options->parameterOverrides);
    if (!problem.isEmpty())
        printError(problem);
    return problem.isEmpty();
}

/// run.watermark: where the state is kept, and the value it binds the parameter to (unless
/// --set gives the parameter); without a state file the first run binds the file's value.
bool readWatermarkState(const QCommandLineParser &parser, const QString &transferFile,
                        RunArguments *run)
{
    const std::optional<WatermarkSpec> &watermark = run->spec.run.watermark;
    if (!watermark) {
        if (!parser.isSet(StateOption))
            return true;
        printError(QStringLiteral("--state: %1 has no run.watermark (it is not an incremental "
                                  "transfer)")
                       .arg(transferFile));
        return false;
    }
    run->stateFile = parser.isSet(StateOption) ? parser.value(StateOption)
                                               : WatermarkState::defaultFile(transferFile);
    QString error;
    const std::optional<WatermarkState> state = WatermarkState::load(
        run->stateFile, *watermark, run->spec.query.parameters.value(watermark->parameter), &error);
    if (!error.isEmpty()) {
        printError(error);
        return false;
    }
    if (!state)
        return true;
    if (!run->options.parameterOverrides.contains(watermark->parameter))
        run->options.parameterOverrides.insert(watermark->parameter, state->value);
    run->options.watermarkDelivered = state->delivered;
    return true;
}

bool readInterval(const QString &text, int *intervalMs)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || seconds < 0.1 || seconds > 86400) {
        printError(
            QStringLiteral("--progress-interval %1: expected a number of seconds from 0.1 to 86400")
                .arg(text));
        return false;
    }
    *intervalMs = int(seconds * 1000);
    return true;
}

/// Reads the command line and the transfer file. Returns nullopt when there is nothing to
/// run, with *exitCode set: after --help (printed) or an error (printed).
/// Parses the command line of `sluice <command>`; false when there is nothing to run (after
/// --help, or an error: both printed, *exitCode set).
bool parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, int *exitCode)
{
    QStringList args = arguments;
    if (args.size() >= 2)
        args.removeAt(1); // the command
    *exitCode = ExitConfigError;
    if (!parser.parse(args)) {
        printError(parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(commandHelpText(parser, QLatin1String(g_command)).toUtf8().constData(), stdout);
        *exitCode = ExitAllDelivered;
        return false;
    }
    return true;
}

/// The options both commands share.
bool readOutputOptions(const QCommandLineParser &parser, RunArguments *run)
{
    if (parser.isSet(IntervalOption)
        && !readInterval(parser.value(IntervalOption), &run->progressIntervalMs))
        return false;
    if (parser.isSet(FailedOption))
        run->failedFile = parser.value(FailedOption);
    if (parser.isSet(ReportOption)) {
        run->reportFile = parser.value(ReportOption);
        const QFileInfo folder(QFileInfo(*run->reportFile).absolutePath());
        if (!folder.isDir() || !folder.isWritable()) {
            printError(QStringLiteral("--report %1: the folder %2 does not exist or is not "
                                      "writable")
                           .arg(*run->reportFile, QDir::toNativeSeparators(folder.filePath())));
            return false;
        }
    }
    run->quiet = parser.isSet(QuietOption);
    run->json = parser.isSet(JsonOption);
    return true;
}

std::optional<RunArguments> parseRunArguments(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    addRunOptions(&parser);
    if (!parseCommandLine(parser, arguments, exitCode))
        return std::nullopt;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        printError(
            positional.isEmpty()
                ? QStringLiteral("no transfer file given (see sluice run --help)")
                : QStringLiteral("one transfer file at a time, got %1").arg(positional.size()));
        return std::nullopt;
    }

    RunArguments run;
    QList<SpecError> errors;
    if (!TransferSpec::load(positional.first(), &run.spec, &errors)) {
        for (const SpecError &e : errors)
            printError(e.path.isEmpty() ? e.message : positional.first() + u": " + e.toString());
        return std::nullopt;
    }
    if (!readOverrides(parser.values(SetOption), run.spec, &run.options))
        return std::nullopt;
    if (parser.isSet(ShardOption)) {
        const QString text = parser.value(ShardOption);
        QString why;
        run.options.shard = Shard::fromText(text, &why);
        if (!run.options.shard) {
            printError(QStringLiteral("--shard %1: %2").arg(text, why));
            return std::nullopt;
        }
        if (!run.spec.source.shardKey.isSet()) {
            printError(
                QStringLiteral("--shard %1: the transfer has no source.shardKey, the column that "
                               "decides each row's shard; add one to %2, e.g. \"shardKey\": "
                               "{\"column\": \"id\", \"type\": \"integer\"} (or \"text\")")
                    .arg(text, positional.first()));
            return std::nullopt;
        }
    }
    if (!readWatermarkState(parser, positional.first(), &run))
        return std::nullopt;
    if (!readOutputOptions(parser, &run))
        return std::nullopt;
    if (parser.isSet(JournalOption) && parser.isSet(NoJournalOption)) {
        printError(QStringLiteral("--journal and --no-journal: choose one"));
        return std::nullopt;
    }
    if (parser.isSet(JournalOption)) {
        run.journalFile = parser.value(JournalOption);
        if (QFileInfo::exists(run.journalFile)) {
            printError(QStringLiteral("--journal %1: the file exists; a journal is one run's "
                                      "(to go on with that run: sluice resume %1)")
                           .arg(run.journalFile));
            return std::nullopt;
        }
    } else if (!parser.isSet(NoJournalOption)) {
        // The default folder keeps completed runs for a month (File > Open Run... in the
        // app); unfinished ones stay until resumed or deleted.
        JournalFile::pruneCompleted(JournalFile::defaultFolder());
        // The shard in the name: N shards started in the same second get N files.
        QString name = positional.first();
        if (run.options.shard)
            name = QFileInfo(name).completeBaseName()
                + QStringLiteral("-shard%1of%2")
                      .arg(run.options.shard->index)
                      .arg(run.options.shard->count);
        run.journalFile = JournalFile::newFileName(JournalFile::defaultFolder(), name,
                                                   QDateTime::currentDateTime());
        run.options.journalNameIsDefault = true;
    }
    run.options.journalFile = run.journalFile;
    run.options.transferFile = positional.first();
    return run;
}

std::optional<RunArguments> parseResumeArguments(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    addResumeOptions(&parser);
    if (!parseCommandLine(parser, arguments, exitCode))
        return std::nullopt;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        printError(positional.isEmpty()
                       ? QStringLiteral("no journal given (see sluice resume --help)")
                       : QStringLiteral("one journal at a time, got %1").arg(positional.size()));
        return std::nullopt;
    }
    RunArguments run;
    if (!readOutputOptions(parser, &run))
        return std::nullopt;
    QString error;
    std::optional<ResumeState> state = JournalFile::readResumeState(positional.first(), &error);
    if (!state) {
        printError(error);
        return std::nullopt;
    }
    if (state->summary.inUse) {
        printError(QStringLiteral("journal %1: in use by another Sluice that is running it")
                       .arg(positional.first()));
        return std::nullopt;
    }
    if (!state->summary.isResumable()) {
        printError(QStringLiteral("journal %1: this run completed (delivered %2, failed %3, "
                                  "invalid %4); there is nothing to go on with")
                       .arg(positional.first())
                       .arg(state->summary.delivered)
                       .arg(state->summary.failed)
                       .arg(state->summary.invalid));
        return std::nullopt;
    }
    if (state->spec.run.watermark) {
        // Its state file already holds what it delivered when it ended (a crash: what the
        // run before it delivered), and a new run reads on from there; a resume would send
        // items the state does not know of, and the next run would send them again.
        printError(QStringLiteral("journal %1: the transfer is incremental (run.watermark): run "
                                  "it again with sluice run %2; the new run reads from where "
                                  "its state file says and sends what is still owed")
                       .arg(positional.first(), state->summary.transferFile));
        return std::nullopt;
    }
    run.spec = state->spec;
    run.journalFile = positional.first();
    run.options.journalFile = run.journalFile;
    run.options.transferFile = state->summary.transferFile;
    run.options.resume = std::make_shared<const ResumeState>(std::move(*state));
    return run;
}

/// The exit code of a run that ended with outcome (see RunExitCode).
int exitCodeFor(TransferRun::Outcome outcome, const RunCounts &counts, bool interrupted,
                bool writeFailed)
{
    switch (outcome) {
    case TransferRun::Outcome::ConfigError:
    case TransferRun::Outcome::SourceError:
        return ExitConfigError;
    case TransferRun::Outcome::Stopped:
        return interrupted ? ExitInterrupted : ExitNotAllDelivered;
    case TransferRun::Outcome::Cancelled:
    case TransferRun::Outcome::Completed:
        break;
    }
    if (interrupted)
        return ExitInterrupted;
    if (counts.failed > 0 || counts.invalid > 0 || writeFailed)
        return ExitNotAllDelivered;
    return ExitAllDelivered;
}

/// Runs run to its end in the event loop: writes what is not delivered to failedWriter
/// (when open), stops at SIGINT/SIGTERM (quits at once at the second) and returns the exit
/// code; *ended: how the run ended.
int runToEnd(TransferRun &run, ProgressReporter &reporter, FailedWriter &failedWriter,
             std::optional<TransferRun::Outcome> *ended)
{
    int exitCode = ExitAllDelivered;
    bool interrupted = false;
    bool writeFailed = false;
    QObject::connect(&run, &TransferRun::itemFinished, &run, [&](const ItemResult &result) {
        if (result.status == ItemStatus::Delivered || !failedWriter.isOpen())
            return;
        if (!failedWriter.write(result) && !writeFailed) {
            writeFailed = true;
            QString error;
            failedWriter.close(&error);
            printError(error + QStringLiteral(" (stopping: failed items could not be recorded)"));
            run.cancel();
        }
    });
    QObject::connect(&run, &TransferRun::finished, &run,
                     [&](TransferRun::Outcome outcome, const QString &message) {
                         reporter.stop();
                         *ended = outcome;
                         // A stop has its own summary line (printSummary).
                         if (!message.isEmpty() && outcome != TransferRun::Outcome::Stopped) {
                             for (const QString &line : message.split(u'\n'))
                                 printError(line);
                         }
                         // Not an error, but easy to mistake for one that went unsaid
                         // (a wrong parameter, the wrong database).
                         if (outcome == TransferRun::Outcome::Completed && run.counts().read == 0)
                             printError(QStringLiteral("the query returned no rows: nothing was "
                                                       "sent"));
                         exitCode = exitCodeFor(outcome, run.counts(), interrupted, writeFailed);
                         QCoreApplication::exit(exitCode);
                     });

    UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});
    QObject::connect(&signalWatcher, &UnixSignalWatcher::signalReceived, &run, [&](int) {
        if (interrupted) {
            // A second interrupt: the user does not want to wait for in-flight requests.
            std::fputs("\nsluice run: interrupted twice, quitting at once\n", stderr);
            std::_Exit(ExitInterrupted);
        }
        interrupted = true;
        std::fputs("\nsluice run: interrupted, stopping (press Ctrl-C again to quit at once)\n",
                   stderr);
        run.cancel();
    });

    run.start();
    QCoreApplication::exec();
    return exitCode;
}

/// The summary line on stdout, and where the failed items went. A run that
/// run.stopAfterFailures stopped says so first.
void printSummary(const TransferRun &run, const FailedWriter &failedWriter,
                  const QString &failedFile, bool stopped, std::FILE *out)
{
    const RunCounts c = run.counts();
    const double seconds = run.elapsedSeconds();
    // A resumed run's rate is this process's: what it finished in the time it ran.
    const double rate = seconds > 0 ? double(c.finished() - run.resumedFinished()) / seconds : 0.0;
    if (stopped)
        std::fprintf(out, "stopped after %d failed items: ", run.spec().run.stopAfterFailures);
    std::fprintf(out, "delivered %lld", static_cast<long long>(c.delivered));
    if (c.alreadyDelivered > 0)
        std::fprintf(out, " (%lld of them by the previous run, not sent again)",
                     static_cast<long long>(c.alreadyDelivered));
    std::fprintf(out, ", failed %lld, invalid %lld in %.2f s (%.0f items/s)\n",
                 static_cast<long long>(c.failed), static_cast<long long>(c.invalid), seconds,
                 rate);
    if (failedWriter.linesWritten() > 0)
        std::fprintf(stderr, "sluice %s: %lld failed or invalid items written to %s\n", g_command,
                     static_cast<long long>(failedWriter.linesWritten()),
                     failedFile.toUtf8().constData());
    std::fflush(out);
}

/// --json when the run could not start: the exit code, why, and what printError() said.
void printFailureJson(bool json, int exitCode)
{
    if (!json || exitCode == ExitAllDelivered)
        return; // no --json, or --help
    RunSummary summary;
    summary.command = QLatin1String(g_command);
    summary.exitCode = exitCode;
    summary.reason = ExitReason::ConfigError;
    summary.message = g_problems.join(u'\n');
    std::fputs(summary.toJson().constData(), stdout);
    std::fflush(stdout);
}

int execute(RunArguments &args);

} // namespace

int runTransferCommand(const QStringList &arguments)
{
    g_command = "run";
    int exitCode = ExitConfigError;
    std::optional<RunArguments> parsed = parseRunArguments(arguments, &exitCode);
    if (!parsed) {
        printFailureJson(arguments.contains(QLatin1String("--json")), exitCode);
        return exitCode;
    }
    return execute(*parsed);
}

int resumeRunCommand(const QStringList &arguments)
{
    g_command = "resume";
    int exitCode = ExitConfigError;
    std::optional<RunArguments> parsed = parseResumeArguments(arguments, &exitCode);
    if (!parsed) {
        printFailureJson(arguments.contains(QLatin1String("--json")), exitCode);
        return exitCode;
    }
    return execute(*parsed);
}

namespace {

/// run.watermark: writes the state the next run starts from, when this one delivered
/// something; false when it could not be written (said on stderr).
bool saveWatermarkState(const TransferRun &run, const RunArguments &args)
{
    if (args.stateFile.isEmpty())
        return true;
    QString error;
    const std::optional<WatermarkState> state = run.watermarkState(&error);
    if (state && state->save(args.stateFile, &error)) {
        if (!args.quiet)
            std::fprintf(stderr, "sluice run: state %s: the next run starts from :%s = %s\n",
                         QDir::toNativeSeparators(args.stateFile).toUtf8().constData(),
                         state->parameter.toUtf8().constData(),
                         parameterText(state->value).toUtf8().constData());
        return true;
    }
    if (error.isEmpty())
        return true; // nothing delivered: the state stays as it was
    printError(error + QStringLiteral(" (the state file is unchanged)"));
    return false;
}

int execute(RunArguments &args)
{
    int exitCode = ExitConfigError;
    if (args.spec.source.askPassword)
        args.options.password = askPasswordOnTerminal(args.spec);

    FailedWriter failedWriter;
    if (args.failedFile) {
        QString error;
        if (!failedWriter.open(*args.failedFile, &error)) {
            printError(error);
            printFailureJson(args.json, ExitConfigError);
            return ExitConfigError;
        }
    }

    // Quiet: the summary and what went wrong, not what went right (the protocol, a recovery).
    if (args.quiet)
        QLoggingCategory::setFilterRules(QStringLiteral("sluice.*.info=false"));
    TransferRun run(args.spec, args.options);
    std::optional<TransferRun::Outcome> outcome;
    ProgressReporter reporter(
        &run, args.quiet ? ProgressReporter::Style::Quiet : ProgressReporter::Style::Live,
        args.progressIntervalMs);
    // Said once, before anything is sent; --quiet leaves it out: a scripted run's steward
    // has seen it when setting the transfer up, and the json-array and ndjson modes have no
    // way to avoid it.
    if (const QString risk = duplicateRisk(args.spec); !risk.isEmpty() && !args.quiet)
        printError(QStringLiteral("warning: ") + risk);
    const std::optional<Shard> shard
        = args.options.resume ? args.options.resume->shard : args.options.shard;
    if (!args.quiet && shard)
        std::fprintf(stderr, "sluice %s: shard %s: the rows whose %s falls in it\n", g_command,
                     shard->toText().toUtf8().constData(),
                     args.spec.source.shardKey.column.toUtf8().constData());
    // Said once the journal is open: a default name may have been taken meanwhile by a run
    // of the same transfer started in the same second, and the next number used.
    QObject::connect(&run, &TransferRun::journalOpened, &run, [&args](const QString &fileName) {
        if (args.quiet)
            return;
        std::fprintf(stderr, "sluice %s: journal %s\n", g_command,
                     QDir::toNativeSeparators(fileName).toUtf8().constData());
        if (const ResumeState *state = args.options.resume.get()) {
            std::fprintf(stderr, "sluice resume: %lld item(s) finished before, %lld owed; %s\n",
                         static_cast<long long>(state->summary.delivered + state->summary.failed
                                                + state->summary.invalid),
                         static_cast<long long>(state->unfinished.size()),
                         state->sourceDone ? "every row had been read"
                                           : QStringLiteral("reading on from row %1")
                                                 .arg(state->rowsRead + 1)
                                                 .toUtf8()
                                                 .constData());
        }
    });
    if (!args.quiet && !args.stateFile.isEmpty()) {
        const QString parameter = args.spec.run.watermark->parameter;
        const bool first = !args.options.parameterOverrides.contains(parameter)
            && !QFileInfo::exists(args.stateFile);
        std::fprintf(stderr, "sluice run: incremental: :%s = %s (%s %s)\n",
                     parameter.toUtf8().constData(),
                     parameterText(args.options.parameterOverrides.value(
                                       parameter, args.spec.query.parameters.value(parameter)))
                         .toUtf8()
                         .constData(),
                     first ? "first run, no state yet in" : "state",
                     QDir::toNativeSeparators(args.stateFile).toUtf8().constData());
    }
    QString endMessage;
    QObject::connect(
        &run, &TransferRun::finished, &run,
        [&endMessage](TransferRun::Outcome, const QString &message) { endMessage = message; });
    g_problems.clear(); // from here on: what the run itself reports
    exitCode = runToEnd(run, reporter, failedWriter, &outcome);
    if (!saveWatermarkState(run, args) && exitCode == ExitAllDelivered)
        exitCode = ExitNotAllDelivered;

    QString closeError;
    if (!failedWriter.close(&closeError)) {
        printError(closeError);
        if (exitCode == ExitAllDelivered)
            exitCode = ExitNotAllDelivered;
    }
    if (args.reportFile && outcome) {
        QString error;
        if (RunReport::fromRun(run, *outcome, endMessage).save(*args.reportFile, &error)) {
            if (!args.quiet)
                std::fprintf(stderr, "sluice %s: report %s\n", g_command,
                             QDir::toNativeSeparators(*args.reportFile).toUtf8().constData());
        } else {
            printError(error);
            if (exitCode == ExitAllDelivered)
                exitCode = ExitNotAllDelivered;
        }
    }
    if (run.state() == TransferRun::State::Finished && exitCode != ExitConfigError)
        printSummary(run, failedWriter, args.failedFile.value_or(QString()),
                     outcome == TransferRun::Outcome::Stopped, args.json ? stderr : stdout);
    if (args.json) {
        RunSummary summary;
        summary.command = QLatin1String(g_command);
        summary.exitCode = exitCode;
        summary.counts = run.counts();
        summary.reason = exitReasonOf(exitCode, outcome, summary.counts);
        if (summary.reason == ExitReason::ConfigError || summary.reason == ExitReason::SourceError)
            summary.message = g_problems.join(u'\n');
        summary.seconds = run.elapsedSeconds();
        // As the summary line: a resumed run's rate is this process's.
        summary.itemsPerSecond = summary.seconds > 0
            ? double(summary.counts.finished() - run.resumedFinished()) / summary.seconds
            : 0.0;
        summary.transferFile = args.options.transferFile;
        summary.journalFile = run.journalFile();
        summary.failedFile = args.failedFile.value_or(QString());
        summary.failedLines = failedWriter.linesWritten();
        std::fputs(summary.toJson().constData(), stdout);
        std::fflush(stdout);
    }
    // Interrupted, stopped, or it could not go on (the database went away): it can be resumed.
    const bool resumable = outcome == TransferRun::Outcome::Stopped
        || outcome == TransferRun::Outcome::Cancelled
        || outcome == TransferRun::Outcome::SourceError;
    if (!run.journalFile().isEmpty() && resumable) {
        std::fprintf(stderr, "sluice %s: to go on with this run: sluice resume %s\n", g_command,
                     QDir::toNativeSeparators(run.journalFile()).toUtf8().constData());
    }
    return exitCode;
}

} // namespace

} // namespace sluice
