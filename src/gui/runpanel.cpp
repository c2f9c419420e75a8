// SPDX-License-Identifier: GPL-3.0-or-later
#include "runpanel.h"

#include "ui_runpanel.h"

#include <algorithm>
#include <utility>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QStyledItemDelegate>

#include "db/rowcounter.h"
#include "db/sqlconnection.h"
#include "jsonhighlighter.h"
#include "log/eventlog.h"
#include "models/eventlogmodel.h"
#include "models/failuregroupmodel.h"
#include "models/transferstatusmodel.h"
#include "statusdelegate.h"
#include "transfer/failedwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr int RefreshIntervalMs = 250;
constexpr int SearchDebounceMs = 200;

/// Filters the item table by status and by text found in the key or the full error, and
/// sorts it, reading the model's rows directly (no QVariant per row and comparison). The
/// filter role is StatusRole so that a batched status change re-filters the row.
///
/// A new filter resets the proxy instead of invalidateFilter(): Qt 6.4 removes or inserts
/// the rows of each gap separately, rebuilding its mapping and the header's sections every
/// time, so filtering a million rows to 20,000 scattered failures froze the window for 18 s
/// (measured, tests/bench/bench_itemtable.cpp); the reset takes 30 ms.
class ItemFilterProxy final : public QSortFilterProxyModel
{
public:
    ItemFilterProxy(TransferStatusModel *model, QObject *parent)
        : QSortFilterProxyModel(parent)
        , m_model(model)
    {
        setFilterRole(TransferStatusModel::StatusRole);
        setSortRole(TransferStatusModel::SortRole);
        setSourceModel(model);
    }

    /// Sets both at once; -1 shows every status. Returns whether the filter changed (the
    /// proxy was then reset: selection and current index are gone).
    bool setFilter(int status, const QString &text)
    {
        if (status == m_status && text == m_text)
            return false;
        beginResetModel();
        m_status = status;
        m_text = text;
        endResetModel();
        return true;
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &) const override
    {
        if (m_status >= 0 && int(m_model->statusAt(sourceRow)) != m_status)
            return false;
        if (m_text.isEmpty())
            return true;
        return m_model->keyContains(sourceRow, m_text, Qt::CaseInsensitive)
            || m_model->errorAt(sourceRow).contains(m_text, Qt::CaseInsensitive);
    }

    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        return m_model->lessThan(left.row(), right.row(), left.column());
    }

private:
    TransferStatusModel *m_model;
    int m_status = -1;
    QString m_text;
};

/// Log rows with an icon for their severity.
class LogDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const auto severity = EventLog::Severity(index.data(EventLogModel::SeverityRole).toInt());
        QStyle *style = option->widget ? option->widget->style() : QApplication::style();
        QStyle::StandardPixmap pixmap = QStyle::SP_MessageBoxInformation;
        if (severity == EventLog::Severity::Warning)
            pixmap = QStyle::SP_MessageBoxWarning;
        else if (severity == EventLog::Severity::Error)
            pixmap = QStyle::SP_MessageBoxCritical;
        option->icon = style->standardIcon(pixmap, nullptr, option->widget);
        option->features |= QStyleOptionViewItem::HasDecoration;
        const int side = option->fontMetrics.height();
        option->decorationSize = QSize(side, side);
    }
};

QColor errorColor(const QPalette &palette)
{
    return StatusDelegate::statusColor(ItemStatus::Failed, palette);
}

/// Indented JSON when text parses, else the text as it is.
QString prettyJson(const QByteArray &data)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return QString::fromUtf8(data);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

QString itemCountText(qint64 n)
{
    return n == 1 ? RunPanel::tr("1 item") : RunPanel::tr("%1 items").arg(QLocale().toString(n));
}

