// SPDX-License-Identifier: GPL-3.0-or-later
#include "transferspecparser.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>

#include <QJsonArray>
#include <QLocale>
#include <QSet>
#include <QUrl>

#include "spec/placeholders.h"
#include "spec/statusclasses.h"
#include "util/secretstore.h"
#include "util/text.h"
#include "json/jsonreader.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

// RFC 9110 "token": the characters a header field name may contain.
bool isHttpToken(QStringView name)
{
    if (name.isEmpty())
        return false;
    for (const QChar ch : name) {
        const char16_t c = ch.unicode();
        const bool alnum
            = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (!alnum && !QStringView(u"!#$%&'*+-.^_`|~").contains(ch))
            return false;
    }
    return true;
}

// A header value with a line break would let the file smuggle in extra headers.
bool hasControlCharacters(QStringView value)
{
    for (const QChar ch : value) {
        if ((ch.unicode() < 0x20 && ch != u'\t') || ch.unicode() == 0x7f)
            return true;
    }
    return false;
}

/// Short description of a JSON value for "..., not X" messages.
QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QJsonValue::String:
        return quoted(value.toString());
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

class Parser
{
public:
    /// text: the whole file, for what QJsonObject cannot keep (the template as written,
    /// number literals); json: the same document, already checked to be valid.
    explicit Parser(QByteArrayView text)
        : m_text(text)
    { }

    QList<SpecError> errors;

    void error(const QString &path, const QString &message) { errors.append({path, message}); }

