// SPDX-License-Identifier: GPL-3.0-or-later
#include <memory>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "bytesizespinbox.h"
#include "palette.h"
#include "requirechild.h"
#include "spec/statusclasses.h"
#include "spec/transferspec.h"
#include "targetpanel.h"

Q_DECLARE_METATYPE(sluice::TargetSpec)
Q_DECLARE_METATYPE(sluice::RunSpec)

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

/// What TransferSpec::validate() says about a target's field, the way a file would be told.
QStringList fileErrors(const TargetSpec &target, const RunSpec &run, const QString &path)
{
    TransferSpec spec;
    spec.source.driver = u"QSQLITE"_s;
    spec.source.database = u"x.db"_s;
    spec.query.sql = u"SELECT 1"_s;
    spec.target = target;
    spec.run = run;
    QStringList messages;
    for (const SpecError &error : spec.validate()) {
        if (error.path == path)
            messages.append(error.message);
    }
    return messages;
}

TargetSpec withUrl(const QString &url)
{
    TargetSpec target;
    target.url = url;
    return target;
}

TargetSpec bulk(TargetMode mode)
{
    TargetSpec target;
    target.url = u"http://127.0.0.1:9200/_bulk"_s;
    target.mode = mode;
    return target;
}

} // namespace

class TstTargetPanel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void defaults();
    void roundTrip_data();
    void roundTrip();
    void addHeaderWithButtonAndTyping();
    void removeHeader();
    void duplicateHeaderIsShown();
    void relativeUrlIsAnError_data();
    void relativeUrlIsAnError();
    void spinLimits_data();
    void spinLimits();
    void everyModeCanBeChosen();
    void controlsFollowTheMode_data();
    void controlsFollowTheMode();
    void bulkRulesAreShown();
    void batchBytesInUnits_data();
    void batchBytesInUnits();
    void batchBytesSteps();
    void rateSpin();
    void http2AndCaFile();
    void browseCaFileKeepsPathsRelative();
    void changedOnEdits();
    void statusesKeyAndStopRoundTrip();
    void unreadableStatusesAreShown();
    void statusInBothListsIsShown();
    void idempotencyKeyOnlyInItemMode();
    void duplicateWarningFollowsTheSettings();

private:
    template<typename T>
    T *child(const char *name) const
    {
        return requireChild<T>(m_panel.get(), name);
    }
    QWidget *focusedEditor() const { return QApplication::focusWidget(); }

    std::unique_ptr<TargetPanel> m_panel;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
};

