// SPDX-License-Identifier: GPL-3.0-or-later
#include "runlistmodel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// The files a journal consists of: itself, SQLite's write-ahead log and shared memory,
/// and the lock of the process that writes it.
QStringList journalFiles(const QString &fileName)
{
    return {fileName, fileName + u"-wal"_s, fileName + u"-shm"_s,
            JournalFile::lockFileName(fileName)};
}

} // namespace

RunListModel::RunListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

RunListModel::~RunListModel() = default;

void RunListModel::setFolder(const QString &folder)
{
    m_folder = folder;
    reload();
}

void RunListModel::reload()
{
    setRuns(m_folder.isEmpty() ? QList<JournalSummary>() : JournalFile::listRuns(m_folder));
}

void RunListModel::setRuns(QList<JournalSummary> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    for (JournalSummary &run : m_runs) {
        if (!m_ownRun.isEmpty() && run.fileName == m_ownRun)
            run.inUse = false; // the lock is the caller's own
    }
    endResetModel();
}

void RunListModel::setOwnRun(const QString &fileName)
{
    m_ownRun = fileName;
    const int row = rowForFile(fileName);
    if (row < 0 || !m_runs.at(row).inUse)
        return;
    m_runs[row].inUse = false;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

std::optional<JournalSummary> RunListModel::runAt(int row) const
{
    if (row < 0 || row >= m_runs.size())
        return std::nullopt;
    return m_runs.at(row);
}

int RunListModel::rowForFile(const QString &fileName) const
{
    for (int row = 0; row < m_runs.size(); ++row) {
        if (m_runs.at(row).fileName == fileName)
            return row;
    }
    return -1;
}

bool RunListModel::removeRun(int row, QString *error)
{
    if (row < 0 || row >= m_runs.size()) {
        *error = tr("There is no such run.");
        return false;
    }
    // Read again: the list may be older than the run's state.
    QString why;
    const std::optional<JournalSummary> now
        = JournalFile::readSummary(m_runs.at(row).fileName, &why);
    if (now && now->inUse) {
        *error = tr("%1 is in use by a running Sluice; it can be deleted once that run ends.")
                     .arg(QDir::toNativeSeparators(m_runs.at(row).fileName));
        return false;
    }
    if (!removeJournal(m_runs.at(row).fileName, error))
        return false;
    beginRemoveRows({}, row, row);
    m_runs.removeAt(row);
    endRemoveRows();
    return true;
}

bool RunListModel::owesItems(const JournalSummary &run)
{
    return run.unfinished > 0 || !run.sourceDone;
}

bool RunListModel::canResume(const JournalSummary &run)
{
    return run.isResumable() && !run.inUse && owesItems(run);
}

QString RunListModel::endText(const JournalSummary &run)
{
    if (run.inUse)
        return tr("Running");
    switch (run.end) {
    case JournalEnd::None:
        // The process died, was killed or the machine stopped: nothing recorded an end.
        return tr("Interrupted");
    case JournalEnd::Completed:
        return run.failed + run.invalid > 0 ? tr("Completed with failures") : tr("Completed");
    case JournalEnd::Cancelled:
        return tr("Cancelled");
    case JournalEnd::Stopped:
        return tr("Stopped");
    case JournalEnd::ConfigError:
        return tr("Stopped: configuration error");
    case JournalEnd::SourceError:
        return tr("Stopped: database error");
    }
    return {};
}

std::optional<JournalSummary> RunListModel::latestRun(const QString &folder)
{
    const QDir dir(folder);
    const QFileInfoList files = dir.entryInfoList({u"*."_s + QLatin1StringView(journal::Suffix)},
                                                  QDir::Files, QDir::NoSort);
    // WAL mode: a run's writes go to the -wal file; the journal itself changes only when
    // SQLite copies them back.
    QString latest;
    QDateTime latestTime;
    for (const QFileInfo &file : files) {
        QDateTime time = file.lastModified();
        const QFileInfo wal(file.filePath() + u"-wal"_s);
        if (wal.exists() && wal.lastModified() > time)
            time = wal.lastModified();
        if (latest.isEmpty() || time > latestTime
            || (time == latestTime && file.filePath() > latest)) {
            latest = file.filePath();
            latestTime = time;
        }
    }
    if (latest.isEmpty())
        return std::nullopt;
    QString error;
    return JournalFile::readSummary(latest, &error);
}

bool RunListModel::removeJournal(const QString &fileName, QString *error)
{
    for (const QString &file : journalFiles(fileName)) {
        QFile f(file);
        if (f.exists() && !f.remove()) {
            *error
                = tr("Cannot delete %1: %2").arg(QDir::toNativeSeparators(file), f.errorString());
            return false;
        }
    }
    return true;
}

int RunListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JournalSummary &run = m_runs.at(index.row());
    switch (role) {
    case FileNameRole:
        return run.fileName;
    case ResumableRole:
        return canResume(run);
    case InUseRole:
        return run.inUse;
    default:
        break;
    }
    const auto column = Column(index.column());
    const bool isCount
        = column == Delivered || column == Failed || column == Invalid || column == Owed;
    if (role == Qt::TextAlignmentRole && isCount)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    const QLocale locale;
    if (role == SortRole) {
        switch (column) {
        case Started:
            return run.startedAt;
        case Transfer:
            return run.transferName;
        case Delivered:
            return run.delivered;
        case Failed:
            return run.failed;
        case Invalid:
            return run.invalid;
        case Owed:
            // An unread rest of the source sorts after every known count.
            return run.sourceDone ? run.unfinished : run.unfinished + (Q_INT64_C(1) << 40);
        case Ended:
            return endText(run);
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (column == Owed && !run.sourceDone)
            return tr("%Ln item(s) owed, and the rows the database had not given yet: a resume "
                      "reads them",
                      nullptr, int(run.unfinished));
        if (column == Ended && !run.endMessage.isEmpty())
            return run.endMessage;
        if (column == Transfer || column == Started)
            return QDir::toNativeSeparators(run.fileName);
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Started:
        return locale.toString(run.startedAt.toLocalTime(), QLocale::ShortFormat);
    case Transfer:
        return run.transferName.isEmpty() ? tr("(unsaved transfer)") : run.transferName;
    case Delivered:
        return locale.toString(run.delivered);
    case Failed:
        return locale.toString(run.failed);
    case Invalid:
        return locale.toString(run.invalid);
    case Owed:
        // "+": and the rest of the source, not yet read.
        return run.sourceDone ? locale.toString(run.unfinished)
                              : locale.toString(run.unfinished) + u'+';
    case Ended:
        return endText(run);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section < 0 || section >= ColumnCount)
        return {};
    const auto column = Column(section);
    if (role == Qt::TextAlignmentRole && column != Started && column != Transfer && column != Ended)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Started:
        return tr("Started");
    case Transfer:
        return tr("Transfer");
    case Delivered:
        return tr("Delivered");
    case Failed:
        return tr("Failed");
    case Invalid:
        return tr("Invalid");
    case Owed:
        return tr("Owed");
    case Ended:
        return tr("Ended");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace sluice
