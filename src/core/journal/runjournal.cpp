// SPDX-License-Identifier: GPL-3.0-or-later
#include "runjournal.h"

#include "journal/sqlitedb.h"
#include "log/logging.h"
#include "util/queuedcall.h"
#include "json/jsonwriter.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>

#include <QHash>

#include <algorithm>
#include <array>
#include <optional>

#include <sqlite3.h>

#include <pthread.h>
#include <unistd.h>

namespace sluice {

struct RunJournal::Batch
{
    enum class Kind : quint8 { Start, Queued, Status, Finished, Requeued, SourceDone, End };
    /// One event, 24 bytes. A plain delivery fits in it (its request id is not kept: an id
    /// is worth looking up in the server's logs for a failure); only a result with texts (a
    /// failure, a note) has an entry in results.
    struct Op
    {
        qint64 id = -1; // Status, Finished, Requeued; SourceDone: rows read
        int attempts = 0;
        /// Queued, Requeued: into chunks; Finished: into results (HasTexts); Start, End:
        /// into ends.
        quint32 index = 0;
        quint16 httpStatus = 0; // Finished
        Kind kind = Kind::Status;
        ItemStatus status = ItemStatus::Queued;
        quint8 flags = 0; // Finished: MayHaveArrived | Cancelled | HasTexts
    };
    static constexpr quint8 MayHaveArrived = 1;
    static constexpr quint8 Cancelled = 2;
    static constexpr quint8 HasTexts = 4;
    static constexpr quint32 NoIndex = ~quint32(0);

    /// What the journal keeps of an item read: its payload (shared, not copied) and, for
    /// the few that have them, its texts. Not the Item: the run goes on using those.
    struct Read
    {
        qint64 id = -1;
        QByteArray payload; // null: none (an invalid item)
        quint32 texts = NoIndex; // into texts
    };
    struct Texts
    {
        QByteArray key; // UTF-8; null: the default key (the row number)
        QString url;
        QString error;
        QByteArray idempotencyKey;
    };
    struct Chunk
    {
        size_t begin = 0; // into reads
        size_t end = 0;
        quint64 digest = 0; // of the last item: the boundary a resume checks
    };
    /// What a finished item with texts (an error, a note, a response) left.
    struct Result
    {
        QString error;
        QString note;
        QByteArray response;
        QByteArray requestId;
    };
    struct EndInfo
    {
        JournalEnd end = JournalEnd::None;
        QString message;
        qint64 counts[3] = {0, 0, 0}; // delivered, failed, invalid
        QDateTime at;
    };

    std::vector<Op> ops;
    std::vector<Read> reads;
    std::vector<Texts> texts;
    std::vector<Chunk> chunks;
    std::vector<Result> results;
    std::vector<EndInfo> ends; // Start (at only) and End
    /// Ops recorded in all (for flush()).
    qsizetype size() const { return qsizetype(ops.size()); }
    bool empty() const { return ops.empty(); }
    void clear()
    {
        ops.clear();
        reads.clear();
        texts.clear();
        chunks.clear();
        results.clear();
        ends.clear();
    }
    /// Keeps what the journal needs of items (in id order) as one chunk; returns its index.
    quint32 addChunk(const QList<Item> &items);
};

namespace {

QString isoNow(const QDateTime &at)
{
    return at.toString(Qt::ISODateWithMs);
}

/// The default key (the 1-based row number) is not stored; tells it without allocating.
bool isRowNumberKey(const QString &key, qint64 id)
{
    if (key.isEmpty() || key.size() > 19 || key.front() == u'0')
        return false;
    qint64 value = 0;
    for (const QChar c : key) {
        if (c < u'0' || c > u'9')
            return false;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value == id + 1;
}

} // namespace

// The writer's rows: named, not anonymous, because RunJournal::Fold (a member type) holds them.
namespace journalwriter {

/// The columns few rows have: kept apart, so that a row is small (the writer holds tens of
/// thousands of rows between two writes in a bulk mode).
struct RowTexts
{
    QString url;
    QString error;
    QString note;
    QByteArray response;
    QByteArray requestId;
    QByteArray idempotencyKey; // insert only
};

/// One item's row as a batch leaves it: what to insert, or which columns to update.
struct Row
{
    enum class Change : quint8 { Status, Result };
    qint64 id = -1;
    bool insert = false; // new in this batch: every column is known
    Change change = Change::Status; // an update: just status and attempts, or the result too
    bool setPayload = false; // an update: payload replaced (dropped on delivery, edited)
    ItemStatus status = ItemStatus::Queued;
    bool mayHaveArrived = false;
    bool cancelled = false;
    bool hasDigest = false;
    quint16 httpStatus = 0;
    int attempts = 0;
    quint64 digest = 0; // hasDigest: the last row of a chunk
    QByteArray key; // insert only, UTF-8; null: the default key (the row number)
    QByteArray payload; // null: none
    std::unique_ptr<RowTexts> texts; // null: every text empty