void TstTargetPanel::init()
{
    m_panel = std::make_unique<TargetPanel>();
    m_panel->resize(760, 560);
    m_panel->show();
    QApplication::setActiveWindow(m_panel.get());
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    m_modelTester = std::make_unique<QAbstractItemModelTester>(
        child<QTableWidget>("headersTable")->model(),
        QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TstTargetPanel::cleanup()
{
    m_modelTester.reset();
    m_panel.reset();
}

void TstTargetPanel::defaults()
{
    QCOMPARE(m_panel->target(), TargetSpec {});
    QCOMPARE(m_panel->run(), RunSpec {});
    // No URL yet: the file's rule says it is required, and the panel says so too.
    QVERIFY(!m_panel->isValid());
    const QStringList expected = fileErrors({}, {}, u"target.url"_s);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(child<QLabel>("urlErrorLabel")->text(), expected.join(u'\n'));
}

void TstTargetPanel::roundTrip_data()
{
    QTest::addColumn<TargetSpec>("target");
    QTest::addColumn<RunSpec>("run");

    TargetSpec full;
    full.url = u"https://api.example.org/sensors/_doc/{{id}}"_s;
    full.method = u"PUT"_s;
    full.headers
        = {{u"Content-Type"_s, u"application/json"_s}, {u"X-Source"_s, u"Sluice test: ü"_s}};
    full.headersEnv = {{u"Authorization"_s, u"SENSORS_API_AUTH"_s}, {u"X-Api-Key"_s, u"API_KEY"_s}};
    full.timeoutSeconds = 3600;
    // Kept in item mode, where the controls are disabled.
    full.batchSize = 1;
    full.batchBytes = 1500;
    full.bulkAction = BulkAction::Create;
    full.http2 = Http2Mode::Off;
    full.caFile = u"certs/corporate ca.pem"_s;
    QTest::newRow("everything") << full << RunSpec {100000, 512, 0, 1e6};

    TargetSpec onlyEnvironment;
    onlyEnvironment.url = u"http://127.0.0.1:8765/x"_s;
    onlyEnvironment.headersEnv = {{u"Authorization"_s, u"TOKEN"_s}};
    onlyEnvironment.timeoutSeconds = 1;
    QTest::newRow("only headersEnv") << onlyEnvironment << RunSpec {1, 1, 100, 0.5};

    TargetSpec plain;
    plain.url = u"http://127.0.0.1/items"_s;
    QTest::newRow("defaults") << plain << RunSpec {};

    for (const TargetMode mode : allTargetModes()) {
        TargetSpec target = bulk(mode);
        target.batchSize = TargetSpec::MaxBatchSize;
        target.batchBytes = TargetSpec::MaxBatchBytes;
        target.http2 = Http2Mode::PriorKnowledge;
        target.caFile = u"/etc/ssl/certs/corporate-ca.pem"_s;
        QTest::newRow(qPrintable(u"mode "_s + targetModeName(mode)))
            << target << RunSpec {5000, 16, 5, 25};
    }
    TargetSpec create = bulk(TargetMode::ElasticsearchBulk);
    create.bulkAction = BulkAction::Create;
    create.batchSize = 500;
    create.batchBytes = 512 * 1024;
    // A rate the box shows rounded (0.13) comes back as the file wrote it.
    QTest::newRow("create, odd rate") << create << RunSpec {5000, 16, 5, 0.125};
    // No form edits run.watermark; saving from the app keeps it.
    QTest::newRow("incremental") << bulk(TargetMode::Ndjson)
                                 << RunSpec {5000, 16, 5,
                                             0,    0,  WatermarkSpec {u"updated_at"_s, u"since"_s}};
}

void TstTargetPanel::roundTrip()
{
    QFETCH(TargetSpec, target);
    QFETCH(RunSpec, run);

    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);
    m_panel->setTarget(target, run);
    QCOMPARE(m_panel->target(), target);
    QCOMPARE(m_panel->run(), run);
    QVERIFY(m_panel->isValid());
    QCOMPARE(changed.count(), 0);

    auto *table = child<QTableWidget>("headersTable");
    QCOMPARE(table->rowCount(), int(target.headers.size() + target.headersEnv.size()));
    for (int row = 0; row < table->rowCount(); ++row) {
        const bool fromEnvironment = row >= target.headers.size();
        QCOMPARE(table->item(row, TargetPanel::FromEnvironmentColumn)->checkState(),
                 fromEnvironment ? Qt::Checked : Qt::Unchecked);
    }
    for (const char *label : {"urlErrorLabel", "headersErrorLabel", "requestErrorLabel",
                              "sendingErrorLabel", "connectionErrorLabel", "runErrorLabel"})
        QVERIFY2(child<QLabel>(label)->isHidden(), label);

    // What the controls show is what the spec says.
    QCOMPARE(child<QComboBox>("modeCombo")->currentData().toInt(), int(target.mode));
    QCOMPARE(child<QSpinBox>("batchSizeSpin")->value(), target.batchSize);
    QCOMPARE(child<QSpinBox>("batchBytesSpin")->value(), target.batchBytes);
    QCOMPARE(child<QComboBox>("bulkActionCombo")->currentData().toInt(), int(target.bulkAction));
    QCOMPARE(child<QComboBox>("http2Combo")->currentData().toInt(), int(target.http2));
    QCOMPARE(child<QLineEdit>("caFileEdit")->text(), target.caFile);
}

void TstTargetPanel::addHeaderWithButtonAndTyping()
{
    m_panel->setTarget(withUrl(u"http://127.0.0.1/x"_s), {});
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);
    auto *table = child<QTableWidget>("headersTable");

    QTest::mouseClick(child<QPushButton>("addHeaderButton"), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 1);
    // An empty row is no header, and no change.
    QCOMPARE(m_panel->target().headers.size(), 0);
    QCOMPARE(changed.count(), 0);

    // The name cell is being edited: type, confirm, move right, type the value.
    QTRY_VERIFY(qobject_cast<QLineEdit *>(focusedEditor()));
    QTest::keyClicks(focusedEditor(), u"X-Api-Key"_s);
    QTest::keyClick(focusedEditor(), Qt::Key_Return);
    QTRY_COMPARE(focusedEditor(), static_cast<QWidget *>(table));
    QTest::keyClick(table, Qt::Key_Right);
    QTest::keyClick(table, Qt::Key_F2);
    QTRY_VERIFY(qobject_cast<QLineEdit *>(focusedEditor()));
    QTest::keyClicks(focusedEditor(), u"API_KEY"_s);
    QTest::keyClick(focusedEditor(), Qt::Key_Return);
    // The delegate commits on Return with a queued call.
    QTRY_COMPARE(focusedEditor(), static_cast<QWidget *>(table));

    QList<QPair<QString, QString>> expected {{u"X-Api-Key"_s, u"API_KEY"_s}};
    QCOMPARE(m_panel->target().headers, expected);
    QVERIFY(m_panel->target().headersEnv.isEmpty());
    QVERIFY(changed.count() >= 2);

    // Space on the third cell: the value is an environment variable's name.
    QTest::keyClick(table, Qt::Key_Right);
    QCOMPARE(table->currentColumn(), int(TargetPanel::FromEnvironmentColumn));
    QTest::keyClick(table, Qt::Key_Space);
    QCOMPARE(m_panel->target().headersEnv, expected);
    QVERIFY(m_panel->target().headers.isEmpty());
    QVERIFY(m_panel->isValid());

    // A value that cannot be a variable's name is named under the table.
    table->setCurrentCell(0, TargetPanel::ValueColumn);
    QTest::keyClick(table, Qt::Key_F2);
    QTRY_VERIFY(qobject_cast<QLineEdit *>(focusedEditor()));
    QTest::keyClicks(focusedEditor(), u" 2"_s);
    QTest::keyClick(focusedEditor(), Qt::Key_Return);
    QTRY_COMPARE(focusedEditor(), static_cast<QWidget *>(table));
    const QStringList problems
        = fileErrors(m_panel->target(), m_panel->run(), u"target.headersEnv.X-Api-Key"_s);
    QCOMPARE(problems.size(), 1);
    auto *errors = child<QLabel>("headersErrorLabel");
    QTRY_VERIFY2(errors->text().contains(u"X-Api-Key: "_s + problems.first()),
                 qPrintable(errors->text()));
    QVERIFY(errors->isVisible());
    QVERIFY(!m_panel->isValid());
}

