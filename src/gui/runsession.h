// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QList>
#include <QObject>
#include <QPointer>

#include "spec/transferspec.h"
#include "transfer/transferrun.h"

namespace sluice {

class EventLog;
class FailureGroupModel;
class RowCounter;
class TransferStatusModel;

/// The Run tab's runs, without widgets: starts a TransferRun for a spec (a new start replaces
/// the previous run and clears the models), feeds the item model and the failure groups from
/// it, counts a SQLite query's rows for an early total, and pauses, resumes, cancels, retries
/// and retargets it. Each step goes into the event log in the steward's words, every failed
/// or invalid item the moment it fails, and every item delivered with a remark
/// (ItemResult::note). RunPanel shows the session and asks it.
///
/// Threads: the GUI thread (the run's signals arrive there); the run reads and sends off it.
class RunSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunSession)

public:
    enum class ExportFormat { Ndjson, Csv };

    explicit RunSession(QObject *parent = nullptr);
    ~RunSession() override;

    /// The current (or last) run; nullptr before the first start().
    TransferRun *run() const { return m_run; }
    TransferStatusModel *model() const { return m_model; }
    FailureGroupModel *failureGroups() const { return m_groups; }
    EventLog *eventLog() const { return m_log; }
    /// Starting, running or paused.
    bool isRunning() const;
    /// How the run ended; nullopt before the end (and again while a retry runs).
    std::optional<TransferRun::Outcome> outcome() const { return m_outcome; }
    /// The items the run will have, given its counts: the rows read once the source is done,
    /// before that the database's exact count when it gave one (rows added meanwhile may
    /// still raise it). *known is false while there is neither.
    qint64 total(const RunCounts &counts, bool *known) const;

    /// Replaces the run with a new one for spec and starts it.
    void start(const TransferSpec &spec, RunOptions options);
    /// Pauses a running run, resumes a paused one.
    void togglePause();
    void cancel();
    /// Sends items (TransferStatusModel::itemsForRetry()) again; returns how many the run took.
    int retry(const QList<Item> &items);
    /// Sends the run's next retries to target with run's settings (TransferRun::retarget()).
    bool retarget(const TargetSpec &target, const RunSpec &run, QString *error);

    /// Writes every Failed and Invalid item to fileName at once (QSaveFile: the file is
    /// whole or not there): NDJSON (FailedWriter's lines) or CSV (FailedCsv). Returns false
    /// with *error set when the file cannot be written.
    bool exportFailed(const QString &fileName, ExportFormat format, QString *error) const;

Q_SIGNALS:
    void stateChanged(sluice::TransferRun::State state);
    /// The database counted the rows: total() knows more.
    void totalChanged();
    /// The run ended (also after a retry); outcome() is set and the end is logged.
    void finished(sluice::TransferRun::Outcome outcome, const QString &message);

private:
    void detach();
    void countRows();
    void onStateChanged(TransferRun::State state);
    void onItemFinished(const ItemResult &result);
    void onFinished(TransferRun::Outcome outcome, const QString &message);

    TransferStatusModel *m_model = nullptr;
    FailureGroupModel *m_groups = nullptr;
    EventLog *m_log = nullptr;
    QPointer<TransferRun> m_run;
    QPointer<RowCounter> m_counter;
    qint64 m_countedTotal = -1; ///< the database's exact count for the current run, -1 if none
    std::optional<TransferRun::Outcome> m_outcome;
};

} // namespace sluice
