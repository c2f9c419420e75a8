// SPDX-License-Identifier: GPL-3.0-or-later
#include "previewmodel.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QLocale>
#include <QTime>
#include <QUuid>

#include "types/numbertypes.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// Longer tooltips are cut too: a tooltip with a megabyte of text helps nobody.
constexpr qsizetype MaxToolTipLength = 4000;

QString isoTime(QTime time)
{
    return time.toString(time.msec() ? Qt::ISODateWithMs : Qt::ISODate);
}

QString cut(const QString &text, qsizetype length)
{
    return text.size() > length ? text.left(length) + u'\x2026' : text;
}

/// Text as one line: a cell cannot show line breaks, so they become a visible mark.
QString oneLine(const QString &text)
{
    QString line = cut(text, PreviewModel::MaxDisplayLength);
    line.replace("\r\n"_L1, u"\x21b5"_s);
    line.replace(u'\n', u'\x21b5');
    line.replace(u'\r', u'\x21b5');
    return line;
}

} // namespace

PreviewModel::PreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

PreviewModel::~PreviewModel() = default;

void PreviewModel::setRows(const ColumnList &columns, const QList<QVariantList> &rows)
{
    beginResetModel();
    m_columns = columns;
    m_rows = rows;
    endResetModel();
}

void PreviewModel::clear()
{
    if (m_columns.isEmpty() && m_rows.isEmpty())
        return;
    beginResetModel();
    m_columns.clear();
    m_rows.clear();
    endResetModel();
}

bool PreviewModel::isNumeric(const QVariant &value, const ColumnInfo &column)
{
    if (value.isNull())
        return false;
    const QMetaType type = value.metaType();
    if (isIntegerType(type) || isRealType(type))
        return true;
    return type.id() == QMetaType::QString && column.exactNumeric;
}

QString PreviewModel::displayText(const QVariant &value, const ColumnInfo &column)
{
    if (value.isNull())
        return u"NULL"_s;
    switch (value.metaType().id()) {
    case QMetaType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
        return QString::number(value.toLongLong());
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
        return QString::number(value.toULongLong());
    case QMetaType::Double:
    case QMetaType::Float:
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QMetaType::QByteArray: {
        const qsizetype size = value.toByteArray().size();
        return size == 1 ? tr("<1 byte>") : tr("<%1 bytes>").arg(size);
    }
    case QMetaType::QDate:
        return value.toDate().toString(Qt::ISODate);
    case QMetaType::QTime:
        return isoTime(value.toTime());
    case QMetaType::QDateTime: {
        const QDateTime dateTime = value.toDateTime();
        if (!dateTime.isValid())
            return {};
        // As the transform writes it, so the table and the JSON preview agree.
        const bool zoned = column.timeZoneAware || dateTime.timeSpec() != Qt::LocalTime;
        const QDateTime shown = zoned ? dateTime.toUTC() : dateTime;
        return shown.date().toString(Qt::ISODate) + u'T' + isoTime(shown.time())
            + (zoned ? u"Z"_s : QString());
    }
    case QMetaType::QUuid:
        return value.toUuid().toString(QUuid::WithoutBraces);
    case QMetaType::QString:
        return oneLine(value.toString());
    default:
        if (value.canConvert<QString>())
            return oneLine(value.toString());
        return u"<%1>"_s.arg(QString::fromLatin1(value.typeName()));
    }
}

int PreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant PreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QVariantList &row = m_rows.at(index.row());
    const ColumnInfo &column = m_columns.at(index.column());
    const QVariant value = index.column() < row.size() ? row.at(index.column()) : QVariant();
    const bool missing = index.column() >= row.size();

    switch (role) {
    case Qt::DisplayRole:
        return missing ? QString() : displayText(value, column);
    case Qt::ToolTipRole:
        // Only where the cell cannot show everything.
        if (value.metaType().id() == QMetaType::QString && !value.isNull()) {
            const QString text = value.toString();
            if (text.size() > MaxDisplayLength || text.contains(u'\n') || text.contains(u'\r'))
                return cut(text, MaxToolTipLength);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (isNumeric(value, column))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    case RawValueRole:
        return value;
    case IsNullRole:
        return !missing && value.isNull();
    default:
        return {};
    }
}

QVariant PreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= m_rows.size() || role != Qt::DisplayRole)
            return {};
        return section + 1;
    }
    if (section < 0 || section >= m_columns.size())
        return {};
    // The tooltip repeats the name for headers too narrow to show it.
    return m_columns.at(section).name;
}

} // namespace sluice
