// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlparameters.h"

#include <QSet>
#include <QStringView>

namespace sluice {

namespace {

bool isNameStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= u'0' && c <= u'9');
}

/// Index just after the literal or quoted identifier that starts with the quote at `open`
/// (or sql.size() when it is not closed). A doubled quote is an escaped quote.
qsizetype skipQuoted(QStringView sql, qsizetype open, bool backslashEscapes)
{
    const QChar quote = sql.at(open);
    qsizetype i = open + 1;
    while (i < sql.size()) {
        const QChar c = sql.at(i);
        if (backslashEscapes && c == u'\\') {
            i += 2;
        } else if (c == quote) {
            if (i + 1 < sql.size() && sql.at(i + 1) == quote)
                i += 2;
            else
                return i + 1;
        } else {
            ++i;
        }
    }
    return sql.size();
}

/// When a PostgreSQL dollar quote ($$ or $tag$) opens at `dollar`, the index just after
/// its closing delimiter (or sql.size()); otherwise -1.
qsizetype skipDollarQuoted(QStringView sql, qsizetype dollar)
{
    // "$1" is a positional parameter and "a$b" an identifier: neither opens a quote.
    if (dollar > 0 && (isNameChar(sql.at(dollar - 1)) || sql.at(dollar - 1) == u'$'))
        return -1;
    qsizetype i = dollar + 1;
    if (i < sql.size() && isNameStart(sql.at(i))) {
        while (i < sql.size() && isNameChar(sql.at(i)))
            ++i;
    }
    if (i >= sql.size() || sql.at(i) != u'$')
        return -1;
    const QStringView delimiter = sql.sliced(dollar, i + 1 - dollar);
    const qsizetype close = sql.indexOf(delimiter, i + 1);
    return close < 0 ? sql.size() : close + delimiter.size();
}

/// Calls onName(name) for every parameter marker, in order.
template<typename OnName>
void scanSqlParameters(QStringView sql, OnName onName)
{
    const qsizetype n = sql.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = sql.at(i);
        const QChar next = i + 1 < n ? sql.at(i + 1) : QChar();
        if (c == u'\'') {
            // PostgreSQL E'...' strings take backslash escapes; the E must stand alone.
            const bool escapeString = i > 0 && (sql.at(i - 1) == u'E' || sql.at(i - 1) == u'e')
                && (i < 2 || !isNameChar(sql.at(i - 2)));
            i = skipQuoted(sql, i, escapeString);
        } else if (c == u'"' || c == u'`') {
            i = skipQuoted(sql, i, false);
        } else if (c == u'-' && next == u'-') {
            const qsizetype end = sql.indexOf(u'\n', i + 2);
            i = end < 0 ? n : end + 1;
        } else if (c == u'/' && next == u'*') {
            const qsizetype end = sql.indexOf(u"*/", i + 2);
            i = end < 0 ? n : end + 2;
        } else if (c == u'$') {
            const qsizetype end = skipDollarQuoted(sql, i);
            i = end < 0 ? i + 1 : end;
        } else if (c == u':') {
            if (next == u':' || next == u'=') {
                // ::cast and := assignment; the type name after :: is plain text.
                i += 2;
            } else if (isNameStart(next)) {
                qsizetype end = i + 2;
                while (end < n && isNameChar(sql.at(end)))
                    ++end;
                onName(sql.sliced(i + 1, end - i - 1));
                i = end;
            } else {
                ++i;
            }
        } else {
            ++i;
        }
    }
}

} // namespace

QStringList findSqlParameters(const QString &sql)
{
    QStringList names;
    QSet<QStringView> seen;
    scanSqlParameters(sql, [&](QStringView name) {
        if (!seen.contains(name)) {
            seen.insert(name);
            names.append(name.toString());
        }
    });
    return names;
}

qsizetype countSqlParameterUses(const QString &sql)
{
    qsizetype count = 0;
    scanSqlParameters(sql, [&count](QStringView) { ++count; });
    return count;
}

} // namespace sluice
