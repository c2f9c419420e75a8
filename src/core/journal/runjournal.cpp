// SPDX-License-Identifier: GPL-3.0-or-later
#include "runjournal.h"

#include "journal/journalrows.h"
#include "journal/sqlitedb.h"
#include "log/logging.h"
#include "util/queuedcall.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>

#include <QHash>

#include <algorithm>
#include <optional>

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

using journalwriter::clearResultTexts;
using journalwriter::isUnfinished;
using journalwriter::Row;
using journalwriter::RowTexts;
using journalwriter::textOrNull;
using journalwriter::writeRows;

/// How many numbered names create() tries for a default name before it gives up.
constexpr int MaxNumberedNames = 1000;

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
