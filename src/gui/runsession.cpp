// SPDX-License-Identifier: GPL-3.0-or-later
#include "runsession.h"

#include <utility>

#include <QDir>
#include <QLocale>
#include <QSaveFile>

#include "db/rowcounter.h"
#include "db/sqlconnection.h"
#include "log/eventlog.h"
#include "models/failuregroupmodel.h"
#include "models/runlistmodel.h"
#include "models/transferstatusmodel.h"
#include "runtext.h"
#include "transfer/failedcsv.h"
#include "transfer/failedwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// Journal items are given to the models this many at a time (one row insertion each).
constexpr qsizetype LoadBatch = 1024;

} // namespace

RunSession::RunSession(QObject *parent)
    : QObject(parent)
    , m_model(new TransferStatusModel(this))
    , m_groups(new FailureGroupModel(this))
    , m_log(new EventLog(this))
{ }

RunSession::~RunSession()
{
    if (m_run) {
        detach();
        delete m_run;
    }
}

void RunSession::detach()
{
    m_model->attach(nullptr);
    m_groups->attach(nullptr);
    disconnect(m_run, nullptr, this, nullptr);
}

bool RunSession::isRunning() const
{
    if (!m_run)
        return false;
    const TransferRun::State state = m_run->state();
    return state == TransferRun::State::Starting || state == TransferRun::State::Running
        || state == TransferRun::State::Paused;
}

qint64 RunSession::total(const RunCounts &counts, bool *known) const
{
    const bool sourceDone
        = m_run ? m_run->isSourceDone() || m_outcome.has_value() : m_opened && m_opened->sourceDone;
    *known = sourceDone || m_countedTotal >= 0;
    return sourceDone ? counts.read : qMax(m_countedTotal, counts.read);
}

RunCounts RunSession::counts() const
{
    if (m_run)
        return m_run->counts();
    RunCounts c;
    if (!m_opened)
        return c;
    const JournalSummary &summary = m_opened->summary;
    c.read = summary.rowsRead;
    c.delivered = summary.delivered;
    c.failed = summary.failed;
    c.invalid = summary.invalid;
    c.queued = summary.unfinished;
    return c;
}

QString RunSession::journalFile() const
{
    if (m_run)
        return m_run->journalFile();
    return m_openedFile;
}

std::optional<JournalSummary> RunSession::openedRun() const
{
    if (!m_opened)
        return std::nullopt;
    return m_opened->summary;
}

const TransferSpec *RunSession::openedSpec() const
{
    return m_opened ? &m_opened->spec : nullptr;
}

bool RunSession::canRetry() const
{
    if (m_run)
        return m_run->state() != TransferRun::State::Idle
            && m_run->state() != TransferRun::State::Starting;
    return m_opened && !m_opened->summary.inUse && !RunListModel::owesItems(m_opened->summary);
}

void RunSession::start(const TransferSpec &spec, RunOptions options)
{
    if (m_run) {
        detach();
        m_run->deleteLater();
    }
    m_outcome.reset();
    m_countedTotal = -1;
    m_opened.reset();
    m_openedFile.clear();
    m_pendingRetry.clear();

    // One multi-arg call: a URL's own "%3A" must not be taken for a placeholder.
    m_log->append(EventLog::Severity::Info,
                  tr("Started: %1 to %2 %3, concurrency %4.")
                      .arg(driverDisplayName(spec.source.driver), spec.target.method,
                           spec.target.url, QString::number(spec.run.concurrency)));
    m_run = new TransferRun(spec, std::move(options), this);
    m_model->attach(m_run);
    m_groups->attach(m_run);
    connectRun();
    m_run->start();
    logJournal();
    countRows();
}

void RunSession::dropRun()
{
    if (!m_run)
        return;
    detach();
    delete m_run;
}

bool RunSession::open(const QString &journal, QString *error)
{
    if (isRunning()) {
        *error = tr("A run is going on: cancel it or let it finish first.");
        return false;
    }
    // The last run may hold this very journal: it lets go of it first.
    dropRun();
    m_model->clear();
    m_groups->clear();
    delete m_counter;
    m_outcome.reset();
    m_countedTotal = -1;
    m_pendingRetry.clear();
    m_opened.reset();
    m_openedFile.clear();

    std::optional<ResumeState> state = JournalFile::readResumeState(journal, error);
    if (!state)
        return false;
    if (!loadItems(journal, error)) {
        m_model->clear();
        m_groups->clear();
        return false;
    }
    m_opened = std::make_shared<const ResumeState>(std::move(*state));
    m_openedFile = journal;
    const JournalSummary &run = m_opened->summary;
    const QLocale locale;
    m_log->append(
        EventLog::Severity::Info,
        tr("Opened the run of %1 (%2, %3): %4 delivered, %5 failed, %6 invalid, "
           "%7 owed.")
            .arg(locale.toString(run.startedAt.toLocalTime(), QLocale::ShortFormat),
                 run.transferName.isEmpty() ? tr("unsaved transfer") : run.transferName,
                 RunListModel::endText(run).toLower(), locale.toString(run.delivered),
                 locale.toString(run.failed), locale.toString(run.invalid),
                 run.sourceDone
                     ? locale.toString(run.unfinished)
                     : tr("%1 and the rows not yet read").arg(locale.toString(run.unfinished))));
    logJournal();
    return true;
}