void TstTargetPanel::removeHeader()
{
    TargetSpec target;
    target.url = u"http://127.0.0.1/x"_s;
    target.headers = {{u"A"_s, u"1"_s}, {u"B"_s, u"2"_s}};
    m_panel->setTarget(target, {});
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);
    auto *remove = child<QPushButton>("removeHeaderButton");
    QVERIFY(!remove->isEnabled());

    auto *table = child<QTableWidget>("headersTable");
    table->setFocus();
    table->setCurrentCell(0, TargetPanel::NameColumn);
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    const QList<QPair<QString, QString>> expected {{u"B"_s, u"2"_s}};
    QCOMPARE(m_panel->target().headers, expected);
    QCOMPARE(changed.count(), 1);
    // Keyboard: the button's mnemonic.
    table->setCurrentCell(0, TargetPanel::NameColumn);
    QTest::keyClick(m_panel.get(), Qt::Key_O, Qt::AltModifier);
    QTRY_COMPARE(table->rowCount(), 0);
    QCOMPARE(changed.count(), 2);
    QVERIFY(!remove->isEnabled());
}

void TstTargetPanel::duplicateHeaderIsShown()
{
    TargetSpec target;
    target.url = u"http://127.0.0.1/x"_s;
    target.headers = {{u"Content-Type"_s, u"application/json"_s}};
    target.headersEnv = {{u"content-type"_s, u"CT"_s}};
    m_panel->setTarget(target, {});
    QVERIFY(!m_panel->isValid());
    const QStringList problems = fileErrors(target, {}, u"target.headersEnv.content-type"_s);
    QCOMPARE(problems.size(), 1);
    QCOMPARE(child<QLabel>("headersErrorLabel")->text(), u"content-type: "_s + problems.first());
}

void TstTargetPanel::relativeUrlIsAnError_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("relative") << u"api/items"_s;
    QTest::newRow("no scheme") << u"127.0.0.1:8765/items"_s;
    QTest::newRow("ftp") << u"ftp://127.0.0.1/items"_s;
    QTest::newRow("broken placeholder") << u"http://127.0.0.1/items/{{id"_s;
    QTest::newRow("credentials") << u"http://user:secret@127.0.0.1/items"_s;
}

void TstTargetPanel::relativeUrlIsAnError()
{
    QFETCH(QString, url);
    auto *edit = child<QLineEdit>("urlEdit");
    QTest::keyClicks(edit, url);
    const QStringList expected = fileErrors(m_panel->target(), m_panel->run(), u"target.url"_s);
    QVERIFY(!expected.isEmpty());
    auto *error = child<QLabel>("urlErrorLabel");
    QTRY_COMPARE(error->text(), expected.join(u'\n'));
    QVERIFY(error->isVisible());
    QVERIFY(!m_panel->isValid());

    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(edit, u"http://127.0.0.1:8765/items/_doc/{{id}}"_s);
    QTRY_VERIFY(error->isHidden());
    QVERIFY(m_panel->isValid());
}

void TstTargetPanel::spinLimits_data()
{
    QTest::addColumn<QByteArray>("spin");
    QTest::addColumn<int>("minimum");
    QTest::addColumn<int>("maximum");

    QTest::newRow("concurrency") << QByteArray("concurrencySpin") << 1 << RunSpec::MaxConcurrency;
    QTest::newRow("chunk size") << QByteArray("chunkSizeSpin") << 1 << RunSpec::MaxChunkSize;
    QTest::newRow("max retries") << QByteArray("maxRetriesSpin") << 0 << RunSpec::MaxMaxRetries;
    QTest::newRow("timeout") << QByteArray("timeoutSpin") << 1 << 3600;
    QTest::newRow("batch size") << QByteArray("batchSizeSpin") << 1 << TargetSpec::MaxBatchSize;
}

