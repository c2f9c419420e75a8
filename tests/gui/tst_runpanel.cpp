// SPDX-License-Identifier: GPL-3.0-or-later
// The Run panel driven as a steward would: Start, watch the table, filter, search, read a
// failure, edit its JSON, retry, cancel; against a real SQLite file and TestSink.

#include "requirechild.h"
#include "runpanel.h"
#include "runsession.h"
#include "sqlitefixture.h"
#include "testsink.h"

#include "models/eventlogmodel.h"
#include "models/failuregroupmodel.h"
#include "models/itemsortproxy.h"
#include "models/transferstatusmodel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {
constexpr int Rows = 300;
constexpr int Timeout = 30000;
} // namespace

class TestRunPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void startDeliversEveryItem();
    void failuresFilterSearchDetailsAndRetryAll();
    void editedJsonIsSent();
    void editedJsonIsSentExactly();
    void cancelMidRun();
    void exportFailedWritesNdjsonAndCsv();
    void logShowsFailuresAndLeadsToTheItem();
    void retryOneCauseOnly();
    void progressTotalIsKnownBeforeTheSourceEnds();
    void sortNaturallyAndKeepTheItemAcrossFilters();
    void couchBulkRunShowsRemarksAndConflictsPerItem();

private:
    TransferSpec makeSpec() const;
    template<typename T>
    T *child(const char *name) const
    {
        return requireChild<T>(m_panel, name);
    }
    void startAndWaitForFinish();
    /// Runs with item 7 rejected (422) while *rejecting holds, then filters to Failed and
    /// selects that item.
    void runAndSelectRejectedItem(const bool *rejecting);
    /// Clicks the table cell of proxy row.
    void clickRow(int row);

    QTemporaryDir m_dir;
    TestSink m_sink;
    QString m_db;
    RunPanel *m_panel = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
};

void TestRunPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sink.isListening());
    QList<QVariantList> rows;
    for (int i = 1; i <= Rows; ++i)
        rows.append({i, u"sensor-%1"_s.arg(i), i * 0.5});
    QString error;
    m_db = SqliteFixture::create(
        m_dir.path(), u"rows.db"_s,
        {u"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, value REAL)"_s}, u"t"_s, rows,
        &error);
    QVERIFY2(!m_db.isEmpty(), qPrintable(error));
}

TransferSpec TestRunPanel::makeSpec() const
{
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = m_db;
    spec.query.sql = u"SELECT id, name, value FROM t ORDER BY id"_s;
    spec.transform.present = true;
    spec.transform.key = u"{{name}}"_s;
    spec.transform.templ = R"({"id":"{{id}}","value":"{{value}}"})";
    spec.target.url = m_sink.url().toString() + u"items"_s;
    spec.run.chunkSize = 50;
    spec.run.concurrency = 4;
    spec.run.maxRetries = 0;
    return spec;
}

void TestRunPanel::init()
{
    m_sink.clear();
    m_sink.setHandler(nullptr);
    m_sink.setDefaultDelayMs(0);
    m_panel = new RunPanel;
    m_panel->resize(1100, 650);
    m_panel->setSpecProvider([this] { return std::optional<TransferSpec>(makeSpec()); });
    m_panel->model()->setFlushInterval(20);
    m_tester = new QAbstractItemModelTester(
        m_panel->proxyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, m_panel);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel));
}

void TestRunPanel::cleanup()
{
    delete m_panel;
    m_panel = nullptr;
    m_sink.setHandler(nullptr);
}

void TestRunPanel::startAndWaitForFinish()
{
    QTest::mouseClick(child<QToolButton>("startButton"), Qt::LeftButton);
    QVERIFY(m_panel->run());
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->run()->state(), TransferRun::State::Finished, Timeout);
}

void TestRunPanel::runAndSelectRejectedItem(const bool *rejecting)
{
    m_sink.setHandler([rejecting](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (*rejecting && r.jsonId == u"7"_s) {
            reply.status = 422;
            reply.body = QByteArrayLiteral("{\"error\":\"invalid value\"}");
        }
        return reply;
    });
    startAndWaitForFinish();
    QTRY_COMPARE(m_panel->model()->count(ItemStatus::Failed), 1);
    auto *combo = child<QComboBox>("filterCombo");
    combo->setCurrentIndex(combo->findText(RunPanel::tr("Failed")));
    QTRY_COMPARE(m_panel->proxyModel()->rowCount(), 1);
    clickRow(0);
}

