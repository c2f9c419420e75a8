// SPDX-License-Identifier: GPL-3.0-or-later
// The whole app from the keyboard alone (issue 3, section 9 and "Tests"): the real
// MainWindow, driven by key presses sent where the focus is, as a person at the keyboard
// would: File > New, the tabs, label mnemonics and Tab into the fields, typing, Ctrl+Return
// to preview, F5 to run against a TestSink, Ctrl+R to retry the failed items, Ctrl+S and
// Ctrl+O through the file dialog. findChild is used only to check what is shown, or to
// say where the focus should be; no value is set from here.
//
// Where the keyboard cannot get somewhere (a mnemonic that leads elsewhere, a field Tab
// skips), the test notes the problem, gets there with Tab if it can so that the rest of
// the flow still runs, and fails at the end naming every such problem.

#include "connectionpanel.h"
#include "mainwindow.h"
#include "querypanel.h"
#include "runpanel.h"
#include "sqlitefixture.h"
#include "targetpanel.h"
#include "testsink.h"
#include "transformpanel.h"

#include "models/transferstatusmodel.h"
#include "types/item.h"

#include <algorithm>
#include <memory>

#include <QAbstractItemModel>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>
#include <QTimer>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

constexpr int Rows = 40;
constexpr int Timeout = 20000;

const QString Sql = u"SELECT id, name, amount FROM readings WHERE category = :cat ORDER BY id"_s;
const QString Category = u"keep"_s;
const QString Template = u"{\"id\": \"{{id}}\", \"name\": \"{{name}}\", \"amount\": "
                         "\"{{amount}}\", \"label\": \"{{name}} #{{id}}\"}"_s;
const QString KeyTemplate = u"item-{{id}}"_s;

/// "objectName (Class)" for messages; "nothing" for no widget.
QString describe(const QWidget *w)
{
    if (!w)
        return u"nothing"_s;
    return u"%1 (%2)"_s.arg(w->objectName(), QString::fromLatin1(w->metaObject()->className()));
}

bool holdsFocus(const QWidget *w)
{
    const QWidget *focus = QApplication::focusWidget();
    return focus && w && (focus == w || w->isAncestorOf(focus));
}

/// The plain text of a rich-text label ("● 5 failed").
QString plainText(const QLabel *label)
{
    return QTextDocumentFragment::fromHtml(label->text()).toPlainText().simplified();
}

struct Row
{
    int id;
    QString name;
    double amount;
};

} // namespace

class TestKeyboardFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void fillPreviewAndRunFromTheKeyboard();
    void failedItemsThenRetryAllFailed();
    void saveAndReopenThroughTheFileDialogs();
    void menusOpenWithTheirMnemonicsOnEveryTab();

private:
    // The keyboard: every key goes where the focus is.
    QWidget *focusTarget() const;
    void key(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    void press(const QKeySequence &sequence);
    void type(const QString &text);
    /// Presses the mnemonic of the label whose buddy is target; notes a problem (and
    /// falls back to Tab) when there is none or it leads elsewhere.
    void focusByMnemonic(QWidget *target);
    /// Presses Tab until target has the focus; notes a problem when it never does.
    bool tabTo(QWidget *target, int maxPresses = 40);
    /// Switches the main tabs with the tab's own mnemonic (Alt+1 ... Alt+5).
    void showTab(int index);
    /// Answers the next file dialog by typing path into it and pressing Return.
    void answerFileDialog(const QString &path);

    void openWindow();
    /// What a window manager does when a dialog closes (the offscreen platform does not).
    void reactivate();
    /// Steps 1 to 5 of the flow: New, then every form, with the preview checked on the way.
    void fillForms(const QUrl &target, int retries);
    void startAndWaitForTheEnd();
    QJsonObject expectedPayload(const Row &row) const;
    QList<int> statuses() const;

    template<typename T>
    T *child(const QWidget *parent, const char *name) const
    {
        return parent->findChild<T *>(QLatin1String(name));
    }

    QTemporaryDir m_dir;
    QString m_database;
    QList<Row> m_kept; ///< the rows the query returns, in order
    std::unique_ptr<MainWindow> m_window;
    QTabWidget *m_tabs = nullptr;
    QStringList m_problems;
    bool m_dialogAnswered = false;
};

