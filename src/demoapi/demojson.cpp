// SPDX-License-Identifier: GPL-3.0-or-later
#include "demojson.h"

#include <algorithm>
#include <array>

#include <QJsonArray>
#include <QJsonParseError>
#include <QLocale>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace sluice::demoapi {

void appendJsonString(QByteArray &out, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (u < 0x20) {
            switch (c) {
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default: {
                static constexpr char hex[] = "0123456789abcdef";
                out.append("\\u00").append(hex[u >> 4]).append(hex[u & 0xf]);
            }
            }
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

QByteArray jsonString(const QString &s)
{
    QByteArray out;
    appendJsonString(out, s);
    return out;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString jsonTypeName(const QJsonValue &value)
{
    // Indexed by QJsonValue::Type, whose values run from Null (0) to Object (5).
    static_assert(QJsonValue::Null == 0 && QJsonValue::Object == 5);
    static constexpr std::array<QStringView, 6> names {u"null",     u"a boolean", u"a number",
                                                       u"a string", u"an array",  u"an object"};
    const auto type = std::size_t(value.type());
    return type < names.size() ? names[type].toString() : u"nothing"_s;
}

QString documentTypeName(const QJsonDocument &document)
{
    return document.isArray() ? u"an array"_s : u"an object"_s;
}

bool parseJson(const QByteArray &text, const QString &what, QJsonDocument *document, QString *error)
{
    QJsonParseError parseError;
    *document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error == QJsonParseError::NoError)
        return true;
    if (text.trimmed().isEmpty()) {
        *error = what % u" is empty"_s;
        return false;
    }
    // QJsonDocument rejects top-level scalars as "illegal value"; those get a message naming
    // what the text is instead, found by reparsing inside brackets on this error path.
    if (parseError.error == QJsonParseError::IllegalValue) {
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + text + ']');
        if (wrapped.isArray() && wrapped.array().size() == 1) {
            *error = what % u" is "_s % jsonTypeName(wrapped.array().first())
                % u", not a JSON object or array"_s;
            return false;
        }
    }
    *error = what % u" is not valid JSON: "_s % parseError.errorString() % u" at offset "_s
        % QString::number(parseError.offset);
    return false;
}

bool idFromField(const QJsonValue &value, QString *id, QString *error)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
    case QJsonValue::Null:
        id->clear();
        return true;
    case QJsonValue::String:
        *id = value.toString();
        return true;
    case QJsonValue::Bool:
        *id = value.toBool() ? u"true"_s : u"false"_s;
        return true;
    case QJsonValue::Double: {
        const QVariant variant = value.toVariant();
        if (variant.metaType().id() == QMetaType::LongLong)
            *id = QString::number(variant.toLongLong());
        else
            *id = QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
        return true;
    }
    case QJsonValue::Array:
    case QJsonValue::Object:
        break;
    }
    *error = u"the \"id\" field is "_s % jsonTypeName(value)
        % u"; it must be a string, a number or a boolean"_s;
    return false;
}

bool isCollectionName(QStringView name)
{
    if (name.isEmpty() || name.front() == u'_')
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'_' || c == u'.' || c == u'-';
    });
}

QByteArray indexAndId(const QString &collection, const QString &id)
{
    return "\"_index\":" + jsonString(collection) + ",\"_id\":" + jsonString(id);
}

QByteArray storedFields(const DemoStore::Stored &stored)
{
    return "\"_id\":" + jsonString(stored.id)
        + ",\"_version\":" + QByteArray::number(stored.version)
        + (stored.created ? ",\"result\":\"created\"" : ",\"result\":\"updated\"");
}

QByteArray storedItem(const DemoStore::Stored &stored)
{
    return storedFields(stored) + (stored.created ? ",\"status\":201" : ",\"status\":200");
}

QByteArray deletedFields(const QString &collection, const QString &id, bool removed)
{
    return indexAndId(collection, id)
        + (removed ? ",\"result\":\"deleted\"" : ",\"result\":\"not_found\",\"status\":404");
}

QByteArray itemsBody(const QByteArray &head, bool errors, const QByteArray &items)
{
    return '{' + head + ",\"errors\":" + (errors ? "true" : "false") + ",\"items\":[" + items
        + "]}";
}

} // namespace sluice::demoapi
