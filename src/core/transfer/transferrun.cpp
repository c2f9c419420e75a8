// SPDX-License-Identifier: GPL-3.0-or-later
#include "transferrun.h"

#include "db/rowsource.h"
#include "db/shardquery.h"
#include "db/sqlparameters.h"
#include "db/sqlrowreader.h"
#include "journal/journalfile.h"
#include "journal/runjournal.h"
#include "log/logging.h"
#include "net/cafile.h"
#include "net/dispatcher.h"
#include "spec/placeholders.h"
#include "spec/secretheaders.h"
#include "spec/secretproblems.h"
#include "transform/transform.h"

#include <QTimer>

namespace sluice {

namespace {

/// Operations the journal may have waiting before the run stops reading: a few chunks'
/// worth, so memory stays flat when the disk is slower than the network.
constexpr qsizetype JournalBacklogChunks = 8;

JournalEnd journalEndFor(TransferRun::Outcome outcome)
{
    switch (outcome) {
    case TransferRun::Outcome::Completed:
        return JournalEnd::Completed;
    case TransferRun::Outcome::Cancelled:
        return JournalEnd::Cancelled;
    case TransferRun::Outcome::Stopped:
        return JournalEnd::Stopped;
    case TransferRun::Outcome::ConfigError:
        return JournalEnd::ConfigError;
    case TransferRun::Outcome::SourceError:
        return JournalEnd::SourceError;
    }
    return JournalEnd::None;
}

std::optional<QString> processEnvironment(const QString &name)
{
    if (!qEnvironmentVariableIsSet(name.toLocal8Bit().constData()))
        return std::nullopt;
    return qEnvironmentVariable(name.toLocal8Bit().constData());
}

} // namespace

TransferRun::TransferRun(const TransferSpec &spec, RunOptions options, QObject *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_options(std::move(options))
{
    if (!m_options.environment)
        m_options.environment = processEnvironment;
    // First among the receivers: whoever hears of an item reads statistics that count it.
    connect(this, &TransferRun::itemFinished, this, [this](const ItemResult &result) {
        m_statistics.record(activeMs(), result);
        m_failures.add(result);
    });
}

std::optional<Shard> TransferRun::shard() const
{
    return m_options.resume ? m_options.resume->shard : m_options.shard;
}

qint64 TransferRun::activeMs() const
{
    // The statistics' time axis is active time: a retry after the run finished goes on where
    // the run ended, not after the idle time in between.
    return qint64(elapsedSeconds() * 1000);
}

void TransferRun::sampleStatistics()
{
    if (m_clock.isValid() && m_state != State::Finished)
        m_statistics.advance(activeMs());
}

TransferRun::~TransferRun()
{
    // The dispatcher goes first: it joins its network threads and must not report
    // into a half-destroyed run.
    if (m_dispatcher)
        m_dispatcher->disconnect(this);
    m_dispatcher.reset();
    if (m_source)
        m_source->disconnect(this);
    m_source.reset();
    // Last: it writes what is still recorded before it closes.
    if (m_journal)
        m_journal->disconnect(this);
    m_journal.reset();
}

QString TransferRun::journalFile() const
{
    return m_journal ? m_journal->fileName() : QString();
}

bool TransferRun::openJournal(QStringList *errors)
{
    if (m_options.journalFile.isEmpty())
        return true;
    QString error;
    if (m_options.resume) {
        m_journal = RunJournal::reopen(m_options.journalFile, &error);
    } else {
        RunJournal::Header header;
        header.transfer = m_spec.toJson();
        header.transferFile = m_options.transferFile;
        header.baseDir = m_spec.source.baseDir;
        m_journal
            = RunJournal::create(m_options.journalFile, header, &error, m_options.shard,
                                 m_options.journalNameIsDefault ? RunJournal::NameTaken::TakeNext
                                                                : RunJournal::NameTaken::Fail);
    }
    if (!m_journal) {
        errors->append(error);
        return false;
    }
    connect(m_journal.get(), &RunJournal::written, this, &TransferRun::maybeRequestChunk);
    connect(m_journal.get(), &RunJournal::failed, this,
            [this](const QString &message) { fail(Outcome::ConfigError, message); });
    m_journal->recordStart();
    Q_EMIT journalOpened(m_journal->fileName());
    return true;
}

void TransferRun::applyResumeState()
{
    const ResumeState &state = *m_options.resume;
    m_read = state.rowsRead;
    m_delivered = state.summary.delivered;
    m_failed = state.summary.failed;
    m_invalid = state.summary.invalid;
    m_resumedFinished = m_delivered + m_failed + m_invalid;
    for (auto it = state.notDelivered.cbegin(); it != state.notDelivered.cend(); ++it)
        m_notDelivered.insert(it.key(), {it.value(), state.attempts.value(it.key())});
    // The failures the journal holds are this run's too: in its failure groups (the report's),
    // not only in its counts.
    QString error;
    if (!m_options.journalFile.isEmpty()
        && !JournalFile::forEachFailure(
            m_options.journalFile, [this](const ItemResult &result) { m_failures.add(result); },
            &error))
        qCWarning(lcRun).noquote() << "the failures held in the journal are not grouped:" << error;
    for (const Item &item : state.unfinished) {
        const int attempts = state.attempts.value(item.id);
        if (attempts > 0)
            m_priorAttempts.insert(item.id, attempts);
    }
    m_sourceDone = state.sourceDone;
    m_checkBoundary = !state.sourceDone && state.rowsRead > 0;
}

void TransferRun::submitResumed()
{
    if (!m_options.resume || m_options.resume->unfinished.isEmpty())
        return;
    QList<Item> items = m_options.resume->unfinished;
    qCInfo(lcRun) << "resuming:" << items.size() << "item(s) owed from before are sent again";
    Q_EMIT itemsQueued(items);
    m_dispatcher->submit(std::move(items), m_options.resume->mayHaveArrived);
}

bool TransferRun::checkBoundary(const RowChunk &chunk, QList<Item> *items)
{
    m_checkBoundary = false;
    const ResumeState &state = *m_options.resume;
    const qint64 boundary = state.rowsRead - 1;
    if (items->isEmpty() || items->constFirst().id != boundary) {
        fail(Outcome::SourceError,
             QStringLiteral("resume: the query now returns %1 row(s), fewer than the %2 the "
                            "interrupted run had read: the source changed, so Sluice cannot "
                            "tell which rows are still owed (start a new run)")
                 .arg(items->isEmpty() ? chunk.firstId : items->constFirst().id)
                 .arg(state.rowsRead));
        return false;
    }
    const Item &first = items->constFirst();
    // With a key the steward chose, the row is the same when its key is (its values may have
    // changed since, or hold the time of reading); without one, only its whole JSON tells.
    const bool keyed = m_spec.transform.present && !m_spec.transform.key.isEmpty();
    const bool same = keyed ? first.key == state.boundaryKey
                            : first.key == state.boundaryKey
            && journal::itemDigest(first.key, first.payload, first.error) == state.boundaryDigest;
    if (!same) {
        fail(Outcome::SourceError,
             QStringLiteral("resume: row %1 is not the row the interrupted run read there (key "
                            "\"%2\" then, \"%3\" now, or its values changed): the query's rows "
                            "or their order changed, so Sluice cannot tell which rows were sent "
                            "(give the query an ORDER BY on a unique column, or start a new run)")
                 .arg(state.rowsRead)
                 .arg(state.boundaryKey, first.key));
        return false;
    }
    items->removeFirst();
    return true;
}

RunCounts TransferRun::counts() const
{
    RunCounts c;
    c.read = m_read;
    c.delivered = m_delivered;
    c.failed = m_failed;
    c.invalid = m_invalid;
    c.alreadyDelivered = m_alreadyDelivered;
    c.retrying = m_retrying.size();
    c.sending = m_dispatcher ? m_dispatcher->itemsInFlight() : 0;
    c.queued = qMax<qint64>(0, c.read - c.finished() - c.sending - c.retrying);
    return c;
}

double TransferRun::elapsedSeconds() const
{
    if (m_finalSeconds >= 0)
        return m_finalSeconds;
    return m_spentSeconds + (m_clock.isValid() ? double(m_clock.nsecsElapsed()) / 1e9 : 0.0);
}

void TransferRun::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

bool TransferRun::resolveSecrets(QStringList *errors)
{
    const ConnectionSettings &source = m_spec.source;
    if (!source.passwordEnv.isEmpty()) {
        const auto value = m_options.environment(source.passwordEnv);
        if (!value)
            errors->append(secretproblems::variableNotSet(QStringLiteral("source.passwordEnv"),
                                                          source.passwordEnv,
                                                          QStringLiteral("the database password")));
        else
            m_password = *value;
    } else if (source.askPassword) {
        if (!m_options.password)
            errors->append(secretproblems::passwordNotGiven());
        else
            m_password = *m_options.password;
    }

    const QString caFile = resolvedCaFile(m_spec);
    QString caError;
    if (!caFile.isEmpty() && !readCaFile(caFile, &m_caCertificates, &caError))
        errors->append(caError);
    return errors->isEmpty();
}

void TransferRun::readKeychain(QStringList errors)
{
    QStringList entries;
    if (!m_spec.source.passwordKeychain.isEmpty())
        entries.append(m_spec.source.passwordKeychain);
    for (const auto &[name, entry] : std::as_const(m_spec.target.headersKeychain)) {
        Q_UNUSED(name);
        if (!entries.contains(entry))
            entries.append(entry);
    }
    if (entries.isEmpty()) {
        secretsRead(std::move(errors));
        return;
    }
    if (!m_options.secrets)
        m_options.secrets = makeKeychainStore();
    auto pending = std::make_shared<qsizetype>(entries.size());
    auto collected = std::make_shared<QStringList>(std::move(errors));
    for (const QString &entry : std::as_const(entries)) {
        m_options.secrets->read(entry, this,
                                [this, entry, pending, collected](const SecretStore::Answer &a) {
                                    m_keychain.insert(entry, a);
                                    // Cancelled while the keychain was asked: nothing to do.
                                    if (--*pending == 0 && m_state == State::Starting)
                                        secretsRead(*collected);
                                });
    }
}

QString TransferRun::keychainProblem(const QString &path, const QString &entry) const
{
    const auto it = m_keychain.constFind(entry);
    if (it == m_keychain.cend())
        return QStringLiteral("%1: the keychain entry \"%2\" was not read when this run started; "
                              "start a new run to use it")
            .arg(path, entry);
    return secretproblems::keychainAnswer(
        path, entry, m_options.secrets ? m_options.secrets->location() : QString(), *it);
}

void TransferRun::secretsRead(QStringList errors)
{
    const QString &entry = m_spec.source.passwordKeychain;
    if (!entry.isEmpty()) {
        const QString problem = keychainProblem(QStringLiteral("source.passwordKeychain"), entry);
        if (problem.isEmpty())
            m_password = m_keychain.value(entry).value;
        else
            errors.append(problem);
    }
    resolveHeaders(m_spec.target, &m_headers, &errors);
    if (errors.isEmpty())
        openJournal(&errors);
    if (!errors.isEmpty()) {
        // Reported from the event loop so a caller connecting after start() still hears it.
        QTimer::singleShot(0, this,
                           [this, errors] { fail(Outcome::ConfigError, errors.join(u'\n')); });
        return;
    }
    for (const SpecError &e : literalSecretHeaders(m_spec.target))
        qCWarning(lcRun).noquote() << e.toString();
    if (m_options.resume)
        applyResumeState();
    if (m_options.resume && m_options.resume->sourceDone) {
        // Every row had been read: only the owed items are left to send. From the event
        // loop: start() may still be on the stack.
        QTimer::singleShot(0, this, [this] {
            if (m_state != State::Starting)
                return;
            createDispatcher();
            setState(State::Running);
            Q_EMIT started({});
            submitResumed();
            maybeFinish();
        });
        return;
    }
    startSource();
}

bool TransferRun::resolveHeaders(const TargetSpec &target,
                                 QList<QPair<QByteArray, QByteArray>> *headers,
                                 QStringList *errors) const
{
    const qsizetype errorsBefore = errors->size();
    headers->clear();
    bool hasContentType = false;
    for (const auto &[name, value] : target.headers) {
        hasContentType |= name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) == 0;
        headers->append({name.toLatin1(), value.toUtf8()});
    }
    for (const auto &[name, variable] : target.headersEnv) {
        const auto value = m_options.environment(variable);
        if (!value) {
            errors->append(secretproblems::variableNotSet(
                QStringLiteral("target.headersEnv.") + name, variable));
            continue;
        }
        hasContentType |= name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) == 0;
        headers->append({name.toLatin1(), value->toUtf8()});
    }
    for (const auto &[name, entry] : target.headersKeychain) {
        const QString problem = keychainProblem(u"target.headersKeychain." + name, entry);
        if (!problem.isEmpty()) {
            errors->append(problem);
            continue;
        }
        hasContentType |= name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) == 0;
        headers->append({name.toLatin1(), m_keychain.value(entry).value.toUtf8()});
    }
    if (!hasContentType)
        headers->append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return errors->size() == errorsBefore;
}

