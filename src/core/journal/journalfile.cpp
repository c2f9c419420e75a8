// SPDX-License-Identifier: GPL-3.0-or-later
#include "journalfile.h"

#include "journal/sqlitedb.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QStandardPaths>

#include <sqlite3.h>

#include <algorithm>

namespace sluice {

// The journal stores ItemStatus as its number: these must never change.
static_assert(int(ItemStatus::Queued) == 0 && int(ItemStatus::Sending) == 1
              && int(ItemStatus::Retrying) == 2 && int(ItemStatus::Delivered) == 3
              && int(ItemStatus::Failed) == 4 && int(ItemStatus::Invalid) == 5);

namespace journal {

quint64 itemDigest(const QString &key, const QByteArray &payload, const QString &error)
{
    quint64 hash = 14695981039346656037ULL;
    const auto add = [&hash](const QByteArray &bytes) {
        for (const char c : bytes) {
            hash ^= quint8(c);
            hash *= 1099511628211ULL;
        }
        hash ^= 0xff; // a separator no UTF-8 text holds
        hash *= 1099511628211ULL;
    };
    add(key.toUtf8());
    add(payload);
    add(error.toUtf8());
    return hash;
}

namespace {

/// Format 1's tables.
const char *const Schema = R"sql(
CREATE TABLE run (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  transfer TEXT NOT NULL,
  transfer_file TEXT,
  base_dir TEXT,
  sluice_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  rows_read INTEGER NOT NULL DEFAULT 0,
  source_done INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE segment (
  n INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  pid INTEGER,
  outcome TEXT,
  message TEXT,
  delivered INTEGER,
  failed INTEGER,
  invalid INTEGER
);
CREATE TABLE item (
  id INTEGER PRIMARY KEY,
  key TEXT,
  status INTEGER NOT NULL,
  http_status INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  note TEXT,
  may_have_arrived INTEGER NOT NULL DEFAULT 0,
  cancelled INTEGER NOT NULL DEFAULT 0,
  url TEXT,
  payload BLOB,
  response BLOB,
  request_id TEXT,
  idempotency_key TEXT,
  digest INTEGER
);
)sql";

/// Format 2 adds this: consecutive items delivered alike, one row for them all (a bulk
/// request's items, or a stretch of single requests): items first .. first + count - 1, each
/// Delivered with this HTTP status after this many attempts, with no payload, error, note or
/// request id left to keep. keys: NULL when each is the default key (the row number), else a
/// JSON array of them, in id order. An item is in the item table or in one run, never both.
const char *const DeliveredRunSchema = R"sql(
CREATE TABLE delivered_run (
  first INTEGER PRIMARY KEY,
  count INTEGER NOT NULL,
  http_status INTEGER,
  attempts INTEGER NOT NULL,
  keys TEXT
);
)sql";

/// Added within format 2: the shard a run read, "K/N", or NULL (see journal/journalfile.h).
const char *const ShardColumn = "ALTER TABLE run ADD COLUMN shard TEXT;";

} // namespace

bool hasShardColumn(SqliteDb &db)
{
    return db.scalar("SELECT count(*) FROM pragma_table_info('run') WHERE name = 'shard'") > 0;
}

bool hasDeliveredRuns(SqliteDb &db)
{
    return db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'delivered_run'") > 0;
}

bool DeliveredRun::read(const SqliteStatement &row)
{
    first = row.intValue(0);
    count = row.intValue(1);
    httpStatus = int(row.intValue(2));
    attempts = int(row.intValue(3));
    keys.clear();
    if (count <= 0)
        return false;
    if (row.isNull(4))
        return true;
    const QJsonArray array = QJsonDocument::fromJson(row.blobValue(4)).array();
    if (array.size() != count)
        return false;
    keys.reserve(array.size());
    for (const QJsonValue &key : array) {
        if (!key.isString())
            return false;
        keys.append(key.toString());
    }
    return true;
}

QString DeliveredRun::key(qint64 id) const
{
    return keys.isEmpty() ? QString::number(id + 1) : keys.at(id - first);
}

bool upgradeSchema(SqliteDb &db, QString *error)
{
    if (db.scalar("PRAGMA user_version") >= FormatVersion)
        return true;
    if (!db.exec("BEGIN IMMEDIATE") || !db.exec(DeliveredRunSchema)
        || !db.exec(
            QByteArray("PRAGMA user_version=" + QByteArray::number(FormatVersion)).constData())
        || !db.exec("COMMIT")) {
        *error = db.error();
        db.exec("ROLLBACK");
        return false;
    }
    return true;
}

bool prepareSchema(SqliteDb &db, bool create, QString *error)
{
    // A file that is not a database at all fails here, on the first read.
    const qint64 applicationId = db.scalar("PRAGMA application_id", -1);
    if (!db.error().isEmpty() && applicationId == -1) {
        *error = db.errorCode() == SQLITE_NOTADB || db.errorCode() == SQLITE_CORRUPT
            ? QStringLiteral("not a Sluice journal, or a damaged one (%1)").arg(db.error())
            : db.error();
        return false;
    }
    const qint64 tables = db.scalar("SELECT count(*) FROM sqlite_master");
    if (tables == 0 && create) {
        if (!db.exec("PRAGMA journal_mode=WAL")
            || !db.exec(QByteArray("PRAGMA application_id=" + QByteArray::number(ApplicationId)
                                   + ";PRAGMA user_version=" + QByteArray::number(FormatVersion))
                            .constData())
            || !db.exec("BEGIN") || !db.exec(Schema) || !db.exec(DeliveredRunSchema)
            || !db.exec(ShardColumn) || !db.exec("COMMIT")) {
            *error = db.error();
            return false;
        }
        return true;
    }
    if (tables == 0) {
        *error = QStringLiteral("not a Sluice journal: the file holds nothing");
        return false;
    }
    if (applicationId != ApplicationId) {
        *error = QStringLiteral("not a Sluice journal (a SQLite database of something else)");
        return false;
    }
    const qint64 version = db.scalar("PRAGMA user_version");
    if (version > FormatVersion) {
        *error = QStringLiteral("written by a newer Sluice (journal format %1; this Sluice reads "
                                "format %2 and older): open it with that version")
                     .arg(version)
                     .arg(FormatVersion);
        return false;
    }
    if (version < 1) {
        *error = QStringLiteral("not a Sluice journal (no format version)");
        return false;
    }
    if (db.scalar("SELECT count(*) FROM run") != 1) {
        *error = QStringLiteral("a damaged journal: it holds no run");
        return false;
    }
    return true;
}

} // namespace journal

