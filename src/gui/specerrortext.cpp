// SPDX-License-Identifier: GPL-3.0-or-later
#include "specerrortext.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

struct SpecField
{
    const char *path;
    const char *label; ///< as the form's label says it, without its colon
};

// Every path the transfer file's parser reports that a form edits (see transferspecparser).
constexpr SpecField SpecFields[] = {
    {"source.driver", QT_TRANSLATE_NOOP("SpecErrorText", "Driver")},
    {"source.database", QT_TRANSLATE_NOOP("SpecErrorText", "Database")},
    {"source.host", QT_TRANSLATE_NOOP("SpecErrorText", "Host")},
    {"source.port", QT_TRANSLATE_NOOP("SpecErrorText", "Port")},
    {"source.user", QT_TRANSLATE_NOOP("SpecErrorText", "User")},
    {"source.passwordEnv", QT_TRANSLATE_NOOP("SpecErrorText", "Password variable")},
    {"source.passwordKeychain", QT_TRANSLATE_NOOP("SpecErrorText", "Keychain entry")},
    {"source.askPassword", QT_TRANSLATE_NOOP("SpecErrorText", "Password source")},
    {"source.options", QT_TRANSLATE_NOOP("SpecErrorText", "Connect options")},
    {"query.sql", QT_TRANSLATE_NOOP("SpecErrorText", "SQL query")},
    {"query.parameters", QT_TRANSLATE_NOOP("SpecErrorText", "Parameters")},
    {"transform.key", QT_TRANSLATE_NOOP("SpecErrorText", "Item key")},
    {"transform.template", QT_TRANSLATE_NOOP("SpecErrorText", "Template")},
    {"target.url", QT_TRANSLATE_NOOP("SpecErrorText", "URL")},
    {"target.method", QT_TRANSLATE_NOOP("SpecErrorText", "Method")},
    {"target.headers", QT_TRANSLATE_NOOP("SpecErrorText", "Headers")},
    {"target.headersEnv", QT_TRANSLATE_NOOP("SpecErrorText", "Headers")},
    {"target.headersKeychain", QT_TRANSLATE_NOOP("SpecErrorText", "Headers")},
    {"target.idempotencyKey", QT_TRANSLATE_NOOP("SpecErrorText", "Idempotency key")},
    {"target.mode", QT_TRANSLATE_NOOP("SpecErrorText", "Mode")},
    {"target.batchSize", QT_TRANSLATE_NOOP("SpecErrorText", "Batch size")},
    {"target.batchBytes", QT_TRANSLATE_NOOP("SpecErrorText", "Batch size in bytes")},
    {"target.bulkAction", QT_TRANSLATE_NOOP("SpecErrorText", "Bulk action")},
    {"target.http2", QT_TRANSLATE_NOOP("SpecErrorText", "HTTP/2")},
    {"target.caFile", QT_TRANSLATE_NOOP("SpecErrorText", "Trusted CA file")},
    {"target.timeoutSeconds", QT_TRANSLATE_NOOP("SpecErrorText", "Timeout")},
    {"target.successStatuses", QT_TRANSLATE_NOOP("SpecErrorText", "Delivered when")},
    {"target.retryStatuses", QT_TRANSLATE_NOOP("SpecErrorText", "Retry when")},
    {"run.chunkSize", QT_TRANSLATE_NOOP("SpecErrorText", "Chunk size")},
    {"run.concurrency", QT_TRANSLATE_NOOP("SpecErrorText", "Concurrency")},
    {"run.maxRetries", QT_TRANSLATE_NOOP("SpecErrorText", "Max retries")},
    {"run.maxRequestsPerSecond", QT_TRANSLATE_NOOP("SpecErrorText", "Max requests per second")},
    {"run.stopAfterFailures", QT_TRANSLATE_NOOP("SpecErrorText", "Give up after")},
};

QString stepName(SpecSection section)
{
    switch (section) {
    case SpecSection::Source:
        return SpecErrorText::tr("Connection step");
    case SpecSection::Query:
        return SpecErrorText::tr("Query step");
    case SpecSection::Transform:
        return SpecErrorText::tr("Transform step");
    case SpecSection::Target:
    case SpecSection::Run: // the run settings are on the Target step
        return SpecErrorText::tr("Target step");
    case SpecSection::File:
        break;
    }
    return SpecErrorText::tr("Transfer file");
}

} // namespace

QString SpecErrorText::place(const QString &path)
{
    const QString where = stepName(SpecError {path, {}}.section());
    const QString label = field(path);
    return label.isEmpty() ? where : tr("%1, %2").arg(where, label);
}

QString SpecErrorText::field(const QString &path)
{
    if (SpecError {path, {}}.section() == SpecSection::File)
        return {};
    // The known field the path starts with; what follows names a parameter, a header or a
    // place in the template.
    for (const SpecField &field : SpecFields) {
        const QLatin1StringView known(field.path);
        if (path != known && !path.startsWith(QString(known) + u'.'))
            continue;
        const QString rest = path.mid(known.size() + 1);
        if (rest.isEmpty())
            return tr(field.label);
        if (known == "query.parameters"_L1)
            return tr("parameter :%1").arg(rest);
        if (known.startsWith("target.headers"_L1))
            return tr("header %1").arg(rest);
        if (known == "transform.template"_L1)
            return tr("Template, at %1").arg(rest);
        return tr(field.label);
    }
    // A field no form shows (source.shardKey, run.watermark): the file's name for it.
    return path.section(u'.', 1);
}

QString SpecErrorText::describe(const SpecError &error)
{
    if (error.path.isEmpty())
        return error.message;
    return tr("%1: %2").arg(place(error.path), error.message);
}

QString SpecErrorText::describeInStep(const SpecError &error)
{
    const QString label = field(error.path);
    return label.isEmpty() ? error.message : tr("%1: %2").arg(label, error.message);
}

} // namespace sluice
