// SPDX-License-Identifier: GPL-3.0-or-later
// The query panel driven as a steward would: typing SQL, editing parameter values, pressing
// Preview rows against a SQLite file and the PostgreSQL test cluster (CTest fixture
// "postgres"); and the preview model and the SQL highlighter on their own.
#include <memory>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDate>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QTimeZone>

#include "models/previewmodel.h"
#include "pgtestserver.h"
#include "querypanel.h"
#include "sqlhighlighter.h"
#include "sqlitefixture.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

constexpr int FixtureRows = 250;

/// The fixture's note column is NULL in every third row (id % 3 == 0).
QList<QVariantList> fixtureRows()
{
    QList<QVariantList> rows;
    for (int id = 1; id <= FixtureRows; ++id) {
        rows.append({id, u"item %1"_s.arg(id), id * 0.5,
                     id % 3 == 0 ? QVariant() : QVariant(u"note %1"_s.arg(id)),
                     QByteArray("\x01\x02\x03", 3)});
    }
    return rows;
}

/// The format of the character at `column` in `block`, as the highlighter set it.
QTextCharFormat formatAt(const QTextBlock &block, int column)
{
    const QList<QTextLayout::FormatRange> ranges = block.layout()->formats();
    for (const QTextLayout::FormatRange &range : ranges) {
        if (column >= range.start && column < range.start + range.length)
            return range.format;
    }
    return {};
}

} // namespace

class TstQueryPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void parametersAppearAsTyped();
    void editedValuesAreInQuery();
    void typedValuesKeepTheirType();
    void wrongTypeIsAnError();
    void roundTrip_data();
    void roundTrip();
    void removedParameterIsDropped();
    void castIsNotAParameter();
    void highlighter_data();
    void highlighter();
    void previewModel_data();
    void previewModel();
    void previewSqlite();
    void previewWithCtrlReturn();
    void previewErrorIsInline();
    void missingParameterValue();
    void newPreviewSupersedes();
    void previewNeedsConnectionAndSql();
    void destroyedMidPreview();
    void previewPostgres();
    void previewPostgresTypes();

private:
    QPlainTextEdit *editor() const { return m_panel->findChild<QPlainTextEdit *>(u"sqlEdit"_s); }
    QTableWidget *parameters() const
    {
        return m_panel->findChild<QTableWidget *>(u"parametersTable"_s);
    }
    QLabel *label(const QString &name) const { return m_panel->findChild<QLabel *>(name); }
    QStringList parameterNames() const;
    void typeSql(const QString &sql);
    void editParameter(int row, const QString &text);
    void clickPreview();
    ConnectionSettings sqliteSettings() const;

    QTemporaryDir m_dir;
    QString m_sqliteFile;
    std::unique_ptr<QueryPanel> m_panel;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TstQueryPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_sqliteFile = SqliteFixture::create(
        m_dir.path(), u"items.db"_s,
        {u"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, note TEXT, "
         "data BLOB)"_s},
        u"items"_s, fixtureRows(), &error);
    QVERIFY2(!m_sqliteFile.isEmpty(), qPrintable(error));
}

void TstQueryPanel::init()
{
    // Qt reports misused connections, threads and views as warnings; only the offscreen
    // plugin's note about size hints is expected.
    QTest::failOnWarning(QRegularExpression(u"^(?!This plugin does not support).*"_s));
    m_panel = std::make_unique<QueryPanel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_panel->previewModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_panel->resize(800, 600);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
}

void TstQueryPanel::cleanup()
{
    m_tester.reset();
    m_panel.reset();
}

void TstQueryPanel::cleanupTestCase()
{
    QString error; // without the cluster there is nothing to drop
    PgTestServer::exec({u"DROP TABLE IF EXISTS querypanel_items"_s}, &error);
}

