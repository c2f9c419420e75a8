// SPDX-License-Identifier: GPL-3.0-or-later
// What a new user met trying the app with nothing but the window: Save As into another
// folder, a filter left from an earlier run, and the words Start uses for a problem.

#include "connectionpanel.h"
#include "itemdetailsview.h"
#include "mainwindow.h"
#include "modalwatch.h"
#include "models/eventlogmodel.h"
#include "palette.h"
#include "requirechild.h"
#include "runpanel.h"
#include "specerrortext.h"
#include "sqlitefixture.h"
#include "testsink.h"
#include "transformpanel.h"

#include "models/failuregroupmodel.h"
#include "models/transferstatusmodel.h"
#include "net/cafile.h"

#include <QAccessible>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {
constexpr int Rows = 60;
constexpr int Timeout = 30000;
} // namespace

class TestNewUser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void saveAsElsewhereKeepsTheSameFiles();
    void oldFilterNeverHidesANewRun();
    void anotherTransferClearsTheFilter();
    void startSpeaksOfStepsAndFields();
    void labelsReachAssistiveTechnology();
    void exportAnswersBesideItsButton();
    void targetMessageGoesWithTheTarget();
    void retriedItemStaysInTheDetails();
    void longMessagesAreReadWhole();
    void countersMoveWithTheTable();

private:
    TransferSpec makeSpec() const;
    /// A RunPanel running makeSpec() against m_sink; every tenth item fails (503) while
    /// m_failing holds.
    std::unique_ptr<RunPanel> makePanel();
    void startAndWait(RunPanel *panel);

    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_db;
    bool m_failing = false;
    QString m_errorText = u"busy, try later"_s; ///< the API's error while m_failing
};

/// With NEWUSER_GRAB set to a folder, saves a picture of widget there as name.png (to look at
/// what a steward sees; scripts and reviews use it, the checks do not).
static void grabFor(QWidget *widget, const char *name)
{
    const QString folder = qEnvironmentVariable("NEWUSER_GRAB");
    if (!folder.isEmpty())
        widget->grab().save(QDir(folder).filePath(QLatin1String(name) + u".png"_s));
}

void TestNewUser::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"SluiceTestNewUser"_s);
    QCoreApplication::setApplicationName(u"SluiceTestNewUser"_s);
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QString error;
    m_db = SqliteFixture::numbered(m_dir.path(), u"rows.db"_s, Rows, u"sensor-%1"_s, &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
    m_sink.setHandler([this](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (m_failing && r.jsonId.toInt() % 10 == 0) {
            reply.status = 503;
            reply.body = QJsonDocument(QJsonObject {{u"error"_s, m_errorText}})
                             .toJson(QJsonDocument::Compact);
        }
        return reply;
    });
}

TransferSpec TestNewUser::makeSpec() const
{
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = m_db;
    spec.query.sql = u"SELECT id, name FROM t ORDER BY id"_s;
    spec.transform.present = true;
    spec.transform.key = u"{{name}}"_s;
    spec.transform.templ = R"({"id":"{{id}}"})";
    spec.target.url = m_sink.url().toString() + u"items"_s;
    spec.run.concurrency = 4;
    spec.run.maxRetries = 0;
    return spec;
}

std::unique_ptr<RunPanel> TestNewUser::makePanel()
{
    auto panel = std::make_unique<RunPanel>();
    panel->resize(1100, 650);
    panel->setSpecProvider([this] { return std::optional<TransferSpec>(makeSpec()); });
    panel->model()->setFlushInterval(20);
    panel->show();
    return panel;
}

void TestNewUser::startAndWait(RunPanel *panel)
{
    QTest::mouseClick(requireChild<QToolButton>(panel, "startButton"), Qt::LeftButton);
    QVERIFY(panel->run());
    QTRY_COMPARE_WITH_TIMEOUT(panel->run()->state(), TransferRun::State::Finished, Timeout);
}

