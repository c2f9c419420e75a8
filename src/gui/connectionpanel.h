// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <utility>

#include <QString>
#include <QWidget>

#include "types/connectionsettings.h"

class QLabel;

namespace Ui {
class ConnectionPanel;
}

namespace sluice {

class ConnectionTester;

/// The connection form (ui/connectionpanel.ui): which database the rows come from.
///
/// The driver combo lists the Qt SQL drivers this machine has, by friendly name (QMYSQL and
/// QMARIADB are one entry); a driver named by a file but not installed still shows, marked
/// so. The rows below fit the driver: SQLite has a file (with Browse…); the others have
/// host, port, database, user, where the password comes from, and connect options.
///
/// Passwords never enter settings(): it names an environment variable or a keychain entry,
/// or says "ask when run"; a password typed for "ask when run" is only in password(), for
/// this session, and one typed for the keychain goes there when the transfer is saved.
/// Test Connection runs a ConnectionTester (off the GUI thread) and shows its answer
/// inline; editing anything drops an answer that no longer fits the form.
class ConnectionPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionPanel)

public:
    explicit ConnectionPanel(QWidget *parent = nullptr);
    /// Safe while a test runs: the test ends in its worker thread, its answer is dropped.
    ~ConnectionPanel() override;

    /// Shows the settings; emits no changed(). Keeps baseDir for relative SQLite paths. The
    /// typed password is forgotten when the settings name another database or user.
    void setSettings(const sluice::ConnectionSettings &settings);
    /// What the form says now, with the baseDir given to setSettings(). Only the fields
    /// that fit the driver are filled in (no host for SQLite, no file for PostgreSQL).
    sluice::ConnectionSettings settings() const;
    /// The transfer moves to another folder (Save As): the same database, its file named
    /// from baseDir (TransferSpec::movedTo()). Emits no changed(); a connection test's answer
    /// stays, as it is about the same database.
    void moveTo(const QString &baseDir, const QString &database);
    /// The password typed for "ask when run" or "stored in the keychain" (empty for any
    /// other password source). Used by Test Connection and handed to the run; never saved
    /// in the transfer.
    QString password() const;
    /// With "stored in the keychain" and a password typed: the entry and the password to
    /// write to the keychain when the transfer is saved.
    std::optional<std::pair<QString, QString>> secretToStore() const;
    /// The password of secretToStore() is in the keychain now: the field is cleared.
    void secretStored();

    /// A connection test is running.
    bool isTesting() const;

Q_SIGNALS:
    /// The user edited something (never emitted for setSettings()).
    void changed();

private:
    enum class Message { Hidden, Hint, Error };

    void populateDrivers();
    void selectDriver(const QString &driver);
    QString currentDriver() const;
    int passwordSource() const;
    void onEdited();
    void updateRows();
    void updateMessages();
    void setMessage(QLabel *label, Message kind, const QString &text);
    void browse();
    void useChosenFile(const QString &file);
    void testConnection();
    void onTestFinished(bool ok, const QString &message);
    void setBusy(bool busy);
    void stopTest();

    std::unique_ptr<Ui::ConnectionPanel> m_ui;
    ConnectionTester *m_tester = nullptr;
    QString m_baseDir;
    /// source.shardKey: not edited here (`sluice run --shard` uses it), kept for the saved file.
    sluice::ShardKey m_shardKey;
    bool m_loading = false; ///< setSettings() is filling the form: no changed()
    bool m_refocusTestButton = false;
};

} // namespace sluice