QStringList TstQueryPanel::parameterNames() const
{
    QStringList names;
    const QTableWidget *table = parameters();
    for (int row = 0; row < table->rowCount(); ++row)
        names.append(table->item(row, 0)->text());
    return names;
}

void TstQueryPanel::typeSql(const QString &sql)
{
    QPlainTextEdit *edit = editor();
    edit->setFocus();
    QTest::keyClicks(edit, sql);
}

void TstQueryPanel::editParameter(int row, const QString &text)
{
    // As from the keyboard: to the cell, F2, the text, Return.
    QTableWidget *table = parameters();
    QVERIFY(table->isVisible());
    table->setFocus();
    table->setCurrentCell(row, 1);
    QTest::keyClick(table, Qt::Key_F2);
    auto *lineEdit = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY2(lineEdit, "no cell editor has the focus");
    lineEdit->selectAll();
    QTest::keyClick(lineEdit, Qt::Key_Delete);
    QTest::keyClicks(lineEdit, text);
    QTest::keyClick(lineEdit, Qt::Key_Return);
    // The delegate commits Return through a queued call.
    QTRY_COMPARE(table->item(row, 1)->text(), text);
}

void TstQueryPanel::clickPreview()
{
    auto *button = m_panel->findChild<QPushButton *>(u"previewButton"_s);
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
}

ConnectionSettings TstQueryPanel::sqliteSettings() const
{
    ConnectionSettings settings;
    settings.driver = u"QSQLITE"_s;
    settings.database = m_sqliteFile;
    return settings;
}

void TstQueryPanel::parametersAppearAsTyped()
{
    QVERIFY(label(u"noParametersLabel"_s)->isVisible());
    QVERIFY(!parameters()->isVisible());
    QSignalSpy changed(m_panel.get(), &QueryPanel::changed);

    typeSql(u"SELECT * FROM items WHERE measured >= :since LIMIT :limit"_s);
    QVERIFY(!changed.isEmpty());
    QTRY_COMPARE(parameterNames(), (QStringList {u":since"_s, u":limit"_s}));
    QVERIFY(parameters()->isVisible());
    QVERIFY(!label(u"noParametersLabel"_s)->isVisible());
    // The name is not editable, the value is.
    QVERIFY(!(parameters()->item(0, 0)->flags() & Qt::ItemIsEditable));
    QVERIFY(parameters()->item(0, 1)->flags() & Qt::ItemIsEditable);
}

void TstQueryPanel::editedValuesAreInQuery()
{
    typeSql(u"SELECT * FROM items WHERE measured >= :since LIMIT :limit"_s);
    QTRY_COMPARE(parameters()->rowCount(), 2);
    QSignalSpy changed(m_panel.get(), &QueryPanel::changed);
    editParameter(0, u"2024-01-01"_s);
    editParameter(1, u"25"_s);
    QCOMPARE(changed.size(), 2);

    const QuerySpec spec = m_panel->query();
    QCOMPARE(spec.sql, u"SELECT * FROM items WHERE measured >= :since LIMIT :limit"_s);
    // Typed in the form, so text.
    const QMap<QString, QVariant> expected {{u"since"_s, u"2024-01-01"_s}, {u"limit"_s, u"25"_s}};
    QCOMPARE(spec.parameters, expected);
}

void TstQueryPanel::typedValuesKeepTheirType()
{
    QuerySpec spec;
    spec.sql = u"SELECT * FROM items WHERE price > :price AND id < :limit AND :flag"_s;
    spec.parameters = {{u"price"_s, 0.5}, {u"limit"_s, qlonglong(10)}, {u"flag"_s, true}};
    m_panel->setQuery(spec);
    QCOMPARE(parameterNames(), (QStringList {u":price"_s, u":limit"_s, u":flag"_s}));
    QCOMPARE(parameters()->item(0, 1)->text(), u"0.5"_s);

    editParameter(1, u"25"_s);
    QCOMPARE(m_panel->query().parameters.value(u"limit"_s), QVariant(qlonglong(25)));
    editParameter(0, u"2.25"_s);
    QCOMPARE(m_panel->query().parameters.value(u"price"_s), QVariant(2.25));
    editParameter(2, u"false"_s);
    QCOMPARE(m_panel->query().parameters.value(u"flag"_s), QVariant(false));

    // No longer a number: an error, never text (see wrongTypeIsAnError).
    editParameter(1, u"ten"_s);
    QVERIFY(!m_panel->query().parameters.contains(u"limit"_s));
    QCOMPARE(m_panel->errors().size(), 1);
}