    RowTexts &setTexts()
    {
        if (!texts)
            texts = std::make_unique<RowTexts>();
        return *texts;
    }
};

} // namespace journalwriter

namespace {

using journalwriter::Row;
using journalwriter::RowTexts;

/// Forgets a result's texts (error, note, response, request id); the URL and idempotency key
/// an insert needs stay.
void clearResultTexts(Row &row)
{
    if (!row.texts)
        return;
    if (row.texts->url.isEmpty() && row.texts->idempotencyKey.isEmpty()) {
        row.texts.reset();
        return;
    }
    row.texts->error.clear();
    row.texts->note.clear();
    row.texts->response = QByteArray();
    row.texts->requestId = QByteArray();
}

/// Null for an empty string: the journal stores no empty texts.
QString textOrNull(const QString &text)
{
    return text.isEmpty() ? QString() : text;
}
QByteArray bytesOrNull(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QByteArray() : bytes;
}

bool isUnfinished(ItemStatus status)
{
    return status == ItemStatus::Queued || status == ItemStatus::Sending
        || status == ItemStatus::Retrying;
}

/// How many numbered names create() tries for a default name before it gives up.
constexpr int MaxNumberedNames = 1000;

/// Rows inserted this many at a time by one statement: a statement's own cost (its start,
/// its end, its reset) is most of a small row's, so a bulk mode's million rows take a fraction.
constexpr int RowsPerInsert = 64;
constexpr int LeanColumns = 8;

/// The columns most rows have (an item delivered or waiting, without an error, a note, an
/// URL of its own, a response, an idempotency key): written by the lean insert.
bool isLean(const Row &r)
{
    return r.insert && !r.texts && !r.mayHaveArrived && !r.cancelled;
}

QByteArray leanInsertSql(int rows)
{
    QByteArray sql = "INSERT INTO item (id, key, status, http_status, attempts, payload, "
                     "request_id, digest) VALUES ";
    for (int i = 0; i < rows; ++i)
        sql += i == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)";
    return sql;
}

/// Binds row to the lean insert's parameters from first on (every one: nothing is cleared).
void bindLean(SqliteStatement &s, int first, const Row &row)
{
    s.bindInt(first, row.id);
    s.bindUtf8(first + 1, row.key);
    s.bindInt(first + 2, int(row.status));
    if (row.httpStatus > 0)
        s.bindInt(first + 3, row.httpStatus);
    else
        s.bindNull(first + 3);
    s.bindInt(first + 4, row.attempts);
    s.bindBlob(first + 5, row.payload);
    s.bindNull(first + 6); // a lean row has no texts, no request id among them
    if (row.hasDigest)
        s.bindInt(first + 7, qint64(row.digest));
    else
        s.bindNull(first + 7);
}

/// The columns a result sets, numbered as the full insert and the result updates share them:
/// id ?1, status ?2, http_status ?3, attempts ?4, error ?5, note ?6, may_have_arrived ?7,
/// cancelled ?8, response ?9, request_id ?10 (then payload ?11).
constexpr char OutcomeColumns[] = "status=?2, http_status=?3, attempts=?4, error=?5, note=?6, "
                                  "may_have_arrived=?7, cancelled=?8, response=?9, request_id=?10";

/// Binds the outcome columns ?1 to ?10 (see OutcomeColumns); nothing else.
void bindOutcome(SqliteStatement &s, const Row &row)
{
    s.bindInt(1, row.id);
    s.bindInt(2, int(row.status));
    if (row.httpStatus > 0)
        s.bindInt(3, row.httpStatus);
    s.bindInt(4, row.attempts);
    const RowTexts noTexts;
    const RowTexts &t = row.texts ? *row.texts : noTexts;
    s.bindText(5, textOrNull(t.error));
    s.bindText(6, textOrNull(t.note));
    s.bindInt(7, row.mayHaveArrived ? 1 : 0);
    s.bindInt(8, row.cancelled ? 1 : 0);
    s.bindBlob(9, bytesOrNull(t.response));
    s.bindUtf8(10, bytesOrNull(t.requestId));
}

/// A row that can go into a run of delivered items (see the delivered_run table): new, lean,
/// delivered, and not the boundary a resume checks (that stays a row of its own).
bool fitsDeliveredRun(const Row &r)
{
    return isLean(r) && r.status == ItemStatus::Delivered && !r.hasDigest && r.payload.isNull();
}

/// Fewer consecutive deliveries than this stay rows of their own.
constexpr size_t MinDeliveredRun = 2;

/// Writes rows[0 .. count) (consecutive ids, each fitsDeliveredRun(), alike in HTTP status
/// and attempts) as one row of delivered_run.
bool writeDeliveredRun(SqliteStatement &s, const Row *rows, size_t count)
{
    const Row &first = rows[0];
    s.bindInt(1, first.id);
    s.bindInt(2, qint64(count));
    if (first.httpStatus > 0)
        s.bindInt(3, first.httpStatus);
    else
        s.bindNull(3);
    s.bindInt(4, first.attempts);
    QByteArray keys;
    if (std::any_of(rows, rows + count, [](const Row &r) { return !r.key.isNull(); })) {
        JsonWriter json(&keys);
        keys += '[';
        for (size_t i = 0; i < count; ++i) {
            if (i > 0)
                keys += ',';
            json.writeString(rows[i].key.isNull() ? QString::number(rows[i].id + 1)
                                                  : QString::fromUtf8(rows[i].key));
        }
        keys += ']';
    }
    s.bindUtf8(5, keys.isEmpty() ? QByteArray() : keys);
    const bool ok = s.run();
    s.reset();
    return ok;
}

/// An update found no row for id: if the item is in a run of delivered items (a second
/// answer, a retry by hand), the run's items become rows of their own again. found: whether
/// it was in one.
bool splitDeliveredRun(SqliteDb &db, qint64 id, bool *found)
{
    *found = false;
    SqliteStatement select;
    if (!select.prepare(db,
                        QByteArray(QByteArray("SELECT ") + journal::DeliveredRunColumns
                                   + " FROM delivered_run WHERE first <= ?1 ORDER BY first "
                                     "DESC LIMIT 1")
                            .constData()))
        return false;
    select.bindInt(1, id);
    bool ok = true;
    if (!select.step(&ok))
        return ok;
    journal::DeliveredRun run;
    if (!run.read(select) || id >= run.first + run.count)
        return true;
    *found = true;
    SqliteStatement remove;
    SqliteStatement insert;
    if (!remove.prepare(db, "DELETE FROM delivered_run WHERE first = ?1")
        || !insert.prepare(db, leanInsertSql(1).constData()))
        return false;
    remove.bindInt(1, run.first);
    if (!remove.run())
        return false;
    Row row;
    row.insert = true;
    row.status = ItemStatus::Delivered;
    row.httpStatus = quint16(run.httpStatus);
    row.attempts = run.attempts;
    for (qint64 item = run.first; item < run.first + run.count; ++item) {
        row.id = item;
        row.key = run.keys.isEmpty() ? QByteArray() : run.key(item).toUtf8();
        bindLean(insert, 1, row);
        if (!insert.run())
            return false;
    }
    return true;
}

/// Runs an update of one item's row (s, its parameters bound); an item that is in a run of
/// delivered items is first given a row of its own.
bool runUpdate(SqliteDb &db, SqliteStatement &s, qint64 id)
{
    if (!s.run())
        return false;
    if (sqlite3_changes(db.handle()) > 0)
        return true;
    bool found = false;
    if (!splitDeliveredRun(db, id, &found))
        return false;
    return !found || s.run();
}

/// Inserts or updates rows in the item table, within the caller's transaction; consecutive
/// new deliveries go into delivered_run.
bool writeRows(SqliteDb &db, const Row *rows, size_t count)
{
    if (count == 0)
        return true;
    SqliteStatement deliveredRun;
    SqliteStatement lean;
    SqliteStatement leanMany;
    SqliteStatement insert;
    SqliteStatement result;
    SqliteStatement status;
    SqliteStatement resultAndPayload;
    const QByteArray updateResult
        = QByteArray("UPDATE item SET ") + OutcomeColumns + " WHERE id=?1";
    const QByteArray updateResultAndPayload
        = QByteArray("UPDATE item SET ") + OutcomeColumns + ", payload=?11 WHERE id=?1";
    if (!lean.prepare(db, leanInsertSql(1).constData())
        || !leanMany.prepare(db, leanInsertSql(RowsPerInsert).constData())
        || !insert.prepare(db,
                           "INSERT INTO item (id, status, http_status, attempts, error, note, "
                           "may_have_arrived, cancelled, response, request_id, payload, key, "
                           "url, idempotency_key, digest) "
                           "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)")
        || !result.prepare(db, updateResult.constData())
        || !status.prepare(db, "UPDATE item SET status=?2, attempts=?3 WHERE id=?1")
        || !resultAndPayload.prepare(db, updateResultAndPayload.constData())
        || !deliveredRun.prepare(db,
                                 "INSERT INTO delivered_run (first, count, http_status, "
                                 "attempts, keys) VALUES (?1,?2,?3,?4,?5)"))
        return false;
    // Lean rows wait here until there are enough for one statement.
    std::array<const Row *, RowsPerInsert> waiting {};
    int waitingCount = 0;
    for (size_t i = 0; i < count; ++i) {
        const Row &row = rows[i];
        if (fitsDeliveredRun(row)) {
            size_t end = i + 1;
            while (end < count && fitsDeliveredRun(rows[end])
                   && rows[end].id == rows[end - 1].id + 1 && rows[end].httpStatus == row.httpStatus
                   && rows[end].attempts == row.attempts)
                ++end;
            if (end - i >= MinDeliveredRun) {
                if (!writeDeliveredRun(deliveredRun, rows + i, end - i))
                    return false;
                i = end - 1;
                continue;
            }
        }
        if (isLean(row)) {
            waiting[size_t(waitingCount++)] = &row;
            if (waitingCount == RowsPerInsert) {
                for (int w = 0; w < RowsPerInsert; ++w)
                    bindLean(leanMany, 1 + w * LeanColumns, *waiting[size_t(w)]);
                if (!leanMany.run())
                    return false;
                waitingCount = 0;
            }
            continue;
        }
        if (row.insert || row.change == Row::Change::Result) {
            // A delivery drops the payload in the same statement that records it.
            SqliteStatement &s = row.insert ? insert : row.setPayload ? resultAndPayload : result;
            bindOutcome(s, row);
            if (row.insert || row.setPayload)
                s.bindBlob(11, row.payload);
            if (row.insert) {
                const RowTexts noTexts;
                const RowTexts &t = row.texts ? *row.texts : noTexts;
                s.bindUtf8(12, row.key);
                s.bindText(13, textOrNull(t.url));
                s.bindUtf8(14, bytesOrNull(t.idempotencyKey));
                if (row.hasDigest)
                    s.bindInt(15, qint64(row.digest));
            }
            if (!(row.insert ? s.run() : runUpdate(db, s, row.id)))
                return false;
            s.reset();
            continue;
        }
        status.bindInt(1, row.id);
        status.bindInt(2, int(row.status));
        status.bindInt(3, row.attempts);
        if (!runUpdate(db, status, row.id))
            return false;
        status.reset();
    }
    for (int w = 0; w < waitingCount; ++w) {
        bindLean(lean, 1, *waiting[size_t(w)]);
        if (!lean.run())
            return false;
    }
    return true;
}

} // namespace

quint32 RunJournal::Batch::addChunk(const QList<Item> &items)
{
    Chunk chunk;
    chunk.begin = reads.size();
    for (const Item &item : items) {
        Read &read = reads.emplace_back();
        read.id = item.id;
        read.payload = item.payload;
        if (read.payload.isNull() && item.isValid())
            read.payload = QByteArray("");
        const bool defaultKey = isRowNumberKey(item.key, item.id);
        if (!defaultKey || !item.url.isEmpty() || !item.error.isEmpty()
            || !item.idempotencyKey.isEmpty()) {
            read.texts = quint32(texts.size());
            texts.push_back({defaultKey ? QByteArray() : item.key.toUtf8(), item.url, item.error,
                             item.idempotencyKey});
        }
    }
    chunk.end = reads.size();
    const Item &last = items.constLast();
    chunk.digest = journal::itemDigest(last.key, last.payload, last.error);
    chunks.push_back(chunk);
    return quint32(chunks.size() - 1);
}

/// What the writer folds batches into: one row per item, found by id. Items read from the
/// source (inserts) have consecutive ids and sit in a plain vector; updates of items written
/// before (a retry, a late answer) are looked up by hash. Lives on the writer thread only;
/// keeps the chunks it holds back from one batch to the next (see writeBatch()).
struct RunJournal::Fold
{
    std::vector<Row> inserts; ///< ids insertBase, insertBase + 1, ...
    qint64 insertBase = -1;
    std::vector<Row> updates;
    QHash<qint64, qsizetype> updateIndex;
    /// First and end id of each chunk queued since the last write.
    std::vector<std::pair<qint64, qint64>> chunks;
    qint64 sourceDone = -1; ///< held back with the rows: the source's end, rows read in all
    QDateTime startedAt; ///< a segment started (valid) in the batch
    std::optional<Batch::EndInfo> end; ///< the segment ended in the batch
    quint64 heldOps = 0; ///< ops whose effect is held back (flush() waits for them)

