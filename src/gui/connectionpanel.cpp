// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionpanel.h"

#include <algorithm>

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QSqlDatabase>

#include "accessibletext.h"
#include "db/connectiontester.h"
#include "db/sqlconnection.h"
#include "palette.h"
#include "ui_connectionpanel.h"
#include "util/paths.h"
#include "util/text.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr int DriverRole = Qt::UserRole; ///< the Qt driver name an entry saves
constexpr int NotInstalledRole = Qt::UserRole + 1; ///< entry for a file's missing driver

// Rows of passwordSourceCombo, in the .ui's order.
constexpr int NoPassword = 0;
constexpr int FromEnvironment = 1;
constexpr int AskWhenRun = 2;
constexpr int FromKeychain = 3;

const QString Sqlite = u"QSQLITE"_s;
const QString Postgres = u"QPSQL"_s;
const QString Mysql = u"QMYSQL"_s;
const QString Mariadb = u"QMARIADB"_s;
const QString Odbc = u"QODBC"_s;

/// Familiar drivers first, in the order the issue names them; the rest by name.
int driverRank(const QString &driver)
{
    if (driver == Sqlite)
        return 0;
    if (driver == Postgres)
        return 1;
    if (driver == Mysql || driver == Mariadb)
        return 2;
    if (driver == Odbc)
        return 3;
    return 4;
}

// The result box brings its own background, so its colours read on light and on dark
// themes alike.
const QString SuccessStyle = u"QLabel { color: #1e5e2b; background: #e6f4ea; border: 1px solid "
                             "#a8d5b5; border-radius: 4px; padding: 6px 8px; }"_s;
const QString FailureStyle = u"QLabel { color: #8c1d18; background: #fce8e6; border: 1px solid "
                             "#f1b4ae; border-radius: 4px; padding: 6px 8px; }"_s;

} // namespace

ConnectionPanel::ConnectionPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ConnectionPanel>())
    , m_tester(new ConnectionTester(this))
{
    m_ui->setupUi(this);
    populateDrivers();
    selectDriver(Sqlite);
    m_ui->busyIndicator->hide();
    m_ui->busyLabel->hide();
    m_ui->resultLabel->hide();

    connect(m_ui->driverCombo, &QComboBox::currentIndexChanged, this, &ConnectionPanel::onEdited);
    connect(m_ui->passwordSourceCombo, &QComboBox::currentIndexChanged, this,
            &ConnectionPanel::onEdited);
    for (QLineEdit *edit :
         {m_ui->fileEdit, m_ui->hostEdit, m_ui->databaseEdit, m_ui->userEdit, m_ui->passwordEnvEdit,
          m_ui->passwordKeychainEdit, m_ui->passwordEdit, m_ui->optionsEdit})
        connect(edit, &QLineEdit::textChanged, this, &ConnectionPanel::onEdited);
    connect(m_ui->portSpin, &QSpinBox::valueChanged, this, &ConnectionPanel::onEdited);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &ConnectionPanel::browse);
    connect(m_ui->testButton, &QPushButton::clicked, this, &ConnectionPanel::testConnection);
    connect(m_tester, &ConnectionTester::finished, this, &ConnectionPanel::onTestFinished);

    updateRows();
    updateMessages();
}

ConnectionPanel::~ConnectionPanel() = default;

void ConnectionPanel::populateDrivers()
{
    QStringList drivers = QSqlDatabase::drivers();
    // Qt's QMARIADB is the QMYSQL plugin under a second name: one entry serves both.
    if (drivers.contains(Mysql))
        drivers.removeAll(Mariadb);
    std::stable_sort(drivers.begin(), drivers.end(), [](const QString &a, const QString &b) {
        const int ra = driverRank(a);
        const int rb = driverRank(b);
        return ra != rb ? ra < rb : a < b;
    });
    QComboBox *combo = m_ui->driverCombo;
    for (const QString &driver : std::as_const(drivers)) {
        combo->addItem(driverDisplayName(driver));
        const int index = combo->count() - 1;
        combo->setItemData(index, driver, DriverRole);
        combo->setItemData(index, tr("Qt driver %1").arg(driver), Qt::ToolTipRole);
    }
}

