// SPDX-License-Identifier: GPL-3.0-or-later
// Runs in the desktop app keep journals, and the app goes on from them (issue 10, item 2):
// every run writes one in the data folder; an interrupted run (`sluice run` killed with
// SIGKILL) is offered on the next start and finishes when accepted; File > Open Run… lists
// past runs, shows one's items in the Run tab, retries its failed items and deletes
// journals. The real MainWindow and `sluice` (SLUICE_BINARY) against a TestSink that takes
// items by key (PUT .../{{id}}). The data and settings folders are this test's own.
//
// With SLUICE_SCREENSHOT_DIR set (and a real display, e.g. under xvfb-run with
// QT_QPA_PLATFORM=xcb) the Open Run dialog is saved there as openrun.png, the window
// offering to resume as resumeoffer.png.

#include "mainwindow.h"
#include "openrundialog.h"
#include "runpanel.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include "journal/journalfile.h"
#include "log/eventlog.h"
#include "models/failuregroupmodel.h"
#include "models/runlistmodel.h"
#include "models/transferstatusmodel.h"
#include "spec/transferspec.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <functional>
#include <memory>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

constexpr int Rows = 400;
constexpr int Timeout = 60000;

/// The item id (row number - 1) a PUT to .../docs/{{id}} is for.
qint64 idOf(const TestSink::Request &request)
{
    return request.path.section(u'/', -1).toLongLong() - 1;
}

/// The mnemonics shown together in widget (visible, enabled buttons and labels with
/// buddies) and, for a main window, its menu bar: "Alt+X is taken by A and B" for each clash.
QStringList mnemonicClashes(QWidget *widget)
{
    QMap<QString, QStringList> owners;
    const auto add = [&owners](const QString &text) {
        const QKeySequence key = QKeySequence::mnemonic(text);
        if (!key.isEmpty())
            owners[key.toString()].append(text);
    };
    const QList<QWidget *> widgets = widget->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisible() || !w->isEnabled())
            continue;
        if (auto *label = qobject_cast<QLabel *>(w); label && label->buddy())
            add(label->text());
        else if (auto *button = qobject_cast<QAbstractButton *>(w))
            add(button->text());
    }
    if (auto *window = qobject_cast<QMainWindow *>(widget)) {
        const QList<QAction *> menus = window->menuBar()->actions();
        for (QAction *menu : menus)
            add(menu->text());
    }
    QStringList clashes;
    for (auto it = owners.cbegin(); it != owners.cend(); ++it) {
        if (it->size() > 1)
            clashes.append(u"%1 is taken by %2"_s.arg(it.key(), it->join(u" and "_s)));
    }
    return clashes;
}

/// Focusable controls in widget without an accessible name (or a text that names them).
QStringList unnamedControls(QWidget *widget)
{
    QStringList unnamed;
    const QList<QWidget *> widgets = widget->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if ((w->focusPolicy() & Qt::TabFocus) != Qt::TabFocus || !w->isVisible()
            || qobject_cast<QAbstractScrollArea *>(w->parentWidget()))
            continue;
        auto *button = qobject_cast<QAbstractButton *>(w);
        if (w->accessibleName().trimmed().isEmpty() && !(button && !button->text().isEmpty()))
            unnamed.append(w->objectName() + u" ("_s + QLatin1String(w->metaObject()->className())
                           + u')');
    }
    return unnamed;
}

} // namespace

class TestAppResume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void aRunInTheAppWritesAJournal();
    void anInterruptedRunIsOfferedOnStartAndFinishes();
    void openRunShowsFailuresAndRetriesThem();
    void deleteRemovesTheJournalFiles();

private:
    TransferSpec makeSpec() const;
    /// Shows window and waits until its built-in demo API listens (the example's URL is
    /// pointed at it then, which must not happen to a transfer set afterwards).
    void showWindow(MainWindow &window);
    /// Starts the run the forms describe and waits for its end.
    void runInApp(MainWindow &window);
    /// The sink's answer for every request: recorded, delayed by m_delayMs, 422 for the
    /// ids in m_rejected.
    TestSink::Reply answer(const TestSink::Request &request);

    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_db;
    int m_delayMs = 0;
    QSet<qint64> m_rejected;
    QList<qint64> m_sent; ///< ids of the requests the sink received, in order
    QSet<qint64> m_accepted; ///< ids the sink answered 2xx, ever
};

