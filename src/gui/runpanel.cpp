// SPDX-License-Identifier: GPL-3.0-or-later
#include "runpanel.h"

#include "ui_runpanel.h"

#include <algorithm>
#include <utility>

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLocale>
#include <QSettings>
#include <QStyle>
#include <QToolButton>

#include "accessibletext.h"
#include "eventlogview.h"
#include "failuregroupsview.h"
#include "itemdetailsview.h"
#include "models/itemsortproxy.h"
#include "models/runlistmodel.h"
#include "models/transferstatusmodel.h"
#include "palette.h"
#include "retrytargetquestion.h"
#include "runtext.h"
#include "statusdelegate.h"
#include "transfer/runreport.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr int RefreshIntervalMs = 250;
constexpr int SearchDebounceMs = 200;
const QString ExportFolderKey = u"run/exportFolder"_s;

} // namespace

RunPanel::RunPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::RunPanel>())
    , m_session(new RunSession(this))
    , m_model(m_session->model())
    , m_proxy(new ItemFilterProxy(m_model, this))
{
    m_ui->setupUi(this);
    createActions();
    setUpFilter();
    setUpItemTable();
    connectViews();

    setTextColor(m_ui->runErrorLabel, errorColor(palette()));
    QPalette banner = m_ui->resumeBanner->palette();
    banner.setColor(QPalette::Window, themedColor(palette(), 0xfff4d6, 0x4a3d14));
    m_ui->resumeBanner->setPalette(banner);
    connect(m_ui->resumeButton, &QPushButton::clicked, this, [this] {
        const QString journal = m_offered;
        hideOffer();
        Q_EMIT resumeRequested(journal);
    });
    connect(m_ui->dismissButton, &QPushButton::clicked, this, &RunPanel::hideOffer);

    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);

    m_refreshTimer.setInterval(RefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &RunPanel::refresh);

    refresh();
}

