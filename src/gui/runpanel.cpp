// SPDX-License-Identifier: GPL-3.0-or-later
#include "runpanel.h"

#include "ui_runpanel.h"

#include <utility>

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QStyle>

#include "db/rowcounter.h"
#include "db/sqlconnection.h"
#include "eventlogview.h"
#include "failuregroupsview.h"
#include "itemdetailsview.h"
#include "log/eventlog.h"
#include "models/failuregroupmodel.h"
#include "models/transferstatusmodel.h"
#include "statusdelegate.h"
#include "transfer/failedcsv.h"
#include "transfer/failedwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr int RefreshIntervalMs = 250;
constexpr int SearchDebounceMs = 200;

QColor errorColor(const QPalette &palette)
{
    return StatusDelegate::statusColor(ItemStatus::Failed, palette);
}

QString itemCountText(qint64 n)
{
    return n == 1 ? RunPanel::tr("1 item") : RunPanel::tr("%1 items").arg(QLocale().toString(n));
}

QString formatDuration(double seconds)
{
    const auto total = qint64(seconds + 0.5);
    if (total < 60)
        return RunPanel::tr("%1 s").arg(total);
    if (total < 3600)
        return RunPanel::tr("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QChar(u'0'));
    return RunPanel::tr("%1 h %2 min")
        .arg(total / 3600)
        .arg((total % 3600) / 60, 2, 10, QChar(u'0'));
}

} // namespace

RunPanel::RunPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::RunPanel>())
    , m_model(new TransferStatusModel(this))
    , m_groups(new FailureGroupModel(this))
    , m_proxy(new ItemFilterProxy(m_model, this))
    , m_log(new EventLog(this))
{
    m_ui->setupUi(this);
    createActions();
    setUpFilter();
    setUpItemTable();
    connectViews();

    QPalette errorPalette = m_ui->runErrorLabel->palette();
    errorPalette.setColor(QPalette::WindowText, errorColor(palette()));
    m_ui->runErrorLabel->setPalette(errorPalette);
    m_ui->itemTab->setErrorColor(errorColor(palette()));

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
    m_ui->exportButton->setDefaultAction(m_exportAction);
    // Shortcuts work while the panel's window is active, also before the menu exists.
    for (QAction *action : {m_startAction, m_pauseAction, m_cancelAction, m_retryFailedAction,
                            m_retrySelectedAction, m_exportAction}) {
        action->setShortcutContext(Qt::WindowShortcut);
    }

    connect(m_startAction, &QAction::triggered, this, &RunPanel::start);
    connect(m_pauseAction, &QAction::triggered, this, &RunPanel::togglePause);
    connect(m_cancelAction, &QAction::triggered, this, &RunPanel::cancel);
    connect(m_retryFailedAction, &QAction::triggered, this, &RunPanel::retryFailed);
    connect(m_retrySelectedAction, &QAction::triggered, this, &RunPanel::retrySelected);
    connect(m_exportAction, &QAction::triggered, this, &RunPanel::exportFailedInteractively);
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
}

void RunPanel::setUpItemTable()
{
    QTableView *table = m_ui->itemTable;
    table->setModel(m_proxy);
    table->setItemDelegateForColumn(TransferStatusModel::Status, new StatusDelegate(table));
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    QHeaderView *header = table->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->resizeSection(TransferStatusModel::Key, 160);
    header->resizeSection(TransferStatusModel::Status, 100);
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
    connect(m_model, &QAbstractItemModel::modelReset, this, &RunPanel::showDetails);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RunPanel::onModelDataChanged);
}

void RunPanel::connectViews()
{
    ItemDetailsView *details = m_ui->itemTab;
    details->setModel(m_model);
    connect(details, &ItemDetailsView::retryRequested, this, [this](qint64 id) { retryIds({id}); });

    FailureGroupsView *groups = m_ui->failuresTab;
    groups->setModel(m_groups);
    connect(groups, &FailureGroupsView::showRequested, this, &RunPanel::showFailures);
    connect(groups, &FailureGroupsView::retryRequested, this, &RunPanel::retryIds);

    EventLogView *log = m_ui->logTab;
    log->setLog(m_log);
    connect(log, &EventLogView::itemActivated, this, &RunPanel::showItem);
}

