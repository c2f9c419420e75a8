// SPDX-License-Identifier: GPL-3.0-or-later
#include "retrytargetquestion.h"

#include <QMessageBox>
#include <QPushButton>

namespace sluice {

RetryTargetQuestion::Answer RetryTargetQuestion::ask(QWidget *parent, const TargetSpec &changed,
                                                     const TargetSpec &original)
{
    QMessageBox box(QMessageBox::Question, tr("The Target Has Changed"),
                    tr("The target was changed after this run started. Where should the items "
                       "go?"),
                    QMessageBox::NoButton, parent);
    box.setInformativeText(tr("Changed target: %1 %2\nThis run's target: %3 %4")
                               .arg(changed.method, changed.url, original.method, original.url));
    QPushButton *toChanged
        = box.addButton(tr("Send to the &Changed Target"), QMessageBox::AcceptRole);
    QPushButton *toOriginal
        = box.addButton(tr("Send to the &Run's Target"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(toChanged);
    box.exec();
    if (box.clickedButton() == toOriginal)
        return Answer::Original;
    return box.clickedButton() == toChanged ? Answer::Changed : Answer::Cancelled;
}

} // namespace sluice
