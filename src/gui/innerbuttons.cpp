// SPDX-License-Identifier: GPL-3.0-or-later
#include "innerbuttons.h"

#include <QAbstractButton>
#include <QAction>
#include <QCoreApplication>
#include <QLineEdit>
#include <QMenuBar>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

QString translated(const char *text)
{
    return QCoreApplication::translate("InnerButtons", text);
}

void nameClearButton(QLineEdit *edit)
{
    // The action is Qt's (QLineEditPrivate names it so); the button that shows it is a
    // QToolButton child of the edit whose default action it is.
    auto *action = edit->findChild<QAction *>(u"_q_qlineeditclearaction"_s);
    if (!action)
        return;
    const QString what = edit->accessibleName().trimmed();
    const QString name = what.isEmpty()
        ? translated(QT_TRANSLATE_NOOP("InnerButtons", "Clear"))
        : translated(QT_TRANSLATE_NOOP("InnerButtons", "Clear %1")).arg(what);
    action->setText(name);
    action->setToolTip(name);
    const QList<QToolButton *> buttons
        = edit->findChildren<QToolButton *>(Qt::FindDirectChildrenOnly);
    for (QToolButton *button : buttons) {
        if (button->defaultAction() == action)
            button->setAccessibleName(name);
    }
}

/// The direct child buttons of parent whose class Qt names className.
void nameButtons(QWidget *parent, const char *className, const QString &name)
{
    const QList<QAbstractButton *> buttons
        = parent->findChildren<QAbstractButton *>(Qt::FindDirectChildrenOnly);
    for (QAbstractButton *button : buttons) {
        if (button->inherits(className) || button->objectName() == QLatin1String(className)) {
            button->setAccessibleName(name);
            button->setToolTip(name);
        }
    }
}

} // namespace

void nameInnerButtons(QWidget *root)
{
    const QList<QLineEdit *> edits = root->findChildren<QLineEdit *>();
    for (QLineEdit *edit : edits) {
        if (edit->isClearButtonEnabled())
            nameClearButton(edit);
    }
    const QList<QTableView *> tables = root->findChildren<QTableView *>();
    for (QTableView *table : tables)
        nameButtons(table, "QTableCornerButton",
                    translated(QT_TRANSLATE_NOOP("InnerButtons", "Select all")));
    const QList<QToolBar *> bars = root->findChildren<QToolBar *>();
    for (QToolBar *bar : bars)
        nameButtons(bar, "QToolBarExtension",
                    translated(QT_TRANSLATE_NOOP("InnerButtons", "More toolbar buttons")));
    const QList<QMenuBar *> menuBars = root->findChildren<QMenuBar *>();
    for (QMenuBar *menuBar : menuBars)
        nameButtons(menuBar, "qt_menubar_ext_button",
                    translated(QT_TRANSLATE_NOOP("InnerButtons", "More menus")));
}

} // namespace sluice
