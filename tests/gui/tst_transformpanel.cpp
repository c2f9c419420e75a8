// SPDX-License-Identifier: GPL-3.0-or-later
#include <cmath>
#include <limits>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

#include "jsonhighlighter.h"
#include "requirechild.h"
#include "transform/transform.h"
#include "transformpanel.h"
#include "json/jsonreader.h"

Q_DECLARE_METATYPE(sluice::TransformSpec)

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

ColumnInfo column(const QString &name, QMetaType::Type type)
{
    ColumnInfo info;
    info.name = name;
    info.metaTypeId = type;
    return info;
}

/// The sensors of the bundled example, with a NULL, a non-ASCII name, an integral REAL
/// (written 12.0, which a QJsonDocument round trip would turn into 12) and an id past 2^53.
ColumnList sensorColumns()
{
    return {column(u"id"_s, QMetaType::LongLong), column(u"name"_s, QMetaType::QString),
            column(u"temperature"_s, QMetaType::Double), column(u"site"_s, QMetaType::QString)};
}

QList<QVariantList> sensorRows()
{
    return {
        {qlonglong(1), u"Pegel Köln"_s, 21.5, u"Rhein"_s},
        {qlonglong(2), u"Quai \"Nord\""_s, 12.0, QVariant(QMetaType::fromType<QString>())},
        {qlonglong(9007199254740993), u"far"_s, -3.25, u"Elbe"_s},
    };
}

QString stripSpaceOutsideStrings(const QString &json)
{
    QString out;
    bool inString = false;
    bool escaped = false;
    for (const QChar c : json) {
        if (inString) {
            out.append(c);
            if (escaped)
                escaped = false;
            else if (c == u'\\')
                escaped = true;
            else if (c == u'"')
                inString = false;
        } else if (c == u'"') {
            inString = true;
            out.append(c);
        } else if (!c.isSpace()) {
            out.append(c);
        }
    }
    return out;
}

} // namespace

class TstTransformPanel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void roundTrip_data();
    void roundTrip();
    void brokenJsonShowsLineAndColumn_data();
    void brokenJsonShowsLineAndColumn();
    void withoutColumnsSaysSoNeutrally();
    void unknownColumnIsNamed_data();
    void unknownColumnIsNamed();
    void previewShowsWhatTransformProduces_data();
    void previewShowsWhatTransformProduces();
    void previewKeepsNumberLiteralsAndColumnOrder();
    void invalidRowShowsItsError_data();
    void invalidRowShowsItsError();
    void templateOffShowsColumnObject();
    void switchingOnStartsFromTheColumns();
    void changedOnTyping();
    void keyboardIndentsAndLeavesTheEditor();
    void placeholdersHaveTheirOwnColour();

private:
    template<typename T>
    T *child(const char *name) const
    {
        return requireChild<T>(m_panel.get(), name);
    }
    /// Clicks a radio button's indicator (a click past the end of its text misses it).
    void clickRadio(const char *name)
    {
        auto *radio = child<QRadioButton>(name);
        QTest::mouseClick(radio, Qt::LeftButton, {}, QPoint(8, radio->height() / 2));
        QVERIFY(radio->isChecked());
    }
    /// Replaces the editor's text the way a person does: select all, type.
    void typeTemplate(const QString &text);

    std::unique_ptr<TransformPanel> m_panel;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
};