void TstTargetPanel::spinLimits()
{
    QFETCH(QByteArray, spin);
    QFETCH(int, minimum);
    QFETCH(int, maximum);

    m_panel->setTarget(bulk(TargetMode::Ndjson), {}); // the batch size is enabled
    auto *box = child<QSpinBox>(spin.constData());
    QVERIFY(box->isEnabled());
    const auto current = [this, &spin]() {
        if (spin == "concurrencySpin")
            return m_panel->run().concurrency;
        if (spin == "chunkSizeSpin")
            return m_panel->run().chunkSize;
        if (spin == "maxRetriesSpin")
            return m_panel->run().maxRetries;
        if (spin == "batchSizeSpin")
            return m_panel->target().batchSize;
        return m_panel->target().timeoutSeconds;
    };
    box->setFocus();
    // Typing past the maximum: the box refuses the digits that do not fit.
    QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(box, QString::number(qint64(maximum) * 10));
    QTest::keyClick(box, Qt::Key_Return);
    QVERIFY(current() <= maximum);
    QCOMPARE(current(), box->value());
    // The keys stop at the limits.
    QTest::keyClick(box, Qt::Key_End, Qt::ControlModifier);
    box->setValue(maximum);
    QTest::keyClick(box, Qt::Key_Up);
    QCOMPARE(current(), maximum);
    box->setValue(minimum);
    QTest::keyClick(box, Qt::Key_Down);
    QCOMPARE(current(), minimum);
    QVERIFY(m_panel->isValid());
    // Every value the box allows passes the file's rules, and the limits are the file's.
    QVERIFY(fileErrors(m_panel->target(), m_panel->run(), {}).isEmpty());
    RunSpec run = m_panel->run();
    TargetSpec target = m_panel->target();
    if (spin == "concurrencySpin")
        run.concurrency = maximum + 1;
    else if (spin == "chunkSizeSpin")
        run.chunkSize = maximum + 1;
    else if (spin == "maxRetriesSpin")
        run.maxRetries = minimum - 1;
    else if (spin == "batchSizeSpin")
        target.batchSize = maximum + 1;
    else
        target.timeoutSeconds = maximum + 1;
    TransferSpec outside;
    outside.source.driver = u"QSQLITE"_s;
    outside.source.database = u"x.db"_s;
    outside.query.sql = u"SELECT 1"_s;
    outside.target = target;
    outside.run = run;
    QCOMPARE(outside.validate().size(), 1);
}

void TstTargetPanel::everyModeCanBeChosen()
{
    m_panel->setTarget(withUrl(u"http://127.0.0.1/x"_s), {});
    auto *mode = child<QComboBox>("modeCombo");
    QCOMPARE(mode->count(), int(allTargetModes().size()));
    auto *model = qobject_cast<QStandardItemModel *>(mode->model());
    QVERIFY(model);
    QStringList toolTips;
    for (int row = 0; row < mode->count(); ++row) {
        QVERIFY(model->item(row)->isEnabled());
        QCOMPARE(mode->itemData(row).toInt(), int(allTargetModes().at(row)));
        const QString toolTip = mode->itemData(row, Qt::ToolTipRole).toString();
        QVERIFY2(toolTip.size() > 30, qPrintable(toolTip)); // says what it sends
        QVERIFY(!toolTips.contains(toolTip));
        toolTips.append(toolTip);
    }
    // The keyboard walks through all of them, and the spec follows.
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);
    mode->setFocus();
    for (const TargetMode expected : allTargetModes()) {
        QCOMPARE(m_panel->target().mode, expected);
        QCOMPARE(mode->toolTip(), mode->currentData(Qt::ToolTipRole).toString());
        QTest::keyClick(mode, Qt::Key_Down);
    }
    QCOMPARE(changed.count(), int(allTargetModes().size()) - 1);
}

void TstTargetPanel::controlsFollowTheMode_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("batch");
    QTest::addColumn<bool>("action");

    QTest::newRow("item") << int(TargetMode::Item) << false << false;
    QTest::newRow("elasticsearch-bulk") << int(TargetMode::ElasticsearchBulk) << true << true;
    QTest::newRow("couchdb-bulk") << int(TargetMode::CouchdbBulk) << true << false;
    QTest::newRow("json-array") << int(TargetMode::JsonArray) << true << false;
    QTest::newRow("ndjson") << int(TargetMode::Ndjson) << true << false;
}

void TstTargetPanel::controlsFollowTheMode()
{
    QFETCH(int, mode);
    QFETCH(bool, batch);
    QFETCH(bool, action);

    const auto check = [this, batch, action]() {
        for (const char *name :
             {"batchSizeSpin", "batchSizeLabel", "batchBytesSpin", "batchBytesLabel"})
            QVERIFY2(child<QWidget>(name)->isEnabled() == batch, name);
        QCOMPARE(child<QWidget>("bulkActionCombo")->isEnabled(), action);
        QCOMPARE(child<QWidget>("bulkActionLabel")->isEnabled(), action);
        // Always there: the connection and the pacing apply to every mode.
        for (const char *name :
             {"http2Combo", "caFileEdit", "caFileBrowseButton", "timeoutSpin", "maxRateSpin"})
            QVERIFY2(child<QWidget>(name)->isEnabled(), name);
    };
    // Set in code ...
    m_panel->setTarget(bulk(TargetMode(mode)), {});
    check();
    if (QTest::currentTestFailed())
        return;
    // ... and chosen from another mode with the keyboard.
    const TargetMode other
        = TargetMode(mode) == TargetMode::Item ? TargetMode::ElasticsearchBulk : TargetMode::Item;
    m_panel->setTarget(bulk(other), {});
    auto *combo = child<QComboBox>("modeCombo");
    combo->setFocus();
    const int steps = combo->findData(mode) - combo->currentIndex();
    for (int i = 0; i < std::abs(steps); ++i)
        QTest::keyClick(combo, steps > 0 ? Qt::Key_Down : Qt::Key_Up);
    QCOMPARE(int(m_panel->target().mode), mode);
    check();
    // The batch values stay what they were, enabled or not.
    QCOMPARE(m_panel->target().batchSize, TargetSpec::DefaultBatchSize);
    QCOMPARE(m_panel->target().batchBytes, TargetSpec::DefaultBatchBytes);
}