void TestRunPanel::clickRow(int row)
{
    auto *table = child<QTableView>("itemTable");
    const QModelIndex index = m_panel->proxyModel()->index(row, TransferStatusModel::Key);
    table->scrollTo(index);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
}

void TestRunPanel::startDeliversEveryItem()
{
    QCOMPARE(child<QToolButton>("startButton")->defaultAction(), m_panel->startAction());
    QTest::mouseClick(child<QToolButton>("startButton"), Qt::LeftButton);
    QVERIFY(m_panel->run());
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->model()->count(ItemStatus::Delivered), Rows, Timeout);
    QTRY_VERIFY(!m_panel->isRunning());
    QCOMPARE(m_sink.deliveredCount(), Rows);
    QCOMPARE(m_panel->proxyModel()->rowCount(), Rows);
    QTRY_VERIFY(child<QLabel>("deliveredLabel")->text().contains(u"<b>%1</b>"_s.arg(Rows)));
    QVERIFY(child<QLabel>("failedLabel")->text().contains(u"<b>0</b>"_s));
    QCOMPARE(child<QLabel>("stateLabel")->text(), RunPanel::tr("Completed"));
    // The protocol the sink answered over stays shown; nothing slowed the run down.
    QCOMPARE(child<QLabel>("connectionLabel")->text(), QStringLiteral("HTTP/1.1"));
    auto *bar = child<QProgressBar>("progressBar");
    QCOMPARE(bar->maximum(), Rows);
    QCOMPARE(bar->value(), Rows);
    QVERIFY(m_panel->startAction()->isEnabled());
    QVERIFY(!m_panel->cancelAction()->isEnabled());
    // A delivered item shows the JSON it was sent with and the API's answer, read-only.
    clickRow(Rows - 1);
    auto *payload = child<QPlainTextEdit>("payloadEdit");
    QCOMPARE(QJsonDocument::fromJson(payload->toPlainText().toUtf8())
                 .object()
                 .value(u"id"_s)
                 .toInteger(),
             Rows);
    QVERIFY(payload->isReadOnly());
    QVERIFY(child<QPlainTextEdit>("responseEdit")->toPlainText().contains(u"created"_s));
    QVERIFY(!child<QPushButton>("retryEditedButton")->isVisible());

    // A second Start replaces the run and clears the table.
    TransferRun *first = m_panel->run();
    QTest::mouseClick(child<QToolButton>("startButton"), Qt::LeftButton);
    QVERIFY(m_panel->run() != first);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->model()->count(ItemStatus::Delivered), Rows, Timeout);
    QCOMPARE(m_panel->model()->rowCount(), Rows);
}

