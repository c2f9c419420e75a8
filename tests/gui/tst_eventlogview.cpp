// SPDX-License-Identifier: GPL-3.0-or-later
// EventLogView on its own, over an EventLog filled by hand: the size line, Copy and Clear,
// and activating an item's line.

#include "eventlogview.h"
#include "requirechild.h"

#include "log/eventlog.h"
#include "models/eventlogmodel.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

class TestEventLogView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sizeLineCountsEntriesAndDrops();
    void copyWritesTheSelectedLines();
    void activatingAnItemsLineAsksForIt();
    void clearEmptiesTheLog();

private:
    template<typename T>
    T *child(const char *name) const
    {
        return requireChild<T>(m_view, name);
    }
    /// "started", an error about item 5 ("item-5 failed"), "finished"; flushed.
    void appendThree();

    EventLog *m_log = nullptr;
    EventLogView *m_view = nullptr;
};

void TestEventLogView::init()
{
    m_log = new EventLog(this);
    m_view = new EventLogView;
    m_view->setLog(m_log);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
    m_view->activateWindow(); // Ctrl+C is a shortcut of the focused list
    QVERIFY(QTest::qWaitForWindowActive(m_view));
}

void TestEventLogView::cleanup()
{
    delete m_view;
    delete m_log;
}

void TestEventLogView::appendThree()
{
    m_log->append(EventLog::Severity::Info, u"started"_s);
    m_log->append(EventLog::Severity::Error, u"item-5 failed"_s, 5, u"item-5"_s, 422);
    m_log->append(EventLog::Severity::Warning, u"finished"_s);
    m_view->model()->flush();
}

void TestEventLogView::sizeLineCountsEntriesAndDrops()
{
    auto *info = child<QLabel>("logInfoLabel");
    QCOMPARE(info->text(), u"0 entries"_s);
    QVERIFY(!child<QPushButton>("clearLogButton")->isEnabled());
    m_log->append(EventLog::Severity::Info, u"one"_s);
    m_view->model()->flush();
    QCOMPARE(info->text(), u"1 entry"_s);
    QVERIFY(child<QPushButton>("clearLogButton")->isEnabled());

    m_log->setCapacity(3);
    appendThree();
    QCOMPARE(m_view->model()->rowCount(), 3);
    QCOMPARE(info->text(),
             EventLogView::tr("The newest %1 entries; %2 older ones were dropped.").arg(3).arg(1));
}

void TestEventLogView::copyWritesTheSelectedLines()
{
    appendThree();
    auto *copy = child<QPushButton>("copyLogButton");
    QVERIFY(!copy->isEnabled());
    auto *view = child<QListView>("logView");
    view->selectionModel()->select(m_view->model()->index(2), QItemSelectionModel::Select);
    view->selectionModel()->select(m_view->model()->index(0), QItemSelectionModel::Select);
    QVERIFY(copy->isEnabled());
    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(copy, Qt::LeftButton);
    // Oldest first whatever the order of selecting, time and text tab-separated.
    const QStringList lines = QGuiApplication::clipboard()->text().split(u'\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).endsWith(u"\tstarted"_s), qPrintable(lines.at(0)));
    QVERIFY2(lines.at(1).endsWith(u"\tfinished"_s), qPrintable(lines.at(1)));
    QVERIFY(lines.at(2).isEmpty());

    // Ctrl+C in the list does the same.
    QGuiApplication::clipboard()->clear();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text().count(u'\n'), 2);
}

void TestEventLogView::activatingAnItemsLineAsksForIt()
{
    QSignalSpy activated(m_view, &EventLogView::itemActivated);
    appendThree();
    auto *view = child<QListView>("logView");
    view->setFocus();
    view->setCurrentIndex(m_view->model()->index(1));
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toLongLong(), 5);
    // A line about no item asks nothing.
    view->setCurrentIndex(m_view->model()->index(0));
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
}

void TestEventLogView::clearEmptiesTheLog()
{
    appendThree();
    QTest::mouseClick(child<QPushButton>("clearLogButton"), Qt::LeftButton);
    QVERIFY(m_log->isEmpty());
    QCOMPARE(m_view->model()->rowCount(), 0);
    QVERIFY(!child<QPushButton>("clearLogButton")->isEnabled());
    QCOMPARE(child<QLabel>("logInfoLabel")->text(), u"0 entries"_s);
}

QTEST_MAIN(TestEventLogView)
#include "tst_eventlogview.moc"
