// SPDX-License-Identifier: GPL-3.0-or-later
// Keyboard and accessibility of the whole main window (issue 3, section 9), checked on the
// real MainWindow: every control a keyboard can reach has an accessible name, labels with
// buddies have mnemonics and no two mnemonics (or menu shortcuts) collide where they are
// shown together, the menu bar's important actions have shortcuts, and Tab walks each
// panel's controls once each, top to bottom. Failures name the widgets by objectName and
// class, so the message says what to fix.

#include "connectionpanel.h"
#include "mainwindow.h"
#include "querypanel.h"
#include "runpanel.h"
#include "targetpanel.h"
#include "transformpanel.h"

#include <functional>

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTextEdit>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

/// "objectName (Class)", or the class and the parent's name for an unnamed widget.
QString describe(const QObject *object)
{
    const QString cls = QString::fromLatin1(object->metaObject()->className());
    if (!object->objectName().isEmpty())
        return u"%1 (%2)"_s.arg(object->objectName(), cls);
    const QObject *parent = object->parent();
    return u"unnamed %1 in %2"_s.arg(cls, parent ? describe(parent) : u"nothing"_s);
}

QString strippedText(QString text)
{
    text.remove(u'&');
    text.remove(u'…');
    if (text.endsWith(u"..."_s))
        text.chop(3);
    return text.trimmed();
}

/// A part of a composite widget (a combo box's or spin box's line edit, a scroll area's
/// viewport, scroll bars and headers, a line edit's clear button, a tab widget's tab bar):
/// the composite is the control, and carries the name. Returns the composite, or w itself.
QWidget *outerControl(QWidget *w, const QWidget *stop)
{
    QWidget *outer = w;
    for (QWidget *p = w->parentWidget(); p && p != stop; p = p->parentWidget()) {
        if (qobject_cast<QComboBox *>(p) || qobject_cast<QAbstractSpinBox *>(p)
            || qobject_cast<QLineEdit *>(p)) {
            outer = p;
        } else if (auto *area = qobject_cast<QAbstractScrollArea *>(p)) {
            // A QScrollArea's content holds real controls; anything else of an area
            // (viewport, bars, headers, cell editors) belongs to it.
            auto *scroll = qobject_cast<QScrollArea *>(area);
            if (!scroll || !scroll->widget() || !scroll->widget()->isAncestorOf(w))
                outer = p;
        } else if (qobject_cast<QTabWidget *>(p) && qobject_cast<QTabBar *>(outer)
                   && outer->parentWidget() == p) {
            outer = p;
        }
    }
    return outer;
}

bool isInternal(QWidget *w, const QWidget *stop)
{
    return outerControl(w, stop) != w || qobject_cast<QScrollBar *>(w)
        || qobject_cast<QHeaderView *>(w);
}

/// Where Tab stops, by Qt's own rule (QWidget::focusNextPrevChild).
bool isTabStop(const QWidget *w, const QWidget *window)
{
    return (w->focusPolicy() & Qt::TabFocus) == Qt::TabFocus && !w->focusProxy()
        && w->isVisibleTo(window) && w->isEnabled();
}

QRect rectIn(const QWidget *w, const QWidget *ancestor)
{
    return QRect(w->mapTo(ancestor, QPoint(0, 0)), w->size());
}