QString journalEndName(JournalEnd end)
{
    switch (end) {
    case JournalEnd::None:
        return {};
    case JournalEnd::Completed:
        return QStringLiteral("completed");
    case JournalEnd::Cancelled:
        return QStringLiteral("cancelled");
    case JournalEnd::Stopped:
        return QStringLiteral("stopped");
    case JournalEnd::ConfigError:
        return QStringLiteral("config-error");
    case JournalEnd::SourceError:
        return QStringLiteral("source-error");
    }
    return {};
}

JournalEnd journalEndFromName(const QString &name)
{
    for (const JournalEnd end : {JournalEnd::Completed, JournalEnd::Cancelled, JournalEnd::Stopped,
                                 JournalEnd::ConfigError, JournalEnd::SourceError}) {
        if (journalEndName(end) == name)
            return end;
    }
    return JournalEnd::None;
}

namespace {

bool openJournal(SqliteDb &db, const QString &fileName, QString *error)
{
    const auto failWith = [&](const QString &why) {
        *error = QStringLiteral("journal %1: %2").arg(QDir::toNativeSeparators(fileName), why);
        return false;
    };
    if (!QFileInfo::exists(fileName))
        return failWith(QStringLiteral("no such file"));
    // Read-write, not read-only: WAL readers need the shared-memory file, which a read-only
    // connection cannot create when the writer is gone.
    if (!db.open(fileName, false))
        return failWith(db.error());
    QString why;
    if (!journal::prepareSchema(db, false, &why))
        return failWith(why);
    return true;
}

QDateTime timeFrom(const QString &text)
{
    return text.isEmpty() ? QDateTime() : QDateTime::fromString(text, Qt::ISODateWithMs);
}

bool readSummaryFrom(SqliteDb &db, const QString &fileName, JournalSummary *summary, QString *error)
{
    summary->fileName = fileName;
    SqliteStatement run;
    if (!run.prepare(db, "SELECT transfer_file, rows_read, source_done FROM run") || !run.step()) {
        *error = db.error();
        return false;
    }
    summary->transferFile = run.textValue(0);
    summary->transferName = QFileInfo(summary->transferFile).completeBaseName();
    summary->rowsRead = run.intValue(1);
    summary->sourceDone = run.intValue(2) != 0;

    SqliteStatement segments;
    if (!segments.prepare(db,
                          "SELECT started_at, ended_at, outcome, message FROM segment "
                          "ORDER BY n")) {
        *error = db.error();
        return false;
    }
    while (segments.step()) {
        if (summary->segments++ == 0)
            summary->startedAt = timeFrom(segments.textValue(0));
        summary->endedAt = timeFrom(segments.textValue(1));
        summary->end = journalEndFromName(segments.textValue(2));
        summary->endMessage = segments.textValue(3);
    }

    SqliteStatement counts;
    if (!counts.prepare(db, "SELECT status, cancelled, count(*) FROM item GROUP BY 1, 2")) {
        *error = db.error();
        return false;
    }
    while (counts.step()) {
        const auto status = ItemStatus(counts.intValue(0));
        const qint64 n = counts.intValue(2);
        if (status == ItemStatus::Delivered)
            summary->delivered += n;
        else if (status == ItemStatus::Invalid)
            summary->invalid += n;
        else if (status == ItemStatus::Failed && counts.intValue(1) == 0)
            summary->failed += n;
        else
            summary->unfinished += n;
    }
    if (journal::hasDeliveredRuns(db)) {
        SqliteStatement runs;
        if (!runs.prepare(db, "SELECT coalesce(sum(count), 0) FROM delivered_run")
            || !runs.step()) {
            *error = db.error();
            return false;
        }
        summary->delivered += runs.intValue(0);
    }
    QLockFile lock(JournalFile::lockFileName(fileName));
    summary->inUse = !lock.tryLock(0) && lock.error() == QLockFile::LockFailedError;
    return true;
}

} // namespace