void TestAppResume::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    m_sink.setHandler([this](const TestSink::Request &request) { return answer(request); });
    // This test's own folders (see main()): journals of other tests are not in them.
    QVERIFY2(JournalFile::defaultFolder().startsWith(qEnvironmentVariable("XDG_DATA_HOME")),
             qPrintable(JournalFile::defaultFolder()));
    QVERIFY(!QFileInfo::exists(JournalFile::defaultFolder()));
    QList<QVariantList> rows;
    for (int i = 1; i <= Rows; ++i)
        rows.append({i, u"sensor %1"_s.arg(i), i * 0.5});
    QString error;
    m_db = SqliteFixture::create(
        m_dir.path(), u"rows.db"_s,
        {u"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, value REAL)"_s}, u"t"_s, rows,
        &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

TestSink::Reply TestAppResume::answer(const TestSink::Request &request)
{
    TestSink::Reply reply;
    const qint64 id = idOf(request);
    m_sent.append(id);
    reply.delayMs = m_delayMs;
    if (m_rejected.contains(id)) {
        reply.status = 422;
        reply.body = "{\"error\":\"value out of range\"}";
    } else {
        m_accepted.insert(id);
    }
    return reply;
}

TransferSpec TestAppResume::makeSpec() const
{
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = m_db;
    spec.query.sql = u"SELECT id, name, value FROM t ORDER BY id"_s;
    spec.transform.present = true;
    spec.transform.key = u"{{id}}"_s;
    spec.transform.templ = R"({"id":"{{id}}","name":"{{name}}","value":"{{value}}"})";
    spec.target.url = m_sink.url().toString() + u"docs/{{id}}"_s;
    spec.target.method = u"PUT"_s;
    spec.run.chunkSize = 50;
    spec.run.concurrency = 4;
    spec.run.maxRetries = 0;
    return spec;
}

void TestAppResume::showWindow(MainWindow &window)
{
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.findChild<QMenu *>(u"menuDemo"_s)->isEnabled());
}

void TestAppResume::runInApp(MainWindow &window)
{
    auto *panel = window.findChild<RunPanel *>();
    panel->startAction()->trigger();
    QVERIFY(panel->run());
    QTRY_COMPARE_WITH_TIMEOUT(panel->run()->state(), TransferRun::State::Finished, Timeout);
}

void TestAppResume::aRunInTheAppWritesAJournal()
{
    MainWindow window;
    showWindow(window);
    window.setSpec(makeSpec());
    auto *panel = window.findChild<RunPanel *>();
    // Nothing to resume in an empty data folder: no offer.
    QTest::qWait(50);
    QVERIFY(panel->offeredRun().isEmpty());
    QVERIFY(!panel->findChild<QWidget *>(u"resumeBanner"_s)->isVisible());

    m_sent.clear();
    runInApp(window);
    QCOMPARE(panel->model()->count(ItemStatus::Delivered), Rows);
    const QString journal = panel->journalFile();
    QCOMPARE(QFileInfo(journal).absolutePath(), JournalFile::defaultFolder());
    QVERIFY2(journal.endsWith(u".sluicerun"_s), qPrintable(journal));
    // Named after the transfer file the forms came from.
    QVERIFY2(QFileInfo(journal).fileName().startsWith(
                 QFileInfo(window.currentFile()).completeBaseName()),
             qPrintable(journal));

    // The Run tab says where it is.
    const EventLog &log = *panel->eventLog();
    bool logged = false;
    for (qsizetype i = 0; i < log.size(); ++i)
        logged
            = logged || log.at(i).text == u"Journal: %1"_s.arg(QDir::toNativeSeparators(journal));
    QVERIFY(logged);

    QString error;
    const auto summary = JournalFile::readSummary(journal, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, Rows);
    QCOMPARE(summary->end, JournalEnd::Completed);
    QCOMPARE(summary->transferFile, window.currentFile());
    int delivered = 0;
    QVERIFY(JournalFile::forEachItem(
        journal,
        [&](const JournalItem &item) { delivered += item.status == ItemStatus::Delivered; },
        &error));
    QCOMPARE(delivered, Rows);
}