QString csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n')
        && !value.contains(u'\r'))
        return value;
    QString quoted = value;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
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
    , m_log(new EventLog(this))
    , m_logModel(new EventLogModel(m_log, this))
{
    m_ui->setupUi(this);

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
    connect(m_ui->retryEditedButton, &QPushButton::clicked, this, &RunPanel::retryEdited);

    // Filter combo: All, then each status; the item data is the status (or -1).
    m_ui->filterCombo->addItem(tr("All items"), -1);
    const std::pair<ItemStatus, QString> statuses[] = {
        {ItemStatus::Queued, tr("Queued")},     {ItemStatus::Sending, tr("Sending")},
        {ItemStatus::Retrying, tr("Retrying")}, {ItemStatus::Delivered, tr("Delivered")},
        {ItemStatus::Failed, tr("Failed")},     {ItemStatus::Invalid, tr("Invalid")},
    };
    for (const auto &[status, name] : statuses)
        m_ui->filterCombo->addItem(name, int(status));

    m_proxy = new ItemFilterProxy(m_model, this);
    connect(m_ui->filterCombo, &QComboBox::currentIndexChanged, this, &RunPanel::applyFilter);
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(SearchDebounceMs);
    connect(&m_searchDebounce, &QTimer::timeout, this, &RunPanel::applyFilter);
    connect(m_ui->searchEdit, &QLineEdit::textChanged, &m_searchDebounce,
            qOverload<>(&QTimer::start));
    connect(m_ui->searchEdit, &QLineEdit::returnPressed, this, &RunPanel::applyFilter);

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
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                if (m_detailsId < 0)
                    return;
                const int row = m_model->rowForId(m_detailsId);
                if (row >= topLeft.row() && row <= bottomRight.row()
                    && !m_ui->payloadEdit->document()->isModified())
                    showDetails();
            });

    m_ui->groupsTable->setModel(m_groups);
    m_ui->groupsTable->verticalHeader()->hide();
    m_ui->groupsTable->horizontalHeader()->setStretchLastSection(true);
    m_ui->groupsTable->horizontalHeader()->setHighlightSections(false);
    m_ui->groupsTable->horizontalHeader()->resizeSection(FailureGroupModel::Count, 60);
    m_ui->groupsTable->horizontalHeader()->resizeSection(FailureGroupModel::Status, 170);
    // Activating a group shows its items: the failed (or invalid) ones, searched by message.
    connect(m_ui->groupsTable, &QAbstractItemView::activated, this, &RunPanel::showGroup);
    connect(m_ui->showGroupButton, &QPushButton::clicked, this, &RunPanel::showGroup);
    connect(m_ui->retryGroupButton, &QPushButton::clicked, this, &RunPanel::retryGroup);
    connect(m_ui->groupsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunPanel::updateActions);
    connect(m_groups, &QAbstractItemModel::modelReset, this, &RunPanel::updateActions);
    // The largest cause is current from the start: "Retry this group" works at once.
    connect(m_groups, &QAbstractItemModel::rowsInserted, this, [this] {
        QItemSelectionModel *selection = m_ui->groupsTable->selectionModel();
        if (!selection->currentIndex().isValid())
            selection->setCurrentIndex(m_groups->index(0, 0),
                                       QItemSelectionModel::ClearAndSelect
                                           | QItemSelectionModel::Rows);
        updateActions();
    });
    connect(m_groups, &QAbstractItemModel::rowsRemoved, this, &RunPanel::updateActions);

    // The log follows its newest entry unless the steward scrolled up to read.
    QListView *logView = m_ui->logView;
    logView->setModel(m_logModel);
    logView->setItemDelegate(new LogDelegate(logView));
    connect(m_logModel, &QAbstractItemModel::rowsAboutToBeInserted, logView, [this] {
        QScrollBar *bar = m_ui->logView->verticalScrollBar();
        m_ui->logView->setProperty("followTail", bar->value() == bar->maximum());
    });
    connect(m_logModel, &QAbstractItemModel::rowsInserted, logView, [this] {
        if (m_ui->logView->property("followTail").toBool())
            m_ui->logView->scrollToBottom();
        updateLogInfo();
    });
    connect(m_logModel, &QAbstractItemModel::rowsRemoved, this, &RunPanel::updateLogInfo);
    connect(m_logModel, &QAbstractItemModel::modelReset, this, &RunPanel::updateLogInfo);
    connect(logView, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const qint64 id = index.data(EventLogModel::ItemIdRole).toLongLong();
        if (id >= 0)
            showItem(id);
    });
    connect(m_ui->copyLogButton, &QPushButton::clicked, this, &RunPanel::copyLog);
    connect(m_ui->clearLogButton, &QPushButton::clicked, m_log, &EventLog::clear);
    connect(logView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunPanel::updateActions);
    auto *copyShortcut = new QAction(this);
    copyShortcut->setShortcut(QKeySequence::Copy);
    copyShortcut->setShortcutContext(Qt::WidgetShortcut);
    logView->addAction(copyShortcut);
    connect(copyShortcut, &QAction::triggered, this, &RunPanel::copyLog);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->payloadEdit->setFont(mono);
    m_ui->responseEdit->setFont(mono);
    new JsonHighlighter(m_ui->payloadEdit->document());
    connect(m_ui->payloadEdit, &QPlainTextEdit::textChanged, m_ui->payloadErrorLabel,
            &QWidget::hide);

    QPalette errorPalette = m_ui->runErrorLabel->palette();
    errorPalette.setColor(QPalette::WindowText, errorColor(palette()));
    m_ui->runErrorLabel->setPalette(errorPalette);
    m_ui->payloadErrorLabel->setPalette(errorPalette);
    m_ui->itemErrorLabel->setPalette(errorPalette);

    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);

    m_refreshTimer.setInterval(RefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &RunPanel::refresh);

    refresh();
    showDetails();
    updateLogInfo();
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
    m_detailsId = -1;
    showRunError({});
    m_ui->payloadEdit->document()->setModified(false);

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

