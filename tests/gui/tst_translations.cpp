// SPDX-License-Identifier: GPL-3.0-or-later
// The German window has no English left: the main window is built once in English and once in
// German (the translators loaded as the app loads them), walked through every step and through
// a finished run, and every visible text, tooltip, placeholder, menu, action and column header
// that reads the same in both is reported, unless it is on the short list of words that are
// German too, product names and the user's own data. And the English plural forms.

#include "mainwindow.h"
#include "openrundialog.h"
#include "runpanel.h"
#include "runtext.h"
#include "translations.h"

#include "models/transferstatusmodel.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMap>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

using Texts = QMap<QString, QString>; // where -> text

// A name for object that is the same in both windows: its object name, or its class and its
// place among its parent's children, after its parent's name.
QString pathOf(const QObject *object)
{
    QStringList parts;
    for (; object; object = object->parent()) {
        QString part = object->objectName();
        if (part.isEmpty()) {
            const QObject *parent = object->parent();
            const int index = parent ? int(parent->children().indexOf(object)) : 0;
            part = QString::fromLatin1(object->metaObject()->className()) + u'#'
                + QString::number(index);
        }
        parts.prepend(part);
    }
    return parts.join(u'/');
}

void add(Texts &texts, const QObject *object, const QString &what, const QString &text)
{
    if (!text.trimmed().isEmpty())
        texts.insert(pathOf(object) + u':' + what, text);
}

// The views whose column headers are the user's own names: the query's columns.
bool showsUserData(const QAbstractItemView *view)
{
    return view->objectName() == QLatin1String("previewView");
}

void collectModel(Texts &texts, const QObject *view, const QAbstractItemModel *model)
{
    if (!model)
        return;
    for (int column = 0; column < model->columnCount(); ++column) {
        for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)})
            add(texts, view, u"header %1 role %2"_s.arg(column).arg(role),
                model->headerData(column, Qt::Horizontal, role).toString());
    }
}

// Every text of root and its children a user can see or hear, visible now or not.
Texts collect(QWidget *root)
{
    Texts texts;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *widget : std::as_const(widgets)) {
        add(texts, widget, u"toolTip"_s, widget->toolTip());
        add(texts, widget, u"statusTip"_s, widget->statusTip());
        add(texts, widget, u"whatsThis"_s, widget->whatsThis());
        add(texts, widget, u"accessibleName"_s, widget->accessibleName());
        add(texts, widget, u"accessibleDescription"_s, widget->accessibleDescription());
        if (widget->isWindow())
            add(texts, widget, u"windowTitle"_s, widget->windowTitle());
        if (auto *label = qobject_cast<QLabel *>(widget))
            add(texts, widget, u"text"_s, label->text());
        if (auto *button = qobject_cast<QAbstractButton *>(widget))
            add(texts, widget, u"text"_s, button->text());
        if (auto *box = qobject_cast<QGroupBox *>(widget))
            add(texts, widget, u"title"_s, box->title());
        if (auto *edit = qobject_cast<QLineEdit *>(widget))
            add(texts, widget, u"placeholder"_s, edit->placeholderText());
        if (auto *edit = qobject_cast<QPlainTextEdit *>(widget))
            add(texts, widget, u"placeholder"_s, edit->placeholderText());
        if (auto *spin = qobject_cast<QAbstractSpinBox *>(widget)) {
            add(texts, widget, u"specialValueText"_s, spin->specialValueText());
            if (auto *box = qobject_cast<QSpinBox *>(widget))
                add(texts, widget, u"suffix"_s, box->suffix());
            if (auto *box = qobject_cast<QDoubleSpinBox *>(widget))
                add(texts, widget, u"suffix"_s, box->suffix());
        }
        if (auto *combo = qobject_cast<QComboBox *>(widget)) {
            for (int i = 0; i < combo->count(); ++i) {
                add(texts, widget, u"item %1"_s.arg(i), combo->itemText(i));
                add(texts, widget, u"item %1 toolTip"_s.arg(i),
                    combo->itemData(i, Qt::ToolTipRole).toString());
            }
        }
        if (auto *tabs = qobject_cast<QTabWidget *>(widget)) {
            for (int i = 0; i < tabs->count(); ++i) {
                add(texts, widget, u"tab %1"_s.arg(i), tabs->tabText(i));
                add(texts, widget, u"tab %1 toolTip"_s.arg(i), tabs->tabToolTip(i));
            }
        }
        // (A header view shows its table's model: collected with the table.)
        if (auto *view = qobject_cast<QAbstractItemView *>(widget);
            view && !qobject_cast<QHeaderView *>(widget) && !showsUserData(view))
            collectModel(texts, view, view->model());
        if (auto *menu = qobject_cast<QMenu *>(widget))
            add(texts, widget, u"title"_s, menu->title());
    }
    for (const QAction *action : root->findChildren<QAction *>()) {
        add(texts, action, u"text"_s, action->text());
        add(texts, action, u"toolTip"_s, action->toolTip());
        add(texts, action, u"statusTip"_s, action->statusTip());
    }
    return texts;
}