void TstQueryPanel::wrongTypeIsAnError()
{
    QSignalSpy ready(m_panel.get(), &QueryPanel::previewReady);
    m_panel->setConnection(sqliteSettings(), {});
    QuerySpec spec;
    spec.sql = u"SELECT id FROM items WHERE id < :limit"_s;
    spec.parameters = {{u"limit"_s, qlonglong(10)}};
    m_panel->setQuery(spec);
    QLabel *error = label(u"errorLabel"_s);
    QVERIFY(m_panel->errors().isEmpty());
    QVERIFY(!error->isVisible());
    const QTableWidgetItem *value = parameters()->item(0, 1);
    const QString normalTip = value->toolTip();

    // The same problem as `sluice run --set limit=ten`, beside the table and on the cell, in
    // the words of the step (the parameter, not its JSON path).
    editParameter(0, u"ten"_s);
    const SpecError expected {u"query.parameters.limit"_s, u"\"ten\" is not an integer"_s};
    QCOMPARE(m_panel->errors(), QList<SpecError> {expected});
    QVERIFY(error->isVisible());
    const QString shown = u"parameter :limit: \"ten\" is not an integer"_s;
    QCOMPARE(error->text(), shown);
    QCOMPARE(value->toolTip(), shown);
    QCOMPARE(value->foreground().color(), error->palette().color(QPalette::WindowText));
    QVERIFY(!m_panel->query().parameters.contains(u"limit"_s));

    // Preview rows refuses to run and keeps saying why.
    clickPreview();
    QVERIFY(!m_panel->hasPreview());
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), shown);

    // Fixed, the error goes and the preview runs with the integer.
    editParameter(0, u"4"_s);
    QVERIFY(m_panel->errors().isEmpty());
    QVERIFY(!error->isVisible());
    QCOMPARE(value->toolTip(), normalTip);
    QCOMPARE(value->data(Qt::ForegroundRole), QVariant());
    QCOMPARE(m_panel->query().parameters.value(u"limit"_s), QVariant(qlonglong(4)));
    clickPreview();
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(m_panel->previewModel()->rowCount(), 3);
}

void TstQueryPanel::roundTrip_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::newRow("text") << QVariant(u"2024-01-01"_s);
    QTest::newRow("text that reads as a number") << QVariant(u"42"_s);
    QTest::newRow("empty text") << QVariant(u""_s);
    QTest::newRow("integer") << QVariant(qlonglong(9007199254740991));
    QTest::newRow("negative integer") << QVariant(qlonglong(-3));
    QTest::newRow("real") << QVariant(0.1);
    QTest::newRow("real, integral") << QVariant(3.0);
    QTest::newRow("true") << QVariant(true);
    QTest::newRow("false") << QVariant(false);
    QTest::newRow("null") << QVariant();
}

void TstQueryPanel::roundTrip()
{
    QFETCH(QVariant, value);
    QuerySpec spec;
    spec.sql = u"SELECT *\nFROM items\nWHERE x = :value AND y = :other -- :notThis\n"_s;
    spec.parameters = {{u"value"_s, value}, {u"other"_s, u"o"_s}};
    QSignalSpy changed(m_panel.get(), &QueryPanel::changed);
    m_panel->setQuery(spec);
    const QuerySpec back = m_panel->query();
    QCOMPARE(back, spec);
    QCOMPARE(back.parameters.value(u"value"_s).metaType(), value.metaType());
    QCOMPARE(changed.size(), 0);
}

