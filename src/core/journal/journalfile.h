// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

#include "spec/transferspec.h"
#include "types/item.h"
#include "types/shard.h"

namespace sluice {

class SqliteDb;
class SqliteStatement;

/// The run journal's file format: what is in it and how it is recognised.
///
/// A journal is a SQLite database in WAL mode, one file per run (a resumed run goes on in
/// the same file). `PRAGMA application_id` marks it as Sluice's and `PRAGMA user_version`
/// holds the format version; a file with a newer version is refused, never guessed at.
/// Tables: `run` (one row: the transfer as run, without secrets, its parameters, the rows
/// read so far and whether the source was read to its end), `segment` (one row per start
/// or resume: when, the process, how it ended), `item` (one row per item read: key,
/// status, HTTP status, attempts, last error, and the payload of every item not delivered)
/// and, since format 2, `delivered_run` (one row for consecutive items delivered alike,
/// which are then not in `item`: a bulk request's thousand items cost one row, not a
/// thousand). Format 1 files are read as they are and upgraded when a resume writes them.
/// `run.shard` ("K/N" for a run of one shard, `sluice run --shard`; NULL otherwise) is in the
/// journals created since shards came, within format 2: a journal without it is no shard's.
/// An older Sluice does not see the column, but it cannot resume a shard's run either: the
/// transfer in it has source.shardKey, which that Sluice refuses as an unknown key.
namespace journal {

inline constexpr int FormatVersion = 2;
inline constexpr qint32 ApplicationId = 0x536c4a31; // "SlJ1"
/// The file name suffix of journals ("sensors-20261205-101500.sluicerun").
inline constexpr char Suffix[] = "sluicerun";

/// A stable 64-bit digest (FNV-1a) of an item as read: its key and its payload, or its
/// error when it is invalid. Resume compares the row at the boundary by it.
quint64 itemDigest(const QString &key, const QByteArray &payload, const QString &error);

/// Creates the tables in an empty database, or checks that db is a journal this version
/// can read and write. Returns false with *error saying what is wrong.
bool prepareSchema(SqliteDb &db, bool create, QString *error);
/// Brings a journal prepareSchema() accepted to this version's format, to write it.
bool upgradeSchema(SqliteDb &db, QString *error);
/// Whether db has the delivered_run table (format 2 and later).
bool hasDeliveredRuns(SqliteDb &db);
/// Whether db's run table has the shard column (journals created since shards came).
bool hasShardColumn(SqliteDb &db);

/// The columns of the delivered_run table, in the order DeliveredRun::read() takes them.
inline constexpr char DeliveredRunColumns[] = "first, count, http_status, attempts, keys";

/// A row of the delivered_run table.
struct DeliveredRun
{
    qint64 first = 0;
    qint64 count = 0;
    int httpStatus = 0;
    int attempts = 0;
    QStringList keys; ///< empty: every key is the default one

    /// Reads the row a statement selecting DeliveredRunColumns is on; false when it is
    /// damaged (keys that do not match count).
    bool read(const SqliteStatement &row);
    /// The key of item id, which must be in the run.
    QString key(qint64 id) const;
};

} // namespace journal

/// How a segment (a start or a resume of the run) ended; None: it did not (the process
/// died, or it is still running).
enum class JournalEnd : quint8 { None, Completed, Cancelled, Stopped, ConfigError, SourceError };
QString journalEndName(JournalEnd end);
JournalEnd journalEndFromName(const QString &name);

/// What a journal says about its run, read without its items.
struct JournalSummary
{
    QString fileName;
    QString transferFile; ///< the transfer file the run was started from (may be gone)
    QString transferName; ///< its base name, for lists
    QDateTime startedAt; ///< of the first segment
    QDateTime endedAt; ///< of the last segment; invalid when it did not end
    JournalEnd end = JournalEnd::None;
    QString endMessage;
    int segments = 0;
    qint64 rowsRead = 0;
    bool sourceDone = false;
    qint64 delivered = 0;
    qint64 failed = 0; ///< Failed, cancelled ones excluded (those are owed, see unfinished)
    qint64 invalid = 0;
    qint64 unfinished = 0; ///< queued, sending, retrying, or failed only by a cancel
    /// Someone else is running it now (its lock is held by a live process).
    bool inUse = false;