    Row &row(qint64 id)
    {
        if (insertBase >= 0 && id >= insertBase && id - insertBase < qint64(inserts.size()))
            return inserts[size_t(id - insertBase)];
        auto it = updateIndex.constFind(id);
        if (it == updateIndex.cend()) {
            it = updateIndex.insert(id, qsizetype(updates.size()));
            updates.emplace_back().id = id;
        }
        return updates[size_t(*it)];
    }
    /// A row for an item read from the source: appended when its id follows the last one.
    Row &insert(qint64 id)
    {
        if (inserts.empty())
            insertBase = id;
        if (id == insertBase + qint64(inserts.size())) {
            Row &r = inserts.emplace_back();
            r.id = id;
            return r;
        }
        return row(id); // not consecutive (never seen): written as an update-table insert
    }
    /// Between batches (after writeBatch()), the only rows left are those held back.
    bool holding() const { return !inserts.empty(); }
};

RunJournal::RunJournal(QString fileName)
    : m_fileName(std::move(fileName))
    , m_pending(std::make_unique<Batch>())
{ }

RunJournal::~RunJournal()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    m_db.reset();
}

std::unique_ptr<RunJournal> RunJournal::create(const QString &requested, const Header &header,
                                               QString *error, const std::optional<Shard> &shard,
                                               NameTaken taken)
{
    if (!QDir().mkpath(QFileInfo(requested).absolutePath())) {
        *error = QStringLiteral("journal %1: cannot create its folder")
                     .arg(QDir::toNativeSeparators(requested));
        return nullptr;
    }
    // The lock is the claim: taken with O_EXCL, so of two processes wanting one name only
    // one gets it; the file is checked again under it (a run that has ended holds none).
    std::unique_ptr<RunJournal> journal;
    for (int n = 1; !journal; ++n) {
        const QString fileName = n == 1 ? requested : JournalFile::numberedFileName(requested, n);
        const QString shown = QDir::toNativeSeparators(fileName);
        auto lock = std::make_unique<QLockFile>(JournalFile::lockFileName(fileName));
        lock->setStaleLockTime(0);
        const bool exists = QFileInfo::exists(fileName);
        const bool locked = !exists && lock->tryLock(0);
        if (locked && !QFileInfo::exists(fileName)) {
            journal.reset(new RunJournal(fileName));
            journal->m_lock = std::move(lock);
        } else if (taken == NameTaken::Fail || n == MaxNumberedNames) {
            *error = exists || locked
                ? QStringLiteral("journal %1: the file exists already").arg(shown)
                : QStringLiteral("journal %1: cannot lock it (%2)")
                      .arg(shown, JournalFile::lockFileName(fileName));
            return nullptr;
        }
    }
    const QString fileName = journal->m_fileName;
    const QString shown = QDir::toNativeSeparators(fileName);
    auto db = std::make_unique<SqliteDb>();
    QString why;
    if (!db->open(fileName, true) || !journal::prepareSchema(*db, true, &why)) {
        *error = QStringLiteral("journal %1: %2").arg(shown, why.isEmpty() ? db->error() : why);
        return nullptr;
    }
    SqliteStatement insert;
    if (!insert.prepare(*db,
                        "INSERT INTO run (id, transfer, transfer_file, base_dir, "
                        "sluice_version, created_at) VALUES (1, ?, ?, ?, ?, ?)")) {
        *error = QStringLiteral("journal %1: %2").arg(shown, db->error());
        return nullptr;
    }
    insert.bindBlob(1, header.transfer);
    insert.bindText(2,
                    header.transferFile.isEmpty()
                        ? QString()
                        : QFileInfo(header.transferFile).absoluteFilePath());
    insert.bindText(3, header.baseDir);
    insert.bindText(4, QStringLiteral(SLUICE_VERSION));
    insert.bindText(5, isoNow(QDateTime::currentDateTime()));
    if (!insert.run()) {
        *error = QStringLiteral("journal %1: %2").arg(shown, db->error());
        return nullptr;
    }
    if (shard) {
        SqliteStatement update;
        bool ok = update.prepare(*db, "UPDATE run SET shard = ?");
        if (ok) {
            update.bindText(1, shard->toText());
            ok = update.run();
        }
        if (!ok) {
            *error = QStringLiteral("journal %1: %2").arg(shown, db->error());
            return nullptr;
        }
    }
    if (!journal->startWriter(std::move(db), error))
        return nullptr;
    return journal;
}

