// SPDX-License-Identifier: GPL-3.0-or-later
#include "targetpanel.h"

#include "ui_targetpanel.h"

#include <algorithm>
#include <utility>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QUrl>

#include "accessibletext.h"
#include "net/cafile.h"
#include "palette.h"
#include "spec/secretheaders.h"
#include "specerrortext.h"
#include "util/paths.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr int ProblemsDebounceMs = 250;

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

/// A mode's name in the list and what it sends, for its tool tip.
std::pair<QString, QString> modeTexts(TargetMode mode)
{
    switch (mode) {
    case TargetMode::Item:
        return {TargetPanel::tr("One request per item"),
                TargetPanel::tr("Each item is sent in a request of its own, with its own "
                                "status.")};
    case TargetMode::ElasticsearchBulk:
        return {TargetPanel::tr("Elasticsearch _bulk"),
                TargetPanel::tr("Items go in batches to Elasticsearch's _bulk API, as NDJSON: an "
                                "action line and the document for each item. Each item gets its "
                                "own status from the answer's \"items\".")};
    case TargetMode::CouchdbBulk:
        return {TargetPanel::tr("CouchDB _bulk_docs"),
                TargetPanel::tr("Items go in batches to CouchDB's _bulk_docs, as {\"docs\": "
                                "[...]}. Each item gets its own status (ok, or error and reason) "
                                "from the answer.")};
    case TargetMode::JsonArray:
        return {TargetPanel::tr("One JSON array per request"),
                TargetPanel::tr("Items go in batches, each request one JSON array of items. The "
                                "request's status is the status of every item in it.")};
    case TargetMode::Ndjson:
        return {TargetPanel::tr("NDJSON, one item per line"),
                TargetPanel::tr("Items go in batches, each request newline-delimited JSON (one "
                                "item per line). The request's status is the status of every "
                                "item in it.")};
    }
    return {};
}

/// A value moved to the keychain and not saved there yet, on the row's value cell.
constexpr int PendingSecretRole = Qt::UserRole + 1;

bool isChecked(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item && item->checkState() == Qt::Checked;
}

bool isFromEnvironment(const QTableWidget *table, int row)
{
    return isChecked(table, row, TargetPanel::FromEnvironmentColumn);
}

bool isInKeychain(const QTableWidget *table, int row)
{
    return isChecked(table, row, TargetPanel::KeychainColumn);
}

} // namespace