void TestNewUser::saveAsElsewhereKeepsTheSameFiles()
{
    MainWindow window;
    // The example names its database relative to its folder ("sensors.db"); give it a CA
    // file named the same way.
    const QString exampleDir = QFileInfo(window.currentFile()).absolutePath();
    TransferSpec spec = window.currentSpec();
    QCOMPARE(spec.source.database, u"sensors.db"_s);
    const QString database = spec.source.resolvedDatabase();
    QVERIFY(QFileInfo::exists(database));
    QFile ca(exampleDir + u"/ca.pem"_s);
    QVERIFY(ca.open(QIODevice::WriteOnly));
    ca.close();
    spec.target.caFile = u"ca.pem"_s;
    window.setSpec(spec);

    QVERIFY(QDir(m_dir.path()).mkpath(u"elsewhere"_s));
    const QString file = m_dir.filePath(u"elsewhere/mine.json"_s);
    QVERIFY(window.saveAs(file));
    QVERIFY(!window.isModified());

    // The file saved names the same database and CA file, so reopening it and sluice run
    // (which loads it as TransferSpec::load does) find them.
    TransferSpec loaded;
    QList<SpecError> errors;
    QVERIFY(TransferSpec::load(file, &loaded, &errors));
    QCOMPARE(loaded.source.resolvedDatabase(), database);
    QCOMPARE(resolvedCaFile(loaded), exampleDir + u"/ca.pem"_s);
    // The window too, and it tells the steward what it rewrote.
    QCOMPARE(window.currentSpec().source.resolvedDatabase(), database);
    QCOMPARE(window.currentSpec().source.baseDir, m_dir.filePath(u"elsewhere"_s));
    QCOMPARE(window.findChild<QLineEdit *>(u"fileEdit"_s)->text(), database);
    QVERIFY2(window.statusBar()->currentMessage().contains(u"same files"_s),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.statusBar()->currentMessage().contains(database));
    // No "There is no file" under the field.
    QVERIFY(window.findChild<QLabel *>(u"fileMessage"_s)->isHidden());

    MainWindow reopened;
    QVERIFY(reopened.openFile(file));
    QCOMPARE(reopened.currentSpec().source.resolvedDatabase(), database);

    // Saved again beside the database, the path is relative to the folder once more.
    const QString beside = exampleDir + u"/again.json"_s;
    QVERIFY(window.saveAs(beside));
    QVERIFY(TransferSpec::load(beside, &loaded, &errors));
    QCOMPARE(loaded.source.database, u"sensors.db"_s);
    QCOMPARE(loaded.target.caFile, u"ca.pem"_s);
    QFile::remove(beside);
}

void TestNewUser::oldFilterNeverHidesANewRun()
{
    const auto panel = makePanel();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    auto *combo = requireChild<QComboBox>(panel.get(), "filterCombo");
    auto *search = requireChild<QLineEdit>(panel.get(), "searchEdit");
    auto *bar = requireChild<QWidget>(panel.get(), "filterBar");
    auto *barText = requireChild<QLabel>(panel.get(), "filterBarLabel");
    QVERIFY(bar->isHidden());

    m_failing = true;
    startAndWait(panel.get());
    QTRY_COMPARE(panel->model()->count(ItemStatus::Failed), Rows / 10);
    // "Show these items" of a failure group: Failed plus a search text.
    combo->setCurrentIndex(combo->findData(int(ItemStatus::Failed)));
    search->setText(u"busy"_s);
    QTRY_COMPARE(panel->proxyModel()->rowCount(), Rows / 10);
    // The filter says so, in words, above the table.
    QVERIFY(bar->isVisible());
    QTRY_COMPARE(barText->text(),
                 u"Showing only failed items whose key or error contains “busy”. 54 of 60 items "
                 u"are hidden."_s);
    grabFor(panel.get(), "filter-bar");

    // The API recovers; a new run shows all its items, with no filter left.
    m_failing = false;
    startAndWait(panel.get());
    QTRY_COMPARE(panel->model()->count(ItemStatus::Delivered), Rows);
    QCOMPARE(combo->currentIndex(), 0);
    QVERIFY(search->text().isEmpty());
    QCOMPARE(panel->proxyModel()->rowCount(), Rows);
    QVERIFY(bar->isHidden());

    // Show all items clears a filter in one click.
    search->setText(u"sensor-1"_s);
    QTRY_VERIFY(bar->isVisible());
    QCOMPARE(barText->text(),
             u"Showing only items whose key or error contains “sensor-1”. 49 of 60 items are "
             u"hidden."_s);
    QTest::mouseClick(requireChild<QPushButton>(panel.get(), "showAllButton"), Qt::LeftButton);
    QVERIFY(search->text().isEmpty());
    QCOMPARE(panel->proxyModel()->rowCount(), Rows);
    QVERIFY(bar->isHidden());
}

