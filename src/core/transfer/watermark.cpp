// SPDX-License-Identifier: GPL-3.0-or-later
#include "watermark.h"

#include "spec/parametervalue.h"
#include "types/numbertypes.h"
#include "util/text.h"
#include "json/jsonobjectwriter.h"
#include "json/jsonreader.h"
#include "json/jsonwriter.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// Kinds in the order SQLite sorts mixed types (NULL, numbers, text, blobs); dates and times
/// come as text from SQLite and as their own types from other drivers, one kind per column.
enum class Kind : quint8 { Null, Number, Date, Time, DateTime, Text, Bytes };

Kind kindOf(const QVariant &value, bool exactNumeric)
{
    if (value.isNull())
        return Kind::Null;
    const QMetaType type = value.metaType();
    if (isIntegerType(type) || isRealType(type) || type.id() == QMetaType::Bool)
        return Kind::Number;
    switch (type.id()) {
    case QMetaType::QDateTime:
        return Kind::DateTime;
    case QMetaType::QDate:
        return Kind::Date;
    case QMetaType::QTime:
        return Kind::Time;
    case QMetaType::QByteArray:
        return Kind::Bytes;
    case QMetaType::QString:
        return exactNumeric ? Kind::Number : Kind::Text;
    default:
        return Kind::Text;
    }
}

template<typename T>
int order(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

/// An exact decimal literal ("-12.50", "007") split for comparison; nullopt for anything else
/// (an exponent, a NaN), which is then compared as a double.
struct Decimal
{
    bool negative = false;
    QString whole; ///< without leading zeros
    QString fraction; ///< without trailing zeros
};

std::optional<Decimal> decimal(QStringView text)
{
    text = text.trimmed();
    Decimal d;
    if (text.startsWith(u'-') || text.startsWith(u'+')) {
        d.negative = text.front() == u'-';
        text = text.mid(1);
    }
    const qsizetype dot = text.indexOf(u'.');
    QStringView whole = dot < 0 ? text : text.left(dot);
    QStringView fraction = dot < 0 ? QStringView() : text.mid(dot + 1);
    if (whole.isEmpty() && fraction.isEmpty())
        return std::nullopt;
    for (const QStringView part : {whole, fraction}) {
        for (const QChar c : part) {
            if (c < u'0' || c > u'9')
                return std::nullopt;
        }
    }
    while (!whole.isEmpty() && whole.front() == u'0')
        whole = whole.mid(1);
    while (!fraction.isEmpty() && fraction.back() == u'0')
        fraction.chop(1);
    d.whole = whole.toString();
    d.fraction = fraction.toString();
    if (d.whole.isEmpty() && d.fraction.isEmpty())
        d.negative = false; // -0 is 0
    return d;
}

int compareDecimals(const Decimal &a, const Decimal &b)
{
    if (a.negative != b.negative)
        return a.negative ? -1 : 1;
    int magnitude = order(a.whole.size(), b.whole.size());
    if (magnitude == 0)
        magnitude = order(a.whole, b.whole); // same length, digits only: as numbers
    if (magnitude == 0)
        magnitude = order(a.fraction, b.fraction); // trailing zeros gone: as numbers
    return a.negative ? -magnitude : magnitude;
}

/// An integer value's exact text; empty when value holds no integer.
QString integerText(const QVariant &value)
{
    const QMetaType type = value.metaType();
    if (type.id() == QMetaType::Bool)
        return value.toBool() ? u"1"_s : u"0"_s;
    if (!isIntegerType(type))
        return {};
    if (type.id() == QMetaType::ULongLong || type.id() == QMetaType::ULong
        || type.id() == QMetaType::UInt || type.id() == QMetaType::UShort)
        return QString::number(value.toULongLong());
    return QString::number(value.toLongLong());
}

int compareNumbers(const QVariant &a, const QVariant &b)
{
    // Integers and exact decimals by their digits: exact over every 64-bit value and beyond.
    const bool realA = isRealType(a.metaType());
    const bool realB = isRealType(b.metaType());
    if (!realA && !realB) {
        const QString textA
            = a.metaType().id() == QMetaType::QString ? a.toString() : integerText(a);
        const QString textB
            = b.metaType().id() == QMetaType::QString ? b.toString() : integerText(b);
        const std::optional<Decimal> da = decimal(textA);
        const std::optional<Decimal> db = decimal(textB);
        if (da && db)
            return compareDecimals(*da, *db);
    }
    // A real on either side: as the database compares them, in floating point (long double
    // holds every 64-bit integer exactly on x86-64).
    const auto real = [](const QVariant &v) -> long double {
        const QMetaType type = v.metaType();
        if (type.id() == QMetaType::ULongLong || type.id() == QMetaType::ULong)
            return static_cast<long double>(v.toULongLong());
        if (isIntegerType(type) || type.id() == QMetaType::Bool)
            return static_cast<long double>(v.toLongLong());
        return static_cast<long double>(v.toString().toDouble());
    };
    const long double ra = realA ? static_cast<long double>(a.toDouble()) : real(a);
    const long double rb = realB ? static_cast<long double>(b.toDouble()) : real(b);
    return order(ra, rb);
}

QString rowIndex(const QString &key, const QString &value)
{
    return key + QChar(0) + value;
}

/// The parameter's value in the state file, with the type it is bound with.
void writeValue(JsonObjectWriter &object, const QString &name, const QVariant &value)
{
    JsonWriter *writer = object.member(name);
    if (!writer)
        return;
    const QMetaType type = value.metaType();
    if (value.isNull())
        writer->writeNull();
    else if (type.id() == QMetaType::Bool)
        writer->writeBool(value.toBool());
    else if (type.id() == QMetaType::ULongLong || type.id() == QMetaType::ULong)
        writer->writeUnsigned(value.toULongLong());
    else if (isIntegerType(type))
        writer->writeInteger(value.toLongLong());
    else if (isRealType(type) && writer->writeReal(value.toDouble()))
        return;
    else
        writer->writeString(value.toString());
}

} // namespace