void TstTransformPanel::init()
{
    m_panel = std::make_unique<TransformPanel>();
    m_panel->resize(900, 500);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    m_modelTester = std::make_unique<QAbstractItemModelTester>(
        child<QComboBox>("previewRowCombo")->model(),
        QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TstTransformPanel::cleanup()
{
    m_modelTester.reset();
    m_panel.reset();
}

void TstTransformPanel::typeTemplate(const QString &text)
{
    auto *editor = child<QPlainTextEdit>("templateEdit");
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(editor, Qt::Key_Delete);
    // keyClicks() knows ASCII only, and not the line break.
    for (const QChar c : text) {
        if (c == u'\n')
            QTest::keyClick(editor, Qt::Key_Return);
        else if (c.unicode() < 0x80)
            QTest::keyClick(editor, char(c.unicode()));
        else
            QTest::sendKeyEvent(QTest::Click, editor, Qt::Key_unknown, QString(c), Qt::NoModifier);
    }
    QCOMPARE(editor->toPlainText(), text);
}

void TstTransformPanel::roundTrip_data()
{
    QTest::addColumn<TransformSpec>("spec");

    QTest::newRow("no transform") << TransformSpec {};
    // Members not in alphabetical order, literals a double would change, escapes: what the
    // editor shows and gives back is what the file and the API get.
    const QByteArray sensor
        = R"({"label":"{{site}} / {{name}}","id":"{{id}}","location":{"lon":"{{lon}}",)"
          R"("lat":"{{lat}}"},"tags":["sensor",3,12.50,true,null,{}],)"
          R"("ünïcode":"\"quoted\" \\ {{ name }}","e":"\u00e9",)"
          R"("huge":123456789012345678901234567890})";
    QTest::newRow("template and key") << TransformSpec {true, u"{{site}}-{{id}}"_s, sensor};
    QTest::newRow("template without key") << TransformSpec {true, {}, sensor};
    QTest::newRow("array template") << TransformSpec {true, {}, R"(["{{id}}",[]])"};
    QTest::newRow("scalar template") << TransformSpec {true, u"{{id}}"_s, R"("{{name}}")"};
}

void TstTransformPanel::roundTrip()
{
    QFETCH(TransformSpec, spec);
    QSignalSpy changed(m_panel.get(), &TransformPanel::changed);
    m_panel->setTransform(spec);
    QCOMPARE(m_panel->transform(), spec);
    QVERIFY(m_panel->isValid());
    QCOMPARE(changed.count(), 0);

    const QString text = child<QPlainTextEdit>("templateEdit")->toPlainText();
    QCOMPARE(child<QRadioButton>("templateRadio")->isChecked(), spec.present);
    QCOMPARE(child<QPlainTextEdit>("templateEdit")->isEnabled(), spec.present);
    QCOMPARE(child<QLineEdit>("keyEdit")->text(), spec.key);
    if (spec.present && (spec.templ.startsWith('{') || spec.templ.startsWith('['))) {
        // Pretty-printed: one member a line.
        QVERIFY2(text.count(u'\n') >= 2, qPrintable(text));
        QVERIFY(text.contains(u"\n    "_s));
    }
    // Nothing the panel shows differs after it has been read back and set again.
    m_panel->setTransform(m_panel->transform());
    QCOMPARE(child<QPlainTextEdit>("templateEdit")->toPlainText(), text);
}

void TstTransformPanel::brokenJsonShowsLineAndColumn_data()
{
    QTest::addColumn<QString>("broken");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("words");

    // Lines and columns are 1-based and point at the character where the JSON goes wrong.
    // A missing comma is placed right after the value it should follow.
    QTest::newRow("missing comma")
        << u"{\n    \"a\": 1\n    \"b\": 2\n}"_s << 2 << 11 << u"missing comma"_s;
    QTest::newRow("missing comma in an array")
        << u"[\n  \"{{id}}\"\n  \"{{name}}\"\n]"_s << 2 << 11 << u"missing comma"_s;
    QTest::newRow("unquoted name")
        << u"{\n  name: \"{{name}}\"\n}"_s << 2 << 3 << u"name in double quotes"_s;
    QTest::newRow("missing colon")
        << u"{\n  \"name\" \"{{name}}\"\n}"_s << 2 << 10 << u"missing colon"_s;
    QTest::newRow("capitalised literal") << u"{\"ok\": True}"_s << 1 << 8 << u"JSON value"_s;
    QTest::newRow("trailing comma") << u"{\"a\": 1,\n}"_s << 2 << 1 << u"comma"_s;
    QTest::newRow("unclosed object") << u"{\n  \"a\": [1, 2]\n"_s << 2 << 13 << u"not closed"_s;
    QTest::newRow("text after the end") << u"{\"a\": 1} x"_s << 1 << 10 << u"after the end"_s;
    QTest::newRow("after non-ASCII")
        << u"{\"ä€\": \"é\" \"b\": 1}"_s << 1 << 11 << u"missing comma"_s;
}

void TstTransformPanel::brokenJsonShowsLineAndColumn()
{
    QFETCH(QString, broken);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, words);

    clickRadio("templateRadio");
    typeTemplate(broken);
    auto *message = child<QLabel>("messageLabel");
    const QString expected = u"line %1, column %2: "_s.arg(line).arg(column);
    QTRY_VERIFY2(message->text().contains(expected), qPrintable(message->text()));
    QVERIFY2(message->text().contains(words), qPrintable(message->text()));
    QVERIFY(message->isVisible());
    QVERIFY(!m_panel->isValid());
    QVERIFY(m_panel->transform().templ.isEmpty());

    // The offending line is marked in the editor.
    auto *editor = child<QPlainTextEdit>("templateEdit");
    const QList<QTextEdit::ExtraSelection> marks = editor->extraSelections();
    QVERIFY(!marks.isEmpty());
    QCOMPARE(marks.first().cursor.block().blockNumber() + 1, line);

    // Fixing it clears the message and the marks.
    typeTemplate(u"{\n    \"a\": 1,\n    \"b\": \"{{name}}\"\n}"_s);
    QTRY_VERIFY2(!message->text().contains(u"line"_s), qPrintable(message->text()));
    QVERIFY(editor->extraSelections().isEmpty());
    QVERIFY(m_panel->isValid());
    QCOMPARE(m_panel->transform().templ, QByteArray(R"({"a":1,"b":"{{name}}"})"));
}