TargetPanel::TargetPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::TargetPanel>())
{
    m_ui->setupUi(this);

    // Each choice says what it does where the steward chooses it: in its tool tip.
    const auto addChoice
        = [](QComboBox *combo, const QString &text, const QString &toolTip, int value) {
              combo->addItem(text, value);
              combo->setItemData(combo->count() - 1, toolTip, Qt::ToolTipRole);
          };
    for (const TargetMode mode : allTargetModes()) {
        const auto [text, toolTip] = modeTexts(mode);
        addChoice(m_ui->modeCombo, text, toolTip, int(mode));
    }
    addChoice(m_ui->bulkActionCombo, tr("index (create or replace)"),
              tr("\"index\": a new document is created, one with the same _id replaced."),
              int(BulkAction::Index));
    addChoice(m_ui->bulkActionCombo, tr("create (new documents only)"),
              tr("\"create\": a new document is created; an item whose _id exists already "
                 "fails with 409 Conflict."),
              int(BulkAction::Create));
    addChoice(m_ui->http2Combo, tr("Automatic: HTTP/2 over https when the server offers it"),
              tr("https: HTTP/2 when the server offers it in the TLS handshake (ALPN), "
                 "HTTP/1.1 otherwise. Plain http: HTTP/1.1."),
              int(Http2Mode::Auto));
    addChoice(m_ui->http2Combo, tr("Prior knowledge (h2c)"),
              tr("HTTP/2 from the first byte, also over plain http (h2c), without asking. Only "
                 "for a server known to speak HTTP/2: any other fails every request."),
              int(Http2Mode::PriorKnowledge));
    addChoice(m_ui->http2Combo, tr("Off: HTTP/1.1 only"),
              tr("HTTP/1.1 always, also when the server offers HTTP/2."), int(Http2Mode::Off));

    QHeaderView *header = m_ui->headersTable->horizontalHeader();
    header->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(FromEnvironmentColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(KeychainColumn, QHeaderView::ResizeToContents);
    header->resizeSection(NameColumn, 180);
    m_ui->headersTable->horizontalHeaderItem(FromEnvironmentColumn)
        ->setToolTip(tr("Checked: the value is the name of an environment variable that holds "
                        "it when the transfer runs (for tokens and API keys), so the secret "
                        "never goes into the transfer file."));
    m_ui->headersTable->horizontalHeaderItem(KeychainColumn)
        ->setToolTip(tr("Checked: the value is kept in the system keychain and the transfer "
                        "file holds only the entry's name. A value typed before checking moves "
                        "to the keychain when the transfer is saved."));

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(ProblemsDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &TargetPanel::showProblems);

    connect(m_ui->urlEdit, &QLineEdit::textEdited, this, &TargetPanel::userEdited);
    for (QLineEdit *edit : {m_ui->caFileEdit, m_ui->idempotencyKeyEdit, m_ui->successStatusesEdit,
                            m_ui->retryStatusesEdit})
        connect(edit, &QLineEdit::textEdited, this, &TargetPanel::userEdited);
    connect(m_ui->caFileBrowseButton, &QPushButton::clicked, this, &TargetPanel::browseCaFile);
    for (QComboBox *combo :
         {m_ui->methodCombo, m_ui->modeCombo, m_ui->bulkActionCombo, m_ui->http2Combo}) {
        connect(combo, &QComboBox::activated, this, &TargetPanel::updateChoices);
        connect(combo, &QComboBox::activated, this, &TargetPanel::userEdited);
    }
    for (QSpinBox *spin :
         {m_ui->timeoutSpin, m_ui->concurrencySpin, m_ui->chunkSizeSpin, m_ui->maxRetriesSpin,
          m_ui->batchSizeSpin, static_cast<QSpinBox *>(m_ui->batchBytesSpin),
          m_ui->stopAfterFailuresSpin}) {
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            if (!m_updating)
                userEdited();
        });
    }
    connect(m_ui->maxRateSpin, &QDoubleSpinBox::valueChanged, this, [this] {
        if (m_updating)
            return;
        m_exactRate.reset(); // the steward's own value now
        userEdited();
    });
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
    m_ui->modeCombo->setCurrentIndex(m_ui->modeCombo->findData(int(target.mode)));
    m_ui->batchSizeSpin->setValue(target.batchSize);
    m_ui->batchBytesSpin->setValue(
        int(std::clamp(target.batchBytes, TargetSpec::MinBatchBytes, TargetSpec::MaxBatchBytes)));
    m_ui->bulkActionCombo->setCurrentIndex(m_ui->bulkActionCombo->findData(int(target.bulkAction)));
    m_ui->http2Combo->setCurrentIndex(m_ui->http2Combo->findData(int(target.http2)));
    m_ui->caFileEdit->setText(target.caFile);
    m_ui->headersTable->setRowCount(0);
    for (const auto &[name, value] : target.headers)
        appendHeaderRow(name, value, ValueSource::Literal);
    for (const auto &[name, variable] : target.headersEnv)
        appendHeaderRow(name, variable, ValueSource::Environment);
    for (const auto &[name, entry] : target.headersKeychain)
        appendHeaderRow(name, entry, ValueSource::Keychain);
    m_ui->timeoutSpin->setValue(target.timeoutSeconds);
    m_ui->idempotencyKeyEdit->setText(target.idempotencyKey);
    m_ui->successStatusesEdit->setText(
        target.successStatuses ? statusListText(*target.successStatuses) : QString());
    m_ui->retryStatusesEdit->setText(target.retryStatuses ? statusListText(*target.retryStatuses)
                                                          : QString());
    m_ui->stopAfterFailuresSpin->setValue(run.stopAfterFailures);
    m_ui->concurrencySpin->setValue(run.concurrency);
    m_ui->chunkSizeSpin->setValue(run.chunkSize);
    m_ui->maxRetriesSpin->setValue(run.maxRetries);
    m_ui->maxRateSpin->setValue(run.maxRequestsPerSecond);
    m_exactRate = run.maxRequestsPerSecond;
    m_watermark = run.watermark;
    m_updating = false;
    updateChoices();
    updateRemoveButton();
    m_debounce.stop();
    showProblems();
}

