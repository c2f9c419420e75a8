// SPDX-License-Identifier: GPL-3.0-or-later
// ItemDetailsView on its own, over a TransferStatusModel fed by hand: what it shows for
// no item, a delivered item and a failed one, and the edit-and-retry of a failed item's JSON.

#include "itemdetailsview.h"
#include "requirechild.h"

#include "models/transferstatusmodel.h"

#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 DeliveredId = 0;
constexpr qint64 FailedId = 1;
constexpr qint64 RemarkId = 2;
const QString Remark = u"delivered by an earlier attempt whose answer was lost (CouchDB answered "
                       u"conflict: Document update conflict to the re-sent document)"_s;
} // namespace

class TestItemDetailsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void noItemSelected();
    void deliveredItemIsReadOnly();
    void failedItemIsSentWithItsEditedJson();
    void brokenJsonIsNotSent();
    void anItemDeliveredMeanwhileIsNotSent();
    void restoredEditCountsAsEdited();
    void deliveredWithARemarkShowsIt();

private:
    template<typename T>
    T *child(const char *name) const
    {
        return requireChild<T>(m_view, name);
    }
    bool shown(const char *name) const { return child<QWidget>(name)->isVisibleTo(m_view); }

    TransferStatusModel *m_model = nullptr;
    ItemDetailsView *m_view = nullptr;
};

void TestItemDetailsView::init()
{
    m_model = new TransferStatusModel(this);
    m_model->addItems({Item {DeliveredId, u"sensor-1"_s, "{\"id\":1}", {}, {}},
                       Item {FailedId, u"sensor-2"_s, "{\"id\":2}", {}, {}},
                       Item {RemarkId, u"sensor-3"_s, "{\"id\":3}", {}, {}}});
    ItemResult delivered;
    delivered.id = DeliveredId;
    delivered.key = u"sensor-1"_s;
    delivered.status = ItemStatus::Delivered;
    delivered.httpStatus = 201;
    delivered.attempts = 1;
    delivered.payload = "{\"id\":1}";
    delivered.responseBody = "{\"result\":\"created\"}";
    m_model->setResult(delivered);
    ItemResult failed;
    failed.id = FailedId;
    failed.key = u"sensor-2"_s;
    failed.status = ItemStatus::Failed;
    failed.httpStatus = 422;
    failed.attempts = 2;
    failed.error = u"HTTP 422 Unprocessable Entity: bad value"_s;
    failed.payload = "{\"id\":2}";
    failed.responseBody = "{\"error\":\"bad value\"}";
    m_model->setResult(failed);
    ItemResult remarked = delivered;
    remarked.id = RemarkId;
    remarked.key = u"sensor-3"_s;
    remarked.httpStatus = 409;
    remarked.attempts = 2;
    remarked.payload = "{\"id\":3}";
    remarked.responseBody = {};
    remarked.note = Remark;
    m_model->setResult(remarked);
    m_model->flush();

    m_view = new ItemDetailsView;
    m_view->setModel(m_model);
    m_view->show();
}

void TestItemDetailsView::cleanup()
{
    delete m_view;
    delete m_model;
}

void TestItemDetailsView::noItemSelected()
{
    QCOMPARE(m_view->itemId(), qint64(-1));
    QCOMPARE(child<QLabel>("itemTitleLabel")->text(), ItemDetailsView::tr("No item selected."));
    QVERIFY(child<QPlainTextEdit>("payloadEdit")->isReadOnly());
    QVERIFY(child<QPlainTextEdit>("payloadEdit")->toPlainText().isEmpty());
    QVERIFY(!shown("retryEditedButton"));
    QVERIFY(!shown("itemErrorLabel"));
    QVERIFY(!shown("itemNoteLabel"));

    // An id the model does not have shows nothing either.
    m_view->showItem(99);
    QCOMPARE(m_view->itemId(), qint64(-1));
    QCOMPARE(child<QLabel>("itemTitleLabel")->text(), ItemDetailsView::tr("No item selected."));
}

void TestItemDetailsView::deliveredItemIsReadOnly()
{
    m_view->showItem(DeliveredId);
    QCOMPARE(m_view->itemId(), DeliveredId);
    const QString title = child<QLabel>("itemTitleLabel")->text();
    QVERIFY2(title.contains(u"sensor-1"_s) && title.contains(u"delivered"_s)
                 && title.contains(u"201"_s),
             qPrintable(title));
    auto *payload = child<QPlainTextEdit>("payloadEdit");
    QVERIFY(payload->isReadOnly());
    // Indented, as the steward reads it.
    QCOMPARE(payload->toPlainText(), u"{\n    \"id\": 1\n}"_s);
    QVERIFY(child<QPlainTextEdit>("responseEdit")->toPlainText().contains(u"created"_s));
    QVERIFY(!shown("retryEditedButton"));
    QVERIFY(!shown("itemErrorLabel"));
    QVERIFY(!shown("itemNoteLabel"));
    QVERIFY(!m_view->isEdited());
}