void TestKeyboardFlow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"SluiceKeyboardTest"_s);
    QCoreApplication::setApplicationName(u"SluiceKeyboardTest"_s);
    QVERIFY(m_dir.isValid());
    // Qt's file dialog keeps its history in QtProject's settings (test mode: ~/.qttest), shared
    // by every test: a folder left there that it cannot list without blocking (/proc, where
    // reading kmsg to guess its type never returns) hung this test. Each run starts without.
    QSettings(QSettings::UserScope, u"QtProject"_s).remove(u"FileDialog"_s);

    QList<QVariantList> rows;
    for (int id = 1; id <= Rows; ++id) {
        const QString name = u"sensor %1 · süd"_s.arg(id);
        const double amount = id * 1.25;
        // Every tenth row from the third on is of another category: the query's
        // parameter must filter them out.
        const QString category = id % 10 == 3 ? u"drop"_s : Category;
        rows.append({id, name, amount, category});
        if (category == Category)
            m_kept.append({id, name, amount});
    }
    QString error;
    m_database = SqliteFixture::create(
        m_dir.path(), u"readings.db"_s,
        {u"CREATE TABLE readings (id INTEGER PRIMARY KEY, name TEXT, amount REAL, "
         "category TEXT)"_s},
        u"readings"_s, rows, &error);
    QVERIFY2(!m_database.isEmpty(), qPrintable(error));
    QVERIFY(m_kept.size() < Rows);
}

void TestKeyboardFlow::cleanupTestCase()
{
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
}

void TestKeyboardFlow::init()
{
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    m_problems.clear();
}

void TestKeyboardFlow::cleanup()
{
    // Hidden first: a cell editor still open (after a failure) commits while the window
    // is whole, not from inside its destructor.
    if (m_window)
        m_window->hide();
    m_window.reset();
    m_tabs = nullptr;
}

// ---- the keyboard ----

QWidget *TestKeyboardFlow::focusTarget() const
{
    if (QWidget *focus = QApplication::focusWidget())
        return focus;
    return m_window.get();
}

void TestKeyboardFlow::key(Qt::Key key, Qt::KeyboardModifiers modifiers)
{
    QTest::keyClick(focusTarget(), key, modifiers);
}

void TestKeyboardFlow::press(const QKeySequence &sequence)
{
    QVERIFY(!sequence.isEmpty());
    const QKeyCombination combination = sequence[0];
    key(combination.key(), combination.keyboardModifiers());
}

void TestKeyboardFlow::type(const QString &text)
{
    // One key at a time, each to the focus of the moment: the first key typed into a table
    // opens an editor, which takes the focus and the rest.
    for (const QChar c : text) {
        const QString one(c);
        if (c.unicode() < 0x80)
            QTest::keyClick(focusTarget(), c.toLatin1());
        else
            QTest::sendKeyEvent(QTest::KeyAction::Click, focusTarget(), Qt::Key_unknown, one,
                                Qt::NoModifier);
    }
}

void TestKeyboardFlow::focusByMnemonic(QWidget *target)
{
    QVERIFY2(target, "no widget to focus");
    QKeySequence mnemonic;
    const QList<QLabel *> labels = m_window->findChildren<QLabel *>();
    for (const QLabel *label : labels) {
        if (label->buddy() == target && label->isVisible())
            mnemonic = QKeySequence::mnemonic(label->text());
    }
    if (mnemonic.isEmpty()) {
        m_problems.append(u"no visible label with a mnemonic leads to %1"_s.arg(describe(target)));
    } else {
        press(mnemonic);
        if (holdsFocus(target))
            return;
        m_problems.append(u"%1 moved the focus to %2, not to %3"_s.arg(
            mnemonic.toString(), describe(QApplication::focusWidget()), describe(target)));
    }
    QVERIFY2(tabTo(target), qPrintable(m_problems.constLast()));
}