TargetSpec TargetPanel::target() const
{
    TargetSpec target;
    target.url = m_ui->urlEdit->text();
    target.method = m_ui->methodCombo->currentIndex() == 1 ? u"PUT"_s : u"POST"_s;
    target.mode = mode();
    target.batchSize = m_ui->batchSizeSpin->value();
    target.batchBytes = m_ui->batchBytesSpin->value();
    target.bulkAction = BulkAction(m_ui->bulkActionCombo->currentData().toInt());
    target.http2 = Http2Mode(m_ui->http2Combo->currentData().toInt());
    target.caFile = m_ui->caFileEdit->text().trimmed();
    target.timeoutSeconds = m_ui->timeoutSpin->value();
    // Disabled in a _bulk mode, where the file refuses it: kept in the field, left out here.
    if (!isBulk(target.mode))
        target.idempotencyKey = m_ui->idempotencyKeyEdit->text().trimmed();
    target.successStatuses = statusList(m_ui->successStatusesEdit);
    target.retryStatuses = statusList(m_ui->retryStatusesEdit);
    const QTableWidget *table = m_ui->headersTable;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QString name = cellText(table, row, NameColumn).trimmed();
        const QString value = cellText(table, row, ValueColumn);
        if (name.isEmpty() && value.isEmpty())
            continue;
        if (isFromEnvironment(table, row))
            target.headersEnv.append({name, value.trimmed()});
        else if (isInKeychain(table, row))
            target.headersKeychain.append({name, value.trimmed()});
        else
            target.headers.append({name, value});
    }
    return target;
}

QList<QPair<QString, QString>> TargetPanel::secretsToStore() const
{
    QList<QPair<QString, QString>> secrets;
    const QTableWidget *table = m_ui->headersTable;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QTableWidgetItem *value = table->item(row, ValueColumn);
        if (isInKeychain(table, row) && value && value->data(PendingSecretRole).isValid())
            secrets.append({value->text().trimmed(), value->data(PendingSecretRole).toString()});
    }
    return secrets;
}

void TargetPanel::secretsStored()
{
    const bool wasUpdating = std::exchange(m_updating, true);
    for (int row = 0; row < m_ui->headersTable->rowCount(); ++row) {
        if (QTableWidgetItem *value = m_ui->headersTable->item(row, ValueColumn))
            value->setData(PendingSecretRole, QVariant());
    }
    m_updating = wasUpdating;
}

int TargetPanel::moveLiteralSecretsToKeychain()
{
    int moved = 0;
    const QTableWidget *table = m_ui->headersTable;
    for (int row = 0; row < table->rowCount(); ++row) {
        if (isFromEnvironment(table, row) || isInKeychain(table, row)
            || !isSensitiveHeaderName(cellText(table, row, NameColumn).trimmed())
            || cellText(table, row, ValueColumn).isEmpty())
            continue;
        setValueSource(row, ValueSource::Keychain);
        ++moved;
    }
    if (moved > 0)
        userEdited();
    return moved;
}

void TargetPanel::setValueSource(int row, ValueSource source)
{
    QTableWidget *table = m_ui->headersTable;
    QTableWidgetItem *value = table->item(row, ValueColumn);
    if (!value)
        return;
    const bool wasUpdating = std::exchange(m_updating, true);
    const bool wasLiteral = !isFromEnvironment(table, row) && !isInKeychain(table, row);
    table->item(row, FromEnvironmentColumn)
        ->setCheckState(source == ValueSource::Environment ? Qt::Checked : Qt::Unchecked);
    table->item(row, KeychainColumn)
        ->setCheckState(source == ValueSource::Keychain ? Qt::Checked : Qt::Unchecked);
    if (source == ValueSource::Keychain && wasLiteral && !value->text().isEmpty()) {
        // The typed value moves to the keychain (when saved); the cell names its entry:
        // the target's host and the header, which the steward may rename.
        value->setData(PendingSecretRole, value->text());
        const QString host = QUrl(m_ui->urlEdit->text()).host();
        const QString name = cellText(table, row, NameColumn).trimmed();
        value->setText(host.isEmpty() ? name : host + u' ' + name);
    } else if (source != ValueSource::Keychain && value->data(PendingSecretRole).isValid()) {
        // Not stored yet: it comes back as the literal value it was.
        if (source == ValueSource::Literal)
            value->setText(value->data(PendingSecretRole).toString());
        value->setData(PendingSecretRole, QVariant());
    }
    m_updating = wasUpdating;
    updateValueToolTip(row);
}

RunSpec TargetPanel::run() const
{
    RunSpec run;
    run.concurrency = m_ui->concurrencySpin->value();
    run.chunkSize = m_ui->chunkSizeSpin->value();
    run.maxRetries = m_ui->maxRetriesSpin->value();
    run.maxRequestsPerSecond = m_exactRate.value_or(m_ui->maxRateSpin->value());
    run.stopAfterFailures = m_ui->stopAfterFailuresSpin->value();
    run.watermark = m_watermark;
    return run;
}

