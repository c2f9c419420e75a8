// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QAbstractTableModel>
#include <QList>
#include <QString>

#include "journal/journalfile.h"

namespace sluice {

/// Past runs, one row per journal in a folder (JournalFile::listRuns()): when each started,
/// the transfer, its items per fate and how it ended. The Open Run dialog shows it.
///
/// Threads: the owner's thread only. Reading a folder opens every journal in it (a summary
/// each, no items).
class RunListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunListModel)

public:
    enum Column { Started, Transfer, Delivered, Failed, Invalid, Owed, Ended, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        /// The raw value for sorting: start time as QDateTime, counts as numbers, text as
        /// QString.
        SortRole = Qt::UserRole,
        FileNameRole, ///< QString, the journal's path
        /// bool, canResume(): an interrupted run that owes items and nobody runs now
        ResumableRole,
        InUseRole, ///< bool, a running Sluice writes it now
    };
    Q_ENUM(Role)

    explicit RunListModel(QObject *parent = nullptr);
    ~RunListModel() override;

    /// Lists the journals in folder (a model reset); folder() remembers it for reload().
    void setFolder(const QString &folder);
    QString folder() const { return m_folder; }
    /// Reads the folder again.
    void reload();
    /// Shows runs (newest first, as listRuns() gives them); a model reset.
    void setRuns(QList<JournalSummary> runs);
    /// The journal the caller itself holds (the app's Run tab shows it, its finished run
    /// keeps it locked): listed as it ended, not as in use. Empty: none.
    void setOwnRun(const QString &fileName);
    QString ownRun() const { return m_ownRun; }

    /// The run on row; nullopt for a bad row.
    std::optional<JournalSummary> runAt(int row) const;
    /// -1 when no row holds the journal fileName.
    int rowForFile(const QString &fileName) const;
    /// Deletes row's journal and the files beside it (removeJournal()) and removes the row.
    /// Returns false with *error, changing nothing, for a bad row or a journal a running
    /// Sluice writes, or when a file cannot be removed (the row stays).
    bool removeRun(int row, QString *error);

    /// Whether the run still owes items: unfinished ones, or rows its source had not
    /// produced yet (it was not read to its end).
    static bool owesItems(const JournalSummary &run);
    /// An interrupted run that owes something and that no running Sluice writes: a resume
    /// goes on with it.
    static bool canResume(const JournalSummary &run);
    /// How the run ended, in a word or two ("Completed", "Interrupted", "Running", ...).
    static QString endText(const JournalSummary &run);
    /// The journal that was written last in folder (by the time of the file or its
    /// write-ahead log), read; nullopt when there is none that reads. Cheaper than
    /// listRuns(): one journal is opened.
    static std::optional<JournalSummary> latestRun(const QString &folder);
    /// Removes a journal: the file, its -wal, -shm and lock files. Returns false with
    /// *error naming the file that could not be removed.
    static bool removeJournal(const QString &fileName, QString *error);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString m_folder;
    QString m_ownRun;
    QList<JournalSummary> m_runs;
};

} // namespace sluice