void ConnectionPanel::selectDriver(const QString &driver)
{
    QComboBox *combo = m_ui->driverCombo;
    // Forget what the previous settings added: a missing driver's entry, an alias.
    for (int i = combo->count() - 1; i >= 0; --i) {
        if (combo->itemData(i, NotInstalledRole).toBool())
            combo->removeItem(i);
    }
    const int folded = combo->findData(Mariadb, DriverRole);
    if (folded >= 0 && QSqlDatabase::isDriverAvailable(Mysql))
        combo->setItemData(folded, Mysql, DriverRole);

    int index = combo->findData(driver, DriverRole);
    if (index < 0 && (driver == Mysql || driver == Mariadb)) {
        // The file's name for the MySQL/MariaDB entry is the one it saves back.
        index = combo->findData(driver == Mysql ? Mariadb : Mysql, DriverRole);
        if (index >= 0)
            combo->setItemData(index, driver, DriverRole);
    }
    if (index < 0 && !driver.isEmpty()) {
        combo->addItem(tr("%1 (not installed)").arg(driverDisplayName(driver)));
        index = combo->count() - 1;
        combo->setItemData(index, driver, DriverRole);
        combo->setItemData(index, true, NotInstalledRole);
    }
    if (index < 0)
        index = std::max(0, combo->findData(Sqlite, DriverRole));
    combo->setCurrentIndex(index);
}

QString ConnectionPanel::currentDriver() const
{
    return m_ui->driverCombo->currentData(DriverRole).toString();
}

int ConnectionPanel::passwordSource() const
{
    return m_ui->passwordSourceCombo->currentIndex();
}

void ConnectionPanel::setSettings(const ConnectionSettings &settings)
{
    const ConnectionSettings before = this->settings();
    m_loading = true;
    stopTest();
    m_ui->resultLabel->hide();
    m_baseDir = settings.baseDir;
    m_shardKey = settings.shardKey;
    selectDriver(settings.driver);

    const bool sqlite = currentDriver() == Sqlite;
    m_ui->fileEdit->setText(sqlite ? settings.database : QString());
    m_ui->databaseEdit->setText(sqlite ? QString() : settings.database);
    m_ui->hostEdit->setText(settings.host);
    m_ui->portSpin->setValue(settings.port > 0 ? settings.port : 0);
    m_ui->userEdit->setText(settings.user);
    m_ui->passwordEnvEdit->setText(settings.passwordEnv);
    m_ui->passwordKeychainEdit->setText(settings.passwordKeychain);
    m_ui->passwordSourceCombo->setCurrentIndex(!settings.passwordEnv.isEmpty() ? FromEnvironment
                                                   : !settings.passwordKeychain.isEmpty()
                                                   ? FromKeychain
                                                   : settings.askPassword ? AskWhenRun
                                                                          : NoPassword);
    m_ui->optionsEdit->setText(settings.options);
    // A password typed for one database is not offered to another.
    if (before.driver != settings.driver || before.host != settings.host
        || before.port != settings.port || before.database != settings.database
        || before.user != settings.user)
        m_ui->passwordEdit->clear();
    m_loading = false;

    updateRows();
    updateMessages();
}

void ConnectionPanel::moveTo(const QString &baseDir, const QString &database)
{
    m_baseDir = baseDir;
    if (currentDriver() == Sqlite) {
        m_loading = true;
        m_ui->fileEdit->setText(database);
        m_loading = false;
    }
    updateMessages();
}

ConnectionSettings ConnectionPanel::settings() const
{
    ConnectionSettings settings;
    settings.driver = currentDriver();
    settings.baseDir = m_baseDir;
    settings.shardKey = m_shardKey;
    settings.options = m_ui->optionsEdit->text().trimmed();
    if (settings.driver == Sqlite) {
        settings.database = m_ui->fileEdit->text().trimmed();
        return settings;
    }
    settings.database = m_ui->databaseEdit->text().trimmed();
    if (settings.driver != Odbc) {
        settings.host = m_ui->hostEdit->text().trimmed();
        settings.port = m_ui->portSpin->value() > 0 ? m_ui->portSpin->value() : -1;
    }
    settings.user = m_ui->userEdit->text().trimmed();
    if (passwordSource() == FromEnvironment)
        settings.passwordEnv = m_ui->passwordEnvEdit->text().trimmed();
    if (passwordSource() == FromKeychain)
        settings.passwordKeychain = m_ui->passwordKeychainEdit->text().trimmed();
    settings.askPassword = passwordSource() == AskWhenRun;
    return settings;
}

QString ConnectionPanel::password() const
{
    if (currentDriver() == Sqlite
        || (passwordSource() != AskWhenRun && passwordSource() != FromKeychain))
        return {};
    return m_ui->passwordEdit->text();
}