void TstQueryPanel::removedParameterIsDropped()
{
    QuerySpec spec;
    spec.sql = u"SELECT :a, :b"_s;
    spec.parameters = {{u"a"_s, u"1"_s}, {u"b"_s, u"2"_s}};
    m_panel->setQuery(spec);
    QCOMPARE(parameterNames(), (QStringList {u":a"_s, u":b"_s}));

    QPlainTextEdit *edit = editor();
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_End, Qt::ControlModifier);
    for (int i = 0; i < 4; ++i) // ", :b"
        QTest::keyClick(edit, Qt::Key_Backspace);
    QCOMPARE(edit->toPlainText(), u"SELECT :a"_s);
    QTRY_COMPARE(parameterNames(), QStringList {u":a"_s});
    const QMap<QString, QVariant> expected {{u"a"_s, u"1"_s}};
    QCOMPARE(m_panel->query().parameters, expected);

    // Typed back, it comes back with its value.
    QTest::keyClicks(edit, u", :b"_s);
    QTRY_COMPARE(parameterNames(), (QStringList {u":a"_s, u":b"_s}));
    QCOMPARE(m_panel->query().parameters, spec.parameters);
}

void TstQueryPanel::castIsNotAParameter()
{
    typeSql(u"SELECT id::int, '::x :y', :p::text FROM items -- :c"_s);
    QTRY_COMPARE(parameterNames(), QStringList {u":p"_s});
    // Stays so: the table does not gain names later.
    QTest::qWait(QueryPanel::ParameterDelayMs * 2);
    QCOMPARE(parameterNames(), QStringList {u":p"_s});
}

void TstQueryPanel::highlighter_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("needle"); // the first occurrence in that line
    QTest::addColumn<int>("offset"); // into the needle
    QTest::addColumn<int>("kind"); // SqlHighlighter::Kind, or -1: plain

    const int keyword = int(SqlHighlighter::Kind::Keyword);
    const int string = int(SqlHighlighter::Kind::String);
    const int comment = int(SqlHighlighter::Kind::Comment);
    const int number = int(SqlHighlighter::Kind::Number);
    const int parameter = int(SqlHighlighter::Kind::Parameter);
    QTest::newRow("keyword") << 0 << u"SELECT"_s << 0 << keyword;
    QTest::newRow("identifier") << 0 << u"name"_s << 0 << -1;
    QTest::newRow("string") << 0 << u"'it"_s << 0 << string;
    QTest::newRow(":name in a string") << 0 << u":no"_s << 1 << string;
    QTest::newRow("keyword after a string") << 0 << u"FROM"_s << 0 << keyword;
    QTest::newRow("line comment") << 0 << u"--"_s << 0 << comment;
    QTest::newRow(":name in a comment") << 0 << u":comment"_s << 1 << comment;
    QTest::newRow("parameter colon") << 1 << u":id"_s << 0 << parameter;
    QTest::newRow("parameter name") << 1 << u":id"_s << 2 << parameter;
    QTest::newRow("cast colon") << 1 << u"::int"_s << 1 << -1;
    QTest::newRow("cast type") << 1 << u"::int"_s << 2 << keyword;
    QTest::newRow("number") << 1 << u"42"_s << 1 << number;
    QTest::newRow("block comment") << 1 << u"/*"_s << 3 << comment;
    QTest::newRow("block comment, next line") << 2 << u":lines"_s << 1 << comment;
    QTest::newRow("lower-case keyword") << 2 << u"and"_s << 0 << keyword;
    QTest::newRow("dollar quote") << 2 << u":dollar"_s << 1 << string;
    QTest::newRow("dollar quote, next line") << 3 << u"$$"_s << 0 << string;
    QTest::newRow("keyword after a dollar quote") << 3 << u"OR"_s << 0 << keyword;
    QTest::newRow("escape string") << 3 << u"E'"_s << 0 << string;
    QTest::newRow(":name after an escaped quote") << 3 << u":esc"_s << 1 << string;
}