bool TransferRun::retarget(const TargetSpec &target, const RunSpec &run, QString *error)
{
    const auto refuse = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (m_state != State::Finished)
        return refuse(QStringLiteral("the target can change only once the run has finished"));
    if (target.mode != m_spec.target.mode)
        return refuse(QStringLiteral("target.mode: a retry sends the way the run did (%1)")
                          .arg(targetModeName(m_spec.target.mode)));
    if (target.url != m_spec.target.url && hasPlaceholders(target.url))
        return refuse(QStringLiteral("target.url: a URL with {{placeholders}} is made from each "
                                     "row, and a retry has only the JSON; keep the run's URL "
                                     "(%1), use one without placeholders, or start a new run")
                          .arg(m_spec.target.url));

    TransferSpec changed = m_spec;
    changed.target = target;
    changed.run.concurrency = run.concurrency;
    changed.run.maxRetries = run.maxRetries;
    QStringList errors;
    for (const SpecError &e : changed.validate()) {
        if (e.section() == SpecSection::Target || e.section() == SpecSection::Run)
            errors.append(e.toString());
    }
    QList<QPair<QByteArray, QByteArray>> headers;
    QList<QSslCertificate> caCertificates;
    if (errors.isEmpty()) {
        resolveHeaders(target, &headers, &errors);
        const QString caFile = resolveCaFile(target.caFile, m_spec.source.baseDir);
        QString caError;
        if (!caFile.isEmpty() && !readCaFile(caFile, &caCertificates, &caError))
            errors.append(caError);
    }
    if (!errors.isEmpty())
        return refuse(errors.join(u'\n'));

    m_spec.target = target;
    m_spec.run.concurrency = run.concurrency;
    m_spec.run.maxRetries = run.maxRetries;
    m_headers = headers;
    m_caCertificates = caCertificates;
    createDispatcher();
    return true;
}