bool TestKeyboardFlow::tabTo(QWidget *target, int maxPresses)
{
    for (int i = 0; i < maxPresses && !holdsFocus(target); ++i)
        key(Qt::Key_Tab);
    if (holdsFocus(target))
        return true;
    m_problems.append(u"Tab never reaches %1 (the focus stays in %2)"_s.arg(
        describe(target), describe(QApplication::focusWidget())));
    return false;
}

void TestKeyboardFlow::showTab(int index)
{
    const QKeySequence mnemonic = QKeySequence::mnemonic(m_tabs->tabText(index));
    if (mnemonic.isEmpty()) {
        m_problems.append(u"the tab \"%1\" has no mnemonic"_s.arg(m_tabs->tabText(index)));
    } else {
        press(mnemonic);
        if (m_tabs->currentIndex() == index)
            return;
        m_problems.append(
            u"%1 does not show the tab \"%2\""_s.arg(mnemonic.toString(), m_tabs->tabText(index)));
    }
    // Ctrl+Tab goes round the tabs.
    for (int i = 0; i < m_tabs->count() && m_tabs->currentIndex() != index; ++i)
        key(Qt::Key_Tab, Qt::ControlModifier);
    QCOMPARE(m_tabs->currentIndex(), index);
}

void TestKeyboardFlow::answerFileDialog(const QString &path)
{
    m_dialogAnswered = false;
    auto *timer = new QTimer(this);
    timer->setInterval(20);
    auto tries = std::make_shared<int>(0);
    connect(timer, &QTimer::timeout, this, [this, timer, path, tries] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!dialog) {
            if (++*tries > Timeout / 20)
                timer->deleteLater(); // no dialog came: the caller's QVERIFY says so
            return;
        }
        QWidget *focus = QApplication::focusWidget();
        const bool typable = dialog->isVisible() && dialog->isActiveWindow()
            && qobject_cast<QLineEdit *>(focus) && dialog->isAncestorOf(focus);
        if (!typable && ++*tries < 50)
            return; // a moment for the dialog to take the focus
        timer->deleteLater();
        if (typable) {
            // Qt's own dialog (the only kind offscreen): its file name field has the focus.
            key(Qt::Key_A, Qt::ControlModifier);
            type(path);
            key(Qt::Key_Return);
        } else {
            // A platform's native dialog cannot be typed into from a test: hand it the path.
            dialog->selectFile(path);
            static_cast<QDialog *>(dialog)->accept();
        }
        m_dialogAnswered = true;
    });
    timer->start();
}

// ---- the flow ----

void TestKeyboardFlow::openWindow()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_tabs = child<QTabWidget>(m_window.get(), "tabs");
    QVERIFY(m_tabs);
}

