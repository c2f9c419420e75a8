// SPDX-License-Identifier: GPL-3.0-or-later
#include "querypanel.h"

#include "ui_querypanel.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QHeaderView>
#include <QKeySequence>
#include <QLocale>
#include <QPalette>
#include <QShortcut>
#include <QStyledItemDelegate>
#include <QTableWidgetItem>

#include "accessibletext.h"
#include "db/rowsource.h"
#include "db/sqlparameters.h"
#include "models/previewmodel.h"
#include "palette.h"
#include "spec/parametervalue.h"
#include "specerrortext.h"
#include "sqlhighlighter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// The parameter table shows this many rows before it scrolls.
constexpr int MaxVisibleParameters = 5;
/// A preview column is never made wider than this when fitted to its contents.
constexpr int MaxFittedColumnWidth = 320;

/// Paints SQL NULL as a placeholder (dimmed, italic), so it never reads as the text "NULL".
class NullAwareDelegate final : public QStyledItemDelegate
{
    Q_DISABLE_COPY_MOVE(NullAwareDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(PreviewModel::IsNullRole).toBool()) {
            option->palette.setColor(QPalette::Text,
                                     option->palette.color(QPalette::PlaceholderText));
            option->font.setItalic(true);
        }
    }
};

/// One line per error, each naming its parameter.
QString describe(const QList<SpecError> &errors)
{
    QStringList lines;
    for (const SpecError &error : errors)
        lines.append(SpecErrorText::describeInStep(error));
    return lines.join(u'\n');
}

} // namespace

QueryPanel::QueryPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::QueryPanel>())
{
    m_ui->setupUi(this);

    QPlainTextEdit *editor = m_ui->sqlEdit;
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    editor->setFont(mono);
    editor->setTabStopDistance(QFontMetricsF(mono).horizontalAdvance(u' ') * 4);
    m_highlighter = new SqlHighlighter(editor->document());

    QTableWidget *parameters = m_ui->parametersTable;
    parameters->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    parameters->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    parameters->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const int rowHeight = fontMetrics().height() + 8;
    parameters->verticalHeader()->setMinimumSectionSize(rowHeight);
    parameters->verticalHeader()->setDefaultSectionSize(rowHeight);

    m_model = new PreviewModel(this);
    QTableView *view = m_ui->previewView;
    view->setModel(m_model);
    view->setItemDelegate(new NullAwareDelegate(view));
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->verticalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    view->verticalHeader()->setMinimumSectionSize(rowHeight);
    view->verticalHeader()->setDefaultSectionSize(rowHeight);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // The rows get the larger share of the height; the editor keeps a few lines.
    m_ui->splitter->setStretchFactor(0, 2);
    m_ui->splitter->setStretchFactor(1, 3);

    const QKeySequence previewKey(Qt::CTRL | Qt::Key_Return);
    m_ui->previewButton->setToolTip(tr("Run the query and show its first %1 rows (%2)")
                                        .arg(PreviewRows)
                                        .arg(previewKey.toString(QKeySequence::NativeText)));
    for (const QKeySequence &key : {previewKey, QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(key, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &QueryPanel::preview);
    }

    m_parameterTimer.setSingleShot(true);
    m_parameterTimer.setInterval(ParameterDelayMs);
    connect(&m_parameterTimer, &QTimer::timeout, this, &QueryPanel::updateParameters);
    connect(editor, &QPlainTextEdit::textChanged, this, &QueryPanel::onSqlEdited);
    connect(parameters, &QTableWidget::itemChanged, this, [this] {
        if (m_updating)
            return;
        checkParameters();
        Q_EMIT changed();
    });
    connect(m_ui->previewButton, &QPushButton::clicked, this, &QueryPanel::preview);

    m_ui->errorLabel->hide();
    applyPalette();
    updateParameters();
}

QueryPanel::~QueryPanel() = default;

void QueryPanel::setQuery(const QuerySpec &spec)
{
    dropPreview();
    clearPreview();
    m_updating = true;
    m_givenValues = spec.parameters;
    m_droppedTexts.clear();
    m_parameterNames.clear();
    m_ui->parametersTable->setRowCount(0);
    m_ui->sqlEdit->setPlainText(spec.sql);
    m_updating = false;
    m_parameterTimer.stop();
    updateParameters();
}

QuerySpec QueryPanel::query() const
{
    return readQuery(nullptr);
}

QList<SpecError> QueryPanel::errors() const
{
    QList<SpecError> errors;
    readQuery(&errors);
    return errors;
}

QuerySpec QueryPanel::readQuery(QList<SpecError> *errors) const
{
    QuerySpec spec;
    spec.sql = m_ui->sqlEdit->toPlainText();
    // From the SQL itself, not from the table: while the table waits for typing to pause,
    // it may still show the names of a moment ago.
    const QHash<QString, QString> texts = parameterTexts();
    const QStringList names = findSqlParameters(spec.sql);
    for (const QString &name : names) {
        QString text;
        if (const auto it = texts.constFind(name); it != texts.cend())
            text = *it;
        else if (const auto dropped = m_droppedTexts.constFind(name);
                 dropped != m_droppedTexts.cend())
            text = *dropped;
        else
            text = parameterText(m_givenValues.value(name));
        SpecError error;
        if (const std::optional<QVariant> value = parameterValue(name, text, &error))
            spec.parameters.insert(name, *value);
        else if (errors && !error.path.isEmpty())
            errors->append(error);
    }
    return spec;
}

void QueryPanel::setConnection(const ConnectionSettings &settings, const QString &password)
{
    m_password = password;
    if (settings == m_settings)
        return;
    m_settings = settings;
    // The rows shown came from another database.
    dropPreview();
    clearPreview();
}

void QueryPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void QueryPanel::applyPalette()
{
    const QPalette &current = palette();
    m_highlighter->setPalette(m_ui->sqlEdit->palette());

    m_errorColor = errorColor(current);
    setTextColor(m_ui->errorLabel, m_errorColor);
    checkParameters();
    setTextColor(m_ui->noParametersLabel, current.color(QPalette::PlaceholderText));
}

// ---- parameters ----

void QueryPanel::onSqlEdited()
{
    if (m_updating)
        return;
    m_parameterTimer.start();
    Q_EMIT changed();
}

QHash<QString, QString> QueryPanel::parameterTexts() const
{
    QHash<QString, QString> texts;
    const QTableWidget *table = m_ui->parametersTable;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QTableWidgetItem *name = table->item(row, NameColumn);
        const QTableWidgetItem *value = table->item(row, ValueColumn);
        if (name)
            texts.insert(name->data(Qt::UserRole).toString(), value ? value->text() : QString());
    }
    return texts;
}