void TestRunPanel::failuresFilterSearchDetailsAndRetryAll()
{
    const auto fails = [](const QString &id) {
        return id.toInt() % 10 == 0;
    };
    m_sink.setHandler([&](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (fails(r.jsonId)) {
            reply.status = 503;
            reply.body = QByteArrayLiteral("{\"error\":\"busy, try later\"}");
        }
        return reply;
    });
    startAndWaitForFinish();
    const int failed = Rows / 10;
    TransferStatusModel *model = m_panel->model();
    QTRY_COMPARE(model->count(ItemStatus::Failed), failed);
    QTRY_VERIFY(child<QLabel>("failedLabel")->text().contains(u"<b>%1</b>"_s.arg(failed)));
    QVERIFY(m_panel->retryFailedAction()->isEnabled());

    // Filter to Failed, then search a key.
    auto *combo = child<QComboBox>("filterCombo");
    combo->setFocus();
    combo->setCurrentIndex(combo->findText(RunPanel::tr("Failed")));
    QTRY_COMPARE(m_panel->proxyModel()->rowCount(), failed);
    const QString search = u"sensor-1"_s;
    int expected = 0;
    for (int i = 10; i <= Rows; i += 10)
        expected += u"sensor-%1"_s.arg(i).contains(search) ? 1 : 0;
    QTest::keyClicks(child<QLineEdit>("searchEdit"), search);
    QTRY_COMPARE(m_panel->proxyModel()->rowCount(), expected);
    // Error text is searched too.
    child<QLineEdit>("searchEdit")->clear();
    QTest::keyClicks(child<QLineEdit>("searchEdit"), u"BUSY, TRY"_s);
    QTRY_COMPARE(m_panel->proxyModel()->rowCount(), failed);

    // Details of a failed row.
    clickRow(0);
    const QString payload = child<QPlainTextEdit>("payloadEdit")->toPlainText();
    const QJsonObject object = QJsonDocument::fromJson(payload.toUtf8()).object();
    const QString id = object.value(u"id"_s).toVariant().toString();
    QVERIFY2(!id.isEmpty() && fails(id), qPrintable(payload));
    QVERIFY(!child<QPlainTextEdit>("payloadEdit")->isReadOnly());
    QVERIFY(child<QPlainTextEdit>("responseEdit")->toPlainText().contains(u"busy, try later"_s));
    QVERIFY(child<QLabel>("itemErrorLabel")->text().contains(u"503"_s));

    if (!qEnvironmentVariableIsEmpty("RUNPANEL_GRAB")) {
        combo->setCurrentIndex(0);
        child<QLineEdit>("searchEdit")->clear();
        QTRY_COMPARE(m_panel->proxyModel()->rowCount(), Rows);
        clickRow(9);
        // One picture per details tab: name.png, name-failuresTab.png, name-logTab.png.
        const QString grab = qEnvironmentVariable("RUNPANEL_GRAB");
        m_panel->grab().save(grab);
        auto *tabs = child<QTabWidget>("detailsTabs");
        for (const char *tab : {"failuresTab", "logTab"}) {
            tabs->setCurrentWidget(child<QWidget>(tab));
            QString name = grab;
            name.insert(name.lastIndexOf(u'.'), u'-' + QLatin1String(tab));
            m_panel->grab().save(name);
        }
        tabs->setCurrentIndex(0);
    }

    // The API recovers: retry all failed.
    m_sink.setHandler(nullptr);
    QTest::mouseClick(child<QToolButton>("retryFailedButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(model->count(ItemStatus::Delivered), Rows, Timeout);
    QTRY_VERIFY(!m_panel->isRunning());
    for (int row = 0; row < model->rowCount(); ++row) {
        const int id = int(model->idAt(row)) + 1;
        QCOMPARE(model->index(row, TransferStatusModel::Attempts)
                     .data(TransferStatusModel::SortRole)
                     .toInt(),
                 fails(QString::number(id)) ? 2 : 1);
    }
    QTRY_VERIFY(child<QLabel>("deliveredLabel")->text().contains(u"<b>%1</b>"_s.arg(Rows)));
}

void TestRunPanel::editedJsonIsSent()
{
    bool broken = true;
    runAndSelectRejectedItem(&broken);
    auto *combo = child<QComboBox>("filterCombo");
    auto *edit = child<QPlainTextEdit>("payloadEdit");
    QCOMPARE(QJsonDocument::fromJson(edit->toPlainText().toUtf8())
                 .object()
                 .value(u"id"_s)
                 .toVariant()
                 .toString(),
             u"7"_s);
    auto *retry = child<QPushButton>("retryEditedButton");
    QVERIFY(retry->isVisible());

    // Broken JSON: inline error, nothing sent.
    const int before = m_sink.requestCount();
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, u"{\"id\": \"7\", "_s);
    QTest::mouseClick(retry, Qt::LeftButton);
    QVERIFY(child<QLabel>("payloadErrorLabel")->isVisible());
    QVERIFY(!child<QLabel>("payloadErrorLabel")->text().isEmpty());
    QCOMPARE(m_sink.requestCount(), before);

    // Fixed JSON goes out as edited.
    broken = false;
    edit->selectAll();
    QTest::keyClicks(edit, u"{\"id\": \"7\", \"value\": \"fixed\"}"_s);
    QVERIFY(!child<QLabel>("payloadErrorLabel")->isVisible());
    // Showing all items again keeps the item selected and the edit.
    combo->setCurrentIndex(0);
    QTRY_COMPARE(m_panel->proxyModel()->rowCount(), Rows);
    QCOMPARE(edit->toPlainText(), u"{\"id\": \"7\", \"value\": \"fixed\"}"_s);
    QVERIFY(edit->document()->isModified());
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_sink.requestCount(), before + 1, Timeout);
    const QJsonObject sent = QJsonDocument::fromJson(m_sink.requests().constLast().body).object();
    QCOMPARE(sent.value(u"value"_s).toString(), u"fixed"_s);
    QTRY_COMPARE(m_panel->model()->count(ItemStatus::Delivered), Rows);
}