void TestKeyboardFlow::reactivate()
{
    QTRY_VERIFY(!QApplication::activeModalWidget());
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

QJsonObject TestKeyboardFlow::expectedPayload(const Row &row) const
{
    // The template's whole-string placeholders keep the column's type; the label is text.
    return QJsonObject {{u"id"_s, row.id},
                        {u"name"_s, row.name},
                        {u"amount"_s, row.amount},
                        {u"label"_s, u"%1 #%2"_s.arg(row.name).arg(row.id)}};
}

void TestKeyboardFlow::fillForms(const QUrl &target, int retries)
{
    auto *connection = m_window->findChild<ConnectionPanel *>();
    auto *query = m_window->findChild<QueryPanel *>();
    auto *transform = m_window->findChild<TransformPanel *>();
    auto *targetPanel = m_window->findChild<TargetPanel *>();
    QVERIFY(connection && query && transform && targetPanel);

    // 1. File > New: empty forms. (The first start opened the example.)
    QVERIFY(!m_window->currentFile().isEmpty());
    key(Qt::Key_N, Qt::ControlModifier);
    QVERIFY(m_window->currentFile().isEmpty());
    QVERIFY(m_window->windowTitle().contains(u"Untitled"_s));
    QCOMPARE(m_tabs->currentWidget(), connection);
    auto *sqlEdit = child<QPlainTextEdit>(query, "sqlEdit");
    QVERIFY(sqlEdit);
    QVERIFY(sqlEdit->toPlainText().isEmpty());

    // 2. Connection: the driver with its mnemonic, Home for the first (SQLite), Tab to the
    // file field.
    showTab(0);
    auto *driverCombo = child<QComboBox>(connection, "driverCombo");
    auto *fileEdit = child<QLineEdit>(connection, "fileEdit");
    QVERIFY(driverCombo && fileEdit);
    focusByMnemonic(driverCombo);
    key(Qt::Key_Home);
    QCOMPARE(driverCombo->currentText(), u"SQLite"_s);
    QVERIFY(tabTo(fileEdit, 1));
    QVERIFY(fileEdit->text().isEmpty());
    type(m_database);
    QCOMPARE(fileEdit->text(), m_database);
    auto *fileMessage = child<QLabel>(connection, "fileMessage");
    QVERIFY(fileMessage);
    QVERIFY2(!fileMessage->isVisible(), qPrintable(fileMessage->text()));

    // Query: Ctrl+Tab is the next tab.
    key(Qt::Key_Tab, Qt::ControlModifier);
    if (m_tabs->currentWidget() != query) {
        m_problems.append(u"Ctrl+Tab in the connection form does not show the Query tab"_s);
        showTab(1);
    }
    focusByMnemonic(sqlEdit);
    type(Sql);
    QCOMPARE(sqlEdit->toPlainText(), Sql);
    auto *parameters = child<QTableWidget>(query, "parametersTable");
    QVERIFY(parameters);
    QTRY_COMPARE(parameters->rowCount(), 1);
    QTRY_VERIFY(parameters->isVisible());
    QCOMPARE(parameters->item(0, 0)->text(), u":cat"_s);
    QVERIFY(tabTo(parameters, 1));
    // Arrows move between the cells: to the value of the first parameter.
    if (!parameters->currentIndex().isValid())
        key(Qt::Key_Down);
    for (int i = 0; i < 3 && parameters->currentColumn() != 1; ++i)
        key(Qt::Key_Right);
    QCOMPARE(parameters->currentRow(), 0);
    QCOMPARE(parameters->currentColumn(), 1);
    type(Category); // the first key opens the cell's editor
    key(Qt::Key_Return); // the delegate commits on the next turn of the event loop
    QTRY_COMPARE(parameters->item(0, 1)->text(), Category);
    QTRY_VERIFY(holdsFocus(parameters) && QApplication::focusWidget() == parameters);

    // 3. Preview rows: Ctrl+Return anywhere in the panel.
    key(Qt::Key_Return, Qt::ControlModifier);
    auto *previewTable = child<QTableView>(query, "previewView");
    auto *status = child<QLabel>(query, "statusLabel");
    QVERIFY(previewTable && status);
    QTRY_COMPARE_WITH_TIMEOUT(previewTable->model()->rowCount(), int(m_kept.size()), Timeout);
    QAbstractItemModel *preview = previewTable->model();
    QCOMPARE(preview->columnCount(), 3);
    for (int row = 0; row < preview->rowCount(); ++row) {
        QCOMPARE(preview->index(row, 0).data().toInt(), m_kept.at(row).id);
        QCOMPARE(preview->index(row, 1).data().toString(), m_kept.at(row).name);
    }
    QTRY_COMPARE(status->text(), u"%1 rows"_s.arg(m_kept.size()));

    // Transform: "Shape each item with a template" by its mnemonic, then the template
    // (replacing the one generated from the columns) and the key.
    showTab(2);
    auto *templateRadio = child<QRadioButton>(transform, "templateRadio");
    auto *templateEdit = child<QPlainTextEdit>(transform, "templateEdit");
    auto *keyEdit = child<QLineEdit>(transform, "keyEdit");
    QVERIFY(templateRadio && templateEdit && keyEdit);
    const QKeySequence shape = QKeySequence::mnemonic(templateRadio->text());
    QVERIFY2(!shape.isEmpty(), "the template radio button has no mnemonic");
    press(shape);
    QTRY_VERIFY(templateRadio->isChecked());
    QTRY_VERIFY(templateEdit->isEnabled());
    focusByMnemonic(templateEdit);
    key(Qt::Key_A, Qt::ControlModifier);
    type(Template);
    QCOMPARE(templateEdit->toPlainText(), Template);
    focusByMnemonic(keyEdit);
    type(KeyTemplate);
    QCOMPARE(keyEdit->text(), KeyTemplate);

    // The JSON preview shows the first row's item, as sent.
    auto *jsonPreview = child<QPlainTextEdit>(transform, "previewView");
    auto *previewRow = child<QComboBox>(transform, "previewRowCombo");
    QVERIFY(jsonPreview && previewRow);
    QTRY_COMPARE(previewRow->count(), int(m_kept.size()));
    QTRY_VERIFY(previewRow->currentText().contains(u"item-%1"_s.arg(m_kept.first().id)));
    QTRY_COMPARE(QJsonDocument::fromJson(jsonPreview->toPlainText().toUtf8()).object(),
                 expectedPayload(m_kept.first()));
    auto *messages = child<QLabel>(transform, "messageLabel");
    QVERIFY(messages);
    QVERIFY2(!messages->text().contains(u"line"_s), qPrintable(messages->text()));

    // 4. Target: the URL (replacing New's) and the retries.
    showTab(3);
    auto *urlEdit = child<QLineEdit>(targetPanel, "urlEdit");
    auto *retriesSpin = child<QSpinBox>(targetPanel, "maxRetriesSpin");
    QVERIFY(urlEdit && retriesSpin);
    focusByMnemonic(urlEdit);
    key(Qt::Key_A, Qt::ControlModifier);
    type(target.toString());
    QCOMPARE(urlEdit->text(), target.toString());
    focusByMnemonic(retriesSpin);
    key(Qt::Key_A, Qt::ControlModifier);
    type(QString::number(retries));
    QCOMPARE(retriesSpin->value(), retries);

    QVERIFY(m_window->isModified());
    const QList<SpecError> errors = m_window->currentSpec().validate();
    QStringList texts;
    for (const SpecError &e : errors)
        texts.append(e.toString());
    // A spec that does not validate would open a message box on F5.
    QVERIFY2(errors.isEmpty(), qPrintable(texts.join(u'\n')));
}

QList<int> TestKeyboardFlow::statuses() const
{
    const TransferStatusModel *model = m_window->findChild<RunPanel *>()->model();
    QList<int> result;
    for (int row = 0; row < model->rowCount(); ++row)
        result.append(model->index(row, 0).data(TransferStatusModel::StatusRole).toInt());
    return result;
}

void TestKeyboardFlow::startAndWaitForTheEnd()
{
    auto *run = m_window->findChild<RunPanel *>();
    auto *itemTable = child<QTableView>(run, "itemTable");
    QVERIFY(itemTable);
    key(Qt::Key_F5);
    // The window shows the run as it starts.
    QTRY_COMPARE(m_tabs->currentWidget(), run);
    QTRY_COMPARE_WITH_TIMEOUT(itemTable->model()->rowCount(), int(m_kept.size()), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!run->isRunning(), Timeout);
}

void TestKeyboardFlow::fillPreviewAndRunFromTheKeyboard()
{
    TestSink sink;
    QVERIFY(sink.isListening());
    openWindow();
    fillForms(sink.url(u"/items"_s), 3);
    if (QTest::currentTestFailed())
        return;

    // 5. F5 starts; the table shows every item delivered, with its key.
    startAndWaitForTheEnd();
    if (QTest::currentTestFailed())
        return;
    auto *run = m_window->findChild<RunPanel *>();
    QAbstractItemModel *shown = child<QTableView>(run, "itemTable")->model();
    QSet<QString> keys;
    for (int row = 0; row < shown->rowCount(); ++row) {
        QCOMPARE(shown->index(row, 0).data(TransferStatusModel::StatusRole).toInt(),
                 int(ItemStatus::Delivered));
        keys.insert(shown->index(row, TransferStatusModel::Key).data().toString());
    }
    QSet<QString> expectedKeys;
    for (const Row &row : std::as_const(m_kept))
        expectedKeys.insert(u"item-%1"_s.arg(row.id));
    QCOMPARE(keys, expectedKeys);
    auto *delivered = child<QLabel>(run, "deliveredLabel");
    QVERIFY(delivered);
    QTRY_VERIFY(plainText(delivered).contains(u"%1 delivered"_s.arg(m_kept.size())));

    // The sink got each item once, with the template's JSON.
    QCOMPARE(sink.deliveredCount(), int(m_kept.size()));
    const QList<TestSink::Request> requests = sink.requests();
    QCOMPARE(requests.size(), m_kept.size());
    for (const TestSink::Request &request : requests) {
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, u"/items"_s);
        const int id = request.jsonId.toInt();
        const auto row = std::find_if(m_kept.cbegin(), m_kept.cend(),
                                      [id](const Row &r) { return r.id == id; });
        QVERIFY2(row != m_kept.cend(), request.body.constData());
        QCOMPARE(QJsonDocument::fromJson(request.body).object(), expectedPayload(*row));
    }
    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join(u'\n')));
}