RunPanel::~RunPanel()
{
    if (m_run) {
        m_model->attach(nullptr);
        m_groups->attach(nullptr);
        disconnect(m_run, nullptr, this, nullptr);
        delete m_run;
    }
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
    if (!m_targetProvider || !m_run || m_run->state() != TransferRun::State::Finished)
        return true;
    const auto [target, run] = m_targetProvider();
    const TransferSpec &current = m_run->spec();
    if (target == current.target && run.concurrency == current.run.concurrency
        && run.maxRetries == current.run.maxRetries)
        return true;

    QMessageBox box(QMessageBox::Question, tr("The Target Has Changed"),
                    tr("The target was changed after this run started. Where should the items "
                       "go?"),
                    QMessageBox::NoButton, this);
    box.setInformativeText(
        tr("Changed target: %1 %2\nThis run's target: %3 %4")
            .arg(target.method, target.url, current.target.method, current.target.url));
    QPushButton *changed
        = box.addButton(tr("Send to the &Changed Target"), QMessageBox::AcceptRole);
    QPushButton *original = box.addButton(tr("Send to the &Run's Target"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(changed);
    box.exec();
    if (box.clickedButton() == original)
        return true;
    if (box.clickedButton() != changed)
        return false;
    QString error;
    if (!m_run->retarget(target, run, &error)) {
        showRunError(tr("The items cannot go to the changed target: %1").arg(error));
        return false;
    }
    showRunError({});
    m_log->append(EventLog::Severity::Info,
                  tr("Target changed for retries: %1 %2.").arg(target.method, target.url));
    return true;
}

bool RunPanel::isRunning() const
{
    if (!m_run)
        return false;
    const TransferRun::State state = m_run->state();
    return state == TransferRun::State::Starting || state == TransferRun::State::Running
        || state == TransferRun::State::Paused;
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

    if (m_run) {
        m_model->attach(nullptr);
        m_groups->attach(nullptr);
        disconnect(m_run, nullptr, this, nullptr);
        m_run->deleteLater();
    }
    m_outcome.reset();
    m_countedTotal = -1;
    showRunError({});

    // One multi-arg call: a URL's own "%3A" must not be taken for a placeholder.
    m_log->append(EventLog::Severity::Info,
                  tr("Started: %1 to %2 %3, concurrency %4.")
                      .arg(driverDisplayName(spec->source.driver), spec->target.method,
                           spec->target.url, QString::number(spec->run.concurrency)));
    m_run = new TransferRun(*spec, std::move(options), this);
    m_model->attach(m_run);
    m_groups->attach(m_run);
    connect(m_run, &TransferRun::itemFinished, this, &RunPanel::onItemFinished);
    connect(m_run, &TransferRun::stateChanged, this, &RunPanel::onStateChanged);
    connect(m_run, &TransferRun::finished, this, &RunPanel::onFinished);
    m_run->start();

    // SQLite counts the query's rows exactly (and quickly): the progress bar gets its real
    // total before the source reaches its end. Other databases only estimate, if at all; the
    // bar stays busy until the last row is read. The run's spec has the parameter overrides.
    delete m_counter;
    if (spec->source.driver == u"QSQLITE"_s) {
        m_counter = new RowCounter(m_run->spec().source, m_run->spec().query, QString(), this);
        connect(m_counter, &RowCounter::counted, this,
                [this](qint64 rows, RowCounter::Accuracy accuracy) {
                    if (accuracy == RowCounter::Accuracy::Exact)
                        onCounted(rows);
                });
        m_counter->start();
    }
    refresh();
}

void RunPanel::onCounted(qint64 rows)
{
    if (!m_run || m_outcome)
        return;
    m_countedTotal = rows;
    refresh();
}

void RunPanel::onItemFinished(const ItemResult &result)
{
    if (result.status == ItemStatus::Delivered)
        return;
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

void RunPanel::togglePause()
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

void RunPanel::cancel()
{
    if (isRunning())
        m_run->cancel();
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
    if (!m_run || ids.isEmpty())
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
    const int accepted = m_run->retry(items);
    m_log->append(EventLog::Severity::Info, tr("Sending again: %1.").arg(itemCountText(accepted)));
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
        = row >= 0 ? m_proxy->mapFromSource(m_model->index(row, 0)) : QModelIndex();
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
        m_ui->searchEdit->clear();
        m_ui->filterCombo->setCurrentIndex(0);
        applyFilter();
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
        this, tr("Export Failed Items"), tr("failed.ndjson"), ndjson + u";;"_s + csv, &filter);
    if (fileName.isEmpty())
        return;
    const ExportFormat format = filter == csv ? ExportFormat::Csv : ExportFormat::Ndjson;
    if (QFileInfo(fileName).suffix().isEmpty())
        fileName += format == ExportFormat::Csv ? u".csv"_s : u".ndjson"_s;
    QString error;
    if (!exportFailed(fileName, format, &error))
        showStatusMessage(error, true);
    else
        showStatusMessage(tr("Failed items written to %1.").arg(QFileInfo(fileName).fileName()),
                          false);
}

bool RunPanel::exportFailed(const QString &fileName, ExportFormat format, QString *error) const
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

void RunPanel::onStateChanged(TransferRun::State state)
{
    const bool running = isRunning();
    if (state == TransferRun::State::Running)
        m_outcome.reset(); // a retry after the end runs again
    if (running && !m_refreshTimer.isActive())
        m_refreshTimer.start();
    refresh();
    if (running != m_running) {
        m_running = running;
        Q_EMIT runningChanged(running);
    }
}

void RunPanel::onFinished(TransferRun::Outcome outcome, const QString &message)
{
    m_outcome = outcome;
    m_refreshTimer.stop();
    const RunCounts counts = m_run->counts();
    const QLocale locale;
    switch (outcome) {
    case TransferRun::Outcome::Completed:
        m_log->append(counts.failed + counts.invalid > 0 ? EventLog::Severity::Warning
                                                         : EventLog::Severity::Info,
                      tr("Finished in %1: %2 delivered, %3 failed, %4 invalid.")
                          .arg(formatDuration(m_run->elapsedSeconds()),
                               locale.toString(counts.delivered), locale.toString(counts.failed),
                               locale.toString(counts.invalid)));
        break;
    case TransferRun::Outcome::Cancelled:
        m_log->append(EventLog::Severity::Warning,
                      tr("Cancelled after %1: %2 delivered, %3 not.")
                          .arg(formatDuration(m_run->elapsedSeconds()),
                               locale.toString(counts.delivered),
                               locale.toString(counts.failed + counts.invalid)));
        break;
    case TransferRun::Outcome::ConfigError:
    case TransferRun::Outcome::SourceError:
        m_log->append(EventLog::Severity::Error, tr("Stopped: %1").arg(message));
        break;
    }
    if (outcome == TransferRun::Outcome::ConfigError
        || outcome == TransferRun::Outcome::SourceError)
        showRunError(message);
    refresh();
    showDetails();
    // Failures and nothing selected: show what went wrong, grouped by cause.
    if (counts.failed + counts.invalid > 0 && m_ui->itemTab->itemId() < 0)
        m_ui->detailsTabs->setCurrentWidget(m_ui->failuresTab);
    if (m_running) {
        m_running = false;
        Q_EMIT runningChanged(false);
    }
}

void RunPanel::refresh()
{
    const RunCounts c = m_run ? m_run->counts() : RunCounts();
    updateCounts(c);
    // The total is the rows read once the source is done; before that the database's exact
    // count when it gave one (rows added meanwhile may still raise it).
    const bool sourceDone = m_run && (m_run->isSourceDone() || m_outcome);
    const bool totalKnown = sourceDone || m_countedTotal >= 0;
    const qint64 knownTotal = sourceDone ? c.read : qMax(m_countedTotal, c.read);
    updateProgress(c, totalKnown ? knownTotal : -1);
    m_ui->stateLabel->setText(stateText(c, totalKnown));
    updateActions();
    updateShownLabel();
}

void RunPanel::updateCounts(const RunCounts &c)
{
    const QLocale locale;
    const auto setCount = [&](QLabel *label, ItemStatus status, qint64 n, const QString &name) {
        const QColor color = StatusDelegate::statusColor(status, palette());
        label->setText(u"<span style=\"color:%1\">&#9679;</span> <b>%2</b> %3"_s.arg(
            color.name(), locale.toString(n), name.toHtmlEscaped()));
        label->setEnabled(n > 0);
    };
    setCount(m_ui->queuedLabel, ItemStatus::Queued, c.queued, tr("queued"));
    setCount(m_ui->sendingLabel, ItemStatus::Sending, c.sending, tr("sending"));
    setCount(m_ui->deliveredLabel, ItemStatus::Delivered, c.delivered, tr("delivered"));
    setCount(m_ui->retryingLabel, ItemStatus::Retrying, c.retrying, tr("retrying"));
    setCount(m_ui->failedLabel, ItemStatus::Failed, c.failed, tr("failed"));
    setCount(m_ui->invalidLabel, ItemStatus::Invalid, c.invalid, tr("invalid"));
}

void RunPanel::updateProgress(const RunCounts &c, qint64 total)
{
    const bool running = isRunning();
    const bool totalKnown = total >= 0;
    const double seconds = m_run ? m_run->elapsedSeconds() : 0.0;
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
            m_run ? tr("%1 of %2").arg(locale.toString(c.finished()), locale.toString(total))
                  : QString());
    }
    bar->setTextVisible(m_run != nullptr);

    const double rate = seconds > 0.2 ? double(c.finished()) / seconds : 0.0;
    m_ui->rateLabel->setText(m_run && rate > 0 ? tr("%1 items/s").arg(locale.toString(rate, 'f', 0))
                                               : QString());
    if (running && totalKnown && rate > 0)
        m_ui->etaLabel->setText(
            tr("%1 left").arg(formatDuration(double(total - c.finished()) / rate)));
    else if (m_run && !running && seconds > 0)
        m_ui->etaLabel->setText(tr("took %1").arg(formatDuration(seconds)));
    else
        m_ui->etaLabel->clear();
}