void RunPanel::createActions()
{
    QStyle *st = style();
    m_startAction = new QAction(st->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), this);
    m_startAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_startAction->setToolTip(tr("Start the transfer (F5)"));
    m_pauseAction = new QAction(st->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
    m_pauseAction->setShortcut(QKeySequence(Qt::Key_F6));
    m_pauseAction->setToolTip(tr("Pause or resume sending (F6)"));
    m_cancelAction = new QAction(st->standardIcon(QStyle::SP_MediaStop), tr("&Cancel"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_cancelAction->setToolTip(
        tr("Stop the transfer; unsent items are reported failed (Shift+F5)"));
    m_retryFailedAction
        = new QAction(st->standardIcon(QStyle::SP_BrowserReload), tr("Retry &all failed"), this);
    m_retryFailedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_retryFailedAction->setToolTip(tr("Send every failed item again (Ctrl+R)"));
    m_retrySelectedAction = new QAction(tr("Retry s&elected"), this);
    m_retrySelectedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_retrySelectedAction->setToolTip(tr("Send the selected failed items again (Ctrl+Shift+R)"));
    m_exportAction
        = new QAction(st->standardIcon(QStyle::SP_DialogSaveButton), tr("E&xport failed…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Write the failed items to an NDJSON or CSV file (Ctrl+E)"));

    m_ui->startButton->setDefaultAction(m_startAction);
    m_ui->pauseButton->setDefaultAction(m_pauseAction);
    m_ui->cancelButton->setDefaultAction(m_cancelAction);
    m_ui->retryFailedButton->setDefaultAction(m_retryFailedAction);
    m_ui->retrySelectedButton->setDefaultAction(m_retrySelectedAction);
    m_saveReportAction = new QAction(tr("Save &Report…"), this);
    m_saveReportAction->setToolTip(
        tr("Write a report of the run to hand on: one HTML file with the counts, rates, "
           "latency, charts and failures by cause (no secrets)"));
    m_ui->exportButton->setDefaultAction(m_exportAction);
    // Shortcuts work while the panel's window is active, also before the menu exists.
    for (QAction *action : {m_startAction, m_pauseAction, m_cancelAction, m_retryFailedAction,
                            m_retrySelectedAction, m_exportAction, m_saveReportAction}) {
        action->setShortcutContext(Qt::WindowShortcut);
    }

    connect(m_startAction, &QAction::triggered, this, &RunPanel::start);
    connect(m_pauseAction, &QAction::triggered, m_session, &RunSession::togglePause);
    connect(m_cancelAction, &QAction::triggered, m_session, &RunSession::cancel);
    connect(m_retryFailedAction, &QAction::triggered, this, &RunPanel::retryFailed);
    connect(m_retrySelectedAction, &QAction::triggered, this, &RunPanel::retrySelected);
    connect(m_exportAction, &QAction::triggered, this, &RunPanel::exportFailedInteractively);
    connect(m_saveReportAction, &QAction::triggered, this, &RunPanel::saveReportInteractively);
}

void RunPanel::hideButtonsShownInToolBar()
{
    for (QToolButton *button :
         {m_ui->startButton, m_ui->pauseButton, m_ui->cancelButton, m_ui->retryFailedButton})
        button->hide();
}

void RunPanel::setUpFilter()
{
    // Filter combo: All, then each status; the item data is the status (or -1).
    m_ui->filterCombo->addItem(tr("All items"), -1);
    const std::pair<ItemStatus, QString> statuses[] = {
        {ItemStatus::Queued, tr("Queued")},     {ItemStatus::Sending, tr("Sending")},
        {ItemStatus::Retrying, tr("Retrying")}, {ItemStatus::Delivered, tr("Delivered")},
        {ItemStatus::Failed, tr("Failed")},     {ItemStatus::Invalid, tr("Invalid")},
    };
    for (const auto &[status, name] : statuses)
        m_ui->filterCombo->addItem(name, int(status));

    connect(m_ui->filterCombo, &QComboBox::currentIndexChanged, this, &RunPanel::applyFilter);
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(SearchDebounceMs);
    connect(&m_searchDebounce, &QTimer::timeout, this, &RunPanel::applyFilter);
    connect(m_ui->searchEdit, &QLineEdit::textChanged, &m_searchDebounce,
            qOverload<>(&QTimer::start));
    connect(m_ui->searchEdit, &QLineEdit::returnPressed, this, &RunPanel::applyFilter);

    // An active filter must be impossible to miss: a coloured bar says what it hides.
    QPalette bar = m_ui->filterBar->palette();
    bar.setColor(QPalette::Window, themedColor(palette(), 0xe3f0fb, 0x1c3347));
    m_ui->filterBar->setPalette(bar);
    connect(m_ui->showAllButton, &QPushButton::clicked, this, &RunPanel::clearFilter);
}

void RunPanel::setUpItemTable()
{
    QTableView *table = m_ui->itemTable;
    // Connected before the table's selection model exists, so this runs before it moves the
    // current row to a neighbour: when the item whose details are shown leaves the filter (a
    // retried item is Delivered now), the details stay on it.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) {
                const qint64 shown = m_ui->itemTab->itemId();
                const int sourceRow = shown >= 0 ? m_model->rowForId(shown) : -1;
                const int row = sourceRow >= 0
                    ? m_proxy->mapFromModel(m_model->index(sourceRow, 0)).row()
                    : -1;
                if (row >= first && row <= last) {
                    m_offTableId = shown;
                    m_removingShown = true;
                }
            });
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!m_removingShown)
            return;
        // No neighbour looks selected while the details show the item that left.
        m_ui->itemTable->selectionModel()->clear();
        m_removingShown = false;
    });
    table->setModel(m_proxy);
    table->setItemDelegateForColumn(TransferStatusModel::Status, new StatusDelegate(table));
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    QHeaderView *header = table->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->resizeSection(TransferStatusModel::Key, 160);
    // Wide enough for the longest status name in the window's language, after its dot.
    int statusWidth = 100;
    for (int status = 0; status < ItemStatusCount; ++status) {
        const QString name = TransferStatusModel::statusName(ItemStatus(status));
        statusWidth = std::max(statusWidth, table->fontMetrics().horizontalAdvance(name) + 32);
    }
    header->resizeSection(TransferStatusModel::Status, statusWidth);
    header->resizeSection(TransferStatusModel::HttpStatus, 60);
    header->resizeSection(TransferStatusModel::Attempts, 70);
    header->resizeSection(TransferStatusModel::Latency, 75);
    // Queue order until the steward clicks a header.
    header->setSortIndicator(-1, Qt::AscendingOrder);
    m_proxy->sort(-1);
    // The table never grows row heights: a million rows must not be measured.
    table->setWordWrap(false);
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RunPanel::showDetails);
    connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunPanel::updateActions);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &RunPanel::updateShownLabel);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &RunPanel::updateShownLabel);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RunPanel::updateShownLabel);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &RunPanel::updateShownLabel);
    // A million rows take up to a second to sort (in the background): say so meanwhile.
    // ... and to look for a text in a million keys: say so too.
    const auto showBusy = [this] {
        if (m_proxy->sorter()->isSorting() || m_proxy->isSearching())
            m_ui->itemTable->viewport()->setCursor(Qt::BusyCursor);
        else
            m_ui->itemTable->viewport()->unsetCursor();
        updateShownLabel();
    };
    connect(m_proxy->sorter(), &ItemSortProxy::sortingChanged, this, showBusy);
    connect(m_proxy, &ItemFilterProxy::searchingChanged, this, showBusy);
    connect(m_proxy, &ItemFilterProxy::filterAboutToChange, this, &RunPanel::rememberShownItem);
    connect(m_proxy, &ItemFilterProxy::filterChanged, this, &RunPanel::showRememberedItem);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_offTableId = -1; // other items now
        showDetails();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RunPanel::onModelDataChanged);
    // The counters change with the table, not a refresh later: right after Start the table
    // fills while the counters would still read 0. One refresh per pass of the event loop
    // however many ranges a flush reports.
    const auto refreshSoon = [this] {
        if (std::exchange(m_refreshPending, true))
            return;
        QTimer::singleShot(0, this, [this] {
            m_refreshPending = false;
            refresh();
        });
    };
    connect(m_model, &QAbstractItemModel::rowsInserted, this, refreshSoon);
    connect(m_model, &QAbstractItemModel::dataChanged, this, refreshSoon);
}

