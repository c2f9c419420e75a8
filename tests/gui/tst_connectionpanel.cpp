// SPDX-License-Identifier: GPL-3.0-or-later
#include <memory>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "connectionpanel.h"
#include "db/sqlconnection.h"
#include "pgtestserver.h"
#include "silentserver.h"
#include "spec/transferspec.h"
#include "sqlitefixture.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

QtMessageHandler previousHandler = nullptr;

/// The offscreen platform warns each time a row shows or hides and the window's size hints
/// change; that says nothing about the panel and would bury real warnings.
void dropSizeHintNoise(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message == "This plugin does not support propagateSizeHints()"_L1)
        return;
    previousHandler(type, context, message);
}

QStringList testConnections()
{
    return QSqlDatabase::connectionNames().filter(QRegularExpression(u"^sluice\\.test\\."_s));
}

/// The panel's widgets, found by object name as a test sees them.
struct Form
{
    explicit Form(ConnectionPanel *panel)
        : driver(panel->findChild<QComboBox *>(u"driverCombo"_s))
        , driverMessage(panel->findChild<QLabel *>(u"driverMessage"_s))
        , file(panel->findChild<QLineEdit *>(u"fileEdit"_s))
        , fileMessage(panel->findChild<QLabel *>(u"fileMessage"_s))
        , browse(panel->findChild<QPushButton *>(u"browseButton"_s))
        , host(panel->findChild<QLineEdit *>(u"hostEdit"_s))
        , port(panel->findChild<QSpinBox *>(u"portSpin"_s))
        , database(panel->findChild<QLineEdit *>(u"databaseEdit"_s))
        , databaseLabel(panel->findChild<QLabel *>(u"databaseLabel"_s))
        , user(panel->findChild<QLineEdit *>(u"userEdit"_s))
        , passwordSource(panel->findChild<QComboBox *>(u"passwordSourceCombo"_s))
        , passwordEnv(panel->findChild<QLineEdit *>(u"passwordEnvEdit"_s))
        , passwordEnvMessage(panel->findChild<QLabel *>(u"passwordEnvMessage"_s))
        , password(panel->findChild<QLineEdit *>(u"passwordEdit"_s))
        , options(panel->findChild<QLineEdit *>(u"optionsEdit"_s))
        , test(panel->findChild<QPushButton *>(u"testButton"_s))
        , busy(panel->findChild<QLabel *>(u"busyLabel"_s))
        , result(panel->findChild<QLabel *>(u"resultLabel"_s))
    { }
    bool complete() const
    {
        return driver && driverMessage && file && fileMessage && browse && host && port && database
            && databaseLabel && user && passwordSource && passwordEnv && passwordEnvMessage
            && password && options && test && busy && result;
    }

    QComboBox *driver;
    QLabel *driverMessage;
    QLineEdit *file;
    QLabel *fileMessage;
    QPushButton *browse;
    QLineEdit *host;
    QSpinBox *port;
    QLineEdit *database;
    QLabel *databaseLabel;
    QLineEdit *user;
    QComboBox *passwordSource;
    QLineEdit *passwordEnv;
    QLabel *passwordEnvMessage;
    QLineEdit *password;
    QLineEdit *options;
    QPushButton *test;
    QLabel *busy;
    QLabel *result;
};

/// Picks a combo entry with the keyboard, as a person would (Home, then Down).
void chooseWithKeyboard(QComboBox *combo, int index)
{
    combo->setFocus(Qt::TabFocusReason);
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i < index; ++i)
        QTest::keyClick(combo, Qt::Key_Down);
}

int driverIndex(QComboBox *combo, const QString &driver)
{
    return combo->findData(driver, Qt::UserRole);
}

/// Replaces a line edit's text by typing, as a person would.
void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus(Qt::TabFocusReason);
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

} // namespace

class TstConnectionPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void driversByFriendlyName();
    void everyControlIsNamedAndLabelled();
    void roundTrip_data();
    void roundTrip();
    void uninstalledDriverFromFileStillShows();
    void driverShowsItsFields_data();
    void driverShowsItsFields();
    void typingUpdatesSettings_data();
    void typingUpdatesSettings();
    void passwordSources();
    void passwordNeverInSettings();
    void variableNameIsValidatedInline_data();
    void variableNameIsValidatedInline();
    void missingFileIsFlaggedInline();
    void browseKeepsPathsRelative();
    void testSqliteSuccess();
    void testSqliteMissingFile();
    void testPostgresWrongPassword_data();
    void testPostgresWrongPassword();
    void windowStaysResponsiveWhileTesting();
    void editingDropsTheRunningTest();
    void destroyedWhileTesting();

private:
    /// A shown panel (visibility checks need a shown window).
    std::unique_ptr<ConnectionPanel> shownPanel();
    ConnectionSettings sqlite(const QString &file, const QString &baseDir = {}) const;

    QTemporaryDir m_dir;
    QString m_items; ///< items.db: 4 rows in table items
    ConnectionSettings m_pg;
};

void TstConnectionPanel::initTestCase()
{
    previousHandler = qInstallMessageHandler(dropSizeHintNoise);
    QVERIFY(m_dir.isValid());
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s));
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QPSQL"_s));
    QString error;
    m_items = SqliteFixture::create(m_dir.path(), u"items.db"_s,
                                    {u"CREATE TABLE items (id INTEGER, name TEXT)"_s}, u"items"_s,
                                    {{1, u"a"_s}, {2, u"b"_s}, {3, u"c"_s}, {4, u"d"_s}}, &error);
    QVERIFY2(!m_items.isEmpty(), qPrintable(error));
    m_pg = PgTestServer::settings(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TstConnectionPanel::cleanup()
{
    QTRY_VERIFY2(testConnections().isEmpty(), qPrintable(testConnections().join(u' ')));
}

std::unique_ptr<ConnectionPanel> TstConnectionPanel::shownPanel()
{
    auto panel = std::make_unique<ConnectionPanel>();
    panel->resize(720, 560);
    panel->show();
    if (!QTest::qWaitForWindowExposed(panel.get()))
        return nullptr;
    return panel;
}

ConnectionSettings TstConnectionPanel::sqlite(const QString &file, const QString &baseDir) const
{
    ConnectionSettings settings;
    settings.driver = u"QSQLITE"_s;
    settings.database = file;
    settings.baseDir = baseDir;
    return settings;
}

void TstConnectionPanel::driversByFriendlyName()
{
    ConnectionPanel panel;
    Form form(&panel);
    QVERIFY(form.complete());
    QAbstractItemModelTester modelTester(form.driver->model(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QStringList drivers = QSqlDatabase::drivers();
    const bool folded = drivers.contains(u"QMYSQL"_s) && drivers.contains(u"QMARIADB"_s);
    QCOMPARE(form.driver->count(), drivers.size() - (folded ? 1 : 0));
    QStringList texts;
    for (int i = 0; i < form.driver->count(); ++i) {
        const QString driver = form.driver->itemData(i, Qt::UserRole).toString();
        QVERIFY2(drivers.contains(driver), qPrintable(driver));
        QCOMPARE(form.driver->itemText(i), driverDisplayName(driver));
        texts.append(form.driver->itemText(i));
    }
    QCOMPARE(texts.first(), u"SQLite"_s); // the most common choice comes first
    QVERIFY(texts.contains(u"PostgreSQL"_s));
    QCOMPARE(texts.count(u"MySQL/MariaDB"_s),
             drivers.contains(u"QMYSQL"_s) || drivers.contains(u"QMARIADB"_s) ? 1 : 0);
    // A new form starts as an SQLite source.
    QCOMPARE(panel.settings().driver, u"QSQLITE"_s);
}

void TstConnectionPanel::everyControlIsNamedAndLabelled()
{
    ConnectionPanel panel;
    const QList<QWidget *> widgets = panel.findChildren<QWidget *>();
    for (QWidget *widget : widgets) {
        const bool control = qobject_cast<QLineEdit *>(widget) || qobject_cast<QComboBox *>(widget)
            || qobject_cast<QSpinBox *>(widget) || qobject_cast<QPushButton *>(widget);
        if (!control || widget->objectName().startsWith(u"qt_"_s))
            continue;
        if (widget->parent() && qobject_cast<QSpinBox *>(widget->parentWidget()))
            continue; // the spin box's own line edit
        QVERIFY2(!widget->accessibleName().isEmpty(), qPrintable(widget->objectName()));
    }
    // Every label of a form row leads to its field with a mnemonic.
    for (QLabel *label : panel.findChildren<QLabel *>()) {
        if (!label->objectName().endsWith(u"Label"_s) || label->objectName() == u"introLabel"_s
            || label->objectName() == u"resultLabel"_s || label->objectName() == u"busyLabel"_s)
            continue;
        QVERIFY2(label->buddy(), qPrintable(label->objectName()));
        QVERIFY2(label->text().contains(u'&'), qPrintable(label->objectName()));
    }
}

void TstConnectionPanel::roundTrip_data()
{
    QTest::addColumn<ConnectionSettings>("settings");

    ConnectionSettings relative = sqlite(u"data/sensors.db"_s, m_dir.path());
    relative.options = u"QSQLITE_BUSY_TIMEOUT=5000"_s;
    QTest::newRow("SQLite, relative, options") << relative;
    QTest::newRow("SQLite, absolute") << sqlite(m_items);

    ConnectionSettings pg;
    pg.driver = u"QPSQL"_s;
    pg.host = u"db.example.org"_s;
    pg.port = 5433;
    pg.database = u"sales"_s;
    pg.user = u"steward"_s;
    pg.passwordEnv = u"SALES_DB_PASSWORD"_s;
    pg.options = u"sslmode=require"_s;
    pg.baseDir = m_dir.path();
    QTest::newRow("PostgreSQL, password from environment") << pg;

    ConnectionSettings ask;
    ask.driver = u"QPSQL"_s;
    ask.database = u"sales"_s;
    ask.user = u"steward"_s;
    ask.askPassword = true;
    QTest::newRow("PostgreSQL, default host and port, ask when run") << ask;

    ConnectionSettings none = ask;
    none.askPassword = false;
    none.host = u"127.0.0.1"_s;
    QTest::newRow("PostgreSQL, no password") << none;

    for (const QString &driver : {u"QMYSQL"_s, u"QMARIADB"_s}) {
        if (!QSqlDatabase::isDriverAvailable(driver))
            continue;
        ConnectionSettings mysql = pg;
        mysql.driver = driver;
        mysql.port = 3306;
        mysql.options = u"MYSQL_OPT_CONNECT_TIMEOUT=5"_s;
        QTest::newRow(qPrintable(driver)) << mysql;
    }
    if (QSqlDatabase::isDriverAvailable(u"QODBC"_s)) {
        ConnectionSettings odbc;
        odbc.driver = u"QODBC"_s;
        odbc.database = u"DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;DATABASE=sales"_s;
        odbc.user = u"steward"_s;
        odbc.askPassword = true;
        QTest::newRow("ODBC") << odbc;
    }
    ConnectionSettings unknown = pg;
    unknown.driver = u"QNOSUCHDRIVER"_s;
    QTest::newRow("driver not installed here") << unknown;
}

void TstConnectionPanel::roundTrip()
{
    QFETCH(ConnectionSettings, settings);
    ConnectionPanel panel;
    QSignalSpy changed(&panel, &ConnectionPanel::changed);
    panel.setSettings(settings);
    QCOMPARE(panel.settings(), settings);
    QCOMPARE(changed.count(), 0); // set by the program, not edited by the user

    // A second round through the form changes nothing either.
    panel.setSettings(panel.settings());
    QCOMPARE(panel.settings(), settings);
    QCOMPARE(changed.count(), 0);
}

void TstConnectionPanel::uninstalledDriverFromFileStillShows()
{
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    const int installed = form.driver->count();
    ConnectionSettings settings = m_pg;
    settings.driver = u"QNOSUCHDRIVER"_s;
    panel->setSettings(settings);
    QCOMPARE(form.driver->count(), installed + 1);
    QCOMPARE(form.driver->currentText(), u"QNOSUCHDRIVER (not installed)"_s);
    QVERIFY(form.driverMessage->isVisible());
    QVERIFY2(form.driverMessage->text().contains(u"no Qt driver QNOSUCHDRIVER"_s),
             qPrintable(form.driverMessage->text()));
    QVERIFY(form.host->isVisible()); // its fields are still there to read and fix

    // Test Connection says what the run would say.
    QTest::mouseClick(form.test, Qt::LeftButton);
    QTRY_VERIFY(form.result->isVisible());
    QVERIFY2(form.result->text().contains(u"the Qt SQL driver \"QNOSUCHDRIVER\" is not "
                                          "available"_s),
             qPrintable(form.result->text()));

    // Choosing an installed driver is a fix; the next file starts clean.
    chooseWithKeyboard(form.driver, driverIndex(form.driver, u"QPSQL"_s));
    QCOMPARE(panel->settings().driver, u"QPSQL"_s);
    QVERIFY(!form.driverMessage->isVisible());
    panel->setSettings(sqlite(m_items));
    QCOMPARE(form.driver->count(), installed);
}

void TstConnectionPanel::driverShowsItsFields_data()
{
    QTest::addColumn<QString>("driver");
    QTest::addColumn<QStringList>("visible");
    QTest::addColumn<QStringList>("hidden");

    const QStringList server = {
        u"hostEdit"_s,  u"portSpin"_s, u"databaseEdit"_s, u"userEdit"_s, u"passwordSourceCombo"_s,
        u"hostLabel"_s, u"portLabel"_s};
    const QStringList file = {u"fileEdit"_s, u"browseButton"_s, u"fileLabel"_s};
    QTest::newRow("SQLite") << u"QSQLITE"_s << (file + QStringList {u"optionsEdit"_s}) << server;
    QTest::newRow("PostgreSQL") << u"QPSQL"_s << (server + QStringList {u"optionsEdit"_s}) << file;
    if (QSqlDatabase::isDriverAvailable(u"QMYSQL"_s))
        QTest::newRow("MySQL/MariaDB") << u"QMYSQL"_s << server << file;
    if (QSqlDatabase::isDriverAvailable(u"QODBC"_s)) {
        QTest::newRow("ODBC") << u"QODBC"_s
                              << QStringList {u"databaseEdit"_s, u"userEdit"_s,
                                              u"passwordSourceCombo"_s, u"optionsEdit"_s}
                              << (file + QStringList {u"hostEdit"_s, u"portSpin"_s});
    }
}

void TstConnectionPanel::driverShowsItsFields()
{
    QFETCH(QString, driver);
    QFETCH(QStringList, visible);
    QFETCH(QStringList, hidden);

    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    // Start from the other kind, so every row has to change.
    panel->setSettings(driver == u"QSQLITE"_s ? m_pg : sqlite(m_items));
    QSignalSpy changed(panel.get(), &ConnectionPanel::changed);
    const int index = driverIndex(form.driver, driver);
    QVERIFY(index >= 0);
    chooseWithKeyboard(form.driver, index);
    QCOMPARE(panel->settings().driver, driver);
    QVERIFY(changed.count() > 0);

    for (const QString &name : visible) {
        QWidget *widget = panel->findChild<QWidget *>(name);
        QVERIFY2(widget, qPrintable(name));
        QVERIFY2(widget->isVisible(), qPrintable(name + u" should be visible"_s));
    }
    for (const QString &name : hidden) {
        QWidget *widget = panel->findChild<QWidget *>(name);
        QVERIFY2(widget, qPrintable(name));
        QVERIFY2(!widget->isVisible(), qPrintable(name + u" should be hidden"_s));
    }
    // No password source chosen yet: neither the variable nor the password row shows.
    QVERIFY(!form.passwordEnv->isVisible());
    QVERIFY(!form.password->isVisible());
    if (driver == u"QODBC"_s)
        QCOMPARE(form.databaseLabel->text(), u"&Data source:"_s);
    else if (driver != u"QSQLITE"_s)
        QCOMPARE(form.databaseLabel->text(), u"&Database:"_s);
}

void TstConnectionPanel::typingUpdatesSettings_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("typed");

    QTest::newRow("host") << u"hostEdit"_s << u"db.example.org"_s;
    QTest::newRow("database") << u"databaseEdit"_s << u"sales"_s;
    QTest::newRow("user") << u"userEdit"_s << u"steward"_s;
    QTest::newRow("options") << u"optionsEdit"_s << u"sslmode=require"_s;
    QTest::newRow("port") << u"portSpin"_s << u"6543"_s;
    QTest::newRow("SQLite file") << u"fileEdit"_s << u"data/sensors.db"_s;
}

void TstConnectionPanel::typingUpdatesSettings()
{
    QFETCH(QString, field);
    QFETCH(QString, typed);

    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    ConnectionSettings start = field == u"fileEdit"_s ? sqlite({}, m_dir.path()) : m_pg;
    start.options.clear();
    panel->setSettings(start);
    QSignalSpy changed(panel.get(), &ConnectionPanel::changed);

    QWidget *widget = panel->findChild<QWidget *>(field);
    QVERIFY(widget);
    widget->setFocus(Qt::TabFocusReason);
    if (auto *spin = qobject_cast<QSpinBox *>(widget)) {
        spin->selectAll();
        QTest::keyClick(spin, Qt::Key_Delete);
        QTest::keyClicks(spin, typed);
    } else {
        retype(qobject_cast<QLineEdit *>(widget), typed);
    }
    QVERIFY(changed.count() > 0);

    const ConnectionSettings now = panel->settings();
    QString actual;
    if (field == u"hostEdit"_s)
        actual = now.host;
    else if (field == u"databaseEdit"_s || field == u"fileEdit"_s)
        actual = now.database;
    else if (field == u"userEdit"_s)
        actual = now.user;
    else if (field == u"optionsEdit"_s)
        actual = now.options;
    else if (field == u"portSpin"_s)
        actual = QString::number(now.port);
    QCOMPARE(actual, typed);
    QCOMPARE(now.baseDir, start.baseDir);
}

void TstConnectionPanel::passwordSources()
{
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    panel->setSettings(m_pg);
    QVERIFY(form.passwordSource->isVisible());
    QCOMPARE(form.passwordSource->currentText(), u"No password"_s);
    QSignalSpy changed(panel.get(), &ConnectionPanel::changed);

    chooseWithKeyboard(form.passwordSource, 1);
    QCOMPARE(form.passwordSource->currentText(), u"From environment variable"_s);
    QVERIFY(form.passwordEnv->isVisible());
    QVERIFY(!form.password->isVisible());
    retype(form.passwordEnv, u"SALES_DB_PASSWORD"_s);
    QCOMPARE(panel->settings().passwordEnv, u"SALES_DB_PASSWORD"_s);
    QVERIFY(!panel->settings().askPassword);
    QVERIFY(panel->password().isEmpty());

    chooseWithKeyboard(form.passwordSource, 2);
    QCOMPARE(form.passwordSource->currentText(), u"Ask when run"_s);
    QVERIFY(!form.passwordEnv->isVisible());
    QVERIFY(form.password->isVisible());
    QCOMPARE(form.password->echoMode(), QLineEdit::Password);
    retype(form.password, u"s3cret"_s);
    QCOMPARE(panel->password(), u"s3cret"_s);
    QVERIFY(panel->settings().askPassword);
    QVERIFY(panel->settings().passwordEnv.isEmpty());

    chooseWithKeyboard(form.passwordSource, 0);
    QVERIFY(!form.passwordEnv->isVisible());
    QVERIFY(!form.password->isVisible());
    QVERIFY(!panel->settings().askPassword);
    QVERIFY(panel->settings().passwordEnv.isEmpty());
    QVERIFY(panel->password().isEmpty());
    QVERIFY(changed.count() >= 5);

    // Back to "ask when run": the typed password is still there for this session.
    chooseWithKeyboard(form.passwordSource, 2);
    QCOMPARE(panel->password(), u"s3cret"_s);
    // Another database does not get it.
    ConnectionSettings other = panel->settings();
    other.database = u"other"_s;
    panel->setSettings(other);
    QVERIFY(panel->password().isEmpty());
}

void TstConnectionPanel::passwordNeverInSettings()
{
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    ConnectionSettings ask = m_pg;
    ask.askPassword = true;
    panel->setSettings(ask);
    const QString secret = u"Never-Saved-4711"_s;
    retype(form.password, secret);
    QCOMPARE(panel->password(), secret);

    TransferSpec spec;
    spec.source = panel->settings();
    spec.query.sql = u"SELECT 1"_s;
    spec.target.url = u"http://127.0.0.1:9/x"_s;
    const QByteArray file = spec.toJson();
    QVERIFY(file.contains("askPassword"));
    QVERIFY(!file.contains(secret.toUtf8()));
}

void TstConnectionPanel::variableNameIsValidatedInline_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");

    QTest::newRow("starts with a digit") << u"1PASSWORD"_s << false;
    QTest::newRow("dash") << u"DB-PASSWORD"_s << false;
    QTest::newRow("space") << u"DB PASSWORD"_s << false;
    QTest::newRow("umlaut") << u"PASSWÖRT"_s << false;
    QTest::newRow("dollar") << u"$PGPASSWORD"_s << false;
    QTest::newRow("plain") << u"PGPASSWORD"_s << true;
    QTest::newRow("underscores and digits") << u"_db_password_2"_s << true;
}

void TstConnectionPanel::variableNameIsValidatedInline()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);

    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    ConnectionSettings settings = m_pg;
    settings.passwordEnv = u"SOMETHING"_s;
    panel->setSettings(settings);
    QVERIFY(form.passwordEnv->isVisible());

    retype(form.passwordEnv, name);
    const bool flagged = form.passwordEnvMessage->isVisible()
        && form.passwordEnvMessage->text().contains(u"not a valid variable name"_s);
    QCOMPARE(flagged, !valid);
    if (!valid) {
        QVERIFY2(form.passwordEnvMessage->text().contains(name),
                 qPrintable(form.passwordEnvMessage->text()));
        QCOMPARE(form.passwordEnvMessage->palette().color(QPalette::WindowText).red() > 150, true);
    }

    // A valid name that is set in the environment needs no words at all.
    const QByteArray variable = "SLUICE_TST_PANEL_PASSWORD";
    qputenv(variable.constData(), "x");
    retype(form.passwordEnv, QString::fromLatin1(variable));
    qunsetenv(variable.constData());
    QVERIFY(!form.passwordEnvMessage->isVisible());
}

