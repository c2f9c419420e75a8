// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QDialog>
#include <QString>

class QSortFilterProxyModel;

namespace Ui {
class OpenRunDialog;
}

namespace sluice {

class RunListModel;

/// File > Open Run…: the past runs whose journals are in a folder (RunListModel: when, the
/// transfer, items per fate, how it ended), to open one in the Run tab, resume an
/// interrupted one or delete journals (after a question). The dialog only chooses: the
/// caller does what choice() says with fileName(). Nothing blocks: the question before a
/// delete is a window-modal box of its own.
class OpenRunDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpenRunDialog)

public:
    enum class Choice { None, Open, Resume };

    /// Lists the journals in folder (JournalFile::defaultFolder() in the app).
    explicit OpenRunDialog(const QString &folder, QWidget *parent = nullptr);
    ~OpenRunDialog() override;

    /// What was chosen once the dialog is accepted; None when it was closed.
    Choice choice() const { return m_choice; }
    /// The chosen run's journal.
    QString fileName() const { return m_fileName; }
    RunListModel *model() const { return m_model; }
    /// Selects the run of journal fileName; false when it is not listed.
    bool selectRun(const QString &fileName);
    /// The journal the Run tab shows (RunListModel::setOwnRun()): selected, and not deleted
    /// from here while it is shown. Empty: none.
    void setShownRun(const QString &fileName);

private:
    /// The model row of the selected run; -1 when none is selected.
    int selectedRow() const;
    void updateButtons();
    void updateFolderText();
    void choose(Choice choice);
    void askToDelete();

    std::unique_ptr<Ui::OpenRunDialog> m_ui;
    RunListModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    Choice m_choice = Choice::None;
    QString m_fileName;
};

} // namespace sluice