void TestAppResume::anInterruptedRunIsOfferedOnStartAndFinishes()
{
    const QString sluice = qEnvironmentVariable("SLUICE_BINARY");
    QVERIFY2(QFileInfo(sluice).isExecutable(), "SLUICE_BINARY must name sluice (run via ctest)");
    const QString transfer = m_dir.filePath(u"killed.json"_s);
    QString error;
    QVERIFY2(makeSpec().save(transfer, &error), qPrintable(error));
    const QString journal = QDir(JournalFile::defaultFolder()).filePath(u"killed.sluicerun"_s);

    // `sluice run` sends at about 400 items/s; killed (SIGKILL) a quarter of the way.
    m_delayMs = 10;
    m_sent.clear();
    m_accepted.clear();
    QProcess process;
    process.start(sluice, {u"run"_s, transfer, u"--journal"_s, journal});
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
    QElapsedTimer clock;
    clock.start();
    while (process.state() != QProcess::NotRunning && m_accepted.size() < Rows / 4
           && clock.elapsed() < Timeout)
        QTest::qWait(2); // the sink answers on this thread's event loop
    QVERIFY2(process.state() == QProcess::Running,
             qPrintable(QString::fromUtf8(process.readAllStandardError())));
    process.kill();
    QVERIFY(process.waitForFinished(5000));
    m_delayMs = 0;
    QTest::qWait(100); // answers still on their way go nowhere

    const auto before = JournalFile::readSummary(journal, &error);
    QVERIFY2(before, qPrintable(error));
    QCOMPARE(before->end, JournalEnd::None);
    QVERIFY(!before->inUse); // its process is gone
    QVERIFY2(before->delivered > 0 && before->delivered < Rows,
             qPrintable(QString::number(before->delivered)));
    QSet<qint64> deliveredBefore;
    QVERIFY(JournalFile::forEachItem(
        journal,
        [&](const JournalItem &item) {
            if (item.status == ItemStatus::Delivered)
                deliveredBefore.insert(item.item.id);
        },
        &error));
    QCOMPARE(deliveredBefore.size(), before->delivered);
    m_sent.clear();

    // The app, closed and reopened: it offers the run, in the Run tab.
    MainWindow window;
    showWindow(window);
    auto *panel = window.findChild<RunPanel *>();
    QTRY_COMPARE(panel->offeredRun(), journal);
    auto *banner = panel->findChild<QWidget *>(u"resumeBanner"_s);
    QVERIFY(banner->isVisible());
    QCOMPARE(window.findChild<QTabWidget *>(u"tabs"_s)->currentWidget(), panel);
    auto *label = panel->findChild<QLabel *>(u"resumeLabel"_s);
    QVERIFY2(label->text().contains(u"killed"_s) && label->text().contains(u"interrupted"_s),
             qPrintable(label->text()));
    QVERIFY2(mnemonicClashes(&window).isEmpty(), qPrintable(mnemonicClashes(&window).join(u'\n')));
    QVERIFY2(unnamedControls(banner).isEmpty(), qPrintable(unnamedControls(banner).join(u'\n')));
    if (const QString shots = qEnvironmentVariable("SLUICE_SCREENSHOT_DIR"); !shots.isEmpty())
        QVERIFY(window.grab().save(QDir(shots).filePath(u"resumeoffer.png"_s)));

    // Accepted: the same run goes on, in the same journal, and finishes.
    QTest::mouseClick(panel->findChild<QPushButton *>(u"resumeButton"_s), Qt::LeftButton);
    QVERIFY(!banner->isVisible());
    QVERIFY(panel->run());
    QCOMPARE(panel->journalFile(), journal);
    QCOMPARE(window.currentSpec().target.url, makeSpec().target.url); // the run's transfer
    QTRY_COMPARE_WITH_TIMEOUT(panel->run()->state(), TransferRun::State::Finished, Timeout);
    QVERIFY(panel->run()->counts().failed == 0);

    // Every row reached the sink, and nothing the journal held as delivered went again.
    QCOMPARE(m_accepted.size(), Rows);
    for (qint64 id : std::as_const(m_sent))
        QVERIFY2(!deliveredBefore.contains(id), qPrintable(u"item %1 was sent again"_s.arg(id)));
    // The Run tab shows every item of the run (from the journal and from the resume), once.
    TransferStatusModel *model = panel->model();
    QCOMPARE(model->rowCount(), Rows);
    QCOMPARE(model->count(ItemStatus::Delivered), Rows);
    QCOMPARE(panel->run()->counts().delivered, qint64(Rows));

    const auto after = JournalFile::readSummary(journal, &error);
    QVERIFY2(after, qPrintable(error));
    QCOMPARE(after->delivered, Rows);
    QCOMPARE(after->segments, 2);
    QCOMPARE(after->end, JournalEnd::Completed);
}

