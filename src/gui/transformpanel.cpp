// SPDX-License-Identifier: GPL-3.0-or-later
#include "transformpanel.h"

#include "ui_transformpanel.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QRegularExpression>
#include <QTextCursor>

#include "accessibletext.h"
#include "jsonhighlighter.h"
#include "palette.h"
#include "specerrortext.h"
#include "json/jsonreader.h"
#include "json/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr int RefreshDebounceMs = 250;
/// More problems than this are summarised, so the list never pushes the editor away.
constexpr int MaxShownErrors = 8;

/// text as a JSON string literal.
QString jsonString(const QString &text)
{
    QByteArray json;
    JsonWriter(&json).writeString(text);
    return QString::fromUtf8(json);
}

/// Compact JSON laid out for reading (indentJson); the tokens are never changed.
QString indented(QByteArrayView json)
{
    return QString::fromUtf8(indentJson(json).value_or(json.toByteArray()));
}

/// The problems TransferSpec::validate() finds in a transform with a valid rest of the
/// spec around it: the file's own placeholder rules, without knowing any column.
QList<SpecError> fileRuleErrors(const TransformSpec &spec)
{
    TransferSpec scratch;
    scratch.source.driver = u"QSQLITE"_s;
    scratch.source.database = u"preview.db"_s;
    scratch.query.sql = u"SELECT 1"_s;
    scratch.target.url = u"http://localhost/"_s;
    scratch.transform = spec;
    QList<SpecError> errors;
    const QList<SpecError> all = scratch.validate();
    for (const SpecError &error : all) {
        if (error.section() == SpecSection::Transform)
            errors.append(error);
    }
    return errors;
}

/// Whether the query's columns resolve `name`, by the compiler's own rules (exact, then
/// a unique case-insensitive match).
bool columnResolves(const QString &name, const ColumnList &columns)
{
    TransformSpec probe;
    probe.present = true;
    probe.key = u"{{"_s + name + u"}}"_s;
    probe.templ = "{}";
    return Transform::compile(probe, {}, columns, nullptr).has_value();
}

} // namespace

TransformPanel::TransformPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::TransformPanel>())
{
    m_ui->setupUi(this);

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit *edit : {m_ui->templateEdit, m_ui->previewView}) {
        edit->setFont(fixed);
        edit->setTabStopDistance(QFontMetricsF(fixed).horizontalAdvance(u' ') * 4);
    }
    // Owned by the documents.
    new JsonHighlighter(m_ui->templateEdit->document());
    new JsonHighlighter(m_ui->previewView->document());
    m_noPreviewText = tr("Preview rows in the Query panel to see the JSON each row becomes.");
    m_ui->previewView->setPlaceholderText(m_noPreviewText);
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(RefreshDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &TransformPanel::refresh);

    connect(m_ui->templateRadio, &QRadioButton::toggled, this,
            &TransformPanel::templateModeToggled);
    connect(m_ui->keyEdit, &QLineEdit::textEdited, this, &TransformPanel::userEdited);
    connect(m_ui->templateEdit, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_updating)
            userEdited();
    });
    connect(m_ui->previewRowCombo, &QComboBox::currentIndexChanged, this,
            &TransformPanel::showPreviewItem);
    m_ui->templateEdit->installEventFilter(this);

    updateEnabled(false);
    refresh();
}

TransformPanel::~TransformPanel()
{
    // QWidget deletes the children after this destructor, and they may still emit as they
    // go: nothing may reach the half-destroyed panel.
    const QList<QObject *> children = findChildren<QObject *>();
    for (QObject *child : children)
        disconnect(child, nullptr, this, nullptr);
}

