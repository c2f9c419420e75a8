// SPDX-License-Identifier: GPL-3.0-or-later
// FailureGroupsView on its own, over a FailureGroupModel fed by hand: the largest cause is
// current at once, and showing or retrying a cause asks for that cause's items.

#include "failuregroupsview.h"
#include "requirechild.h"

#include "models/failuregroupmodel.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

ItemResult failure(qint64 id, int httpStatus, const QByteArray &answer)
{
    ItemResult result;
    result.id = id;
    result.key = u"item-%1"_s.arg(id);
    result.status = ItemStatus::Failed;
    result.httpStatus = httpStatus;
    result.attempts = 1;
    result.error = u"HTTP %1"_s.arg(httpStatus);
    result.responseBody = answer;
    return result;
}

} // namespace

class TestFailureGroupsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void largestCauseIsCurrentAtOnce();
    void retryAsksForTheCurrentCausesItems();
    void showAsksForTheCurrentCause();
    void showSearchesWhatEveryItemOfTheCauseHas();
    void nothingToActOnWithoutGroups();

private:
    template<typename T>
    T *child(const char *name) const
    {
        return requireChild<T>(m_view, name);
    }
    void addTwoCauses();

    FailureGroupModel *m_model = nullptr;
    FailureGroupsView *m_view = nullptr;
};

void TestFailureGroupsView::init()
{
    m_model = new FailureGroupModel(this);
    m_view = new FailureGroupsView;
    m_view->setModel(m_model);
    m_view->show();
}

void TestFailureGroupsView::cleanup()
{
    delete m_view;
    delete m_model;
}

void TestFailureGroupsView::addTwoCauses()
{
    // Three items while the API was busy, then one refused as a duplicate.
    for (const qint64 id : {4, 2, 7})
        m_model->addResult(failure(id, 503, "{\"error\":\"busy\"}"));
    m_model->addResult(failure(9, 409, "{\"error\":\"duplicate id\"}"));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 2);
}

void TestFailureGroupsView::largestCauseIsCurrentAtOnce()
{
    addTwoCauses();
    auto *table = child<QTableView>("groupsTable");
    QCOMPARE(table->currentIndex().row(), 0);
    QVERIFY(m_model->index(0, FailureGroupModel::Message).data().toString().contains(u"busy"_s));
    QVERIFY(child<QPushButton>("showGroupButton")->isEnabled());
    // Retry waits until the run can take one.
    QVERIFY(!child<QPushButton>("retryGroupButton")->isEnabled());
    m_view->setRetryEnabled(true);
    QVERIFY(child<QPushButton>("retryGroupButton")->isEnabled());
}

void TestFailureGroupsView::retryAsksForTheCurrentCausesItems()
{
    QSignalSpy retry(m_view, &FailureGroupsView::retryRequested);
    addTwoCauses();
    m_view->setRetryEnabled(true);
    QTest::mouseClick(child<QPushButton>("retryGroupButton"), Qt::LeftButton);
    QCOMPARE(retry.size(), 1);
    QCOMPARE(retry.at(0).at(0).value<QList<qint64>>(), (QList<qint64> {2, 4, 7}));

    // The other cause, chosen with the mouse.
    auto *table = child<QTableView>("groupsTable");
    const QModelIndex duplicate = m_model->index(1, FailureGroupModel::Message);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(duplicate).center());
    QTest::mouseClick(child<QPushButton>("retryGroupButton"), Qt::LeftButton);
    QCOMPARE(retry.size(), 2);
    QCOMPARE(retry.at(1).at(0).value<QList<qint64>>(), QList<qint64> {9});
}

void TestFailureGroupsView::showAsksForTheCurrentCause()
{
    QSignalSpy show(m_view, &FailureGroupsView::showRequested);
    addTwoCauses();
    QTest::mouseClick(child<QPushButton>("showGroupButton"), Qt::LeftButton);
    QCOMPARE(show.size(), 1);
    QCOMPARE(show.at(0).at(0).value<ItemStatus>(), ItemStatus::Failed);
    QCOMPARE(show.at(0).at(1).toString(),
             m_model->index(0, FailureGroupModel::Message).data().toString());

    // Activating a group (Return in the table) asks the same.
    auto *table = child<QTableView>("groupsTable");
    table->setFocus();
    table->setCurrentIndex(m_model->index(1, 0));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(show.size(), 2);
    QCOMPARE(show.at(1).at(1).toString(),
             m_model->index(1, FailureGroupModel::Message).data().toString());
    QVERIFY(show.at(1).at(1).toString().contains(u"duplicate"_s));
}

void TestFailureGroupsView::showSearchesWhatEveryItemOfTheCauseHas()
{
    // Bulk conflicts whose reason names each document: one cause, whose message stands for the
    // key; the items are searched by the part after it. A message cut short is searched
    // without its ellipsis.
    QList<ItemResult> conflicts;
    for (const qint64 id : {3, 5, 8}) {
        ItemResult result = failure(id, 409, {});
        result.error = u"HTTP 409: version_conflict_engine_exception: [%1]: version conflict, "
                       u"document already exists"_s.arg(result.key);
        conflicts.append(result);
        m_model->addResult(result);
    }
    const QString longReason(150, u'x');
    ItemResult cut = failure(11, 400, {});
    cut.error = u"HTTP 400: "_s + longReason;
    m_model->addResult(cut);
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 2);
    QVERIFY(m_model->index(0, FailureGroupModel::Message)
                .data()
                .toString()
                .contains(FailureGroupModel::KeyMark));

    QSignalSpy show(m_view, &FailureGroupsView::showRequested);
    QTest::mouseClick(child<QPushButton>("showGroupButton"), Qt::LeftButton);
    QCOMPARE(show.size(), 1);
    const QString text = show.at(0).at(1).toString();
    QCOMPARE(text, u"]: version conflict, document already exists"_s);
    for (const ItemResult &result : std::as_const(conflicts))
        QVERIFY(result.error.contains(text));

    auto *table = child<QTableView>("groupsTable");
    table->setFocus();
    table->setCurrentIndex(m_model->index(1, 0));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(show.size(), 2);
    QCOMPARE(show.at(1).at(1).toString(), longReason.left(FailureGroupModel::MaxMessageLength));
}

void TestFailureGroupsView::nothingToActOnWithoutGroups()
{
    m_view->setRetryEnabled(true);
    QVERIFY(!child<QPushButton>("showGroupButton")->isEnabled());
    QVERIFY(!child<QPushButton>("retryGroupButton")->isEnabled());
    addTwoCauses();
    QVERIFY(child<QPushButton>("retryGroupButton")->isEnabled());
    m_model->clear();
    QVERIFY(!child<QPushButton>("showGroupButton")->isEnabled());
    QVERIFY(!child<QPushButton>("retryGroupButton")->isEnabled());
}

QTEST_MAIN(TestFailureGroupsView)
#include "tst_failuregroupsview.moc"