std::optional<StatusList> TargetPanel::statusList(const QLineEdit *edit, QString *error)
{
    if (edit->text().trimmed().isEmpty())
        return std::nullopt;
    return statusListFromText(edit->text(), error);
}

void TargetPanel::setItemKey(const QString &keyTemplate)
{
    if (m_itemKey == keyTemplate)
        return;
    m_itemKey = keyTemplate;
    updateDuplicateWarning();
}

QString TargetPanel::duplicateWarning() const
{
    return m_ui->duplicateWarningLabel->isHidden() ? QString()
                                                   : m_ui->duplicateWarningLabel->text();
}

void TargetPanel::updateDuplicateWarning()
{
    TransferSpec spec;
    spec.transform.present = !m_itemKey.isEmpty();
    spec.transform.key = m_itemKey;
    spec.target = target();
    QLabel *label = m_ui->duplicateWarningLabel;
    const QString risk = duplicateRisk(spec);
    setTextColor(label, warningColor(label->palette()));
    setLabelText(label, risk.isEmpty() ? QString() : tr("Duplicates possible: %1").arg(risk));
    label->setVisible(!risk.isEmpty());
}

void TargetPanel::setBaseDir(const QString &baseDir)
{
    m_baseDir = baseDir;
}

void TargetPanel::moveTo(const QString &baseDir, const QString &caFile)
{
    m_baseDir = baseDir;
    m_ui->caFileEdit->setText(caFile); // setText(): no textEdited, so no changed()
}

TargetMode TargetPanel::mode() const
{
    return TargetMode(m_ui->modeCombo->currentData().toInt());
}

void TargetPanel::updateChoices()
{
    // Disabled, not hidden: the form keeps its shape, and the values stay for a switch back.
    const bool bulk = isBulk(mode());
    const QList<QWidget *> batchControls {m_ui->batchSizeLabel, m_ui->batchSizeSpin,
                                          m_ui->batchBytesLabel, m_ui->batchBytesSpin};
    for (QWidget *widget : batchControls)
        widget->setEnabled(bulk);
    const bool elasticsearch = mode() == TargetMode::ElasticsearchBulk;
    m_ui->bulkActionLabel->setEnabled(elasticsearch);
    m_ui->bulkActionCombo->setEnabled(elasticsearch);
    m_ui->idempotencyKeyLabel->setEnabled(!bulk);
    m_ui->idempotencyKeyEdit->setEnabled(!bulk);
    // A closed combo box explains its current choice too.
    for (QComboBox *combo : {m_ui->modeCombo, m_ui->bulkActionCombo, m_ui->http2Combo})
        combo->setToolTip(combo->currentData(Qt::ToolTipRole).toString());
}