std::unique_ptr<RunJournal> RunJournal::reopen(const QString &fileName, QString *error)
{
    const QString shown = QDir::toNativeSeparators(fileName);
    if (!QFileInfo::exists(fileName)) {
        *error = QStringLiteral("journal %1: no such file").arg(shown);
        return nullptr;
    }
    std::unique_ptr<RunJournal> journal(new RunJournal(fileName));
    journal->m_lock = std::make_unique<QLockFile>(JournalFile::lockFileName(fileName));
    journal->m_lock->setStaleLockTime(0);
    if (!journal->m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        journal->m_lock->getLockInfo(&pid, &host, &app);
        *error = QStringLiteral("journal %1: in use by another Sluice (process %2): a run "
                                "goes on in one process at a time")
                     .arg(shown)
                     .arg(pid);
        return nullptr;
    }
    auto db = std::make_unique<SqliteDb>();
    QString why;
    if (!db->open(fileName, false) || !journal::prepareSchema(*db, false, &why)
        || !journal::upgradeSchema(*db, &why)) {
        *error = QStringLiteral("journal %1: %2").arg(shown, why.isEmpty() ? db->error() : why);
        return nullptr;
    }
    if (!journal->startWriter(std::move(db), error))
        return nullptr;
    return journal;
}

bool RunJournal::startWriter(std::unique_ptr<SqliteDb> db, QString *error)
{
    // FULL: a committed batch is on the disk, not only in the OS's cache. About ten commits
    // a second, so the syncs cost little.
    if (!db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL")) {
        *error = QStringLiteral("journal %1: %2")
                     .arg(QDir::toNativeSeparators(m_fileName), db->error());
        return false;
    }
    m_db = std::move(db);
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "sluice-journal");
        writerLoop();
    });
    return true;
}