bool TransformPanel::eventFilter(QObject *watched, QEvent *event)
{
    // In the template editor Tab indents (as in any code editor), so the keyboard needs
    // another way out: Ctrl+Tab and Ctrl+Shift+Tab move the focus on.
    if (watched == m_ui->templateEdit && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool control = key->modifiers().testFlag(Qt::ControlModifier);
        if (key->key() == Qt::Key_Tab && key->modifiers() == Qt::NoModifier) {
            m_ui->templateEdit->insertPlainText(u"    "_s);
            return true;
        }
        if ((key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) && control) {
            const bool forward
                = key->key() == Qt::Key_Tab && !key->modifiers().testFlag(Qt::ShiftModifier);
            focusNextPrevChild(forward);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TransformPanel::setTransform(const TransformSpec &spec)
{
    m_updating = true;
    if (spec.present)
        m_ui->templateRadio->setChecked(true);
    else
        m_ui->rowObjectRadio->setChecked(true);
    m_ui->keyEdit->setText(spec.key);
    if (spec.present && !spec.templ.isEmpty())
        m_ui->templateEdit->setPlainText(indented(spec.templ));
    else
        m_ui->templateEdit->clear();
    m_updating = false;
    updateEnabled(spec.present);
    m_debounce.stop();
    refresh();
}

TransformSpec TransformPanel::transform() const
{
    if (!m_ui->templateRadio->isChecked())
        return {};
    TransformSpec spec;
    spec.present = true;
    spec.key = m_ui->keyEdit->text();
    QString error;
    int position = -1;
    spec.templ = parseTemplate(&error, &position).value_or(QByteArray());
    return spec;
}

QList<SpecError> TransformPanel::errors() const
{
    if (!m_ui->templateRadio->isChecked() || m_ui->templateEdit->toPlainText().trimmed().isEmpty())
        return {};
    JsonSyntaxError syntax;
    if (compactJson(m_ui->templateEdit->toPlainText().toUtf8(), &syntax))
        return {};
    return {SpecError {u"transform.template"_s, tr("not valid JSON, %1").arg(syntax.toString())}};
}

bool TransformPanel::isValid() const
{
    return evaluate().errors.isEmpty();
}

void TransformPanel::setUrlTemplate(const QString &url)
{
    if (url == m_urlTemplate)
        return;
    m_urlTemplate = url;
    // The target panel calls this as its URL is typed: check once the typing pauses.
    m_debounce.start();
}

void TransformPanel::setPreview(const ColumnList &columns, const QList<QVariantList> &rows)
{
    m_columns = columns;
    m_rows = rows;
    m_items.clear();
    {
        // New rows: start again at the first one.
        const QSignalBlocker blocker(m_ui->previewRowCombo);
        m_ui->previewRowCombo->clear();
    }
    m_debounce.stop();
    refresh();
}

std::optional<QByteArray> TransformPanel::parseTemplate(QString *error, int *position) const
{
    const QString text = m_ui->templateEdit->toPlainText();
    if (text.trimmed().isEmpty()) {
        *error = tr("The template is empty: write the JSON each row becomes, for example "
                    "{ \"id\": \"{{id}}\" }, or send each row as it is.");
        return std::nullopt;
    }
    const QByteArray bytes = text.toUtf8();
    JsonSyntaxError syntax;
    std::optional<QByteArray> compact = compactJson(bytes, &syntax);
    if (!compact) {
        // The editor counts UTF-16 units; the reader counts bytes.
        *position = int(QString::fromUtf8(bytes.left(syntax.offset)).size());
        *error = tr("Template, %1").arg(syntax.toString());
    }
    return compact;
}

TransformPanel::State TransformPanel::evaluate() const
{
    State state;
    state.spec.present = m_ui->templateRadio->isChecked();
    if (state.spec.present) {
        state.spec.key = m_ui->keyEdit->text();
        QString error;
        const std::optional<QByteArray> templ = parseTemplate(&error, &state.errorPosition);
        if (!templ) {
            state.errors.append(error);
            return state;
        }
        state.spec.templ = *templ;
        for (const SpecError &problem : fileRuleErrors(state.spec))
            state.errors.append(SpecErrorText::describeInStep(problem));
        if (!state.errors.isEmpty())
            return state;
    }

    if (m_columns.isEmpty()) {
        state.note = tr("Preview rows in the Query panel to check the column names.");
        return state;
    }
    QList<SpecError> problems;
    state.transform = Transform::compile(state.spec, m_urlTemplate, m_columns, &problems);
    for (const SpecError &problem : std::as_const(problems))
        state.errors.append(SpecErrorText::describeInStep(problem));
    if (!state.transform) {
        const QStringList names = Transform::referencedColumns(state.spec, m_urlTemplate);
        for (const QString &name : names) {
            if (!columnResolves(name, m_columns))
                state.unknownColumns.append(name);
        }
    } else if (state.spec.present) {
        state.note = tr("Every placeholder names a column of the query.");
    }
    return state;
}

void TransformPanel::userEdited()
{
    emit changed();
    m_debounce.start();
}

void TransformPanel::updateEnabled(bool templateOn)
{
    const QList<QWidget *> widgets {m_ui->keyLabel, m_ui->keyEdit, m_ui->templateLabel,
                                    m_ui->templateEdit};
    for (QWidget *widget : widgets)
        widget->setEnabled(templateOn);
}

void TransformPanel::templateModeToggled(bool on)
{
    updateEnabled(on);
    if (m_updating)
        return;
    // Switched on with nothing written yet: start from every column, in query order.
    if (on && m_ui->templateEdit->toPlainText().trimmed().isEmpty() && !m_columns.isEmpty()) {
        QStringList members;
        for (const ColumnInfo &column : std::as_const(m_columns)) {
            members.append(u"    "_s + jsonString(column.name) + u": "_s
                           + jsonString(u"{{"_s + column.name + u"}}"_s));
        }
        m_updating = true;
        m_ui->templateEdit->setPlainText(u"{\n"_s + members.join(u",\n"_s) + u"\n}"_s);
        m_updating = false;
    }
    emit changed();
    m_debounce.stop();
    refresh();
}

void TransformPanel::refresh()
{
    showState(evaluate());
}

void TransformPanel::showState(const State &state)
{
    if (!state.errors.isEmpty()) {
        QStringList shown = state.errors.mid(0, MaxShownErrors);
        if (state.errors.size() > MaxShownErrors)
            shown.append(tr("… and more problems: %1 in all").arg(state.errors.size()));
        setLabelText(m_ui->messageLabel, shown.join(u'\n'));
        setTextColor(m_ui->messageLabel, errorColor(palette()));
    } else {
        setLabelText(m_ui->messageLabel, state.note);
        setTextColor(m_ui->messageLabel, palette().color(QPalette::WindowText));
    }
    m_ui->messageLabel->setVisible(!m_ui->messageLabel->text().isEmpty());
    markEditor(state);

    if (state.transform) {
        m_previewTransform = state.transform;
        m_ui->previewView->setEnabled(true);
        fillPreviewRows(*state.transform);
        return;
    }
    if (m_columns.isEmpty()) {
        m_previewTransform.reset();
        m_items.clear();
        const QSignalBlocker blocker(m_ui->previewRowCombo);
        m_ui->previewRowCombo->clear();
        m_ui->previewRowCombo->setEnabled(false);
        m_ui->previewView->clear();
        m_ui->previewView->setPlaceholderText(m_noPreviewText);
        m_ui->previewView->setEnabled(true);
        m_ui->previewNoteLabel->clear();
        m_ui->previewNoteLabel->hide();
        return;
    }
    // Broken while being typed: keep the last good preview, greyed, rather than flicker.
    m_ui->previewView->setEnabled(false);
    setTextColor(m_ui->previewNoteLabel, palette().color(QPalette::WindowText));
    setLabelText(m_ui->previewNoteLabel,
                 m_previewTransform
                     ? tr("The template has problems: the preview shows its last valid "
                          "version.")
                     : tr("The preview appears once the template has no problems."));
    m_ui->previewNoteLabel->show();
}

void TransformPanel::markEditor(const State &state)
{
    QList<QTextEdit::ExtraSelection> selections;
    const QColor color = errorColor(palette());
    QTextDocument *document = m_ui->templateEdit->document();
    if (state.errorPosition >= 0) {
        QTextEdit::ExtraSelection line;
        line.cursor = QTextCursor(document);
        line.cursor.setPosition(state.errorPosition);
        QColor tint = color;
        tint.setAlpha(40);
        line.format.setBackground(tint);
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        selections.append(line);

        QTextEdit::ExtraSelection character;
        character.cursor = QTextCursor(document);
        character.cursor.setPosition(state.errorPosition);
        character.cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
        character.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        character.format.setUnderlineColor(color);
        selections.append(character);
    }
    if (!state.unknownColumns.isEmpty()) {
        static const QRegularExpression placeholder(u"\\{\\{([^{}]*)\\}\\}"_s);
        const QString text = m_ui->templateEdit->toPlainText();
        auto matches = placeholder.globalMatch(text);
        while (matches.hasNext()) {
            const QRegularExpressionMatch match = matches.next();
            if (!state.unknownColumns.contains(match.captured(1).trimmed()))
                continue;
            QTextEdit::ExtraSelection selection;
            selection.cursor = QTextCursor(document);
            selection.cursor.setPosition(int(match.capturedStart()));
            selection.cursor.setPosition(int(match.capturedEnd()), QTextCursor::KeepAnchor);
            selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            selection.format.setUnderlineColor(color);
            selections.append(selection);
        }
    }
    m_ui->templateEdit->setExtraSelections(selections);
}

void TransformPanel::fillPreviewRows(const Transform &transform)
{
    m_items.clear();
    m_items.reserve(m_rows.size());
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        m_items.append(transform.apply(m_rows.at(i), i));

    QComboBox *combo = m_ui->previewRowCombo;
    const int previous = combo->currentIndex();
    {
        const QSignalBlocker blocker(combo);
        combo->clear();
        for (const Item &item : std::as_const(m_items)) {
            const QString number = QString::number(item.id + 1);
            QString label = tr("row %1").arg(number);
            // Without a key template the key is the row number: saying it twice is noise.
            if (item.key != number)
                label = tr("row %1 · %2").arg(number, item.key);
            if (!item.isValid())
                label = tr("%1 (invalid)").arg(label);
            combo->addItem(label);
        }
        combo->setCurrentIndex(m_items.isEmpty() ? -1
                                                 : qBound(0, previous, int(m_items.size() - 1)));
    }
    combo->setEnabled(!m_items.isEmpty());
    showPreviewItem();
}

void TransformPanel::showPreviewItem()
{
    const int index = m_ui->previewRowCombo->currentIndex();
    QColor noteColor = palette().color(QPalette::WindowText);
    QString note;
    QString placeholder = m_noPreviewText;
    if (m_items.isEmpty()) {
        m_ui->previewView->clear();
        if (!m_columns.isEmpty())
            placeholder = tr("The query returned no rows to preview.");
    } else if (index >= 0 && index < m_items.size()) {
        const Item &item = m_items.at(index);
        if (item.isValid()) {
            m_ui->previewView->setPlainText(indented(item.payload));
            if (!item.url.isEmpty())
                note = tr("Sent to %1").arg(item.url);
        } else {
            m_ui->previewView->clear();
            placeholder = tr("No JSON: this row's item is invalid (see below).");
            note = tr("This row cannot be sent (the item would be Invalid): %1").arg(item.error);
            noteColor = errorColor(palette());
        }
    }
    m_ui->previewView->setPlaceholderText(placeholder);
    setTextColor(m_ui->previewNoteLabel, noteColor);
    setLabelText(m_ui->previewNoteLabel, note);
    m_ui->previewNoteLabel->setVisible(!note.isEmpty());
}

} // namespace sluice
