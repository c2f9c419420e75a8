// SPDX-License-Identifier: GPL-3.0-or-later
#include "runjournal.h"

#include "journal/sqlitedb.h"
#include "log/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>

#include <map>
#include <optional>

#include <pthread.h>
#include <unistd.h>

namespace sluice {

struct RunJournal::Op
{
    enum class Kind : quint8 { Start, Queued, Status, Finished, Requeued, SourceDone, End };
    Kind kind = Kind::Status;
    ItemStatus status = ItemStatus::Queued;
    JournalEnd end = JournalEnd::None;
    int attempts = 0;
    qint64 id = -1;
    qint64 counts[3] = {0, 0, 0}; // SourceDone: rows read; End: delivered, failed, invalid
    QList<Item> items; // Queued; Requeued: the one item
    ItemResult result; // Finished
    QString message; // End
    QDateTime at; // Start, End
};

namespace {

QString isoNow(const QDateTime &at)
{
    return at.toString(Qt::ISODateWithMs);
}

/// One item's row as a batch leaves it: what to insert, or which columns to update.
struct Row
{
    enum class Change : quint8 { Status, Result };
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

void RunJournal::append(Op &&op)
{
    const qsizetype weight = op.kind == Op::Kind::Queued ? op.items.size() : 1;
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        wake = m_pending.empty();
        m_pending.push_back(std::move(op));
        m_pendingCount += weight;
        ++m_recorded;
    }
    if (wake)
        m_wake.notify_one();
}

void RunJournal::recordStart()
{
    Op op;
    op.kind = Op::Kind::Start;
    op.at = QDateTime::currentDateTime();
    append(std::move(op));
    // Written before anything is sent, so that every start shows, however soon it dies.
    flush();
}

void RunJournal::recordQueued(const QList<Item> &items)
{
    if (items.isEmpty())
        return;
    Op op;
    op.kind = Op::Kind::Queued;
    op.items = items;
    append(std::move(op));
}

void RunJournal::recordStatus(qint64 id, ItemStatus status, int attempts)
{
    Op op;
    op.kind = Op::Kind::Status;
    op.id = id;
    op.status = status;
    op.attempts = attempts;
    append(std::move(op));
}

void RunJournal::recordFinished(const ItemResult &result)
{
    Op op;
    op.kind = Op::Kind::Finished;
    op.id = result.id;
    op.result = result;
    append(std::move(op));
}

void RunJournal::recordRequeued(const Item &item, int attempts)
{
    Op op;
    op.kind = Op::Kind::Requeued;
    op.id = item.id;
    op.attempts = attempts;
    op.items = {item};
    append(std::move(op));
}

void RunJournal::recordSourceDone(qint64 rowsRead)
{
    Op op;
    op.kind = Op::Kind::SourceDone;
    op.counts[0] = rowsRead;
    append(std::move(op));
}

void RunJournal::recordEnd(JournalEnd end, const QString &message, qint64 delivered, qint64 failed,
                           qint64 invalid)
{
    Op op;
    op.kind = Op::Kind::End;
    op.end = end;
    op.message = message;
    op.counts[0] = delivered;
    op.counts[1] = failed;
    op.counts[2] = invalid;
    op.at = QDateTime::currentDateTime();
    append(std::move(op));
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
    for (;;) {
        std::vector<Op> ops;
        qsizetype weight = 0;
        bool failedBefore = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return !m_pending.empty() || m_stopping; });
            if (m_pending.empty())
                return; // stopping, everything written
            // Group commit: gather what comes within the interval into one transaction.
            m_wake.wait_for(lock, std::chrono::milliseconds(FlushIntervalMs),
                            [&] { return m_stopping || m_flushTarget > m_written; });
            ops.swap(m_pending);
            weight = m_pendingCount;
            m_pendingCount = 0;
            m_writingCount = weight;
            failedBefore = !m_error.isEmpty();
        }
        QString error;
        if (!failedBefore && !writeBatch(ops)) {
            error = QStringLiteral("journal %1: %2 (the run stops: what it does could no longer "
                                   "be recorded)")
                        .arg(QDir::toNativeSeparators(m_fileName), m_db->error());
            m_db->exec("ROLLBACK");
        }
        {
            std::lock_guard lock(m_mutex);
            m_written += ops.size();
            m_writingCount = 0;
            if (!error.isEmpty())
                m_error = error;
        }
        m_done.notify_all();
        if (!error.isEmpty()) {
            QMetaObject::invokeMethod(
                this, [this, error] { Q_EMIT failed(error); }, Qt::QueuedConnection);
        } else if (!failedBefore) {
            QMetaObject::invokeMethod(this, &RunJournal::written, Qt::QueuedConnection);
        }
    }
}

bool RunJournal::writeBatch(std::vector<Op> &ops)
{
    SqliteDb &db = *m_db;
    std::map<qint64, Row> rows;
    qint64 rowsRead = -1;
    qint64 sourceDone = -1;
    const Op *start = nullptr;
    const Op *end = nullptr;

    for (Op &op : ops) {
        switch (op.kind) {
        case Op::Kind::Start:
            start = &op;
            break;
        case Op::Kind::End:
            end = &op;
            break;
        case Op::Kind::SourceDone:
            sourceDone = op.counts[0];
            break;
        case Op::Kind::Queued: {
            for (qsizetype i = 0; i < op.items.size(); ++i) {
                Item &item = op.items[i];
                Row &row = rows[item.id];
                row.insert = true;
                row.status = ItemStatus::Queued;
                if (item.key != QString::number(item.id + 1))
                    row.key = item.key.isNull() ? QStringLiteral("") : item.key;
                row.url = item.url;
                row.idempotencyKey = item.idempotencyKey;
                row.error = item.error;
                row.payload = item.payload;
                if (row.payload.isNull() && item.isValid())
                    row.payload = QByteArray("");
                // Only the last row of a chunk can be the boundary a resume checks.
                if (i == op.items.size() - 1)
                    row.digest = journal::itemDigest(item.key, item.payload, item.error);
            }
            rowsRead = std::max(rowsRead, op.items.constLast().id + 1);
            break;
        }
        case Op::Kind::Status: {
            Row &row = rows[op.id];
            row.status = op.status;
            row.attempts = op.attempts;
            break;
        }
        case Op::Kind::Finished: {
            const ItemResult &r = op.result;
            Row &row = rows[op.id];
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
        case Op::Kind::Requeued: {
            Row &row = rows[op.id];
            row.change = Row::Change::Result;
            row.status = ItemStatus::Queued;
            row.httpStatus = 0;
            row.attempts = op.attempts;
            row.error.clear();
            row.note.clear();
            row.cancelled = false;
            row.response = QByteArray();
            row.setPayload = true;
            row.payload = op.items.constFirst().payload;
            break;
        }
        }
    }

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
        for (const auto &[id, row] : rows) {
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