void TestItemDetailsView::failedItemIsSentWithItsEditedJson()
{
    QSignalSpy retry(m_view, &ItemDetailsView::retryRequested);
    m_view->showItem(FailedId);
    auto *payload = child<QPlainTextEdit>("payloadEdit");
    auto *button = child<QPushButton>("retryEditedButton");
    QVERIFY(!payload->isReadOnly());
    QVERIFY(shown("retryEditedButton"));
    QVERIFY(shown("itemErrorLabel"));
    QVERIFY(child<QLabel>("itemErrorLabel")->text().contains(u"bad value"_s));
    QVERIFY(!shown("itemNoteLabel"));
    QVERIFY(child<QLabel>("itemTitleLabel")->text().contains(u"attempts: 2"_s));
    // Only while the run can take a retry.
    QVERIFY(!button->isEnabled());
    m_view->setRetryEnabled(true);
    QVERIFY(button->isEnabled());

    payload->selectAll();
    QTest::keyClicks(payload, u"{\"id\": 2, \"value\": \"fixed\"}"_s);
    QVERIFY(m_view->isEdited());
    QCOMPARE(m_view->payloadText(), u"{\"id\": 2, \"value\": \"fixed\"}"_s);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(retry.size(), 1);
    QCOMPARE(retry.at(0).at(0).toLongLong(), FailedId);
    // Stored compact, as it goes out.
    QCOMPARE(m_model->payloadFor(FailedId), QByteArray("{\"id\":2,\"value\":\"fixed\"}"));
    QVERIFY(!m_view->isEdited());

    // Another item: the retry goes away with the editing.
    m_view->showItem(DeliveredId);
    QVERIFY(!button->isEnabled());
}

void TestItemDetailsView::brokenJsonIsNotSent()
{
    QSignalSpy retry(m_view, &ItemDetailsView::retryRequested);
    m_view->setRetryEnabled(true);
    m_view->showItem(FailedId);
    auto *payload = child<QPlainTextEdit>("payloadEdit");
    payload->selectAll();
    QTest::keyClicks(payload, u"{\"id\": 2,"_s);
    QTest::mouseClick(child<QPushButton>("retryEditedButton"), Qt::LeftButton);
    QVERIFY(shown("payloadErrorLabel"));
    QVERIFY2(child<QLabel>("payloadErrorLabel")->text().contains(u"line 1"_s),
             qPrintable(child<QLabel>("payloadErrorLabel")->text()));
    QCOMPARE(retry.size(), 0);
    QCOMPARE(m_model->payloadFor(FailedId), QByteArray("{\"id\":2}"));

    // Typing again takes the complaint away.
    QTest::keyClicks(payload, u" \"v\": 1}"_s);
    QVERIFY(!shown("payloadErrorLabel"));

    // Nothing at all is not a payload either.
    payload->clear();
    QTest::mouseClick(child<QPushButton>("retryEditedButton"), Qt::LeftButton);
    QVERIFY(shown("payloadErrorLabel"));
    QCOMPARE(retry.size(), 0);
}

void TestItemDetailsView::anItemDeliveredMeanwhileIsNotSent()
{
    QSignalSpy retry(m_view, &ItemDetailsView::retryRequested);
    m_view->setRetryEnabled(true);
    m_view->showItem(FailedId);
    ItemResult delivered;
    delivered.id = FailedId;
    delivered.key = u"sensor-2"_s;
    delivered.status = ItemStatus::Delivered;
    delivered.httpStatus = 200;
    delivered.attempts = 3;
    m_model->setResult(delivered);
    QTest::mouseClick(child<QPushButton>("retryEditedButton"), Qt::LeftButton);
    QVERIFY(shown("payloadErrorLabel"));
    QCOMPARE(retry.size(), 0);
}

void TestItemDetailsView::restoredEditCountsAsEdited()
{
    m_view->showItem(FailedId);
    auto *payload = child<QPlainTextEdit>("payloadEdit");
    payload->selectAll();
    QTest::keyClicks(payload, u"{\"id\": 22}"_s);
    const QString edit = m_view->payloadText();
    // Showing the item again discards the edit ...
    m_view->showItem(FailedId);
    QVERIFY(!m_view->isEdited());
    QCOMPARE(QJsonDocument::fromJson(payload->toPlainText().toUtf8()),
             QJsonDocument::fromJson("{\"id\":2}"));
    // ... and the owner can put it back.
    m_view->restoreEdit(edit);
    QVERIFY(m_view->isEdited());
    QCOMPARE(payload->toPlainText(), u"{\"id\": 22}"_s);
}

void TestItemDetailsView::deliveredWithARemarkShowsIt()
{
    // Delivered, but not as plainly as the others: the remark is shown where a failure shows
    // its error, read-only, and not in the error colour.
    m_view->showItem(RemarkId);
    const QString title = child<QLabel>("itemTitleLabel")->text();
    QVERIFY2(title.contains(u"delivered"_s) && title.contains(u"HTTP 409"_s), qPrintable(title));
    QVERIFY(shown("itemNoteLabel"));
    auto *note = child<QLabel>("itemNoteLabel");
    QCOMPARE(note->text(), Remark);
    QCOMPARE(note->textFormat(), Qt::PlainText);
    QVERIFY(note->palette().color(QPalette::WindowText)
            != child<QLabel>("itemErrorLabel")->palette().color(QPalette::WindowText));
    QVERIFY(!shown("itemErrorLabel"));
    QVERIFY(!shown("retryEditedButton"));
    QVERIFY(child<QPlainTextEdit>("payloadEdit")->isReadOnly());
    QCOMPARE(child<QPlainTextEdit>("payloadEdit")->toPlainText(), u"{\n    \"id\": 3\n}"_s);

    // Another item takes it away; coming back shows it again.
    m_view->showItem(FailedId);
    QVERIFY(!shown("itemNoteLabel"));
    m_view->showItem(DeliveredId);
    QVERIFY(!shown("itemNoteLabel"));
    m_view->showItem(RemarkId);
    QVERIFY(shown("itemNoteLabel"));
    m_view->showItem(-1);
    QVERIFY(!shown("itemNoteLabel"));
}

QTEST_MAIN(TestItemDetailsView)
#include "tst_itemdetailsview.moc"
