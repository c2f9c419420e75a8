// SPDX-License-Identifier: GPL-3.0-or-later
#include "failedcsv.h"

#include <QString>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

QString csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n')
        && !value.contains(u'\r'))
        return value;
    QString quoted = value;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

} // namespace

QByteArray FailedCsv::header()
{
    return QByteArrayLiteral("key,status,http status,attempts,error\r\n");
}

QByteArray FailedCsv::line(const ItemResult &result)
{
    const QString line = csvField(result.key) + u',' + itemStatusName(result.status) + u','
        + (result.httpStatus ? QString::number(result.httpStatus) : QString()) + u','
        + QString::number(result.attempts) + u',' + csvField(result.error) + u"\r\n"_s;
    return line.toUtf8();
}

} // namespace sluice