void RunPanel::connectViews()
{
    ItemDetailsView *details = m_ui->itemTab;
    details->setModel(m_model);
    connect(details, &ItemDetailsView::retryRequested, this, [this](qint64 id) { retryIds({id}); });

    FailureGroupsView *groups = m_ui->failuresTab;
    groups->setModel(m_session->failureGroups());
    connect(groups, &FailureGroupsView::showRequested, this, &RunPanel::showFailures);
    connect(groups, &FailureGroupsView::retryRequested, this, &RunPanel::retryIds);

    EventLogView *log = m_ui->logTab;
    log->setLog(m_session->eventLog());
    connect(log, &EventLogView::itemActivated, this, &RunPanel::showItem);

    connect(m_session, &RunSession::stateChanged, this, &RunPanel::onStateChanged);
    connect(m_session, &RunSession::totalChanged, this, &RunPanel::refresh);
    connect(m_session, &RunSession::finished, this, &RunPanel::onFinished);
}

RunPanel::~RunPanel()
{
    // Ending the run resets the models, and the panel's slots need the form: end the
    // session while the form still exists (m_ui goes before the child objects).
    delete m_session;
}

void RunPanel::setSpecProvider(std::function<std::optional<TransferSpec>()> provider)
{
    m_specProvider = std::move(provider);
}

void RunPanel::setRunOptionsProvider(std::function<RunOptions()> provider)
{
    m_optionsProvider = std::move(provider);
}

void RunPanel::setTargetProvider(std::function<std::pair<TargetSpec, RunSpec>()> provider)
{
    m_targetProvider = std::move(provider);
}

bool RunPanel::chooseRetryTarget()
{
    TransferRun *run = m_session->run();
    if (!m_targetProvider || !run || run->state() != TransferRun::State::Finished)
        return true;
    const auto [target, settings] = m_targetProvider();
    const TransferSpec &current = run->spec();
    if (target == current.target && settings.concurrency == current.run.concurrency
        && settings.maxRetries == current.run.maxRetries)
        return true;

    const auto answer = RetryTargetQuestion::ask(this, target, current.target);
    if (answer != RetryTargetQuestion::Answer::Changed)
        return answer == RetryTargetQuestion::Answer::Original;
    QString error;
    if (!m_session->retarget(target, settings, &error)) {
        showRunError(tr("The items cannot go to the changed target: %1").arg(error));
        return false;
    }
    showRunError({});
    return true;
}