void TransferRun::start()
{
    if (m_state != State::Idle)
        return;
    m_clock.start();
    m_startedAt = QDateTime::currentDateTime();
    setState(State::Starting);

    QStringList errors;
    for (const SpecError &e : m_spec.validate())
        errors.append(e.toString());
    const QMap<QString, QVariant> fileParameters = m_spec.query.parameters;
    m_spec.query.parameters.insert(m_options.parameterOverrides);
    // A resume reads the shard its journal read.
    if (m_options.resume)
        m_options.shard = m_options.resume->shard;
    if (QString error;
        m_options.shard && !shardQuery(m_spec.source, m_spec.query, *m_options.shard, &error))
        errors.append(error);
    if (const auto &watermark = m_spec.run.watermark; watermark && errors.isEmpty()) {
        if (!findSqlParameters(m_spec.query.sql).contains(watermark->parameter))
            errors.append(QStringLiteral("run.watermark.parameter: query.sql does not use :%1; "
                                         "it must read the rows above it (e.g. WHERE %2 > :%1 "
                                         "ORDER BY %2)")
                              .arg(watermark->parameter, watermark->column));
        else if (!m_options.resume)
            m_watermark = std::make_unique<WatermarkTracker>(
                *watermark, m_spec.query.parameters.value(watermark->parameter),
                fileParameters.value(watermark->parameter), m_options.watermarkDelivered);
    }
    if (!errors.isEmpty()) {
        QTimer::singleShot(0, this,
                           [this, errors] { fail(Outcome::ConfigError, errors.join(u'\n')); });
        return;
    }
    // Every problem with the secrets at once: the environment's, the file's, the keychain's.
    resolveSecrets(&errors);
    readKeychain(std::move(errors));
}