template<typename Fill>
void RunJournal::append(qsizetype weight, const Fill &fill)
{
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        Batch &batch = *m_pending;
        wake = batch.empty();
        fill(batch);
        m_pendingCount += weight;
        ++m_recorded;
    }
    if (wake)
        m_wake.notify_one();
}

void RunJournal::recordStart()
{
    append(1, [&](Batch &b) {
        b.ends.push_back({JournalEnd::None, {}, {0, 0, 0}, QDateTime::currentDateTime()});
        Batch::Op &op = b.ops.emplace_back();
        op.kind = Batch::Kind::Start;
        op.index = quint32(b.ends.size() - 1);
    });
    // Written before anything is sent, so that every start shows, however soon it dies.
    flush();
}

void RunJournal::recordQueued(const QList<Item> &items)
{
    if (items.isEmpty())
        return;
    append(items.size(), [&](Batch &b) {
        Batch::Op &op = b.ops.emplace_back();
        op.kind = Batch::Kind::Queued;
        op.index = b.addChunk(items);
    });
}

void RunJournal::recordStatus(qint64 id, ItemStatus status, int attempts)
{
    append(1, [&](Batch &b) {
        Batch::Op &op = b.ops.emplace_back();
        op.kind = Batch::Kind::Status;
        op.status = status;
        op.attempts = attempts;
        op.id = id;
    });
}