void RunPanel::start()
{
    if (isRunning())
        return;
    if (!m_specProvider) {
        showRunError(tr("There is no transfer to run."));
        return;
    }
    const std::optional<TransferSpec> spec = m_specProvider();
    if (!spec)
        return;
    RunOptions options = m_optionsProvider ? m_optionsProvider() : RunOptions();
    m_transferFile = options.transferFile;
    showRunError({});
    clearFilter(); // a filter chosen for the last run must not hide this one's items
    showStatusMessage({}, false);
    m_session->start(*spec, std::move(options));
    refresh();
}

void RunPanel::offerResume(const JournalSummary &run)
{
    const QLocale locale;
    const QString transfer
        = run.transferName.isEmpty() ? tr("an unsaved transfer") : run.transferName.toHtmlEscaped();
    const QString unread = run.sourceDone ? QString() : tr(", the rest of the rows not read yet");
    setLabelText(m_ui->resumeLabel,
                 tr("<b>A run of %1 did not finish</b> (%2, started %3): %4 delivered, %5 owed%6. "
                    "Resuming goes on where it stopped; delivered items are not sent again.")
                     .arg(transfer, RunListModel::endText(run).toLower(),
                          locale.toString(run.startedAt.toLocalTime(), QLocale::ShortFormat),
                          locale.toString(run.delivered), RunText::itemCount(run.unfinished),
                          unread));
    m_ui->resumeBanner->setToolTip(QDir::toNativeSeparators(run.fileName));
    m_offered = run.fileName;
    m_ui->resumeBanner->show();
}

void RunPanel::hideOffer()
{
    m_offered.clear();
    m_ui->resumeBanner->hide();
}

bool RunPanel::openRun(const QString &journal, QString *error)
{
    const bool ok = m_session->open(journal, error);
    clearFilter();
    const std::optional<JournalSummary> opened = m_session->openedRun();
    if (opened && RunListModel::canResume(*opened))
        offerResume(*opened);
    else
        hideOffer();
    showRunError({});
    m_refreshTimer.stop();
    refresh();
    showDetails();
    if (ok && m_model->count(ItemStatus::Failed) + m_model->count(ItemStatus::Invalid) > 0
        && m_ui->itemTab->itemId() < 0)
        m_ui->detailsTabs->setCurrentWidget(m_ui->failuresTab);
    return ok;
}

void RunPanel::resumeOpenedRun()
{
    if (isRunning() || !m_session->openedRun())
        return;
    RunOptions options = m_optionsProvider ? m_optionsProvider() : RunOptions();
    showRunError({});
    m_session->resumeOpened(std::move(options));
    refresh();
}

void RunPanel::retryFailed()
{
    QList<qint64> ids = m_model->idsWithStatus(ItemStatus::Failed);
    ids += m_model->idsWithStatus(ItemStatus::Invalid);
    retryIds(ids);
}

void RunPanel::retrySelected()
{
    QList<qint64> ids;
    const QModelIndexList rows = m_ui->itemTable->selectionModel()->selectedRows();
    ids.reserve(rows.size());
    for (const QModelIndex &index : rows)
        ids.append(index.data(TransferStatusModel::ItemIdRole).toLongLong());
    retryIds(ids);
}

void RunPanel::retryIds(const QList<qint64> &ids)
{
    if (!m_session->canRetry() || ids.isEmpty())
        return;
    const QList<Item> items = m_model->itemsForRetry(ids);
    if (items.isEmpty()) {
        showStatusMessage(tr("Nothing to retry: only failed items, and invalid items with "
                             "edited JSON, can be sent again."),
                          false);
        return;
    }
    if (!chooseRetryTarget())
        return;
    // A past run shown from its journal goes on to send them, to its own target.
    if (!m_session->run())
        resumeOpenedRun();
    m_session->retry(items);
    refresh();
}

void RunPanel::showFailures(ItemStatus status, const QString &message)
{
    m_ui->filterCombo->setCurrentIndex(m_ui->filterCombo->findData(int(status)));
    m_ui->searchEdit->setText(message);
    applyFilter();
    m_ui->itemTable->setFocus();
}