/// Pumps only layout requests, so geometry is final without waiting for anything else.
void settleLayouts()
{
    for (int i = 0; i < 5; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
}

struct PanelState
{
    const char *name;
    int tab;
    std::function<void(MainWindow &)> setup;
};

ConnectionSettings serverSettings(const QString &driver)
{
    ConnectionSettings s;
    s.driver = driver;
    s.host = u"db.example"_s;
    s.port = 5432;
    s.database = u"sensors"_s;
    s.user = u"steward"_s;
    return s;
}

/// Shows a page of the Run panel's details (item, failures, ...), when it has that many.
void showRunPage(MainWindow &w, int page)
{
    auto *details = w.findChild<RunPanel *>()->findChild<QTabWidget *>();
    if (details && page < details->count())
        details->setCurrentIndex(page);
}

/// Every panel in each of the states that show different controls.
QList<PanelState> panelStates()
{
    return {
        {"connection, SQLite", 0,
         [](MainWindow &w) {
             ConnectionSettings s;
             s.driver = u"QSQLITE"_s;
             s.database = u"sensors.db"_s;
             w.findChild<ConnectionPanel *>()->setSettings(s);
         }},
        {"connection, PostgreSQL, password from environment", 0,
         [](MainWindow &w) {
             ConnectionSettings s = serverSettings(u"QPSQL"_s);
             s.passwordEnv = u"SENSORS_PASSWORD"_s;
             w.findChild<ConnectionPanel *>()->setSettings(s);
         }},
        {"connection, MySQL, ask for the password", 0,
         [](MainWindow &w) {
             ConnectionSettings s = serverSettings(u"QMYSQL"_s);
             s.askPassword = true;
             w.findChild<ConnectionPanel *>()->setSettings(s);
         }},
        {"connection, ODBC", 0,
         [](MainWindow &w) {
             w.findChild<ConnectionPanel *>()->setSettings(serverSettings(u"QODBC"_s));
         }},
        {"query with a parameter", 1,
         [](MainWindow &w) {
             QuerySpec q;
             q.sql = u"SELECT id FROM t WHERE id > :min"_s;
             q.parameters.insert(u"min"_s, 1);
             w.findChild<QueryPanel *>()->setQuery(q);
         }},
        {"transform, rows as objects", 2,
         [](MainWindow &w) {
             w.findChild<TransformPanel *>()->setTransform(TransformSpec {});
         }},
        {"transform, template", 2,
         [](MainWindow &w) {
             TransformSpec t;
             t.present = true;
             t.key = u"{{id}}"_s;
             t.templ = R"({"id":"{{id}}"})";
             w.findChild<TransformPanel *>()->setTransform(t);
         }},
        {"target with a header", 3,
         [](MainWindow &w) {
             TargetSpec t;
             t.url = u"http://127.0.0.1:9/items"_s;
             t.headers.append({u"X-Source"_s, u"sluice"_s});
             auto *panel = w.findChild<TargetPanel *>();
             panel->setTarget(t, panel->run());
             // A selected row enables "Remove header".
             panel->findChild<QTableWidget *>(u"headersTable"_s)->setCurrentCell(0, 0);
         }},
        {"target, Elasticsearch bulk", 3,
         [](MainWindow &w) {
             // Every batch control enabled, the bulk action too.
             TargetSpec t;
             t.url = u"https://127.0.0.1:9/_bulk"_s;
             t.mode = TargetMode::ElasticsearchBulk;
             t.caFile = u"ca.pem"_s;
             auto *panel = w.findChild<TargetPanel *>();
             panel->setTarget(t, panel->run());
         }},
        {"run, before the first start", 4,
         [](MainWindow &w) {
             showRunPage(w, 0);
         }},
        {"run, second page of the details", 4,
         [](MainWindow &w) {
             showRunPage(w, 1);
         }},
        {"run, third page of the details", 4,
         [](MainWindow &w) {
             showRunPage(w, 2);
         }},
        {"run, offering to resume an interrupted run", 4,
         [](MainWindow &w) {
             // Last: the offer stays for the states after it.
             JournalSummary run;
             run.fileName = u"sensors-20261205-101500.sluicerun"_s;
             run.transferName = u"sensors"_s;
             run.startedAt = QDateTime::currentDateTime();
             run.delivered = 1200;
             run.unfinished = 8;
             w.findChild<RunPanel *>()->offerResume(run);
             showRunPage(w, 0);
         }},
    };
}

} // namespace

class TestAccessibility : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyFocusableControlHasAName();
    void everyButtonIsNamedForAssistiveTechnology();
    void labelsWithBuddiesHaveMnemonics();
    void menuActionsHaveTextAndShortcuts();
    void mnemonicsAreUniqueWhereShown_data();
    void mnemonicsAreUniqueWhereShown();
    void tabOrderVisitsEachControlTopToBottom_data();
    void tabOrderVisitsEachControlTopToBottom();