int compareWatermarkValues(const QVariant &a, const QVariant &b, bool exactNumeric)
{
    const Kind ka = kindOf(a, exactNumeric);
    const Kind kb = kindOf(b, exactNumeric);
    if (ka != kb)
        return order(int(ka), int(kb));
    switch (ka) {
    case Kind::Null:
        return 0;
    case Kind::Number:
        return compareNumbers(a, b);
    case Kind::Date:
        return order(a.toDate(), b.toDate());
    case Kind::Time:
        return order(a.toTime(), b.toTime());
    case Kind::DateTime:
        return order(a.toDateTime(), b.toDateTime());
    case Kind::Bytes:
        return order(a.toByteArray(), b.toByteArray());
    case Kind::Text:
        break;
    }
    // A UTC date-time as PostgreSQL's timestamptz arrives ("2026-12-05T10:00:05.5Z", no
    // trailing zeros): without its Z, text order is time order ("…05" < "…05.5").
    const auto sortable = [](const QVariant &v) {
        QByteArray text = v.toString().toUtf8();
        if (text.size() >= 20 && text.endsWith('Z') && text[10] == 'T' && text[4] == '-')
            text.chop(1);
        return text;
    };
    return order(sortable(a), sortable(b));
}

QString watermarkText(const QVariant &value, const ColumnInfo &column)
{
    if (value.isNull())
        return {};
    const QMetaType type = value.metaType();
    if (type.id() == QMetaType::Bool)
        return value.toBool() ? u"true"_s : u"false"_s;
    if (isIntegerType(type))
        return integerText(value);
    if (isRealType(type))
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    switch (type.id()) {
    case QMetaType::QDateTime: {
        const QDateTime time = value.toDateTime();
        return column.timeZoneAware ? time.toUTC().toString(Qt::ISODateWithMs)
                                    : time.toString(Qt::ISODateWithMs);
    }
    case QMetaType::QDate:
        return value.toDate().toString(Qt::ISODate);
    case QMetaType::QTime:
        return value.toTime().toString(Qt::ISODateWithMs);
    case QMetaType::QByteArray:
        return QString::fromLatin1(value.toByteArray().toBase64());
    default:
        return value.toString();
    }
}

QByteArray WatermarkState::toJson() const
{
    QByteArray rows = "[";
    for (const Row &row : delivered) {
        if (rows.size() > 1)
            rows += ',';
        JsonObjectWriter object(&rows);
        object.string(u"key"_s, row.key);
        object.string(u"value"_s, row.value);
    }
    rows += ']';
    QByteArray out;
    {
        JsonObjectWriter file(&out);
        file.integer(u"version"_s, FormatVersion);
        file.string(u"column"_s, column);
        file.string(u"parameter"_s, parameter);
        writeValue(file, u"value"_s, value);
        file.string(u"written"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
        file.raw(u"delivered"_s, rows);
    }
    return out;
}

bool WatermarkState::save(const QString &fileName, QString *error) const
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(indentJson(toJson()).value() + '\n') < 0
        || !file.commit()) {
        if (error)
            *error = u"cannot write the state file "_s + fileName + u": "_s + file.errorString();
        return false;
    }
    return true;
}