bool RunPanel::selectInTable(qint64 id, QAbstractItemView::ScrollHint hint)
{
    const int row = m_model->rowForId(id);
    const QModelIndex index
        = row >= 0 ? m_proxy->mapFromModel(m_model->index(row, 0)) : QModelIndex();
    if (!index.isValid())
        return false;
    m_ui->itemTable->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_ui->itemTable->scrollTo(index, hint);
    return true;
}

bool RunPanel::showItem(qint64 id)
{
    if (m_model->rowForId(id) < 0)
        return false;
    if (!selectInTable(id, QAbstractItemView::PositionAtCenter)) {
        // A filter hides it: show everything again.
        clearFilter();
        if (!selectInTable(id, QAbstractItemView::PositionAtCenter))
            return false;
    }
    m_ui->detailsTabs->setCurrentWidget(m_ui->itemTab);
    return true;
}

void RunPanel::exportFailedInteractively()
{
    const QString ndjson = tr("Newline-delimited JSON (*.ndjson *.jsonl)");
    const QString csv = tr("CSV (*.csv)");
    QString filter = ndjson;
    QString fileName = QFileDialog::getSaveFileName(
        this, tr("Export Failed Items"), QDir(exportFolder()).filePath(tr("failed.ndjson")),
        ndjson + u";;"_s + csv, &filter);
    if (fileName.isEmpty())
        return;
    const ExportFormat format = filter == csv ? ExportFormat::Csv : ExportFormat::Ndjson;
    if (QFileInfo(fileName).suffix().isEmpty())
        fileName += format == ExportFormat::Csv ? u".csv"_s : u".ndjson"_s;
    exportFailedTo(fileName, format);
}

void RunPanel::exportFailedTo(const QString &fileName, ExportFormat format)
{
    QString error;
    if (!exportFailed(fileName, format, &error)) {
        showStatusMessage(error, true);
        return;
    }
    QSettings().setValue(ExportFolderKey, QFileInfo(fileName).absolutePath());
    showStatusMessage(tr("Failed items written to %1.").arg(QFileInfo(fileName).fileName()), false);
}

QString RunPanel::exportFolder() const
{
    const QString last = QSettings().value(ExportFolderKey).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir())
        return last;
    const std::optional<JournalSummary> opened = m_session->openedRun();
    const QString transfer = opened ? opened->transferFile : m_transferFile;
    if (!transfer.isEmpty() && QFileInfo(transfer).absoluteDir().exists())
        return QFileInfo(transfer).absolutePath();
    return QDir::homePath();
}

bool RunPanel::canSaveReport() const
{
    const TransferRun *run = m_session->run();
    return run && run->state() == TransferRun::State::Finished && m_session->outcome();
}

bool RunPanel::saveReport(const QString &fileName, QString *error) const
{
    if (!canSaveReport()) {
        if (error)
            *error = tr("There is no ended run to report on.");
        return false;
    }
    return RunReport::fromRun(*m_session->run(), *m_session->outcome(), m_endMessage)
        .save(fileName, error);
}

QString RunPanel::suggestedReportFile() const
{
    const TransferRun *run = m_session->run();
    QString name = QFileInfo(run ? run->transferFile() : QString()).completeBaseName();
    if (name.isEmpty())
        name = tr("run");
    const QDateTime ended = run ? run->finishedAt() : QDateTime::currentDateTime();
    return QDir(exportFolder())
        .filePath(u"%1-report-%2.html"_s.arg(name, ended.toString(u"yyyyMMdd-HHmmss"_s)));
}

void RunPanel::saveReportInteractively()
{
    QString fileName = QFileDialog::getSaveFileName(
        this, tr("Save Run Report"), suggestedReportFile(), tr("HTML files (*.html *.htm)"));
    if (fileName.isEmpty())
        return;
    if (QFileInfo(fileName).suffix().isEmpty())
        fileName += u".html"_s;
    saveReportTo(fileName);
}

void RunPanel::saveReportTo(const QString &fileName)
{
    QString error;
    if (!saveReport(fileName, &error)) {
        showStatusMessage(error, true);
        return;
    }
    QSettings().setValue(ExportFolderKey, QFileInfo(fileName).absolutePath());
    showStatusMessage(tr("Run report written to %1.").arg(QFileInfo(fileName).fileName()), false);
}

