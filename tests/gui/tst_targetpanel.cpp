// SPDX-License-Identifier: GPL-3.0-or-later
#include <memory>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTest>

#include "requirechild.h"
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
    void bulkModesAreListedButDisabled();
    void changedOnEdits();

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
    QTest::newRow("everything") << full << RunSpec {100000, 512, 0};

    TargetSpec onlyEnvironment;
    onlyEnvironment.url = u"http://127.0.0.1:8765/x"_s;
    onlyEnvironment.headersEnv = {{u"Authorization"_s, u"TOKEN"_s}};
    onlyEnvironment.timeoutSeconds = 1;
    QTest::newRow("only headersEnv") << onlyEnvironment << RunSpec {1, 1, 100};

    TargetSpec plain;
    plain.url = u"http://127.0.0.1/items"_s;
    QTest::newRow("defaults") << plain << RunSpec {};
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
    for (const char *label :
         {"urlErrorLabel", "headersErrorLabel", "requestErrorLabel", "runErrorLabel"})
        QVERIFY2(child<QLabel>(label)->isHidden(), label);
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
}

void TstTargetPanel::spinLimits()
{
    QFETCH(QByteArray, spin);
    QFETCH(int, minimum);
    QFETCH(int, maximum);

    m_panel->setTarget(withUrl(u"http://127.0.0.1/x"_s), {});
    auto *box = child<QSpinBox>(spin.constData());
    const auto current = [this, &spin]() {
        if (spin == "concurrencySpin")
            return m_panel->run().concurrency;
        if (spin == "chunkSizeSpin")
            return m_panel->run().chunkSize;
        if (spin == "maxRetriesSpin")
            return m_panel->run().maxRetries;
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

void TstTargetPanel::bulkModesAreListedButDisabled()
{
    auto *mode = child<QComboBox>("modeCombo");
    auto *model = qobject_cast<QStandardItemModel *>(mode->model());
    QVERIFY(model);
    QVERIFY(model->rowCount() > 1);
    QVERIFY(model->item(0)->isEnabled());
    for (int row = 1; row < model->rowCount(); ++row) {
        QVERIFY(!model->item(row)->isEnabled());
        QVERIFY(model->item(row)->toolTip().contains(u"later"_s));
    }
    // The keyboard skips them.
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Down);
    QCOMPARE(mode->currentIndex(), 0);
    QCOMPARE(m_panel->target().mode, TargetMode::Item);
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

    // Set in code: no signal.
    m_panel->setTarget(m_panel->target(), m_panel->run());
    QCOMPARE(changed.count(), 4);
}

QTEST_MAIN(TstTargetPanel)
#include "tst_targetpanel.moc"
