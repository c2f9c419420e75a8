// SPDX-License-Identifier: GPL-3.0-or-later
// The main window as a steward meets it: the example on first start, pointed at the
// built-in demo API; open, edit, save and reopen a transfer file; unsaved changes.

#include "mainwindow.h"
#include "modalwatch.h"
#include "querypanel.h"
#include "runpanel.h"
#include "targetpanel.h"

#include "models/eventlogmodel.h"
#include "models/failuregroupmodel.h"
#include "models/previewmodel.h"
#include "models/transferstatusmodel.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

using namespace sluice;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void firstStartOpensTheExampleOnTheBuiltInApi();
    void firstStartBannerSaysWhatStartWillDo();
    void toolbarStartsFromEveryStep_data();
    void toolbarStartsFromEveryStep();
    void saveAndReopenRoundTrip();
    void editingMarksTheWindowModified();
    void brokenFileIsReportedAndNothingChanges();
    void breakTheExampleSeeWhyAndRetry();
    void parameterOfTheWrongTypeStopsTheRun();
    void transformStepPreviewsALocalFileByItself();

private:
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SluiceTest"));
    QCoreApplication::setApplicationName(QStringLiteral("SluiceTest"));
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::firstStartOpensTheExampleOnTheBuiltInApi()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.currentFile().endsWith(QLatin1String("example/sensors-to-demo-api.json")));
    const TransferSpec spec = window.currentSpec();
    QCOMPARE(spec.source.driver, QStringLiteral("QSQLITE"));
    QVERIFY(QFileInfo::exists(spec.source.resolvedDatabase()));
    QCOMPARE(spec.query.parameters.value(QStringLiteral("since")).toString(),
             QStringLiteral("2024-01-01"));
    // Once the built-in API listens, the example points at it (whatever port it got).
    QTRY_VERIFY(window.statusBar()->currentMessage().contains(QLatin1String("demo API listening")));
    const QString port = QRegularExpression(QStringLiteral("127\\.0\\.0\\.1:(\\d+)/"))
                             .match(window.statusBar()->currentMessage())
                             .captured(1);
    QVERIFY(!port.isEmpty());
    QTRY_COMPARE(window.currentSpec().target.url,
                 QStringLiteral("http://127.0.0.1:%1/sensors/_doc").arg(port));
    QVERIFY(!window.isModified());
}

void TestMainWindow::firstStartBannerSaysWhatStartWillDo()
{
    // A start as the very first: the example opens with a note above the steps.
    QSettings().clear();
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.isExampleBannerShown());
    auto *text = window.findChild<QLabel *>(QStringLiteral("exampleBannerText"));
    QVERIFY(text);
    // The example's query returns 240 rows: the count arrives from the database.
    QTRY_VERIFY2(text->text().contains(QLatin1String("240 rows")), qPrintable(text->text()));
    QVERIFY(text->text().contains(QLatin1String("Press Start")));
    QCOMPARE(text->accessibleName(), text->text());
    // Its Start button is the run's Start: pressing it runs the example and the note goes.
    auto *start = window.findChild<QToolButton *>(QStringLiteral("exampleStartButton"));
    QVERIFY(start && start->isVisible());
    auto *run = window.findChild<RunPanel *>();
    QTRY_VERIFY(window.findChild<QAction *>(QStringLiteral("actionDemoRejecting"))->isEnabled());
    start->click();
    QVERIFY(run->run());
    QVERIFY(!window.isExampleBannerShown());
    QTRY_COMPARE_WITH_TIMEOUT(run->run()->state(), TransferRun::State::Finished, 30000);
    QCOMPARE(run->model()->count(ItemStatus::Delivered), 240);

    // Not on the next start; dismissed, it is gone.
    MainWindow second;
    QVERIFY(!second.isExampleBannerShown());
    QSettings().clear();
    MainWindow third;
    third.show();
    QVERIFY(third.isExampleBannerShown());
    third.findChild<QPushButton *>(QStringLiteral("exampleDismissButton"))->click();
    QVERIFY(!third.isExampleBannerShown());
}

void TestMainWindow::toolbarStartsFromEveryStep_data()
{
    QTest::addColumn<int>("step");
    for (int step = 0; step < 5; ++step)
        QTest::addRow("step %d", step + 1) << step;
}