void TstTargetPanel::bulkRulesAreShown()
{
    // The file's messages, under the field they are about.
    TargetSpec target = bulk(TargetMode::CouchdbBulk);
    target.url = u"http://127.0.0.1:5984/db/{{id}}"_s;
    target.method = u"PUT"_s;
    m_panel->setTarget(target, {});
    QVERIFY(!m_panel->isValid());
    const QStringList url = fileErrors(target, {}, u"target.url"_s);
    QCOMPARE(url.size(), 1);
    QVERIFY(url.first().contains(u"couchdb-bulk"_s));
    QCOMPARE(child<QLabel>("urlErrorLabel")->text(), url.first());
    const QStringList method = fileErrors(target, {}, u"target.method"_s);
    QCOMPARE(method.size(), 1);
    QCOMPARE(child<QLabel>("requestErrorLabel")->text(), u"Method: "_s + method.first());
    QVERIFY(child<QLabel>("requestErrorLabel")->isVisible());

    // Back to one request per item: both are fine again.
    auto *mode = child<QComboBox>("modeCombo");
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Home);
    QCOMPARE(m_panel->target().mode, TargetMode::Item);
    QTRY_VERIFY(child<QLabel>("urlErrorLabel")->isHidden());
    QVERIFY(child<QLabel>("requestErrorLabel")->isHidden());
    QVERIFY(m_panel->isValid());
}

void TstTargetPanel::batchBytesInUnits_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<int>("bytes"); ///< -1: refused, the value stays
    QTest::addColumn<QString>("shown");

    QTest::newRow("MiB") << u"7 MiB"_s << 7 * 1024 * 1024 << u"7 MiB"_s;
    QTest::newRow("KiB") << u"512 KiB"_s << 512 * 1024 << u"512 KiB"_s;
    QTest::newRow("KiB that make MiB") << u"2048 KiB"_s << 2 * 1024 * 1024 << u"2 MiB"_s;
    QTest::newRow("bytes") << u"1500 bytes"_s << 1500 << u"1,500 bytes"_s;
    QTest::newRow("no unit") << u"4096"_s << 4096 << u"4 KiB"_s;
    QTest::newRow("short units, any case") << u"3m"_s << 3 * 1024 * 1024 << u"3 MiB"_s;
    QTest::newRow("KB is 1024") << u"64 kb"_s << 64 * 1024 << u"64 KiB"_s;
    QTest::newRow("fraction") << u"1.5 MiB"_s << 1536 * 1024 << u"1,536 KiB"_s;
    QTest::newRow("maximum") << u"256 MiB"_s << 256 * 1024 * 1024 << u"256 MiB"_s;
    QTest::newRow("minimum") << u"1 KiB"_s << 1024 << u"1 KiB"_s;
    QTest::newRow("below the minimum") << u"1000"_s << -1 << QString();
    QTest::newRow("above the maximum") << u"257 MiB"_s << -1 << QString();
    QTest::newRow("part of a byte") << u"1.0001 KiB"_s << -1 << QString();
    QTest::newRow("unknown unit") << u"5 GiB"_s << -1 << QString();
}

void TstTargetPanel::batchBytesInUnits()
{
    QFETCH(QString, typed);
    QFETCH(int, bytes);
    QFETCH(QString, shown);

    m_panel->setTarget(bulk(TargetMode::JsonArray), {});
    auto *box = child<ByteSizeSpinBox>("batchBytesSpin");
    box->setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    box->setValue(TargetSpec::DefaultBatchBytes);
    QCOMPARE(box->text(), u"5 MiB"_s);
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);
    box->setFocus();
    QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(box, typed);
    QTest::keyClick(box, Qt::Key_Return);
    if (bytes < 0) {
        QCOMPARE(m_panel->target().batchBytes, TargetSpec::DefaultBatchBytes);
        QCOMPARE(changed.count(), 0);
        return;
    }
    QCOMPARE(m_panel->target().batchBytes, bytes);
    QCOMPARE(box->text(), shown);
    QCOMPARE(box->parse(shown), std::optional<qint64>(bytes)); // what is shown reads back
    QVERIFY(changed.count() > 0);
    QVERIFY(m_panel->isValid());
}

