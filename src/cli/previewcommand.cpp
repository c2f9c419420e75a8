// SPDX-License-Identifier: GPL-3.0-or-later
// `sluice preview`: the bytes a run would send for the first rows, without sending them.
#include "dryruncommands.h"

#include "db/rowsource.h"
#include "dryrunsetup.h"
#include "net/bulkcodec.h"
#include "transfer/watermark.h"
#include "transform/transform.h"

#include <QCommandLineParser>
#include <QEventLoop>

#include <cstdio>
#include <memory>

namespace sluice {

namespace {

const QString PreviewCommand = QStringLiteral("preview");
const QString PreviewCountOption = QStringLiteral("n");
constexpr int DefaultPreviewCount = 5;
constexpr int MaxPreviewCount = 100000;

/// The first rows as items, read and transformed as a run reads and transforms them.
struct FirstItems
{
    QList<Item> items;
    bool ok = false;
};

FirstItems readFirstItems(const DryRun &run, int count, const QString &password)
{
    FirstItems result;
    std::unique_ptr<WatermarkTracker> watermark;
    if (const std::optional<WatermarkSpec> &spec = run.spec.run.watermark)
        watermark = std::make_unique<WatermarkTracker>(
            *spec, run.spec.query.parameters.value(spec->parameter), run.watermarkFileValue,
            run.watermarkState ? run.watermarkState->delivered : QList<WatermarkState::Row>());
    QEventLoop loop;
    RowSource source(run.spec.source, run.query, count, password);
    std::shared_ptr<const Transform> transform;
    QObject::connect(&source, &RowSource::failed, &loop, [&](const SourceFailure &failure) {
        printDryRunProblems(run, failure.message,
                            failure.kind == SourceFailure::Kind::Configuration
                                ? QString()
                                : QStringLiteral("Connection"));
        loop.quit();
    });
    QObject::connect(&source, &RowSource::opened, &loop, [&](const ColumnList &columns) {
        QList<SpecError> errors;
        std::optional<Transform> compiled
            = Transform::compile(run.spec.transform, run.spec.target.url, columns, &errors,
                                 run.spec.target.idempotencyKey);
        for (const SpecError &e : std::as_const(errors))
            printDryRunLine(PreviewCommand, describeProblem(e, run.fileText));
        QString error;
        if (watermark && !watermark->open(columns, &error)) {
            printDryRunProblems(run, error, QStringLiteral("Run watermark"));
            compiled.reset();
        }
        if (!compiled) {
            loop.quit();
            return;
        }
        transform = std::make_shared<const Transform>(std::move(*compiled));
        // The run's own mapping, in the reader's thread.
        source.setRowMapper([transform, mark = watermark ? watermark->columnIndex() : -1](
                                const QVariantList &row, qint64 id) {
            Item item = transform->apply(row, id);
            if (mark >= 0)
                item.watermark = row.value(mark);
            return item;
        });
        source.requestChunk();
    });
    QObject::connect(&source, &RowSource::chunkReady, &loop, [&](const RowChunk &chunk) {
        result.items = chunk.items;
        result.ok = true;
        if (watermark) {
            // A run does not send again what the previous one delivered at its watermark.
            QSet<qint64> already;
            QString error;
            if (!watermark->queued(result.items, &already, &error)) {
                printDryRunProblems(run, error, QStringLiteral("Run watermark"));
                result.ok = false;
            }
            for (const Item &item : std::as_const(result.items)) {
                if (already.contains(item.id))
                    printDryRunLine(PreviewCommand,
                                    QStringLiteral("item %1 (key \"%2\"): delivered by the "
                                                   "previous run, a run would not send it again")
                                        .arg(item.id + 1)
                                        .arg(item.key));
            }
            result.items.removeIf([&](const Item &item) { return already.contains(item.id); });
        }
        loop.quit();
    });
    source.start();
    loop.exec();
    return result;
}

void printInvalid(const Item &item)
{
    printDryRunLine(PreviewCommand,
                    QStringLiteral("item %1 (key \"%2\") is invalid, a run would not "
                                   "send it: %3")
                        .arg(item.id + 1)
                        .arg(item.key, item.error));
}

void writeOut(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

/// Item mode: each item's body on a line of its own.
int printItems(const DryRun &run, const QList<Item> &items)
{
    const TargetSpec &target = run.spec.target;
    const bool perItem = !items.isEmpty()
        && (!target.idempotencyKey.isEmpty()
            || std::any_of(items.cbegin(), items.cend(),
                           [](const Item &i) { return !i.url.isEmpty(); }));
    printDryRunLine(PreviewCommand,
                    QStringLiteral("%1 item(s), each the body of one %2 request to %3, one a "
                                   "line; nothing is sent")
                        .arg(items.size())
                        .arg(target.method, target.url));
    int invalid = 0;
    for (const Item &item : items) {
        if (!item.isValid()) {
            printInvalid(item);
            ++invalid;
            continue;
        }
        if (perItem) {
            QString line
                = QStringLiteral("item %1 (key \"%2\"): %3 %4")
                      .arg(item.id + 1)
                      .arg(item.key, target.method, item.url.isEmpty() ? target.url : item.url);
            if (!item.idempotencyKey.isEmpty())
                line += QStringLiteral(", Idempotency-Key: ")
                    + QString::fromUtf8(item.idempotencyKey);
            printDryRunLine(PreviewCommand, line);
        }
        writeOut(item.payload + '\n');
    }
    return invalid > 0 ? 1 : 0;
}

/// A bulk mode: the request bodies these items make, batched as the dispatcher batches a
/// queue that holds only them (target.batchSize, target.batchBytes).
int printBatches(const DryRun &run, const QList<Item> &items)
{
    const TargetSpec &target = run.spec.target;
    const BulkCodec codec(target.mode, target.bulkAction,
                          run.spec.transform.present && !run.spec.transform.key.isEmpty());
    int invalid = 0;
    QList<QList<const Item *>> batches;
    qint64 bytes = 0;
    for (const Item &item : items) {
        if (!item.isValid()) {
            printInvalid(item);
            ++invalid;
            continue;
        }
        const qint64 size = item.payload.size() + codec.extraBytes(item.payload, item.key);
        // An item larger than batchBytes goes alone rather than never (as the dispatcher).
        if (batches.isEmpty() || batches.constLast().size() >= target.batchSize
            || (!batches.constLast().isEmpty() && bytes + size > target.batchBytes)) {
            batches.append(QList<const Item *>());
            bytes = 0;
        }
        batches.last().append(&item);
        bytes += size;
    }
    printDryRunLine(
        PreviewCommand,
        QStringLiteral("%1 item(s) in %2 request body(ies) of %3 (%4); "
                       "nothing is sent")
            .arg(items.size() - invalid)
            .arg(batches.size())
            .arg(targetModeName(target.mode), QString::fromLatin1(codec.contentType())));
    int number = 0;
    for (const QList<const Item *> &batch : std::as_const(batches)) {
        QByteArray body;
        codec.begin(&body);
        for (const Item *item : batch)
            codec.append(&body, item->payload, item->key);
        codec.end(&body);
        printDryRunLine(PreviewCommand,
                        QStringLiteral("request %1: items %2 to %3, %4 bytes, %5 %6")
                            .arg(++number)
                            .arg(batch.constFirst()->id + 1)
                            .arg(batch.constLast()->id + 1)
                            .arg(body.size())
                            .arg(target.method, target.url));
        // The body as it is; a line break after it only when it has none of its own
        // (json-array, couchdb-bulk), so that bodies start on lines of their own.
        if (!body.endsWith('\n'))
            body.append('\n');
        writeOut(body);
    }
    return invalid > 0 ? 1 : 0;
}

} // namespace

int previewCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    addDryRunOptions(
        &parser,
        QStringLiteral(
            "Prints what a run would send for the first N rows, without sending anything:\n"
            "the rows are read and turned into JSON exactly as sluice run does.\n\n"
            "Mode item: each item's body on a line of its own (the bytes of the body, then\n"
            "a line break). Bulk modes: the request bodies those N items make, batched as a\n"
            "run batches them (batchSize, batchBytes); ndjson and elasticsearch-bulk bodies\n"
            "end with their own line break, json-array and couchdb-bulk bodies get one\n"
            "added. What each line is (method, URL, request) is said on stderr.\n\n"
            "An item the transform cannot build (a value JSON cannot carry) is named on\n"
            "stderr with its reason, as a run would report it Invalid.\n\n"
            "Exit codes: 0 every item could be built; 1 some are invalid; 2 the transfer\n"
            "cannot run (configuration, connection, query, template or usage)."));
    parser.addOption(
        {PreviewCountOption,
         QStringLiteral("Previews the first N rows (default %1).").arg(DefaultPreviewCount),
         QStringLiteral("N")});
    int exitCode = 2;
    if (!parseDryRunCommandLine(parser, PreviewCommand, arguments, &exitCode))
        return exitCode;
    int count = DefaultPreviewCount;
    if (parser.isSet(PreviewCountOption)) {
        bool ok = false;
        count = parser.value(PreviewCountOption).toInt(&ok);
        if (!ok || count < 1 || count > MaxPreviewCount) {
            printDryRunLine(PreviewCommand,
                            QStringLiteral("Command line: -n %1: expected a whole "
                                           "number of rows from 1 to %2")
                                .arg(parser.value(PreviewCountOption))
                                .arg(MaxPreviewCount));
            return 2;
        }
    }
    const std::optional<DryRun> run = loadDryRun(parser, PreviewCommand);
    if (!run)
        return 2;
    QString error;
    const std::optional<QString> password = dryRunPassword(run->spec, &error);
    if (!password) {
        printDryRunProblems(*run, error, QStringLiteral("Connection"));
        return 2;
    }
    const FirstItems first = readFirstItems(*run, count, *password);
    if (!first.ok)
        return 2;
    if (first.items.isEmpty()) {
        printDryRunLine(PreviewCommand,
                        QStringLiteral("the query returned no rows: a run would send "
                                       "nothing"));
        return 0;
    }
    return isBulk(run->spec.target.mode) ? printBatches(*run, first.items)
                                         : printItems(*run, first.items);
}

} // namespace sluice