void TestKeyboardFlow::failedItemsThenRetryAllFailed()
{
    // Every item whose id is a multiple of 7 is refused once, then accepted.
    TestSink sink;
    QVERIFY(sink.isListening());
    auto attempts = std::make_shared<QHash<QString, int>>();
    sink.setHandler([attempts](const TestSink::Request &request) {
        TestSink::Reply reply;
        const int attempt = ++(*attempts)[request.jsonId];
        if (request.jsonId.toInt() % 7 == 0 && attempt == 1) {
            reply.status = 422;
            reply.body = QJsonDocument(
                             QJsonObject {{u"error"_s,
                                           u"amount rejected for item %1"_s.arg(request.jsonId)}})
                             .toJson(QJsonDocument::Compact);
        }
        return reply;
    });
    QSet<QString> refused;
    for (const Row &row : std::as_const(m_kept)) {
        if (row.id % 7 == 0)
            refused.insert(QString::number(row.id));
    }
    QVERIFY(refused.size() >= 2);

    openWindow();
    fillForms(sink.url(u"/items"_s), 0);
    if (QTest::currentTestFailed())
        return;
    startAndWaitForTheEnd();
    if (QTest::currentTestFailed())
        return;

    auto *run = m_window->findChild<RunPanel *>();
    QList<int> all = statuses();
    QCOMPARE(all.count(int(ItemStatus::Failed)), refused.size());
    QCOMPARE(all.count(int(ItemStatus::Delivered)), m_kept.size() - refused.size());
    auto *failedLabel = child<QLabel>(run, "failedLabel");
    QVERIFY(failedLabel);
    QTRY_VERIFY2(plainText(failedLabel).contains(u"%1 failed"_s.arg(refused.size())),
                 qPrintable(plainText(failedLabel)));

    // Show only the failed items: the filter by its label's mnemonic, "F" for Failed.
    auto *filter = child<QComboBox>(run, "filterCombo");
    auto *itemTable = child<QTableView>(run, "itemTable");
    auto *response = child<QPlainTextEdit>(run, "responseEdit");
    QVERIFY(filter && itemTable && response);
    showTab(4);
    focusByMnemonic(filter);
    key(Qt::Key_F);
    QCOMPARE(filter->currentData().toInt(), int(ItemStatus::Failed));
    QTRY_COMPARE(itemTable->model()->rowCount(), int(refused.size()));

    // Into the table with Tab; Home selects the first failed item, Down the next: each shows
    // the API's answer.
    QVERIFY(tabTo(itemTable));
    // Focus makes the first row current without selecting it; the arrows select.
    const bool current = itemTable->currentIndex().isValid();
    for (const Qt::Key move : {Qt::Key_Down, current ? Qt::Key_Up : Qt::Key_Down}) {
        key(move);
        const QModelIndexList selected = itemTable->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        const QString itemKey
            = selected.first().siblingAtColumn(TransferStatusModel::Key).data().toString();
        const QString id = itemKey.section(u'-', 1);
        QVERIFY2(refused.contains(id), qPrintable(itemKey));
        QTRY_VERIFY2(response->toPlainText().contains(u"amount rejected for item %1"_s.arg(id)),
                     qPrintable(response->toPlainText()));
    }

    // Tab on to the response, to read it: Tab must leave the table.
    if (tabTo(response))
        QVERIFY(response->toPlainText().contains(u"amount rejected"_s));

    // Ctrl+R: retry all failed; every item ends delivered, the refused ones sent twice.
    key(Qt::Key_R, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(int(statuses().count(int(ItemStatus::Delivered))), int(m_kept.size()),
                              Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!run->isRunning(), Timeout);
    QTRY_COMPARE(itemTable->model()->rowCount(), 0); // the filter still shows failed items only
    QCOMPARE(sink.deliveredCount(), int(m_kept.size()));
    QCOMPARE(sink.requestCount(), int(m_kept.size() + refused.size()));
    for (auto it = attempts->cbegin(); it != attempts->cend(); ++it)
        QCOMPARE(it.value(), refused.contains(it.key()) ? 2 : 1);
    const TransferStatusModel *model = run->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString id
            = model->index(row, TransferStatusModel::Key).data().toString().section(u'-', 1);
        QCOMPARE(model->index(row, TransferStatusModel::Attempts).data().toInt(),
                 refused.contains(id) ? 2 : 1);
    }
    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join(u'\n')));
}