void TstTargetPanel::batchBytesSteps()
{
    m_panel->setTarget(bulk(TargetMode::JsonArray), {});
    auto *box = child<ByteSizeSpinBox>("batchBytesSpin");
    box->setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    box->setFocus();
    // One of the unit shown per step.
    QTest::keyClick(box, Qt::Key_Up);
    QCOMPARE(m_panel->target().batchBytes, 6 * 1024 * 1024);
    box->setValue(512 * 1024);
    QTest::keyClick(box, Qt::Key_Down);
    QCOMPARE(m_panel->target().batchBytes, 511 * 1024);
    box->setValue(1500);
    QTest::keyClick(box, Qt::Key_Up);
    QCOMPARE(m_panel->target().batchBytes, 1501);
    // And no further than the limits.
    box->setValue(TargetSpec::MinBatchBytes);
    QTest::keyClick(box, Qt::Key_Down);
    QCOMPARE(m_panel->target().batchBytes, TargetSpec::MinBatchBytes);
    box->setValue(TargetSpec::MaxBatchBytes);
    QTest::keyClick(box, Qt::Key_PageUp);
    QCOMPARE(m_panel->target().batchBytes, TargetSpec::MaxBatchBytes);
    QCOMPARE(box->minimum(), TargetSpec::MinBatchBytes);
    QCOMPARE(box->maximum(), TargetSpec::MaxBatchBytes);
    // The widest text fits.
    box->setValue(TargetSpec::MaxBatchBytes - 1);
    QVERIFY(box->fontMetrics().horizontalAdvance(box->text()) < box->sizeHint().width());
}

void TstTargetPanel::rateSpin()
{
    m_panel->setTarget(withUrl(u"http://127.0.0.1/x"_s), {});
    auto *rate = child<QDoubleSpinBox>("maxRateSpin");
    rate->setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    QCOMPARE(rate->text(), u"No limit"_s);
    QCOMPARE(rate->minimum(), 0.0);
    QCOMPARE(rate->maximum(), double(RunSpec::MaxMaxRequestsPerSecond));
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);

    rate->setFocus();
    QTest::keyClick(rate, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(rate, u"12.5"_s);
    QTest::keyClick(rate, Qt::Key_Return);
    QCOMPARE(m_panel->run().maxRequestsPerSecond, 12.5);
    QVERIFY(changed.count() > 0);
    QVERIFY(m_panel->isValid());
    QTest::keyClick(rate, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(rate, u"0"_s);
    QTest::keyClick(rate, Qt::Key_Return);
    QCOMPARE(m_panel->run().maxRequestsPerSecond, 0.0);
    QCOMPARE(rate->text(), u"No limit"_s);

    // A rate from a file the box can only show rounded stays exact until it is edited.
    RunSpec run;
    run.maxRequestsPerSecond = 1.0 / 3.0;
    m_panel->setTarget(withUrl(u"http://127.0.0.1/x"_s), run);
    QCOMPARE(m_panel->run().maxRequestsPerSecond, 1.0 / 3.0);
    QTest::keyClick(rate, Qt::Key_Up);
    QCOMPARE(m_panel->run().maxRequestsPerSecond, rate->value());
    QCOMPARE(rate->value(), 1.33);
}

void TstTargetPanel::http2AndCaFile()
{
    m_panel->setTarget(withUrl(u"https://127.0.0.1/x"_s), {});
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);
    auto *http2 = child<QComboBox>("http2Combo");
    QCOMPARE(http2->count(), 3);
    QCOMPARE(m_panel->target().http2, Http2Mode::Auto);
    http2->setFocus();
    for (const Http2Mode expected : {Http2Mode::PriorKnowledge, Http2Mode::Off}) {
        QTest::keyClick(http2, Qt::Key_Down);
        QCOMPARE(m_panel->target().http2, expected);
        QVERIFY(!http2->toolTip().isEmpty());
    }
    QCOMPARE(changed.count(), 2);

    auto *caFile = child<QLineEdit>("caFileEdit");
    const QString typed = u" certs/ca.pem "_s;
    QTest::keyClicks(caFile, typed);
    QCOMPARE(m_panel->target().caFile, u"certs/ca.pem"_s); // blanks around are no file name
    QCOMPARE(changed.count(), 2 + int(typed.size())); // one per keystroke
    QVERIFY(m_panel->isValid());
    caFile->clear();
    QCOMPARE(m_panel->target().caFile, QString());
}

void TstTargetPanel::browseCaFileKeepsPathsRelative()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(u"certs"_s));
    QTemporaryDir outside;
    QVERIFY(outside.isValid());
    const QString inside = dir.filePath(u"certs/ca.pem"_s);
    const QString away = outside.filePath(u"ca.pem"_s);
    for (const QString &file : {inside, away}) {
        QFile pem(file);
        QVERIFY(pem.open(QIODevice::WriteOnly));
        pem.write("-----BEGIN CERTIFICATE-----\n");
    }

    m_panel->setBaseDir(dir.path());
    m_panel->setTarget(withUrl(u"https://127.0.0.1/x"_s), {});
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);
    const auto choose = [this](const QString &file) {
        QTest::mouseClick(child<QPushButton>("caFileBrowseButton"), Qt::LeftButton);
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_panel->findChild<QFileDialog *>(u"caFileDialog"_s))
                    && dialog->isVisible());
        dialog->selectFile(file);
        static_cast<QDialog *>(dialog)->accept(); // as the Open button does
        QTRY_VERIFY(!m_panel->findChild<QFileDialog *>(u"caFileDialog"_s));
    };
    choose(inside);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_panel->target().caFile, u"certs/ca.pem"_s); // relative to the transfer file
    QCOMPARE(changed.count(), 1);
    choose(away);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_panel->target().caFile, away); // outside its folder it stays absolute
    QCOMPARE(changed.count(), 2);
}