void TstTransformPanel::withoutColumnsSaysSoNeutrally()
{
    clickRadio("templateRadio");
    typeTemplate(u"{\"a\": \"{{no such column}}\"}"_s);
    auto *message = child<QLabel>("messageLabel");
    QTRY_VERIFY2(message->text().contains(u"Preview rows in the Query panel"_s),
                 qPrintable(message->text()));
    QVERIFY(m_panel->isValid());
    QVERIFY(child<QPlainTextEdit>("templateEdit")->extraSelections().isEmpty());
    // Neutral: the label keeps the ordinary text colour.
    QCOMPARE(message->palette().color(QPalette::WindowText),
             m_panel->palette().color(QPalette::WindowText));

    // A malformed placeholder is found without knowing any column (the file's rules).
    typeTemplate(u"{\"a\": \"{{name\"}"_s);
    QTRY_VERIFY2(message->text().contains(u"Template, at a: unclosed placeholder"_s),
                 qPrintable(message->text()));
    QVERIFY(!m_panel->isValid());
    QVERIFY(message->palette().color(QPalette::WindowText)
            != m_panel->palette().color(QPalette::WindowText));
}

void TstTransformPanel::unknownColumnIsNamed_data()
{
    QTest::addColumn<QString>("templ");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("unknown");

    QTest::newRow("in the template") << u"{\"where\": {\"site\": \"{{sight}}\"}}"_s << QString()
                                     << QString() << u"Template, at where.site"_s << u"sight"_s;
    QTest::newRow("interpolated") << u"{\"label\": \"{{site}} / {{nmae}}\"}"_s << QString()
                                  << QString() << u"Template, at label"_s << u"nmae"_s;
    QTest::newRow("in the key") << u"{\"id\": \"{{id}}\"}"_s << u"{{ident}}"_s << QString()
                                << u"Item key"_s << u"ident"_s;
    QTest::newRow("in the URL") << u"{\"id\": \"{{id}}\"}"_s << QString()
                                << u"http://127.0.0.1/s/_doc/{{sensor_id}}"_s << u"URL"_s
                                << u"sensor_id"_s;
}

void TstTransformPanel::unknownColumnIsNamed()
{
    QFETCH(QString, templ);
    QFETCH(QString, key);
    QFETCH(QString, url);
    QFETCH(QString, field);
    QFETCH(QString, unknown);

    m_panel->setUrlTemplate(url);
    m_panel->setPreview(sensorColumns(), sensorRows());
    clickRadio("templateRadio");
    QTest::keyClicks(child<QLineEdit>("keyEdit"), key);
    typeTemplate(templ);

    auto *message = child<QLabel>("messageLabel");
    const QString expected = field + u": the query returns no column \""_s + unknown + u'"';
    QTRY_VERIFY2(message->text().contains(expected), qPrintable(message->text()));
    // The message lists what the query does return.
    QVERIFY2(message->text().contains(u"id, name, temperature, site"_s),
             qPrintable(message->text()));
    QVERIFY(!m_panel->isValid());
    // A placeholder in the editor naming it is underlined.
    auto *editor = child<QPlainTextEdit>("templateEdit");
    if (templ.contains(unknown)) {
        bool marked = false;
        for (const QTextEdit::ExtraSelection &mark : editor->extraSelections())
            marked = marked || mark.cursor.selectedText().contains(unknown);
        QVERIFY(marked);
    }
    // The preview keeps the last valid version, greyed, while the template has problems.
    QVERIFY(!child<QPlainTextEdit>("previewView")->isEnabled());
}