// What may read the same in English and German: words German uses too, product and protocol
// names, units, examples of code (SQL, JSON, templates, status lists), and the user's data
// (file names, paths, URLs). Compared without mnemonics and trailing colons.
bool allowed(const QString &text)
{
    static const QSet<QString> same {
        // German words too
        u"Host"_s, u"Port"_s, u"Status"_s, u"Name"_s, u"Info"_s, u"Optional"_s, u"Parameter"_s,
        u"Header"_s, u"Variable"_s, u"Pause"_s, u"Journal: %1"_s,
        // names of products, protocols and formats, units
        u"Sluice"_s, u"SQLite"_s, u"PostgreSQL"_s, u"MySQL"_s, u"MariaDB"_s, u"ODBC"_s, u"HTTP"_s,
        u"HTTP/2"_s, u"POST"_s, u"PUT"_s, u"URL"_s, u"JSON"_s, u"CSV (*.csv)"_s,
        u"Elasticsearch _bulk"_s, u"CouchDB _bulk_docs"_s, u"Prior Knowledge (h2c)"_s, u"s"_s,
        u"ms"_s,
        // examples of code the user types
        u"2xx"_s, u"408, 429, 5xx"_s, u"{{id}}"_s,
        u"SELECT id, name, measured_at FROM sensors WHERE measured_at >= :since"_s,
        u"{ \"id\": \"{{id}}\", \"name\": \"{{name}}\" }"_s};
    QString plain = text;
    plain.remove(u'&').remove(u'…');
    plain = plain.trimmed();
    if (plain.endsWith(u':'))
        plain.chop(1);
    static const QRegularExpression letters(u"[A-Za-z]{2,}"_s);
    static const QRegularExpression data(u"https?://|\\.json\\b|\\.db\\b|/"_s);
    static const QRegularExpression driver(u"^Q[A-Z]+$"_s); // a Qt driver's name, e.g. QPSQL
    return same.contains(plain) || !plain.contains(letters) || plain.contains(data)
        || plain.contains(driver);
}

// The texts of english that german did not change and that are not allowed to stay.
QStringList untranslated(const Texts &english, const Texts &german)
{
    QStringList left;
    for (auto it = english.cbegin(); it != english.cend(); ++it) {
        if (german.value(it.key()) == it.value() && !allowed(it.value()))
            left.append(it.key() + u" = \"" + it.value() + u'"');
    }
    return left;
}

// Whether the walks of both windows saw the same widgets: a text may be empty in one language
// only (a label both leave empty is left out of both), so nearly all, not all, places match.
bool sameKeys(const Texts &english, const Texts &german)
{
    qsizetype common = 0;
    for (auto it = english.cbegin(); it != english.cend(); ++it)
        common += german.contains(it.key()) ? 1 : 0;
    return common >= english.size() * 95 / 100 && common >= german.size() * 95 / 100;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void englishPluralForms();
    void qtStandardButtonsAreGerman();
    void noEnglishLeftInTheMainWindow();
    void noEnglishLeftInTheOpenRunDialog();

private:
    // Switches the application to locale as the app starts in it.
    static void useLocale(const QLocale &locale);
    // Every text of a main window on the example: each step, then after a run to the demo
    // API's rejecting endpoint (counters, failure groups, the item, the log).
    Texts mainWindowTexts();

    QTemporaryDir m_dir;
};

void TestTranslations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"SluiceTest"_s);
    QCoreApplication::setApplicationName(u"SluiceTranslationsTest"_s);
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    // The run to the rejecting endpoint logs a warning per item.
    QLoggingCategory::setFilterRules(u"sluice.*.warning=false\nsluice.*.info=false"_s);
}