std::optional<std::pair<QString, QString>> ConnectionPanel::secretToStore() const
{
    const QString entry = m_ui->passwordKeychainEdit->text().trimmed();
    if (currentDriver() == Sqlite || passwordSource() != FromKeychain || entry.isEmpty()
        || m_ui->passwordEdit->text().isEmpty())
        return std::nullopt;
    return std::pair {entry, m_ui->passwordEdit->text()};
}

void ConnectionPanel::secretStored()
{
    if (passwordSource() == FromKeychain)
        m_ui->passwordEdit->clear();
}

bool ConnectionPanel::isTesting() const
{
    return m_tester->isTesting();
}

void ConnectionPanel::onEdited()
{
    if (m_loading)
        return;
    // An answer (or a test on its way) is about what the form said before.
    stopTest();
    m_ui->resultLabel->hide();
    updateRows();
    updateMessages();
    Q_EMIT changed();
}

void ConnectionPanel::updateRows()
{
    const QString driver = currentDriver();
    const bool sqlite = driver == Sqlite;
    const bool odbc = driver == Odbc;
    const bool server = !sqlite;
    const int source = passwordSource();

    QFormLayout *form = m_ui->formLayout;
    form->setRowVisible(m_ui->fileField, sqlite);
    form->setRowVisible(m_ui->hostEdit, server && !odbc);
    form->setRowVisible(m_ui->portSpin, server && !odbc);
    form->setRowVisible(m_ui->databaseEdit, server);
    form->setRowVisible(m_ui->userEdit, server);
    form->setRowVisible(m_ui->passwordSourceCombo, server);
    form->setRowVisible(m_ui->passwordEnvField, server && source == FromEnvironment);
    form->setRowVisible(m_ui->passwordKeychainEdit, server && source == FromKeychain);
    form->setRowVisible(m_ui->passwordEdit,
                        server && (source == AskWhenRun || source == FromKeychain));
    // With the keychain, what is typed here is stored there when the transfer is saved.
    m_ui->passwordEdit->setPlaceholderText(
        source == FromKeychain ? tr("Stored in the keychain when you save; empty keeps what "
                                    "is stored")
                               : tr("For this session only; never saved"));

    // ODBC names a data source (DSN) or a whole connection string instead of a database.
    m_ui->databaseLabel->setText(odbc ? tr("&Data source:") : tr("&Database:"));
    m_ui->databaseEdit->setPlaceholderText(odbc ? tr("DSN name, or DRIVER={…};SERVER=…;DATABASE=…")
                                                : tr("Database name"));
    m_ui->databaseEdit->setAccessibleName(odbc ? tr("ODBC data source") : tr("Database name"));

    QString example;
    if (sqlite)
        example = u"QSQLITE_BUSY_TIMEOUT=5000"_s;
    else if (driver == Postgres)
        example = u"sslmode=require;connect_timeout=10"_s;
    else if (driver == Mysql || driver == Mariadb)
        example = u"MYSQL_OPT_CONNECT_TIMEOUT=10;MYSQL_OPT_SSL_MODE=REQUIRED"_s;
    else if (odbc)
        example = u"SQL_ATTR_LOGIN_TIMEOUT=10"_s;
    m_ui->optionsEdit->setPlaceholderText(example.isEmpty() ? tr("Optional")
                                                            : tr("Optional, e.g. %1").arg(example));
}