void TestRunPanel::editedJsonIsSentExactly()
{
    bool broken = true;
    runAndSelectRejectedItem(&broken);
    auto *combo = child<QComboBox>("filterCombo");
    auto *edit = child<QPlainTextEdit>("payloadEdit");
    auto *retry = child<QPushButton>("retryEditedButton");

    // An error names its line and column, with the words of the Transform step's editor.
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, u"{\"a\": 1 \"b\": 2}"_s);
    QTest::mouseClick(retry, Qt::LeftButton);
    QCOMPARE(child<QLabel>("payloadErrorLabel")->text(),
             u"Not valid JSON, line 1, column 8: missing comma (or a } to close the object)"_s);

    // What the steward wrote goes out as written: key order, 12.50, 1.10 and 30 digits
    // (through QJsonDocument they became alpha-first, 12.5, 1.1 and 1.2345678901234568e+29).
    broken = false;
    const int before = m_sink.requestCount();
    edit->selectAll();
    QTest::keyClicks(edit,
                     u"{\"value\": 12.50, \"id\": 74, \"zeta\": 1, \"alpha\": 2, "
                     u"\"huge\": 123456789012345678901234567890, \"price\": 1.10}"_s);
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_sink.requestCount(), before + 1, Timeout);
    const QByteArray exact = R"({"value":12.50,"id":74,"zeta":1,"alpha":2,)"
                             R"("huge":123456789012345678901234567890,"price":1.10})";
    QCOMPARE(m_sink.requests().constLast().body, exact);
    QTRY_COMPARE(m_panel->model()->count(ItemStatus::Delivered), Rows);

    // The details show the bytes that were sent, laid out, not a re-reading of them.
    combo->setCurrentIndex(0);
    QTRY_COMPARE(m_panel->proxyModel()->rowCount(), Rows);
    const QModelIndexList rows = m_panel->proxyModel()->match(
        m_panel->proxyModel()->index(0, 0), Qt::DisplayRole, u"sensor-7"_s, 1, Qt::MatchExactly);
    QCOMPARE(rows.size(), 1);
    clickRow(rows.first().row());
    QTRY_COMPARE(edit->toPlainText(),
                 u"{\n    \"value\": 12.50,\n    \"id\": 74,\n    \"zeta\": 1,\n    \"alpha\": 2,\n"
                 u"    \"huge\": 123456789012345678901234567890,\n    \"price\": 1.10\n}"_s);
}

void TestRunPanel::cancelMidRun()
{
    m_sink.setDefaultDelayMs(100);
    QSignalSpy running(m_panel, &RunPanel::runningChanged);
    QTest::mouseClick(child<QToolButton>("startButton"), Qt::LeftButton);
    QTRY_VERIFY(m_sink.requestCount() > 0);
    QVERIFY(m_panel->isRunning());
    QVERIFY(!m_panel->startAction()->isEnabled());
    QTest::mouseClick(child<QToolButton>("cancelButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->run()->state(), TransferRun::State::Finished, Timeout);
    QTRY_COMPARE(child<QLabel>("stateLabel")->text(), RunPanel::tr("Cancelled"));
    TransferStatusModel *model = m_panel->model();
    QCOMPARE(model->count(ItemStatus::Queued) + model->count(ItemStatus::Sending)
                 + model->count(ItemStatus::Retrying),
             0);
    QVERIFY(model->count(ItemStatus::Failed) > 0);
    QVERIFY(model->count(ItemStatus::Delivered) < Rows);
    QVERIFY(m_panel->startAction()->isEnabled());
    QCOMPARE(running.size(), 2);
    QCOMPARE(running.at(0).at(0).toBool(), true);
    QCOMPARE(running.at(1).at(0).toBool(), false);
}

void TestRunPanel::exportFailedWritesNdjsonAndCsv()
{
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (r.jsonId.toInt() % 50 == 0) {
            reply.status = 400;
            reply.body = QByteArrayLiteral("{\"error\":\"bad, \\\"really\\\"\"}");
        }
        return reply;
    });
    startAndWaitForFinish();
    const int failed = Rows / 50;
    QTRY_COMPARE(m_panel->model()->count(ItemStatus::Failed), failed);
    QVERIFY(m_panel->exportFailedAction()->isEnabled());

    QString error;
    const QString ndjson = m_dir.filePath(u"failed.ndjson"_s);
    QVERIFY2(m_panel->exportFailed(ndjson, RunPanel::ExportFormat::Ndjson, &error),
             qPrintable(error));
    QFile file(ndjson);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), failed);
    for (const QByteArray &line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QVERIFY2(o.value(u"key"_s).toString().startsWith(u"sensor-"_s), line.constData());
    }
    file.close();

    const QString csv = m_dir.filePath(u"failed.csv"_s);
    QVERIFY2(m_panel->exportFailed(csv, RunPanel::ExportFormat::Csv, &error), qPrintable(error));
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csvFile.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), failed + 1);
    QCOMPARE(rows.at(0).trimmed(), QByteArray("key,status,http status,attempts,error"));
    QVERIFY2(rows.at(1).startsWith("sensor-50,failed,400,1,"), rows.at(1).constData());

    QVERIFY(!m_panel->exportFailed(m_dir.filePath(u"no/such/dir/x.csv"_s),
                                   RunPanel::ExportFormat::Csv, &error));
    QVERIFY(error.contains(u"x.csv"_s));
}