void TestNewUser::anotherTransferClearsTheFilter()
{
    MainWindow window;
    auto *panel = window.findChild<RunPanel *>();
    auto *combo = requireChild<QComboBox>(panel, "filterCombo");
    auto *search = requireChild<QLineEdit>(panel, "searchEdit");
    combo->setCurrentIndex(combo->findData(int(ItemStatus::Failed)));
    search->setText(u"x"_s);
    QVERIFY(window.saveAs(m_dir.filePath(u"other.json"_s)));
    QVERIFY(window.openFile(m_dir.filePath(u"other.json"_s)));
    QCOMPARE(combo->currentIndex(), 0);
    QVERIFY(search->text().isEmpty());
}

void TestNewUser::startSpeaksOfStepsAndFields()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // A template with a comma missing on its third line.
    auto *templ = requireChild<QPlainTextEdit>(&window, "templateEdit");
    templ->setPlainText(u"{\n  \"id\": \"{{id}}\",\n  \"value\": \"{{value}}\"\n  \"x\": 1\n}"_s);
    const QList<SpecError> own = window.findChild<TransformPanel *>()->errors();
    QCOMPARE(own.size(), 1);
    QCOMPARE(own.first().path, u"transform.template"_s);
    QVERIFY2(own.first().message.startsWith(u"not valid JSON, line 3, column 23: missing comma"_s),
             qPrintable(own.first().message));

    QString shown;
    whenModalShows(this, [&shown](QWidget *modal) {
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            shown = box->text();
        modal->close();
    });
    window.findChild<RunPanel *>()->startAction()->trigger();
    QTRY_VERIFY(!shown.isEmpty());
    QVERIFY2(shown.contains(
                 u"Transform step, Template: not valid JSON, line 3, column 23: missing comma"_s),
             qPrintable(shown));
    QVERIFY2(!shown.contains(u"is required"_s), qPrintable(shown));
    QVERIFY2(!shown.contains(u"transform.template"_s), qPrintable(shown));
    QCOMPARE(requireChild<QTabWidget>(&window, "tabs")->currentWidget(),
             window.findChild<TransformPanel *>());
    QVERIFY(!window.findChild<RunPanel *>()->run());

    // Fields, parameters and headers by the names the forms give them.
    QCOMPARE(SpecErrorText::place(u"run.concurrency"_s), u"Target step, Concurrency"_s);
    QCOMPARE(SpecErrorText::place(u"query.parameters.since"_s), u"Query step, parameter :since"_s);
    QCOMPARE(SpecErrorText::place(u"target.headersEnv.Authorization"_s),
             u"Target step, header Authorization"_s);
    QCOMPARE(SpecErrorText::place(u"source.database"_s), u"Connection step, Database"_s);
    QCOMPARE(SpecErrorText::place(u"source.shardKey.column"_s),
             u"Connection step, shardKey.column"_s);
    QCOMPARE(SpecErrorText::describe({{}, u"not JSON"_s}), u"not JSON"_s);
}

/// What a screen reader hears of widget: its accessible name and description.
static std::pair<QString, QString> heard(QWidget *widget)
{
    QAccessibleInterface *face = QAccessible::queryAccessibleInterface(widget);
    if (!face)
        return {};
    return {face->text(QAccessible::Name), face->text(QAccessible::Description)};
}

