// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QList>
#include <QTimer>
#include <QWidget>

#include "spec/transferspec.h"

namespace Ui {
class TargetPanel;
}

class QLabel;
class QTableWidgetItem;

namespace sluice {

/// The target step: the URL (with {{column}} placeholders), the method, the headers (a
/// value, or the name of an environment variable holding it, so tokens stay out of the
/// transfer file), the sending mode, the request timeout, and the run's pacing
/// (concurrency, chunk size, retries).
///
/// Validation is the transfer file's own: the panel's target and run go into a scratch
/// TransferSpec with a valid source and query, TransferSpec::validate() runs, and each
/// "target." or "run." problem is shown under the field it is about (debounced while
/// typing). GUI thread only.
class TargetPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetPanel)

public:
    enum HeaderColumn { NameColumn, ValueColumn, FromEnvironmentColumn, HeaderColumnCount };

    explicit TargetPanel(QWidget *parent = nullptr);
    ~TargetPanel() override;

    /// Shows target and run. Does not emit changed().
    void setTarget(const TargetSpec &target, const RunSpec &run);
    /// Rows with neither name nor value are left out; names are trimmed. Rows marked
    /// "From environment variable" go to headersEnv, their value being the variable's name.
    TargetSpec target() const;
    RunSpec run() const;
    /// True when validate() finds no problem under "target." or "run.".
    bool isValid() const;

signals:
    /// The user edited something (never emitted by setTarget()).
    void changed();

private:
    QList<SpecError> problems() const;
    void showProblems();
    void userEdited();
    void addHeader();
    void removeHeader();
    void appendHeaderRow(const QString &name, const QString &value, bool fromEnvironment);
    void headerItemChanged(QTableWidgetItem *item);
    void updateValueToolTip(int row);
    void updateRemoveButton();
    void setError(QLabel *label, const QStringList &messages);

    std::unique_ptr<Ui::TargetPanel> m_ui;
    QTimer m_debounce;
    bool m_updating = false;
};

} // namespace sluice