void TstTargetPanel::changedOnEdits()
{
    m_panel->setTarget(withUrl(u"http://127.0.0.1/x"_s), {});
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);

    QTest::keyClicks(child<QLineEdit>("urlEdit"), u"/y"_s);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(m_panel->target().url, u"http://127.0.0.1/x/y"_s);

    auto *method = child<QComboBox>("methodCombo");
    method->setFocus();
    QTest::keyClick(method, Qt::Key_Down);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(m_panel->target().method, u"PUT"_s);

    auto *concurrency = child<QSpinBox>("concurrencySpin");
    concurrency->setFocus();
    QTest::keyClick(concurrency, Qt::Key_Up);
    QCOMPARE(changed.count(), 4);
    QCOMPARE(m_panel->run().concurrency, RunSpec::DefaultConcurrency + 1);

    auto *mode = child<QComboBox>("modeCombo");
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_End);
    QCOMPARE(changed.count(), 5);
    QCOMPARE(m_panel->target().mode, TargetMode::Ndjson);
    auto *batchSize = child<QSpinBox>("batchSizeSpin");
    batchSize->setFocus();
    QTest::keyClick(batchSize, Qt::Key_Up);
    QCOMPARE(changed.count(), 6);
    auto *batchBytes = child<QSpinBox>("batchBytesSpin");
    batchBytes->setFocus();
    QTest::keyClick(batchBytes, Qt::Key_Down);
    QCOMPARE(changed.count(), 7);
    auto *rate = child<QDoubleSpinBox>("maxRateSpin");
    rate->setFocus();
    QTest::keyClick(rate, Qt::Key_Up);
    QCOMPARE(changed.count(), 8);
    QCOMPARE(m_panel->run().maxRequestsPerSecond, 1.0);

    // Set in code: no signal.
    m_panel->setTarget(m_panel->target(), m_panel->run());
    QCOMPARE(changed.count(), 8);
}

void TstTargetPanel::statusesKeyAndStopRoundTrip()
{
    TargetSpec target = withUrl(u"http://127.0.0.1/items"_s);
    target.successStatuses = statusListFromText(u"2xx, 409"_s, nullptr);
    target.retryStatuses = statusListFromText(u"429, 500-504"_s, nullptr);
    target.idempotencyKey = u"row-{{id}}"_s;
    RunSpec run;
    run.stopAfterFailures = 25;
    m_panel->setTarget(target, run);
    QCOMPARE(child<QLineEdit>("successStatusesEdit")->text(), u"2xx, 409"_s);
    QCOMPARE(child<QLineEdit>("retryStatusesEdit")->text(), u"429, 500-504"_s);
    QCOMPARE(child<QLineEdit>("idempotencyKeyEdit")->text(), u"row-{{id}}"_s);
    QCOMPARE(child<QSpinBox>("stopAfterFailuresSpin")->value(), 25);
    QCOMPARE(m_panel->target(), target);
    QCOMPARE(m_panel->run(), run);
    QVERIFY(m_panel->isValid());

    // Empty fields are the defaults (not set), and 0 failures is "Never".
    m_panel->setTarget(withUrl(u"http://127.0.0.1/items"_s), {});
    QCOMPARE(child<QLineEdit>("successStatusesEdit")->placeholderText(), u"2xx"_s);
    QCOMPARE(child<QLineEdit>("retryStatusesEdit")->placeholderText(), u"408, 429, 5xx"_s);
    QCOMPARE(child<QSpinBox>("stopAfterFailuresSpin")->text(), u"Never"_s);
    QVERIFY(!m_panel->target().successStatuses);
    QVERIFY(!m_panel->target().retryStatuses);
    QCOMPARE(m_panel->run().stopAfterFailures, 0);

    // Typed: what the steward types is what the target holds.
    QSignalSpy changed(m_panel.get(), &TargetPanel::changed);
    QTest::keyClicks(child<QLineEdit>("retryStatusesEdit"), u"503"_s);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(m_panel->target().retryStatuses, statusListFromText(u"503"_s, nullptr));
    auto *stop = child<QSpinBox>("stopAfterFailuresSpin");
    stop->setFocus();
    QTest::keyClick(stop, Qt::Key_Up);
    QCOMPARE(changed.count(), 4);
    QCOMPARE(m_panel->run().stopAfterFailures, 1);
}