void TestNewUser::labelsReachAssistiveTechnology()
{
    const auto panel = makePanel();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    m_failing = true;
    startAndWait(panel.get());
    m_failing = false;
    QTRY_COMPARE(panel->model()->count(ItemStatus::Failed), Rows / 10);
    QTRY_COMPARE(heard(requireChild<QLabel>(panel.get(), "deliveredLabel")),
                 std::pair(u"Delivered items"_s, u"54 delivered"_s));
    QCOMPARE(heard(requireChild<QLabel>(panel.get(), "failedLabel")),
             std::pair(u"Failed items"_s, u"6 failed"_s));
    QCOMPARE(heard(requireChild<QLabel>(panel.get(), "stateLabel")),
             std::pair(u"Run state"_s, u"Finished with failures"_s));
    QVERIFY(heard(requireChild<QLabel>(panel.get(), "etaLabel")).second.startsWith(u"took "_s));

    // A run that cannot start: the error's words, not only "Run error".
    panel->setSpecProvider([this] {
        TransferSpec spec = makeSpec();
        spec.source.database = m_dir.filePath(u"missing.db"_s);
        return std::optional<TransferSpec>(spec);
    });
    startAndWait(panel.get());
    auto *error = requireChild<QLabel>(panel.get(), "runErrorLabel");
    QTRY_VERIFY(error->isVisible());
    const auto [name, description] = heard(error);
    QCOMPARE(name, u"Run error"_s);
    QVERIFY(!description.isEmpty());
    QCOMPARE(description, error->text().simplified());

    // The Transform step's problems, with their line and column.
    TransformPanel transform;
    transform.show();
    TransformSpec spec;
    spec.present = true;
    spec.templ = R"({"id":"{{id}}"})";
    transform.setTransform(spec);
    QTest::keyClicks(requireChild<QPlainTextEdit>(&transform, "templateEdit"), u"x"_s);
    auto *problems = requireChild<QLabel>(&transform, "messageLabel");
    QTRY_VERIFY(problems->text().contains(u"line"_s));
    QCOMPARE(heard(problems), std::pair(u"Template problems"_s, problems->text().simplified()));
}

void TestNewUser::exportAnswersBesideItsButton()
{
    const auto panel = makePanel();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    const QString transferFile = m_dir.filePath(u"transfer.json"_s);
    panel->setRunOptionsProvider([transferFile] {
        RunOptions options;
        options.transferFile = transferFile;
        return options;
    });
    QSettings().remove(u"run/exportFolder"_s);
    m_failing = true;
    startAndWait(panel.get());
    m_failing = false;
    QTRY_COMPARE(panel->model()->count(ItemStatus::Failed), Rows / 10);
    auto *state = requireChild<QLabel>(panel.get(), "stateLabel");
    auto *note = requireChild<QLabel>(panel.get(), "actionNoteLabel");
    auto *runError = requireChild<QLabel>(panel.get(), "runErrorLabel");
    QCOMPARE(state->text(), u"Finished with failures"_s);

    // The export dialog opens in the transfer file's folder, not the working folder. (The
    // dialog itself is not driven here: offscreen, its file list can block on reading.)
    QCOMPARE(panel->exportFolder(), m_dir.path());
    // An export that fails (its folder is not there) says so beside the button, in red.
    const QString nowhere = m_dir.filePath(u"no-such-folder/failed.ndjson"_s);
    panel->exportFailedTo(nowhere, RunPanel::ExportFormat::Ndjson);
    QVERIFY2(note->text().contains(nowhere), qPrintable(note->text()));
    QCOMPARE(note->palette().color(QPalette::WindowText), errorColor(note->palette()));
    QCOMPARE(state->text(), u"Finished with failures"_s);
    QVERIFY(runError->isHidden());
    QCOMPARE(panel->exportFolder(), m_dir.path());

    // A later export that works replaces the red error; the run's state stays.
    QVERIFY(QDir(m_dir.path()).mkpath(u"exports"_s));
    panel->exportFailedTo(m_dir.filePath(u"exports/failed.ndjson"_s),
                          RunPanel::ExportFormat::Ndjson);
    QVERIFY(QFileInfo::exists(m_dir.filePath(u"exports/failed.ndjson"_s)));
    QCOMPARE(note->text(), u"Failed items written to failed.ndjson."_s);
    grabFor(panel.get(), "export-note");
    QVERIFY(note->palette().color(QPalette::WindowText) != errorColor(note->palette()));
    QCOMPARE(state->text(), u"Finished with failures"_s);
    // The next one opens where the last one went, and so does Save Report… (not in the
    // home folder), which is remembered in turn.
    QCOMPARE(panel->exportFolder(), m_dir.filePath(u"exports"_s));
    QCOMPARE(QFileInfo(panel->suggestedReportFile()).absolutePath(), m_dir.filePath(u"exports"_s));
    QVERIFY2(QFileInfo(panel->suggestedReportFile()).fileName().startsWith(u"transfer-report-"_s),
             qPrintable(panel->suggestedReportFile()));
    QVERIFY(QDir(m_dir.path()).mkpath(u"reports"_s));
    panel->saveReportTo(m_dir.filePath(u"reports/run.html"_s));
    QVERIFY(QFileInfo::exists(m_dir.filePath(u"reports/run.html"_s)));
    QCOMPARE(note->text(), u"Run report written to run.html."_s);
    QCOMPARE(panel->exportFolder(), m_dir.filePath(u"reports"_s));

    // A new run starts without the last run's answers.
    startAndWait(panel.get());
    QVERIFY(note->text().isEmpty());
}