private:
    QWidget *panelOf(const QWidget *w) const;
    void showState(int state);

    MainWindow *m_window = nullptr;
    QTabWidget *m_tabs = nullptr;
};

void TestAccessibility::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"SluiceAccessibilityTest"_s);
    QCoreApplication::setApplicationName(u"SluiceAccessibilityTest"_s);
    QSettings().clear();
    m_window = new MainWindow;
    m_window->resize(1100, 760);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window));
    m_tabs = m_window->findChild<QTabWidget *>(u"tabs"_s);
    QVERIFY(m_tabs);
    QCOMPARE(m_tabs->count(), 5);
}

void TestAccessibility::cleanupTestCase()
{
    delete m_window;
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
}

QWidget *TestAccessibility::panelOf(const QWidget *w) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->widget(i)->isAncestorOf(w))
            return m_tabs->widget(i);
    }
    return nullptr;
}

void TestAccessibility::showState(int state)
{
    const QList<PanelState> states = panelStates(); // a new list each call: keep it alive
    const PanelState &s = states.at(state);
    s.setup(*m_window);
    m_tabs->setCurrentIndex(s.tab);
    settleLayouts();
}

void TestAccessibility::everyFocusableControlHasAName()
{
    // Hidden rows and pages included: a control is named before it is shown.
    QStringList problems;
    int checked = 0;
    const QList<QWidget *> widgets = m_window->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if ((w->focusPolicy() & Qt::TabFocus) != Qt::TabFocus || w->isWindow()
            || isInternal(w, m_window))
            continue;
        ++checked;
        if (!w->accessibleName().trimmed().isEmpty())
            continue;
        if (auto *button = qobject_cast<QAbstractButton *>(w);
            button && !strippedText(button->text()).isEmpty())
            continue;
        if (auto *label = qobject_cast<QLabel *>(w); label && !label->text().trimmed().isEmpty())
            continue;
        const QWidget *panel = panelOf(w);
        problems.append(
            u"%1 in %2"_s.arg(describe(w), panel ? describe(panel) : describe(m_window)));
    }
    QVERIFY2(checked > 30, qPrintable(u"only %1 focusable controls found"_s.arg(checked)));
    QVERIFY2(problems.isEmpty(),
             qPrintable(u"focusable controls without an accessible name:\n  "_s
                        + problems.join(u"\n  "_s)));
}

void TestAccessibility::everyButtonIsNamedForAssistiveTechnology()
{
    // What a screen reader hears, asked as it asks (QAccessibleInterface, which the AT-SPI
    // bridge serves): every button, focusable or not, also the clear buttons Qt puts inside
    // line edits and the toolbar's buttons, says what it does.
    QStringList problems;
    int clearButtons = 0;
    int checked = 0;
    const QList<QAbstractButton *> buttons = m_window->findChildren<QAbstractButton *>();
    for (QAbstractButton *button : buttons) {
        if (button->isWindow())
            continue;
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(button);
        QVERIFY(iface);
        ++checked;
        const QString name = iface->text(QAccessible::Name).trimmed();
        if (auto *edit = qobject_cast<QLineEdit *>(button->parentWidget())) {
            ++clearButtons;
            if (!name.startsWith(u"Clear"_s) || name.size() <= 6 || button->toolTip().isEmpty())
                problems.append(u"clear button of %1: \"%2\""_s.arg(describe(edit), name));
            continue;
        }
        if (name.isEmpty()) {
            const QWidget *panel = panelOf(button);
            problems.append(
                u"%1 in %2"_s.arg(describe(button), panel ? describe(panel) : describe(m_window)));
        }
    }
    QVERIFY2(clearButtons >= 8, qPrintable(u"only %1 clear buttons found"_s.arg(clearButtons)));
    QVERIFY2(checked > 30, qPrintable(u"only %1 buttons found"_s.arg(checked)));
    QVERIFY2(problems.isEmpty(),
             qPrintable(u"buttons a screen reader cannot name:\n  "_s + problems.join(u"\n  "_s)));
}