std::optional<QVariant> QueryPanel::parameterValue(const QString &name, const QString &text,
                                                   SpecError *error) const
{
    const auto given = m_givenValues.constFind(name);
    const bool hasGiven = given != m_givenValues.cend();
    // Only a value given as null or "" is one while its cell is empty.
    if (text.isEmpty()
        && !(hasGiven
             && (given->isNull()
                 || (given->metaType().id() == QMetaType::QString && given->toString().isEmpty()))))
        return std::nullopt;
    return parameterFromText(name, hasGiven ? *given : QVariant(), text, error);
}

void QueryPanel::checkParameters()
{
    QTableWidget *table = m_ui->parametersTable;
    const bool wasUpdating = std::exchange(m_updating, true);
    for (int row = 0; row < table->rowCount(); ++row) {
        const QTableWidgetItem *nameItem = table->item(row, NameColumn);
        QTableWidgetItem *valueItem = table->item(row, ValueColumn);
        if (!nameItem || !valueItem)
            continue;
        const QString name = nameItem->data(Qt::UserRole).toString();
        SpecError error;
        const bool wrong
            = !parameterValue(name, valueItem->text(), &error) && !error.path.isEmpty();
        // No brush at all when right: an empty one would paint the text invisible.
        valueItem->setData(Qt::ForegroundRole, wrong ? QVariant(QBrush(m_errorColor)) : QVariant());
        valueItem->setToolTip(
            wrong ? SpecErrorText::describeInStep(error)
                  : tr("The value bound to :%1. Leave it empty for no value.").arg(name));
    }
    m_updating = wasUpdating;

    const QList<SpecError> problems = errors();
    if (!problems.isEmpty()) {
        showError(describe(problems));
        m_showsParameterErrors = true;
    } else if (std::exchange(m_showsParameterErrors, false)) {
        m_ui->errorLabel->hide();
        m_ui->errorLabel->clear();
    }
}