bool RunSession::loadItems(const QString &journal, QString *error)
{
    QList<JournalItem> batch;
    QList<Item> items;
    batch.reserve(LoadBatch);
    items.reserve(LoadBatch);
    const auto flush = [&] {
        m_model->addItems(items);
        for (const JournalItem &j : std::as_const(batch)) {
            const bool failed = j.status == ItemStatus::Failed && !j.cancelled;
            if (j.status != ItemStatus::Delivered && !failed && j.status != ItemStatus::Invalid) {
                // Owed: it goes again when the run does.
                if (j.attempts > 0)
                    m_model->setStatus(j.item.id, ItemStatus::Queued, j.attempts);
                continue;
            }
            ItemResult result;
            result.id = j.item.id;
            result.key = j.item.key;
            result.status = j.status;
            result.httpStatus = j.httpStatus;
            result.attempts = j.attempts;
            result.note = j.note;
            result.responseBody = j.response;
            result.requestId = j.requestId;
            if (j.status != ItemStatus::Delivered) {
                result.error = j.lastError;
                result.payload = j.item.payload;
                result.url = j.item.url;
                result.mayHaveArrived = j.mayHaveArrived;
                m_groups->addResult(result);
            }
            m_model->setResult(result);
        }
        batch.clear();
        items.clear();
    };
    const bool ok = JournalFile::forEachItem(
        journal,
        [&](const JournalItem &j) {
            batch.append(j);
            items.append(j.item);
            if (batch.size() >= LoadBatch)
                flush();
        },
        error);
    flush();
    m_model->flush();
    m_groups->flush();
    return ok;
}

void RunSession::resumeOpened(RunOptions options)
{
    if (!m_opened || m_run)
        return;
    m_outcome.reset();
    m_countedTotal = -1;
    options.journalFile = m_openedFile;
    options.transferFile = m_opened->summary.transferFile;
    options.resume = m_opened;
    const qsizetype owed = m_opened->unfinished.size();
    if (RunListModel::owesItems(m_opened->summary))
        m_log->append(
            EventLog::Severity::Info,
            m_opened->sourceDone
                ? tr("Resumed: %1 owed from before go again.").arg(RunText::itemCount(owed))
                : tr("Resumed: %1 owed from before go again, and reading goes on after "
                     "row %2.")
                      .arg(RunText::itemCount(owed), QLocale().toString(m_opened->rowsRead)));
    m_run = new TransferRun(m_opened->spec, std::move(options), this);
    // The rows shown are the run's items so far: they stay.
    m_model->attach(m_run, true);
    m_groups->attach(m_run, true);
    connectRun();
    m_run->start();
    countRows();
}

void RunSession::logJournal()
{
    const QString journal = journalFile();
    if (!journal.isEmpty())
        m_log->append(EventLog::Severity::Info,
                      tr("Journal: %1").arg(QDir::toNativeSeparators(journal)));
}

void RunSession::connectRun()
{
    connect(m_run, &TransferRun::itemFinished, this, &RunSession::onItemFinished);
    connect(m_run, &TransferRun::stateChanged, this, &RunSession::onStateChanged);
    connect(m_run, &TransferRun::finished, this, &RunSession::onFinished);
    connect(m_run, &TransferRun::protocolChanged, this, [this](const QString &protocol) {
        m_log->append(EventLog::Severity::Info, tr("The target answers over %1.").arg(protocol));
    });
    connect(m_run, &TransferRun::windowChanged, this,
            [this, previous = m_run->spec().run.concurrency](int window, int limit) mutable {
                // The start and the end of a slow-down, not every step of it.
                if (window < limit && previous == limit)
                    m_log->append(EventLog::Severity::Warning,
                                  tr("The server asked to slow down (HTTP 429 or 503): fewer "
                                     "requests at once until it recovers."));
                else if (window == limit && previous < limit)
                    m_log->append(
                        EventLog::Severity::Info,
                        tr("The server recovered: %1 requests at once again.").arg(limit));
                previous = window;
            });
}

void RunSession::countRows()
{
    // SQLite counts the query's rows exactly (and quickly): the progress bar gets its real
    // total before the source reaches its end. Other databases only estimate, if at all; the
    // bar stays busy until the last row is read. The run's spec has the parameter overrides.
    delete m_counter;
    if (m_run->spec().source.driver != u"QSQLITE"_s)
        return;
    m_counter = new RowCounter(m_run->spec().source, m_run->spec().query, QString(), this);
    connect(m_counter, &RowCounter::counted, this,
            [this](qint64 rows, RowCounter::Accuracy accuracy) {
                if (accuracy != RowCounter::Accuracy::Exact || !m_run || m_outcome)
                    return;
                m_countedTotal = rows;
                Q_EMIT totalChanged();
            });
    m_counter->start();
}

