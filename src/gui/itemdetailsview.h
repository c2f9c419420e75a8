// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QPointer>
#include <QWidget>

namespace Ui {
class ItemDetailsView;
}

namespace sluice {

class TransferStatusModel;

/// One item of a run in detail (the Run tab's "Item" page): key, status, HTTP status and
/// attempts, the JSON it was sent with (or is to be sent with), its error (or, delivered, its
/// remark: ItemResult::note) and the API's last answer, as the model holds them when
/// showItem() is called; the view does not follow the
/// model by itself, so the owner decides when a change may replace what is shown.
///
/// A failed or invalid item's JSON can be edited and sent again: "Retry with this JSON"
/// checks the text (a mistake is shown under it, with line and column), stores it in the
/// model (TransferStatusModel::setPayload) and emits retryRequested().
///
/// Threads: the GUI thread only.
class ItemDetailsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ItemDetailsView)

public:
    explicit ItemDetailsView(QWidget *parent = nullptr);
    ~ItemDetailsView() override;

    /// The model whose items are shown and whose payloads an edit replaces. Not owned; once
    /// destroyed, the view shows no item.
    void setModel(TransferStatusModel *model);

    /// Shows item id as the model holds it now, discarding an edit of its JSON; -1 or an id
    /// the model does not have shows that no item is selected.
    void showItem(qint64 id);
    /// The item shown; -1 for none.
    qint64 itemId() const { return m_id; }
    /// Whether the steward changed the shown JSON since showItem() (and has not sent it).
    bool isEdited() const;
    /// The JSON as the editor holds it.
    QString payloadText() const;
    /// Puts an edit back into the editor, still counted as edited: after the owner had to
    /// show the same item again, the steward's work is not lost.
    void restoreEdit(const QString &text);

    /// Whether the run can take a retry now; "Retry with this JSON" is enabled when it can
    /// and a failed or invalid item is shown.
    void setRetryEnabled(bool enabled);

Q_SIGNALS:
    /// Send item id again: its edited JSON is already stored in the model.
    void retryRequested(qint64 id);

private:
    void retryEdited();
    void updateRetryButton();

    std::unique_ptr<Ui::ItemDetailsView> m_ui;
    QPointer<TransferStatusModel> m_model;
    qint64 m_id = -1;
    bool m_retryEnabled = false;
};

} // namespace sluice