void QueryPanel::updateParameters()
{
    const QStringList names = findSqlParameters(m_ui->sqlEdit->toPlainText());
    QTableWidget *table = m_ui->parametersTable;
    if (names != m_parameterNames) {
        const QHash<QString, QString> texts = parameterTexts();
        for (const QString &name : std::as_const(m_parameterNames)) {
            if (!names.contains(name))
                m_droppedTexts.insert(name, texts.value(name));
        }
        const bool wasUpdating = std::exchange(m_updating, true);
        table->setRowCount(int(names.size()));
        for (int row = 0; row < names.size(); ++row) {
            const QString &name = names.at(row);
            const QTableWidgetItem *existing = table->item(row, NameColumn);
            if (existing && existing->data(Qt::UserRole).toString() == name)
                continue; // untouched, so an editor open in this row stays open
            QString text;
            if (const auto it = texts.constFind(name); it != texts.cend())
                text = *it;
            else if (m_droppedTexts.contains(name))
                text = m_droppedTexts.take(name);
            else
                text = parameterText(m_givenValues.value(name));

            auto *nameItem = new QTableWidgetItem(u':' + name);
            nameItem->setData(Qt::UserRole, name);
            nameItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            auto *valueItem = new QTableWidgetItem(text);
            table->setItem(row, NameColumn, nameItem);
            table->setItem(row, ValueColumn, valueItem);
        }
        m_updating = wasUpdating;
        m_parameterNames = names;
    }
    table->setVisible(!names.isEmpty());
    m_ui->noParametersLabel->setVisible(names.isEmpty());
    fitParametersTable();
    checkParameters();
}

void QueryPanel::fitParametersTable()
{
    QTableWidget *table = m_ui->parametersTable;
    const int rows = qBound(1, table->rowCount(), MaxVisibleParameters);
    int height = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
    for (int row = 0; row < rows; ++row) {
        height += row < table->rowCount() ? table->rowHeight(row)
                                          : table->verticalHeader()->defaultSectionSize();
    }
    table->setFixedHeight(height);
}

// ---- preview ----

void QueryPanel::preview()
{
    // The table must show the parameters of the SQL being run.
    m_parameterTimer.stop();
    updateParameters();
    if (m_showsParameterErrors)
        return; // the message area says which value to fix
    dropPreview();
    m_ui->errorLabel->hide();
    m_ui->statusLabel->setToolTip({});
    if (m_settings.driver.isEmpty()) {
        showError(tr("There is no database connection yet: set one up first."));
        return;
    }
    if (m_ui->sqlEdit->toPlainText().trimmed().isEmpty()) {
        showError(tr("The query is empty: type the SELECT whose rows are sent."));
        return;
    }

    const QuerySpec spec = query();
    auto *source = new RowSource(m_settings, spec, PreviewRows, m_password, this);
    m_source = source;
    // A superseded source is disconnected, but the checks keep its results out regardless.
    connect(source, &RowSource::opened, this, [this, source](const ColumnList &columns) {
        if (source == m_source)
            onOpened(columns);
    });
    connect(source, &RowSource::chunkReady, this, [this, source](const RowChunk &chunk) {
        if (source == m_source)
            onChunk(chunk);
    });
    connect(source, &RowSource::failed, this, [this, source](const SourceFailure &failure) {
        if (source == m_source)
            onPreviewFailed(failure.message);
    });
    source->start();
    source->requestChunk();

    m_countState = CountState::None;
    if (RowCounter::supportsDriver(m_settings.driver)) {
        auto *counter = new RowCounter(m_settings, spec, m_password, this);
        m_counter = counter;
        connect(counter, &RowCounter::counted, this,
                [this, counter](qint64 rows, RowCounter::Accuracy accuracy) {
                    if (counter == m_counter)
                        onCounted(rows, accuracy);
                });
        connect(counter, &RowCounter::failed, this, [this, counter](const QString &message) {
            if (counter == m_counter)
                onCountFailed(message);
        });
        m_countState = CountState::Counting;
        counter->start();
    }
    showStatus();
}