void TstQueryPanel::highlighter()
{
    QFETCH(int, line);
    QFETCH(QString, needle);
    QFETCH(int, offset);
    QFETCH(int, kind);

    const QString sql = u"SELECT name, 'it''s :no' FROM t -- a :comment\n"
                        "WHERE id = :id AND x::int > 42 /* spans\n"
                        ":lines */ and y = $$ :dollar\n"
                        "$$ OR z = E'\\' :esc'\n"_s;
    m_panel->setQuery(QuerySpec {sql, {}});
    // The colours and the parameter table agree on what is a parameter.
    QCOMPARE(parameterNames(), QStringList {u":id"_s});

    QTextDocument *document = editor()->document();
    auto *highlighter = document->findChild<SqlHighlighter *>();
    QVERIFY(highlighter);
    const QTextBlock block = document->findBlockByNumber(line);
    QVERIFY(block.isValid());
    const int at = int(block.text().indexOf(needle));
    QVERIFY2(at >= 0, qPrintable(block.text()));
    const QTextCharFormat format = formatAt(block, at + offset);
    if (kind < 0) {
        QVERIFY(!format.hasProperty(QTextFormat::ForegroundBrush));
        return;
    }
    const QTextCharFormat expected = highlighter->formatFor(SqlHighlighter::Kind(kind));
    QVERIFY(format.hasProperty(QTextFormat::ForegroundBrush));
    QCOMPARE(format.foreground().color(), expected.foreground().color());
    QCOMPARE(format.fontWeight(), expected.fontWeight());
    QCOMPARE(format.fontItalic(), expected.fontItalic());
    // Each kind has a colour of its own.
    for (int other = 0; other <= int(SqlHighlighter::Kind::Parameter); ++other) {
        if (other != kind) {
            QVERIFY(highlighter->formatFor(SqlHighlighter::Kind(other)).foreground().color()
                    != expected.foreground().color());
        }
    }
}

void TstQueryPanel::previewModel_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<bool>("timeZoneAware");
    QTest::addColumn<bool>("exactNumeric");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("rightAligned");

    const QDateTime utcNoon(QDate(2024, 1, 15), QTime(12, 0), QTimeZone::utc());
    QTest::newRow("null") << QVariant() << false << false << u"NULL"_s << false;
    QTest::newRow("null text") << QVariant(QMetaType::fromType<QString>()) << false << false
                               << u"NULL"_s << false;
    QTest::newRow("integer") << QVariant(qlonglong(-42)) << false << false << u"-42"_s << true;
    QTest::newRow("real") << QVariant(0.1) << false << false << u"0.1"_s << true;
    QTest::newRow("exact numeric") << QVariant(u"12.50"_s) << false << true << u"12.50"_s << true;
    QTest::newRow("text") << QVariant(u"a\nb"_s) << false << false << u"a\u21b5b"_s << false;
    QTest::newRow("bool") << QVariant(true) << false << false << u"true"_s << false;
    QTest::newRow("blob") << QVariant(QByteArray(5, 'x')) << false << false << u"<5 bytes>"_s
                          << false;
    QTest::newRow("date") << QVariant(QDate(2024, 2, 29)) << false << false << u"2024-02-29"_s
                          << false;
    QTest::newRow("time") << QVariant(QTime(13, 45, 1, 500)) << false << false << u"13:45:01.500"_s
                          << false;
    QTest::newRow("timestamp") << QVariant(QDateTime(QDate(2024, 1, 15), QTime(12, 0))) << false
                               << false << u"2024-01-15T12:00:00"_s << false;
    QTest::newRow("timestamptz") << QVariant(utcNoon.toLocalTime()) << true << false
                                 << u"2024-01-15T12:00:00Z"_s << false;
}