void RunSession::togglePause()
{
    if (!m_run)
        return;
    if (m_run->state() == TransferRun::State::Paused) {
        m_log->append(EventLog::Severity::Info, tr("Resumed."));
        m_run->resume();
    } else if (m_run->state() == TransferRun::State::Running) {
        m_log->append(EventLog::Severity::Info,
                      tr("Paused: requests already sent are finished, no new ones go out."));
        m_run->pause();
    }
}

void RunSession::cancel()
{
    if (isRunning())
        m_run->cancel();
}

int RunSession::retry(const QList<Item> &items)
{
    if (!m_run)
        return 0;
    if (m_run->state() == TransferRun::State::Idle
        || m_run->state() == TransferRun::State::Starting) {
        m_pendingRetry += items;
        return int(items.size());
    }
    const int accepted = m_run->retry(items);
    m_log->append(EventLog::Severity::Info,
                  tr("Sending again: %1.").arg(RunText::itemCount(accepted)));
    return accepted;
}

bool RunSession::retarget(const TargetSpec &target, const RunSpec &run, QString *error)
{
    if (!m_run->retarget(target, run, error))
        return false;
    m_log->append(EventLog::Severity::Info,
                  tr("Target changed for retries: %1 %2.").arg(target.method, target.url));
    return true;
}

bool RunSession::exportFailed(const QString &fileName, ExportFormat format, QString *error) const
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(fileName, file.errorString());
        return false;
    }
    if (format == ExportFormat::Csv)
        file.write(FailedCsv::header());
    const int rows = m_model->rowCount();
    for (int row = 0; row < rows; ++row) {
        if (!isFailure(m_model->statusAt(row)))
            continue;
        const ItemResult result = m_model->resultAt(row);
        file.write(format == ExportFormat::Csv ? FailedCsv::line(result)
                                               : FailedWriter::toJsonLine(result) + '\n');
    }
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(fileName, file.errorString());
        return false;
    }
    return true;
}

void RunSession::onStateChanged(TransferRun::State state)
{
    if (state == TransferRun::State::Running)
        m_outcome.reset(); // a retry after the end runs again
    if (state == TransferRun::State::Running && !m_pendingRetry.isEmpty())
        retry(std::exchange(m_pendingRetry, {}));
    if (state == TransferRun::State::Finished)
        m_pendingRetry.clear(); // it could not start
    Q_EMIT stateChanged(state);
}

void RunSession::onItemFinished(const ItemResult &result)
{
    if (result.status == ItemStatus::Delivered) {
        // Rare, and worth finding again: a line that leads to the item.
        if (!result.note.isEmpty())
            m_log->append(EventLog::Severity::Info,
                          tr("%1 delivered: %2").arg(result.key, result.note), result.id,
                          result.key, result.httpStatus);
        return;
    }
    EventLog::Entry entry;
    entry.severity = EventLog::Severity::Error;
    entry.itemId = result.id;
    entry.key = result.key;
    entry.httpStatus = result.httpStatus;
    entry.text = result.status == ItemStatus::Invalid
        ? tr("%1 is invalid: %2").arg(result.key, result.error)
        : tr("%1 failed (attempts: %2): %3")
              .arg(result.key, QString::number(result.attempts), result.error);
    m_log->append(entry);
}

void RunSession::onFinished(TransferRun::Outcome outcome, const QString &message)
{
    m_outcome = outcome;
    const RunCounts counts = m_run->counts();
    const QString took = RunText::duration(m_run->elapsedSeconds());
    const QLocale locale;
    switch (outcome) {
    case TransferRun::Outcome::Completed:
        if (counts.read == 0) {
            // Said plainly: an empty result is easy to mistake for a run that did nothing.
            m_log->append(
                EventLog::Severity::Warning,
                tr("Finished in %1: the query returned no rows, nothing was sent.").arg(took));
            break;
        }
        m_log->append(counts.failed + counts.invalid > 0 ? EventLog::Severity::Warning
                                                         : EventLog::Severity::Info,
                      tr("Finished in %1: %2 delivered, %3 failed, %4 invalid.")
                          .arg(took, locale.toString(counts.delivered),
                               locale.toString(counts.failed), locale.toString(counts.invalid)));
        break;
    case TransferRun::Outcome::Cancelled:
        m_log->append(EventLog::Severity::Warning,
                      tr("Cancelled after %1: %2 delivered, %3 not.")
                          .arg(took, locale.toString(counts.delivered),
                               locale.toString(counts.failed + counts.invalid)));
        break;
    case TransferRun::Outcome::Stopped:
        m_log->append(EventLog::Severity::Warning,
                      tr("Stopped after %1 failed or invalid items (the transfer's limit), in "
                         "%2: %3 delivered, %4 failed, %5 invalid. Nothing more was read.")
                          .arg(locale.toString(m_run->spec().run.stopAfterFailures), took,
                               locale.toString(counts.delivered), locale.toString(counts.failed),
                               locale.toString(counts.invalid)));
        break;
    case TransferRun::Outcome::ConfigError:
    case TransferRun::Outcome::SourceError:
        m_log->append(EventLog::Severity::Error, tr("Stopped: %1").arg(message));
        break;
    }
    Q_EMIT finished(outcome, message);
}

} // namespace sluice