void TstConnectionPanel::missingFileIsFlaggedInline()
{
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    panel->setSettings(sqlite({}, m_dir.path()));
    QVERIFY(!form.fileMessage->isVisible());

    retype(form.file, u"nothere.db"_s);
    QVERIFY(form.fileMessage->isVisible());
    QVERIFY2(form.fileMessage->text().contains(
                 QDir::toNativeSeparators(m_dir.filePath(u"nothere.db"_s))),
             qPrintable(form.fileMessage->text()));

    retype(form.file, QFileInfo(m_items).fileName());
    QVERIFY(!form.fileMessage->isVisible());
}

void TstConnectionPanel::browseKeepsPathsRelative()
{
    QTemporaryDir outside;
    QVERIFY(outside.isValid());
    QString error;
    QVERIFY2(QDir(m_dir.path()).mkpath(u"sub"_s), "mkpath");
    const QString inside = SqliteFixture::create(m_dir.filePath(u"sub"_s), u"inside.db"_s,
                                                 {u"CREATE TABLE t (x)"_s}, {}, {}, &error);
    QVERIFY2(!inside.isEmpty(), qPrintable(error));
    const QString away = SqliteFixture::create(outside.path(), u"away.db"_s,
                                               {u"CREATE TABLE t (x)"_s}, {}, {}, &error);
    QVERIFY2(!away.isEmpty(), qPrintable(error));

    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    panel->setSettings(sqlite({}, m_dir.path()));
    QSignalSpy changed(panel.get(), &ConnectionPanel::changed);

    const auto choose = [&](const QString &file) {
        QTest::mouseClick(form.browse, Qt::LeftButton);
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = panel->findChild<QFileDialog *>(u"sqliteFileDialog"_s))
                    && dialog->isVisible());
        dialog->selectFile(file);
        static_cast<QDialog *>(dialog)->accept(); // as the Open button does
        QTRY_VERIFY(!panel->findChild<QFileDialog *>(u"sqliteFileDialog"_s));
    };
    choose(inside);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(form.file->text(), u"sub/inside.db"_s);
    QCOMPARE(panel->settings().database, u"sub/inside.db"_s);
    QCOMPARE(panel->settings().resolvedDatabase(), inside);
    QVERIFY(changed.count() > 0);

    choose(away);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(form.file->text(), away); // outside the transfer's folder it stays absolute
}