void TstQueryPanel::previewModel()
{
    QFETCH(QVariant, value);
    QFETCH(bool, timeZoneAware);
    QFETCH(bool, exactNumeric);
    QFETCH(QString, text);
    QFETCH(bool, rightAligned);

    PreviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ColumnInfo column;
    column.name = u"value"_s;
    column.timeZoneAware = timeZoneAware;
    column.exactNumeric = exactNumeric;
    ColumnInfo id;
    id.name = u"id"_s;
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRows({id, column}, {{1, value}, {2, u"x"_s}});
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"value"_s);
    QCOMPARE(model.headerData(1, Qt::Vertical).toInt(), 2);

    const QModelIndex cell = model.index(0, 1);
    QCOMPARE(cell.data().toString(), text);
    QCOMPARE(cell.data(PreviewModel::IsNullRole).toBool(), value.isNull());
    QCOMPARE(cell.data(PreviewModel::RawValueRole), value);
    const auto alignment = cell.data(Qt::TextAlignmentRole).value<Qt::Alignment>();
    QCOMPARE(bool(alignment & Qt::AlignRight), rightAligned);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), 0);
}

void TstQueryPanel::previewSqlite()
{
    QSignalSpy ready(m_panel.get(), &QueryPanel::previewReady);
    m_panel->setConnection(sqliteSettings(), {});
    typeSql(u"SELECT id, name, price, note, data FROM items ORDER BY id"_s);
    clickPreview();

    const PreviewModel *model = m_panel->previewModel();
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(model->rowCount(), QueryPanel::PreviewRows);
    QStringList headers;
    for (int column = 0; column < model->columnCount(); ++column)
        headers.append(model->headerData(column, Qt::Horizontal).toString());
    QCOMPARE(headers, (QStringList {u"id"_s, u"name"_s, u"price"_s, u"note"_s, u"data"_s}));

    const QList<QVariantList> expected = fixtureRows().mid(0, QueryPanel::PreviewRows);
    QCOMPARE(model->index(2, 3).data().toString(), u"NULL"_s); // id 3
    QVERIFY(model->index(2, 3).data(PreviewModel::IsNullRole).toBool());
    QCOMPARE(model->index(3, 3).data().toString(), u"note 4"_s);
    QCOMPARE(model->index(3, 4).data().toString(), u"<3 bytes>"_s);
    QCOMPARE(model->index(99, 1).data().toString(), u"item 100"_s);

    // The signal carries what the table shows, for the transform's JSON preview.
    const auto columns = ready.first().at(0).value<ColumnList>();
    const auto rows = ready.first().at(1).value<QList<QVariantList>>();
    QCOMPARE(columns.size(), 5);
    QCOMPARE(columns.at(3).name, u"note"_s);
    QCOMPARE(rows.size(), QueryPanel::PreviewRows);
    for (int row = 0; row < rows.size(); ++row) {
        QCOMPARE(rows.at(row).at(0).toLongLong(), expected.at(row).at(0).toLongLong());
        QCOMPARE(rows.at(row).at(3).isNull(), expected.at(row).at(3).isNull());
    }

    // The exact count arrives after the rows.
    QLabel *status = label(u"statusLabel"_s);
    const QLocale locale;
    QTRY_VERIFY2(status->text().contains(locale.toString(FixtureRows)), qPrintable(status->text()));
    QVERIFY(status->text().contains(locale.toString(QueryPanel::PreviewRows)));
    QVERIFY(!status->text().contains(u"about"_s));
    QVERIFY(!label(u"errorLabel"_s)->isVisible());

    auto *view = m_panel->findChild<QTableView *>(u"previewView"_s);
    QCOMPARE(view->model(), model);

    // A small result shows its size itself.
    editor()->selectAll();
    typeSql(u"SELECT id FROM items WHERE id <= 3"_s);
    clickPreview();
    QTRY_COMPARE(ready.size(), 2);
    QCOMPARE(model->rowCount(), 3);
    QTRY_COMPARE(status->text(), u"%1 rows"_s.arg(locale.toString(3)));
}