void TransferRun::startSource()
{
    // One shard: the same query, wrapped so that the database returns only the shard's rows
    // (start() checked that it can be).
    QString error;
    const QuerySpec query = m_options.shard
        ? shardQuery(m_spec.source, m_spec.query, *m_options.shard, &error).value_or(QuerySpec())
        : m_spec.query;
    m_source = std::make_unique<RowSource>(m_spec.source, query, m_spec.run.chunkSize, m_password);
    connect(m_source.get(), &RowSource::opened, this, &TransferRun::onOpened);
    connect(m_source.get(), &RowSource::chunkReady, this, &TransferRun::onChunk);
    connect(m_source.get(), &RowSource::failed, this, [this](const SourceFailure &failure) {
        fail(failure.kind == SourceFailure::Kind::Configuration ? Outcome::ConfigError
                                                                : Outcome::SourceError,
             failure.message);
    });
    m_source->start();
}

void TransferRun::onOpened(const ColumnList &columns)
{
    if (m_state != State::Starting)
        return;
    m_columns = columns;
    QList<SpecError> errors;
    auto transform = Transform::compile(m_spec.transform, m_spec.target.url, columns, &errors,
                                        m_spec.target.idempotencyKey);
    if (!transform) {
        QStringList lines;
        for (const SpecError &e : errors)
            lines.append(e.toString());
        fail(Outcome::ConfigError, lines.join(u'\n'));
        return;
    }
    QString watermarkError;
    if (m_watermark && !m_watermark->open(columns, &watermarkError)) {
        fail(Outcome::ConfigError, watermarkError);
        return;
    }
    m_transform = std::make_shared<const Transform>(std::move(*transform));
    // Rows become items in the reader's thread, beside the reading: this thread only sends.
    m_source->setRowMapper(
        [transform = m_transform, mark = watermarkColumn()](const QVariantList &row, qint64 id) {
            Item item = transform->apply(row, id);
            if (mark >= 0)
                item.watermark = row.value(mark);
            return item;
        });
    if (m_checkBoundary)
        m_source->skipRows(m_options.resume->rowsRead - 1);

    createDispatcher();

    setState(State::Running);
    Q_EMIT started(columns);
    submitResumed();
    m_source->requestChunk();
}

