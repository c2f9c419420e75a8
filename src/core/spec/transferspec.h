// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "spec/statusclasses.h"
#include "types/connectionsettings.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QVariant>

#include <optional>

namespace sluice {

/// The part of a transfer a problem is in: where a front end shows it (a tab, a form).
enum class SpecSection : quint8 {
    File, ///< the file as a whole (cannot be read, not JSON, version)
    Source,
    Query,
    Transform,
    Target,
    Run,
};

/// One problem in a transfer file, located by its JSON path
/// ("target.url", "query.parameters.startdate", "run.concurrency").
struct SpecError
{
    QString path;
    QString message;
    /// "path: message", or just the message when there is no path.
    QString toString() const;
    /// The section the path starts in; File for an empty path or "version".
    SpecSection section() const;
    friend bool operator==(const SpecError &, const SpecError &) = default;
};

struct QuerySpec
{
    QString sql;
    /// Named parameters without the leading colon, typed as in the file
    /// (string, integer, real, bool, or null).
    QMap<QString, QVariant> parameters;
    friend bool operator==(const QuerySpec &, const QuerySpec &) = default;
};

struct TransformSpec
{
    bool present = false; ///< false: each row becomes {column: typed value}
    QString key; ///< key template; empty: the 1-based row number
    /// The JSON template ("template" in the file) as compact UTF-8 text: every token as the
    /// user wrote it (member order, number literals such as 12.50, escapes), only the blank
    /// space between tokens removed (compactJson). Empty: no template.
    QByteArray templ;
    friend bool operator==(const TransformSpec &, const TransformSpec &) = default;
};

/// How requests are formed: one item per request, or batches in a bulk format.
enum class TargetMode : quint8 {
    Item, ///< one request per item, the item's JSON as the body
    ElasticsearchBulk, ///< NDJSON action + document lines to _bulk; per-item status from "items"
    CouchdbBulk, ///< {"docs":[...]} to _bulk_docs; per-item ok or error/reason
    JsonArray, ///< one JSON array of items per request; the request's status is each item's
    Ndjson, ///< one item per line per request; the request's status is each item's
};
/// The file's name of a mode ("item", "elasticsearch-bulk", ...).
QString targetModeName(TargetMode mode);
/// Every mode in the order a front end lists them.
QList<TargetMode> allTargetModes();
std::optional<TargetMode> targetModeFromName(QStringView name);
/// Anything but Item: items travel in batches.
constexpr bool isBulk(TargetMode mode)
{
    return mode != TargetMode::Item;
}

/// The file's name of a shard key type ("integer", "text"; source.shardKey.type).
QString shardKeyTypeName(ShardKey::Type type);

/// Whether HTTP/2 is used ("target.http2").
enum class Http2Mode : quint8 {
    Auto, ///< HTTP/2 over TLS when the server offers it (ALPN); plain http:// stays HTTP/1.1
    PriorKnowledge, ///< HTTP/2 from the first byte, also on plain http:// (h2c)
    Off, ///< HTTP/1.1 only
};
QString http2ModeName(Http2Mode mode); ///< "auto", "prior-knowledge", "off"
std::optional<Http2Mode> http2ModeFromName(QStringView name);

/// Elasticsearch bulk action line ("target.bulkAction").
enum class BulkAction : quint8 {
    Index, ///< create or replace
    Create, ///< create only; an existing _id is a 409 for that item
};
QString bulkActionName(BulkAction action); ///< "index", "create"
std::optional<BulkAction> bulkActionFromName(QStringView name);

struct TargetSpec
{
    static constexpr int DefaultBatchSize = 1000;
    static constexpr int MaxBatchSize = 100000;
    static constexpr qint64 DefaultBatchBytes = 5 * 1024 * 1024;
    static constexpr qint64 MinBatchBytes = 1024;
    static constexpr qint64 MaxBatchBytes = 256 * 1024 * 1024;

    QString url; ///< absolute http(s) URL, may contain {{column}} placeholders
    QString method = QStringLiteral("POST"); ///< POST or PUT
    /// Header name -> value, in file order. Values are sent as they are.
    QList<QPair<QString, QString>> headers;
    /// Header name -> environment variable holding the value (tokens, API keys).
    QList<QPair<QString, QString>> headersEnv;
    /// Header name -> OS keychain entry holding the value (service SecretStore::Service).
    QList<QPair<QString, QString>> headersKeychain;
    /// Item mode only: a template (placeholders as transform.key) whose value is sent as an
    /// Idempotency-Key header on every attempt of the item. Empty: no such header.
    QString idempotencyKey;
    TargetMode mode = TargetMode::Item;
    /// Bulk modes: at most this many items per request (1..MaxBatchSize) ...
    int batchSize = DefaultBatchSize;
    /// ... and at most this many body bytes (MinBatchBytes..MaxBatchBytes; an item larger
    /// than this goes alone). Both are kept, and saved, in item mode too, where they do nothing.
    qint64 batchBytes = DefaultBatchBytes;
    /// Used by elasticsearch-bulk only; kept and saved in the other modes.
    BulkAction bulkAction = BulkAction::Index;
    Http2Mode http2 = Http2Mode::Auto;
    /// PEM file of CA certificates trusted for https besides the system's ("target.caFile"),
    /// as written in the file; relative to the transfer file's folder (source.baseDir).
    /// Empty: the system's CAs only.
    QString caFile;
    int timeoutSeconds = 30; ///< per request, without progress (setTransferTimeout)
    /// The statuses that count as delivered ("target.successStatuses"); nullopt: 2xx.
    std::optional<StatusList> successStatuses;
    /// The statuses that are retried ("target.retryStatuses"); nullopt: 408, 429, 5xx.
    std::optional<StatusList> retryStatuses;