void TestMainWindow::toolbarStartsFromEveryStep()
{
    QFETCH(int, step);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.findChild<QAction *>(QStringLiteral("actionOpenExample"))->trigger();
    QTRY_VERIFY(window.findChild<QAction *>(QStringLiteral("actionDemoRejecting"))->isEnabled());
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
    tabs->setCurrentIndex(step);

    // The toolbar is there on every step, with Start, Pause, Cancel and Retry all failed,
    // each with an icon and its text.
    QToolBar *bar = window.mainToolBar();
    QVERIFY(bar && bar->isVisible());
    QStringList texts;
    for (QAction *action : bar->actions()) {
        if (action->isSeparator())
            continue;
        texts.append(action->text().remove(u'&'));
        QVERIFY(!action->icon().isNull());
        auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(action));
        QVERIFY(button && button->isVisible());
        QCOMPARE(button->toolButtonStyle(), Qt::ToolButtonTextBesideIcon);
    }
    QCOMPARE(texts,
             (QStringList {QStringLiteral("Start"), QStringLiteral("Pause"),
                           QStringLiteral("Cancel"), QStringLiteral("Retry all failed")}));

    auto *run = window.findChild<RunPanel *>();
    auto *start = qobject_cast<QToolButton *>(bar->widgetForAction(run->startAction()));
    QVERIFY(start->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(run->run());
    QCOMPARE(tabs->currentWidget(), run); // the Run step comes forward
    QTRY_COMPARE_WITH_TIMEOUT(run->run()->state(), TransferRun::State::Finished, 30000);
    QCOMPARE(run->model()->count(ItemStatus::Delivered), 240);
}

void TestMainWindow::saveAndReopenRoundTrip()
{
    MainWindow window;
    TransferSpec spec = window.currentSpec();
    spec.query.parameters.insert(QStringLiteral("since"), QStringLiteral("2024-03-01"));
    spec.run.concurrency = 24;
    spec.target.method = QStringLiteral("PUT");
    spec.target.url = QStringLiteral("http://127.0.0.1:9999/sensors/_doc/{{id}}");
    window.setSpec(spec);
    const QString file = m_dir.filePath(QStringLiteral("saved.json"));
    QVERIFY(window.saveAs(file));
    QCOMPARE(window.currentFile(), file);
    QVERIFY(!window.isModified());

    TransferSpec loaded;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::load(file, &loaded, &errors));
    spec.source.baseDir = loaded.source.baseDir;
    // The example's database path is relative to the example folder; saved elsewhere it
    // must still find the same file.
    QCOMPARE(loaded.query, spec.query);
    QCOMPARE(loaded.transform, spec.transform);
    QCOMPARE(loaded.target, spec.target);
    QCOMPARE(loaded.run, spec.run);

    MainWindow second;
    QVERIFY(second.openFile(file));
    QCOMPARE(second.currentSpec().run.concurrency, 24);
    QCOMPARE(second.currentSpec().target.method, QStringLiteral("PUT"));
    QCOMPARE(second.currentSpec().query, spec.query);
    // The most recent file opens on the next start.
    MainWindow third;
    QCOMPARE(third.currentFile(), file);
}

void TestMainWindow::editingMarksTheWindowModified()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.isModified());
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
    QVERIFY(tabs);
    auto *target = window.findChild<TargetPanel *>();
    tabs->setCurrentWidget(target);
    QLineEdit *url = nullptr;
    for (QLineEdit *edit : target->findChildren<QLineEdit *>()) {
        if (edit->text().startsWith(QLatin1String("http")))
            url = edit;
    }
    QVERIFY2(url, "the target panel shows the URL in a line edit");
    url->setFocus();
    url->end(false);
    QTest::keyClicks(url, QStringLiteral("x"));
    QTRY_VERIFY(window.isModified());
    QVERIFY(window.windowTitle().contains(QLatin1String("[*]")) || window.isWindowModified());
}

