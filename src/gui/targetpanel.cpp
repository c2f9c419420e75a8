// SPDX-License-Identifier: GPL-3.0-or-later
#include "targetpanel.h"

#include "ui_targetpanel.h"

#include <utility>

#include <QHeaderView>
#include <QStandardItemModel>

#include "palette.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr int DebounceMs = 250;

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

bool isFromEnvironment(const QTableWidget *table, int row)
{
    const QTableWidgetItem *item = table->item(row, TargetPanel::FromEnvironmentColumn);
    return item && item->checkState() == Qt::Checked;
}

} // namespace

TargetPanel::TargetPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::TargetPanel>())
{
    m_ui->setupUi(this);

    // Bulk modes are listed but disabled, so stewards see what is planned.
    if (auto *model = qobject_cast<QStandardItemModel *>(m_ui->modeCombo->model())) {
        for (int row = 1; row < model->rowCount(); ++row) {
            model->item(row)->setEnabled(false);
            model->item(row)->setToolTip(tr("Bulk modes come in a later version of Sluice."));
        }
    }
    m_ui->modeCombo->setItemData(
        0, tr("Each item is sent in a request of its own, with its own status."), Qt::ToolTipRole);

    QHeaderView *header = m_ui->headersTable->horizontalHeader();
    header->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(FromEnvironmentColumn, QHeaderView::ResizeToContents);
    header->resizeSection(NameColumn, 180);
    m_ui->headersTable->horizontalHeaderItem(FromEnvironmentColumn)
        ->setToolTip(tr("Checked: the value is the name of an environment variable that holds "
                        "it when the transfer runs (for tokens and API keys), so the secret "
                        "never goes into the transfer file."));

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &TargetPanel::showProblems);

    connect(m_ui->urlEdit, &QLineEdit::textEdited, this, &TargetPanel::userEdited);
    connect(m_ui->methodCombo, &QComboBox::activated, this, &TargetPanel::userEdited);
    connect(m_ui->modeCombo, &QComboBox::activated, this, &TargetPanel::userEdited);
    for (QSpinBox *spin :
         {m_ui->timeoutSpin, m_ui->concurrencySpin, m_ui->chunkSizeSpin, m_ui->maxRetriesSpin}) {
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            if (!m_updating)
                userEdited();
        });
    }
    connect(m_ui->headersTable, &QTableWidget::itemChanged, this, &TargetPanel::headerItemChanged);
    connect(m_ui->headersTable, &QTableWidget::currentCellChanged, this,
            &TargetPanel::updateRemoveButton);
    connect(m_ui->addHeaderButton, &QPushButton::clicked, this, &TargetPanel::addHeader);
    connect(m_ui->removeHeaderButton, &QPushButton::clicked, this, &TargetPanel::removeHeader);

    setTarget(TargetSpec {}, RunSpec {});
}

TargetPanel::~TargetPanel()
{
    // QWidget deletes the children after this destructor, and they may still emit as they
    // go (an open cell editor commits): nothing may reach the half-destroyed panel.
    const QList<QObject *> children = findChildren<QObject *>();
    for (QObject *child : children)
        disconnect(child, nullptr, this, nullptr);
}

void TargetPanel::setTarget(const TargetSpec &target, const RunSpec &run)
{
    m_updating = true;
    m_ui->urlEdit->setText(target.url);
    m_ui->methodCombo->setCurrentIndex(
        target.method.compare(u"PUT"_s, Qt::CaseInsensitive) == 0 ? 1 : 0);
    m_ui->modeCombo->setCurrentIndex(0);
    m_ui->headersTable->setRowCount(0);
    for (const auto &[name, value] : target.headers)
        appendHeaderRow(name, value, false);
    for (const auto &[name, variable] : target.headersEnv)
        appendHeaderRow(name, variable, true);
    m_ui->timeoutSpin->setValue(target.timeoutSeconds);
    m_ui->concurrencySpin->setValue(run.concurrency);
    m_ui->chunkSizeSpin->setValue(run.chunkSize);
    m_ui->maxRetriesSpin->setValue(run.maxRetries);
    m_updating = false;
    updateRemoveButton();
    m_debounce.stop();
    showProblems();
}

TargetSpec TargetPanel::target() const
{
    TargetSpec target;
    target.url = m_ui->urlEdit->text();
    target.method = m_ui->methodCombo->currentIndex() == 1 ? u"PUT"_s : u"POST"_s;
    target.mode = TargetMode::Item;
    target.timeoutSeconds = m_ui->timeoutSpin->value();
    const QTableWidget *table = m_ui->headersTable;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QString name = cellText(table, row, NameColumn).trimmed();
        const QString value = cellText(table, row, ValueColumn);
        if (name.isEmpty() && value.isEmpty())
            continue;
        if (isFromEnvironment(table, row))
            target.headersEnv.append({name, value.trimmed()});
        else
            target.headers.append({name, value});
    }
    return target;
}