void RunJournal::recordFinished(const ItemResult &result)
{
    append(1, [&](Batch &b) {
        Batch::Op &op = b.ops.emplace_back();
        op.kind = Batch::Kind::Finished;
        op.status = result.status;
        op.attempts = result.attempts;
        op.id = result.id;
        op.httpStatus = quint16(std::clamp(result.httpStatus, 0, 65535));
        op.flags = (result.mayHaveArrived ? Batch::MayHaveArrived : 0)
            | (result.cancelled ? Batch::Cancelled : 0);
        const bool delivered = result.status == ItemStatus::Delivered;
        if (!delivered || !result.note.isEmpty()) {
            // A delivered item's error and response are not kept.
            static_assert(sizeof(Batch::Op) == 24);
            op.flags |= Batch::HasTexts;
            op.index = quint32(b.results.size());
            b.results.push_back({delivered ? QString() : result.error, result.note,
                                 delivered ? QByteArray() : result.responseBody, result.requestId});
        }
    });
}

void RunJournal::recordRequeued(const Item &item, int attempts)
{
    append(1, [&](Batch &b) {
        Batch::Op &op = b.ops.emplace_back();
        op.kind = Batch::Kind::Requeued;
        op.attempts = attempts;
        op.id = item.id;
        op.index = b.addChunk({item});
    });
}

void RunJournal::recordSourceDone(qint64 rowsRead)
{
    append(1, [&](Batch &b) {
        Batch::Op &op = b.ops.emplace_back();
        op.kind = Batch::Kind::SourceDone;
        op.id = rowsRead;
    });
}

void RunJournal::recordEnd(JournalEnd end, const QString &message, qint64 delivered, qint64 failed,
                           qint64 invalid)
{
    append(1, [&](Batch &b) {
        b.ends.push_back(
            {end, message, {delivered, failed, invalid}, QDateTime::currentDateTime()});
        Batch::Op &op = b.ops.emplace_back();
        op.kind = Batch::Kind::End;
        op.index = quint32(b.ends.size() - 1);
    });
}

void RunJournal::flush()
{
    std::unique_lock lock(m_mutex);
    const quint64 target = m_recorded;
    m_flushTarget = std::max(m_flushTarget, target);
    m_wake.notify_all();
    m_done.wait(lock, [&] { return m_written >= target; });
}

qsizetype RunJournal::backlog() const
{
    std::lock_guard lock(m_mutex);
    return m_pendingCount + m_writingCount + m_heldCount;
}