void TstConnectionPanel::testSqliteSuccess()
{
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    panel->setSettings(sqlite({}, m_dir.path()));
    retype(form.file, QFileInfo(m_items).fileName());
    QVERIFY(!form.result->isVisible());

    QTest::mouseClick(form.test, Qt::LeftButton);
    // The answer comes through the event loop: first the form shows it is busy.
    QVERIFY(!form.test->isEnabled());
    QVERIFY(form.busy->isVisible());
    QVERIFY(panel->isTesting());

    QTRY_VERIFY(form.result->isVisible());
    QVERIFY(form.test->isEnabled());
    QVERIFY(!form.busy->isVisible());
    QVERIFY2(form.result->text().contains(u"Connected to SQLite "_s)
                 && form.result->text().contains(u"(items.db, 4 rows in 1 table)"_s),
             qPrintable(form.result->text()));
    QVERIFY(form.result->textInteractionFlags().testFlag(Qt::TextSelectableByMouse));
    QVERIFY(form.result->textInteractionFlags().testFlag(Qt::TextSelectableByKeyboard));
    const QString successStyle = form.result->styleSheet();

    // Any edit makes the answer stale: it goes.
    QTest::keyClicks(form.file, u"x"_s);
    QVERIFY(!form.result->isVisible());

    // A failure looks different from a success.
    QTest::mouseClick(form.test, Qt::LeftButton);
    QTRY_VERIFY(form.result->isVisible());
    QVERIFY(form.result->styleSheet() != successStyle);
}