void TstQueryPanel::previewWithCtrlReturn()
{
    m_panel->setConnection(sqliteSettings(), {});
    const QString sql = u"SELECT id FROM items WHERE id > :min"_s;
    typeSql(sql);
    QTRY_COMPARE(parameters()->rowCount(), 1);
    editParameter(0, u"245"_s);
    editor()->setFocus();
    QTest::keyClick(editor(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(m_panel->previewModel()->rowCount(), 5);
    QCOMPARE(editor()->toPlainText(), sql); // the key ran the preview, it added no line
}

void TstQueryPanel::previewErrorIsInline()
{
    QSignalSpy ready(m_panel.get(), &QueryPanel::previewReady);
    m_panel->setConnection(sqliteSettings(), {});
    typeSql(u"SELECT * FROM no_such_table"_s);
    clickPreview();
    QLabel *error = label(u"errorLabel"_s);
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"no_such_table"_s), qPrintable(error->text()));
    QCOMPARE(m_panel->previewModel()->rowCount(), 0);
    QCOMPARE(ready.size(), 0);
    QVERIFY(error->palette().color(QPalette::WindowText).red() > 150);

    // Fixed, the error goes.
    editor()->selectAll();
    typeSql(u"SELECT * FROM items"_s);
    clickPreview();
    QTRY_COMPARE(ready.size(), 1);
    QVERIFY(!error->isVisible());
}

void TstQueryPanel::missingParameterValue()
{
    m_panel->setConnection(sqliteSettings(), {});
    typeSql(u"SELECT * FROM items WHERE id > :min"_s);
    clickPreview();
    QLabel *error = label(u"errorLabel"_s);
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u":min"_s), qPrintable(error->text()));
    QVERIFY2(error->text().contains(u"no value"_s), qPrintable(error->text()));
    // The button brought the table up to date at once.
    QCOMPARE(parameterNames(), QStringList {u":min"_s});
}

void TstQueryPanel::newPreviewSupersedes()
{
    QSignalSpy ready(m_panel.get(), &QueryPanel::previewReady);
    m_panel->setConnection(sqliteSettings(), {});
    typeSql(u"SELECT id FROM items WHERE id <= 7"_s);
    clickPreview();
    editor()->selectAll();
    typeSql(u"SELECT name FROM items WHERE id <= 2"_s);
    clickPreview();

    QTRY_COMPARE(m_panel->previewModel()->rowCount(), 2);
    QCOMPARE(m_panel->previewModel()->headerData(0, Qt::Horizontal).toString(), u"name"_s);
    // The first one never shows, however late it comes.
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(ready.first().at(1).value<QList<QVariantList>>().size(), 2);
    QCOMPARE(label(u"statusLabel"_s)->text(), u"%1 rows"_s.arg(QLocale().toString(2)));
}

void TstQueryPanel::previewNeedsConnectionAndSql()
{
    QSignalSpy ready(m_panel.get(), &QueryPanel::previewReady);
    typeSql(u"SELECT 1"_s);
    clickPreview();
    QLabel *error = label(u"errorLabel"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"connection"_s), qPrintable(error->text()));

    m_panel->setConnection(sqliteSettings(), {});
    editor()->clear();
    typeSql(u"  "_s);
    clickPreview();
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"empty"_s), qPrintable(error->text()));
    QCOMPARE(ready.size(), 0);
}