QString RunJournal::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void RunJournal::writerLoop()
{
    auto batch = std::make_unique<Batch>();
    Fold fold;
    for (;;) {
        quint64 ops = 0;
        bool failedBefore = false;
        bool writeAll = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return !m_pending->empty() || fold.holding() || m_stopping; });
            if (m_pending->empty() && !fold.holding())
                return; // stopping, everything written
        }
        // Group commit: what comes within the interval goes into one transaction. It is
        // folded as it comes, a few times per interval: the items of a batch (payloads and
        // all) are let go of soon, not an interval later; only the rows stay.
        const auto deadline = std::chrono::steady_clock::now() + m_flushInterval.load();
        for (bool last = false; !last;) {
            {
                std::unique_lock lock(m_mutex);
                const auto slice = std::min(deadline,
                                            std::chrono::steady_clock::now()
                                                + std::chrono::milliseconds(FoldIntervalMs));
                m_wake.wait_until(lock, slice,
                                  [&] { return m_stopping || m_flushTarget > m_written; });
                std::swap(batch, m_pending); // the empty one keeps its capacity
                ops += quint64(batch->size());
                m_writingCount += m_pendingCount;
                m_pendingCount = 0;
                failedBefore = !m_error.isEmpty();
                // Someone waits for everything (flush(), the end): nothing is held back.
                writeAll = m_stopping || m_flushTarget > m_written;
                last = writeAll || failedBefore || std::chrono::steady_clock::now() >= deadline;
            }
            if (!failedBefore)
                foldBatch(*batch, fold);
            // Outside the lock: dropping a batch's items is not free, and the run goes on.
            batch->clear();
        }
        QString error;
        if (!failedBefore && !writeBatch(fold, writeAll)) {
            error = QStringLiteral("journal %1: %2 (the run stops: what it does could no longer "
                                   "be recorded)")
                        .arg(QDir::toNativeSeparators(m_fileName), m_db->error());
            m_db->exec("ROLLBACK");
        }
        if (failedBefore || !error.isEmpty())
            fold = Fold(); // nothing more is written
        quint64 done = 0;
        if (fold.holding()) {
            fold.heldOps += ops;
        } else {
            done = ops + fold.heldOps;
            fold.heldOps = 0;
        }
        {
            std::lock_guard lock(m_mutex);
            m_written += done;
            m_heldCount = qsizetype(fold.inserts.size());
            m_writingCount = 0;
            if (!error.isEmpty())
                m_error = error;
        }
        m_done.notify_all();
        if (!error.isEmpty()) {
            invokeQueued(this, [this, error] { Q_EMIT failed(error); });
        } else if (!failedBefore) {
            invokeQueued(this, &RunJournal::written);
        }
    }
}

void RunJournal::foldBatch(const Batch &batch, Fold &fold)
{
    for (const Batch::Op &op : batch.ops) {
        switch (op.kind) {
        case Batch::Kind::Start:
            fold.startedAt = batch.ends[op.index].at;
            break;
        case Batch::Kind::End:
            fold.end = batch.ends[op.index];
            break;
        case Batch::Kind::SourceDone:
            fold.sourceDone = op.id;
            break;
        case Batch::Kind::Queued: {
            const Batch::Chunk &chunk = batch.chunks[op.index];
            for (size_t i = chunk.begin; i < chunk.end; ++i) {
                const Batch::Read &read = batch.reads[i];
                Row &row = fold.insert(read.id);
                row.insert = true;
                row.status = ItemStatus::Queued;
                row.payload = read.payload;
                if (read.texts != Batch::NoIndex) {
                    const Batch::Texts &t = batch.texts[read.texts];
                    row.key = t.key;
                    if (!t.url.isEmpty() || !t.error.isEmpty() || !t.idempotencyKey.isEmpty()) {
                        RowTexts &texts = row.setTexts();
                        texts.url = t.url;
                        texts.error = t.error;
                        texts.idempotencyKey = t.idempotencyKey;
                    }
                }
            }
            // Only the last row of a chunk can be the boundary a resume checks.
            Row &last = fold.row(batch.reads[chunk.end - 1].id);
            last.hasDigest = true;
            last.digest = chunk.digest;
            fold.chunks.emplace_back(batch.reads[chunk.begin].id,
                                     batch.reads[chunk.end - 1].id + 1);
            break;
        }
        case Batch::Kind::Status: {
            Row &row = fold.row(op.id);
            row.status = op.status;
            row.attempts = op.attempts;
            break;
        }
        case Batch::Kind::Finished: {
            Row &row = fold.row(op.id);
            row.change = Row::Change::Result;
            row.status = op.status;
            row.httpStatus = op.httpStatus;
            row.attempts = op.attempts;
            row.mayHaveArrived = (op.flags & Batch::MayHaveArrived) != 0;
            row.cancelled = (op.flags & Batch::Cancelled) != 0;
            if (op.flags & Batch::HasTexts) {
                const Batch::Result &r = batch.results[op.index];
                // The URL and idempotency key an insert still needs stay.
                RowTexts &texts = row.setTexts();
                texts.error = r.error;
                texts.note = r.note;
                texts.response = r.response;
                texts.requestId = r.requestId;
            } else {
                clearResultTexts(row); // a plain delivery keeps none, no request id either
            }
            if (op.status == ItemStatus::Delivered) {
                row.setPayload = true;
                row.payload = QByteArray();
            }
            break;
        }
        case Batch::Kind::Requeued: {
            const Batch::Chunk &chunk = batch.chunks[op.index];
            const Batch::Read &read = batch.reads[chunk.begin];
            Row &row = fold.row(op.id);
            row.change = Row::Change::Result;
            row.status = ItemStatus::Queued;
            row.httpStatus = 0;
            row.attempts = op.attempts;
            clearResultTexts(row);
            row.cancelled = false;
            row.setPayload = true;
            row.payload = read.payload;
            break;
        }
        }
    }
}