void RunPanel::onStateChanged()
{
    m_ui->chartsTab->setRun(m_session->run());
    const bool running = isRunning();
    if (running && !m_refreshTimer.isActive())
        m_refreshTimer.start();
    if (running)
        hideOffer();
    refresh();
    if (running != m_running) {
        m_running = running;
        Q_EMIT runningChanged(running);
    }
}

void RunPanel::onFinished(TransferRun::Outcome outcome, const QString &message)
{
    m_refreshTimer.stop();
    m_endMessage = message;
    m_ui->chartsTab->refresh();
    if (outcome == TransferRun::Outcome::ConfigError
        || outcome == TransferRun::Outcome::SourceError)
        showRunError(message);
    refresh();
    showDetails();
    // Failures and nothing selected: show what went wrong, grouped by cause.
    const RunCounts counts = m_session->run()->counts();
    if (counts.failed + counts.invalid > 0 && m_ui->itemTab->itemId() < 0)
        m_ui->detailsTabs->setCurrentWidget(m_ui->failuresTab);
    if (m_running) {
        m_running = false;
        Q_EMIT runningChanged(false);
    }
}

void RunPanel::refresh()
{
    const RunCounts c = m_session->counts();
    updateCounts(c);
    bool totalKnown = false;
    const qint64 total = m_session->total(c, &totalKnown);
    updateProgress(c, total, totalKnown);
    setLabelText(m_ui->stateLabel, stateText(c, totalKnown));
    updateActions();
    updateShownLabel();
}

void RunPanel::updateCounts(const RunCounts &c)
{
    const QLocale locale;
    const auto setCount = [&](QLabel *label, ItemStatus status, qint64 n) {
        const QColor color = StatusDelegate::statusColor(status, palette());
        setLabelText(label,
                     u"<span style=\"color:%1\">&#9679;</span> <b>%2</b> %3"_s.arg(
                         color.name(), locale.toString(n),
                         TransferStatusModel::statusName(status).toHtmlEscaped()));
        label->setEnabled(n > 0);
    };
    setCount(m_ui->queuedLabel, ItemStatus::Queued, c.queued);
    setCount(m_ui->sendingLabel, ItemStatus::Sending, c.sending);
    setCount(m_ui->deliveredLabel, ItemStatus::Delivered, c.delivered);
    setCount(m_ui->retryingLabel, ItemStatus::Retrying, c.retrying);
    setCount(m_ui->failedLabel, ItemStatus::Failed, c.failed);
    setCount(m_ui->invalidLabel, ItemStatus::Invalid, c.invalid);
}

void RunPanel::updateProgress(const RunCounts &c, qint64 total, bool totalKnown)
{
    const TransferRun *run = m_session->run();
    const bool running = isRunning();
    const double seconds = run ? run->elapsedSeconds() : 0.0;
    const bool shown = run || m_session->openedRun();
    const QLocale locale;
    QProgressBar *bar = m_ui->progressBar;
    if (running && !totalKnown) {
        bar->setRange(0, 0); // busy: the source has not reached its end
    } else {
        // QProgressBar is int: scale a huge total down.
        const qint64 maximum = qMax<qint64>(total, 1);
        const int scale = maximum > 1'000'000'000 ? 1000 : 1;
        bar->setRange(0, int(maximum / scale));
        bar->setValue(int(c.finished() / scale));
        bar->setFormat(
            shown ? tr("%1 of %2").arg(locale.toString(c.finished()), locale.toString(total))
                  : QString());
    }
    bar->setTextVisible(shown);

    QString connection = run ? run->protocol() : QString();
    const int window = run ? run->window() : 0;
    // The slow-down is news while it lasts; the protocol stays as a fact of the run.
    if (running && window > 0 && window < run->spec().run.concurrency) {
        if (!connection.isEmpty())
            connection += QStringLiteral(" · ");
        connection += tr("slowed down by the server: %1 of %2 requests at once")
                          .arg(window)
                          .arg(run->spec().run.concurrency);
    }
    setLabelText(m_ui->connectionLabel, connection);

    // A resumed run's rate is this run's: the items finished before it do not count.
    const qint64 finishedNow = c.finished() - (run ? run->resumedFinished() : 0);
    const double rate = seconds > 0.2 ? double(finishedNow) / seconds : 0.0;
    setLabelText(m_ui->rateLabel,
                 run && rate > 0 ? tr("%1 items/s").arg(locale.toString(rate, 'f', 0)) : QString());
    if (running && totalKnown && rate > 0)
        setLabelText(m_ui->etaLabel,
                     tr("%1 left").arg(RunText::duration(double(total - c.finished()) / rate)));
    else if (run && !running && seconds > 0)
        setLabelText(m_ui->etaLabel, tr("took %1").arg(RunText::duration(seconds)));
    else
        setLabelText(m_ui->etaLabel, {});
}