void TargetPanel::browseCaFile()
{
    const QFileInfo current(resolveCaFile(m_ui->caFileEdit->text().trimmed(), m_baseDir));
    QString start = m_baseDir.isEmpty() ? QDir::homePath() : m_baseDir;
    if (!m_ui->caFileEdit->text().trimmed().isEmpty() && current.dir().exists())
        start = current.absolutePath();
    // open(), not exec(): no nested event loop (as the connection step's Browse…).
    auto *dialog = new QFileDialog(this, tr("Choose a Trusted CA File"), start,
                                   tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    dialog->setObjectName(u"caFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    if (current.isFile())
        dialog->selectFile(current.absoluteFilePath());
    connect(dialog, &QFileDialog::fileSelected, this, &TargetPanel::useChosenCaFile);
    dialog->open();
}

void TargetPanel::useChosenCaFile(const QString &file)
{
    const QString shown = pathForTransfer(file, m_baseDir);
    m_ui->caFileEdit->setText(shown);
    userEdited();
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
    // Not edited here, and its rules are about the query and the item key: the whole
    // transfer's check (MainWindow) reports it.
    scratch.run.watermark.reset();
    QList<SpecError> mine;
    // A status field that cannot be read has no list to validate: it says why itself.
    const std::pair<const QLineEdit *, QString> statusFields[] {
        {m_ui->successStatusesEdit, u"target.successStatuses"_s},
        {m_ui->retryStatusesEdit, u"target.retryStatuses"_s}};
    for (const auto &[edit, path] : statusFields) {
        QString error;
        if (!statusList(edit, &error) && !error.isEmpty())
            mine.append({path, error});
    }
    const QList<SpecError> all = scratch.validate();
    for (const SpecError &error : all) {
        if (error.section() == SpecSection::Target || error.section() == SpecSection::Run)
            mine.append(error);
    }
    return mine;
}

void TargetPanel::showProblems()
{
    // Each problem under the group of its field; the URL's and the headers' right under them.
    static const QStringList sendingFields {
        u"target.mode"_s,       u"target.batchSize"_s,       u"target.batchBytes"_s,
        u"target.bulkAction"_s, u"target.successStatuses"_s, u"target.retryStatuses"_s};
    static const QStringList connectionFields {u"target.http2"_s, u"target.caFile"_s,
                                               u"target.timeoutSeconds"_s};
    QStringList url;
    QStringList idempotencyKey;
    QStringList headers;
    QStringList request;
    QStringList sending;
    QStringList connection;
    QStringList runSettings;
    const QList<SpecError> all = problems();
    for (const SpecError &error : all) {
        const QString &path = error.path;
        if (path == u"target.url"_s) {
            url.append(error.message);
        } else if (path == u"target.idempotencyKey"_s) {
            idempotencyKey.append(error.message);
        } else if (path.startsWith(u"target.headers"_s)) {
            // "target.headers.NAME" or "target.headersEnv.NAME": the name says which row.
            const QString name = path.section(u'.', 2);
            headers.append(tr("%1: %2").arg(name.isEmpty() ? tr("A header without a name") : name,
                                            error.message));
        } else if (error.section() == SpecSection::Run) {
            runSettings.append(SpecErrorText::describeInStep(error));
        } else if (sendingFields.contains(path.section(u'[', 0, 0))) {
            sending.append(SpecErrorText::describeInStep(error));
        } else if (connectionFields.contains(path)) {
            connection.append(SpecErrorText::describeInStep(error));
        } else {
            request.append(SpecErrorText::describeInStep(error));
        }
    }
    // A credential written as it is may run (a hand-written file does), but is not saved so.
    for (const SpecError &error : literalSecretHeaders(target()))
        headers.append(tr("%1: a credential is not saved in the transfer file; check “In the "
                          "keychain” to keep it there, or give it from an environment variable")
                           .arg(error.path.section(u'.', 2)));
    setError(m_ui->urlErrorLabel, url);
    setError(m_ui->headersErrorLabel, headers);
    setError(m_ui->idempotencyKeyErrorLabel, idempotencyKey);
    setError(m_ui->requestErrorLabel, request);
    setError(m_ui->sendingErrorLabel, sending);
    setError(m_ui->connectionErrorLabel, connection);
    setError(m_ui->runErrorLabel, runSettings);
    updateDuplicateWarning();
}

void TargetPanel::setError(QLabel *label, const QStringList &messages)
{
    setTextColor(label, errorColor(label->palette()));
    setLabelText(label, messages.join(u'\n'));
    label->setVisible(!messages.isEmpty());
}

void TargetPanel::userEdited()
{
    emit changed();
    m_debounce.start();
}

void TargetPanel::appendHeaderRow(const QString &name, const QString &value, ValueSource source)
{
    QTableWidget *table = m_ui->headersTable;
    const bool wasUpdating = std::exchange(m_updating, true);
    const int row = table->rowCount();
    table->insertRow(row);
    table->setItem(row, NameColumn, new QTableWidgetItem(name));
    table->setItem(row, ValueColumn, new QTableWidgetItem(value));
    auto *environment = new QTableWidgetItem;
    environment->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    environment->setCheckState(source == ValueSource::Environment ? Qt::Checked : Qt::Unchecked);
    table->setItem(row, FromEnvironmentColumn, environment);
    auto *keychain = new QTableWidgetItem;
    keychain->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    keychain->setCheckState(source == ValueSource::Keychain ? Qt::Checked : Qt::Unchecked);
    table->setItem(row, KeychainColumn, keychain);
    updateValueToolTip(row);
    m_updating = wasUpdating;
}

void TargetPanel::addHeader()
{
    appendHeaderRow({}, {}, ValueSource::Literal);
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
    // The two check boxes exclude each other: the one just checked wins.
    if (item->column() == FromEnvironmentColumn || item->column() == KeychainColumn) {
        const bool checked = item->checkState() == Qt::Checked;
        const ValueSource source = !checked    ? ValueSource::Literal
            : item->column() == KeychainColumn ? ValueSource::Keychain
                                               : ValueSource::Environment;
        setValueSource(item->row(), source);
    }
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
                          : isInKeychain(m_ui->headersTable, row)
                          ? tr("The name of the keychain entry (service \"Sluice\") that holds "
                               "the value")
                          : tr("The header's value, sent as it is"));
    m_updating = wasUpdating;
}

void TargetPanel::updateRemoveButton()
{
    m_ui->removeHeaderButton->setEnabled(m_ui->headersTable->currentRow() >= 0);
}

} // namespace sluice
