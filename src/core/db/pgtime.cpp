// SPDX-License-Identifier: GPL-3.0-or-later
#include "pgtime.h"

#include <algorithm>
#include <charconv>

namespace sluice::pg {

namespace {

// Dates and times. PostgreSQL writes them (DateStyle ISO) as "YYYY-MM-DD", years beyond 9999
// with more digits, BC dates with a " BC" suffix (proleptic Gregorian, no year 0), times as
// "HH:MM:SS[.ffffff]" and offsets as "+hh[:mm[:ss]]". They are rewritten into a buffer on
// the stack, without QDateTime, which keeps milliseconds only and costs allocations per value.

/// Days since 1970-01-01 of a proleptic Gregorian date, astronomical year (Howard Hinnant's
/// days_from_civil).
qint64 daysFromCivil(qint64 y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/// The date of a day number (civil_from_days).
void civilFromDays(qint64 z, qint64 *y, int *m, int *d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    *d = int(doy - (153 * mp + 2) / 5 + 1);
    *m = int(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/// A reader of a date or time text, front to back.
struct Cursor
{
    QByteArrayView text;
    qsizetype at = 0;

    bool atEnd() const { return at >= text.size(); }
    bool take(char c)
    {
        if (at < text.size() && text[at] == c) {
            ++at;
            return true;
        }
        return false;
    }
    /// Exactly n digits, or -1.
    int digits(int n)
    {
        if (at + n > text.size())
            return -1;
        int value = 0;
        for (int i = 0; i < n; ++i) {
            const char c = text[at + i];
            if (c < '0' || c > '9')
                return -1;
            value = value * 10 + (c - '0');
        }
        at += n;
        return value;
    }
    /// One or more digits (at most 9), or -1.
    qint64 number()
    {
        qint64 value = 0;
        const qsizetype start = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start < 9)
            value = value * 10 + (text[at++] - '0');
        return at > start ? value : -1;
    }
    /// ".digits" if there, as written (at most 9 digits); empty otherwise.
    QByteArrayView fraction()
    {
        const qsizetype start = at;
        if (take('.')) {
            while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start <= 9)
                ++at;
        }
        return text.sliced(start, at - start);
    }
};

struct Date
{
    qint64 year = 0; ///< astronomical: 1 BC is 0
    int month = 0;
    int day = 0;
};

struct Time
{
    int hour = 0;
    int minute = 0;
    int second = 0;
    QByteArrayView fraction; ///< ".123456" or empty
};

/// "Y-MM-DD"; the year is made astronomical by finish() once " BC" is known.
bool readDate(Cursor &c, Date *date)
{
    date->year = c.number();
    return date->year >= 0 && c.take('-') && (date->month = c.digits(2)) >= 1 && c.take('-')
        && (date->day = c.digits(2)) >= 1;
}

bool readTime(Cursor &c, Time *time)
{
    time->hour = c.digits(2);
    const bool ok = time->hour >= 0 && c.take(':') && (time->minute = c.digits(2)) >= 0
        && c.take(':') && (time->second = c.digits(2)) >= 0;
    time->fraction = c.fraction();
    return ok;
}

/// "+hh[:mm[:ss]]" as seconds east of UTC, and the text as it was written.
bool readOffset(Cursor &c, int *seconds, QByteArrayView *written)
{
    const qsizetype start = c.at;
    const int sign = c.take('-') ? -1 : (c.take('+') ? 1 : 0);
    int total = c.digits(2);
    if (sign == 0 || total < 0)
        return false;
    total *= 3600;
    for (int unit = 60; c.take(':'); unit /= 60) {
        const int part = c.digits(2);
        if (part < 0 || unit < 1)
            return false;
        total += part * unit;
    }
    *seconds = sign * total;
    *written = c.text.sliced(start, c.at - start);
    return true;
}

/// The " BC" suffix, if the cursor is at it; then the end.
bool readEra(Cursor &c, Date *date)
{
    if (c.text.sliced(c.at) == " BC") {
        date->year = 1 - date->year;
        c.at = c.text.size();
    }
    return c.atEnd();
}

char *put2(char *p, int value)
{
    p[0] = char('0' + value / 10);
    p[1] = char('0' + value % 10);
    return p + 2;
}

/// An ISO 8601 date: four-digit astronomical year, signed outside 0..9999.
char *putDate(char *p, const Date &date)
{
    if (date.year < 0 || date.year > 9999)
        *p++ = date.year < 0 ? '-' : '+';
    char digits[24];
    const char *end = std::to_chars(digits, digits + sizeof digits, qAbs(date.year)).ptr;
    p = std::fill_n(p, std::max<qsizetype>(0, 4 - (end - digits)), '0');
    p = std::copy(static_cast<const char *>(digits), end, p);
    *p++ = '-';
    p = put2(p, date.month);
    *p++ = '-';
    return put2(p, date.day);
}

char *putTime(char *p, const Time &time)
{
    p = put2(p, time.hour);
    *p++ = ':';
    p = put2(p, time.minute);
    *p++ = ':';
    p = put2(p, time.second);
    return std::copy(time.fraction.begin(), time.fraction.end(), p);
}

/// A date, time or interval in ISO 8601 form (see Kind); null for text of another form
/// (infinity, a form not foreseen), which the caller keeps as the server wrote it.
QString isoTemporal(Kind kind, QByteArrayView text)
{
    Cursor c {text};
    Date date;
    Time time;
    int offset = 0;
    QByteArrayView offsetText;
    char buffer[96];
    char *p = buffer;
    switch (kind) {
    case Kind::Date:
        if (!readDate(c, &date) || !readEra(c, &date))
            return {};
        p = putDate(p, date);
        break;
    case Kind::Timestamp:
        if (!readDate(c, &date) || !c.take(' ') || !readTime(c, &time) || !readEra(c, &date))
            return {};
        p = putDate(p, date);
        *p++ = 'T';
        p = putTime(p, time);
        break;
    case Kind::TimestampTz: {
        if (!readDate(c, &date) || !c.take(' ') || !readTime(c, &time)
            || !readOffset(c, &offset, &offsetText) || !readEra(c, &date))
            return {};
        const qint64 seconds = daysFromCivil(date.year, date.month, date.day) * 86400
            + time.hour * 3600 + time.minute * 60 + time.second - offset;
        const qint64 days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
        const int inDay = int(seconds - days * 86400);
        civilFromDays(days, &date.year, &date.month, &date.day);
        time.hour = inDay / 3600;
        time.minute = inDay / 60 % 60;
        time.second = inDay % 60;
        p = putDate(p, date);
        *p++ = 'T';
        p = putTime(p, time);
        *p++ = 'Z';
        break;
    }
    case Kind::TimeTz:
        // Its own offset, with minutes (RFC 3339 wants them): "+05" -> "+05:00".
        if (!readTime(c, &time) || !readOffset(c, &offset, &offsetText) || !c.atEnd())
            return {};
        p = putTime(p, time);
        p = std::copy(offsetText.begin(), offsetText.end(), p);
        if (offsetText.size() == 3)
            p = std::copy_n(":00", 3, p);
        break;
    default: // time, interval: as the server wrote them
        return {};
    }
    return QString::fromLatin1(buffer, p - buffer);
}

} // namespace

QString temporalText(Kind kind, QByteArrayView text)
{
    if (text.size() < 48) {
        if (QString iso = isoTemporal(kind, text); !iso.isNull())
            return iso;
    }
    return QString::fromLatin1(text);
}

} // namespace sluice::pg