std::optional<JournalSummary> JournalFile::readSummary(const QString &fileName, QString *error)
{
    SqliteDb db;
    if (!openJournal(db, fileName, error))
        return std::nullopt;
    JournalSummary summary;
    QString why;
    if (!readSummaryFrom(db, fileName, &summary, &why)) {
        *error = QStringLiteral("journal %1: %2").arg(QDir::toNativeSeparators(fileName), why);
        return std::nullopt;
    }
    return summary;
}

std::optional<ResumeState> JournalFile::readResumeState(const QString &fileName, QString *error)
{
    SqliteDb db;
    if (!openJournal(db, fileName, error))
        return std::nullopt;
    const auto failWith = [&](const QString &why) {
        *error = QStringLiteral("journal %1: %2").arg(QDir::toNativeSeparators(fileName), why);
        return std::nullopt;
    };
    ResumeState state;
    QString why;
    if (!db.exec("BEGIN") || !readSummaryFrom(db, fileName, &state.summary, &why))
        return failWith(why.isEmpty() ? db.error() : why);

    SqliteStatement run;
    if (!run.prepare(db, "SELECT transfer, base_dir, rows_read, source_done FROM run")
        || !run.step())
        return failWith(db.error());
    QList<SpecError> specErrors;
    if (!TransferSpec::fromJson(run.blobValue(0), &state.spec, &specErrors, run.textValue(1))) {
        QStringList lines;
        for (const SpecError &e : std::as_const(specErrors))
            lines.append(e.toString());
        return failWith(QStringLiteral("its transfer cannot be read: ") + lines.join(u"; "));
    }
    state.rowsRead = run.intValue(2);
    state.sourceDone = run.intValue(3) != 0;
    if (journal::hasShardColumn(db)) {
        SqliteStatement shard;
        if (!shard.prepare(db, "SELECT shard FROM run") || !shard.step())
            return failWith(db.error());
        if (!shard.isNull(0)) {
            QString why;
            state.shard = Shard::fromText(shard.textValue(0), &why);
            if (!state.shard)
                return failWith(QStringLiteral("a damaged journal: its shard \"%1\": %2")
                                    .arg(shard.textValue(0), why));
        }
    }

    if (state.rowsRead > 0) {
        SqliteStatement boundary;
        if (!boundary.prepare(db, "SELECT key, digest FROM item WHERE id = ?"))
            return failWith(db.error());
        boundary.bindInt(1, state.rowsRead - 1);
        if (!boundary.step())
            return failWith(
                QStringLiteral("a damaged journal: row %1 is missing").arg(state.rowsRead));
        state.boundaryKey
            = boundary.isNull(0) ? QString::number(state.rowsRead) : boundary.textValue(0);
        state.boundaryDigest = quint64(boundary.intValue(1));
    }

    SqliteStatement items;
    if (!items.prepare(db,
                       "SELECT id, key, status, attempts, may_have_arrived, cancelled, url, "
                       "payload, error, idempotency_key FROM item WHERE status NOT IN (3) "
                       "ORDER BY id"))
        return failWith(db.error());
    bool ok = true;
    while (items.step(&ok)) {
        const qint64 id = items.intValue(0);
        const auto status = ItemStatus(items.intValue(2));
        const int attempts = int(items.intValue(3));
        const bool cancelled = items.intValue(5) != 0;
        if (attempts > 0)
            state.attempts.insert(id, attempts);
        if (status == ItemStatus::Invalid || (status == ItemStatus::Failed && !cancelled)) {
            state.notDelivered.insert(id, status);
            continue;
        }
        Item item;
        item.id = id;
        item.key = items.isNull(1) ? QString::number(id + 1) : items.textValue(1);
        item.url = items.textValue(6);
        item.payload = items.blobValue(7);
        item.idempotencyKey = items.textValue(9).toUtf8();
        // Sent and not answered for (or answered "try again" after one that was not): the
        // server may hold it. Conservative: any attempt counts.
        if (attempts > 0 || items.intValue(4) != 0)
            state.mayHaveArrived.insert(id);
        state.unfinished.append(std::move(item));
    }
    if (!ok)
        return failWith(db.error());
    db.exec("COMMIT");
    return state;
}

