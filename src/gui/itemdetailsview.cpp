// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemdetailsview.h"

#include "ui_itemdetailsview.h"

#include <QFontDatabase>
#include <QLocale>
#include <QPushButton>

#include "accessibletext.h"
#include "jsonhighlighter.h"
#include "models/transferstatusmodel.h"
#include "palette.h"
#include "json/jsonreader.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// JSON laid out one member a line with every token as it is (indentJson): what was sent,
/// not a QJsonDocument's reading of it; any other text as it is.
QString prettyJson(const QByteArray &data)
{
    return QString::fromUtf8(indentJson(data).value_or(data));
}

} // namespace

ItemDetailsView::ItemDetailsView(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ItemDetailsView>())
{
    m_ui->setupUi(this);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->payloadEdit->setFont(mono);
    m_ui->responseEdit->setFont(mono);
    new JsonHighlighter(m_ui->payloadEdit->document());
    connect(m_ui->payloadEdit, &QPlainTextEdit::textChanged, m_ui->payloadErrorLabel,
            &QWidget::hide);
    connect(m_ui->retryEditedButton, &QPushButton::clicked, this, &ItemDetailsView::retryEdited);
    for (QLabel *label : {m_ui->payloadErrorLabel, m_ui->itemErrorLabel})
        setTextColor(label, errorColor(palette()));
    showItem(-1);
}

ItemDetailsView::~ItemDetailsView() = default;

void ItemDetailsView::setModel(TransferStatusModel *model)
{
    m_model = model;
    showItem(-1);
}

void ItemDetailsView::showItem(qint64 id)
{
    const int row = m_model && id >= 0 ? m_model->rowForId(id) : -1;
    if (id != m_id)
        m_ui->payloadErrorLabel->hide();
    m_id = row >= 0 ? id : -1;
    if (row < 0) {
        setLabelText(m_ui->itemTitleLabel, tr("No item selected."));
        m_ui->payloadEdit->setReadOnly(true);
        m_ui->payloadEdit->clear();
        m_ui->responseEdit->clear();
        m_ui->itemErrorLabel->hide();
        m_ui->itemNoteLabel->hide();
        m_ui->retryEditedButton->hide();
        m_ui->payloadEdit->document()->setModified(false);
        updateRetryButton();
        return;
    }
    const ItemResult result = m_model->resultAt(row);
    QString title = u"<b>%1</b> · %2"_s.arg(result.key.toHtmlEscaped(),
                                            TransferStatusModel::statusName(result.status));
    if (result.httpStatus)
        title += u" · "_s + tr("HTTP %1").arg(result.httpStatus);
    if (result.attempts)
        title += u" · "_s + tr("attempts: %1").arg(result.attempts);
    setLabelText(m_ui->itemTitleLabel, title);

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
    setLabelText(m_ui->itemErrorLabel, result.error);
    m_ui->itemErrorLabel->setVisible(!result.error.isEmpty());
    // Delivered, with something to know about it ("delivered by an earlier attempt whose
    // answer was lost ..."): where a failure shows its error, in the ordinary text colour.
    setLabelText(m_ui->itemNoteLabel, result.note);
    m_ui->itemNoteLabel->setVisible(!result.note.isEmpty());
    m_ui->responseEdit->setPlainText(prettyJson(result.responseBody));
    updateRetryButton();
}

bool ItemDetailsView::isEdited() const
{
    return m_ui->payloadEdit->document()->isModified();
}

QString ItemDetailsView::payloadText() const
{
    return m_ui->payloadEdit->toPlainText();
}

void ItemDetailsView::restoreEdit(const QString &text)
{
    m_ui->payloadEdit->setPlainText(text);
    m_ui->payloadEdit->document()->setModified(true);
    updateRetryButton();
}

void ItemDetailsView::setRetryEnabled(bool enabled)
{
    m_retryEnabled = enabled;
    updateRetryButton();
}

void ItemDetailsView::updateRetryButton()
{
    const bool editable = m_id >= 0 && !m_ui->payloadEdit->isReadOnly();
    m_ui->retryEditedButton->setEnabled(m_retryEnabled && editable);
}

void ItemDetailsView::retryEdited()
{
    const qint64 id = m_id;
    if (!m_model || id < 0)
        return;
    // Sent as the steward wrote it: checked, and only the blank space between tokens
    // removed (a QJsonDocument round trip would sort keys and turn 12.50 into 12.5).
    const QString text = m_ui->payloadEdit->toPlainText();
    JsonSyntaxError error;
    const std::optional<QByteArray> compact = compactJson(text.toUtf8(), &error);
    if (!compact) {
        setLabelText(m_ui->payloadErrorLabel,
                     text.trimmed().isEmpty()
                         ? tr("The payload is empty: write the JSON object to send.")
                         : tr("Not valid JSON, %1").arg(error.toString()));
        m_ui->payloadErrorLabel->show();
        m_ui->payloadEdit->setFocus();
        return;
    }
    if (!m_model->setPayload(id, *compact)) {
        setLabelText(m_ui->payloadErrorLabel, tr("This item was delivered meanwhile."));
        m_ui->payloadErrorLabel->show();
        return;
    }
    m_ui->payloadEdit->document()->setModified(false);
    Q_EMIT retryRequested(id);
}

} // namespace sluice