void TestAccessibility::labelsWithBuddiesHaveMnemonics()
{
    QStringList problems;
    int buddies = 0;
    const QList<QLabel *> labels = m_window->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        const bool mnemonic = !QKeySequence::mnemonic(label->text()).isEmpty();
        if (label->buddy()) {
            ++buddies;
            if (!mnemonic)
                problems.append(u"%1 \"%2\" has the buddy %3 but no mnemonic"_s.arg(
                    describe(label), label->text(), describe(label->buddy())));
        } else if (mnemonic && label->textFormat() != Qt::RichText) {
            // An underlined letter that leads nowhere.
            problems.append(u"%1 \"%2\" shows a mnemonic but has no buddy"_s.arg(describe(label),
                                                                                 label->text()));
        }
    }
    QVERIFY2(buddies > 15, qPrintable(u"only %1 labels with buddies found"_s.arg(buddies)));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestAccessibility::menuActionsHaveTextAndShortcuts()
{
    QMenuBar *bar = m_window->menuBar();
    QStringList problems;
    QList<QAction *> actions;
    std::function<void(QMenu *)> collect = [&](QMenu *menu) {
        const QList<QAction *> list = menu->actions();
        for (QAction *action : list) {
            if (action->isSeparator())
                continue;
            actions.append(action);
            if (action->menu())
                collect(action->menu());
        }
    };
    const QList<QAction *> topLevel = bar->actions();
    for (QAction *action : topLevel) {
        if (action->text().isEmpty())
            problems.append(u"a menu without a title: %1"_s.arg(describe(action)));
        if (QKeySequence::mnemonic(action->text()).isEmpty())
            problems.append(
                u"menu \"%1\" has no mnemonic (Alt+letter cannot open it)"_s.arg(action->text()));
        if (action->menu())
            collect(action->menu());
    }
    QMap<QString, QStringList> byShortcut;
    for (QAction *action : std::as_const(actions)) {
        if (strippedText(action->text()).isEmpty())
            problems.append(u"a menu action without text: %1"_s.arg(describe(action)));
        for (const QKeySequence &key : action->shortcuts())
            byShortcut[key.toString()].append(strippedText(action->text()));
    }
    for (auto it = byShortcut.cbegin(); it != byShortcut.cend(); ++it) {
        if (it->size() > 1)
            problems.append(u"%1 is the shortcut of %2"_s.arg(it.key(), it->join(u" and "_s)));
    }

    // The important ones, by the words a steward reads in the menu.
    const QList<QPair<QString, QStringList>> important = {
        {u"New"_s, {u"New"_s, u"New Transfer"_s}},
        {u"Open"_s, {u"Open"_s}},
        {u"Save"_s, {u"Save"_s}},
        {u"Save As"_s, {u"Save As"_s}},
        {u"Quit"_s, {u"Quit"_s, u"Exit"_s}},
        {u"Start"_s, {u"Start"_s}},
        {u"Pause"_s, {u"Pause"_s, u"Resume"_s}},
        {u"Cancel"_s, {u"Cancel"_s}},
        {u"Retry all failed"_s, {u"Retry all failed"_s}},
    };
    for (const auto &[what, texts] : important) {
        QAction *found = nullptr;
        for (QAction *action : std::as_const(actions)) {
            if (texts.contains(strippedText(action->text()), Qt::CaseInsensitive))
                found = action;
        }
        if (!found)
            problems.append(u"the menu bar has no \"%1\" action"_s.arg(what));
        else if (found->shortcut().isEmpty())
            problems.append(u"\"%1\" has no shortcut"_s.arg(strippedText(found->text())));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestAccessibility::mnemonicsAreUniqueWhereShown_data()
{
    QTest::addColumn<int>("state");
    const QList<PanelState> states = panelStates();
    for (int i = 0; i < states.size(); ++i)
        QTest::newRow(states.at(i).name) << i;
}

void TestAccessibility::mnemonicsAreUniqueWhereShown()
{
    QFETCH(int, state);
    showState(state);

    // Everything that takes an Alt+letter while this panel is shown: Qt only asks visible,
    // enabled widgets (and the menu bar); two owners of one key make it ambiguous, and
    // Qt then only moves the focus between them instead of acting.
    QMap<QString, QStringList> owners;
    const auto add = [&owners](const QString &text, const QString &who) {
        const QKeySequence key = QKeySequence::mnemonic(text);
        if (!key.isEmpty())
            owners[key.toString()].append(u"%1 \"%2\""_s.arg(who, text));
    };
    const QList<QWidget *> widgets = m_window->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisible() || !w->isEnabled())
            continue;
        if (auto *label = qobject_cast<QLabel *>(w); label && label->buddy())
            add(label->text(), describe(label));
        else if (auto *button = qobject_cast<QAbstractButton *>(w))
            add(button->text(), describe(button));
        else if (auto *group = qobject_cast<QGroupBox *>(w))
            add(group->title(), describe(group));
        else if (auto *bar = qobject_cast<QTabBar *>(w)) {
            for (int i = 0; i < bar->count(); ++i) {
                if (bar->isTabEnabled(i))
                    add(bar->tabText(i), u"tab of %1"_s.arg(describe(bar->parentWidget())));
            }
        }
    }
    const QList<QAction *> menus = m_window->menuBar()->actions();
    for (QAction *menu : menus)
        add(menu->text(), u"menu"_s);

    QStringList problems;
    for (auto it = owners.cbegin(); it != owners.cend(); ++it) {
        if (it->size() > 1)
            problems.append(u"%1 is taken by %2"_s.arg(it.key(), it->join(u" and "_s)));
    }
    QVERIFY2(owners.size() > 5, "hardly any mnemonics found");
    QVERIFY2(problems.isEmpty(),
             qPrintable(u"mnemonics that collide while \"%1\" is shown:\n  "_s.arg(
                            QString::fromLatin1(panelStates().at(state).name))
                        + problems.join(u"\n  "_s)));
}

