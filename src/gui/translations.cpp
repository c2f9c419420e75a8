// SPDX-License-Identifier: GPL-3.0-or-later
#include "translations.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QTranslator>

// Q_INIT_RESOURCE cannot be used inside a namespace. The resource is the one
// qt_add_translations makes in src/gui/CMakeLists.txt: a static library drops it otherwise.
static void initTranslationResources()
{
    Q_INIT_RESOURCE(sluice_gui_translations);
}

namespace sluice {

namespace {

QPointer<QTranslator> appTranslator;
QPointer<QTranslator> qtTranslator;

// Removes and deletes the translator installed before, if any.
void drop(QPointer<QTranslator> &translator)
{
    if (!translator)
        return;
    QCoreApplication::removeTranslator(translator);
    delete translator.data();
}

// Installs the first file of name's that fits one of locale's languages; false if none does.
bool load(QPointer<QTranslator> &slot, const QLocale &locale, const QString &name,
          const QString &folder)
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (!translator->load(locale, name, QStringLiteral("_"), folder)) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    slot = translator;
    return true;
}

} // namespace

bool installTranslations(const QLocale &locale)
{
    initTranslationResources();
    drop(appTranslator);
    drop(qtTranslator);
    const QString ours = QStringLiteral(":/i18n");
    const bool translated = load(appTranslator, locale, QStringLiteral("sluice"), ours);
    if (!translated)
        load(appTranslator, QLocale(QLocale::English), QStringLiteral("sluice"), ours);
    else if (locale.language() != QLocale::English)
        load(qtTranslator, locale, QStringLiteral("qtbase"),
             QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return translated;
}

} // namespace sluice

// At every application's start, in the system's language. Only the desktop app and the GUI
// tests: `sluice run` and `sluice demo-api` (a QCoreApplication) speak English to schedulers.
// This file is linked into every executable that links sluice_gui (src/gui/CMakeLists.txt),
// so this runs whether or not the executable calls anything of it.
static void installTranslationsAtStart()
{
    if (qobject_cast<QApplication *>(QCoreApplication::instance()))
        sluice::installTranslations(QLocale());
}
Q_COREAPP_STARTUP_FUNCTION(installTranslationsAtStart)