std::optional<WatermarkState> WatermarkState::load(const QString &fileName,
                                                   const WatermarkSpec &spec,
                                                   const QVariant &parameterType, QString *error)
{
    error->clear();
    if (!QFileInfo::exists(fileName))
        return std::nullopt;
    const QString startOver
        = u" (delete it to start again from query.parameters.%1)"_s.arg(spec.parameter);
    const auto fail = [&](const QString &message) {
        *error = u"state file "_s + fileName + u": "_s + message;
        return std::nullopt;
    };
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"cannot read it: "_s + file.errorString());
    const QByteArray data = file.readAll();
    JsonSyntaxError syntax;
    if (!compactJson(data, &syntax))
        return fail(u"not valid JSON at "_s + syntax.toString() + startOver);
    const QJsonObject json = QJsonDocument::fromJson(data).object();
    if (json.value(u"version"_s) != QJsonValue(FormatVersion))
        return fail(u"not a state file of this Sluice (\"version\" must be %1)"_s.arg(FormatVersion)
                    + startOver);
    WatermarkState state;
    state.column = json.value(u"column"_s).toString();
    state.parameter = json.value(u"parameter"_s).toString();
    if (state.column != spec.column || state.parameter != spec.parameter)
        return fail(u"kept for column %1 and parameter %2, but the transfer's run.watermark has "
                    u"column %3 and parameter %4"_s.arg(quoted(state.column),
                                                        quoted(state.parameter),
                                                        quoted(spec.column), quoted(spec.parameter))
                    + startOver);
    const QJsonValue value = json.value(u"value"_s);
    QString text;
    switch (value.type()) {
    case QJsonValue::String:
        text = value.toString();
        break;
    case QJsonValue::Double: // the literal: an integer past 2^53 stays itself
        text = QString::fromUtf8(findJsonMember(data, {u"value"_s}));
        break;
    case QJsonValue::Bool:
        text = value.toBool() ? u"true"_s : u"false"_s;
        break;
    case QJsonValue::Null:
        break;
    default:
        return fail(u"\"value\" must be a string, number, boolean or null"_s + startOver);
    }
    SpecError typeError;
    const std::optional<QVariant> typed
        = parameterFromText(spec.parameter, parameterType, text, &typeError);
    if (!typed)
        return fail(u"\"value\" does not fit the parameter: "_s + typeError.toString() + startOver);
    state.value = *typed;
    const QJsonValue rows = json.value(u"delivered"_s);
    if (!rows.isArray() && !rows.isUndefined())
        return fail(u"\"delivered\" must be an array"_s + startOver);
    const QJsonArray array = rows.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject row = array.at(i).toObject();
        if (!row.value(u"key"_s).isString() || !row.value(u"value"_s).isString())
            return fail(u"delivered[%1] must be {\"key\": text, \"value\": text}"_s.arg(i)
                        + startOver);
        state.delivered.append({row.value(u"key"_s).toString(), row.value(u"value"_s).toString()});
    }
    return state;
}

QString WatermarkState::defaultFile(const QString &transferFile)
{
    const QFileInfo info(transferFile);
    const QString name = info.suffix().compare(u"json"_s, Qt::CaseInsensitive) == 0
        ? info.completeBaseName()
        : info.fileName();
    return info.dir().filePath(name + u".state.json"_s);
}

WatermarkTracker::WatermarkTracker(const WatermarkSpec &spec, const QVariant &bound,
                                   const QVariant &parameterType,
                                   const QList<WatermarkState::Row> &previous)
    : m_spec(spec)
    , m_bound(bound)
    , m_parameterType(parameterType)
    , m_previous(previous)
{
    for (const WatermarkState::Row &row : previous)
        m_previousIndex.insert(rowIndex(row.key, row.value));
}

bool WatermarkTracker::open(const ColumnList &columns, QString *error)
{
    m_index = -1;
    int folded = -1;
    int foldedCount = 0;
    QStringList names;
    for (int i = 0; i < int(columns.size()); ++i) {
        names.append(columns.at(i).name);
        if (columns.at(i).name == m_spec.column) {
            m_index = i;
            break;
        }
        if (columns.at(i).name.compare(m_spec.column, Qt::CaseInsensitive) == 0) {
            folded = i;
            ++foldedCount;
        }
    }
    if (m_index < 0 && foldedCount == 1)
        m_index = folded;
    if (m_index < 0) {
        *error = u"run.watermark.column: the query has no column %1 (its columns: %2)"_s.arg(
            quoted(m_spec.column), names.join(u", "_s));
        return false;
    }
    m_column = columns.at(m_index);
    return true;
}

