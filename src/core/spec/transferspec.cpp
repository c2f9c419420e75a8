// SPDX-License-Identifier: GPL-3.0-or-later
#include "transferspec.h"

#include <cmath>

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>
#include <QVariant>

#include "spec/placeholders.h"
#include "spec/transferspecparser.h"
#include "types/numbertypes.h"
#include "util/paths.h"
#include "json/jsonobjectwriter.h"
#include "json/jsonreader.h"
#include "json/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// A query parameter with the type it has: integers as integers, reals as reals ("12.0",
/// so that it reads back as a real), text, booleans, null.
void writeParameter(JsonObjectWriter &object, const QString &name, const QVariant &value)
{
    JsonWriter *writer = object.member(name);
    if (!writer)
        return;
    const QMetaType type = value.metaType();
    if (value.isNull()) {
        writer->writeNull();
    } else if (type.id() == QMetaType::Bool) {
        writer->writeBool(value.toBool());
    } else if (type.id() == QMetaType::ULongLong || type.id() == QMetaType::ULong) {
        writer->writeUnsigned(value.toULongLong()); // past 2^63 the parser names it
    } else if (isIntegerType(type)) {
        writer->writeInteger(value.toLongLong());
    } else if (isRealType(type)) {
        if (!writer->writeReal(value.toDouble()))
            writer->writeNull();
    } else if (type.id() == QMetaType::QVariantList || type.id() == QMetaType::QStringList) {
        writer->writeRaw("[]"); // no parameter form: validate() names the parameter
    } else if (type.id() == QMetaType::QVariantMap || type.id() == QMetaType::QVariantHash) {
        writer->writeRaw("{}");
    } else {
        writer->writeString(value.toString());
    }
}

void writeHeaders(JsonObjectWriter &object, const QList<QPair<QString, QString>> &headers)
{
    for (const auto &[name, value] : headers)
        object.string(name, value);
}

/// A whole number as an integer literal (10, not 10.0: the steward wrote a count), others
/// as the shortest real; a value that is not finite as null, which validate() names.
void writeRate(JsonObjectWriter &object, const QString &name, double value)
{
    JsonWriter *writer = object.member(name);
    if (!writer)
        return;
    // Past 2^53 a double has no fraction anyway, and a qint64 may not hold it.
    if (std::isfinite(value) && std::trunc(value) == value && std::abs(value) < 0x1p53)
        writer->writeInteger(static_cast<qint64>(value));
    else if (!writer->writeReal(value))
        writer->writeNull();
}

QString notJson(const JsonSyntaxError &error)
{
    return u"not valid JSON at "_s + error.toString();
}

} // namespace

QString targetModeName(TargetMode mode)
{
    switch (mode) {
    case TargetMode::Item:
        return QStringLiteral("item");
    case TargetMode::ElasticsearchBulk:
        return QStringLiteral("elasticsearch-bulk");
    case TargetMode::CouchdbBulk:
        return QStringLiteral("couchdb-bulk");
    case TargetMode::JsonArray:
        return QStringLiteral("json-array");
    case TargetMode::Ndjson:
        return QStringLiteral("ndjson");
    }
    return {};
}

QList<TargetMode> allTargetModes()
{
    return {TargetMode::Item, TargetMode::ElasticsearchBulk, TargetMode::CouchdbBulk,
            TargetMode::JsonArray, TargetMode::Ndjson};
}

std::optional<TargetMode> targetModeFromName(QStringView name)
{
    for (TargetMode mode : allTargetModes()) {
        if (name == targetModeName(mode))
            return mode;
    }
    return std::nullopt;
}

QString shardKeyTypeName(ShardKey::Type type)
{
    switch (type) {
    case ShardKey::Type::Integer:
        return QStringLiteral("integer");
    case ShardKey::Type::Text:
        return QStringLiteral("text");
    }
    return {};
}

QString http2ModeName(Http2Mode mode)
{
    switch (mode) {
    case Http2Mode::Auto:
        return QStringLiteral("auto");
    case Http2Mode::PriorKnowledge:
        return QStringLiteral("prior-knowledge");
    case Http2Mode::Off:
        return QStringLiteral("off");
    }
    return {};
}

std::optional<Http2Mode> http2ModeFromName(QStringView name)
{
    for (Http2Mode mode : {Http2Mode::Auto, Http2Mode::PriorKnowledge, Http2Mode::Off}) {
        if (name == http2ModeName(mode))
            return mode;
    }
    return std::nullopt;
}

QString bulkActionName(BulkAction action)
{
    return action == BulkAction::Create ? QStringLiteral("create") : QStringLiteral("index");
}

std::optional<BulkAction> bulkActionFromName(QStringView name)
{
    if (name == u"index")
        return BulkAction::Index;
    if (name == u"create")
        return BulkAction::Create;
    return std::nullopt;
}

QString SpecError::toString() const
{
    return path.isEmpty() ? message : path + u": "_s + message;
}