void TstConnectionPanel::testSqliteMissingFile()
{
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    const QString missing = m_dir.filePath(u"missing/none.db"_s);
    panel->setSettings(sqlite({}));
    retype(form.file, missing);

    QTest::mouseClick(form.test, Qt::LeftButton);
    QTRY_VERIFY(form.result->isVisible());
    QVERIFY2(form.result->text().contains(
                 u"source.database: SQLite file \"%1\" does not exist"_s.arg(missing)),
             qPrintable(form.result->text()));
    QVERIFY(!QFile::exists(missing));
    QVERIFY(!QFile::exists(m_dir.filePath(u"missing"_s)));
}

void TstConnectionPanel::testPostgresWrongPassword_data()
{
    QTest::addColumn<bool>("fromEnvironment");
    QTest::newRow("ask when run, typed") << false;
    QTest::newRow("environment variable") << true;
}

void TstConnectionPanel::testPostgresWrongPassword()
{
    QFETCH(bool, fromEnvironment);
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    // The role may or may not exist right now (other tests create and drop it): the server
    // refuses a wrong password with the same words either way.
    const QString role = QLatin1String(PgTestServer::PasswordRole);
    const QString wrong = u"Wrong-Secret-0815"_s;
    ConnectionSettings settings = m_pg;
    settings.user = role;
    panel->setSettings(settings);

    const QByteArray variable = "SLUICE_TST_PANEL_PG_PASSWORD";
    if (fromEnvironment) {
        qputenv(variable.constData(), wrong.toUtf8());
        chooseWithKeyboard(form.passwordSource, 1);
        retype(form.passwordEnv, QString::fromLatin1(variable));
    } else {
        chooseWithKeyboard(form.passwordSource, 2);
        retype(form.password, wrong);
    }

    QTest::mouseClick(form.test, Qt::LeftButton);
    QTRY_VERIFY(form.result->isVisible());
    qunsetenv(variable.constData());
    const QString text = form.result->text();
    QVERIFY2(text.contains(u"password authentication failed for user \"%1\""_s.arg(role)),
             qPrintable(text));
    QVERIFY2(text.contains(u"cannot connect to QPSQL database \"%1\" on %2:%3 as %4"_s.arg(
                 settings.database, settings.host, QString::number(settings.port), role)),
             qPrintable(text));
    QVERIFY(!text.contains(wrong));
}