void TestAppResume::openRunShowsFailuresAndRetriesThem()
{
    const QSet<qint64> rejected {4, 99, 250};
    QString journal;
    {
        MainWindow window;
        showWindow(window);
        // The last run completed: nothing to offer.
        QTest::qWait(50);
        QVERIFY(window.findChild<RunPanel *>()->offeredRun().isEmpty());
        window.setSpec(makeSpec());
        m_rejected = rejected;
        runInApp(window);
        journal = window.findChild<RunPanel *>()->journalFile();
        QCOMPARE(window.findChild<RunPanel *>()->model()->count(ItemStatus::Failed), 3);

        // The app's own finished run still holds its journal: listed as it ended, selected,
        // not deletable while the Run tab shows it.
        window.showOpenRunDialog();
        auto *dialog = window.findChild<OpenRunDialog *>();
        QVERIFY(dialog);
        auto *view = dialog->findChild<QTreeView *>(u"runView"_s);
        QCOMPARE(view->currentIndex().data(RunListModel::FileNameRole).toString(), journal);
        QCOMPARE(view->currentIndex().siblingAtColumn(RunListModel::Ended).data().toString(),
                 u"Completed with failures"_s);
        QVERIFY(!dialog->findChild<QPushButton *>(u"deleteButton"_s)->isEnabled());
        QVERIFY(dialog->findChild<QPushButton *>(u"openButton"_s)->isEnabled());
        dialog->reject();
    }

    m_rejected.clear(); // the API was fixed
    MainWindow window;
    showWindow(window);
    QTest::qWait(50);
    auto *panel = window.findChild<RunPanel *>();
    QVERIFY(panel->offeredRun().isEmpty());
    window.findChild<QAction *>(u"actionOpenRun"_s)->trigger();
    auto *dialog = window.findChild<OpenRunDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    new QAbstractItemModelTester(dialog->model(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, dialog);
    QCOMPARE(dialog->model()->rowCount(), 3); // the first test's, the killed one, this one
    // Newest first, and it is selected.
    auto *view = dialog->findChild<QTreeView *>(u"runView"_s);
    QCOMPARE(view->currentIndex().data(RunListModel::FileNameRole).toString(), journal);
    const auto cell = [&](RunListModel::Column column) {
        return view->currentIndex().siblingAtColumn(column).data().toString();
    };
    QCOMPARE(cell(RunListModel::Delivered), QLocale().toString(Rows - 3));
    QCOMPARE(cell(RunListModel::Failed), u"3"_s);
    QCOMPARE(cell(RunListModel::Owed), u"0"_s);
    QCOMPARE(cell(RunListModel::Ended), u"Completed with failures"_s);
    auto *resume = dialog->findChild<QPushButton *>(u"resumeButton"_s);
    QVERIFY(!resume->isEnabled()); // it owes nothing
    QVERIFY2(mnemonicClashes(dialog).isEmpty(), qPrintable(mnemonicClashes(dialog).join(u'\n')));
    QVERIFY2(unnamedControls(dialog).isEmpty(), qPrintable(unnamedControls(dialog).join(u'\n')));

    QTest::mouseClick(dialog->findChild<QPushButton *>(u"openButton"_s), Qt::LeftButton);
    QTRY_VERIFY(!window.findChild<OpenRunDialog *>());
    QCOMPARE(window.findChild<QTabWidget *>(u"tabs"_s)->currentWidget(), panel);
    QVERIFY(!panel->run()); // only shown: nothing runs
    QVERIFY(panel->offeredRun().isEmpty());
    TransferStatusModel *model = panel->model();
    QCOMPARE(model->rowCount(), Rows);
    QCOMPARE(model->count(ItemStatus::Delivered), Rows - 3);
    QCOMPARE(model->count(ItemStatus::Failed), 3);
    for (qint64 id : rejected) {
        const int row = model->rowForId(id);
        QCOMPARE(model->statusAt(row), ItemStatus::Failed);
        QVERIFY2(model->errorAt(row).contains(u"422"_s), qPrintable(model->errorAt(row)));
        QVERIFY(model->resultAt(row).responseBody.contains("value out of range"));
        QVERIFY(!model->payloadFor(id).isEmpty());
    }
    QTRY_COMPARE(panel->failureGroups()->rowCount(), 1);
    QVERIFY(panel->failureGroups()
                ->index(0, FailureGroupModel::Message)
                .data()
                .toString()
                .contains(u"value out of range"_s));
    QCOMPARE(panel->findChild<QLabel *>(u"stateLabel"_s)->text().contains(u"Completed"_s), true);
    // The forms show the run's transfer.
    QCOMPARE(window.currentSpec().target.url, makeSpec().target.url);
    QVERIFY(window.currentFile().isEmpty());

    // Retry all failed: they go again, in the run's journal, and are delivered.
    QVERIFY(panel->retryFailedAction()->isEnabled());
    m_sent.clear();
    panel->retryFailedAction()->trigger();
    QVERIFY(panel->run());
    QTRY_COMPARE_WITH_TIMEOUT(panel->run()->state(), TransferRun::State::Finished, Timeout);
    QTRY_COMPARE(model->count(ItemStatus::Delivered), Rows);
    QCOMPARE(QSet<qint64>(m_sent.cbegin(), m_sent.cend()), rejected);
    QCOMPARE(m_sent.size(), 3);
    QCOMPARE(panel->run()->counts().delivered, qint64(Rows));
    QCOMPARE(panel->run()->counts().failed, 0);
    QCOMPARE(panel->journalFile(), journal);
    QString error;
    const auto summary = JournalFile::readSummary(journal, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->delivered, Rows);
    QCOMPARE(summary->failed, 0);
    QCOMPARE(summary->end, JournalEnd::Completed);
}

void TestAppResume::deleteRemovesTheJournalFiles()
{
    // A run cancelled half-way: it owes items, so the next start offers it.
    QString journal;
    {
        MainWindow window;
        showWindow(window);
        window.setSpec(makeSpec());
        auto *panel = window.findChild<RunPanel *>();
        m_delayMs = 20;
        m_accepted.clear();
        panel->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_accepted.size() >= 40, Timeout);
        panel->cancelAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(panel->run()->state(), TransferRun::State::Finished, Timeout);
        m_delayMs = 0;
        journal = panel->journalFile();
    }
    MainWindow window;
    showWindow(window);
    auto *panel = window.findChild<RunPanel *>();
    QTRY_COMPARE(panel->offeredRun(), journal);

    window.showOpenRunDialog();
    auto *dialog = window.findChild<OpenRunDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->model()->rowCount(), 4);
    QVERIFY(dialog->selectRun(journal));
    auto *view = dialog->findChild<QTreeView *>(u"runView"_s);
    QCOMPARE(view->currentIndex().siblingAtColumn(RunListModel::Ended).data().toString(),
             u"Cancelled"_s);
    QVERIFY(dialog->findChild<QPushButton *>(u"resumeButton"_s)->isEnabled());
    const QString shots = qEnvironmentVariable("SLUICE_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
        QTest::qWait(200);
        QVERIFY(dialog->grab().save(QDir(shots).filePath(u"openrun.png"_s)));
    }

    // Delete asks first; the journal and every file beside it go.
    const QStringList files {journal, journal + u"-wal"_s, journal + u"-shm"_s,
                             JournalFile::lockFileName(journal)};
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"deleteButton"_s), Qt::LeftButton);
    QMessageBox *question = nullptr;
    QTRY_VERIFY((question = dialog->findChild<QMessageBox *>(u"deleteQuestion"_s)));
    QVERIFY(QFileInfo::exists(journal)); // not before the answer
    QAbstractButton *remove = nullptr;
    for (QAbstractButton *button : question->buttons()) {
        if (question->buttonRole(button) == QMessageBox::DestructiveRole)
            remove = button;
    }
    QVERIFY(remove);
    remove->click();
    QTRY_COMPARE(dialog->model()->rowCount(), 3);
    for (const QString &file : files)
        QVERIFY2(!QFileInfo::exists(file), qPrintable(file));
    QCOMPARE(dialog->model()->rowForFile(journal), -1);
    QCOMPARE(JournalFile::listRuns(JournalFile::defaultFolder()).size(), 3);
    dialog->reject();
}

int main(int argc, char *argv[])
{
    // Journals and settings in folders of this test's own, set before anything reads them.
    QTemporaryDir home;
    if (!home.isValid())
        return 1;
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toLocal8Bit());
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"SluiceResumeTest"_s);
    QCoreApplication::setApplicationName(u"SluiceResumeTest"_s);
    TestAppResume test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_appresume.moc"