void TstTransformPanel::previewShowsWhatTransformProduces_data()
{
    QTest::addColumn<QString>("templ");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("url");

    QTest::newRow("nested, typed and interpolated")
        << u"{\n  \"id\": \"{{id}}\",\n  \"place\": {\"site\": \"{{site}}\", \"t\": "
           u"[\"{{temperature}}\", 1]},\n  \"label\": \"{{name}} at {{site}}\"\n}"_s
        << u"{{id}}"_s << QString();
    QTest::newRow("key and URL") << u"{\"name\": \"{{name}}\", \"t\": \"{{temperature}}\"}"_s
                                 << u"{{site}}-{{id}}"_s << u"http://127.0.0.1/s/{{id}}"_s;
}

void TstTransformPanel::previewShowsWhatTransformProduces()
{
    QFETCH(QString, templ);
    QFETCH(QString, key);
    QFETCH(QString, url);

    const ColumnList columns = sensorColumns();
    const QList<QVariantList> rows = sensorRows();
    m_panel->setUrlTemplate(url);
    m_panel->setPreview(columns, rows);
    clickRadio("templateRadio");
    QTest::keyClicks(child<QLineEdit>("keyEdit"), key);
    QCOMPARE(m_panel->transform().key, key);
    typeTemplate(templ);
    QVERIFY(m_panel->isValid());

    const std::optional<Transform> transform
        = Transform::compile(m_panel->transform(), url, columns, nullptr);
    QVERIFY(transform);
    auto *combo = child<QComboBox>("previewRowCombo");
    auto *view = child<QPlainTextEdit>("previewView");
    // Once the typing pauses, the preview follows.
    QTRY_COMPARE(stripSpaceOutsideStrings(view->toPlainText()),
                 QString::fromUtf8(transform->apply(rows.first(), 0).payload));
    QCOMPARE(combo->count(), int(rows.size()));
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i < rows.size(); ++i) {
        if (i > 0)
            QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(combo->currentIndex(), i);
        const Item item = transform->apply(rows.at(i), i);
        QVERIFY2(item.isValid(), qPrintable(item.error));
        QVERIFY2(combo->currentText().contains(item.key), qPrintable(combo->currentText()));
        QVERIFY(combo->currentText().contains(QString::number(i + 1)));

        const QString shown = view->toPlainText();
        // The very bytes the API receives, only laid out.
        QCOMPARE(stripSpaceOutsideStrings(shown), QString::fromUtf8(item.payload));
        // Laid out one member a line, as the file is saved.
        QCOMPARE(shown, QString::fromUtf8(indentJson(item.payload).value()));
        auto *note = child<QLabel>("previewNoteLabel");
        if (!item.url.isEmpty())
            QVERIFY2(note->text().contains(item.url), qPrintable(note->text()));
    }

    // Editing the template updates the preview of the picked row.
    typeTemplate(u"{\"only\": \"{{name}}\"}"_s);
    QTRY_VERIFY2(view->toPlainText().contains(u"\"only\": \"far\""_s),
                 qPrintable(view->toPlainText()));
    QCOMPARE(combo->currentIndex(), int(rows.size()) - 1);
}

void TstTransformPanel::previewKeepsNumberLiteralsAndColumnOrder()
{
    const ColumnList columns = sensorColumns();
    const QList<QVariantList> rows = sensorRows();
    m_panel->setPreview(columns, rows);
    auto *combo = child<QComboBox>("previewRowCombo");
    auto *view = child<QPlainTextEdit>("previewView");
    QTRY_COMPARE(combo->count(), int(rows.size()));

    combo->setCurrentIndex(1);
    QTRY_VERIFY2(view->toPlainText().contains(u"\"temperature\": 12.0,"_s),
                 qPrintable(view->toPlainText()));
    combo->setCurrentIndex(2);
    QTRY_VERIFY2(view->toPlainText().contains(u"\"id\": 9007199254740993,"_s),
                 qPrintable(view->toPlainText()));
    // Column order, not alphabetical order: id, name, temperature, site.
    const QString text = view->toPlainText();
    QVERIFY(text.indexOf(u"\"name\""_s) < text.indexOf(u"\"temperature\""_s));
    QVERIFY(text.indexOf(u"\"temperature\""_s) < text.indexOf(u"\"site\""_s));
}