void TransferRun::createDispatcher()
{
    if (m_dispatcher) {
        // A cancelled dispatcher is final; it may be the sender of what called us.
        m_dispatcher->disconnect(this);
        m_dispatcher.release()->deleteLater();
    }
    DispatchConfig config;
    config.url = m_spec.target.url;
    config.method = m_spec.target.method.toLatin1();
    config.headers = m_headers;
    config.concurrency = m_spec.run.concurrency;
    config.timeoutMs = m_spec.target.timeoutSeconds * 1000;
    config.retry = m_options.retry;
    config.retry.maxRetries = m_spec.run.maxRetries;
    config.http2 = m_spec.target.http2;
    config.caCertificates = m_caCertificates;
    config.mode = m_spec.target.mode;
    config.bulkAction = m_spec.target.bulkAction;
    config.keyed = m_spec.transform.present && !m_spec.transform.key.isEmpty();
    config.batchSize = m_spec.target.batchSize;
    config.batchBytes = m_spec.target.batchBytes;
    config.maxRequestsPerSecond = m_spec.run.maxRequestsPerSecond;
    config.statuses = m_spec.target.statusClasses();
    m_dispatcher = std::make_unique<Dispatcher>(config);
    m_dispatcher->setHoldPartialBatches(!m_sourceDone);
    connect(m_dispatcher.get(), &Dispatcher::protocolChanged, this, &TransferRun::protocolChanged);
    connect(m_dispatcher.get(), &Dispatcher::windowChanged, this, &TransferRun::windowChanged);
    connect(m_dispatcher.get(), &Dispatcher::itemStatusChanged, this, &TransferRun::onItemStatus);
    connect(m_dispatcher.get(), &Dispatcher::itemFinished, this, &TransferRun::onItemFinished);
    connect(m_dispatcher.get(), &Dispatcher::backlogLow, this, &TransferRun::maybeRequestChunk);
    connect(m_dispatcher.get(), &Dispatcher::idle, this, &TransferRun::maybeFinish);
}