void TstConnectionPanel::windowStaysResponsiveWhileTesting()
{
    SilentServer server;
    QVERIFY(server.listen());
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    ConnectionSettings settings = m_pg;
    settings.port = server.port();
    panel->setSettings(settings);

    int ticks = 0;
    QTimer timer;
    timer.setInterval(10);
    connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
    timer.start();

    QTest::mouseClick(form.test, Qt::LeftButton);
    QTRY_COMPARE(server.accepted(), 1); // the server now keeps the test waiting
    const int before = ticks;
    // The GUI thread keeps serving its event loop while the test waits.
    QTRY_VERIFY(ticks >= before + 10);
    QVERIFY(panel->isTesting());
    QVERIFY(!form.test->isEnabled());
    QVERIFY(form.busy->isVisible());
    QVERIFY(!form.result->isVisible());

    server.release();
    QTRY_VERIFY(form.result->isVisible());
    QVERIFY(form.test->isEnabled());
    QVERIFY(!form.busy->isVisible());
    QVERIFY2(form.result->text().contains(u"cannot connect to QPSQL database"_s),
             qPrintable(form.result->text()));
}

void TstConnectionPanel::editingDropsTheRunningTest()
{
    SilentServer server;
    QVERIFY(server.listen());
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    ConnectionSettings settings = m_pg;
    settings.port = server.port();
    panel->setSettings(settings);

    QTest::mouseClick(form.test, Qt::LeftButton);
    QTRY_COMPARE(server.accepted(), 1);
    QTest::keyClicks(form.user, u"x"_s);
    QVERIFY(!panel->isTesting());
    QVERIFY(form.test->isEnabled());
    QVERIFY(!form.busy->isVisible());

    server.release();
    QTRY_VERIFY(testConnections().isEmpty());
    // The dropped test's late answer is about settings the form no longer shows: only the
    // next test's answer (for user "postgresx", refused by the released server) appears.
    QTest::mouseClick(form.test, Qt::LeftButton);
    QTRY_VERIFY(form.result->isVisible());
    QVERIFY2(form.result->text().contains(u"as %1x"_s.arg(settings.user)),
             qPrintable(form.result->text()));
}

void TstConnectionPanel::destroyedWhileTesting()
{
    SilentServer server;
    QVERIFY(server.listen());
    auto panel = shownPanel();
    QVERIFY(panel);
    Form form(panel.get());
    ConnectionSettings settings = m_pg;
    settings.port = server.port();
    panel->setSettings(settings);
    QTest::mouseClick(form.test, Qt::LeftButton);
    QTRY_COMPARE(server.accepted(), 1);
    QVERIFY(!testConnections().isEmpty());

    panel.reset();
    server.release();
    QTRY_VERIFY(testConnections().isEmpty());
}

QTEST_MAIN(TstConnectionPanel)
#include "tst_connectionpanel.moc"
