// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventlogview.h"

#include "ui_eventlogview.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QItemSelectionModel>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QStyledItemDelegate>

#include "accessibletext.h"
#include "log/eventlog.h"
#include "models/eventlogmodel.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

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

} // namespace

EventLogView::EventLogView(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::EventLogView>())
{
    m_ui->setupUi(this);
    QListView *view = m_ui->logView;
    view->setItemDelegate(new LogDelegate(view));
    connect(view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const qint64 id = index.data(EventLogModel::ItemIdRole).toLongLong();
        if (id >= 0)
            Q_EMIT itemActivated(id);
    });
    connect(m_ui->copyLogButton, &QPushButton::clicked, this, &EventLogView::copySelection);
    connect(m_ui->clearLogButton, &QPushButton::clicked, this, [this] {
        if (m_log)
            m_log->clear();
    });
    auto *copyShortcut = new QAction(this);
    copyShortcut->setShortcut(QKeySequence::Copy);
    copyShortcut->setShortcutContext(Qt::WidgetShortcut);
    view->addAction(copyShortcut);
    connect(copyShortcut, &QAction::triggered, this, &EventLogView::copySelection);
    updateInfo();
}

EventLogView::~EventLogView() = default;

void EventLogView::setLog(EventLog *log)
{
    m_log = log;
    EventLogModel *previous = m_model;
    m_model = new EventLogModel(log, this);
    QListView *view = m_ui->logView;
    view->setModel(m_model);
    delete previous;
    // The log follows its newest entry unless the steward scrolled up to read.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_ui->logView->verticalScrollBar();
        m_followTail = bar->value() == bar->maximum();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followTail)
            m_ui->logView->scrollToBottom();
        updateInfo();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &EventLogView::updateInfo);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EventLogView::updateInfo);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EventLogView::updateInfo);
    // A line of the list is cut at its edge: the current entry is shown whole below it.
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &EventLogView::showCurrentEntry);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EventLogView::showCurrentEntry);
    showCurrentEntry();
    updateInfo();
}

void EventLogView::showCurrentEntry()
{
    const QModelIndex current = m_ui->logView->selectionModel()->currentIndex();
    QLabel *label = m_ui->logEntryLabel;
    setLabelText(label,
                 current.isValid() ? current.data(EventLogModel::TextRole).toString() : QString());
    label->setVisible(current.isValid());
}

void EventLogView::copySelection()
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

void EventLogView::updateInfo()
{
    const int rows = m_model ? m_model->rowCount() : 0;
    const qint64 dropped = m_log ? m_log->droppedCount() : 0;
    const QLocale locale;
    QString text = tr("%Ln entry(s)", nullptr, rows);
    if (dropped > 0)
        text = tr("The newest %1 entries; %2 older ones were dropped.")
                   .arg(locale.toString(rows), locale.toString(dropped));
    setLabelText(m_ui->logInfoLabel, text);
    m_ui->clearLogButton->setEnabled(rows > 0);
    const QItemSelectionModel *selection = m_ui->logView->selectionModel();
    m_ui->copyLogButton->setEnabled(selection && selection->hasSelection());
}

} // namespace sluice