bool RunJournal::writeBatch(Fold &fold, bool writeAll)
{
    // Hold back the chunks just queued from the first one with an item still unanswered: one
    // interval later most of them are delivered, and a delivered item goes in as one row
    // without its payload instead of a row with it and an update dropping it (in a bulk mode
    // that halves the journal's work). Whole chunks, so that rows_read stays the end of what is
    // in the table and its last row carries the digest a resume checks; never twice, so an
    // item is written at most two intervals after it was read. A crash meanwhile loses no
    // item: the rows not yet written are read again from the source.
    size_t writeInserts = fold.inserts.size();
    if (!writeAll) {
        for (const auto &[first, end] : fold.chunks) {
            if (first < fold.insertBase)
                continue; // not one of the consecutive inserts
            const auto begin = fold.inserts.begin() + (first - fold.insertBase);
            const auto stop = fold.inserts.begin()
                + std::min<qint64>(end - fold.insertBase, qint64(fold.inserts.size()));
            if (std::any_of(begin, stop, [](const Row &r) { return isUnfinished(r.status); })) {
                writeInserts = size_t(first - fold.insertBase);
                break;
            }
        }
    }
    const bool holdRest = writeInserts < fold.inserts.size();

    SqliteDb &db = *m_db;
    if (!db.exec("BEGIN IMMEDIATE"))
        return false;
    if (fold.startedAt.isValid()) {
        SqliteStatement s;
        if (!s.prepare(db, "INSERT INTO segment (started_at, pid) VALUES (?, ?)"))
            return false;
        s.bindText(1, isoNow(fold.startedAt));
        s.bindInt(2, qint64(getpid()));
        if (!s.run())
            return false;
    }
    // Updates in id order, then the new rows (already in order): the table's B-tree is
    // written front to back.
    if (!std::is_sorted(fold.updates.begin(), fold.updates.end(),
                        [](const Row &a, const Row &b) { return a.id < b.id; })) {
        std::sort(fold.updates.begin(), fold.updates.end(),
                  [](const Row &a, const Row &b) { return a.id < b.id; });
    }
    if ((!fold.updates.empty() || writeInserts > 0)
        && (!writeRows(db, fold.updates.data(), fold.updates.size())
            || !writeRows(db, fold.inserts.data(), writeInserts))) {
        return false;
    }
    qint64 rowsRead = writeInserts > 0 ? fold.inserts[writeInserts - 1].id + 1 : -1;
    for (const Row &row : fold.updates) {
        if (row.insert)
            rowsRead = std::max(rowsRead, row.id + 1);
    }
    const qint64 sourceDone = holdRest ? -1 : fold.sourceDone;
    if (rowsRead >= 0 || sourceDone >= 0) {
        SqliteStatement s;
        if (!s.prepare(db,
                       sourceDone >= 0 ? "UPDATE run SET rows_read=?1, source_done=1"
                                       : "UPDATE run SET rows_read=max(rows_read, ?1)"))
            return false;
        s.bindInt(1, sourceDone >= 0 ? sourceDone : rowsRead);
        if (!s.run())
            return false;
    }
    if (const auto &end = fold.end) {
        SqliteStatement s;
        if (!s.prepare(db,
                       "UPDATE segment SET ended_at=?1, outcome=?2, message=?3, "
                       "delivered=?4, failed=?5, invalid=?6 "
                       "WHERE n = (SELECT max(n) FROM segment)"))
            return false;
        s.bindText(1, isoNow(end->at));
        s.bindText(2, journalEndName(end->end));
        s.bindText(3, textOrNull(end->message));
        s.bindInt(4, end->counts[0]);
        s.bindInt(5, end->counts[1]);
        s.bindInt(6, end->counts[2]);
        if (!s.run())
            return false;
    }
    if (!db.exec("COMMIT"))
        return false;

    // What was written goes; what was held back stays for the next batch.
    fold.updates.clear();
    fold.updateIndex.clear();
    fold.inserts.erase(fold.inserts.begin(), fold.inserts.begin() + qsizetype(writeInserts));
    fold.insertBase = fold.inserts.empty() ? -1 : fold.inserts.front().id;
    fold.chunks.clear();
    fold.startedAt = QDateTime();
    fold.end.reset();
    if (!holdRest)
        fold.sourceDone = -1;
    return true;
}

} // namespace sluice
