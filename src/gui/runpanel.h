// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QAbstractItemView>
#include <QTimer>
#include <QWidget>

#include "models/itemfilterproxy.h"
#include "runsession.h"
#include "spec/transferspec.h"
#include "transfer/transferrun.h"

namespace Ui {
class RunPanel;
}

class QAction;

namespace sluice {

class EventLogModel;

/// The run step: Start, Pause/Resume and Cancel of a TransferRun, its progress and counts per
/// status (refreshed by a timer a few times a second, never per item), the live item table
/// (filter by status, search by key or error text, sort by any column), retry (selected or
/// all failed) and export of the failed items (NDJSON or CSV). Beside the table, one page
/// each: the selected item (ItemDetailsView, which also retries one item with edited JSON),
/// failures grouped by cause (FailureGroupsView) and the log (EventLogView); the panel wires
/// their requests to the table and the run.
///
/// The panel owns a RunSession, which holds the run, the models and the log. A new Start
/// replaces the previous run (the models are cleared). Everything runs on the GUI thread
/// without blocking: the run itself reads and sends off it.
class RunPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunPanel)

public:
    using ExportFormat = RunSession::ExportFormat;

    explicit RunPanel(QWidget *parent = nullptr);
    ~RunPanel() override;

    /// Called on Start for the transfer to run; nullopt means "do not start" (the caller
    /// already told the user why).
    void setSpecProvider(std::function<std::optional<TransferSpec>()> provider);
    /// Called on Start for parameter overrides, passwords and retry timing; optional.
    void setRunOptionsProvider(std::function<RunOptions()> provider);
    /// Called on a retry after the run finished, for the target as the form shows it now;
    /// optional. When it differs from the run's, the steward chooses where the items go.
    void setTargetProvider(std::function<std::pair<TargetSpec, RunSpec>()> provider);

    /// The current (or last) run; nullptr before the first Start and while a past run is
    /// only shown (openRun()).
    TransferRun *run() const { return m_session->run(); }
    TransferStatusModel *model() const { return m_session->model(); }
    FailureGroupModel *failureGroups() const { return m_session->failureGroups(); }
    /// What happened during the runs of this panel (bounded): starts, ends, retries and every
    /// failed or invalid item with its key, HTTP status and the API's answer.
    EventLog *eventLog() const { return m_session->eventLog(); }
    EventLogModel *logModel() const;
    /// The filtered, sorted view of model() that the table shows.
    ItemFilterProxy *proxyModel() const { return m_proxy; }
    /// Starting, running or paused.
    bool isRunning() const { return m_session->isRunning(); }

    QAction *startAction() const { return m_startAction; } ///< F5
    QAction *pauseAction() const { return m_pauseAction; } ///< F6, Pause or Resume
    QAction *cancelAction() const { return m_cancelAction; } ///< Shift+F5
    QAction *retryFailedAction() const { return m_retryFailedAction; } ///< Ctrl+R
    QAction *retrySelectedAction() const { return m_retrySelectedAction; }
    QAction *exportFailedAction() const { return m_exportAction; }
    /// Hides the panel's own Start, Pause, Cancel and Retry all failed buttons, for a window
    /// that shows these actions in its toolbar on every step (MainWindow).
    void hideButtonsShownInToolBar();
    /// Run > Save Report…: enabled once a run of this panel has ended.
    QAction *saveReportAction() const { return m_saveReportAction; }

    /// Writes every Failed and Invalid item to fileName: NDJSON (FailedWriter's lines) or CSV
    /// (key, status, HTTP status, attempts, error). Returns false with *error set when the
    /// file cannot be written. The Export action asks for the file and calls this.
    bool exportFailed(const QString &fileName, ExportFormat format, QString *error) const
    {
        return m_session->exportFailed(fileName, format, error);
    }

    /// Writes the run report of the last run (RunReport: one HTML file) to fileName. Returns
    /// false with *error set when there is no ended run or the file cannot be written. Save
    /// Report… asks for the file and calls this.
    bool saveReport(const QString &fileName, QString *error) const;
    /// Whether there is an ended run to report on (Save Report… is enabled).
    bool canSaveReport() const;
    /// What Export failed… does once its dialog gave fileName: writes the file, says how that
    /// went beside the button (red when it failed) and remembers the folder for next time.
    void exportFailedTo(const QString &fileName, ExportFormat format);
    /// What Save Report… does once its dialog gave fileName: as exportFailedTo().
    void saveReportTo(const QString &fileName);
    /// The folder Export failed… and Save Report… open in: the one either used last, else the
    /// transfer file's folder (of the run shown), else the home folder; never the process's
    /// working folder.
    QString exportFolder() const;
    /// The file Save Report… proposes: `<transfer>-report-<end time>.html` in exportFolder().
    QString suggestedReportFile() const;

    /// Shows a past run from its journal (RunSession::open()): its items in the table, its
    /// failures grouped; failed items of a run that owes nothing more can be retried (that
    /// goes on with the run in its journal). Refused while a run is going on. Returns false
    /// with *error when the journal cannot be read.
    bool openRun(const QString &journal, QString *error);
    /// Goes on with the opened past run (RunSession::resumeOpened()), with the run options
    /// (secrets) of a Start.
    void resumeOpenedRun();
    /// The past run shown (openRun()), until the next Start.
    std::optional<JournalSummary> openedRun() const { return m_session->openedRun(); }
    /// The opened past run's transfer as it ran; nullptr when none is open.
    const TransferSpec *openedSpec() const { return m_session->openedSpec(); }
    /// The journal of the current or opened run; empty when there is none.
    QString journalFile() const { return m_session->journalFile(); }
    /// Offers to go on with run (an interrupted one that owes items): a banner above the
    /// controls says what it owes, with Resume now (emits resumeRequested()) and Dismiss.
    /// It goes away when a run starts.
    void offerResume(const JournalSummary &run);
    /// The journal the banner offers to resume; empty when it is not shown.
    QString offeredRun() const { return m_offered; }

    /// Selects item id in the table (clearing a filter that hides it) and shows its details.
    /// Returns false when the current run has no such item.
    bool showItem(qint64 id);
    /// Shows every item again (no status filter, no search). A Start, an opened past run and
    /// another transfer do this, so no old filter hides their items.
    void clearFilter();