void TestNewUser::targetMessageGoesWithTheTarget()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Once the built-in demo API listens.
    QTRY_VERIFY(requireChild<QMenu>(&window, "menuDemo")->isEnabled());
    requireChild<QAction>(&window, "actionDemoFlaky")->trigger();
    QVERIFY(window.statusBar()->currentMessage().startsWith(u"Target: "_s));
    // The steward types another URL: the message about the old one goes.
    auto *url = requireChild<QLineEdit>(&window, "urlEdit");
    url->setFocus();
    QTest::keyClick(url, Qt::Key_End);
    QTest::keyClicks(url, u"x"_s);
    QVERIFY(window.statusBar()->currentMessage().isEmpty());
}

void TestNewUser::retriedItemStaysInTheDetails()
{
    const auto panel = makePanel();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    m_failing = true;
    startAndWait(panel.get());
    QTRY_COMPARE(panel->model()->count(ItemStatus::Failed), Rows / 10);
    auto *combo = requireChild<QComboBox>(panel.get(), "filterCombo");
    combo->setCurrentIndex(combo->findData(int(ItemStatus::Failed)));
    QTRY_COMPARE(panel->proxyModel()->rowCount(), Rows / 10);
    auto *table = requireChild<QTableView>(panel.get(), "itemTable");
    const QModelIndex first = panel->proxyModel()->index(0, TransferStatusModel::Key);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
    auto *details = requireChild<ItemDetailsView>(panel.get(), "itemTab");
    const qint64 id = first.data(TransferStatusModel::ItemIdRole).toLongLong();
    QCOMPARE(details->itemId(), id);

    // Retry with this JSON; the API takes it, so it leaves the Failed filter.
    m_failing = false;
    auto *edit = requireChild<QPlainTextEdit>(panel.get(), "payloadEdit");
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, u"{\"id\": \"10\", \"fixed\": true}"_s);
    QTest::mouseClick(requireChild<QPushButton>(panel.get(), "retryEditedButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->count(ItemStatus::Delivered), Rows - Rows / 10 + 1,
                              Timeout);
    QTRY_COMPARE(panel->proxyModel()->rowCount(), Rows / 10 - 1);
    // The details still show that item, now delivered, and no other row looks chosen.
    QCOMPARE(details->itemId(), id);
    QTRY_VERIFY2(requireChild<QLabel>(details, "itemTitleLabel")
                     ->text()
                     .contains(u"sensor-10</b> · delivered"_s),
                 qPrintable(requireChild<QLabel>(details, "itemTitleLabel")->text()));
    QVERIFY(!table->selectionModel()->hasSelection());
    // Choosing another row shows that one.
    const QModelIndex next = panel->proxyModel()->index(0, TransferStatusModel::Key);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(next).center());
    QCOMPARE(details->itemId(), next.data(TransferStatusModel::ItemIdRole).toLongLong());
}