int WatermarkTracker::compare(const QVariant &a, const QVariant &b) const
{
    return compareWatermarkValues(a, b, m_column.exactNumeric);
}

WatermarkState::Row WatermarkTracker::row(const Entry &entry) const
{
    return {entry.key, watermarkText(entry.value, m_column)};
}

bool WatermarkTracker::queued(const QList<Item> &items, QSet<qint64> *alreadyDelivered,
                              QString *error)
{
    // The whole chunk is checked first, so that a refused one leaves nothing behind.
    QVariant highest = m_highest;
    qint64 highestId = m_highestId;
    for (const Item &item : items) {
        if (item.watermark.isNull())
            continue;
        if (!highest.isNull() && compare(item.watermark, highest) < 0) {
            *error = u"run.watermark.column: the rows are not in the order of %1 (row %2 has %3 "
                     u"after row %4's %5), so Sluice cannot tell which were delivered; the query "
                     u"needs ORDER BY %6"_s.arg(quoted(m_spec.column))
                         .arg(item.id + 1)
                         .arg(quoted(watermarkText(item.watermark, m_column)))
                         .arg(highestId + 1)
                         .arg(quoted(watermarkText(highest, m_column)), m_column.name);
            return false;
        }
        highest = item.watermark;
        highestId = item.id;
    }
    m_highest = highest;
    m_highestId = highestId;
    for (const Item &item : items) {
        if (m_next < 0)
            m_next = item.id;
        m_lastQueued = item.id;
        if (item.watermark.isNull())
            continue; // takes no part: the prefix passes over it
        Entry entry {item.watermark, item.key};
        const QString index = rowIndex(item.key, watermarkText(item.watermark, m_column));
        if (m_previousIndex.contains(index)) {
            alreadyDelivered->insert(item.id);
            m_previousSeen.insert(index);
        }
        m_entries.insert(item.id, std::move(entry));
    }
    return true;
}

void WatermarkTracker::finished(qint64 id, bool delivered)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    it->state = delivered ? Entry::State::Delivered : Entry::State::NotDelivered;
    m_anyDelivered = m_anyDelivered || delivered;
    advance();
}

void WatermarkTracker::advance()
{
    while (m_next >= 0 && m_next <= m_lastQueued) {
        const auto it = m_entries.find(m_next);
        if (it != m_entries.end()) {
            if (it->state != Entry::State::Delivered)
                return;
            if (m_mark && compare(it->value, *m_mark) == 0) {
                m_markRows.append(row(*it));
            } else {
                m_before = std::move(m_mark);
                m_beforeRows = std::move(m_markRows);
                m_mark = it->value;
                m_markRows = {row(*it)};
            }
            m_entries.erase(it);
        }
        ++m_next;
    }
}

std::optional<WatermarkState> WatermarkTracker::state(QString *error) const
{
    error->clear();
    if (!m_anyDelivered)
        return std::nullopt;
    WatermarkState state;
    state.column = m_spec.column;
    state.parameter = m_spec.parameter;
    // The first item not delivered after the prefix: the watermark must stay below its value.
    const QVariant *owed = nullptr;
    for (const Entry &entry : m_entries) {
        if (entry.state != Entry::State::Delivered) {
            owed = &entry.value;
            break;
        }
    }
    std::optional<QVariant> mark = m_mark;
    if (m_mark) {
        if (owed && compare(*owed, *m_mark) <= 0) {
            // It has the prefix's last value: step back to the one before.
            mark = m_before;
            state.delivered = m_beforeRows;
        }
        state.delivered += m_markRows;
    }
    for (const Entry &entry : m_entries) {
        if (entry.state == Entry::State::Delivered)
            state.delivered.append(row(entry));
    }
    // Rows the previous run delivered that this one did not reach are still above.
    if (!m_readToEnd) {
        for (const WatermarkState::Row &previous : m_previous) {
            if (!m_previousSeen.contains(rowIndex(previous.key, previous.value)))
                state.delivered.append(previous);
        }
    }
    if (!mark) {
        state.value = m_bound;
        return state;
    }
    SpecError typeError;
    const QString text = watermarkText(*mark, m_column);
    const std::optional<QVariant> typed
        = parameterFromText(m_spec.parameter, m_parameterType, text, &typeError);
    if (!typed) {
        *error = u"run.watermark: %1's value %2 cannot be bound to the parameter (%3); give "
                 u"query.parameters.%4 a first value of the column's type"_s.arg(
                     m_spec.column, quoted(text), typeError.toString(), m_spec.parameter);
        return std::nullopt;
    }
    state.value = *typed;
    return state;
}

} // namespace sluice
