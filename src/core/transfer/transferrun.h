// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/retrypolicy.h"
#include "spec/transferspec.h"
#include "transfer/failuredigest.h"
#include "transfer/runstatistics.h"
#include "transfer/watermark.h"
#include "types/columninfo.h"
#include "types/item.h"
#include "types/shard.h"
#include "util/secretstore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>
#include <optional>

namespace sluice {

class Dispatcher;
class RowSource;
class RunJournal;
struct ResumeState;
class Transform;
struct RowChunk;

/// What a front end adds to a saved transfer when it runs it.
struct RunOptions
{
    /// Query parameter values that replace (or add to) the file's ("--set NAME=VALUE").
    QMap<QString, QVariant> parameterOverrides;
    /// The password when the transfer asks for it when run (source.askPassword).
    std::optional<QString> password;
    /// Reads an environment variable (passwordEnv, headersEnv); replaceable in tests.
    std::function<std::optional<QString>(const QString &name)> environment;
    /// Where source.passwordKeychain and target.headersKeychain are read from; null: the OS
    /// keychain (makeKeychainStore()), opened only when the transfer names an entry.
    std::shared_ptr<SecretStore> secrets;
    /// Retry timing; maxRetries is always taken from the transfer's run.maxRetries.
    RetryPolicy retry;
    /// The run journal to write (see RunJournal); empty: none. A new file, or with resume
    /// the journal the resume state was read from.
    QString journalFile;
    /// journalFile is a default name (JournalFile::newFileName()): when another process has
    /// taken it meanwhile, the run takes the next free number (journalOpened() says which).
    bool journalNameIsDefault = false;
    /// The transfer file the spec came from, recorded in the journal (for lists of runs).
    QString transferFile;
    /// Set: this run goes on from an interrupted one (JournalFile::readResumeState()):
    /// the spec given to the run must be the state's. Items the journal holds as delivered,
    /// failed or invalid are not sent; owed ones are sent first; the source is read again
    /// from the row after the last one the journal holds, after checking that the row
    /// before it is the same.
    std::shared_ptr<const ResumeState> resume;
    /// Set: the run reads only this shard's rows, those whose source.shardKey falls in it (the
    /// database filters: db/shardquery.h), and its journal records the shard. With resume the
    /// journal's shard is read instead, whatever this says.
    std::optional<Shard> shard;
    /// run.watermark: the rows the previous run delivered at or above its watermark
    /// (WatermarkState::delivered). An item with the same key and value is not sent again: it
    /// ends Delivered at once, with a note, and counts in RunCounts::alreadyDelivered.
    QList<WatermarkState::Row> watermarkDelivered;
};

/// Item counts of a run. Every item read is in exactly one of queued, sending,
/// retrying, delivered, failed and invalid.
struct RunCounts
{
    qint64 read = 0;
    qint64 queued = 0;
    qint64 sending = 0;
    qint64 retrying = 0;
    qint64 delivered = 0;
    qint64 failed = 0;
    qint64 invalid = 0;
    /// Of delivered: items a previous run had delivered (run.watermark), not sent again.
    qint64 alreadyDelivered = 0;

    qint64 finished() const { return delivered + failed + invalid; }
};

/// One run of a transfer: owns the row source (in its thread), the transform and the
/// dispatcher, and wires them together with backpressure: the next chunk is read only when
/// fewer than one chunk of items waits to be sent, so memory stays flat however many rows
/// the query returns. The GUI and the headless runner are thin front ends over it.
///
/// Lives in the thread that created it (usually the main thread); all signals are emitted
/// there.
class TransferRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferRun)