int TransferRun::retry(const QList<Item> &items)
{
    if (m_state == State::Idle || m_state == State::Starting)
        return 0;
    // A URL resolved from an earlier URL template is dropped when retarget() replaced it
    // with a fixed one.
    const bool perItemUrl = hasPlaceholders(m_spec.target.url);
    QList<Item> accepted;
    QSet<qint64> mayHaveArrived;
    for (const Item &item : items) {
        const auto it = m_notDelivered.constFind(item.id);
        if (it == m_notDelivered.cend() || item.payload.isEmpty())
            continue;
        if (it->first == ItemStatus::Invalid)
            --m_invalid;
        else
            --m_failed;
        m_priorAttempts.insert(item.id, it->second);
        m_notDelivered.erase(it);
        if (m_mayHaveArrived.contains(item.id))
            mayHaveArrived.insert(item.id);
        Item copy = item;
        copy.error.clear();
        if (copy.idempotencyKey.isEmpty())
            copy.idempotencyKey = m_idempotencyKeys.value(item.id);
        if (!perItemUrl)
            copy.url.clear();
        accepted.append(std::move(copy));
    }
    if (accepted.isEmpty())
        return 0;
    if (!m_dispatcher || m_dispatcher->isCancelled() || m_dispatcher->isStopping())
        createDispatcher();
    if (m_state == State::Finished) {
        m_wasCancelled = m_wasCancelled || m_cancelling;
        m_cancelling = false;
        m_pendingOutcome.reset();
        m_pendingMessage.clear();
        // A new active span: the time the run sat finished is not part of it.
        m_finalSeconds = -1;
        m_clock.start();
        setState(State::Running);
    }
    for (const Item &item : std::as_const(accepted)) {
        if (m_journal)
            m_journal->recordRequeued(item, m_priorAttempts.value(item.id));
        Q_EMIT itemStatusChanged(item.id, ItemStatus::Queued, m_priorAttempts.value(item.id));
    }
    const int count = int(accepted.size());
    m_dispatcher->submit(std::move(accepted), mayHaveArrived);
    return count;
}

void TransferRun::onChunk(const RowChunk &chunk)
{
    if (m_state == State::Finished || m_cancelling || m_stopping)
        return;
    QList<Item> items = chunk.items;
    if (!chunk.rows.isEmpty()) {
        items.reserve(chunk.rows.size());
        qint64 id = chunk.firstId;
        const int mark = watermarkColumn();
        for (const QVariantList &row : chunk.rows) {
            items.append(m_transform->apply(row, id++));
            if (mark >= 0)
                items.last().watermark = row.value(mark);
        }
    }
    if (m_checkBoundary && !checkBoundary(chunk, &items))
        return;
    QSet<qint64> alreadyDelivered;
    if (m_watermark) {
        QString error;
        if (!m_watermark->queued(items, &alreadyDelivered, &error)) {
            fail(Outcome::ConfigError, error);
            return;
        }
        if (chunk.atEnd)
            m_watermark->readToEnd();
    }
    m_read += items.size();
    if (chunk.atEnd) {
        m_sourceDone = true;
        m_dispatcher->setHoldPartialBatches(false);
    }
    if (m_journal) {
        m_journal->recordQueued(items);
        if (chunk.atEnd)
            m_journal->recordSourceDone(m_read);
    }

    Q_EMIT itemsQueued(items);

    QList<Item> valid;
    valid.reserve(items.size());
    for (Item &item : items) {
        if (alreadyDelivered.contains(item.id)) {
            deliverAlready(item);
            continue;
        }
        if (item.isValid()) {
            valid.append(std::move(item));
            continue;
        }
        ItemResult result;
        result.id = item.id;
        result.key = item.key;
        result.status = ItemStatus::Invalid;
        result.error = item.error;
        ++m_invalid;
        m_notDelivered.insert(item.id, {ItemStatus::Invalid, 0});
        qCWarning(lcTransform).noquote()
            << "item" << item.key << "(row" << item.id + 1 << ") is invalid:" << item.error;
        if (m_journal)
            m_journal->recordFinished(result);
        if (m_watermark)
            m_watermark->finished(item.id, false);
        Q_EMIT itemFinished(result);
    }
    if (!valid.isEmpty())
        m_dispatcher->submit(std::move(valid));
    checkStopAfterFailures();
    if (m_stopping)
        return;

    if (m_sourceDone) {
        // Nothing else is read: give the connection back to the database now.
        releaseSource();
        maybeFinish();
    } else {
        maybeRequestChunk();
    }
}