void TstTargetPanel::unreadableStatusesAreShown()
{
    m_panel->setTarget(withUrl(u"http://127.0.0.1/items"_s), {});
    QTest::keyClicks(child<QLineEdit>("successStatusesEdit"), u"2xx, 5x"_s);
    auto *label = child<QLabel>("sendingErrorLabel");
    QTRY_VERIFY(label->isVisible());
    QCOMPARE(
        label->text(),
        uR"(Delivered when: "5x" is not a status, a class like "5xx" or a range like "500-504")"_s);
    QVERIFY(!m_panel->isValid());
    QVERIFY(!m_panel->target().successStatuses); // nothing readable to keep
    // Errors are red, as everywhere.
    QCOMPARE(label->palette().color(QPalette::WindowText), errorColor(label->palette()));

    QTest::keyClick(child<QLineEdit>("successStatusesEdit"), Qt::Key_Backspace);
    QTest::keyClicks(child<QLineEdit>("successStatusesEdit"), u"xx"_s);
    QTRY_VERIFY(label->isHidden());
    QVERIFY(m_panel->isValid());
    QCOMPARE(statusListText(*m_panel->target().successStatuses), u"2xx, 5xx"_s);
}

void TstTargetPanel::statusInBothListsIsShown()
{
    TargetSpec target = withUrl(u"http://127.0.0.1/items"_s);
    target.successStatuses = statusListFromText(u"2xx, 409"_s, nullptr);
    target.retryStatuses = statusListFromText(u"4xx"_s, nullptr);
    m_panel->setTarget(target, {});
    QVERIFY(!m_panel->isValid());
    const QStringList expected = fileErrors(target, {}, u"target.retryStatuses"_s);
    QCOMPARE(expected.size(), 1);
    QVERIFY(expected.first().startsWith(u"409 is also in target.successStatuses"_s));
    QCOMPARE(child<QLabel>("sendingErrorLabel")->text(), u"Retry when: "_s + expected.first());
}

void TstTargetPanel::idempotencyKeyOnlyInItemMode()
{
    TargetSpec target = withUrl(u"http://127.0.0.1/items"_s);
    target.idempotencyKey = u"{{id"_s;
    m_panel->setTarget(target, {});
    auto *edit = child<QLineEdit>("idempotencyKeyEdit");
    QVERIFY(edit->isEnabled());
    const QStringList expected = fileErrors(target, {}, u"target.idempotencyKey"_s);
    QCOMPARE(expected, QStringList {u"unclosed placeholder \"{{id\""_s});
    QCOMPARE(child<QLabel>("idempotencyKeyErrorLabel")->text(), expected.first());

    // A bulk mode: disabled, kept in the field for a switch back, left out of the target.
    target.idempotencyKey = u"{{id}}"_s;
    target.mode = TargetMode::ElasticsearchBulk;
    m_panel->setTarget(target, {});
    QVERIFY(!edit->isEnabled());
    QVERIFY(!child<QLabel>("idempotencyKeyLabel")->isEnabled());
    QCOMPARE(edit->text(), u"{{id}}"_s);
    QCOMPARE(m_panel->target().idempotencyKey, QString());
    QVERIFY(m_panel->isValid());
    auto *mode = child<QComboBox>("modeCombo");
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Home);
    QVERIFY(edit->isEnabled());
    QCOMPARE(m_panel->target().idempotencyKey, u"{{id}}"_s);
}

void TstTargetPanel::duplicateWarningFollowsTheSettings()
{
    auto *label = child<QLabel>("duplicateWarningLabel");
    TargetSpec target = withUrl(u"http://127.0.0.1/items"_s); // POST, no placeholder
    m_panel->setTarget(target, {});
    QVERIFY(label->isVisible());
    TransferSpec spec;
    spec.target = target;
    QCOMPARE(label->text(), u"Duplicates possible: "_s + duplicateRisk(spec));
    QCOMPARE(m_panel->duplicateWarning(), label->text());
    // A warning, not an error: not the error red.
    const QColor color = label->palette().color(QPalette::WindowText);
    QCOMPARE(color, warningColor(label->palette()));
    QVERIFY(color != errorColor(label->palette()));
    QVERIFY(m_panel->isValid()); // a warning does not stop the run

    // An idempotency key makes a re-send safe.
    QTest::keyClicks(child<QLineEdit>("idempotencyKeyEdit"), u"{{id}}"_s);
    QTRY_VERIFY(label->isHidden());
    QCOMPARE(m_panel->duplicateWarning(), QString());

    // json-array: always.
    target.mode = TargetMode::JsonArray;
    m_panel->setTarget(target, {});
    QVERIFY(label->isVisible());
    QVERIFY(label->text().contains(u"\"json-array\""_s));

    // elasticsearch-bulk: only without an item key.
    target.mode = TargetMode::ElasticsearchBulk;
    m_panel->setTarget(target, {});
    QVERIFY(label->isVisible());
    m_panel->setItemKey(u"{{id}}"_s);
    QVERIFY(label->isHidden());
    m_panel->setItemKey({});
    QVERIFY(label->isVisible());

    // PUT to the item's own URL.
    TargetSpec put = withUrl(u"http://127.0.0.1/items/{{id}}"_s);
    put.method = u"PUT"_s;
    m_panel->setTarget(put, {});
    QVERIFY(label->isHidden());
}

QTEST_MAIN(TstTargetPanel)
#include "tst_targetpanel.moc"
