// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "ui_mainwindow.h"

#include "builtindemoapi.h"
#include "connectionpanel.h"
#include "innerbuttons.h"
#include "openrundialog.h"
#include "palette.h"
#include "querypanel.h"
#include "runpanel.h"
#include "specerrortext.h"
#include "targetpanel.h"
#include "transformpanel.h"

#include "spec/secretheaders.h"
#include "util/secretstore.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QToolBar>

#include "db/rowcounter.h"
#include "journal/journalfile.h"
#include "models/runlistmodel.h"

// Q_INIT_RESOURCE cannot be used inside a namespace.
static void initExampleResources()
{
    Q_INIT_RESOURCE(example);
}

namespace sluice {

namespace {

/// The key template a run would use (transform.key counts only with a transform).
QString itemKeyOf(const TransformSpec &transform)
{
    return transform.present ? transform.key : QString();
}

constexpr int MaxRecentFiles = 8;
const QString RecentFilesKey = QStringLiteral("files/recent");
const QString GeometryKey = QStringLiteral("window/geometry");
const QString StateKey = QStringLiteral("window/state");
const QString TabKey = QStringLiteral("window/tab");
const QString FirstStartKey = QStringLiteral("app/firstStartDone");

/// Copies a bundled example file out of the resources unless a copy is already there.
bool copyExampleFile(const QString &name, const QDir &dir, bool overwrite, QString *error)
{
    const QString target = dir.filePath(name);
    if (QFile::exists(target)) {
        if (!overwrite)
            return true;
        QFile::remove(target);
    }
    QFile source(QStringLiteral(":/example/") + name);
    if (!source.copy(target)) {
        *error = QObject::tr("cannot copy the example file %1 to %2: %3")
                     .arg(name, dir.path(), source.errorString());
        return false;
    }
    // Resource files are read-only; the copy must be writable so it can be saved over.
    QFile::setPermissions(
        target, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    return true;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_demoApi(new BuiltInDemoApi(this))
{
    m_ui->setupUi(this);
    initExampleResources();

    connect(m_ui->actionNew, &QAction::triggered, this, &MainWindow::newTransfer);
    connect(m_ui->actionOpen, &QAction::triggered, this, &MainWindow::open);
    connect(m_ui->actionOpenExample, &QAction::triggered, this, [this] {
        if (maybeSave())
            openExample();
    });
    connect(m_ui->actionOpenRun, &QAction::triggered, this, &MainWindow::showOpenRunDialog);
    connect(m_ui->actionSave, &QAction::triggered, this, &MainWindow::save);
    connect(m_ui->actionSaveAs, &QAction::triggered, this, [this] { saveAs(); });
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Sluice"),
                           tr("<h3>Sluice %1</h3><p>Moves rows from a SQL database into an "
                              "HTTP/JSON API, concurrently, and shows every item's fate.</p>"
                              "<p>The same transfer files run headless: "
                              "<code>sluice run FILE.json</code>.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    connect(m_ui->actionDemoReliable, &QAction::triggered, this,
            [this] { pointTargetAtDemoApi(QString()); });
    connect(m_ui->actionDemoFlaky, &QAction::triggered, this,
            [this] { pointTargetAtDemoApi(QStringLiteral("flaky/30/")); });
    connect(m_ui->actionDemoRejecting, &QAction::triggered, this,
            [this] { pointTargetAtDemoApi(QStringLiteral("fail/422/")); });
    m_ui->menuDemo->setEnabled(false); // until the built-in API listens
    for (int i = 0; i < m_ui->tabs->count(); ++i)
        m_ui->tabs->widget(i)->setAccessibleName(m_ui->tabs->tabText(i).remove(u'&'));

    wirePanels();
    wireRun();
    createToolBar();
    nameInnerButtons(this);
    connect(m_demoApi, &BuiltInDemoApi::started, this, [this] {
        statusBar()->showMessage(
            tr("Built-in demo API listening on %1 (Help > Demo API Target makes it fail on "
               "purpose)")
                .arg(m_demoApi->baseUrl()));
        m_ui->menuDemo->setEnabled(true);
        applyExampleUrl();
    });
    connect(m_demoApi, &BuiltInDemoApi::failed, this, [this](const QString &message) {
        m_demoApiFailed = true;
        statusBar()->showMessage(tr("The built-in demo API could not start: %1").arg(message));
    });
    m_demoApi->start();

    updateRecentMenu();
    restoreLayout();

    QSettings settings;
    const QStringList recent = settings.value(RecentFilesKey).toStringList();
    if (!settings.value(FirstStartKey, false).toBool() || recent.isEmpty()
        || !QFileInfo::exists(recent.first())) {
        settings.setValue(FirstStartKey, true);
        openExample();
        if (m_isExample)
            showExampleBanner();
    } else {
        openFile(recent.first());
    }
    // After the arguments the app was started with are handled.
    QTimer::singleShot(0, this, &MainWindow::offerInterruptedRun);
}

MainWindow::~MainWindow()
{
    // ~QWidget closes the window first: an open cell editor then commits its value and a
    // panel emits changed() into this half-destroyed window.
    const QList<QObject *> children = findChildren<QObject *>();
    for (QObject *child : children)
        disconnect(child, nullptr, this, nullptr);
}

void MainWindow::wirePanels()
{
    auto *connection = m_ui->connectionPanel;
    auto *query = m_ui->queryPanel;
    auto *transform = m_ui->transformPanel;
    auto *target = m_ui->targetPanel;
    connect(connection, &ConnectionPanel::changed, this, [this, connection, query] {
        query->setConnection(connection->settings(), previewPassword());
        markModified();
    });
    connect(query, &QueryPanel::changed, this, &MainWindow::markModified);
    connect(query, &QueryPanel::previewReady, transform, &TransformPanel::setPreview);
    connect(transform, &TransformPanel::changed, this, [this, transform, target] {
        target->setItemKey(itemKeyOf(transform->transform()));
        markModified();
    });
    connect(target, &TargetPanel::changed, this, [this, target, transform] {
        transform->setUrlTemplate(target->target().url);
        clearTargetMessage();
        markModified();
    });
    // Arriving at the Query or Transform step with a local SQLite file and no preview yet
    // previews at once, so the JSON each row becomes is simply there. A server database is
    // only queried when the steward asks (Preview rows).
    connect(m_ui->tabs, &QTabWidget::currentChanged, this, [this, query](int index) {
        QWidget *tab = m_ui->tabs->widget(index);
        if (tab != query && tab != m_ui->transformPanel)
            return;
        const ConnectionSettings source = m_ui->connectionPanel->settings();
        if (source.driver != QLatin1String("QSQLITE") || query->hasPreview()
            || query->query().sql.trimmed().isEmpty()
            || !QFileInfo::exists(source.resolvedDatabase()))
            return;
        query->preview();
    });
}

QWidget *MainWindow::panelFor(SpecSection section) const
{
    switch (section) {
    case SpecSection::Source:
        return m_ui->connectionPanel;
    case SpecSection::Query:
        return m_ui->queryPanel;
    case SpecSection::Transform:
        return m_ui->transformPanel;
    case SpecSection::Target:
    case SpecSection::Run:
        return m_ui->targetPanel;
    case SpecSection::File:
        break;
    }
    return m_ui->tabs->currentWidget();
}

void MainWindow::wireRun()
{
    RunPanel *run = m_ui->runPanel;
    QMenu *menu = m_ui->menuRun;
    menu->addAction(run->startAction());
    menu->addAction(run->pauseAction());
    menu->addAction(run->cancelAction());
    menu->addSeparator();
    menu->addAction(run->retryFailedAction());
    menu->addAction(run->retrySelectedAction());
    menu->addSeparator();
    menu->addAction(run->exportFailedAction());
    menu->addAction(run->saveReportAction());

    run->setSpecProvider([this]() -> std::optional<TransferSpec> {
        const TransferSpec spec = currentSpec();
        const QList<SpecError> errors = specErrors(spec);
        if (errors.isEmpty())
            return spec;
        // Show where the first problem is, and list them all.
        m_ui->tabs->setCurrentWidget(panelFor(errors.first().section()));
        QStringList lines;
        for (const SpecError &e : errors)
            lines.append(SpecErrorText::describe(e).toHtmlEscaped());
        QMessageBox::warning(this, tr("The transfer cannot start yet"),
                             tr("<p>Fix these first:</p><ul><li>%1</li></ul>")
                                 .arg(lines.join(QStringLiteral("</li><li>"))));
        return std::nullopt;
    });
    run->setTargetProvider([this] {
        return std::pair {m_ui->targetPanel->target(), m_ui->targetPanel->run()};
    });
    run->setRunOptionsProvider([this] {
        RunOptions options;
        options.secrets = m_secrets;
        // Every run keeps a journal in the data folder (a resume sets its own).
        options.transferFile = m_fileName;
        options.journalFile = JournalFile::newFileName(
            JournalFile::defaultFolder(),
            m_fileName.isEmpty() ? QStringLiteral("untitled") : m_fileName,
            QDateTime::currentDateTime());
        options.journalNameIsDefault = true;
        const ConnectionSettings source = m_ui->connectionPanel->settings();
        if (source.askPassword) {
            QString password = m_ui->connectionPanel->password();
            if (password.isEmpty()) {
                bool ok = false;
                password = QInputDialog::getText(
                    this, tr("Database password"),
                    tr("Password for %1:")
                        .arg(source.user.isEmpty() ? source.database : source.user),
                    QLineEdit::Password, {}, &ok);
                if (!ok)
                    return options; // no password: the run reports it as a configuration error
            }
            options.password = password;
        }
        return options;
    });
    connect(run, &RunPanel::runningChanged, this, [this](bool running) {
        if (running) {
            clearTargetMessage();
            m_ui->tabs->setCurrentWidget(m_ui->runPanel);
            hideExampleBanner();
        }
        m_ui->actionOpenRun->setEnabled(!running);
    });
    connect(run, &RunPanel::resumeRequested, this,
            [this](const QString &journal) { openRun(journal, true); });
}

void MainWindow::createToolBar()
{
    // Start and its companions on every step: Start used to live on the fifth tab only (and in
    // the Run menu, on F5), where a first-time user did not find it.
    RunPanel *run = m_ui->runPanel;
    m_toolBar = addToolBar(tr("Main toolbar"));
    m_toolBar->setObjectName(QStringLiteral("mainToolBar")); // saveState() needs it
    m_toolBar->setAccessibleName(tr("Main toolbar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setMovable(false);
    m_toolBar->addAction(run->startAction());
    m_toolBar->addAction(run->pauseAction());
    m_toolBar->addAction(run->cancelAction());
    m_toolBar->addSeparator();
    m_toolBar->addAction(run->retryFailedAction());
    run->hideButtonsShownInToolBar(); // not twice on the Run step
}

void MainWindow::showExampleBanner()
{
    QPalette banner = m_ui->exampleBanner->palette();
    banner.setColor(QPalette::Window, themedColor(palette(), 0xe4efff, 0x1f3350));
    m_ui->exampleBanner->setPalette(banner);
    if (!m_ui->exampleStartButton->defaultAction()) {
        m_ui->exampleStartButton->setDefaultAction(m_ui->runPanel->startAction());
        connect(m_ui->exampleDismissButton, &QPushButton::clicked, this,
                &MainWindow::hideExampleBanner);
    }
    const auto say = [this](const QString &text) {
        m_ui->exampleBannerText->setText(text);
        // A screen reader hears the text itself, not a fixed name.
        m_ui->exampleBannerText->setAccessibleName(text);
    };
    say(tr("This is the bundled example: the rows of its database go to the built-in demo API "
           "(nothing leaves this computer). Press Start to send them and watch every item."));
    m_ui->exampleBanner->show();

    // The count makes the note concrete; the example is SQLite, which counts at once.
    const TransferSpec spec = currentSpec();
    auto *counter = new RowCounter(spec.source, spec.query, QString(), this);
    connect(counter, &RowCounter::counted, this, [this, counter, say](qint64 rows) {
        counter->deleteLater();
        if (m_ui->exampleBanner->isVisible() && m_isExample)
            say(tr("This is the bundled example: %n rows from its database to the built-in demo "
                   "API (nothing leaves this computer). Press Start to send them and watch every "
                   "item.",
                   nullptr, int(rows)));
    });
    connect(counter, &RowCounter::failed, counter, &QObject::deleteLater);
    counter->start();
}

void MainWindow::hideExampleBanner()
{
    m_ui->exampleBanner->hide();
}

bool MainWindow::isExampleBannerShown() const
{
    return m_ui->exampleBanner->isVisibleTo(this);
}

void MainWindow::offerInterruptedRun()
{
    RunPanel *panel = m_ui->runPanel;
    if (panel->isRunning() || panel->run() || panel->openedRun())
        return;
    const std::optional<JournalSummary> latest
        = RunListModel::latestRun(JournalFile::defaultFolder());
    if (!latest || !RunListModel::canResume(*latest))
        return;
    panel->offerResume(*latest);
    m_ui->tabs->setCurrentWidget(panel);
}

void MainWindow::showOpenRunDialog()
{
    auto *dialog = new OpenRunDialog(JournalFile::defaultFolder(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setShownRun(m_ui->runPanel->journalFile());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        openRun(dialog->fileName(), dialog->choice() == OpenRunDialog::Choice::Resume);
    });
    dialog->open();
}

bool MainWindow::openRun(const QString &journal, bool resume)
{
    RunPanel *panel = m_ui->runPanel;
    if (panel->isRunning()) {
        QMessageBox::information(this, tr("A run is going on"),
                                 tr("Cancel the run or let it finish before opening another."));
        return false;
    }
    if (!maybeSave())
        return false;
    QString error;
    if (!panel->openRun(journal, &error)) {
        QMessageBox::warning(this, tr("Cannot open the run"), error);
        return false;
    }
    // The transfer as it ran, for a look, a retry or a new start; its file stays as it is.
    m_isExample = false;
    setSpec(*panel->openedSpec());
    setCurrentFile({});
    m_ui->tabs->setCurrentWidget(panel);
    statusBar()->showMessage(tr("Opened the run in %1").arg(QDir::toNativeSeparators(journal)),
                             5000);
    if (resume)
        panel->resumeOpenedRun();
    return true;
}

void MainWindow::startWhenReady()
{
    // The built-in demo API starts with the window (in milliseconds); a transfer that sends
    // to it must not begin before it listens, whatever file it is.
    if (m_demoApi->port() != 0 || m_demoApiFailed) {
        m_ui->runPanel->startAction()->trigger();
        return;
    }
    auto *once = new QObject(this);
    const auto start = [this, once] {
        once->deleteLater();
        m_ui->runPanel->startAction()->trigger();
    };
    connect(m_demoApi, &BuiltInDemoApi::started, once, start);
    connect(m_demoApi, &BuiltInDemoApi::failed, once, start);
}

QString MainWindow::previewPassword() const
{
    // The run reads passwordEnv itself; the query panel's preview gets the value here.
    const ConnectionSettings source = m_ui->connectionPanel->settings();
    if (!source.passwordEnv.isEmpty())
        return qEnvironmentVariable(source.passwordEnv.toLocal8Bit().constData());
    return m_ui->connectionPanel->password();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(GeometryKey).toByteArray());
    restoreState(settings.value(StateKey).toByteArray());
    m_ui->tabs->setCurrentIndex(settings.value(TabKey, 0).toInt());
}

TransferSpec MainWindow::currentSpec() const
{
    TransferSpec spec;
    spec.source = m_ui->connectionPanel->settings();
    spec.query = m_ui->queryPanel->query();
    spec.transform = m_ui->transformPanel->transform();
    spec.target = m_ui->targetPanel->target();
    spec.run = m_ui->targetPanel->run();
    return spec;
}

QList<SpecError> MainWindow::specErrors(const TransferSpec &spec) const
{
    // A template that is not JSON reaches spec as an empty one ("is required"): the
    // transform step's own message says what is wrong with it, and where.
    const QList<SpecError> templateErrors = m_ui->transformPanel->errors();
    QList<SpecError> errors = m_ui->queryPanel->errors() + templateErrors;
    for (const SpecError &error : spec.validate()) {
        if (templateErrors.isEmpty() || error.path != QLatin1String("transform.template"))
            errors.append(error);
    }
    return errors;
}

void MainWindow::setSpec(const TransferSpec &spec)
{
    m_loading = true;
    m_ui->connectionPanel->setSettings(spec.source);
    m_ui->queryPanel->setConnection(spec.source, previewPassword());
    m_ui->queryPanel->setQuery(spec.query);
    m_ui->transformPanel->setUrlTemplate(spec.target.url);
    m_ui->transformPanel->setTransform(spec.transform);
    m_ui->targetPanel->setBaseDir(spec.source.baseDir);
    m_ui->targetPanel->setItemKey(itemKeyOf(spec.transform));
    m_ui->targetPanel->setTarget(spec.target, spec.run);
    // Another transfer: no filter left from the last one's items hides the next run's.
    m_ui->runPanel->clearFilter();
    clearTargetMessage();
    m_loading = false;
    setWindowModified(false);
}

void MainWindow::markModified()
{
    if (m_loading)
        return;
    setWindowModified(true);
}

void MainWindow::updateTitle()
{
    const QString name = m_fileName.isEmpty() ? tr("Untitled") : QFileInfo(m_fileName).fileName();
    setWindowTitle(name + QStringLiteral("[*] — Sluice"));
}

void MainWindow::setCurrentFile(const QString &fileName)
{
    if (fileName != m_fileName)
        hideExampleBanner();
    m_fileName = fileName;
    if (!fileName.isEmpty())
        addRecentFile(fileName);
    updateTitle();
}

void MainWindow::newTransfer()
{
    if (!maybeSave())
        return;
    TransferSpec spec;
    spec.source.driver = QStringLiteral("QSQLITE");
    spec.target.url = m_demoApi->baseUrl() + QStringLiteral("items/_doc");
    m_isExample = false;
    setSpec(spec);
    setCurrentFile({});
    m_ui->tabs->setCurrentWidget(m_ui->connectionPanel);
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString dir = m_fileName.isEmpty() ? QDir::homePath() : QFileInfo(m_fileName).path();
    const QString fileName = QFileDialog::getOpenFileName(
        this, tr("Open Transfer"), dir, tr("Transfer files (*.json);;All files (*)"));
    if (!fileName.isEmpty())
        openFile(fileName);
}

bool MainWindow::openFile(const QString &fileName)
{
    TransferSpec spec;
    QList<SpecError> errors;
    if (!TransferSpec::load(fileName, &spec, &errors)) {
        QStringList lines;
        // Where the steward fixes it in the file too: the file cannot be shown in the forms.
        for (const SpecError &e : std::as_const(errors))
            lines.append((e.path.isEmpty()
                              ? e.message
                              : tr("%1 (%2 in the file)").arg(SpecErrorText::describe(e), e.path))
                             .toHtmlEscaped());
        QMessageBox::warning(this, tr("Cannot open the transfer"),
                             tr("<p>%1 cannot be opened:</p><ul><li>%2</li></ul>")
                                 .arg(QDir::toNativeSeparators(fileName).toHtmlEscaped(),
                                      lines.join(QStringLiteral("</li><li>"))));
        return false;
    }
    m_isExample = false;
    setSpec(spec);
    setCurrentFile(QFileInfo(fileName).absoluteFilePath());
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(fileName)), 5000);
    return true;
}

void MainWindow::openExample()
{
    const QDir dir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                   + QStringLiteral("/example"));
    QString error;
    if (!dir.mkpath(QStringLiteral("."))
        || !copyExampleFile(QStringLiteral("sensors.db"), dir, false, &error)
        || !copyExampleFile(QStringLiteral("sensors-to-demo-api.json"), dir, true, &error)) {
        QMessageBox::warning(this, tr("Cannot open the example"),
                             error.isEmpty() ? tr("Cannot create %1").arg(dir.path()) : error);
        return;
    }
    if (!openFile(dir.filePath(QStringLiteral("sensors-to-demo-api.json"))))
        return;
    m_isExample = true;
    applyExampleUrl();
}

void MainWindow::pointTargetAtDemoApi(const QString &route)
{
    if (m_demoApi->port() == 0)
        return;
    // Keep the collection and endpoint of a URL that already points at the demo API (with or
    // without a failure route); anything else becomes the demo's generic collection.
    static const QRegularExpression demoUrl(
        QStringLiteral("^http://127\\.0\\.0\\.1:\\d+/(?:(?:flaky|fail)/\\d+/)?(.*)$"));
    const QRegularExpressionMatch match = demoUrl.match(m_ui->targetPanel->target().url);
    QString path = match.hasMatch() ? match.captured(1) : QString();
    if (path.isEmpty())
        path = QStringLiteral("items/_doc");
    const QString url = m_demoApi->baseUrl() + route + path;
    setTargetUrl(url);
    markModified();
    m_ui->tabs->setCurrentWidget(m_ui->targetPanel);
    QString what = tr("every item is stored");
    if (route.startsWith(QLatin1String("flaky")))
        what = tr("30 % of requests fail with 503 Service Unavailable; retries usually pass");
    else if (route.startsWith(QLatin1String("fail")))
        what = tr("every item fails with 422 Unprocessable Entity");
    m_targetMessage = tr("Target: %1 (%2). Press F5 to run.").arg(url, what);
    statusBar()->showMessage(m_targetMessage);
}

void MainWindow::clearTargetMessage()
{
    // It names a target: once the target changes or a run starts, it is old news.
    if (!m_targetMessage.isEmpty() && statusBar()->currentMessage() == m_targetMessage)
        statusBar()->clearMessage();
    m_targetMessage.clear();
}

void MainWindow::applyExampleUrl()
{
    // The example file names the default port; the built-in API may have had to take another.
    if (!m_isExample || m_demoApi->port() == 0)
        return;
    static const QRegularExpression hostPort(QStringLiteral("^http://127\\.0\\.0\\.1:\\d+/"));
    const QString current = m_ui->targetPanel->target().url;
    const QString url = QString(current).replace(hostPort, m_demoApi->baseUrl());
    if (url == current)
        return;
    const bool modified = isWindowModified();
    m_loading = true;
    setTargetUrl(url);
    m_loading = false;
    setWindowModified(modified);
}

void MainWindow::setTargetUrl(const QString &url)
{
    TargetSpec target = m_ui->targetPanel->target();
    target.url = url;
    m_ui->targetPanel->setTarget(target, m_ui->targetPanel->run());
    m_ui->transformPanel->setUrlTemplate(url);
}

bool MainWindow::save()
{
    if (m_fileName.isEmpty())
        return saveAs();
    if (!literalSecretHeaders(m_ui->targetPanel->target()).isEmpty()) {
        QStringList names;
        for (const SpecError &e : literalSecretHeaders(m_ui->targetPanel->target()))
            names.append(e.path.section(u'.', 2).toHtmlEscaped());
        m_ui->tabs->setCurrentWidget(m_ui->targetPanel);
        if (QMessageBox::question(
                this, tr("Keep the credentials in the keychain?"),
                tr("<p>The header %1 holds a credential. Sluice does not write credentials "
                   "into transfer files.</p><p>Move it to the system keychain? The transfer "
                   "then names only the keychain entry.</p>")
                    .arg(names.join(tr(", "))))
            != QMessageBox::Yes)
            return false;
        m_ui->targetPanel->moveLiteralSecretsToKeychain();
    }
    if (!storeSecrets())
        return false;
    const TransferSpec spec = currentSpec();
    const QList<SpecError> errors = specErrors(spec);
    if (!errors.isEmpty()) {
        QStringList lines;
        for (const SpecError &e : errors)
            lines.append(SpecErrorText::describe(e).toHtmlEscaped());
        // Saving an unfinished transfer is allowed: the file says what is missing when opened.
        if (QMessageBox::question(this, tr("Save an incomplete transfer?"),
                                  tr("<p>The transfer is not complete yet:</p><ul><li>%1</li></ul>"
                                     "<p>Save it anyway?</p>")
                                      .arg(lines.join(QStringLiteral("</li><li>"))))
            != QMessageBox::Yes)
            return false;
    }
    QString error;
    if (!spec.save(m_fileName, &error)) {
        QMessageBox::warning(this, tr("Cannot save"), error);
        return false;
    }
    setWindowModified(false);
    addRecentFile(m_fileName);
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_fileName)), 5000);
    return true;
}

