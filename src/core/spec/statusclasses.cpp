// SPDX-License-Identifier: GPL-3.0-or-later
#include "statusclasses.h"

#include <algorithm>
#include <cmath>

#include <QLocale>
#include <QRegularExpression>

#include "util/text.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

bool isStatus(int status)
{
    return status >= StatusSpan::MinStatus && status <= StatusSpan::MaxStatus;
}

QString notAStatus(const QString &what)
{
    return what
        + u" is not an HTTP status (%1 to %2)"_s.arg(StatusSpan::MinStatus)
              .arg(StatusSpan::MaxStatus);
}

} // namespace

QString StatusSpan::toString() const
{
    switch (form) {
    case Form::Status:
        return QString::number(first);
    case Form::Class:
        return QString::number(first / 100) + u"xx"_s;
    case Form::Range:
        return QString::number(first) + u'-' + QString::number(last);
    }
    return {};
}

bool statusListContains(const StatusList &list, int status)
{
    return std::any_of(list.cbegin(), list.cend(),
                       [status](const StatusSpan &span) { return span.contains(status); });
}

int firstCommonStatus(const StatusList &a, const StatusList &b)
{
    int common = 0;
    for (const StatusSpan &x : a) {
        for (const StatusSpan &y : b) {
            const int low = std::max(x.first, y.first);
            if (low <= std::min(x.last, y.last) && (common == 0 || low < common))
                common = low;
        }
    }
    return common;
}

std::optional<StatusSpan> statusSpanFromText(QStringView text, QString *error)
{
    static const QRegularExpression pattern(uR"(^(?:(\d{3})|([1-9])[xX][xX]|(\d{3})-(\d{3}))$)"_s);
    const QString trimmed = text.trimmed().toString();
    const QRegularExpressionMatch match = pattern.match(trimmed);
    const auto fail = [error](const QString &message) -> std::optional<StatusSpan> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (!match.hasMatch())
        return fail(quoted(trimmed)
                    + uR"( is not a status, a class like "5xx" or a range like "500-504")"_s);
    StatusSpan span;
    if (match.hasCaptured(1)) {
        span.form = StatusSpan::Form::Status;
        span.first = span.last = match.captured(1).toInt();
        if (!isStatus(span.first))
            return fail(notAStatus(trimmed));
    } else if (match.hasCaptured(2)) {
        span.form = StatusSpan::Form::Class;
        span.first = match.captured(2).toInt() * 100;
        span.last = span.first + 99;
        if (!isStatus(span.first))
            return fail(quoted(trimmed) + u" is not a class of HTTP statuses (1xx to 5xx)"_s);
    } else {
        span.form = StatusSpan::Form::Range;
        span.first = match.captured(3).toInt();
        span.last = match.captured(4).toInt();
        for (const int end : {span.first, span.last}) {
            if (!isStatus(end))
                return fail(quoted(trimmed) + u": "_s + notAStatus(QString::number(end)));
        }
        if (span.first > span.last)
            return fail(quoted(trimmed) + u" is not a range: its first status is above its last"_s);
    }
    return span;
}

std::optional<StatusSpan> statusSpanFromJson(const QJsonValue &value, QString *error)
{
    if (value.isString())
        return statusSpanFromText(value.toString(), error);
    const double number = value.toDouble();
    if (value.isDouble() && std::floor(number) == number) {
        if (number < StatusSpan::MinStatus || number > StatusSpan::MaxStatus) {
            if (error)
                *error = notAStatus(QString::number(number, 'g', QLocale::FloatingPointShortest));
            return std::nullopt;
        }
        const int status = static_cast<int>(number);
        return StatusSpan {StatusSpan::Form::Status, status, status};
    }
    if (error)
        *error = uR"(must be a status (404), a class ("4xx") or a range ("500-504"))"_s;
    return std::nullopt;
}

std::optional<StatusList> statusListFromText(QStringView text, QString *error)
{
    StatusList list;
    static const QRegularExpression separators(u"[,;\\s]+"_s);
    const QStringList parts = text.toString().split(separators, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const std::optional<StatusSpan> span = statusSpanFromText(part, error);
        if (!span)
            return std::nullopt;
        list.append(*span);
    }
    return list;
}

QString statusListText(const StatusList &list)
{
    QStringList parts;
    for (const StatusSpan &span : list)
        parts.append(span.toString());
    return parts.join(u", "_s);
}

QByteArray statusListJson(const StatusList &list)
{
    QByteArray json = "[";
    for (const StatusSpan &span : list) {
        if (json.size() > 1)
            json += ',';
        // Every form is ASCII digits, "x" and "-": nothing to escape.
        if (span.form == StatusSpan::Form::Status)
            json += QByteArray::number(span.first);
        else
            json += '"' + span.toString().toLatin1() + '"';
    }
    return json + ']';
}

StatusList StatusClasses::defaultSuccess()
{
    return {StatusSpan {StatusSpan::Form::Class, 200, 299}};
}

StatusList StatusClasses::defaultRetry()
{
    return {StatusSpan {StatusSpan::Form::Status, 408, 408},
            StatusSpan {StatusSpan::Form::Status, 429, 429},
            StatusSpan {StatusSpan::Form::Class, 500, 599}};
}

StatusClass StatusClasses::classify(int httpStatus) const
{
    // The steward's lists first, then the defaults of the lists not set.
    if (success && statusListContains(*success, httpStatus))
        return StatusClass::Delivered;
    if (retry && statusListContains(*retry, httpStatus))
        return StatusClass::Retry;
    if (!success && httpStatus >= 200 && httpStatus <= 299)
        return StatusClass::Delivered;
    if (!retry && statusListContains(defaultRetry(), httpStatus))
        return StatusClass::Retry;
    return StatusClass::Fail;
}

bool StatusClasses::isExplicit(int status) const
{
    return (success && statusListContains(*success, status))
        || (retry && statusListContains(*retry, status));
}

} // namespace sluice