bool JournalFile::forEachFailure(const QString &fileName,
                                 const std::function<void(const ItemResult &)> &visit,
                                 QString *error)
{
    SqliteDb db;
    if (!openJournal(db, fileName, error))
        return false;
    SqliteStatement items;
    if (!items.prepare(db,
                       "SELECT id, key, status, http_status, attempts, error, response, url, "
                       "request_id FROM item WHERE (status = ? AND cancelled = 0) OR status = ? "
                       "ORDER BY id")) {
        *error = db.error();
        return false;
    }
    items.bindInt(1, int(ItemStatus::Failed));
    items.bindInt(2, int(ItemStatus::Invalid));
    bool ok = true;
    ItemResult result;
    while (items.step(&ok)) {
        result.id = items.intValue(0);
        result.key = items.isNull(1) ? QString::number(result.id + 1) : items.textValue(1);
        result.status = ItemStatus(items.intValue(2));
        result.httpStatus = int(items.intValue(3));
        result.attempts = int(items.intValue(4));
        result.error = items.textValue(5);
        result.responseBody = items.blobValue(6);
        result.url = items.textValue(7);
        result.requestId = items.textValue(8).toLatin1();
        visit(result);
    }
    if (!ok)
        *error = db.error();
    return ok;
}

bool JournalFile::forEachItem(const QString &fileName,
                              const std::function<void(const JournalItem &)> &visit, QString *error)
{
    SqliteDb db;
    if (!openJournal(db, fileName, error))
        return false;
    SqliteStatement items;
    if (!items.prepare(db,
                       "SELECT id, key, status, http_status, attempts, error, note, "
                       "may_have_arrived, cancelled, url, payload, response, request_id, "
                       "idempotency_key FROM item ORDER BY id")) {
        *error = db.error();
        return false;
    }
    // The runs of delivered items, merged into the item rows by id.
    SqliteStatement runs;
    const bool withRuns = journal::hasDeliveredRuns(db);
    if (withRuns
        && !runs.prepare(db,
                         QByteArray(QByteArray("SELECT ") + journal::DeliveredRunColumns
                                    + " FROM delivered_run ORDER BY first")
                             .constData())) {
        *error = db.error();
        return false;
    }
    bool ok = true;
    bool haveItem = items.step(&ok);
    bool haveRun = ok && withRuns && runs.step(&ok);
    journal::DeliveredRun run;
    JournalItem j;
    while (ok && (haveItem || haveRun)) {
        if (haveRun && (!haveItem || runs.intValue(0) < items.intValue(0))) {
            if (!run.read(runs)) {
                *error = QStringLiteral("a damaged journal: the delivered items from row %1 "
                                        "cannot be read")
                             .arg(runs.intValue(0) + 1);
                return false;
            }
            JournalItem delivered;
            delivered.status = ItemStatus::Delivered;
            delivered.httpStatus = run.httpStatus;
            delivered.attempts = run.attempts;
            for (qint64 id = run.first; id < run.first + run.count; ++id) {
                delivered.item.id = id;
                delivered.item.key = run.key(id);
                visit(delivered);
            }
            haveRun = runs.step(&ok);
            continue;
        }
        j.item.id = items.intValue(0);
        j.item.key = items.isNull(1) ? QString::number(j.item.id + 1) : items.textValue(1);
        j.status = ItemStatus(items.intValue(2));
        j.httpStatus = int(items.intValue(3));
        j.attempts = int(items.intValue(4));
        j.lastError = items.textValue(5);
        j.item.error = j.status == ItemStatus::Invalid ? j.lastError : QString();
        j.note = items.textValue(6);
        j.mayHaveArrived = items.intValue(7) != 0;
        j.cancelled = items.intValue(8) != 0;
        j.item.url = items.textValue(9);
        j.item.payload = items.blobValue(10);
        j.response = items.blobValue(11);
        j.requestId = items.textValue(12).toLatin1();
        j.item.idempotencyKey = items.textValue(13).toUtf8();
        visit(j);
        haveItem = items.step(&ok);
    }
    if (!ok) {
        *error = db.error();
        return false;
    }
    return true;
}