QString RunPanel::stateText(const RunCounts &c, bool totalKnown) const
{
    const TransferRun *run = m_session->run();
    if (!run) {
        const std::optional<JournalSummary> opened = m_session->openedRun();
        if (!opened)
            return tr("Not started");
        return tr("Run of %1: %2")
            .arg(QLocale().toString(opened->startedAt.toLocalTime(), QLocale::ShortFormat),
                 RunListModel::endText(*opened));
    }
    if (const std::optional<TransferRun::Outcome> outcome = m_session->outcome()) {
        switch (*outcome) {
        case TransferRun::Outcome::Completed:
            if (c.read == 0)
                return tr("Completed: the query returned no rows");
            return c.failed + c.invalid > 0 ? tr("Finished with failures") : tr("Completed");
        case TransferRun::Outcome::Cancelled:
            return tr("Cancelled");
        case TransferRun::Outcome::Stopped:
            return tr("Stopped after %1 failures")
                .arg(QLocale().toString(run->spec().run.stopAfterFailures));
        case TransferRun::Outcome::ConfigError:
        case TransferRun::Outcome::SourceError:
            return tr("Stopped by an error");
        }
        return {};
    }
    switch (run->state()) {
    case TransferRun::State::Idle:
    case TransferRun::State::Starting:
        return tr("Starting…");
    case TransferRun::State::Running:
        return totalKnown ? tr("Running") : tr("Running, %1 read").arg(QLocale().toString(c.read));
    case TransferRun::State::Paused:
        return tr("Paused");
    case TransferRun::State::Finished:
        return tr("Finished");
    }
    return {};
}

void RunPanel::updateActions()
{
    const TransferRun *run = m_session->run();
    const bool running = isRunning();
    const bool paused = run && run->state() == TransferRun::State::Paused;
    m_startAction->setEnabled(!running);
    m_pauseAction->setEnabled(running && run->state() != TransferRun::State::Starting);
    m_pauseAction->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_pauseAction->setIcon(
        style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_cancelAction->setEnabled(running);
    const bool canRetry = m_session->canRetry();
    const int failures = m_model->count(ItemStatus::Failed) + m_model->count(ItemStatus::Invalid);
    m_retryFailedAction->setEnabled(canRetry && m_model->count(ItemStatus::Failed) > 0);
    m_retrySelectedAction->setEnabled(canRetry && m_ui->itemTable->selectionModel()->hasSelection()
                                      && failures > 0);
    m_exportAction->setEnabled(failures > 0);
    m_saveReportAction->setEnabled(canSaveReport());
    m_ui->failuresTab->setRetryEnabled(canRetry);
    m_ui->itemTab->setRetryEnabled(canRetry);
}

void RunPanel::updateShownLabel()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    const QLocale locale;
    QString text = shown == total
        ? RunText::itemCount(total)
        : tr("%1 of %2 items").arg(locale.toString(shown), locale.toString(total));
    if (m_proxy->sorter()->isSorting())
        text = tr("%1, sorting…").arg(text);
    if (m_proxy->isSearching())
        text = tr("%1, searching…").arg(text);
    setLabelText(m_ui->shownLabel, text);
    updateFilterBar();
}

void RunPanel::applyFilter()
{
    m_searchDebounce.stop();
    // Applied now, or after a search of many keys in the background (filterChanged).
    m_proxy->setFilter(m_ui->filterCombo->currentData().toInt(),
                       m_ui->searchEdit->text().trimmed());
    updateShownLabel();
}

