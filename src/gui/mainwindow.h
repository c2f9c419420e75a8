// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "spec/transferspec.h"
#include "util/secretstore.h"

#include <QMainWindow>

class QToolBar;

#include <memory>

namespace Ui {
class MainWindow;
}

namespace sluice {

class BuiltInDemoApi;

/// The desktop app's main window: one tab per step (connection, query, transform,
/// target, run), files (new, open, recent, save), and the built-in demo API the bundled
/// example points at. Layout and recent files persist in QSettings.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a transfer file; errors are shown to the user (each naming its field).
    bool openFile(const QString &fileName);
    /// Opens the bundled example (copied to the user's data folder), pointed at the
    /// built-in demo API. On first start this happens by itself.
    void openExample();
    /// The transfer as the forms describe it now.
    TransferSpec currentSpec() const;
    void setSpec(const TransferSpec &spec);
    QString currentFile() const { return m_fileName; }
    bool isModified() const { return isWindowModified(); }

    /// Starts the transfer as if Start was pressed, once the built-in demo API listens or
    /// could not start (the example, or any file, may send to it).
    void startWhenReady();

    /// Saves to the current file (asks for one when there is none). Secrets typed for the
    /// keychain (a password, header values moved there) are written to the keychain first;
    /// when that fails, nothing is saved. A credential written as a literal header value is
    /// not saved so: the steward is offered to move it to the keychain.
    bool save();
    bool saveAs(const QString &fileName = {});
    /// Where keychain entries are written and read (the OS keychain by default; tests give
    /// a fake).
    void setSecretStore(std::shared_ptr<SecretStore> store) { m_secrets = std::move(store); }

    /// Shows a past run from its journal: its transfer in the forms (as an unsaved transfer:
    /// the file it came from is not touched) and its items in the Run tab; with resume, goes
    /// on with it (secrets are asked for as on Start). Refused while a run is going on, or
    /// when the steward keeps unsaved changes. Errors are shown.
    bool openRun(const QString &journal, bool resume);
    /// File > Open Run…: the list of past runs (OpenRunDialog), window-modal, not blocking.
    void showOpenRunDialog();
    /// On start: offers (in the Run tab) to resume the journal written last in the data
    /// folder when it is an interrupted run that owes items. Called once the window exists.
    void offerInterruptedRun();
    /// The note above the steps that says what the bundled example does and to press Start
    /// (shown on first start; gone when dismissed, when a run starts or another file opens).
    bool isExampleBannerShown() const;
    QToolBar *mainToolBar() const { return m_toolBar; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void newTransfer();
    void open();
    void markModified();
    bool maybeSave();
    void setCurrentFile(const QString &fileName);
    /// Shows spec's folder and the paths named from it (TransferSpec::movedTo()).
    void movePaths(const TransferSpec &spec);
    void updateRecentMenu();
    void addRecentFile(const QString &fileName);
    void updateTitle();
    void wirePanels();
    /// The tab that edits a section of the transfer (the current tab for the file itself).
    QWidget *panelFor(SpecSection section) const;
    void wireRun();
    void createToolBar();
    void showExampleBanner();
    void hideExampleBanner();
    void restoreLayout();
    void applyExampleUrl();
    /// Shows url in the Target form and gives it to the transform panel (no changed()).
    void setTargetUrl(const QString &url);
    /// Points the target at the built-in demo API; route is "", "flaky/30/" or "fail/422/".
    void pointTargetAtDemoApi(const QString &route);
    /// Takes the status bar's "Target: ..." message of pointTargetAtDemoApi() away.
    void clearTargetMessage();
    QString previewPassword() const;
    /// What keeps spec (currentSpec()) from running: the values the forms could not read
    /// (a parameter that is not an integer), then spec's own errors.
    QList<SpecError> specErrors(const TransferSpec &spec) const;
    /// Writes the secrets the forms hold for the keychain; false (after telling the steward
    /// why) when one could not be written.
    bool storeSecrets();

    std::unique_ptr<Ui::MainWindow> m_ui;
    BuiltInDemoApi *m_demoApi = nullptr;
    QToolBar *m_toolBar = nullptr;
    QString m_fileName;
    bool m_isExample = false;
    bool m_loading = false;
    bool m_demoApiFailed = false;
    QString m_targetMessage; ///< the status bar's "Target: ..." message while it is shown
    std::shared_ptr<SecretStore> m_secrets;
};

} // namespace sluice
