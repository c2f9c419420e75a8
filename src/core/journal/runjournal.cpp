// SPDX-License-Identifier: GPL-3.0-or-later
#include "runjournal.h"

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
    struct Op
    {
        Kind kind = Kind::Status;
        ItemStatus status = ItemStatus::Queued;
        int attempts = 0;
        qint64 id = -1; // Status; SourceDone: rows read
        quint32 index = 0; // Queued, Requeued: into chunks; Finished: into results
    };
    struct EndInfo
    {
        JournalEnd end = JournalEnd::None;
        QString message;
        qint64 counts[3] = {0, 0, 0}; // delivered, failed, invalid
        QDateTime at;
    };

    std::vector<Op> ops;
    std::vector<QList<Item>> chunks;
    std::vector<ItemResult> results;
    std::vector<EndInfo> ends; // Start (at only) and End
    /// Ops recorded in all (for flush()).
    qsizetype size() const { return qsizetype(ops.size()); }
    bool empty() const { return ops.empty(); }
    void clear()
    {
        ops.clear();
        chunks.clear();
        results.clear();
        ends.clear();
    }
};

namespace {

QString isoNow(const QDateTime &at)
{
    return at.toString(Qt::ISODateWithMs);
}

/// One item's row as a batch leaves it: what to insert, or which columns to update.
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

struct Row
{
    enum class Change : quint8 { Status, Result };
    qint64 id = -1;
    bool insert = false; // new in this batch: every column is known
    Change change = Change::Status; // an update: just status and attempts, or the result too
    bool setPayload = false; // an update: payload replaced (dropped on delivery, edited)
    ItemStatus status = ItemStatus::Queued;
    int httpStatus = 0;
    int attempts = 0;
    bool mayHaveArrived = false;
    bool cancelled = false;
    QString key; // insert only; null: the default key (the row number)
    QString url;
    QString error;
    QString note;
    QByteArray payload; // null: none
    QByteArray response;
    QByteArray requestId;
    QByteArray idempotencyKey; // insert only
    std::optional<quint64> digest;
};

} // namespace

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

std::unique_ptr<RunJournal> RunJournal::create(const QString &fileName, const Header &header,
                                               QString *error)
{
    const QString shown = QDir::toNativeSeparators(fileName);
    const QFileInfo info(fileName);
    if (info.exists()) {
        *error = QStringLiteral("journal %1: the file exists already").arg(shown);
        return nullptr;
    }
    if (!QDir().mkpath(info.absolutePath())) {
        *error = QStringLiteral("journal %1: cannot create its folder").arg(shown);
        return nullptr;
    }
    std::unique_ptr<RunJournal> journal(new RunJournal(fileName));
    journal->m_lock = std::make_unique<QLockFile>(JournalFile::lockFileName(fileName));
    journal->m_lock->setStaleLockTime(0);
    if (!journal->m_lock->tryLock(0)) {
        *error = QStringLiteral("journal %1: cannot lock it (%2)")
                     .arg(shown, JournalFile::lockFileName(fileName));
        return nullptr;
    }
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
    if (!db->open(fileName, false) || !journal::prepareSchema(*db, false, &why)) {
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
        b.ops.push_back(
            {Batch::Kind::Start, ItemStatus::Queued, 0, -1, quint32(b.ends.size() - 1)});
    });
    // Written before anything is sent, so that every start shows, however soon it dies.
    flush();
}

void RunJournal::recordQueued(const QList<Item> &items)
{
    if (items.isEmpty())
        return;
    append(items.size(), [&](Batch &b) {
        b.chunks.push_back(items);
        b.ops.push_back(
            {Batch::Kind::Queued, ItemStatus::Queued, 0, -1, quint32(b.chunks.size() - 1)});
    });
}

void RunJournal::recordStatus(qint64 id, ItemStatus status, int attempts)
{
    append(1, [&](Batch &b) { b.ops.push_back({Batch::Kind::Status, status, attempts, id, 0}); });
}

void RunJournal::recordFinished(const ItemResult &result)
{
    append(1, [&](Batch &b) {
        b.results.push_back(result);
        if (result.status == ItemStatus::Delivered) {
            // Not kept for a delivered item: no need to hold on to it until the write.
            b.results.back().payload = QByteArray();
            b.results.back().responseBody = QByteArray();
        }
        b.ops.push_back({Batch::Kind::Finished, result.status, result.attempts, result.id,
                         quint32(b.results.size() - 1)});
    });
}

void RunJournal::recordRequeued(const Item &item, int attempts)
{
    append(1, [&](Batch &b) {
        b.chunks.push_back({item});
        b.ops.push_back({Batch::Kind::Requeued, ItemStatus::Queued, attempts, item.id,
                         quint32(b.chunks.size() - 1)});
    });
}