void TestRunPanel::couchBulkRunShowsRemarksAndConflictsPerItem()
{
    // The sink plays CouchDB's _bulk_docs: it stores each document once and answers a conflict
    // for an id it holds. Someone else's documents hold sensor-100 and sensor-200 already. The
    // batch with sensor-1 is stored but its answer is lost (the connection drops; should Qt
    // re-send it by itself, with the same request id, that is dropped too).
    struct Couch
    {
        QSet<QString> stored {u"sensor-100"_s, u"sensor-200"_s};
        QByteArray lostRequestId;
    };
    auto couch = std::make_shared<Couch>();
    m_sink.setHandler([couch](const TestSink::Request &request) {
        const QJsonArray docs
            = QJsonDocument::fromJson(request.body).object().value("docs"_L1).toArray();
        QJsonArray answer;
        for (const QJsonValue &doc : docs) {
            const QString id = doc.toObject().value("_id"_L1).toString();
            if (id == u"sensor-1"_s && couch->lostRequestId.isEmpty())
                couch->lostRequestId = request.header("X-Request-ID");
            if (couch->stored.contains(id)) {
                answer.append(QJsonObject {{u"id"_s, id},
                                           {u"error"_s, u"conflict"_s},
                                           {u"reason"_s, u"Document update conflict."_s}});
            } else {
                couch->stored.insert(id);
                answer.append(QJsonObject {{u"ok"_s, true}, {u"id"_s, id}, {u"rev"_s, u"1-abc"_s}});
            }
        }
        TestSink::Reply reply;
        reply.dropConnection = request.header("X-Request-ID") == couch->lostRequestId;
        reply.body = QJsonDocument(answer).toJson(QJsonDocument::Compact);
        return reply;
    });
    m_panel->setSpecProvider([this] {
        TransferSpec spec = makeSpec();
        spec.target.url = m_sink.url().toString() + u"db/_bulk_docs"_s;
        spec.target.mode = TargetMode::CouchdbBulk;
        spec.target.batchSize = 50;
        spec.run.maxRetries = 3;
        return std::optional<TransferSpec>(spec);
    });
    FailureGroupModel *groups = m_panel->failureGroups();
    new QAbstractItemModelTester(groups, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 m_panel);
    new QAbstractItemModelTester(m_panel->logModel(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, m_panel);
    startAndWaitForFinish();
    TransferStatusModel *model = m_panel->model();
    QTRY_COMPARE(model->count(ItemStatus::Failed), 2);
    QCOMPARE(model->count(ItemStatus::Delivered), Rows - 2);
    QCOMPARE(couch->stored.size(), Rows);
    QVERIFY(!couch->lostRequestId.isEmpty());

    // One row per item, whichever request carried it, each with its own outcome.
    QCOMPARE(model->rowCount(), Rows);
    QSet<qint64> ids;
    QList<int> remarked;
    for (int row = 0; row < model->rowCount(); ++row) {
        const qint64 id = model->idAt(row);
        ids.insert(id);
        QCOMPARE(model->rowForId(id), row);
        const ItemResult result = model->resultAt(row);
        QCOMPARE(result.key, u"sensor-%1"_s.arg(id + 1));
        if (id == 99 || id == 199) {
            QCOMPARE(result.status, ItemStatus::Failed);
            QCOMPARE(result.httpStatus, 409);
            QVERIFY(result.note.isEmpty());
            QCOMPARE(result.error, u"HTTP 409: conflict: Document update conflict."_s);
            continue;
        }
        QCOMPARE(result.status, ItemStatus::Delivered);
        if (!result.note.isEmpty()) {
            remarked.append(row);
            QVERIFY2(result.note.contains(u"earlier attempt whose answer was lost"_s),
                     qPrintable(result.note));
            QVERIFY(result.attempts >= 2);
        }
    }
    QCOMPARE(ids.size(), Rows);
    QCOMPARE(remarked.size(), 50); // the lost batch, and only it
    QVERIFY(remarked.contains(0));

    // The two conflicts are one cause.
    QTRY_COMPARE(groups->rowCount(), 1);
    QCOMPARE(groups->index(0, FailureGroupModel::Count).data(FailureGroupModel::CountRole).toInt(),
             2);
    QCOMPARE(groups->ids(0), (QList<qint64> {99, 199}));
    QCOMPARE(groups->index(0, FailureGroupModel::Message).data().toString(),
             u"conflict: Document update conflict."_s);

    // The remark shows in the item's details, and the log leads to each remarked item.
    const int row = remarked.constLast();
    const QModelIndex index
        = m_panel->proxyModel()->mapFromModel(model->index(row, TransferStatusModel::Key));
    clickRow(index.row());
    QTRY_VERIFY(child<QLabel>("itemTitleLabel")->text().contains(model->keyAt(row)));
    auto *note = child<QLabel>("itemNoteLabel");
    QVERIFY(note->isVisibleTo(m_panel));
    QCOMPARE(note->text(), model->resultAt(row).note);
    QVERIFY(!child<QLabel>("itemErrorLabel")->isVisibleTo(m_panel));
    // The log model shows new lines after its flush timer.
    EventLogModel *log = m_panel->logModel();
    const auto remarkLines = [log] {
        QSet<qint64> logged;
        for (int line = 0; line < log->rowCount(); ++line) {
            const QModelIndex index = log->index(line);
            if (index.data(EventLogModel::TextRole)
                    .toString()
                    .contains(u"delivered: delivered by an earlier attempt"_s)
                && index.data(EventLogModel::SeverityRole).toInt() == int(EventLog::Severity::Info))
                logged.insert(index.data(EventLogModel::ItemIdRole).toLongLong());
        }
        return logged;
    };
    QTRY_COMPARE(remarkLines().size(), 50);
    QVERIFY(remarkLines().contains(model->idAt(row)));
}

QTEST_MAIN(TestRunPanel)
#include "tst_runpanel.moc"

void TestRunPanel::logShowsFailuresAndLeadsToTheItem()
{
    new QAbstractItemModelTester(m_panel->logModel(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, m_panel);
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (r.jsonId.toInt() % 50 == 0) {
            reply.status = 422;
            reply.body = QByteArrayLiteral("{\"error\":\"value out of range\"}");
        }
        return reply;
    });
    startAndWaitForFinish();
    const int failed = Rows / 50;
    EventLogModel *log = m_panel->logModel();
    // Started, the protocol (with the first answer), one line per failed item, finished.
    QTRY_COMPARE(log->rowCount(), failed + 3);
    QCOMPARE(log->index(0).data(EventLogModel::SeverityRole).toInt(),
             int(EventLog::Severity::Info));
    QVERIFY(log->index(0).data(EventLogModel::TextRole).toString().contains(u"/items"_s));
    QCOMPARE(log->index(1).data(EventLogModel::TextRole).toString(),
             RunSession::tr("The target answers over %1.").arg(u"HTTP/1.1"_s));
    QSet<QString> keys;
    for (int row = 2; row <= failed + 1; ++row) {
        const QModelIndex index = log->index(row);
        QCOMPARE(index.data(EventLogModel::SeverityRole).toInt(), int(EventLog::Severity::Error));
        QCOMPARE(index.data(EventLogModel::HttpStatusRole).toInt(), 422);
        const QString key = index.data(EventLogModel::KeyRole).toString();
        keys.insert(key);
        const QString text = index.data(EventLogModel::TextRole).toString();
        QVERIFY2(text.contains(key) && text.contains(u"422"_s)
                     && text.contains(u"value out of range"_s),
                 qPrintable(text));
    }
    QCOMPARE(keys,
             (QSet<QString> {u"sensor-50"_s, u"sensor-100"_s, u"sensor-150"_s, u"sensor-200"_s,
                             u"sensor-250"_s, u"sensor-300"_s}));
    const QString last = log->index(failed + 2).data(EventLogModel::TextRole).toString();
    QVERIFY2(last.contains(u"294 delivered"_s) && last.contains(u"6 failed"_s), qPrintable(last));

    // Filtered to Delivered, the failed item is hidden; activating its log line shows it.
    auto *combo = child<QComboBox>("filterCombo");
    combo->setCurrentIndex(combo->findText(RunPanel::tr("Delivered")));
    QTRY_COMPARE(m_panel->proxyModel()->rowCount(), Rows - failed);
    auto *tabs = child<QTabWidget>("detailsTabs");
    tabs->setCurrentWidget(child<QWidget>("logTab"));
    auto *view = child<QListView>("logView");
    view->setFocus();
    view->setCurrentIndex(log->index(2));
    const QString key = log->index(2).data(EventLogModel::KeyRole).toString();
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(combo->currentIndex(), 0);
    QCOMPARE(tabs->currentWidget(), child<QWidget>("itemTab"));
    QVERIFY(child<QLabel>("itemTitleLabel")->text().contains(key));
    QVERIFY(child<QPlainTextEdit>("responseEdit")->toPlainText().contains(u"value out of range"_s));

    // Clear empties it; the next run logs afresh.
    tabs->setCurrentWidget(child<QWidget>("logTab"));
    QTest::mouseClick(child<QPushButton>("clearLogButton"), Qt::LeftButton);
    QTRY_COMPARE(log->rowCount(), 0);
    QVERIFY(!child<QPushButton>("clearLogButton")->isEnabled());
}