void TestTranslations::cleanupTestCase()
{
    useLocale(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestTranslations::useLocale(const QLocale &locale)
{
    QLocale::setDefault(locale);
    installTranslations(locale);
}

void TestTranslations::englishPluralForms()
{
    // The English translation holds the plural forms only: "%Ln item(s)" reads right.
    useLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    QCOMPARE(RunText::itemCount(1), u"1 item"_s);
    QCOMPARE(RunText::itemCount(1234), u"1,234 items"_s);
    QCOMPARE(RunText::itemCount(0), u"0 items"_s);
    useLocale(QLocale(QLocale::German, QLocale::Germany));
    QCOMPARE(RunText::itemCount(1), u"1 Element"_s);
    QCOMPARE(RunText::itemCount(1234), u"1.234 Elemente"_s);
    // A language Sluice has no translation for gets the English plural forms.
    QVERIFY(!installTranslations(QLocale(QLocale::French, QLocale::France)));
    QCOMPARE(RunText::itemCount(2), u"2 items"_s);
}

void TestTranslations::qtStandardButtonsAreGerman()
{
    useLocale(QLocale(QLocale::German, QLocale::Germany));
    // Qt's own translation (qtbase_de.qm): the standard buttons of message boxes and dialogs.
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Abbrechen"_s);
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Save"), u"Speichern"_s);
    useLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Cancel"_s);
}

Texts TestTranslations::mainWindowTexts()
{
    QSettings().clear(); // a first start: the example and its note
    MainWindow window;
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return {};
    // The example's row count arrives from the database; the built-in API listens.
    auto *rejecting = window.findChild<QAction *>(u"actionDemoRejecting"_s);
    if (!QTest::qWaitFor([&] { return rejecting->isEnabled(); }))
        return {};
    QTest::qWait(200);
    Texts texts;
    auto *tabs = window.findChild<QTabWidget *>(u"tabs"_s);
    for (int step = 0; step < tabs->count(); ++step) {
        tabs->setCurrentIndex(step);
        QCoreApplication::processEvents();
        texts.insert(collect(&window));
    }
    // A run whose every item fails: the Run step's states, groups and details.
    rejecting->trigger();
    QTest::keyClick(&window, Qt::Key_F5);
    auto *run = window.findChild<RunPanel *>();
    if (!QTest::qWaitFor(
            [&] { return run->run() && run->run()->state() == TransferRun::State::Finished; },
            30000))
        return {};
    QTest::qWait(300);
    run->showItem(run->model()->idAt(0));
    QCoreApplication::processEvents();
    texts.insert(collect(&window));
    // The status bar's message says which API listens and where the target points.
    texts.insert(u"statusBar:message"_s, window.statusBar()->currentMessage());
    window.setWindowModified(false);
    return texts;
}

void TestTranslations::noEnglishLeftInTheMainWindow()
{
    useLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    const Texts english = mainWindowTexts();
    QVERIFY(english.size() > 300);
    useLocale(QLocale(QLocale::German, QLocale::Germany));
    const Texts german = mainWindowTexts();
    QVERIFY2(sameKeys(english, german), "the two windows differ: the walk does not line up");
    const QStringList left = untranslated(english, german);
    for (const QString &line : left)
        qInfo().noquote() << "English in the German window:" << line;
    QVERIFY2(
        left.isEmpty(),
        qPrintable(u"%1 texts are English in the German window (listed above)"_s.arg(left.size())));
    // Spot checks that the walk saw what it should: a menu, a tooltip, a column header.
    QVERIFY(german.values().contains(u"&Datei"_s));
    QVERIFY(german.values().contains(u"Die Übertragung starten (F5)"_s));
    QVERIFY(german.values().contains(u"Versuche"_s));
}

void TestTranslations::noEnglishLeftInTheOpenRunDialog()
{
    const auto textsOf = [this](const QLocale &locale) {
        useLocale(locale);
        OpenRunDialog dialog(m_dir.path());
        return collect(&dialog);
    };
    const Texts english = textsOf(QLocale(QLocale::English, QLocale::UnitedStates));
    const Texts german = textsOf(QLocale(QLocale::German, QLocale::Germany));
    QVERIFY(english.size() > 10);
    QVERIFY(sameKeys(english, german));
    const QStringList left = untranslated(english, german);
    for (const QString &line : left)
        qInfo().noquote() << "English in the German dialog:" << line;
    QVERIFY2(left.isEmpty(), "English texts in the German Open Run dialog (listed above)");
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