void TestKeyboardFlow::saveAndReopenThroughTheFileDialogs()
{
    openWindow();
    fillForms(QUrl(u"http://127.0.0.1:9/items"_s), 2);
    if (QTest::currentTestFailed())
        return;
    const TransferSpec before = m_window->currentSpec();

    // Ctrl+S on an untitled transfer asks for the file. Offscreen the file dialog is Qt's
    // own, so the path is typed into it; a platform's native dialog could not be typed into
    // from a test (answerFileDialog then hands it the path).
    const QString file = QDir(m_dir.path()).filePath(u"keyboard-roundtrip.json"_s);
    answerFileDialog(file);
    key(Qt::Key_S, Qt::ControlModifier);
    QVERIFY(m_dialogAnswered);
    reactivate();
    QCOMPARE(m_window->currentFile(), file);
    QVERIFY(!m_window->isModified());
    QVERIFY(m_window->windowTitle().contains(u"keyboard-roundtrip.json"_s));

    // New empties the forms; Ctrl+O and the dialog bring the file back.
    key(Qt::Key_N, Qt::ControlModifier);
    auto *sqlEdit = child<QPlainTextEdit>(m_window.get(), "sqlEdit");
    QVERIFY(sqlEdit);
    QVERIFY(sqlEdit->toPlainText().isEmpty());
    answerFileDialog(file);
    key(Qt::Key_O, Qt::ControlModifier);
    QVERIFY(m_dialogAnswered);
    reactivate();
    QCOMPARE(m_window->currentFile(), file);

    // The forms show what was typed.
    QCOMPARE(sqlEdit->toPlainText(), Sql);
    auto *parameters = child<QTableWidget>(m_window.get(), "parametersTable");
    QVERIFY(parameters);
    QTRY_COMPARE(parameters->rowCount(), 1);
    QCOMPARE(parameters->item(0, 1)->text(), Category);
    auto *transform = m_window->findChild<TransformPanel *>();
    QVERIFY(child<QRadioButton>(transform, "templateRadio")->isChecked());
    QCOMPARE(child<QLineEdit>(transform, "keyEdit")->text(), KeyTemplate);
    QCOMPARE(QJsonDocument::fromJson(
                 child<QPlainTextEdit>(transform, "templateEdit")->toPlainText().toUtf8()),
             QJsonDocument::fromJson(Template.toUtf8()));
    auto *target = m_window->findChild<TargetPanel *>();
    QCOMPARE(child<QLineEdit>(target, "urlEdit")->text(), u"http://127.0.0.1:9/items"_s);
    QCOMPARE(child<QSpinBox>(target, "maxRetriesSpin")->value(), 2);
    const TransferSpec after = m_window->currentSpec();
    QCOMPARE(after.source.driver, before.source.driver);
    QCOMPARE(QFileInfo(after.source.resolvedDatabase()).canonicalFilePath(),
             QFileInfo(m_database).canonicalFilePath());
    QCOMPARE(after.query, before.query);
    QCOMPARE(after.transform, before.transform);
    QCOMPARE(after.target, before.target);
    QCOMPARE(after.run, before.run);

    // Ctrl+Q closes (nothing unsaved), and the next start opens the file again.
    key(Qt::Key_Q, Qt::ControlModifier);
    QTRY_VERIFY(!m_window->isVisible());
    m_window.reset();
    MainWindow next;
    QCOMPARE(next.currentFile(), file);
    QCOMPARE(next.currentSpec().query, before.query);
    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join(u'\n')));
}