Q_SIGNALS:
    void runningChanged(bool running);
    /// Resume now was pressed on the banner for journal (see offerResume()).
    void resumeRequested(const QString &journal);

private:
    void createActions();
    void setUpFilter();
    void setUpItemTable();
    void connectViews();
    void start();
    void retryFailed();
    void retrySelected();
    void exportFailedInteractively();
    void saveReportInteractively();
    void retryIds(const QList<qint64> &ids);
    /// Before a retry of a finished run: false when the steward cancelled or the changed
    /// target cannot be used (the reason is shown).
    bool chooseRetryTarget();
    /// Filters the table to the items in status whose key or error contains message.
    void showFailures(ItemStatus status, const QString &message);
    void hideOffer();
    void onStateChanged();
    void onFinished(TransferRun::Outcome outcome, const QString &message);
    void refresh();
    void updateCounts(const RunCounts &counts);
    /// Progress bar, rate and time left.
    void updateProgress(const RunCounts &counts, qint64 total, bool totalKnown);
    QString stateText(const RunCounts &counts, bool totalKnown) const;
    void updateActions();
    void updateShownLabel();
    void applyFilter();
    /// Around a change of the table's filter (a reset): the item whose details are shown, and
    /// its JSON if edited, selected and restored after.
    void rememberShownItem();
    void showRememberedItem();
    /// The bar above the table that says which filter hides items, with Show all items.
    void updateFilterBar();
    void showDetails();
    /// Shows the selected item again when the model changed it, unless its JSON is edited.
    void onModelDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void showRunError(const QString &message);
    /// The answer to a retry or export, beside their buttons (red when isError); the run's
    /// state and error stay as they are. A later answer replaces it; a Start clears it.
    void showStatusMessage(const QString &message, bool isError);
    qint64 currentId() const;
    /// Selects item id's row in the table and scrolls to it; false when the filter hides it
    /// or there is no such item.
    bool selectInTable(qint64 id, QAbstractItemView::ScrollHint hint);

    std::unique_ptr<Ui::RunPanel> m_ui;
    std::function<std::optional<TransferSpec>()> m_specProvider;
    std::function<RunOptions()> m_optionsProvider;
    std::function<std::pair<TargetSpec, RunSpec>()> m_targetProvider;
    RunSession *m_session = nullptr;
    TransferStatusModel *m_model = nullptr; ///< the session's
    ItemFilterProxy *m_proxy = nullptr;
    QAction *m_startAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_retryFailedAction = nullptr;
    QAction *m_retrySelectedAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_saveReportAction = nullptr;
    QString m_endMessage; ///< the last run's end message, for its report
    QTimer m_refreshTimer;
    QTimer m_searchDebounce;
    bool m_running = false;
    QString m_offered; ///< the journal the banner offers to resume
    QString m_transferFile; ///< the transfer file of the last Start; empty: unsaved
    /// The item the details show though the filter hides it now (it left the filter while
    /// shown, as a retried item does); -1: the details follow the table's current row.
    qint64 m_offTableId = -1;
    qint64 m_keptId = -1; ///< rememberShownItem()
    std::optional<QString> m_keptEdit;
    bool m_removingShown = false; ///< the shown item's row is being removed from the table
    bool m_refreshPending = false; ///< a refresh() follows the table's last change
};

} // namespace sluice