void TestRunPanel::retryOneCauseOnly()
{
    // Two causes: 5 items rejected with 409, 30 with 503. Only the 503 group is retried.
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        const int id = r.jsonId.toInt();
        if (id % 60 == 0) {
            reply.status = 409;
            reply.body = QByteArrayLiteral("{\"error\":\"duplicate id\"}");
        } else if (id % 10 == 0) {
            reply.status = 503;
            reply.body = QByteArrayLiteral("{\"error\":\"busy\"}");
        }
        return reply;
    });
    startAndWaitForFinish();
    FailureGroupModel *groups = m_panel->failureGroups();
    new QAbstractItemModelTester(groups, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 m_panel);
    QTRY_COMPARE(groups->rowCount(), 2);
    // Largest group first.
    QCOMPARE(groups->index(0, FailureGroupModel::Count).data(FailureGroupModel::CountRole).toInt(),
             25);
    QCOMPARE(groups->index(1, FailureGroupModel::Count).data(FailureGroupModel::CountRole).toInt(),
             5);

    // With failures and no item selected, the panel shows them by cause, largest current.
    QCOMPARE(child<QTabWidget>("detailsTabs")->currentWidget(), child<QWidget>("failuresTab"));
    auto *table = child<QTableView>("groupsTable");
    auto *retryGroup = child<QPushButton>("retryGroupButton");
    QCOMPARE(table->currentIndex().row(), 0);
    QVERIFY(retryGroup->isEnabled());
    const QModelIndex busy = groups->index(0, FailureGroupModel::Message);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(busy).center());
    QVERIFY(retryGroup->isEnabled());

    // "Show these items" filters the table to that cause.
    QTest::mouseClick(child<QPushButton>("showGroupButton"), Qt::LeftButton);
    QTRY_COMPARE(m_panel->proxyModel()->rowCount(), 25);

    m_sink.setHandler(nullptr);
    const int before = m_sink.requestCount();
    QTest::mouseClick(retryGroup, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->model()->count(ItemStatus::Delivered), Rows - 5, Timeout);
    QTRY_VERIFY(!m_panel->isRunning());
    QCOMPARE(m_sink.requestCount() - before, 25);
    QCOMPARE(m_panel->model()->count(ItemStatus::Failed), 5);
    QTRY_COMPARE(groups->rowCount(), 1);
    QVERIFY(
        groups->index(0, FailureGroupModel::Message).data().toString().contains(u"duplicate"_s));
}