public:
    enum class State { Idle, Starting, Running, Paused, Finished };
    Q_ENUM(State)
    enum class Outcome {
        Completed, ///< every item read was delivered, failed or invalid
        Cancelled, ///< cancel(): unfinished items were reported Failed "cancelled"
        ConfigError, ///< the transfer cannot run as configured (nothing was sent)
        SourceError, ///< the database failed (connecting, or while reading)
        /// run.stopAfterFailures items ended Failed or Invalid: nothing more was read or sent,
        /// the requests in flight were answered, the items not sent were reported Failed
        /// "cancelled" (ItemResult::cancelled)
        Stopped,
    };
    Q_ENUM(Outcome)

    explicit TransferRun(const TransferSpec &spec, RunOptions options = {},
                         QObject *parent = nullptr);
    ~TransferRun() override;

    /// Starts asynchronously; everything after, errors included, arrives as signals.
    void start();
    void pause();
    void resume();
    /// Stops reading and sending; items not yet delivered are reported Failed "cancelled".
    void cancel();
    /// Sends again items this run reported Failed or Invalid, to the same target with the
    /// same settings; a payload may have been edited (an Invalid item needs one). Items with
    /// other ids, or without a payload, are skipped. Allowed once the run has started, also
    /// after it finished: it then runs again until these items are done and finishes with
    /// the same kind of outcome (Completed, or Cancelled if it had been cancelled, or Stopped
    /// if run.stopAfterFailures had stopped it, which does not stop it again). Attempts
    /// count on from the earlier ones, and an item keeps the Idempotency-Key it was sent with.
    /// Returns how many items were accepted.
    int retry(const QList<sluice::Item> &items);
    /// Changes where later retry() calls send: the target (URL, method, headers, timeout) and
    /// the run's concurrency and retries, for a fixed target or credentials. Only for a
    /// Finished run (nothing in flight). A URL with {{placeholders}} was resolved from each
    /// row, and rows are not kept: the URL may only change to one without placeholders (or
    /// stay as it is). The mode cannot change. Returns false with *error naming the field
    /// when the change is refused; nothing changes then.
    bool retarget(const TargetSpec &target, const RunSpec &run, QString *error = nullptr);

    State state() const { return m_state; }
    /// The source has been read to its end (or will not be read further: cancelled or
    /// failed); counts().read is then the number of items of this run.
    bool isSourceDone() const { return m_sourceDone; }
    RunCounts counts() const;
    /// Seconds the run was active: from start() until it finished, plus each retry after it
    /// finished until that ended; the time it sat finished in between does not count. Frozen
    /// while the run is finished.
    double elapsedSeconds() const;
    /// When start() was called, and when the run last finished (invalid before either).
    QDateTime startedAt() const { return m_startedAt; }
    QDateTime finishedAt() const { return m_finishedAt; }
    /// Items per second, latency percentiles and items per status over the run's time, fed
    /// with every item this run finished (not those a resumed journal held already).
    const RunStatistics &statistics() const { return m_statistics; }
    /// The items of this run not delivered, grouped by cause with examples (for the report).
    const FailureDigest &failures() const { return m_failures; }
    /// RunOptions::transferFile, as given.
    QString transferFile() const { return m_options.transferFile; }
    /// The shard this run reads (RunOptions::shard, or a resumed journal's); nullopt: all rows.
    std::optional<Shard> shard() const;
    /// Closes the statistics' samples up to now (RunStatistics::advance()), so that a reader
    /// sees the time in which nothing finished; the charts call it before they read.
    void sampleStatistics();
    const ColumnList &columns() const { return m_columns; }
    /// The transfer as run: with the parameter overrides once started, and the target of
    /// the last retarget().
    const TransferSpec &spec() const { return m_spec; }
    /// The protocol the target answers over ("HTTP/2 over TLS", ...); empty until known.
    QString protocol() const;
    /// Requests allowed in flight now (less than run.concurrency while the server asks to
    /// slow down); 0 before the run started sending.
    int window() const;
    /// The journal being written; empty when there is none.
    QString journalFile() const;
    /// A resume: the items the journal held as finished before it (delivered, failed,
    /// invalid), counted in counts() from the start.
    qint64 resumedFinished() const { return m_resumedFinished; }
    /// run.watermark: the state the next run starts from (WatermarkTracker::state()), once
    /// the run finished; nullopt when it delivered nothing (or is a resume, which keeps no
    /// watermark), and then the previous state stays as it is.
    std::optional<WatermarkState> watermarkState(QString *error) const;

Q_SIGNALS:
    /// The query ran and the transform compiled: sending begins.
    void started(const sluice::ColumnList &columns);
    /// One chunk's items, invalid ones included, before any of them is sent.
    void itemsQueued(const QList<sluice::Item> &items);
    void itemStatusChanged(qint64 id, sluice::ItemStatus status, int attempts);
    /// Delivered, Failed or Invalid: exactly once per item read.
    void itemFinished(const sluice::ItemResult &result);
    void stateChanged(sluice::TransferRun::State state);
    /// The protocol of the target's answers became known or changed (see protocol()).
    void protocolChanged(const QString &protocol);
    /// The window of requests in flight changed: window of at most limit (run.concurrency).
    void windowChanged(int window, int limit);
    /// The run is over. message explains ConfigError/SourceError (every problem, one per
    /// line, each naming the field, column or parameter) and Stopped ("stopped after N
    /// failed or invalid items (run.stopAfterFailures)"), and is empty otherwise.
    void finished(sluice::TransferRun::Outcome outcome, const QString &message);
    /// The journal is open (created, or reopened by a resume); before started().
    void journalOpened(const QString &fileName);

