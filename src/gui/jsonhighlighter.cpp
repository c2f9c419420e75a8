// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

#include "palette.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

bool isNumberChar(QChar c)
{
    return c.isDigit() || c == u'-' || c == u'+' || c == u'.' || c == u'e' || c == u'E';
}

} // namespace

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    // Two sets, so the colours stay readable on a dark palette as well as a light one.
    const QPalette palette = QGuiApplication::palette();
    m_key.setForeground(themedColor(palette, 0x1a4f9c, 0x8ab4f8));
    m_string.setForeground(themedColor(palette, 0x2e7d32, 0xa5d6a7));
    m_number.setForeground(themedColor(palette, 0xb05000, 0xffb74d));
    m_keyword.setForeground(themedColor(palette, 0x7b1fa2, 0xce93d8));
    m_keyword.setFontWeight(QFont::Bold);
    QColor placeholder = themedColor(palette, 0xad1457, 0xf48fb1);
    m_placeholder.setForeground(placeholder);
    placeholder.setAlpha(isDark(palette) ? 40 : 24);
    m_placeholder.setBackground(placeholder);
    m_placeholder.setFontWeight(QFont::Bold);
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        const QChar c = text.at(i);
        if (c == u'"') {
            qsizetype end = i + 1;
            while (end < size && text.at(end) != u'"')
                end += text.at(end) == u'\\' ? 2 : 1;
            end = qMin(end + 1, size); // past the closing quote, if there is one
            qsizetype next = end;
            while (next < size && text.at(next).isSpace())
                ++next;
            highlightString(text, i, end, next < size && text.at(next) == u':');
            i = end;
        } else if (c.isDigit() || (c == u'-' && i + 1 < size && text.at(i + 1).isDigit())) {
            qsizetype end = i + 1;
            while (end < size && isNumberChar(text.at(end)))
                ++end;
            setFormat(int(i), int(end - i), m_number);
            i = end;
        } else if (c.isLetter()) {
            qsizetype end = i + 1;
            while (end < size && text.at(end).isLetterOrNumber())
                ++end;
            const QStringView word = QStringView(text).sliced(i, end - i);
            if (word == u"true"_s || word == u"false"_s || word == u"null"_s)
                setFormat(int(i), int(end - i), m_keyword);
            i = end;
        } else {
            ++i;
        }
    }
}

void JsonHighlighter::highlightString(const QString &text, qsizetype start, qsizetype end,
                                      bool isKey)
{
    setFormat(int(start), int(end - start), isKey ? m_key : m_string);
    // Keys are never interpolated (see Transform), so their braces are not placeholders.
    if (isKey)
        return;
    qsizetype from = start;
    while (true) {
        const qsizetype open = text.indexOf(u"{{"_s, from);
        if (open < 0 || open >= end)
            break;
        const qsizetype close = text.indexOf(u"}}"_s, open + 2);
        if (close < 0 || close + 2 > end)
            break;
        setFormat(int(open), int(close + 2 - open), m_placeholder);
        from = close + 2;
    }
}

} // namespace sluice
