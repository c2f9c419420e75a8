// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
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
/// FlushIntervalMs, folds what it can (an item queued, sent and delivered within one batch
/// is one insert without a payload), and writes it in one transaction: WAL mode,
/// synchronous=FULL, so a committed batch survives a crash of the process and of the
/// machine, and a crash at any moment leaves a journal that opens. What a crash can lose is
/// the batch not yet committed: those items were either not read as far as the journal
/// knows (the resume reads them again) or are sent again.
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

    /// What a new journal records about its run.
    struct Header
    {
        QByteArray transfer; ///< the transfer as run (TransferSpec::toJson(): no secrets)
        QString transferFile; ///< where it was loaded from, if anywhere
        QString baseDir; ///< folder relative paths in it are relative to
    };

    ~RunJournal() override;

    /// Creates a new journal file (its folder too). Null with *error naming the file when
    /// it cannot: it exists, the folder cannot be written.
    static std::unique_ptr<RunJournal> create(const QString &fileName, const Header &header,
                                              QString *error);
    /// Opens an existing journal to go on writing it (a resume). Null with *error when it is
    /// not a journal, is newer, or is in use by another process.
    static std::unique_ptr<RunJournal> reopen(const QString &fileName, QString *error);

    QString fileName() const { return m_fileName; }

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
    explicit RunJournal(QString fileName);
    bool startWriter(std::unique_ptr<SqliteDb> db, QString *error);
    /// Records under the mutex: fill adds to the pending batch; weight counts its items.
    template<typename Fill>
    void append(qsizetype weight, const Fill &fill);
    void writerLoop();
    bool writeBatch(Batch &batch);

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
    quint64 m_recorded = 0; ///< ops recorded, in all
    quint64 m_written = 0; ///< ops written (or dropped after a failure), in all
    quint64 m_flushTarget = 0; ///< flush() waits for m_written to reach this
    bool m_stopping = false;
    QString m_error;
};

} // namespace sluice