void QueryPanel::dropPreview()
{
    if (m_source)
        retire(std::exchange(m_source, nullptr));
    if (RowCounter *counter = m_counter) {
        m_counter = nullptr;
        counter->deleteLater(); // never waits: a running count's result is dropped
    }
    m_countState = CountState::None;
    m_pendingColumns.clear();
}

void QueryPanel::retire(RowSource *source)
{
    disconnect(source, nullptr, this, nullptr);
    // Often called from the source's own signal. Its destructor does not wait for the
    // reader: the reader stops and closes its connection in the background.
    source->deleteLater();
}

void QueryPanel::clearPreview()
{
    m_model->clear();
    m_previewShown = false;
    m_previewAtEnd = false;
    setLabelText(m_ui->statusLabel, {});
    m_ui->statusLabel->setToolTip({});
    m_ui->errorLabel->hide();
    m_ui->errorLabel->clear();
    // A wrong parameter value is still wrong.
    m_showsParameterErrors = false;
    checkParameters();
}

void QueryPanel::onOpened(const ColumnList &columns)
{
    m_pendingColumns = columns;
}

void QueryPanel::onChunk(const RowChunk &chunk)
{
    // One chunk is the whole preview: give the connection back now.
    retire(std::exchange(m_source, nullptr));

    const ColumnList columns = std::exchange(m_pendingColumns, {});
    m_model->setRows(columns, chunk.rows);
    m_previewShown = true;
    m_previewAtEnd = chunk.atEnd;
    if (chunk.atEnd && m_counter) {
        // Every row is here: that count is exact and needs nobody's help.
        m_counter->deleteLater();
        m_counter = nullptr;
        m_countState = CountState::None;
    }

    QTableView *view = m_ui->previewView;
    view->resizeColumnsToContents();
    for (int column = 0; column < m_model->columnCount(); ++column) {
        if (view->columnWidth(column) > MaxFittedColumnWidth)
            view->setColumnWidth(column, MaxFittedColumnWidth);
    }
    view->scrollToTop();
    showStatus();
    Q_EMIT previewReady(columns, chunk.rows);
}

void QueryPanel::onPreviewFailed(const QString &message)
{
    dropPreview(); // retires the source; the count of a failing query means nothing
    clearPreview();
    showError(message);
}

void QueryPanel::onCounted(qint64 rows, RowCounter::Accuracy accuracy)
{
    m_counter->deleteLater();
    m_counter = nullptr;
    m_countState = CountState::Counted;
    m_count = rows;
    m_countAccuracy = accuracy;
    showStatus();
}

void QueryPanel::onCountFailed(const QString &message)
{
    m_counter->deleteLater();
    m_counter = nullptr;
    m_countState = CountState::Failed;
    m_ui->statusLabel->setToolTip(tr("The database could not count the rows: %1").arg(message));
    showStatus();
}

void QueryPanel::showStatus()
{
    QLabel *status = m_ui->statusLabel;
    if (m_source) {
        setLabelText(status, tr("Running the query…"));
        return;
    }
    if (!m_previewShown) {
        setLabelText(status, {});
        return;
    }
    const QLocale locale;
    const int shown = m_model->rowCount();
    if (m_previewAtEnd) {
        if (shown == 0)
            setLabelText(status, tr("The query returns no rows"));
        else
            setLabelText(status, tr("%Ln row(s)", nullptr, shown));
        return;
    }
    const QString first = locale.toString(shown);
    switch (m_countState) {
    case CountState::Counting:
        setLabelText(status, tr("%1 rows shown (counting…)").arg(first));
        return;
    case CountState::Counted:
        if (m_countAccuracy == RowCounter::Accuracy::Exact) {
            setLabelText(status, tr("%1 rows shown (of %2)").arg(first, locale.toString(m_count)));
            return;
        }
        // A planner's guess below what is already shown says nothing.
        if (m_count > shown) {
            setLabelText(status,
                         tr("%1 rows shown (of about %2)").arg(first, locale.toString(m_count)));
            return;
        }
        break;
    case CountState::None:
    case CountState::Failed:
        break;
    }
    setLabelText(status, tr("The first %1 rows shown; more follow").arg(first));
}

void QueryPanel::showError(const QString &message)
{
    setLabelText(m_ui->errorLabel, message);
    m_ui->errorLabel->show();
}

} // namespace sluice