void RunJournal::recordSourceDone(qint64 rowsRead)
{
    append(1, [&](Batch &b) {
        b.ops.push_back({Batch::Kind::SourceDone, ItemStatus::Queued, 0, rowsRead, 0});
    });
}

void RunJournal::recordEnd(JournalEnd end, const QString &message, qint64 delivered, qint64 failed,
                           qint64 invalid)
{
    append(1, [&](Batch &b) {
        b.ends.push_back(
            {end, message, {delivered, failed, invalid}, QDateTime::currentDateTime()});
        b.ops.push_back({Batch::Kind::End, ItemStatus::Queued, 0, -1, quint32(b.ends.size() - 1)});
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
    return m_pendingCount + m_writingCount;
}

QString RunJournal::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void RunJournal::writerLoop()
{
    auto batch = std::make_unique<Batch>();
    for (;;) {
        qsizetype ops = 0;
        bool failedBefore = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return !m_pending->empty() || m_stopping; });
            if (m_pending->empty())
                return; // stopping, everything written
            // Group commit: gather what comes within the interval into one transaction.
            m_wake.wait_for(lock, std::chrono::milliseconds(FlushIntervalMs),
                            [&] { return m_stopping || m_flushTarget > m_written; });
            batch->clear();
            std::swap(batch, m_pending); // the empty one keeps its capacity for the next
            ops = batch->size();
            m_writingCount = m_pendingCount;
            m_pendingCount = 0;
            failedBefore = !m_error.isEmpty();
        }
        QString error;
        if (!failedBefore && !writeBatch(*batch)) {
            error = QStringLiteral("journal %1: %2 (the run stops: what it does could no longer "
                                   "be recorded)")
                        .arg(QDir::toNativeSeparators(m_fileName), m_db->error());
            m_db->exec("ROLLBACK");
        }
        {
            std::lock_guard lock(m_mutex);
            m_written += quint64(ops);
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

bool RunJournal::writeBatch(Batch &batch)
{
    SqliteDb &db = *m_db;
    // One row per item the batch touches, folded in the order things happened.
    std::vector<Row> rows;
    QHash<qint64, int> rowOf;
    rowOf.reserve(qsizetype(batch.ops.size()));
    const auto rowFor = [&](qint64 id) -> Row & {
        auto it = rowOf.constFind(id);
        if (it == rowOf.cend()) {
            it = rowOf.insert(id, int(rows.size()));
            rows.emplace_back().id = id;
        }
        return rows[size_t(*it)];
    };
    qint64 rowsRead = -1;
    qint64 sourceDone = -1;
    const Batch::EndInfo *start = nullptr;
    const Batch::EndInfo *end = nullptr;

    for (const Batch::Op &op : batch.ops) {
        switch (op.kind) {
        case Batch::Kind::Start:
            start = &batch.ends[op.index];
            break;
        case Batch::Kind::End:
            end = &batch.ends[op.index];
            break;
        case Batch::Kind::SourceDone:
            sourceDone = op.id;
            break;
        case Batch::Kind::Queued: {
            const QList<Item> &items = batch.chunks[op.index];
            for (qsizetype i = 0; i < items.size(); ++i) {
                const Item &item = items[i];
                Row &row = rowFor(item.id);
                row.insert = true;
                row.status = ItemStatus::Queued;
                if (!isRowNumberKey(item.key, item.id))
                    row.key = item.key.isNull() ? QStringLiteral("") : item.key;
                row.url = item.url;
                row.idempotencyKey = item.idempotencyKey;
                row.error = item.error;
                row.payload = item.payload;
                if (row.payload.isNull() && item.isValid())
                    row.payload = QByteArray("");
                // Only the last row of a chunk can be the boundary a resume checks.
                if (i == items.size() - 1)
                    row.digest = journal::itemDigest(item.key, item.payload, item.error);
            }
            rowsRead = std::max(rowsRead, items.constLast().id + 1);
            break;
        }
        case Batch::Kind::Status: {
            Row &row = rowFor(op.id);
            row.status = op.status;
            row.attempts = op.attempts;
            break;
        }
        case Batch::Kind::Finished: {
            const ItemResult &r = batch.results[op.index];
            Row &row = rowFor(op.id);
            row.change = Row::Change::Result;
            row.status = r.status;
            row.httpStatus = r.httpStatus;
            row.attempts = r.attempts;
            row.error = r.status == ItemStatus::Delivered ? QString() : r.error;
            row.note = r.note;
            row.mayHaveArrived = r.mayHaveArrived;
            row.cancelled = r.cancelled;
            row.response = r.status == ItemStatus::Delivered ? QByteArray() : r.responseBody;
            row.requestId = r.requestId;
            if (r.status == ItemStatus::Delivered) {
                row.setPayload = true;
                row.payload = QByteArray();
            }
            break;
        }
        case Batch::Kind::Requeued: {
            Row &row = rowFor(op.id);
            row.change = Row::Change::Result;
            row.status = ItemStatus::Queued;
            row.httpStatus = 0;
            row.attempts = op.attempts;
            row.error.clear();
            row.note.clear();
            row.cancelled = false;
            row.response = QByteArray();
            row.setPayload = true;
            row.payload = batch.chunks[op.index].constFirst().payload;
            break;
        }
        }
    }
    // In id order: the table's B-tree is written front to back.
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.id < b.id; });

    if (!db.exec("BEGIN IMMEDIATE"))
        return false;
    if (start) {
        SqliteStatement s;
        if (!s.prepare(db, "INSERT INTO segment (started_at, pid) VALUES (?, ?)"))
            return false;
        s.bindText(1, isoNow(start->at));
        s.bindInt(2, qint64(getpid()));
        if (!s.run())
            return false;
    }
    if (!rows.empty()) {
        SqliteStatement insert;
        SqliteStatement result;
        SqliteStatement status;
        SqliteStatement payload;
        if (!insert.prepare(db,
                            "INSERT INTO item (id, key, status, http_status, attempts, error, "
                            "note, may_have_arrived, cancelled, url, payload, response, "
                            "request_id, idempotency_key, digest) "
                            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
            || !result.prepare(db,
                               "UPDATE item SET status=?2, http_status=?3, attempts=?4, "
                               "error=?5, note=?6, may_have_arrived=?7, cancelled=?8, "
                               "response=?9, request_id=?10 WHERE id=?1")
            || !status.prepare(db, "UPDATE item SET status=?2, attempts=?3 WHERE id=?1")
            || !payload.prepare(db, "UPDATE item SET payload=?2 WHERE id=?1"))
            return false;
        for (const Row &row : rows) {
            const qint64 id = row.id;
            if (row.insert) {
                insert.bindInt(1, id);
                insert.bindText(2, row.key);
                insert.bindInt(3, int(row.status));
                if (row.httpStatus > 0)
                    insert.bindInt(4, row.httpStatus);
                insert.bindInt(5, row.attempts);
                insert.bindText(6, row.error.isEmpty() ? QString() : row.error);
                insert.bindText(7, row.note.isEmpty() ? QString() : row.note);
                insert.bindInt(8, row.mayHaveArrived ? 1 : 0);
                insert.bindInt(9, row.cancelled ? 1 : 0);
                insert.bindText(10, row.url.isEmpty() ? QString() : row.url);
                insert.bindBlob(11, row.payload);
                insert.bindBlob(12, row.response.isEmpty() ? QByteArray() : row.response);
                insert.bindText(
                    13, row.requestId.isEmpty() ? QString() : QString::fromLatin1(row.requestId));
                insert.bindText(14,
                                row.idempotencyKey.isEmpty()
                                    ? QString()
                                    : QString::fromUtf8(row.idempotencyKey));
                if (row.digest)
                    insert.bindInt(15, qint64(*row.digest));
                if (!insert.run())
                    return false;
                insert.reset();
                continue;
            }
            if (row.change == Row::Change::Result) {
                result.bindInt(1, id);
                result.bindInt(2, int(row.status));
                if (row.httpStatus > 0)
                    result.bindInt(3, row.httpStatus);
                result.bindInt(4, row.attempts);
                result.bindText(5, row.error.isEmpty() ? QString() : row.error);
                result.bindText(6, row.note.isEmpty() ? QString() : row.note);
                result.bindInt(7, row.mayHaveArrived ? 1 : 0);
                result.bindInt(8, row.cancelled ? 1 : 0);
                result.bindBlob(9, row.response.isEmpty() ? QByteArray() : row.response);
                result.bindText(
                    10, row.requestId.isEmpty() ? QString() : QString::fromLatin1(row.requestId));
                if (!result.run())
                    return false;
                result.reset();
            } else {
                status.bindInt(1, id);
                status.bindInt(2, int(row.status));
                status.bindInt(3, row.attempts);
                if (!status.run())
                    return false;
                status.reset();
            }
            if (row.setPayload) {
                payload.bindInt(1, id);
                payload.bindBlob(2, row.payload);
                if (!payload.run())
                    return false;
                payload.reset();
            }
        }
    }
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
    if (end) {
        SqliteStatement s;
        if (!s.prepare(db,
                       "UPDATE segment SET ended_at=?1, outcome=?2, message=?3, "
                       "delivered=?4, failed=?5, invalid=?6 "
                       "WHERE n = (SELECT max(n) FROM segment)"))
            return false;
        s.bindText(1, isoNow(end->at));
        s.bindText(2, journalEndName(end->end));
        s.bindText(3, end->message.isEmpty() ? QString() : end->message);
        s.bindInt(4, end->counts[0]);
        s.bindInt(5, end->counts[1]);
        s.bindInt(6, end->counts[2]);
        if (!s.run())
            return false;
    }
    return db.exec("COMMIT");
}

} // namespace sluice