RunSpec TargetPanel::run() const
{
    RunSpec run;
    run.concurrency = m_ui->concurrencySpin->value();
    run.chunkSize = m_ui->chunkSizeSpin->value();
    run.maxRetries = m_ui->maxRetriesSpin->value();
    return run;
}

bool TargetPanel::isValid() const
{
    return problems().isEmpty();
}

QList<SpecError> TargetPanel::problems() const
{
    // A scratch transfer whose source and query are valid, so that validate() speaks only
    // about this panel's part, with exactly the rules a transfer file is held to.
    TransferSpec scratch;
    scratch.source.driver = u"QSQLITE"_s;
    scratch.source.database = u"preview.db"_s;
    scratch.query.sql = u"SELECT 1"_s;
    scratch.target = target();
    scratch.run = run();
    QList<SpecError> mine;
    const QList<SpecError> all = scratch.validate();
    for (const SpecError &error : all) {
        if (error.section() == SpecSection::Target || error.section() == SpecSection::Run)
            mine.append(error);
    }
    return mine;
}

void TargetPanel::showProblems()
{
    QStringList url;
    QStringList headers;
    QStringList request;
    QStringList runSettings;
    const QList<SpecError> all = problems();
    for (const SpecError &error : all) {
        const QString &path = error.path;
        if (path == u"target.url"_s) {
            url.append(error.message);
        } else if (path.startsWith(u"target.headers"_s)) {
            // "target.headers.NAME" or "target.headersEnv.NAME": the name says which row.
            const QString name = path.section(u'.', 2);
            headers.append(tr("%1: %2").arg(name.isEmpty() ? tr("A header without a name") : name,
                                            error.message));
        } else if (error.section() == SpecSection::Run) {
            runSettings.append(error.toString());
        } else {
            request.append(error.toString());
        }
    }
    setError(m_ui->urlErrorLabel, url);
    setError(m_ui->headersErrorLabel, headers);
    setError(m_ui->requestErrorLabel, request);
    setError(m_ui->runErrorLabel, runSettings);
}

void TargetPanel::setError(QLabel *label, const QStringList &messages)
{
    setTextColor(label, errorColor(label->palette()));
    label->setText(messages.join(u'\n'));
    label->setVisible(!messages.isEmpty());
}

void TargetPanel::userEdited()
{
    emit changed();
    m_debounce.start();
}

void TargetPanel::appendHeaderRow(const QString &name, const QString &value, bool fromEnvironment)
{
    QTableWidget *table = m_ui->headersTable;
    const bool wasUpdating = std::exchange(m_updating, true);
    const int row = table->rowCount();
    table->insertRow(row);
    table->setItem(row, NameColumn, new QTableWidgetItem(name));
    table->setItem(row, ValueColumn, new QTableWidgetItem(value));
    auto *environment = new QTableWidgetItem;
    environment->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    environment->setCheckState(fromEnvironment ? Qt::Checked : Qt::Unchecked);
    table->setItem(row, FromEnvironmentColumn, environment);
    updateValueToolTip(row);
    m_updating = wasUpdating;
}

void TargetPanel::addHeader()
{
    appendHeaderRow({}, {}, false);
    QTableWidget *table = m_ui->headersTable;
    const int row = table->rowCount() - 1;
    table->setFocus();
    table->setCurrentCell(row, NameColumn);
    table->editItem(table->item(row, NameColumn));
    // An empty row changes nothing in the transfer: changed() follows the first keystroke.
}

void TargetPanel::removeHeader()
{
    QTableWidget *table = m_ui->headersTable;
    const int row = table->currentRow();
    if (row < 0)
        return;
    const bool hadContent = !cellText(table, row, NameColumn).trimmed().isEmpty()
        || !cellText(table, row, ValueColumn).isEmpty();
    table->removeRow(row);
    updateRemoveButton();
    if (hadContent)
        userEdited();
}

void TargetPanel::headerItemChanged(QTableWidgetItem *item)
{
    if (m_updating)
        return;
    if (item->column() == FromEnvironmentColumn)
        updateValueToolTip(item->row());
    userEdited();
}

void TargetPanel::updateValueToolTip(int row)
{
    // The value cell's meaning follows the check box; say so where it is typed.
    QTableWidgetItem *value = m_ui->headersTable->item(row, ValueColumn);
    if (!value)
        return;
    const bool wasUpdating = std::exchange(m_updating, true);
    value->setToolTip(isFromEnvironment(m_ui->headersTable, row)
                          ? tr("The name of the environment variable that holds the value "
                               "when the transfer runs")
                          : tr("The header's value, sent as it is"));
    m_updating = wasUpdating;
}

void TargetPanel::updateRemoveButton()
{
    m_ui->removeHeaderButton->setEnabled(m_ui->headersTable->currentRow() >= 0);
}

} // namespace sluice