void ConnectionPanel::updateMessages()
{
    const QString driver = currentDriver();
    const bool notInstalled = m_ui->driverCombo->currentData(NotInstalledRole).toBool();
    if (notInstalled) {
        QStringList installed;
        for (int i = 0; i < m_ui->driverCombo->count(); ++i) {
            if (!m_ui->driverCombo->itemData(i, NotInstalledRole).toBool())
                installed.append(m_ui->driverCombo->itemText(i));
        }
        setMessage(m_ui->driverMessage, Message::Error,
                   tr("This computer has no Qt driver %1, so Sluice cannot open this database "
                      "here. Installed: %2.")
                       .arg(driver, installed.join(tr(", "))));
    } else {
        setMessage(m_ui->driverMessage, Message::Hidden, {});
    }

    ConnectionSettings current = settings();
    const QString file = current.driver == Sqlite ? current.resolvedDatabase() : QString();
    // A relative path without a transfer file's folder has nothing to be relative to yet.
    if (!file.isEmpty() && QFileInfo(file).isAbsolute() && !QFileInfo::exists(file)) {
        setMessage(m_ui->fileMessage, Message::Error,
                   tr("There is no file at %1.").arg(QDir::toNativeSeparators(file)));
    } else if (!file.isEmpty() && QFileInfo(file).isDir()) {
        setMessage(m_ui->fileMessage, Message::Error,
                   tr("%1 is a folder, not a database file.").arg(QDir::toNativeSeparators(file)));
    } else {
        setMessage(m_ui->fileMessage, Message::Hidden, {});
    }

    const QString variable = m_ui->passwordEnvEdit->text().trimmed();
    if (current.driver == Sqlite || passwordSource() != FromEnvironment) {
        setMessage(m_ui->passwordEnvMessage, Message::Hidden, {});
    } else if (variable.isEmpty()) {
        setMessage(m_ui->passwordEnvMessage, Message::Hint,
                   tr("Name the environment variable that holds the password."));
    } else if (!isIdentifier(variable)) {
        setMessage(m_ui->passwordEnvMessage, Message::Error,
                   tr("“%1” is not a valid variable name: use %2.")
                       .arg(variable, IdentifierRule.toString()));
    } else if (!qEnvironmentVariableIsSet(variable.toLocal8Bit().constData())) {
        setMessage(m_ui->passwordEnvMessage, Message::Hint,
                   tr("%1 is not set for Sluice right now: set it before starting Sluice, or "
                      "a test or run started here has no password.")
                       .arg(variable));
    } else {
        setMessage(m_ui->passwordEnvMessage, Message::Hidden, {});
    }
}

void ConnectionPanel::setMessage(QLabel *label, Message kind, const QString &text)
{
    setLabelText(label, text);
    setTextColor(label,
                 kind == Message::Error ? errorColor(palette())
                                        : palette().color(QPalette::PlaceholderText));
    // Messages sit under their field, in the field's own column (QFormLayout sizes a row
    // of its own for a word-wrapped label as if it were as narrow as its size hint).
    label->setVisible(kind != Message::Hidden);
}

void ConnectionPanel::browse()
{
    const ConnectionSettings current = settings();
    const QFileInfo chosen(current.resolvedDatabase());
    QString start = m_baseDir.isEmpty() ? QDir::homePath() : m_baseDir;
    if (!current.database.isEmpty() && chosen.isAbsolute() && chosen.dir().exists())
        start = chosen.absolutePath();

    // open(), not exec(): no nested event loop, and the panel stays a plain widget.
    auto *dialog = new QFileDialog(this, tr("Choose a SQLite Database"), start,
                                   tr("SQLite databases (*.db *.sqlite *.sqlite3 *.db3);;"
                                      "All files (*)"));
    dialog->setObjectName(u"sqliteFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    if (chosen.isAbsolute() && chosen.isFile())
        dialog->selectFile(chosen.absoluteFilePath());
    connect(dialog, &QFileDialog::fileSelected, this, &ConnectionPanel::useChosenFile);
    dialog->open();
}

void ConnectionPanel::useChosenFile(const QString &file)
{
    const QString shown = pathForTransfer(file, m_baseDir);
    m_ui->fileEdit->setText(shown); // an edit like typing: changed()
}

void ConnectionPanel::testConnection()
{
    if (m_tester->isTesting())
        return;
    m_ui->resultLabel->hide();
    m_refocusTestButton = m_ui->testButton->hasFocus();
    setBusy(true);
    m_tester->test(settings(), password());
}

void ConnectionPanel::onTestFinished(bool ok, const QString &message)
{
    setBusy(false);
    QLabel *label = m_ui->resultLabel;
    label->setStyleSheet(ok ? SuccessStyle : FailureStyle);
    // libpq indents its hint lines with a tab, which a label shows as a wide gap.
    QStringList lines = message.split(u'\n');
    for (QString &line : lines)
        line = line.trimmed();
    setLabelText(label, (ok ? u"✔ "_s : u"✘ "_s) + lines.join(u'\n'));
    label->setAccessibleDescription(ok ? tr("Connected") : tr("Connection failed"));
    label->show();
    if (m_refocusTestButton)
        m_ui->testButton->setFocus(Qt::OtherFocusReason);
}

void ConnectionPanel::setBusy(bool busy)
{
    m_ui->testButton->setEnabled(!busy);
    m_ui->busyIndicator->setVisible(busy);
    m_ui->busyLabel->setVisible(busy);
}

void ConnectionPanel::stopTest()
{
    if (!m_tester->isTesting())
        return;
    m_tester->cancel();
    setBusy(false);
}

} // namespace sluice