    /// Ended by something other than completion (killed, cancelled, stopped, failed): a
    /// resume would go on from where it stopped.
    bool isResumable() const { return end != JournalEnd::Completed; }
};

/// An item as the journal holds it.
struct JournalItem
{
    Item item; ///< id, key, payload (empty once delivered), url, error (for Invalid)
    ItemStatus status = ItemStatus::Queued;
    int httpStatus = 0;
    int attempts = 0;
    QString lastError;
    QString note;
    QByteArray response;
    QByteArray requestId;
    bool mayHaveArrived = false;
    bool cancelled = false;
};

/// What a resumed run needs: the transfer as run and where the first run stopped.
struct ResumeState
{
    JournalSummary summary;
    TransferSpec spec; ///< as run (parameters bound); secrets are resolved again
    /// Rows the source had produced (ids 0..rowsRead-1 are in the journal).
    qint64 rowsRead = 0;
    bool sourceDone = false;
    /// The last row read (id rowsRead-1): the re-run query must give the same one there.
    QString boundaryKey;
    quint64 boundaryDigest = 0;
    /// Owed: never answered for, or failed only by a cancel; payloads included.
    QList<Item> unfinished;
    /// The run read one shard of the rows (`sluice run --shard K/N`): a resume reads that shard.
    std::optional<Shard> shard;
    /// Attempts made so far per item, unfinished and failed alike.
    QHash<qint64, int> attempts;
    /// Unfinished items an attempt of which went out and may have arrived.
    QSet<qint64> mayHaveArrived;
    /// Items that ended Failed or Invalid (can be retried by hand): id -> status.
    QHash<qint64, ItemStatus> notDelivered;
};

/// Reading journals: one run's, or the list of runs in a folder. Read-only; safe while the
/// run that writes the journal goes on (WAL lets readers in).
class JournalFile final
{
public:
    /// Reads the summary. Errors name the file: not a journal, a newer format, damaged.
    static std::optional<JournalSummary> readSummary(const QString &fileName, QString *error);
    /// Reads what a resume needs; baseDir of the spec comes from the journal.
    static std::optional<ResumeState> readResumeState(const QString &fileName, QString *error);
    /// Calls visit for every item in id order (the Run tab of a reopened run). Returns false
    /// with *error when the file cannot be read.
    static bool forEachItem(const QString &fileName,
                            const std::function<void(const JournalItem &)> &visit, QString *error);
    /// Calls visit for every item that ended Failed (not by a cancel: those are owed) or
    /// Invalid, in id order, as the result it ended with (no payload; the answer as kept):
    /// a resumed run's failure groups. Returns false with *error when the file cannot be read.
    static bool forEachFailure(const QString &fileName,
                               const std::function<void(const ItemResult &)> &visit,
                               QString *error);
    /// The journals in folder, newest first; unreadable files are skipped.
    static QList<JournalSummary> listRuns(const QString &folder);
    /// Where the app and `sluice run` keep journals by default (the app's data folder).
    static QString defaultFolder();
    /// A new journal's file name in folder for a run of transferFile started at `at`.
    /// Free when asked: another process may take it before this one creates it, so a run
    /// creates it with RunJournal::NameTaken::TakeNext.
    static QString newFileName(const QString &folder, const QString &transferFile,
                               const QDateTime &at);
    /// fileName with the number n before its suffix: `post-20261206-014301-2.sluicerun`.
    static QString numberedFileName(const QString &fileName, int n);
    /// The lock file a running journal holds (see RunJournal).
    static QString lockFileName(const QString &fileName);
    /// Deletes a journal with its WAL, shared-memory and lock files. False with *error when
    /// it is in use by a running Sluice or cannot be deleted.
    static bool remove(const QString &fileName, QString *error);
    /// Deletes the journals in folder of runs that completed more than maxAgeDays ago (runs
    /// that did not complete stay: they can be resumed). Returns how many went.
    static int pruneCompleted(const QString &folder, int maxAgeDays = DefaultKeepDays);
    static constexpr int DefaultKeepDays = 30;
};

} // namespace sluice