    /// Reports keys not in allowed; "password" under source gets its own advice.
    void checkKeys(const QJsonObject &object, const QString &path,
                   std::initializer_list<QLatin1String> allowed)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            bool known = false;
            for (const QLatin1String name : allowed)
                known = known || it.key() == name;
            if (known)
                continue;
            if (path == u"source"_s && it.key() == u"password"_s)
                error(joinPath(path, it.key()),
                      u"passwords are never stored in a transfer file; use passwordEnv "
                      u"(an environment variable), passwordKeychain (an entry in the OS "
                      u"keychain) or askPassword"_s);
            else
                error(joinPath(path, it.key()), u"unknown key"_s);
        }
    }

    /// The value at key when it has the type wanted: nullopt with an error when it has
    /// another type ("must be <typeName>"), or is missing and required.
    std::optional<QJsonValue> typed(const QJsonObject &parent, const QString &parentPath,
                                    const QString &key, QJsonValue::Type type,
                                    const QString &typeName, bool required)
    {
        const QJsonValue value = parent.value(key);
        if (value.isUndefined()) {
            if (required)
                error(joinPath(parentPath, key), u"is required"_s);
            return std::nullopt;
        }
        if (value.type() != type) {
            error(joinPath(parentPath, key), u"must be "_s + typeName);
            return std::nullopt;
        }
        return value;
    }

    std::optional<QJsonObject> objectField(const QJsonObject &parent, const QString &parentPath,
                                           const QString &key, bool required)
    {
        const auto value
            = typed(parent, parentPath, key, QJsonValue::Object, u"an object"_s, required);
        return value ? std::optional(value->toObject()) : std::nullopt;
    }

    /// A string field. Required fields reject both a missing key and "".
    std::optional<QString> string(const QJsonObject &parent, const QString &parentPath,
                                  const QString &key, bool required)
    {
        const auto value
            = typed(parent, parentPath, key, QJsonValue::String, u"a string"_s, required);
        if (!value)
            return std::nullopt;
        if (required && value->toString().isEmpty()) {
            error(joinPath(parentPath, key), u"is required"_s);
            return std::nullopt;
        }
        return value->toString();
    }

    std::optional<bool> boolean(const QJsonObject &parent, const QString &parentPath,
                                const QString &key)
    {
        const auto value = typed(parent, parentPath, key, QJsonValue::Bool, u"a boolean"_s, false);
        return value ? std::optional(value->toBool()) : std::nullopt;
    }

    /// An optional integer in [min, max] (inclusive). "16" and 1.5 are errors.
    std::optional<int> integer(const QJsonObject &parent, const QString &parentPath,
                               const QString &key, int min, int max)
    {
        const QJsonValue value = parent.value(key);
        if (value.isUndefined())
            return std::nullopt;
        const double number = value.toDouble();
        if (value.isDouble() && std::floor(number) == number && number >= min && number <= max)
            return static_cast<int>(number);
        error(joinPath(parentPath, key),
              u"must be an integer from %1 to %2, not %3"_s.arg(min).arg(max).arg(describe(value)));
        return std::nullopt;
    }

    /// An optional string naming one of values (by name()); any other string is an error
    /// listing them: "\"x\" is not supported; supported <what>: a, b".
    template<typename T>
    std::optional<T> choice(const QJsonObject &parent, const QString &parentPath,
                            const QString &key, const QString &what, const QList<T> &values,
                            QString (*name)(T))
    {
        const auto text = string(parent, parentPath, key, false);
        if (!text)
            return std::nullopt;
        QStringList names;
        for (const T value : values) {
            if (*text == name(value))
                return value;
            names.append(name(value));
        }
        error(joinPath(parentPath, key),
              quoted(*text) + u" is not supported; supported "_s + what + u": "_s
                  + names.join(u", "_s));
        return std::nullopt;
    }

    /// An optional number (fractions allowed) in [min, max] (inclusive).
    std::optional<double> real(const QJsonObject &parent, const QString &parentPath,
                               const QString &key, int min, int max)
    {
        const QJsonValue value = parent.value(key);
        if (value.isUndefined())
            return std::nullopt;
        const double number = value.toDouble();
        if (value.isDouble() && number >= min && number <= max)
            return number;
        error(joinPath(parentPath, key),
              u"must be a number from %1 to %2, not %3"_s.arg(min).arg(max).arg(describe(value)));
        return std::nullopt;
    }

    void placeholders(const QString &text, const QString &path)
    {
        for (const QString &problem : findPlaceholders(text, nullptr))
            error(path, problem);
    }

    void templatePlaceholders(QByteArrayView templ, const QString &path)
    {
        forEachJsonString(templ, path, [this](const QString &at, const QString &text) {
            placeholders(text, at);
        });
    }

    void environmentName(const QString &name, const QString &path)
    {
        if (!isIdentifier(name))
            error(path,
                  quoted(name) + u" is not a valid environment variable name ("_s
                      + IdentifierRule.toString() + u')');
    }

    void keychainEntry(const QString &name, const QString &path)
    {
        if (!isKeychainEntryName(name))
            error(path,
                  quoted(name)
                      + u" is not a valid keychain entry name (1 to %1 characters, no "_s
                        u"control characters)"_s.arg(MaxKeychainEntryLength));
    }

    void parseSource(const QJsonObject &json, ConnectionSettings *source)
    {
        const QString path = u"source"_s;
        const std::optional<QJsonObject> object = objectField(json, {}, path, true);
        if (!object)
            return;
        checkKeys(*object, path,
                  {"driver"_L1, "database"_L1, "host"_L1, "port"_L1, "user"_L1, "passwordEnv"_L1,
                   "passwordKeychain"_L1, "askPassword"_L1, "options"_L1, "shardKey"_L1});
        if (const auto driver = string(*object, path, u"driver"_s, true))
            source->driver = *driver;
        if (const auto database = string(*object, path, u"database"_s, false))
            source->database = *database;
        const QJsonValue database = object->value(u"database"_s);
        if (source->driver == u"QSQLITE"_s
            && (database.isUndefined() || database == QJsonValue(QString())))
            error(joinPath(path, u"database"_s), u"is required for QSQLITE"_s);
        if (const auto host = string(*object, path, u"host"_s, false))
            source->host = *host;
        if (const auto port = integer(*object, path, u"port"_s, 1, 65535))
            source->port = *port;
        if (const auto user = string(*object, path, u"user"_s, false))
            source->user = *user;
        if (const auto env = string(*object, path, u"passwordEnv"_s, false)) {
            source->passwordEnv = *env;
            environmentName(*env, joinPath(path, u"passwordEnv"_s));
        }
        if (const auto ask = boolean(*object, path, u"askPassword"_s))
            source->askPassword = *ask;
        if (const auto entry = string(*object, path, u"passwordKeychain"_s, false)) {
            source->passwordKeychain = *entry;
            keychainEntry(*entry, joinPath(path, u"passwordKeychain"_s));
        }
        const bool fromEnv = object->contains(u"passwordEnv"_s);
        const bool fromKeychain = object->contains(u"passwordKeychain"_s);
        if (source->askPassword && fromEnv)
            error(path, u"use either passwordEnv or askPassword, not both"_s);
        if (source->askPassword && fromKeychain)
            error(path, u"use either passwordKeychain or askPassword, not both"_s);
        if (fromEnv && fromKeychain)
            error(path, u"use either passwordEnv or passwordKeychain, not both"_s);
        if (const auto options = string(*object, path, u"options"_s, false))
            source->options = *options;
        parseShardKey(*object, path, &source->shardKey);
    }

    /// source.shardKey: {"column": "...", "type": "integer" | "text"}, both required.
    void parseShardKey(const QJsonObject &source, const QString &sourcePath, ShardKey *key)
    {
        const std::optional<QJsonObject> object
            = objectField(source, sourcePath, u"shardKey"_s, false);
        if (!object)
            return;
        const QString path = joinPath(sourcePath, u"shardKey"_s);
        checkKeys(*object, path, {"column"_L1, "type"_L1});
        if (const auto column = string(*object, path, u"column"_s, true)) {
            if (std::any_of(column->cbegin(), column->cend(),
                            [](QChar c) { return c.category() == QChar::Other_Control; }))
                error(joinPath(path, u"column"_s),
                      quoted(*column) + u" is not a column name (it holds a control character)"_s);
            else
                key->column = *column;
        }
        if (!object->contains(u"type"_s))
            error(joinPath(path, u"type"_s),
                  u"is required: \"integer\" (split by the value modulo the shard count) or "_s
                  u"\"text\" (split by a hash of the value as text)"_s);
        else if (const auto type
                 = choice(*object, path, u"type"_s, u"types"_s,
                          {ShardKey::Type::Integer, ShardKey::Type::Text}, &shardKeyTypeName))
            key->type = *type;
    }

    void parseQuery(const QJsonObject &json, QuerySpec *query)
    {
        m_query = query;
        const QString path = u"query"_s;
        const std::optional<QJsonObject> object = objectField(json, {}, path, true);
        if (!object)
            return;
        checkKeys(*object, path, {"sql"_L1, "parameters"_L1});
        if (const auto sql = string(*object, path, u"sql"_s, true))
            query->sql = *sql;
        const QString parametersPath = joinPath(path, u"parameters"_s);
        const auto parameters = objectField(*object, path, u"parameters"_s, false);
        if (!parameters)
            return;
        for (auto it = parameters->begin(); it != parameters->end(); ++it) {
            const QString parameterPath = joinPath(parametersPath, it.key());
            if (!isIdentifier(it.key()))
                error(parameterPath,
                      u"not a valid parameter name ("_s + IdentifierRule.toString() + u')');
            const QJsonValue value = it.value();
            switch (value.type()) {
            case QJsonValue::String:
                query->parameters.insert(it.key(), value.toString());
                break;
            case QJsonValue::Bool:
                query->parameters.insert(it.key(), value.toBool());
                break;
            case QJsonValue::Null:
                query->parameters.insert(it.key(), QVariant());
                break;
            case QJsonValue::Double:
                number(it.key(), parameterPath);
                break;
            case QJsonValue::Array:
            case QJsonValue::Object:
            case QJsonValue::Undefined:
                error(parameterPath, u"must be a string, number, boolean or null"_s);
                break;
            }
        }
    }

    /// A number parameter from its literal, which QJsonValue has already turned into a
    /// double: an integer literal stays an exact qlonglong (a 19-digit id must bind as
    /// itself, not as the nearest double), one past 64 bits is refused, others are doubles.
    void number(const QString &name, const QString &path)
    {
        const QByteArrayView literal = findJsonMember(m_text, {u"query"_s, u"parameters"_s, name});
        if (literal.contains('.') || literal.contains('e') || literal.contains('E')) {
            m_query->parameters.insert(name, QString::fromLatin1(literal).toDouble());
            return;
        }
        bool ok = false;
        const qlonglong integer = QString::fromLatin1(literal).toLongLong(&ok);
        if (ok)
            m_query->parameters.insert(name, integer);
        else
            error(path,
                  QString::fromLatin1(literal)
                      + u" does not fit in a 64-bit integer; write it as a string"_s);
    }

    void parseTransform(const QJsonObject &json, TransformSpec *transform)
    {
        const QString path = u"transform"_s;
        const std::optional<QJsonObject> object = objectField(json, {}, path, false);
        if (!object)
            return;
        transform->present = true;
        checkKeys(*object, path, {"key"_L1, "template"_L1});
        if (const auto key = string(*object, path, u"key"_s, false)) {
            transform->key = *key;
            placeholders(*key, joinPath(path, u"key"_s));
        }
        const QString templatePath = joinPath(path, u"template"_s);
        if (!object->contains(u"template"_s)) {
            error(templatePath, u"is required"_s);
            return;
        }
        // As written: QJsonObject would sort the members and round the numbers.
        transform->templ = compactJson(findJsonMember(m_text, {path, u"template"_s})).value();
        templatePlaceholders(transform->templ, templatePath);
    }

    void checkUrl(const QString &url, const QString &path)
    {
        // Placeholders are checked first: with a broken one, what to substitute is unclear.
        QList<Placeholder> spans;
        const QStringList problems = findPlaceholders(url, &spans);
        if (!problems.isEmpty()) {
            for (const QString &problem : problems)
                error(path, problem);
            return;
        }
        QString concrete = url;
        for (auto it = spans.crbegin(); it != spans.crend(); ++it)
            concrete.replace(it->start, it->length, u"x"_s);
        const QUrl parsed(concrete, QUrl::StrictMode);
        if (!parsed.isValid() || parsed.isRelative() || parsed.host().isEmpty()
            || (parsed.scheme() != u"http"_s && parsed.scheme() != u"https"_s)) {
            error(path, u"not an absolute http(s) URL"_s);
            return;
        }
        if (!parsed.userInfo().isEmpty())
            error(path,
                  u"must not contain a user name or password; use headersEnv for credentials"_s);
    }

    /// Header names, each with the object it came from, to find the same
    /// header given twice (names are case-insensitive in HTTP).
    void checkDuplicateHeaders(const TargetSpec &target)
    {
        QSet<QString> seen;
        for (const auto &[name, value] : target.headers) {
            Q_UNUSED(value);
            if (!isHttpToken(name))
                continue;
            if (seen.contains(name.toLower()))
                error(u"target.headers."_s + name,
                      u"header given more than once (header names are case-insensitive)"_s);
            seen.insert(name.toLower());
        }
        QSet<QString> seenEnv;
        for (const auto &[name, variable] : target.headersEnv) {
            Q_UNUSED(variable);
            if (!isHttpToken(name))
                continue;
            if (seen.contains(name.toLower()))
                error(u"target.headersEnv."_s + name, u"also set in target.headers"_s);
            else if (seenEnv.contains(name.toLower()))
                error(u"target.headersEnv."_s + name,
                      u"header given more than once (header names are case-insensitive)"_s);
            seenEnv.insert(name.toLower());
        }
        QSet<QString> seenKeychain;
        for (const auto &[name, entry] : target.headersKeychain) {
            Q_UNUSED(entry);
            if (!isHttpToken(name))
                continue;
            const QString path = u"target.headersKeychain."_s + name;
            if (seen.contains(name.toLower()))
                error(path, u"also set in target.headers"_s);
            else if (seenEnv.contains(name.toLower()))
                error(path, u"also set in target.headersEnv"_s);
            else if (seenKeychain.contains(name.toLower()))
                error(path, u"header given more than once (header names are case-insensitive)"_s);
            seenKeychain.insert(name.toLower());
        }
    }

    /// What the values of a header object are.
    enum class HeaderValues : quint8 { Literal, EnvironmentNames, KeychainEntries };

    QList<QPair<QString, QString>> headerObject(const QJsonObject &parent, const QString &key,
                                                HeaderValues values)
    {
        const QString path = joinPath(u"target"_s, key);
        QList<QPair<QString, QString>> headers;
        const auto object = objectField(parent, u"target"_s, key, false);
        if (!object)
            return headers;
        // In the order written (QJsonObject sorts): a saved file lists them as the steward did.
        const QStringList names = jsonMemberNames(findJsonMember(m_text, {u"target"_s, key}));
        for (const QString &name : names) {
            const QString headerPath = joinPath(path, name);
            if (!isHttpToken(name))
                error(headerPath, u"not a valid HTTP header name"_s);
            const QJsonValue json = object->value(name);
            if (!json.isString()) {
                error(headerPath, u"must be a string"_s);
                continue;
            }
            const QString value = json.toString();
            if (values == HeaderValues::EnvironmentNames)
                environmentName(value, headerPath);
            else if (values == HeaderValues::KeychainEntries)
                keychainEntry(value, headerPath);
            else if (hasControlCharacters(value))
                error(headerPath, u"must not contain control characters such as line breaks"_s);
            headers.append({name, value});
        }
        return headers;
    }

    void parseTarget(const QJsonObject &json, TargetSpec *target)
    {
        const QString path = u"target"_s;
        const std::optional<QJsonObject> object = objectField(json, {}, path, true);
        if (!object)
            return;
        checkKeys(*object, path,
                  {"url"_L1, "method"_L1, "headers"_L1, "headersEnv"_L1, "headersKeychain"_L1,
                   "idempotencyKey"_L1, "mode"_L1, "batchSize"_L1, "batchBytes"_L1, "bulkAction"_L1,
                   "http2"_L1, "caFile"_L1, "timeoutSeconds"_L1, "successStatuses"_L1,
                   "retryStatuses"_L1});
        if (const auto url = string(*object, path, u"url"_s, true)) {
            target->url = *url;
            checkUrl(*url, joinPath(path, u"url"_s));
        }
        if (const auto method = string(*object, path, u"method"_s, false)) {
            const QString upper = method->toUpper();
            if (upper == u"POST"_s || upper == u"PUT"_s)
                target->method = upper;
            else
                error(joinPath(path, u"method"_s),
                      quoted(*method) + u" is not supported; supported methods: POST, PUT"_s);
        }
        target->headers = headerObject(*object, u"headers"_s, HeaderValues::Literal);
        target->headersEnv = headerObject(*object, u"headersEnv"_s, HeaderValues::EnvironmentNames);
        target->headersKeychain
            = headerObject(*object, u"headersKeychain"_s, HeaderValues::KeychainEntries);
        checkDuplicateHeaders(*target);
        if (const auto key = string(*object, path, u"idempotencyKey"_s, false)) {
            target->idempotencyKey = *key;
            placeholders(*key, joinPath(path, u"idempotencyKey"_s));
        }
        const auto mode
            = choice(*object, path, u"mode"_s, u"modes"_s, allTargetModes(), targetModeName);
        if (mode)
            target->mode = *mode;
        if (const auto size = integer(*object, path, u"batchSize"_s, 1, TargetSpec::MaxBatchSize))
            target->batchSize = *size;
        if (const auto bytes = integer(*object, path, u"batchBytes"_s, TargetSpec::MinBatchBytes,
                                       TargetSpec::MaxBatchBytes))
            target->batchBytes = *bytes;
        if (const auto action = choice(*object, path, u"bulkAction"_s, u"actions"_s,
                                       {BulkAction::Index, BulkAction::Create}, bulkActionName))
            target->bulkAction = *action;
        if (const auto http2
            = choice(*object, path, u"http2"_s, u"values"_s,
                     {Http2Mode::Auto, Http2Mode::PriorKnowledge, Http2Mode::Off}, http2ModeName))
            target->http2 = *http2;
        if (const auto caFile = string(*object, path, u"caFile"_s, false))
            target->caFile = *caFile;
        if (const auto timeout = integer(*object, path, u"timeoutSeconds"_s, 1, 3600))
            target->timeoutSeconds = *timeout;
        target->successStatuses = statusList(*object, u"successStatuses"_s, false);
        target->retryStatuses = statusList(*object, u"retryStatuses"_s, true);
        if (target->successStatuses && target->retryStatuses) {
            if (const int both
                = firstCommonStatus(*target->successStatuses, *target->retryStatuses))
                error(u"target.retryStatuses"_s,
                      u"%1 is also in target.successStatuses; a status is either delivered or "
                      u"retried"_s.arg(both));
        }
        if (mode && isBulk(*mode))
            checkBulk(*target);
    }

    /// An optional array of statuses, classes ("4xx") and ranges ("500-504"), each element
    /// named by its index when it is wrong.
    std::optional<StatusList> statusList(const QJsonObject &target, const QString &key,
                                         bool mayBeEmpty)
    {
        const QString path = joinPath(u"target"_s, key);
        const QJsonValue value = target.value(key);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isArray()) {
            error(
                path,
                uR"(must be an array of statuses (404), classes ("4xx") or ranges ("500-504"))"_s);
            return std::nullopt;
        }
        const QJsonArray array = value.toArray();
        if (array.isEmpty() && !mayBeEmpty) {
            error(path, u"must list at least one status"_s);
            return std::nullopt;
        }
        StatusList list;
        bool ok = true;
        for (qsizetype i = 0; i < array.size(); ++i) {
            QString problem;
            if (const auto span = statusSpanFromJson(array.at(i), &problem)) {
                list.append(*span);
            } else {
                error(path + u'[' + QString::number(i) + u']', problem);
                ok = false;
            }
        }
        return ok ? std::optional(list) : std::nullopt;
    }

    /// What a bulk mode needs of the rest of the target. A URL whose placeholders are
    /// broken has its own error already.
    void checkBulk(const TargetSpec &target)
    {
        const QString mode = quoted(targetModeName(target.mode));
        QList<Placeholder> spans;
        if (findPlaceholders(target.url, &spans).isEmpty() && !spans.isEmpty())
            error(u"target.url"_s,
                  u"mode "_s + mode
                      + u" sends many items in one request, so there is no one row to fill "
                        u"{{placeholders}} from; use a URL without them"_s);
        if (target.method != u"POST"_s)
            error(u"target.method"_s,
                  u"mode "_s + mode + u" sends its batches with POST, not "_s + target.method);
        if (!target.idempotencyKey.isEmpty())
            error(u"target.idempotencyKey"_s,
                  u"mode "_s + mode
                      + u" sends many items in one request, and a request has one "
                        u"Idempotency-Key; use it in item mode only"_s);
    }

    void parseRun(const QJsonObject &json, RunSpec *run)
    {
        const QString path = u"run"_s;
        const std::optional<QJsonObject> object = objectField(json, {}, path, false);
        if (!object)
            return;
        checkKeys(*object, path,
                  {"chunkSize"_L1, "concurrency"_L1, "maxRetries"_L1, "maxRequestsPerSecond"_L1,
                   "stopAfterFailures"_L1});
        if (const auto chunkSize = integer(*object, path, u"chunkSize"_s, 1, RunSpec::MaxChunkSize))
            run->chunkSize = *chunkSize;
        if (const auto concurrency
            = integer(*object, path, u"concurrency"_s, 1, RunSpec::MaxConcurrency))
            run->concurrency = *concurrency;
        if (const auto retries = integer(*object, path, u"maxRetries"_s, 0, RunSpec::MaxMaxRetries))
            run->maxRetries = *retries;
        if (const auto rate
            = real(*object, path, u"maxRequestsPerSecond"_s, 0, RunSpec::MaxMaxRequestsPerSecond))
            run->maxRequestsPerSecond = *rate;
        if (const auto stop
            = integer(*object, path, u"stopAfterFailures"_s, 1, RunSpec::MaxStopAfterFailures))
            run->stopAfterFailures = *stop;
    }

    /// False for a version this code must not guess at: the rest of the
    /// document is then left unchecked, as its errors would only be noise.
    bool parseVersion(const QJsonObject &json)
    {
        const QString path = u"version"_s;
        const QJsonValue value = json.value(path);
        if (value.isUndefined()) {
            error(path, u"is required"_s);
            return true;
        }
        const double number = value.toDouble();
        if (!value.isDouble() || std::floor(number) != number) {
            error(path, u"must be an integer"_s);
            return true;
        }
        if (number != TransferSpec::FormatVersion) {
            error(path,
                  u"unsupported version %1; this Sluice reads version %2"_s.arg(describe(value))
                      .arg(TransferSpec::FormatVersion));
            return false;
        }
        return true;
    }

private:
    QByteArrayView m_text;
    QuerySpec *m_query = nullptr;
};

} // namespace

QList<SpecError> parseTransferSpec(QByteArrayView text, const QJsonObject &json, TransferSpec *spec)
{
    Parser parser(text);
    if (parser.parseVersion(json)) {
        parser.checkKeys(
            json, {},
            {"version"_L1, "source"_L1, "query"_L1, "transform"_L1, "target"_L1, "run"_L1});
        parser.parseSource(json, &spec->source);
        parser.parseQuery(json, &spec->query);
        parser.parseTransform(json, &spec->transform);
        parser.parseTarget(json, &spec->target);
        parser.parseRun(json, &spec->run);
    }
    return parser.errors;
}

} // namespace sluice