void TstQueryPanel::destroyedMidPreview()
{
    const auto ours = [](const QString &prefix) {
        return QSqlDatabase::connectionNames().filter(
            QRegularExpression(u"^"_s + QRegularExpression::escape(prefix)));
    };
    m_panel->setConnection(sqliteSettings(), {});
    typeSql(u"SELECT * FROM items"_s);
    clickPreview();
    m_tester.reset();
    m_panel.reset();
    // Neither the reader nor the count was waited for: both clean up in the background.
    QTRY_COMPARE(ours(u"sluice.source."_s), QStringList());
    QTRY_COMPARE(ours(u"sluice.count."_s), QStringList());
}

void TstQueryPanel::previewPostgres()
{
    QString error;
    const ConnectionSettings settings = PgTestServer::settings(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(PgTestServer::exec({u"DROP TABLE IF EXISTS querypanel_items"_s,
                                 u"CREATE TABLE querypanel_items AS SELECT g AS id, "
                                 "'item ' || g AS name, CASE WHEN g % 2 = 0 THEN NULL "
                                 "ELSE g * 1.5 END AS price FROM generate_series(1, 5000) g"_s,
                                 u"ANALYZE querypanel_items"_s},
                                &error),
             qPrintable(error));

    QSignalSpy ready(m_panel.get(), &QueryPanel::previewReady);
    m_panel->setConnection(settings, {});
    // A quote in a value must reach the server as data, for the rows and the estimate.
    typeSql(u"SELECT id, name, price FROM querypanel_items WHERE id > :min AND name <> :skip "
            "ORDER BY id"_s);
    QTRY_COMPARE(parameters()->rowCount(), 2);
    editParameter(0, u"1000"_s);
    editParameter(1, u"it's"_s);
    clickPreview();

    QTRY_COMPARE(ready.size(), 1);
    const PreviewModel *model = m_panel->previewModel();
    QCOMPARE(model->rowCount(), QueryPanel::PreviewRows);
    QCOMPARE(model->index(0, 0).data().toString(), u"1001"_s);
    QCOMPARE(model->index(1, 2).data().toString(), u"NULL"_s); // id 1002
    QCOMPARE(model->index(0, 2).data().toString(), u"1501.5"_s); // numeric, exact text
    QLabel *status = label(u"statusLabel"_s);
    QTRY_VERIFY2(status->text().contains(u"about"_s), qPrintable(status->text()));
    // The planner's estimate for id > 1000 out of 5000 rows: near 4000, never exact.
    const QString estimate = status->text().section(u"about "_s, 1).section(u')', 0, 0);
    bool ok = false;
    const qlonglong rows = QLocale().toLongLong(estimate, &ok);
    QVERIFY2(ok, qPrintable(status->text()));
    QVERIFY2(rows > 3000 && rows < 5000, qPrintable(status->text()));
}

void TstQueryPanel::previewPostgresTypes()
{
    // The preview shows what the item will hold: json nested as written (12.50), the instant
    // in UTC with its microseconds, an array as a JSON array.
    QString error;
    const ConnectionSettings settings = PgTestServer::settings(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QSignalSpy ready(m_panel.get(), &QueryPanel::previewReady);
    m_panel->setConnection(settings, {});
    typeSql(u"SELECT '{\"b\": 12.50, \"a\": [1]}'::jsonb AS doc, "
            "'2024-01-01 00:00:00.123456+01'::timestamptz AS at, ARRAY[1, NULL] AS arr, "
            "'13:45+05:30'::timetz AS tz"_s);
    clickPreview();
    QTRY_COMPARE(ready.size(), 1);
    const PreviewModel *model = m_panel->previewModel();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, 0).data().toString(), uR"({"a":[1],"b":12.50})"_s);
    QCOMPARE(model->index(0, 1).data().toString(), u"2023-12-31T23:00:00.123456Z"_s);
    QCOMPARE(model->index(0, 2).data().toString(), u"[1,null]"_s);
    QCOMPARE(model->index(0, 3).data().toString(), u"13:45:00+05:30"_s);
}

QTEST_MAIN(TstQueryPanel)
#include "tst_querypanel.moc"