int TransferRun::watermarkColumn() const
{
    return m_watermark ? m_watermark->columnIndex() : -1;
}

void TransferRun::deliverAlready(const Item &item)
{
    ItemResult result;
    result.id = item.id;
    result.key = item.key;
    result.status = ItemStatus::Delivered;
    result.url = item.url;
    result.note = QStringLiteral("delivered by the previous run (run.watermark): not sent again");
    ++m_delivered;
    ++m_alreadyDelivered;
    if (m_journal)
        m_journal->recordFinished(result);
    m_watermark->finished(item.id, true);
    Q_EMIT itemFinished(result);
}

std::optional<WatermarkState> TransferRun::watermarkState(QString *error) const
{
    error->clear();
    if (!m_watermark || m_state != State::Finished)
        return std::nullopt;
    return m_watermark->state(error);
}

void TransferRun::releaseSource()
{
    // Often called from one of the source's own signals: let it unwind before it goes
    // (its destructor stops the reader, which closes the connection in the background).
    if (!m_source)
        return;
    m_source->disconnect(this);
    m_source.release()->deleteLater();
}

void TransferRun::maybeRequestChunk()
{
    if (m_state != State::Running || m_sourceDone || !m_source || m_source->isFetching())
        return;
    // At most one chunk waits besides the one being sent: memory stays flat, and the
    // next chunk is read while the current one is still keeping the network busy.
    // In a bulk mode, enough for every request of the window to carry a whole batch.
    const qsizetype window
        = qsizetype(m_dispatcher->itemsPerRequest()) * m_dispatcher->concurrency();
    const qsizetype chunk = std::max<qsizetype>(m_spec.run.chunkSize, window);
    // The journal's writer keeps up, or reading waits for it (written() calls again).
    if (m_journal && m_journal->backlog() > JournalBacklogChunks * chunk)
        return;
    if (m_dispatcher->backlog() <= chunk)
        m_source->requestChunk();
}

void TransferRun::onItemStatus(qint64 id, ItemStatus status, int attempts)
{
    if (status == ItemStatus::Retrying)
        m_retrying.insert(id);
    else
        m_retrying.remove(id);
    const int total = attempts + m_priorAttempts.value(id);
    if (m_journal)
        m_journal->recordStatus(id, status, total);
    Q_EMIT itemStatusChanged(id, status, total);
}

void TransferRun::onItemFinished(const ItemResult &result)
{
    m_retrying.remove(result.id);
    if (m_watermark)
        m_watermark->finished(result.id, result.status == ItemStatus::Delivered);
    const int prior = m_priorAttempts.take(result.id);
    if (result.status == ItemStatus::Delivered) {
        ++m_delivered;
        m_mayHaveArrived.remove(result.id);
        m_idempotencyKeys.remove(result.id);
    } else {
        if (!result.idempotencyKey.isEmpty())
            m_idempotencyKeys.insert(result.id, result.idempotencyKey);
        ++m_failed;
        m_notDelivered.insert(result.id, {result.status, result.attempts + prior});
        // Remembered for a retry: a CouchDB conflict then means that attempt arrived.
        if (result.mayHaveArrived)
            m_mayHaveArrived.insert(result.id);
    }
    if (prior == 0) {
        if (m_journal)
            m_journal->recordFinished(result);
        Q_EMIT itemFinished(result);
    } else {
        ItemResult counted = result;
        counted.attempts += prior;
        if (m_journal)
            m_journal->recordFinished(counted);
        Q_EMIT itemFinished(counted);
    }
    checkStopAfterFailures();
    maybeRequestChunk();
}

