// SPDX-License-Identifier: GPL-3.0-or-later
#include "accessibletext.h"

#include <QLabel>
#include <QTextDocumentFragment>

namespace sluice {

QString accessibleWords(const QString &text)
{
    QString words
        = Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
    words.remove(QChar(0x25CF)); // ●
    return words.simplified();
}

void setLabelText(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setAccessibleDescription(accessibleWords(text));
}

} // namespace sluice