bool MainWindow::storeSecrets()
{
    QList<QPair<QString, QString>> secrets = m_ui->targetPanel->secretsToStore();
    if (const auto password = m_ui->connectionPanel->secretToStore())
        secrets.prepend({password->first, password->second});
    if (secrets.isEmpty())
        return true;
    if (!m_secrets)
        m_secrets = makeKeychainStore();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    QString failure;
    for (const auto &secret : std::as_const(secrets)) {
        const QString &entry = secret.first;
        // The keychain may ask the user to unlock it: the save waits for its answer.
        const SecretStore::Answer answer
            = SecretStore::wait([&](QObject *context, SecretStore::Callback done) {
                  m_secrets->write(entry, secret.second, context, std::move(done));
              });
        if (answer.status != SecretStore::Status::Ok) {
            failure = tr("Cannot store the keychain entry “%1” in %2: %3")
                          .arg(entry, m_secrets->location(), answer.error);
            break;
        }
    }
    QApplication::restoreOverrideCursor();
    if (!failure.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot save"),
                             failure + QStringLiteral("\n\n")
                                 + tr("The transfer was not saved, so it names no entry that "
                                      "does not hold what you typed."));
        return false;
    }
    m_ui->connectionPanel->secretStored();
    m_ui->targetPanel->secretsStored();
    return true;
}