SpecSection SpecError::section() const
{
    const QStringView first = QStringView(path).left(path.indexOf(u'.'));
    if (first == u"source")
        return SpecSection::Source;
    if (first == u"query")
        return SpecSection::Query;
    if (first == u"transform")
        return SpecSection::Transform;
    if (first == u"target")
        return SpecSection::Target;
    if (first == u"run")
        return SpecSection::Run;
    return SpecSection::File;
}

bool TransferSpec::fromJson(QByteArrayView json, TransferSpec *spec, QList<SpecError> *errors,
                            const QString &baseDir)
{
    const auto fail = [errors](const QString &message) {
        if (errors)
            *errors = {SpecError {{}, message}};
        return false;
    };
    // Our own reader first: it gives line and column in characters and refuses a name
    // given twice, which QJsonDocument would silently resolve to the last one.
    JsonSyntaxError syntax;
    if (!compactJson(json, &syntax))
        return fail(notJson(syntax));
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray());
    if (!document.isObject())
        return fail(u"the top level must be a JSON object"_s);

    TransferSpec parsed;
    const QList<SpecError> problems = parseTransferSpec(json, document.object(), &parsed);
    parsed.source.baseDir = baseDir;
    if (errors)
        *errors = problems;
    if (!problems.isEmpty())
        return false;
    // The caller's spec changes only when the whole document is valid.
    if (spec)
        *spec = parsed;
    return true;
}

bool TransferSpec::load(const QString &fileName, TransferSpec *spec, QList<SpecError> *errors)
{
    const auto fail = [errors](const QString &message) {
        if (errors)
            *errors = {SpecError {{}, message}};
        return false;
    };
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"cannot read "_s + fileName + u": "_s + file.errorString());
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(u"cannot read "_s + fileName + u": "_s + file.errorString());
    if (!fromJson(data, spec, errors, QFileInfo(fileName).absolutePath())) {
        // A problem with the whole file names the file; the others name their field.
        if (errors && errors->size() == 1 && errors->constFirst().path.isEmpty())
            (*errors)[0].message = fileName + u": "_s + errors->constFirst().message;
        return false;
    }
    return true;
}

QList<SpecError> TransferSpec::validate() const
{
    QList<SpecError> errors;
    TransferSpec scratch;
    fromJson(toJson(), &scratch, &errors, source.baseDir);
    // A JSON object cannot hold the same name twice, so toJson() drops exact
    // duplicates that a spec built in code can have (others are found above).
    const auto exactDuplicates
        = [&errors](const QList<QPair<QString, QString>> &headers, const QString &path) {
              QSet<QString> seen;
              for (const auto &header : headers) {
                  const SpecError error {path + header.first,
                                         u"header given more than once (header names are "
                                         u"case-insensitive)"_s};
                  if (seen.contains(header.first) && !errors.contains(error))
                      errors.append(error);
                  seen.insert(header.first);
              }
          };
    exactDuplicates(target.headers, u"target.headers."_s);
    exactDuplicates(target.headersEnv, u"target.headersEnv."_s);
    exactDuplicates(target.headersKeychain, u"target.headersKeychain."_s);
    return errors;
}