private:
    /// Milliseconds of active time (elapsedSeconds()): the statistics' time axis.
    qint64 activeMs() const;
    void fail(Outcome outcome, const QString &message);
    void onOpened(const ColumnList &columns);
    void onChunk(const RowChunk &chunk);
    void onItemStatus(qint64 id, ItemStatus status, int attempts);
    void onItemFinished(const ItemResult &result);
    void maybeRequestChunk();
    void releaseSource();
    /// The watermark column's index in a row; -1 without run.watermark.
    int watermarkColumn() const;
    /// An item the previous run delivered (run.watermark): Delivered at once, not sent.
    void deliverAlready(const Item &item);
    void createDispatcher();
    void maybeFinish();
    /// Stops the run when run.stopAfterFailures items have failed (see Outcome::Stopped).
    void checkStopAfterFailures();
    void setState(State state);
    void finish(Outcome outcome, const QString &message);
    bool resolveSecrets(QStringList *errors);
    bool openJournal(QStringList *errors);
    void applyResumeState();
    /// Resuming: the first chunk begins with the boundary row; false (and the run fails)
    /// when it is not the row the journal holds there.
    bool checkBoundary(const RowChunk &chunk, QList<Item> *items);
    /// Resuming: sends the items the journal holds as owed.
    void submitResumed();
    /// Reads the keychain entries the transfer names, then goes on with secretsRead().
    void readKeychain(QStringList errors);
    void secretsRead(QStringList errors);
    void startSource();
    /// The message for a keychain entry that could not be used ("source.passwordKeychain: no
    /// entry ..."), or empty when it was read.
    QString keychainProblem(const QString &path, const QString &entry) const;
    /// Fills headers from target's values, environment variables and the keychain entries
    /// read at start.
    bool resolveHeaders(const TargetSpec &target, QList<QPair<QByteArray, QByteArray>> *headers,
                        QStringList *errors) const;

    TransferSpec m_spec;
    RunOptions m_options;
    State m_state = State::Idle;
    QString m_password;
    /// Keychain entries read at start: entry name -> answer (value or why not).
    QHash<QString, SecretStore::Answer> m_keychain;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    bool m_wasCancelled = false;
    ColumnList m_columns;
    std::unique_ptr<RowSource> m_source;
    std::shared_ptr<const Transform> m_transform;
    std::unique_ptr<Dispatcher> m_dispatcher;
    QList<QSslCertificate> m_caCertificates; ///< target.caFile's, read at start()
    QSet<qint64> m_retrying;
    /// Items that ended Failed or Invalid (and could be retried): id -> status, attempts.
    QHash<qint64, QPair<ItemStatus, int>> m_notDelivered;
    /// Items not delivered whose attempt went out unanswered at some point (see
    /// ItemResult::mayHaveArrived).
    QSet<qint64> m_mayHaveArrived;
    /// target.idempotencyKey of items not delivered, so that a retry() sends the same key.
    QHash<qint64, QByteArray> m_idempotencyKeys;
    /// Attempts made before a retry, added to what the dispatcher counts.
    QHash<qint64, int> m_priorAttempts;
    qint64 m_read = 0;
    qint64 m_delivered = 0;
    qint64 m_failed = 0;
    qint64 m_invalid = 0;
    bool m_sourceDone = false;
    bool m_cancelling = false;
    bool m_stopping = false; ///< stopped by run.stopAfterFailures (final for the run)
    std::optional<Outcome> m_pendingOutcome; ///< a failure waiting for the dispatcher to drain
    QString m_pendingMessage;
    QElapsedTimer m_clock;
    double m_finalSeconds = -1;
    QDateTime m_startedAt;
    QDateTime m_finishedAt;
    RunStatistics m_statistics;
    FailureDigest m_failures;
    /// Seconds of the spans that ended (the run, then retries after it finished); m_clock
    /// times the current one.
    double m_spentSeconds = 0;
    std::unique_ptr<RunJournal> m_journal;
    bool m_checkBoundary = false; ///< resuming: the next chunk starts with the boundary row
    std::unique_ptr<WatermarkTracker> m_watermark; ///< run.watermark (not when resuming)
    qint64 m_alreadyDelivered = 0;
    qint64 m_resumedFinished = 0;
};

} // namespace sluice