void TestMainWindow::brokenFileIsReportedAndNothingChanges()
{
    MainWindow window;
    const TransferSpec before = window.currentSpec();
    const QString file = m_dir.filePath(QStringLiteral("broken.json"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"version\": 1, \"source\": {\"driver\": \"QSQLITE\"}}");
    f.close();
    // The warning box would block: close it as soon as it shows.
    whenModalShows(this, [](QWidget *modal) { modal->close(); });
    QVERIFY(!window.openFile(file));
    QCOMPARE(window.currentSpec().query, before.query);
    QVERIFY(window.currentFile() != file);
}

void TestMainWindow::breakTheExampleSeeWhyAndRetry()
{
    // The "done when" of the desktop app: run the example, break it, see why, retry.
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.findChild<QAction *>(QStringLiteral("actionOpenExample"))->trigger();
    QVERIFY(window.currentFile().endsWith(QLatin1String("sensors-to-demo-api.json")));
    auto *rejecting = window.findChild<QAction *>(QStringLiteral("actionDemoRejecting"));
    QVERIFY(rejecting);
    QTRY_VERIFY(rejecting->isEnabled()); // once the built-in API listens
    rejecting->trigger();
    QVERIFY2(window.currentSpec().target.url.contains(QLatin1String("/fail/422/sensors/_doc")),
             qPrintable(window.currentSpec().target.url));
    QVERIFY(window.isModified());

    auto *run = window.findChild<RunPanel *>();
    QVERIFY(run);
    const int items = 240; // the example's rows since 2024-01-01
    QTest::keyClick(&window, Qt::Key_F5);
    QVERIFY(run->run());
    QTRY_COMPARE_WITH_TIMEOUT(run->run()->state(), TransferRun::State::Finished, 30000);
    QCOMPARE(run->model()->count(ItemStatus::Failed), items);
    // Why: one cause, with the API's own words, in the groups, the log and the item.
    QTRY_COMPARE(run->failureGroups()->rowCount(), 1);
    QCOMPARE(run->failureGroups()
                 ->index(0, FailureGroupModel::Count)
                 .data(FailureGroupModel::CountRole)
                 .toInt(),
             items);
    QVERIFY(run->failureGroups()
                ->index(0, FailureGroupModel::Status)
                .data()
                .toString()
                .contains(QLatin1String("422")));
    // Started, where its journal is, the protocol, one line per failed item, finished.
    QTRY_COMPARE(run->logModel()->rowCount(), items + 4);
    QVERIFY(run->showItem(run->model()->idAt(0)));
    QVERIFY(window.findChild<QPlainTextEdit *>(QStringLiteral("responseEdit"))
                ->toPlainText()
                .contains(QLatin1String("rejected by the demo API")));

    // The steward fixes the target and retries only the failed items: asked where they go,
    // they choose the changed target.
    window.findChild<QAction *>(QStringLiteral("actionDemoReliable"))->trigger();
    bool asked = false;
    whenModalShows(this, [&asked](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        for (QAbstractButton *button : box ? box->buttons() : QList<QAbstractButton *>()) {
            if (button->text().remove(u'&').contains(QLatin1String("Changed Target"))) {
                asked = true;
                button->click();
                return;
            }
        }
        modal->close();
    });
    QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
    QVERIFY(asked);
    QTRY_COMPARE_WITH_TIMEOUT(run->model()->count(ItemStatus::Delivered), items, 30000);
    QTRY_COMPARE(run->run()->state(), TransferRun::State::Finished);
    QVERIFY(!run->run()->spec().target.url.contains(QLatin1String("fail")));

    // A flaky API: some items fail even after the automatic retries; Retry all failed
    // (Ctrl+R) until every item is delivered.
    window.findChild<QAction *>(QStringLiteral("actionDemoFlaky"))->trigger();
    QVERIFY(window.currentSpec().target.url.contains(QLatin1String("/flaky/30/sensors/_doc")));
    QTest::keyClick(&window, Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(run->run()->state(), TransferRun::State::Finished, 30000);
    QCOMPARE(run->model()->count(ItemStatus::Delivered) + run->model()->count(ItemStatus::Failed),
             items);
    for (int round = 0; round < 10 && run->model()->count(ItemStatus::Failed) > 0; ++round) {
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(run->run()->state(), TransferRun::State::Finished, 30000);
    }
    QCOMPARE(run->model()->count(ItemStatus::Delivered), items);
    // Back to the reliable endpoint: the example's own URL again.
    window.findChild<QAction *>(QStringLiteral("actionDemoReliable"))->trigger();
    QVERIFY(window.currentSpec().target.url.endsWith(QLatin1String("/sensors/_doc")));
    QVERIFY(!window.currentSpec().target.url.contains(QLatin1String("flaky")));
}

void TestMainWindow::parameterOfTheWrongTypeStopsTheRun()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    TransferSpec spec = window.currentSpec();
    spec.query.sql.append(QStringLiteral(" LIMIT :most"));
    spec.query.parameters.insert(QStringLiteral("most"), qlonglong(5));
    window.setSpec(spec);
    auto *query = window.findChild<QueryPanel *>();
    auto *table = query->findChild<QTableWidget *>(QStringLiteral("parametersTable"));
    QTRY_COMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(1, 0)->text(), QStringLiteral(":most"));
    table->item(1, 1)->setText(QStringLiteral("five"));

    // Start is refused with the message sluice run --set gives, on the Query tab.
    QString shown;
    whenModalShows(this, [&shown](QWidget *modal) {
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            shown = box->text();
        modal->close();
    });
    QTest::keyClick(&window, Qt::Key_F5);
    QVERIFY2(shown.contains(QStringLiteral("Query step, parameter :most: &quot;five&quot; is "
                                           "not an integer")),
             qPrintable(shown));
    QCOMPARE(window.findChild<QTabWidget *>(QStringLiteral("tabs"))->currentWidget(), query);
    auto *run = window.findChild<RunPanel *>();
    QVERIFY(!run->run());
}

void TestMainWindow::transformStepPreviewsALocalFileByItself()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.findChild<QAction *>(QStringLiteral("actionOpenExample"))->trigger();
    auto *query = window.findChild<QueryPanel *>();
    QVERIFY(query);
    QVERIFY(!query->hasPreview());
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
    QTest::keyClick(&window, Qt::Key_3, Qt::AltModifier);
    QCOMPARE(tabs->currentWidget(), window.findChild<QWidget *>(QStringLiteral("transformPanel")));
    QTRY_COMPARE(query->previewModel()->rowCount(), QueryPanel::PreviewRows);
    auto *json = window.findChild<QPlainTextEdit *>(QStringLiteral("previewView"));
    QVERIFY(json);
    // The first row of the example (id 11, the first measured since 2024-01-01).
    QTRY_VERIFY2(json->toPlainText().contains(QLatin1String("\"id\": 11")),
                 qPrintable(json->toPlainText()));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