void TstTransformPanel::invalidRowShowsItsError_data()
{
    QTest::addColumn<QVariantList>("row");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("words");

    QTest::newRow("NaN REAL") << QVariantList {qlonglong(7), u"x"_s,
                                               std::numeric_limits<double>::quiet_NaN(), u"s"_s}
                              << QString() << u"NaN"_s;
    QTest::newRow("infinite REAL")
        << QVariantList {qlonglong(7), u"x"_s, std::numeric_limits<double>::infinity(), u"s"_s}
        << QString() << u"infinity"_s;
    QTest::newRow("NULL in a URL placeholder")
        << QVariantList {qlonglong(7), u"x"_s, 1.5, QVariant(QMetaType::fromType<QString>())}
        << u"http://127.0.0.1/{{site}}/_doc/{{id}}"_s << u"NULL"_s;
}

void TstTransformPanel::invalidRowShowsItsError()
{
    QFETCH(QVariantList, row);
    QFETCH(QString, url);
    QFETCH(QString, words);

    const ColumnList columns = sensorColumns();
    const QList<QVariantList> rows {sensorRows().first(), row};
    m_panel->setUrlTemplate(url);
    m_panel->setPreview(columns, rows);
    clickRadio("templateRadio");
    typeTemplate(u"{\"id\": \"{{id}}\", \"t\": \"{{temperature}}\"}"_s);
    QVERIFY(m_panel->isValid());
    // Once the typing pauses, the preview (of the first row) follows.
    QTRY_VERIFY(child<QPlainTextEdit>("previewView")->toPlainText().contains(u"\"t\": 21.5"_s));

    auto *combo = child<QComboBox>("previewRowCombo");
    QTRY_COMPARE(combo->count(), 2);
    QVERIFY(!combo->itemText(0).contains(u"invalid"_s));
    QVERIFY2(combo->itemText(1).contains(u"invalid"_s), qPrintable(combo->itemText(1)));
    combo->setCurrentIndex(1);

    const Item item
        = Transform::compile(m_panel->transform(), url, columns, nullptr)->apply(row, 1);
    QVERIFY(!item.isValid());
    auto *note = child<QLabel>("previewNoteLabel");
    QTRY_VERIFY2(note->text().contains(item.error), qPrintable(note->text()));
    QVERIFY2(item.error.contains(words), qPrintable(item.error));
    QVERIFY(note->isVisible());
    auto *view = child<QPlainTextEdit>("previewView");
    QVERIFY(view->toPlainText().isEmpty());
    QVERIFY2(view->placeholderText().contains(u"invalid"_s), qPrintable(view->placeholderText()));

    combo->setCurrentIndex(0);
    QTRY_VERIFY(!child<QPlainTextEdit>("previewView")->toPlainText().isEmpty());
    QVERIFY(!note->text().contains(item.error));
}

void TstTransformPanel::templateOffShowsColumnObject()
{
    // Not alphabetical, so the column order shows.
    const ColumnList columns {column(u"zeta"_s, QMetaType::QString),
                              column(u"alpha"_s, QMetaType::LongLong)};
    const QList<QVariantList> rows {{u"z"_s, qlonglong(1)}, {u"y"_s, qlonglong(2)}};
    m_panel->setPreview(columns, rows);
    QVERIFY(child<QRadioButton>("rowObjectRadio")->isChecked());
    QVERIFY(!child<QPlainTextEdit>("templateEdit")->isEnabled());
    QVERIFY(!child<QLineEdit>("keyEdit")->isEnabled());
    QCOMPARE(m_panel->transform(), TransformSpec {});

    auto *combo = child<QComboBox>("previewRowCombo");
    QTRY_COMPARE(combo->count(), 2);
    QCOMPARE(combo->itemText(1), u"row 2"_s);
    combo->setCurrentIndex(1);
    const Item item = Transform::compile({}, {}, columns, nullptr)->apply(rows.at(1), 1);
    auto *view = child<QPlainTextEdit>("previewView");
    QTRY_COMPARE(view->toPlainText(), QString::fromUtf8(indentJson(item.payload).value()));
    QCOMPARE(view->toPlainText(), u"{\n    \"zeta\": \"y\",\n    \"alpha\": 2\n}"_s);
}