void TransferRun::checkStopAfterFailures()
{
    const int limit = m_spec.run.stopAfterFailures;
    // The failures of this process: a resume of a run that this limit stopped (or that had
    // failures) must not stop at once on the ones its journal holds.
    const qint64 held = m_options.resume
        ? m_options.resume->summary.failed + m_options.resume->summary.invalid
        : 0;
    if (limit <= 0 || m_stopping || m_cancelling || m_state == State::Finished || !m_dispatcher
        || m_failed + m_invalid - held < limit)
        return;
    // The requests in flight are answered rather than aborted: an aborted request leaves its
    // item not knowing whether it arrived, and a stop is about failing items, not haste.
    qCWarning(lcRun, "stopping: %d items failed or were invalid (run.stopAfterFailures)", limit);
    m_stopping = true;
    m_sourceDone = true;
    releaseSource();
    m_dispatcher->stop();
    maybeFinish();
}

void TransferRun::maybeFinish()
{
    if (m_state == State::Finished || !m_sourceDone || !m_dispatcher)
        return;
    if (m_dispatcher->backlog() > 0 || m_dispatcher->inFlight() > 0)
        return;
    if (m_pendingOutcome)
        finish(*m_pendingOutcome, m_pendingMessage);
    else if (m_cancelling || m_wasCancelled)
        finish(Outcome::Cancelled, {});
    else if (m_stopping)
        finish(Outcome::Stopped,
               QStringLiteral("stopped after %1 failed or invalid items (run.stopAfterFailures)")
                   .arg(m_spec.run.stopAfterFailures));
    else
        finish(Outcome::Completed, {});
}

void TransferRun::pause()
{
    if (m_state != State::Running)
        return;
    if (m_dispatcher)
        m_dispatcher->pause();
    setState(State::Paused);
}

void TransferRun::resume()
{
    if (m_state != State::Paused)
        return;
    if (m_dispatcher)
        m_dispatcher->resume();
    setState(State::Running);
    maybeRequestChunk();
}

void TransferRun::cancel()
{
    if (m_state == State::Finished || m_state == State::Idle)
        return;
    if (!m_dispatcher) {
        // Still connecting: nothing was read or sent.
        finish(Outcome::Cancelled, {});
        return;
    }
    m_cancelling = true;
    m_sourceDone = true;
    releaseSource();
    m_dispatcher->cancel();
    maybeFinish();
}

QString TransferRun::protocol() const
{
    return m_dispatcher ? m_dispatcher->protocol() : QString();
}

int TransferRun::window() const
{
    return m_dispatcher ? m_dispatcher->window() : 0;
}

void TransferRun::fail(Outcome outcome, const QString &message)
{
    if (m_state == State::Finished || m_pendingOutcome)
        return;
    // Every front end reports finished()'s message itself (the Run tab, `sluice run` on
    // stderr): a warning here printed a failed login twice on a terminal.
    qCDebug(lcRun).noquote() << message;
    if (m_dispatcher && (m_dispatcher->backlog() > 0 || m_dispatcher->inFlight() > 0)) {
        // The database failed mid-run: what was read is still owed a result, so the
        // run ends once the dispatcher has reported every item.
        m_pendingOutcome = outcome;
        m_pendingMessage = message;
        m_cancelling = true;
        m_sourceDone = true;
        releaseSource();
        m_dispatcher->cancel();
        maybeFinish();
        return;
    }
    finish(outcome, message);
}

void TransferRun::finish(Outcome outcome, const QString &message)
{
    m_statistics.finish(activeMs());
    m_spentSeconds += m_clock.isValid() ? double(m_clock.nsecsElapsed()) / 1e9 : 0.0;
    m_finalSeconds = m_spentSeconds;
    m_finishedAt = QDateTime::currentDateTime();
    if (m_journal) {
        m_journal->recordEnd(journalEndFor(outcome), message, m_delivered, m_failed, m_invalid);
        // Whoever hears finished() may read the journal: it is complete by then (one
        // transaction, written at once).
        m_journal->flush();
    }
    releaseSource();
    setState(State::Finished);
    Q_EMIT finished(outcome, message);
}

} // namespace sluice