bool MainWindow::saveAs(const QString &fileName)
{
    QString target = fileName;
    if (target.isEmpty()) {
        const QString dir
            = m_fileName.isEmpty() || m_isExample ? QDir::homePath() : QFileInfo(m_fileName).path();
        target = QFileDialog::getSaveFileName(this, tr("Save Transfer As"),
                                              dir + QStringLiteral("/transfer.json"),
                                              tr("Transfer files (*.json)"));
        if (target.isEmpty())
            return false;
    }
    if (!target.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        target += QStringLiteral(".json");
    const QString previous = m_fileName;
    // Relative paths (the SQLite file, the CA file) must name the same files from the new
    // folder, or the saved transfer points at files that are not there.
    const TransferSpec before = currentSpec();
    const TransferSpec moved = before.movedTo(QFileInfo(target).absolutePath());
    movePaths(moved);
    m_fileName = target;
    if (!save()) {
        m_fileName = previous;
        movePaths(before);
        return false;
    }
    m_isExample = false;
    setCurrentFile(QFileInfo(target).absoluteFilePath());
    QStringList rewritten;
    if (moved.source.database != before.source.database)
        rewritten.append(
            tr("database file %1").arg(QDir::toNativeSeparators(moved.source.database)));
    if (moved.target.caFile != before.target.caFile)
        rewritten.append(tr("CA file %1").arg(QDir::toNativeSeparators(moved.target.caFile)));
    if (!rewritten.isEmpty())
        statusBar()->showMessage(
            tr("Saved %1; it names the same files from its new folder: %2")
                .arg(QDir::toNativeSeparators(m_fileName), rewritten.join(tr("; "))),
            10000);
    return true;
}

void MainWindow::movePaths(const TransferSpec &spec)
{
    m_ui->connectionPanel->moveTo(spec.source.baseDir, spec.source.database);
    m_ui->targetPanel->moveTo(spec.source.baseDir, spec.target.caFile);
}

bool MainWindow::maybeSave()
{
    if (!isWindowModified())
        return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"), tr("The transfer has unsaved changes. Save them first?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::addRecentFile(const QString &fileName)
{
    QSettings settings;
    QStringList recent = settings.value(RecentFilesKey).toStringList();
    recent.removeAll(fileName);
    recent.prepend(fileName);
    while (recent.size() > MaxRecentFiles)
        recent.removeLast();
    settings.setValue(RecentFilesKey, recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    QMenu *menu = m_ui->menuRecent;
    menu->clear();
    const QStringList recent = QSettings().value(RecentFilesKey).toStringList();
    int number = 0;
    for (const QString &fileName : recent) {
        QAction *action = menu->addAction(
            QStringLiteral("&%1 %2").arg(++number).arg(QDir::toNativeSeparators(fileName)));
        connect(action, &QAction::triggered, this, [this, fileName] {
            if (maybeSave())
                openFile(fileName);
        });
    }
    menu->setEnabled(!recent.isEmpty());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState());
    settings.setValue(TabKey, m_ui->tabs->currentIndex());
    event->accept();
}

} // namespace sluice