void TestKeyboardFlow::menusOpenWithTheirMnemonicsOnEveryTab()
{
    // Every menu opens with Alt and its letter whichever step is shown: a field's label with
    // the same letter would take the key instead.
    openWindow();
    QMenuBar *bar = m_window->menuBar();
    int opened = 0;
    for (int tab = 0; tab < m_tabs->count(); ++tab) {
        showTab(tab);
        const QList<QAction *> menus = bar->actions();
        for (QAction *menuAction : menus) {
            const QKeySequence mnemonic = QKeySequence::mnemonic(menuAction->text());
            if (!menuAction->menu() || mnemonic.isEmpty())
                continue; // tst_accessibility names a menu without a mnemonic
            QWidget *before = QApplication::focusWidget();
            press(mnemonic);
            if (QTest::qWaitFor(
                    [&] { return QApplication::activePopupWidget() == menuAction->menu(); },
                    1000)) {
                ++opened;
            } else {
                m_problems.append(u"on the tab \"%1\", %2 does not open the menu \"%3\" (the "
                                  "focus went to %4)"_s.arg(m_tabs->tabText(tab),
                                                            mnemonic.toString(), menuAction->text(),
                                                            describe(QApplication::focusWidget())));
            }
            while (QWidget *popup = QApplication::activePopupWidget())
                QTest::keyClick(popup, Qt::Key_Escape);
            if (bar->hasFocus())
                QTest::keyClick(bar, Qt::Key_Escape);
            QTRY_VERIFY(!bar->hasFocus());
            if (!m_window->isActiveWindow())
                reactivate();
            if (before && QApplication::focusWidget() != before)
                before->setFocus(); // where the steward was, for the next menu
        }
    }
    QVERIFY(opened > 0);
    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join(u'\n')));
}

QTEST_MAIN(TestKeyboardFlow)
#include "tst_keyboardflow.moc"
