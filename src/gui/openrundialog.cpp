// SPDX-License-Identifier: GPL-3.0-or-later
#include "openrundialog.h"

#include "ui_openrundialog.h"

#include <QDir>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>

#include "models/runlistmodel.h"

namespace sluice {

OpenRunDialog::OpenRunDialog(const QString &folder, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::OpenRunDialog>())
    , m_model(new RunListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_ui->setupUi(this);
    m_model->setFolder(folder);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunListModel::SortRole);

    QTreeView *view = m_ui->runView;
    view->setModel(m_proxy);
    view->sortByColumn(RunListModel::Started, Qt::DescendingOrder);
    QHeaderView *header = view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RunListModel::Transfer, QHeaderView::Stretch);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    if (m_proxy->rowCount() > 0)
        view->setCurrentIndex(m_proxy->index(0, 0));

    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &OpenRunDialog::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &OpenRunDialog::updateFolderText);
    connect(view, &QAbstractItemView::activated, this, [this] { choose(Choice::Open); });
    connect(m_ui->openButton, &QPushButton::clicked, this, [this] { choose(Choice::Open); });
    connect(m_ui->resumeButton, &QPushButton::clicked, this, [this] { choose(Choice::Resume); });
    connect(m_ui->deleteButton, &QPushButton::clicked, this, &OpenRunDialog::askToDelete);
    connect(m_ui->closeButton, &QPushButton::clicked, this, &QDialog::reject);

    updateFolderText();
    updateButtons();
    resize(qMax(width(), header->length() + 40), height());
}

OpenRunDialog::~OpenRunDialog() = default;

bool OpenRunDialog::selectRun(const QString &fileName)
{
    const int row = m_model->rowForFile(fileName);
    if (row < 0)
        return false;
    m_ui->runView->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)));
    return true;
}

void OpenRunDialog::setShownRun(const QString &fileName)
{
    m_model->setOwnRun(fileName);
    if (!fileName.isEmpty())
        selectRun(fileName);
    updateButtons();
}

int OpenRunDialog::selectedRow() const
{
    const QModelIndexList rows = m_ui->runView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    return m_proxy->mapToSource(rows.constFirst()).row();
}

void OpenRunDialog::updateButtons()
{
    const std::optional<JournalSummary> run = m_model->runAt(selectedRow());
    m_ui->openButton->setEnabled(run.has_value());
    m_ui->resumeButton->setEnabled(run && RunListModel::canResume(*run));
    const bool shown = run && run->fileName == m_model->ownRun();
    m_ui->deleteButton->setEnabled(run && !run->inUse && !shown);
    m_ui->resumeButton->setToolTip(!run || RunListModel::canResume(*run) ? QString()
                                       : run->inUse ? tr("A running Sluice is writing this run")
                                                    : tr("This run owes nothing more"));
    QString deleteTip;
    if (run && run->inUse)
        deleteTip = tr("A running Sluice is writing this run");
    else if (shown)
        deleteTip = tr("The Run tab shows this run: open another one or start a new run to "
                       "delete it");
    m_ui->deleteButton->setToolTip(deleteTip);
}

void OpenRunDialog::updateFolderText()
{
    const QString folder = QDir::toNativeSeparators(m_model->folder());
    m_ui->folderLabel->setText(
        m_model->rowCount() == 0
            ? tr("No runs yet. Every run keeps a journal of its items in %1.").arg(folder)
            : tr("Every run keeps a journal of its items in %1.").arg(folder));
}

void OpenRunDialog::choose(Choice choice)
{
    const std::optional<JournalSummary> run = m_model->runAt(selectedRow());
    if (!run || (choice == Choice::Resume && !RunListModel::canResume(*run)))
        return;
    m_choice = choice;
    m_fileName = run->fileName;
    accept();
}

void OpenRunDialog::askToDelete()
{
    const std::optional<JournalSummary> run = m_model->runAt(selectedRow());
    if (!run)
        return;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Delete Run"),
        tr("Delete the journal of the run of %1 (%2)? What it records about every item is "
           "lost, and the run cannot be resumed or retried any more.")
            .arg(QLocale().toString(run->startedAt.toLocalTime(), QLocale::ShortFormat),
                 run->transferName.isEmpty() ? tr("unsaved transfer") : run->transferName),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("deleteQuestion"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *remove = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setWindowModality(Qt::WindowModal);
    const QString fileName = run->fileName;
    connect(box, &QMessageBox::finished, this, [this, box, remove, fileName] {
        if (box->clickedButton() != remove)
            return;
        QString error;
        if (!m_model->removeRun(m_model->rowForFile(fileName), &error))
            QMessageBox::warning(this, tr("Cannot delete the run"), error);
        updateButtons();
    });
    box->open();
}

} // namespace sluice