void TestNewUser::longMessagesAreReadWhole()
{
    const auto panel = makePanel();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    m_errorText = u"the archive refused the measurement because its calibration certificate "
                  u"expired before the reading was taken; renew it"_s;
    QCOMPARE_LT(m_errorText.size(), int(FailureGroupModel::MaxMessageLength));
    m_failing = true;
    startAndWait(panel.get());
    m_failing = false;
    QTRY_COMPARE(panel->model()->count(ItemStatus::Failed), Rows / 10);
    auto *tabs = requireChild<QTabWidget>(panel.get(), "detailsTabs");

    // Failures by cause: the message wraps in its column, the row as high as it needs.
    tabs->setCurrentWidget(requireChild<QWidget>(panel.get(), "failuresTab"));
    auto *groups = requireChild<QTableView>(panel.get(), "groupsTable");
    QTRY_COMPARE(groups->model()->rowCount(), 1);
    const QModelIndex message = groups->model()->index(0, FailureGroupModel::Message);
    QVERIFY(message.data().toString().contains(u"renew it"_s));
    const int width = groups->columnWidth(FailureGroupModel::Message);
    QVERIFY2(width < groups->fontMetrics().horizontalAdvance(m_errorText),
             "the column is wide enough for one line: the test shows nothing");
    const QRect needed = groups->fontMetrics().boundingRect(
        QRect(0, 0, width - 8, 10000), Qt::TextWordWrap, message.data().toString());
    grabFor(panel.get(), "failure-groups");
    QTRY_VERIFY2(
        groups->rowHeight(0) >= needed.height(),
        qPrintable(u"row %1 px, text %2 px"_s.arg(groups->rowHeight(0)).arg(needed.height())));

    // The log: the current entry whole below the list.
    tabs->setCurrentWidget(requireChild<QWidget>(panel.get(), "logTab"));
    auto *log = requireChild<QListView>(panel.get(), "logView");
    auto *entry = requireChild<QLabel>(panel.get(), "logEntryLabel");
    QVERIFY(entry->isHidden());
    int row = 0;
    while (row < log->model()->rowCount()
           && !log->model()
                   ->index(row, 0)
                   .data(EventLogModel::TextRole)
                   .toString()
                   .contains(u"renew it"_s))
        ++row;
    QVERIFY(row < log->model()->rowCount());
    const QModelIndex line = log->model()->index(row, 0);
    QTest::mouseClick(log->viewport(), Qt::LeftButton, {}, log->visualRect(line).center());
    QVERIFY(entry->isVisible());
    QCOMPARE(entry->text(), line.data(EventLogModel::TextRole).toString());
    QVERIFY(entry->text().contains(m_errorText));
    QVERIFY(entry->wordWrap());
    grabFor(panel.get(), "log-entry");
    m_errorText = u"busy, try later"_s;
}

void TestNewUser::countersMoveWithTheTable()
{
    const auto panel = makePanel();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    m_sink.setDefaultDelayMs(100);
    // What the counters say when the table has just got its first rows (the check runs once
    // the panel's own handling of them is done).
    const auto counted = [&panel] {
        static const QRegularExpression number(u"<b>([0-9,]+)</b>"_s);
        qint64 sum = 0;
        for (const char *name : {"queuedLabel", "sendingLabel", "deliveredLabel", "retryingLabel",
                                 "failedLabel", "invalidLabel"}) {
            const QString text = requireChild<QLabel>(panel.get(), name)->text();
            sum += number.match(text).captured(1).remove(u',').toLongLong();
        }
        return sum;
    };
    qint64 atFirstRows = -1;
    int rowsAtFirst = 0;
    connect(panel->model(), &QAbstractItemModel::rowsInserted, panel.get(), [&] {
        if (atFirstRows >= 0)
            return;
        rowsAtFirst = panel->model()->rowCount();
        QTimer::singleShot(0, panel.get(), [&] {
            if (atFirstRows < 0)
                atFirstRows = counted();
        });
    });
    startAndWait(panel.get());
    m_sink.setDefaultDelayMs(0);
    QVERIFY(rowsAtFirst > 0);
    QVERIFY2(atFirstRows >= rowsAtFirst,
             qPrintable(u"the counters said %1 items while the table showed %2"_s.arg(atFirstRows)
                            .arg(rowsAtFirst)));
}

QTEST_MAIN(TestNewUser)
#include "tst_newuser.moc"