QString RunPanel::stateText(const RunCounts &c, bool totalKnown) const
{
    if (!m_run)
        return tr("Not started");
    if (m_outcome) {
        switch (*m_outcome) {
        case TransferRun::Outcome::Completed:
            return c.failed + c.invalid > 0 ? tr("Finished with failures") : tr("Completed");
        case TransferRun::Outcome::Cancelled:
            return tr("Cancelled");
        case TransferRun::Outcome::ConfigError:
        case TransferRun::Outcome::SourceError:
            return tr("Stopped by an error");
        }
        return {};
    }
    switch (m_run->state()) {
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
    const bool running = isRunning();
    const bool paused = m_run && m_run->state() == TransferRun::State::Paused;
    m_startAction->setEnabled(!running);
    m_pauseAction->setEnabled(running && m_run->state() != TransferRun::State::Starting);
    m_pauseAction->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_pauseAction->setIcon(
        style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_cancelAction->setEnabled(running);
    const bool canRetry = m_run && m_run->state() != TransferRun::State::Idle
        && m_run->state() != TransferRun::State::Starting;
    const int failures = m_model->count(ItemStatus::Failed) + m_model->count(ItemStatus::Invalid);
    m_retryFailedAction->setEnabled(canRetry && m_model->count(ItemStatus::Failed) > 0);
    m_retrySelectedAction->setEnabled(canRetry && m_ui->itemTable->selectionModel()->hasSelection()
                                      && failures > 0);
    m_exportAction->setEnabled(failures > 0);
    m_ui->failuresTab->setRetryEnabled(canRetry);
    m_ui->itemTab->setRetryEnabled(canRetry);
}

void RunPanel::updateShownLabel()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    const QLocale locale;
    m_ui->shownLabel->setText(
        shown == total ? itemCountText(total)
                       : tr("%1 of %2 items").arg(locale.toString(shown), locale.toString(total)));
}

void RunPanel::applyFilter()
{
    m_searchDebounce.stop();
    ItemDetailsView *details = m_ui->itemTab;
    const qint64 shown = details->itemId();
    // The steward may be editing the shown item's JSON: the reset must not lose it.
    const bool edited = shown >= 0 && details->isEdited();
    const QString editedText = edited ? details->payloadText() : QString();
    const bool reset = m_proxy->setFilter(m_ui->filterCombo->currentData().toInt(),
                                          m_ui->searchEdit->text().trimmed());
    // The reset dropped the selection: keep the item whose details are shown, if the new
    // filter lets it through, with the JSON being edited.
    if (reset && shown >= 0 && selectInTable(shown, QAbstractItemView::EnsureVisible) && edited
        && details->itemId() == shown)
        details->restoreEdit(editedText);
    updateShownLabel();
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
    ItemDetailsView *details = m_ui->itemTab;
    const qint64 before = details->itemId();
    details->showItem(currentId());
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
    m_ui->runErrorLabel->setText(message);
    m_ui->runErrorLabel->setVisible(!message.isEmpty());
}

void RunPanel::showStatusMessage(const QString &message, bool isError)
{
    if (isError)
        showRunError(message);
    else
        m_ui->stateLabel->setText(message);
}

EventLogModel *RunPanel::logModel() const
{
    return m_ui->logTab->model();
}

} // namespace sluice
