// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

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
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    m_key.setForeground(dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x4f, 0x9c));
    m_string.setForeground(dark ? QColor(0xa5, 0xd6, 0xa7) : QColor(0x2e, 0x7d, 0x32));
    m_number.setForeground(dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xb0, 0x50, 0x00));
    m_keyword.setForeground(dark ? QColor(0xce, 0x93, 0xd8) : QColor(0x7b, 0x1f, 0xa2));
    m_keyword.setFontWeight(QFont::Bold);
    m_placeholder.setForeground(dark ? QColor(0xf4, 0x8f, 0xb1) : QColor(0xad, 0x14, 0x57));
    m_placeholder.setBackground(dark ? QColor(0xf4, 0x8f, 0xb1, 40) : QColor(0xad, 0x14, 0x57, 24));
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