void TestRunPanel::progressTotalIsKnownBeforeTheSourceEnds()
{
    // Slow enough that the source is still being read when SQLite's count arrives.
    m_sink.setDefaultDelayMs(15);
    m_panel->setSpecProvider([this] {
        TransferSpec spec = makeSpec();
        spec.run.chunkSize = 10;
        spec.run.concurrency = 2;
        return std::optional<TransferSpec>(spec);
    });
    QTest::mouseClick(child<QToolButton>("startButton"), Qt::LeftButton);
    auto *bar = child<QProgressBar>("progressBar");
    QTRY_COMPARE_WITH_TIMEOUT(bar->maximum(), Rows, Timeout);
    QVERIFY(m_panel->isRunning());
    QVERIFY2(!m_panel->run()->isSourceDone(),
             "the total came from the source's end, not the count");
    QVERIFY(bar->format().endsWith(QLocale().toString(Rows)));
    m_panel->cancelAction()->trigger();
    QTRY_VERIFY(!m_panel->isRunning());
}

void TestRunPanel::sortNaturallyAndKeepTheItemAcrossFilters()
{
    m_sink.setHandler([](const TestSink::Request &r) {
        TestSink::Reply reply;
        if (r.jsonId.toInt() % 10 == 0)
            reply.status = 500;
        return reply;
    });
    startAndWaitForFinish();
    QTRY_COMPARE(m_panel->model()->count(ItemStatus::Failed), Rows / 10);
    auto *table = child<QTableView>("itemTable");
    QHeaderView *header = table->horizontalHeader();
    // A click on the Key header sorts by number within the text, either way round.
    const QPoint keyHeader(header->sectionViewportPosition(TransferStatusModel::Key) + 10,
                           header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, keyHeader);
    QSortFilterProxyModel *proxy = m_panel->proxyModel();
    const auto keyAt = [proxy](int row) {
        return proxy->index(row, TransferStatusModel::Key).data().toString();
    };
    const Qt::SortOrder order = header->sortIndicatorOrder();
    const QString first = order == Qt::AscendingOrder ? u"sensor-1"_s : u"sensor-300"_s;
    const QString second = order == Qt::AscendingOrder ? u"sensor-2"_s : u"sensor-299"_s;
    // The rows are sorted in the background; the shown count says so meanwhile.
    QTRY_VERIFY(!m_panel->proxyModel()->sorter()->isSorting());
    QCOMPARE(keyAt(0), first);
    QCOMPARE(keyAt(1), second);

    // Pick a failed item, then filter to Failed: it stays selected and shown.
    const int row = order == Qt::AscendingOrder ? 9 : Rows - 10; // sensor-10 or sensor-290
    clickRow(row);
    const QString picked = keyAt(row);
    QVERIFY(child<QLabel>("itemTitleLabel")->text().contains(picked));
    auto *combo = child<QComboBox>("filterCombo");
    combo->setCurrentIndex(combo->findText(RunPanel::tr("Failed")));
    QTRY_COMPARE(proxy->rowCount(), Rows / 10);
    QVERIFY(table->selectionModel()->currentIndex().isValid());
    QCOMPARE(table->selectionModel()->currentIndex().siblingAtColumn(0).data().toString(), picked);
    QVERIFY(child<QLabel>("itemTitleLabel")->text().contains(picked));
    // Still sorted by number within the filter.
    QCOMPARE(keyAt(0), order == Qt::AscendingOrder ? u"sensor-10"_s : u"sensor-300"_s);
    QCOMPARE(keyAt(1), order == Qt::AscendingOrder ? u"sensor-20"_s : u"sensor-290"_s);

    // A sort in progress is said next to the count of items shown, with a busy cursor.
    auto *shown = child<QLabel>("shownLabel");
    QVERIFY(!shown->text().contains(u"sorting"_s));
    proxy->sort(TransferStatusModel::Latency, Qt::DescendingOrder);
    QVERIFY(shown->text().contains(u"sorting"_s));
    QCOMPARE(table->viewport()->cursor().shape(), Qt::BusyCursor);
    QTRY_VERIFY(!shown->text().contains(u"sorting"_s));
    QCOMPARE(table->viewport()->cursor().shape(), Qt::ArrowCursor);
    QCOMPARE(table->selectionModel()->currentIndex().siblingAtColumn(0).data().toString(), picked);
}