    StatusClasses statusClasses() const { return {successStatuses, retryStatuses}; }
    friend bool operator==(const TargetSpec &, const TargetSpec &) = default;
};

/// An incremental transfer ("run.watermark"): each run binds the query parameter `parameter`
/// to the highest value of `column` among the items the previous run delivered (kept in a
/// state file by the headless runner; see docs/design.md, "Incremental runs"). The first run
/// binds the file's query.parameters value, which must therefore be there.
struct WatermarkSpec
{
    QString column; ///< a column of the query's result
    QString parameter; ///< a query parameter name, without the colon
    friend bool operator==(const WatermarkSpec &, const WatermarkSpec &) = default;
};

struct RunSpec
{
    static constexpr int DefaultChunkSize = 5000;
    static constexpr int MaxChunkSize = 100000;
    static constexpr int DefaultConcurrency = 16;
    static constexpr int MaxConcurrency = 512;
    static constexpr int DefaultMaxRetries = 5;
    static constexpr int MaxMaxRetries = 100;
    static constexpr int MaxMaxRequestsPerSecond = 1000000;
    static constexpr int MaxStopAfterFailures = 100000000;

    int chunkSize = DefaultChunkSize;
    int concurrency = DefaultConcurrency;
    int maxRetries = DefaultMaxRetries;
    /// Requests started per second at most, over the whole run; 0: no cap. Fractions are
    /// allowed (0.5: one request every two seconds); at most MaxMaxRequestsPerSecond.
    double maxRequestsPerSecond = 0;
    /// The run stops once this many items have ended Failed or Invalid (both count; a resumed
    /// run counts its own only); 0: never (the file's key is then absent; in the file it is
    /// at least 1).
    int stopAfterFailures = 0;
    /// Set: an incremental transfer ("run.watermark"); the file's key is absent otherwise.
    std::optional<WatermarkSpec> watermark = std::nullopt;
    friend bool operator==(const RunSpec &, const RunSpec &) = default;
};

/// A transfer as saved in a transfer file (format version 1, see docs/design.md).
/// It never holds a secret.
struct TransferSpec
{
    static constexpr int FormatVersion = 1;

    ConnectionSettings source;
    QuerySpec query;
    TransformSpec transform;
    TargetSpec target;
    RunSpec run;

    /// Parses and validates the text of a transfer file (UTF-8 JSON). On any problem returns
    /// false and fills errors (all problems found, each with its path); unknown keys and a
    /// name given twice in one object are errors, and JSON that is not valid gives one error
    /// with its line and column. baseDir becomes source.baseDir (relative SQLite paths).
    static bool fromJson(QByteArrayView json, TransferSpec *spec, QList<SpecError> *errors,
                         const QString &baseDir = {});
    /// Reads, parses and validates a file. A file that cannot be read or is not
    /// JSON gives one error with an empty path that names the file (and the
    /// line/offset of a JSON syntax error).
    static bool load(const QString &fileName, TransferSpec *spec, QList<SpecError> *errors);

    /// Checks a spec built in code (the GUI's forms) with the same rules as the file.
    QList<SpecError> validate() const;

    /// The file form as compact UTF-8 JSON: defaults are written too, sections and their keys
    /// in the order docs/design.md lists them, headers and the template as given.
    QByteArray toJson() const;
    /// Writes atomically (QSaveFile), indented (indentJson), with a line break at the end.
    /// Relative SQLite paths stay relative.
    bool save(const QString &fileName, QString *error) const;
    /// The same transfer to be saved in folder (Save As elsewhere): a relative SQLite database
    /// file and a relative target.caFile are rewritten so they name the same files from there
    /// (relative when inside folder, absolute otherwise); source.baseDir becomes folder.
    /// ":memory:" and "file:" URIs (relative to the working folder) stay.
    TransferSpec movedTo(const QString &folder) const;

    friend bool operator==(const TransferSpec &, const TransferSpec &) = default;
};

/// When a re-sent request can store an item twice, in words for the steward; empty when a
/// re-send cannot duplicate (docs/design.md, "Duplicates"). A request is re-sent after a
/// timeout or a lost connection, and by Qt itself when a kept-alive connection closes before
/// the answer. Risky: POST in item mode with neither a {{placeholder}} in the URL nor
/// target.idempotencyKey; json-array and ndjson always (nothing identifies an item); the
/// elasticsearch-bulk and couchdb-bulk modes without transform.key (the server assigns ids).
QString duplicateRisk(const TransferSpec &spec);

} // namespace sluice
