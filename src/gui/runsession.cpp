// SPDX-License-Identifier: GPL-3.0-or-later
#include "runsession.h"

#include <utility>

#include <QLocale>
#include <QSaveFile>

#include "db/rowcounter.h"
#include "db/sqlconnection.h"
#include "log/eventlog.h"
#include "models/failuregroupmodel.h"
#include "models/transferstatusmodel.h"
#include "runtext.h"
#include "transfer/failedcsv.h"
#include "transfer/failedwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

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
    const bool sourceDone = m_run && (m_run->isSourceDone() || m_outcome);
    *known = sourceDone || m_countedTotal >= 0;
    return sourceDone ? counts.read : qMax(m_countedTotal, counts.read);
}

void RunSession::start(const TransferSpec &spec, RunOptions options)
{
    if (m_run) {
        detach();
        m_run->deleteLater();
    }
    m_outcome.reset();
    m_countedTotal = -1;

    // One multi-arg call: a URL's own "%3A" must not be taken for a placeholder.
    m_log->append(EventLog::Severity::Info,
                  tr("Started: %1 to %2 %3, concurrency %4.")
                      .arg(driverDisplayName(spec.source.driver), spec.target.method,
                           spec.target.url, QString::number(spec.run.concurrency)));
    m_run = new TransferRun(spec, std::move(options), this);
    m_model->attach(m_run);
    m_groups->attach(m_run);
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
    m_run->start();
    countRows();
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