QByteArray TransferSpec::toJson() const
{
    QByteArray out;
    {
        JsonObjectWriter file(&out);
        file.integer(u"version"_s, FormatVersion);
        file.object(u"source"_s, [this](JsonObjectWriter &json) {
            const auto optional = [&json](const QString &name, const QString &value) {
                if (!value.isEmpty())
                    json.string(name, value);
            };
            json.string(u"driver"_s, source.driver);
            optional(u"database"_s, source.database);
            optional(u"host"_s, source.host);
            if (source.port != -1)
                json.integer(u"port"_s, source.port);
            optional(u"user"_s, source.user);
            optional(u"passwordEnv"_s, source.passwordEnv);
            optional(u"passwordKeychain"_s, source.passwordKeychain);
            if (source.askPassword)
                json.boolean(u"askPassword"_s, true);
            optional(u"options"_s, source.options);
            if (source.shardKey.isSet()) {
                json.object(u"shardKey"_s, [this](JsonObjectWriter &key) {
                    key.string(u"column"_s, source.shardKey.column);
                    key.string(u"type"_s, shardKeyTypeName(source.shardKey.type));
                });
            }
        });
        file.object(u"query"_s, [this](JsonObjectWriter &json) {
            json.string(u"sql"_s, query.sql);
            json.object(u"parameters"_s, [this](JsonObjectWriter &parameters) {
                for (auto it = query.parameters.cbegin(); it != query.parameters.cend(); ++it)
                    writeParameter(parameters, it.key(), it.value());
            });
        });
        if (transform.present) {
            file.object(u"transform"_s, [this](JsonObjectWriter &json) {
                if (!transform.key.isEmpty())
                    json.string(u"key"_s, transform.key);
                // A template that is not valid JSON is left out, so validate() reports it
                // as missing rather than the whole text as broken.
                if (compactJson(transform.templ))
                    json.raw(u"template"_s, transform.templ);
            });
        }
        file.object(u"target"_s, [this](JsonObjectWriter &json) {
            json.string(u"url"_s, target.url);
            json.string(u"method"_s, target.method);
            json.object(u"headers"_s, [this](JsonObjectWriter &headers) {
                writeHeaders(headers, target.headers);
            });
            if (!target.headersEnv.isEmpty()) {
                json.object(u"headersEnv"_s, [this](JsonObjectWriter &headers) {
                    writeHeaders(headers, target.headersEnv);
                });
            }
            if (!target.headersKeychain.isEmpty()) {
                json.object(u"headersKeychain"_s, [this](JsonObjectWriter &headers) {
                    writeHeaders(headers, target.headersKeychain);
                });
            }
            if (!target.idempotencyKey.isEmpty())
                json.string(u"idempotencyKey"_s, target.idempotencyKey);
            json.string(u"mode"_s, targetModeName(target.mode));
            json.integer(u"batchSize"_s, target.batchSize);
            json.integer(u"batchBytes"_s, target.batchBytes);
            json.string(u"bulkAction"_s, bulkActionName(target.bulkAction));
            json.string(u"http2"_s, http2ModeName(target.http2));
            if (!target.caFile.isEmpty())
                json.string(u"caFile"_s, target.caFile);
            json.integer(u"timeoutSeconds"_s, target.timeoutSeconds);
            // Written only when set: a file without them reads and saves unchanged.
            if (target.successStatuses)
                json.raw(u"successStatuses"_s, statusListJson(*target.successStatuses));
            if (target.retryStatuses)
                json.raw(u"retryStatuses"_s, statusListJson(*target.retryStatuses));
        });
        file.object(u"run"_s, [this](JsonObjectWriter &json) {
            json.integer(u"chunkSize"_s, run.chunkSize);
            json.integer(u"concurrency"_s, run.concurrency);
            json.integer(u"maxRetries"_s, run.maxRetries);
            writeRate(json, u"maxRequestsPerSecond"_s, run.maxRequestsPerSecond);
            if (run.stopAfterFailures != 0)
                json.integer(u"stopAfterFailures"_s, run.stopAfterFailures);
            if (run.watermark) {
                json.object(u"watermark"_s, [this](JsonObjectWriter &watermark) {
                    watermark.string(u"column"_s, run.watermark->column);
                    watermark.string(u"parameter"_s, run.watermark->parameter);
                });
            }
        });
    }
    return out;
}

QString duplicateRisk(const TransferSpec &spec)
{
    const TargetSpec &target = spec.target;
    const bool keyed = spec.transform.present && !spec.transform.key.isEmpty();
    switch (target.mode) {
    case TargetMode::Item:
        if (target.method != u"POST"_s || hasPlaceholders(target.url)
            || !target.idempotencyKey.isEmpty())
            return {};
        return u"POST to a URL without a {{placeholder}} and without target.idempotencyKey: a "
               u"request sent again after a lost answer (a timeout or a dropped connection) "
               u"can store the item twice. Put the item's key in the URL and use PUT, or set "
               u"an idempotency key the API honours."_s;
    case TargetMode::JsonArray:
    case TargetMode::Ndjson:
        return u"mode \""_s + targetModeName(target.mode)
            + u"\" carries no id for the items: a batch sent again after a lost answer (a "
              u"timeout or a dropped connection) can store its items twice."_s;
    case TargetMode::ElasticsearchBulk:
    case TargetMode::CouchdbBulk:
        if (keyed)
            return {};
        return u"mode \""_s + targetModeName(target.mode)
            + u"\" without transform.key lets the server assign the ids: a batch sent again "
              u"after a lost answer (a timeout or a dropped connection) can store its items "
              u"twice. Set an item key so each item has an id of its own."_s;
    }
    return {};
}

bool TransferSpec::save(const QString &fileName, QString *error) const
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"cannot write "_s + fileName + u": "_s + file.errorString();
        return false;
    }
    file.write(indentJson(toJson()).value() + '\n');
    if (!file.commit()) {
        if (error)
            *error = u"cannot write "_s + fileName + u": "_s + file.errorString();
        return false;
    }
    return true;
}

TransferSpec TransferSpec::movedTo(const QString &folder) const
{
    TransferSpec moved = *this;
    const bool fileDatabase = source.driver == "QSQLITE"_L1 && source.database != ":memory:"_L1
        && !source.database.startsWith("file:"_L1);
    if (fileDatabase)
        moved.source.database = movedPathForTransfer(source.database, source.baseDir, folder);
    moved.target.caFile = movedPathForTransfer(target.caFile, source.baseDir, folder);
    moved.source.baseDir = folder;
    return moved;
}

} // namespace sluice
