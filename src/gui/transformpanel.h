// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVariantList>
#include <QWidget>

#include "spec/transferspec.h"
#include "transform/transform.h"
#include "types/columninfo.h"
#include "types/item.h"

namespace Ui {
class TransformPanel;
}

namespace sluice {

/// The transform step: whether each row is sent as {column: value} or shaped by a JSON
/// template, the item key, and a live preview of the items the preview rows become.
///
/// The preview runs the very Transform the run uses (compile() against the preview's
/// columns, apply() per row), and shows each payload re-indented token by token, so the
/// numbers, escapes and key order are exactly the bytes the API receives.
///
/// Validation runs as the user types (debounced): JSON syntax errors with line and column,
/// malformed placeholders (the transfer file's rules), and, once preview columns are known,
/// every placeholder of the key, the template and the target URL that names a column the
/// query does not return. Everything runs on the GUI thread; it is cheap (the preview holds
/// at most the rows the Query panel previewed).
class TransformPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransformPanel)

public:
    explicit TransformPanel(QWidget *parent = nullptr);
    ~TransformPanel() override;

    /// Shows spec; the template is laid out one member a line, its tokens (member order,
    /// number literals, escapes) as they are. Does not emit changed().
    void setTransform(const TransformSpec &spec);
    /// The transform as the form describes it now. With the template switched off:
    /// TransformSpec{} (present false; a transfer file keeps a key only together with a
    /// template, so the key field is disabled then). With it on, the editor's text as compact JSON
    /// (compactJson: only blank space removed); text that is not JSON gives an empty templ,
    /// which TransferSpec::validate() reports as
    /// "transform.template: is required" (isValid() is false then).
    TransformSpec transform() const;
    /// True when the template parses and, with preview columns known, compiles.
    bool isValid() const;
    /// What transform() cannot say: the template's JSON syntax error, with its line and
    /// column, at "transform.template" (where transform() leaves an empty template).
    QList<SpecError> errors() const;

    /// The target URL, whose placeholders are checked against the preview columns too.
    void setUrlTemplate(const QString &url);
    /// Columns and rows from the Query panel's preview (one QVariant per column, in column
    /// order); an empty column list means "not known yet". Updates validation and preview
    /// at once.
    void setPreview(const sluice::ColumnList &columns, const QList<QVariantList> &rows);

signals:
    /// The user edited the transform (never emitted by setTransform()).
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// What the current text amounts to; computed by evaluate().
    struct State
    {
        TransformSpec spec;
        QStringList errors; ///< shown in red; empty when valid
        QString note; ///< neutral hint shown when there are no errors
        int errorPosition = -1; ///< document position of a JSON syntax error, else -1
        QStringList unknownColumns; ///< placeholders to mark in the editor
        std::optional<Transform> transform; ///< compiled, when preview columns are known
    };

    State evaluate() const;
    /// Parses the editor's text; on failure fills *error and *position.
    /// The text as compact JSON, every token as written (compactJson).
    std::optional<QByteArray> parseTemplate(QString *error, int *position) const;
    void userEdited();
    void templateModeToggled(bool on);
    void updateEnabled(bool templateOn);
    void refresh();
    void showState(const State &state);
    void markEditor(const State &state);
    void fillPreviewRows(const Transform &transform);
    void showPreviewItem();

    std::unique_ptr<Ui::TransformPanel> m_ui;
    QTimer m_debounce;
    QString m_urlTemplate;
    QString m_noPreviewText;
    ColumnList m_columns;
    QList<QVariantList> m_rows;
    std::optional<Transform> m_previewTransform; ///< the last one that compiled
    QList<Item> m_items; ///< the preview rows' items, as the run would build them
    bool m_updating = false;
};

} // namespace sluice