QList<JournalSummary> JournalFile::listRuns(const QString &folder)
{
    QList<JournalSummary> runs;
    const QDir dir(folder);
    const QStringList names = dir.entryList({QStringLiteral("*.") + QLatin1String(journal::Suffix)},
                                            QDir::Files, QDir::Name);
    for (const QString &name : names) {
        QString error;
        if (auto summary = readSummary(dir.filePath(name), &error))
            runs.append(std::move(*summary));
    }
    std::stable_sort(
        runs.begin(), runs.end(),
        [](const JournalSummary &a, const JournalSummary &b) { return a.startedAt > b.startedAt; });
    return runs;
}

QString JournalFile::defaultFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("runs"));
}

QString JournalFile::newFileName(const QString &folder, const QString &transferFile,
                                 const QDateTime &at)
{
    QString base = QFileInfo(transferFile).completeBaseName();
    if (base.isEmpty())
        base = QStringLiteral("transfer");
    const QString stamp = at.toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString name = QDir(folder).filePath(
        QStringLiteral("%1-%2.%3").arg(base, stamp, QLatin1String(journal::Suffix)));
    QString free = name;
    for (int n = 2; QFileInfo::exists(free); ++n)
        free = numberedFileName(name, n);
    return free;
}

QString JournalFile::numberedFileName(const QString &fileName, int n)
{
    const QString suffix = QLatin1Char('.') + QLatin1String(journal::Suffix);
    const QString base = fileName.endsWith(suffix) ? fileName.chopped(suffix.size()) : fileName;
    return QStringLiteral("%1-%2%3").arg(base).arg(n).arg(suffix);
}

QString JournalFile::lockFileName(const QString &fileName)
{
    return fileName + QStringLiteral(".lock");
}

bool JournalFile::remove(const QString &fileName, QString *error)
{
    QLockFile lock(lockFileName(fileName));
    if (!lock.tryLock(0)) {
        *error = QStringLiteral("journal %1: in use by a running Sluice")
                     .arg(QDir::toNativeSeparators(fileName));
        return false;
    }
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(fileName + suffix);
    if (QFileInfo::exists(fileName) && !QFile::remove(fileName)) {
        *error = QStringLiteral("journal %1: cannot delete it")
                     .arg(QDir::toNativeSeparators(fileName));
        return false;
    }
    return true; // the lock file goes with `lock`
}

int JournalFile::pruneCompleted(const QString &folder, int maxAgeDays)
{
    const QDir dir(folder);
    const QDateTime before = QDateTime::currentDateTime().addDays(-maxAgeDays);
    int removed = 0;
    const QStringList names
        = dir.entryList({QStringLiteral("*.") + QLatin1String(journal::Suffix)}, QDir::Files);
    for (const QString &name : names) {
        const QString file = dir.filePath(name);
        if (QFileInfo(file).lastModified() > before)
            continue;
        bool completed = false;
        {
            SqliteDb db;
            QString error;
            if (!openJournal(db, file, &error))
                continue;
            SqliteStatement last;
            if (!last.prepare(db, "SELECT ended_at, outcome FROM segment ORDER BY n DESC LIMIT 1")
                || !last.step())
                continue;
            const QDateTime ended = timeFrom(last.textValue(0));
            completed = journalEndFromName(last.textValue(1)) == JournalEnd::Completed
                && ended.isValid() && ended < before;
        }
        QString error;
        if (completed && remove(file, &error))
            ++removed;
    }
    return removed;
}

} // namespace sluice