void TstTransformPanel::switchingOnStartsFromTheColumns()
{
    m_panel->setPreview(sensorColumns(), sensorRows());
    clickRadio("templateRadio");
    QVERIFY(child<QPlainTextEdit>("templateEdit")->isEnabled());
    const TransformSpec spec = m_panel->transform();
    QVERIFY(spec.present);
    // Every column, in the query's order.
    QCOMPARE(spec.templ,
             QByteArray(R"({"id":"{{id}}","name":"{{name}}","temperature":"{{temperature}}",)"
                        R"("site":"{{site}}"})"));
    QVERIFY(m_panel->isValid());

    // Switched off and on again, what was written stays.
    typeTemplate(u"{\"n\": \"{{name}}\"}"_s);
    clickRadio("rowObjectRadio");
    QCOMPARE(m_panel->transform(), TransformSpec {});
    clickRadio("templateRadio");
    QCOMPARE(m_panel->transform().templ, QByteArray(R"({"n":"{{name}}"})"));
}

void TstTransformPanel::changedOnTyping()
{
    QSignalSpy changed(m_panel.get(), &TransformPanel::changed);
    m_panel->setTransform({true, u"{{id}}"_s, R"({"id":"{{id}}"})"});
    m_panel->setPreview(sensorColumns(), sensorRows());
    m_panel->setUrlTemplate(u"http://127.0.0.1/{{id}}"_s);
    QCOMPARE(changed.count(), 0);

    auto *editor = child<QPlainTextEdit>("templateEdit");
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_End, Qt::ControlModifier);
    QTest::keyClick(editor, Qt::Key_Space);
    QVERIFY(changed.count() >= 1);
    // Typed text is kept as typed (compact here), not reformatted once it is validated.
    const QString typed = u"{\"id\":\"{{id}}\",\"n\":\"{{name}}\"}"_s;
    typeTemplate(typed);
    QTRY_VERIFY(child<QPlainTextEdit>("previewView")->toPlainText().contains(u"\"n\": "_s));
    QCOMPARE(editor->toPlainText(), typed);

    const auto before = changed.count();
    QTest::keyClicks(child<QLineEdit>("keyEdit"), u"-x"_s);
    QCOMPARE(changed.count(), before + 2);
    QCOMPARE(m_panel->transform().key, u"{{id}}-x"_s);

    clickRadio("rowObjectRadio");
    QCOMPARE(changed.count(), before + 3);
}

void TstTransformPanel::keyboardIndentsAndLeavesTheEditor()
{
    QApplication::setActiveWindow(m_panel.get());
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    clickRadio("templateRadio");
    auto *editor = child<QPlainTextEdit>("templateEdit");
    editor->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(editor));
    QTest::keyClick(editor, Qt::Key_Tab);
    QCOMPARE(editor->toPlainText(), u"    "_s);
    QTest::keyClick(editor, Qt::Key_Tab, Qt::ControlModifier);
    QVERIFY(QApplication::focusWidget() != editor);
    QVERIFY(m_panel->isAncestorOf(QApplication::focusWidget()));
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(child<QLineEdit>("keyEdit")));
    QCOMPARE(editor->toPlainText(), u"    "_s);
}

void TstTransformPanel::placeholdersHaveTheirOwnColour()
{
    m_panel->setTransform({true, {}, R"({"label":"at {{site}}","n":1})"});
    auto *editor = child<QPlainTextEdit>("templateEdit");
    const JsonHighlighter *highlighter = editor->document()->findChild<JsonHighlighter *>();
    QVERIFY(highlighter);
    const QBrush placeholder = highlighter->placeholderFormat().foreground();

    QTextBlock block = editor->document()->firstBlock();
    while (block.isValid() && !block.text().contains(u"{{site}}"_s))
        block = block.next();
    QVERIFY(block.isValid());
    const qsizetype at = block.text().indexOf(u"{{site}}"_s);
    QBrush atPlaceholder;
    QBrush beforePlaceholder;
    for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
        if (range.start <= at && at < range.start + range.length)
            atPlaceholder = range.format.foreground();
        if (range.start <= at - 2 && at - 2 < range.start + range.length)
            beforePlaceholder = range.format.foreground();
    }
    QCOMPARE(atPlaceholder, placeholder);
    QVERIFY(beforePlaceholder != placeholder);
    QVERIFY(beforePlaceholder.style() != Qt::NoBrush);
}

QTEST_MAIN(TstTransformPanel)
#include "tst_transformpanel.moc"
