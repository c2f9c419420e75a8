// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QObject>
#include <QPointer>

#include "journal/journalfile.h"
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
/// Past runs come from their journals: open() shows one's items without running anything,
/// and resumeOpened() goes on with it (a TransferRun resumed from the journal, which keeps
/// the rows shown): to send what an interrupted run owes, or to retry a finished run's
/// failed items.
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

    /// The current (or last) run; nullptr before the first start(), and while an opened
    /// past run is only shown.
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
    /// The run's counts; for an opened past run that does not go on, its journal's (the
    /// owed items as queued).
    RunCounts counts() const;
    /// The journal of the current run, or of the opened one; empty when there is none.
    QString journalFile() const;
    /// The past run open() showed, as its journal said then; nullopt after a new start().
    std::optional<JournalSummary> openedRun() const;
    /// The opened run's transfer as it ran (without secrets); nullptr when none is open.
    const TransferSpec *openedSpec() const;
    /// Whether retry() can send failed items again now: the run has started; or an opened
    /// past run owes nothing more (retrying it goes on with it, see resumeOpened()) and no
    /// running Sluice writes its journal.
    bool canRetry() const;

    /// Replaces the run with a new one for spec and starts it.
    void start(const TransferSpec &spec, RunOptions options);
    /// Shows a past run: replaces the run (refused while one is running) and fills the
    /// models from journal: every item with its status, attempts, error, answer and, for
    /// failed ones, payload; owed items as Queued. Nothing is sent. Returns false with
    /// *error naming the journal when it cannot be read.
    bool open(const QString &journal, QString *error);
    /// Goes on with the opened run: a TransferRun resumed from its journal (options'
    /// journal and resume are set here; secrets come from options as for start()) sends
    /// what it owes and reads the rest of the source. The rows shown stay. Does nothing
    /// without an opened run or while a run exists for it.
    void resumeOpened(RunOptions options);
    /// Pauses a running run, resumes a paused one.
    void togglePause();
    void cancel();
    /// Sends items (TransferStatusModel::itemsForRetry()) again; returns how many the run took.
    /// While the run starts (a resumed one), they wait until it runs and count as taken.
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
    /// Deletes the run now (its journal is closed and unlocked).
    void dropRun();
    void connectRun();
    void logJournal();
    /// Fills the models from journal's items.
    bool loadItems(const QString &journal, QString *error);
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
    /// The past run open() showed (and a run resumed from it goes on with).
    std::shared_ptr<const ResumeState> m_opened;
    QString m_openedFile;
    /// retry() while the run starts: sent once it runs.
    QList<Item> m_pendingRetry;
};

} // namespace sluice