void TestAccessibility::tabOrderVisitsEachControlTopToBottom_data()
{
    mnemonicsAreUniqueWhereShown_data();
}

void TestAccessibility::tabOrderVisitsEachControlTopToBottom()
{
    QFETCH(int, state);
    showState(state);
    QWidget *panel = m_tabs->currentWidget();
    QVERIFY(panel->isVisible());

    // The panel's controls where Tab can stop, each as the control a steward sees (a spin
    // box, not its line edit).
    QList<QWidget *> controls;
    QWidget *first = nullptr;
    QRect firstRect;
    const QList<QWidget *> widgets = panel->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!isTabStop(w, m_window))
            continue;
        QWidget *control = outerControl(w, panel);
        if (!controls.contains(control))
            controls.append(control);
        const QRect r = rectIn(control, panel);
        if (!first || r.top() < firstRect.top()
            || (r.top() == firstRect.top() && r.left() < firstRect.left())) {
            first = w;
            firstRect = r;
        }
    }
    QVERIFY2(controls.size() >= 2, "the panel has hardly any controls Tab can reach");

    // Walk the focus chain from the top-left control as Tab does.
    QList<QWidget *> visited; // the uninterrupted run through the panel
    QStringList problems;
    bool left = false;
    QWidget *w = first;
    do {
        if (isTabStop(w, m_window)) {
            if (panel->isAncestorOf(w)) {
                QWidget *control = outerControl(w, panel);
                if (left) {
                    problems.append(
                        u"Tab reaches %1 only after leaving the panel"_s.arg(describe(control)));
                } else if (visited.isEmpty() || visited.constLast() != control) {
                    if (visited.contains(control))
                        problems.append(u"Tab visits %1 twice"_s.arg(describe(control)));
                    visited.append(control);
                }
            } else {
                left = true;
            }
        }
        w = w->nextInFocusChain();
    } while (w && w != first);

    for (QWidget *control : std::as_const(controls)) {
        if (!visited.contains(control) && !problems.join(u'\n').contains(describe(control)))
            problems.append(u"Tab never reaches %1"_s.arg(describe(control)));
    }
    // A table that moves between its cells on Tab keeps the focus once it has rows (and
    // Ctrl+Tab goes to the main window's tabs instead): arrows move between cells.
    // Views on hidden pages included.
    const QList<QAbstractItemView *> views = panel->findChildren<QAbstractItemView *>();
    for (QAbstractItemView *view : views) {
        if ((view->focusPolicy() & Qt::TabFocus) == Qt::TabFocus && !isInternal(view, panel)
            && view->tabKeyNavigation())
            problems.append(u"Tab moves between the cells of %1 instead of leaving it, once it "
                            "has rows (tabKeyNavigation is on)"_s.arg(describe(view)));
    }
    // Reading order: of two controls in one column, the upper one comes first; of two in
    // one row, the left one.
    for (qsizetype i = 0; i < visited.size(); ++i) {
        const QRect a = rectIn(visited.at(i), panel);
        for (qsizetype j = i + 1; j < visited.size(); ++j) {
            const QRect b = rectIn(visited.at(j), panel);
            const bool sameColumn = a.left() <= b.right() && b.left() <= a.right();
            const bool sameRow = a.top() <= b.bottom() && b.top() <= a.bottom();
            if (sameColumn && b.bottom() < a.top())
                problems.append(u"%1 comes after %2 but is above it"_s.arg(
                    describe(visited.at(j)), describe(visited.at(i))));
            else if (sameRow && !sameColumn && b.right() < a.left())
                problems.append(u"%1 comes after %2 but is left of it"_s.arg(
                    describe(visited.at(j)), describe(visited.at(i))));
        }
    }
    // Tab itself, pressed as a person presses it, must follow the chain until it leaves the
    // panel: no control may keep the focus (a text editor where Tab indents must let
    // Ctrl+Tab out). The next stop is looked up as each key is pressed, since focus itself
    // may enable a control (a selected header row enables "Remove header").
    {
        first->setFocus(Qt::TabFocusReason);
        for (int step = 0; step < 100; ++step) {
            QWidget *before = QApplication::focusWidget();
            QVERIFY(before);
            QWidget *expected = before->nextInFocusChain();
            while (expected != before && !isTabStop(expected, m_window))
                expected = expected->nextInFocusChain();
            if (!panel->isAncestorOf(expected))
                break;
            QWidget *from = outerControl(before, panel);
            QTest::keyClick(before, Qt::Key_Tab);
            QWidget *now = QApplication::focusWidget();
            QString how = u"Tab"_s;
            if (now && outerControl(now, panel) == from
                && (qobject_cast<QPlainTextEdit *>(from) || qobject_cast<QTextEdit *>(from))) {
                QTest::keyClick(now, Qt::Key_Tab, Qt::ControlModifier);
                now = QApplication::focusWidget();
                how = u"Ctrl+Tab"_s;
            }
            if (now != expected) {
                QWidget *to = now ? outerControl(now, panel) : nullptr;
                problems.append(u"%1 pressed in %2 goes to %3, not to %4%5"_s.arg(
                    how, describe(from), to ? describe(to) : u"nowhere"_s,
                    describe(outerControl(expected, panel)),
                    to == from ? u" (the control keeps the focus)"_s : QString()));
                break;
            }
        }
    }
    QStringList order;
    for (QWidget *control : std::as_const(visited))
        order.append(control->objectName());
    QVERIFY2(problems.isEmpty(),
             qPrintable(u"tab order of \"%1\" (%2):\n  "_s.arg(
                            QString::fromLatin1(panelStates().at(state).name), order.join(u" → "_s))
                        + problems.join(u"\n  "_s)));
}

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
