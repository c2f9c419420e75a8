// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "journal/journalfile.h"
#include "types/item.h"

QT_BEGIN_NAMESPACE
class QLockFile;
QT_END_NAMESPACE

namespace sluice {

/// Writes a run's journal (see journal::prepareSchema for the format) from a thread of its
/// own, so that a run never waits for the disk.
///
/// The run records what happens (record*() calls, cheap: they append to a list under a
/// mutex); the writer thread takes everything recorded so far about every
/// FlushIntervalMs, folds it into one row per item, and writes it in one transaction: WAL
/// mode, synchronous=FULL, so a committed batch survives a crash of the process and of the
/// machine, and a crash at any moment leaves a journal that opens. Chunks read within the
/// interval and not yet answered are held back one interval more (whole chunks, so the
/// table always ends where rows_read says): most of their items are delivered by then and
/// go in as one row without a payload. What a crash can lose is what is not yet committed:
/// those items were either not read as far as the journal knows (the resume reads them
/// again) or are sent again.
///
/// The file is locked (a QLockFile beside it) for as long as the journal is open, so two
/// processes never write one run. Threads: used from its owner's thread; written() and
/// failed() arrive there (queued).
class RunJournal final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunJournal)

public:
    static constexpr int FlushIntervalMs = 100;
    /// What was recorded is taken and folded this often (within a flush interval).
    static constexpr int FoldIntervalMs = 20;

    /// What a new journal records about its run.
    struct Header
    {
        QByteArray transfer; ///< the transfer as run (TransferSpec::toJson(): no secrets)
        QString transferFile; ///< where it was loaded from, if anywhere
        QString baseDir; ///< folder relative paths in it are relative to
    };

    ~RunJournal() override;

    /// What create() does when fileName exists or another process holds its lock.
    enum class NameTaken {
        Fail, ///< an error: the name was chosen (`sluice run --journal FILE`)
        /// the next free numbered name (JournalFile::numberedFileName()): a default name,
        /// which two runs of one transfer started in the same second share
        TakeNext,
    };

    /// Creates a new journal file (its folder too); fileName() says which file it took. Null
    /// with *error naming the file when it cannot: it exists or is locked (NameTaken::Fail),
    /// the folder cannot be written. shard: the run reads only that shard's rows
    /// (`sluice run --shard K/N`), recorded for its resume.
    static std::unique_ptr<RunJournal> create(const QString &fileName, const Header &header,
                                              QString *error,
                                              const std::optional<Shard> &shard = std::nullopt,
                                              NameTaken taken = NameTaken::Fail);
    /// Opens an existing journal to go on writing it (a resume). Null with *error when it is
    /// not a journal, is newer, or is in use by another process.
    static std::unique_ptr<RunJournal> reopen(const QString &fileName, QString *error);

    QString fileName() const { return m_fileName; }

    /// How long the writer gathers before it writes (FlushIntervalMs by default). Longer
    /// batches cost less per item and are lost whole by a crash; a test widens it to see one
    /// batch at a time.
    void setFlushInterval(std::chrono::milliseconds interval) { m_flushInterval = interval; }

    /// A new segment (a start or a resume) begins now; written before this returns.
    void recordStart();
    /// Items read from the source (invalid ones too), in id order.
    void recordQueued(const QList<Item> &items);
    /// Sending or Retrying, with the attempts so far.
    void recordStatus(qint64 id, ItemStatus status, int attempts);
    /// Delivered, Failed or Invalid. A delivered item's payload is dropped.
    void recordFinished(const ItemResult &result);
    /// A failed item goes again (a retry, maybe with an edited payload).
    void recordRequeued(const Item &item, int attempts);
    /// The source was read to its end: rowsRead rows in all.
    void recordSourceDone(qint64 rowsRead);
    /// The segment ended.
    void recordEnd(JournalEnd end, const QString &message, qint64 delivered, qint64 failed,
                   qint64 invalid);

    /// Waits until everything recorded so far is written (or writing failed).
    void flush();
    /// Operations recorded and not yet written.
    qsizetype backlog() const;
    /// Empty while the journal writes well; else why it stopped writing.
    QString error() const;

Q_SIGNALS:
    /// A batch was written (the backlog shrank).
    void written();
    /// Writing failed; nothing more is written. message names the file.
    void failed(const QString &message);

private:
    /// What was recorded, in order: small ops, with chunks and results beside them (an op
    /// names its entry there by index). Two of these are swapped between the run and the
    /// writer, so their storage is reused rather than allocated per event.
    struct Batch;
    /// The writer's rows between batches (held back chunks among them).
    struct Fold;
    explicit RunJournal(QString fileName);
    bool startWriter(std::unique_ptr<SqliteDb> db, QString *error);
    /// Records under the mutex: fill adds to the pending batch; weight counts its items.
    template<typename Fill>
    void append(qsizetype weight, const Fill &fill);
    void writerLoop();
    static void foldBatch(const Batch &batch, Fold &fold);
    /// Writes what fold holds in one transaction, but for the chunks it holds back (none
    /// when writeAll).
    bool writeBatch(Fold &fold, bool writeAll);

    QString m_fileName;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<SqliteDb> m_db; ///< used only by the writer thread once it runs
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake; ///< the writer waits here for ops or the end
    std::condition_variable m_done; ///< flush() waits here for the writer
    std::unique_ptr<Batch> m_pending; ///< recorded, not yet taken by the writer
    qsizetype m_pendingCount = 0; ///< items in m_pending (an op per item, a chunk's items)
    qsizetype m_writingCount = 0; ///< items in the batch being written
    qsizetype m_heldCount = 0; ///< items the writer holds back for its next batch
    quint64 m_recorded = 0; ///< ops recorded, in all
    /// Ops written (or dropped after a failure), in all; an op held back counts once written.
    quint64 m_written = 0;
    quint64 m_flushTarget = 0; ///< flush() waits for m_written to reach this
    bool m_stopping = false;
    QString m_error;
    std::atomic<std::chrono::milliseconds> m_flushInterval {
        std::chrono::milliseconds(FlushIntervalMs)};
};

} // namespace sluice