void RunPanel::rememberShownItem()
{
    ItemDetailsView *details = m_ui->itemTab;
    m_keptId = details->itemId();
    // The steward may be editing the shown item's JSON: the reset must not lose it.
    m_keptEdit.reset();
    if (m_keptId >= 0 && details->isEdited())
        m_keptEdit = details->payloadText();
}

void RunPanel::showRememberedItem()
{
    // The reset dropped the selection: keep the item whose details are shown, if the new
    // filter lets it through, with the JSON being edited.
    const qint64 shown = std::exchange(m_keptId, -1);
    const std::optional<QString> edit = std::exchange(m_keptEdit, std::nullopt);
    if (shown >= 0 && selectInTable(shown, QAbstractItemView::EnsureVisible) && edit
        && m_ui->itemTab->itemId() == shown)
        m_ui->itemTab->restoreEdit(*edit);
    updateShownLabel();
}

void RunPanel::clearFilter()
{
    m_ui->searchEdit->clear();
    m_ui->filterCombo->setCurrentIndex(0);
    applyFilter();
}

void RunPanel::updateFilterBar()
{
    // What the table applies now: the search field's text counts once applied (debounced),
    // or the bar would count hidden rows of a filter not in force yet.
    const int status = m_proxy->statusFilter();
    const QString search = m_proxy->textFilter();
    QString items;
    switch (status) {
    case int(ItemStatus::Queued):
        items = tr("queued items");
        break;
    case int(ItemStatus::Sending):
        items = tr("items being sent");
        break;
    case int(ItemStatus::Retrying):
        items = tr("items waiting to retry");
        break;
    case int(ItemStatus::Delivered):
        items = tr("delivered items");
        break;
    case int(ItemStatus::Failed):
        items = tr("failed items");
        break;
    case int(ItemStatus::Invalid):
        items = tr("invalid items");
        break;
    default:
        items = tr("items");
        break;
    }
    const bool active = status >= 0 || !search.isEmpty();
    QString text;
    if (search.isEmpty())
        text = tr("Showing only %1.").arg(items);
    else
        text = tr("Showing only %1 whose key or error contains “%2”.").arg(items, search);
    const QLocale locale;
    const int hidden = m_model->rowCount() - m_proxy->rowCount();
    if (hidden > 0)
        text += u' '
            + tr("%1 of %2 items are hidden.")
                  .arg(locale.toString(hidden), locale.toString(m_model->rowCount()));
    setLabelText(m_ui->filterBarLabel, active ? text : QString());
    m_ui->filterBar->setVisible(active);
}

qint64 RunPanel::currentId() const
{
    const QModelIndex current = m_ui->itemTable->selectionModel()->currentIndex();
    if (!current.isValid())
        return -1;
    return current.data(TransferStatusModel::ItemIdRole).toLongLong();
}

void RunPanel::showDetails()
{
    if (m_removingShown)
        return; // the current row moves off the item that left the filter: not a choice
    ItemDetailsView *details = m_ui->itemTab;
    const qint64 before = details->itemId();
    const qint64 current = currentId();
    if (current < 0 && m_offTableId >= 0 && m_model->rowForId(m_offTableId) >= 0) {
        details->showItem(m_offTableId); // what became of it
        return;
    }
    m_offTableId = -1;
    details->showItem(current);
    // Another item chosen: its details are what the steward wants to see.
    if (details->itemId() >= 0 && details->itemId() != before)
        m_ui->detailsTabs->setCurrentWidget(details);
}

void RunPanel::onModelDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    const qint64 shown = m_ui->itemTab->itemId();
    if (shown < 0)
        return;
    const int row = m_model->rowForId(shown);
    if (row >= topLeft.row() && row <= bottomRight.row() && !m_ui->itemTab->isEdited())
        showDetails();
}

void RunPanel::showRunError(const QString &message)
{
    setLabelText(m_ui->runErrorLabel, message);
    m_ui->runErrorLabel->setVisible(!message.isEmpty());
}

void RunPanel::showStatusMessage(const QString &message, bool isError)
{
    QLabel *label = m_ui->actionNoteLabel;
    setTextColor(label, isError ? errorColor(palette()) : palette().color(QPalette::WindowText));
    setLabelText(label, message);
}

EventLogModel *RunPanel::logModel() const
{
    return m_ui->logTab->model();
}

} // namespace sluice
