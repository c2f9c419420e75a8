// SPDX-License-Identifier: GPL-3.0-or-later
// Secrets in the app: a password and a header value typed in the Connection and Target steps
// go to the keychain (a fake SecretStore here) when the transfer is saved; the transfer file
// and the settings the app writes (QSettings) never hold them.

#include "memorysecretstore.h"
#include "modalwatch.h"

#include "connectionpanel.h"
#include "mainwindow.h"
#include "targetpanel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDirIterator>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace sluice;

namespace {

const QString Password = QStringLiteral("Gui-Pw-7f3a9");
const QString Token = QStringLiteral("Bearer Gui-Tok-c81e2");

/// Answers the next message box with the button whose text contains text.
void answerNextBox(QObject *context, const QString &text, bool *answered)
{
    whenModalShows(context, [text, answered](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        if (!box) {
            modal->close();
            return;
        }
        for (QAbstractButton *button : box->buttons()) {
            if (button->text().remove(u'&').contains(text)) {
                *answered = true;
                button->click();
                return;
            }
        }
        box->reject(); // no such button: *answered stays false and the test says so
    });
}

QStringList filesHolding(const QString &folder, const QStringList &secrets)
{
    QStringList found;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray data = file.readAll();
        for (const QString &secret : secrets) {
            if (data.contains(secret.toUtf8()))
                found.append(file.fileName() + QStringLiteral(": ") + secret);
        }
    }
    return found;
}

} // namespace

class TestGuiSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void savedToTheKeychainNeverToFiles();
    void keychainFailureSavesNothing();

private:
    QTemporaryDir m_dir;
};

void TestGuiSecrets::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SluiceSecretsTest"));
    QCoreApplication::setApplicationName(QStringLiteral("SluiceSecretsTest"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

void TestGuiSecrets::savedToTheKeychainNeverToFiles()
{
    auto store = std::make_shared<MemorySecretStore>();
    {
        MainWindow window;
        window.setSecretStore(store);
        TransferSpec spec = window.currentSpec();
        spec.source.driver = QStringLiteral("QPSQL");
        spec.source.host = QStringLiteral("db.example.org");
        spec.source.database = QStringLiteral("sensors");
        spec.source.user = QStringLiteral("steward");
        spec.target.url = QStringLiteral("https://api.example.org/sensors");
        // Pasted as it is: the app will not save it so.
        spec.target.headers = {{QStringLiteral("Authorization"), Token}};
        window.setSpec(spec);

        // Connection step: "Stored in the keychain", an entry name, the password.
        auto *connection = window.findChild<ConnectionPanel *>();
        auto *source = connection->findChild<QComboBox *>(QStringLiteral("passwordSourceCombo"));
        source->setCurrentIndex(source->findText(QStringLiteral("Stored in the keychain")));
        connection->findChild<QLineEdit *>(QStringLiteral("passwordKeychainEdit"))
            ->setText(QStringLiteral("sensors db"));
        auto *passwordEdit = connection->findChild<QLineEdit *>(QStringLiteral("passwordEdit"));
        QVERIFY(passwordEdit->isVisibleTo(connection));
        QTest::keyClicks(passwordEdit, Password);

        // Saving asks to move the literal credential to the keychain.
        bool asked = false;
        answerNextBox(this, QStringLiteral("Yes"), &asked);
        const QString file = m_dir.filePath(QStringLiteral("secrets.json"));
        QVERIFY(window.saveAs(file));
        QVERIFY(asked);

        // The keychain holds the secrets, the transfer only their entries.
        QCOMPARE(store->entries.value(QStringLiteral("sensors db")), Password);
        const QString headerEntry = QStringLiteral("api.example.org Authorization");
        QCOMPARE(store->entries.value(headerEntry), Token);
        TransferSpec saved;
        QList<SpecError> errors;
        QVERIFY(TransferSpec::load(file, &saved, &errors));
        QCOMPARE(saved.source.passwordKeychain, QStringLiteral("sensors db"));
        QVERIFY(saved.target.headers.isEmpty());
        QCOMPARE(saved.target.headersKeychain,
                 (QList<QPair<QString, QString>> {{QStringLiteral("Authorization"), headerEntry}}));
        // Stored, so the form forgets them; saving again writes nothing more.
        QVERIFY(passwordEdit->text().isEmpty());
        auto *target = window.findChild<TargetPanel *>();
        QVERIFY(target->secretsToStore().isEmpty());
        QVERIFY(!window.isModified());
        window.close(); // writes the window's settings
    }
    QSettings().sync();

    const QStringList secrets {Password, Token, Token.mid(7)};
    QStringList leaks = filesHolding(m_dir.path(), secrets);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
    // The app's settings and data folders (QStandardPaths' test locations).
    const QString settingsFile = QSettings().fileName();
    QVERIFY2(QFileInfo::exists(settingsFile), qPrintable(settingsFile));
    for (const QString &folder : {QFileInfo(settingsFile).absolutePath(),
                                  QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
                                  QStandardPaths::writableLocation(QStandardPaths::CacheLocation)})
        leaks += filesHolding(folder, secrets);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
}

void TestGuiSecrets::keychainFailureSavesNothing()
{
    auto store = std::make_shared<MemorySecretStore>();
    store->setUnavailable(QStringLiteral("the keyring is locked"));
    MainWindow window;
    window.setSecretStore(store);
    TransferSpec spec = window.currentSpec();
    spec.target.url = QStringLiteral("https://api.example.org/sensors");
    spec.target.headers = {{QStringLiteral("Cookie"), QStringLiteral("session=abc123")}};
    window.setSpec(spec);
    const QString file = m_dir.filePath(QStringLiteral("not-saved.json"));
    bool moved = false;
    bool warned = false;
    answerNextBox(this, QStringLiteral("Yes"), &moved);
    QTimer::singleShot(50, this,
                       [this, &warned] { answerNextBox(this, QStringLiteral("OK"), &warned); });
    QVERIFY(!window.saveAs(file));
    QVERIFY(moved);
    QVERIFY(warned);
    QVERIFY(!QFileInfo::exists(file));
    // Declining the move saves nothing either.
    TransferSpec again = window.currentSpec();
    again.target.headersKeychain.clear();
    again.target.headers = {{QStringLiteral("Cookie"), QStringLiteral("session=abc123")}};
    window.setSpec(again);
    bool declined = false;
    answerNextBox(this, QStringLiteral("No"), &declined);
    QVERIFY(!window.saveAs(file));
    QVERIFY(declined);
    QVERIFY(!QFileInfo::exists(file));
}

QTEST_MAIN(TestGuiSecrets)
#include "tst_guisecrets.moc"