void RunPanel::showGroup()
{
    const QModelIndex index = m_ui->groupsTable->selectionModel()->currentIndex();
    if (!index.isValid())
        return;
    const int status = index.siblingAtColumn(0).data(FailureGroupModel::StatusRole).toInt();
    m_ui->filterCombo->setCurrentIndex(m_ui->filterCombo->findData(status));
    m_ui->searchEdit->setText(index.siblingAtColumn(FailureGroupModel::Message).data().toString());
    applyFilter();
    m_ui->itemTable->setFocus();
}

void RunPanel::retryGroup()
{
    const QModelIndex index = m_ui->groupsTable->selectionModel()->currentIndex();
    if (index.isValid())
        retryIds(m_groups->ids(index.row()));
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

void RunPanel::copyLog()
{
    QModelIndexList rows = m_ui->logView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    lines.reserve(rows.size());
    for (const QModelIndex &index : std::as_const(rows)) {
        const QDateTime time = index.data(EventLogModel::TimeRole).toDateTime().toLocalTime();
        lines.append(time.toString(u"yyyy-MM-dd HH:mm:ss"_s) + u'\t'
                     + index.data(EventLogModel::TextRole).toString());
    }
    QGuiApplication::clipboard()->setText(lines.join(u'\n') + u'\n');
}

void RunPanel::updateLogInfo()
{
    const QLocale locale;
    QString text = m_logModel->rowCount() == 1
        ? tr("1 entry")
        : tr("%1 entries").arg(locale.toString(m_logModel->rowCount()));
    if (m_log->droppedCount() > 0)
        text = tr("The newest %1 entries; %2 older ones were dropped.")
                   .arg(locale.toString(m_logModel->rowCount()),
                        locale.toString(m_log->droppedCount()));
    m_ui->logInfoLabel->setText(text);
    m_ui->clearLogButton->setEnabled(m_logModel->rowCount() > 0);
}

void RunPanel::retryEdited()
{
    const qint64 id = m_detailsId;
    if (!m_run || id < 0)
        return;
    const QByteArray text = m_ui->payloadEdit->toPlainText().toUtf8();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull()) {
        // Line and column of the offset, as an editor shows them.
        const QByteArray before = text.left(error.offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = error.offset - (before.lastIndexOf('\n') + 1) + 1;
        m_ui->payloadErrorLabel->setText(
            doc.isNull() && error.error == QJsonParseError::NoError
                ? tr("The payload is empty: write the JSON object to send.")
                : tr("Not valid JSON (line %1, column %2): %3")
                      .arg(line)
                      .arg(column)
                      .arg(error.errorString()));
        m_ui->payloadErrorLabel->show();
        m_ui->payloadEdit->setFocus();
        return;
    }
    if (!m_model->setPayload(id, doc.toJson(QJsonDocument::Compact))) {
        m_ui->payloadErrorLabel->setText(tr("This item was delivered meanwhile."));
        m_ui->payloadErrorLabel->show();
        return;
    }
    m_ui->payloadEdit->document()->setModified(false);
    retryIds({id});
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
        file.write("key,status,http status,attempts,error\r\n");
    const int rows = m_model->rowCount();
    for (int row = 0; row < rows; ++row) {
        if (!isFailure(m_model->statusAt(row)))
            continue;
        const ItemResult result = m_model->resultAt(row);
        if (format == ExportFormat::Ndjson) {
            file.write(FailedWriter::toJsonLine(result));
            file.write("\n");
        } else {
            const QString line = csvField(result.key) + u',' + itemStatusName(result.status) + u','
                + (result.httpStatus ? QString::number(result.httpStatus) : QString()) + u','
                + QString::number(result.attempts) + u',' + csvField(result.error) + u"\r\n"_s;
            file.write(line.toUtf8());
        }
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
    if (counts.failed + counts.invalid > 0 && m_detailsId < 0)
        m_ui->detailsTabs->setCurrentWidget(m_ui->failuresTab);
    if (m_running) {
        m_running = false;
        Q_EMIT runningChanged(false);
    }
}

void RunPanel::refresh()
{
    const RunCounts c = m_run ? m_run->counts() : RunCounts();
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

    const bool running = isRunning();
    const double seconds = m_run ? m_run->elapsedSeconds() : 0.0;
    // The total is the rows read once the source is done; before that the database's exact
    // count when it gave one (rows added meanwhile may still raise it).
    const bool sourceDone = m_run && (m_run->isSourceDone() || m_outcome);
    const bool totalKnown = sourceDone || m_countedTotal >= 0;
    const qint64 knownTotal = sourceDone ? c.read : qMax(m_countedTotal, c.read);
    QProgressBar *bar = m_ui->progressBar;
    if (running && !totalKnown) {
        bar->setRange(0, 0); // busy: the source has not reached its end
    } else {
        // QProgressBar is int: scale a huge total down.
        const qint64 total = qMax<qint64>(knownTotal, 1);
        const int scale = total > 1'000'000'000 ? 1000 : 1;
        bar->setRange(0, int(total / scale));
        bar->setValue(int(c.finished() / scale));
        bar->setFormat(
            m_run ? tr("%1 of %2").arg(locale.toString(c.finished()), locale.toString(knownTotal))
                  : QString());
    }
    bar->setTextVisible(m_run != nullptr);

    const double rate = seconds > 0.2 ? double(c.finished()) / seconds : 0.0;
    m_ui->rateLabel->setText(m_run && rate > 0 ? tr("%1 items/s").arg(locale.toString(rate, 'f', 0))
                                               : QString());
    if (running && totalKnown && rate > 0)
        m_ui->etaLabel->setText(
            tr("%1 left").arg(formatDuration(double(knownTotal - c.finished()) / rate)));
    else if (m_run && !running && seconds > 0)
        m_ui->etaLabel->setText(tr("took %1").arg(formatDuration(seconds)));
    else
        m_ui->etaLabel->clear();

    QString state;
    if (!m_run) {
        state = tr("Not started");
    } else if (m_outcome) {
        switch (*m_outcome) {
        case TransferRun::Outcome::Completed:
            state = c.failed + c.invalid > 0 ? tr("Finished with failures") : tr("Completed");
            break;
        case TransferRun::Outcome::Cancelled:
            state = tr("Cancelled");
            break;
        case TransferRun::Outcome::ConfigError:
        case TransferRun::Outcome::SourceError:
            state = tr("Stopped by an error");
            break;
        }
    } else {
        switch (m_run->state()) {
        case TransferRun::State::Idle:
        case TransferRun::State::Starting:
            state = tr("Starting…");
            break;
        case TransferRun::State::Running:
            state
                = totalKnown ? tr("Running") : tr("Running, %1 read").arg(locale.toString(c.read));
            break;
        case TransferRun::State::Paused:
            state = tr("Paused");
            break;
        case TransferRun::State::Finished:
            state = tr("Finished");
            break;
        }
    }
    m_ui->stateLabel->setText(state);
    updateActions();
    updateShownLabel();
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
    const bool groupSelected
        = m_ui->groupsTable->selectionModel()->currentIndex().isValid() && m_groups->rowCount() > 0;
    m_ui->showGroupButton->setEnabled(groupSelected);
    m_ui->retryGroupButton->setEnabled(canRetry && groupSelected);
    m_ui->copyLogButton->setEnabled(m_ui->logView->selectionModel()->hasSelection());
    const bool editable = m_detailsId >= 0 && !m_ui->payloadEdit->isReadOnly();
    m_ui->retryEditedButton->setEnabled(canRetry && editable);
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
    auto *proxy = static_cast<ItemFilterProxy *>(m_proxy);
    const qint64 shown = m_detailsId;
    // The steward may be editing the shown item's JSON: the reset must not lose it.
    const bool edited = shown >= 0 && m_ui->payloadEdit->document()->isModified();
    const QString editedText = edited ? m_ui->payloadEdit->toPlainText() : QString();
    const bool reset = proxy->setFilter(m_ui->filterCombo->currentData().toInt(),
                                        m_ui->searchEdit->text().trimmed());
    // The reset dropped the selection: keep the item whose details are shown, if the new
    // filter lets it through, with the JSON being edited.
    if (reset && shown >= 0 && selectInTable(shown, QAbstractItemView::EnsureVisible) && edited
        && m_detailsId == shown) {
        m_ui->payloadEdit->setPlainText(editedText);
        m_ui->payloadEdit->document()->setModified(true);
        updateActions();
    }
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
    const qint64 id = currentId();
    const int row = id >= 0 ? m_model->rowForId(id) : -1;
    if (id != m_detailsId) {
        m_ui->payloadErrorLabel->hide();
        // Another item chosen: its details are what the steward wants to see.
        if (row >= 0)
            m_ui->detailsTabs->setCurrentWidget(m_ui->itemTab);
    }
    m_detailsId = row >= 0 ? id : -1;
    if (row < 0) {
        m_ui->itemTitleLabel->setText(tr("No item selected."));
        m_ui->payloadEdit->setReadOnly(true);
        m_ui->payloadEdit->clear();
        m_ui->responseEdit->clear();
        m_ui->itemErrorLabel->hide();
        m_ui->retryEditedButton->hide();
        m_ui->payloadEdit->document()->setModified(false);
        updateActions();
        return;
    }
    const ItemResult result = m_model->resultAt(row);
    QString title
        = u"<b>%1</b> · %2"_s.arg(result.key.toHtmlEscaped(), itemStatusName(result.status));
    if (result.httpStatus)
        title += u" · "_s + tr("HTTP %1").arg(result.httpStatus);
    if (result.attempts)
        title += u" · "_s + tr("attempts: %1").arg(result.attempts);
    m_ui->itemTitleLabel->setText(title);

    const bool failure = isFailure(result.status);
    m_ui->payloadEdit->setReadOnly(!failure);
    m_ui->retryEditedButton->setVisible(failure);
    QString placeholder = tr("Write the JSON to send for this item.");
    if (result.status == ItemStatus::Delivered)
        placeholder = tr("Delivered earlier: the JSON and the answer are kept for the last %1 "
                         "delivered items and for every failed one.")
                          .arg(QLocale().toString(TransferStatusModel::DeliveredDetailsKept));
    else if (!failure)
        placeholder = tr("Not sent yet.");
    m_ui->payloadEdit->setPlaceholderText(placeholder);
    m_ui->payloadEdit->setPlainText(result.payload.isEmpty() ? QString()
                                                             : prettyJson(result.payload));
    m_ui->payloadEdit->document()->setModified(false);
    m_ui->itemErrorLabel->setText(result.error);
    m_ui->itemErrorLabel->setVisible(!result.error.isEmpty());
    m_ui->responseEdit->setPlainText(prettyJson(result.responseBody));
    updateActions();
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

} // namespace sluice
