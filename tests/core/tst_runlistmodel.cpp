// SPDX-License-Identifier: GPL-3.0-or-later
// The list of past runs (File > Open Run…): journals in a folder, what each row says, which
// runs can be resumed, the newest journal, and deleting a journal with its side files.

#include "journal/journalfile.h"
#include "journal/runjournal.h"
#include "models/runlistmodel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace sluice;

namespace {

const QByteArray Transfer = R"({"version":1,"source":{"driver":"QSQLITE","database":"x.db"},
"query":{"sql":"SELECT 1"},"target":{"url":"http://127.0.0.1:9/items"}})";

Item makeItem(qint64 id)
{
    Item item;
    item.id = id;
    item.key = QString::number(id + 1);
    item.payload = "{}";
    return item;
}

ItemResult makeResult(qint64 id, ItemStatus status)
{
    ItemResult r;
    r.id = id;
    r.key = QString::number(id + 1);
    r.status = status;
    r.attempts = status == ItemStatus::Invalid ? 0 : 1;
    r.httpStatus = status == ItemStatus::Delivered ? 201 : 422;
    if (status != ItemStatus::Delivered)
        r.error = QStringLiteral("HTTP 422 Unprocessable Entity");
    return r;
}

/// What a journal holds: items 0..delivered-1 delivered, then failed ones, invalid ones
/// and owed ones (queued, never answered).
struct RunShape
{
    int delivered = 0;
    int failed = 0;
    int invalid = 0;
    int owed = 0;
    bool sourceDone = true;
    std::optional<JournalEnd> end = JournalEnd::Completed; ///< nullopt: killed, no end
};

RunShape shape(int delivered, int failed = 0, int invalid = 0, int owed = 0, bool sourceDone = true,
               std::optional<JournalEnd> end = JournalEnd::Completed)
{
    RunShape s;
    s.delivered = delivered;
    s.failed = failed;
    s.invalid = invalid;
    s.owed = owed;
    s.sourceDone = sourceDone;
    s.end = end;
    return s;
}

} // namespace

class TestRunListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void listsEveryJournalNewestFirst();
    void rowsSayWhatHappened();
    void whichRunsCanBeResumed_data();
    void whichRunsCanBeResumed();
    void aRunBeingWrittenIsInUse();
    void latestRunIsTheJournalWrittenLast();
    void removeRunDeletesTheJournalAndItsSideFiles();
    void filesThatAreNotJournalsAreLeftOut();

private:
    QString write(const QString &name, const RunShape &shape, const QString &transferFile = {});
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunListModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestRunListModel::write(const QString &name, const RunShape &shape,
                                const QString &transferFile)
{
    const QString file = m_dir->filePath(name + QStringLiteral(".sluicerun"));
    QString error;
    auto journal = RunJournal::create(file, {Transfer, transferFile, m_dir->path()}, &error);
    if (!journal) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    journal->recordStart();
    QList<Item> items;
    const int total = shape.delivered + shape.failed + shape.invalid + shape.owed;
    for (int id = 0; id < total; ++id)
        items.append(makeItem(id));
    journal->recordQueued(items);
    int id = 0;
    for (int i = 0; i < shape.delivered; ++i)
        journal->recordFinished(makeResult(id++, ItemStatus::Delivered));
    for (int i = 0; i < shape.failed; ++i)
        journal->recordFinished(makeResult(id++, ItemStatus::Failed));
    for (int i = 0; i < shape.invalid; ++i)
        journal->recordFinished(makeResult(id++, ItemStatus::Invalid));
    if (shape.sourceDone)
        journal->recordSourceDone(total);
    if (shape.end)
        journal->recordEnd(*shape.end, {}, shape.delivered, shape.failed, shape.invalid);
    journal->flush();
    return file;
}

void TestRunListModel::listsEveryJournalNewestFirst()
{
    const QString first = write(QStringLiteral("first"), shape(1));
    QTest::qWait(20); // start times a few ms apart
    const QString second = write(QStringLiteral("second"), shape(2));
    QTest::qWait(20);
    const QString third = write(QStringLiteral("third"), shape(3));
    QVERIFY(!first.isEmpty() && !second.isEmpty() && !third.isEmpty());

    RunListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFolder(m_dir->path());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(RunListModel::ColumnCount));
    QCOMPARE(model.index(0, 0).data(RunListModel::FileNameRole).toString(), third);
    QCOMPARE(model.index(2, 0).data(RunListModel::FileNameRole).toString(), first);
    QCOMPARE(model.rowForFile(second), 1);
    QCOMPARE(model.rowForFile(m_dir->filePath(QStringLiteral("none.sluicerun"))), -1);
    QVERIFY(model.index(0, RunListModel::Started).data(RunListModel::SortRole).toDateTime()
            > model.index(1, RunListModel::Started).data(RunListModel::SortRole).toDateTime());
    QCOMPARE(model.headerData(RunListModel::Owed, Qt::Horizontal).toString(),
             QStringLiteral("Owed"));

    // A run added meanwhile shows after a reload.
    write(QStringLiteral("fourth"), shape(4));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.reload();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 4);
}

void TestRunListModel::rowsSayWhatHappened()
{
    const QString file = write(QStringLiteral("sensors-20261205-101500"), shape(1200, 3, 2),
                               m_dir->filePath(QStringLiteral("sensors.json")));
    QVERIFY(!file.isEmpty());
    RunListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFolder(m_dir->path());
    QCOMPARE(model.rowCount(), 1);
    const auto text = [&](RunListModel::Column column) {
        return model.index(0, column).data().toString();
    };
    QCOMPARE(text(RunListModel::Transfer), QStringLiteral("sensors"));
    QCOMPARE(text(RunListModel::Delivered), QLocale().toString(1200));
    QCOMPARE(text(RunListModel::Failed), QStringLiteral("3"));
    QCOMPARE(text(RunListModel::Invalid), QStringLiteral("2"));
    QCOMPARE(text(RunListModel::Owed), QStringLiteral("0"));
    QCOMPARE(text(RunListModel::Ended), QStringLiteral("Completed with failures"));
    QVERIFY(!text(RunListModel::Started).isEmpty());
    QCOMPARE(model.index(0, RunListModel::Delivered).data(RunListModel::SortRole).toLongLong(),
             1200);
    QCOMPARE(
        model.index(0, RunListModel::Failed).data(Qt::TextAlignmentRole).value<Qt::Alignment>(),
        Qt::AlignRight | Qt::AlignVCenter);
    QVERIFY(!model.index(0, 0).data(RunListModel::ResumableRole).toBool());

    // Killed while reading: the owed count is what it had, and more rows are to come.
    QVERIFY(QFile::remove(file));
    write(QStringLiteral("killed"), shape(5, 0, 0, 7, false, std::nullopt));
    model.reload();
    QCOMPARE(text(RunListModel::Owed), QStringLiteral("7+"));
    QVERIFY(model.index(0, RunListModel::Owed)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("not given yet")));
    QCOMPARE(text(RunListModel::Ended), QStringLiteral("Interrupted"));
    QCOMPARE(text(RunListModel::Transfer), QStringLiteral("(unsaved transfer)"));
    QVERIFY(model.index(0, 0).data(RunListModel::ResumableRole).toBool());
}

void TestRunListModel::whichRunsCanBeResumed_data()
{
    QTest::addColumn<int>("owed");
    QTest::addColumn<bool>("sourceDone");
    QTest::addColumn<int>("end"); // -1: none
    QTest::addColumn<QString>("endText");
    QTest::addColumn<bool>("resumable");

    QTest::newRow("completed") << 0 << true << int(JournalEnd::Completed)
                               << QStringLiteral("Completed") << false;
    QTest::newRow("cancelled, items owed")
        << 4 << true << int(JournalEnd::Cancelled) << QStringLiteral("Cancelled") << true;
    QTest::newRow("killed while reading")
        << 0 << false << -1 << QStringLiteral("Interrupted") << true;
    QTest::newRow("killed after the last answer, before its end was written")
        << 0 << true << -1 << QStringLiteral("Interrupted") << false;
    QTest::newRow("stopped after too many failures")
        << 3 << false << int(JournalEnd::Stopped) << QStringLiteral("Stopped") << true;
    QTest::newRow("database failed") << 0 << false << int(JournalEnd::SourceError)
                                     << QStringLiteral("Stopped: database error") << true;
}

void TestRunListModel::whichRunsCanBeResumed()
{
    QFETCH(int, owed);
    QFETCH(bool, sourceDone);
    QFETCH(int, end);
    QFETCH(QString, endText);
    QFETCH(bool, resumable);
    const QString file
        = write(QStringLiteral("run"),
                shape(2, 0, 0, owed, sourceDone,
                      end < 0 ? std::nullopt : std::optional<JournalEnd>(JournalEnd(end))));
    QString error;
    const auto summary = JournalFile::readSummary(file, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(RunListModel::endText(*summary), endText);
    QCOMPARE(RunListModel::canResume(*summary), resumable);
    QCOMPARE(RunListModel::owesItems(*summary), owed > 0 || !sourceDone);
}

void TestRunListModel::aRunBeingWrittenIsInUse()
{
    const QString file = m_dir->filePath(QStringLiteral("live.sluicerun"));
    QString error;
    auto journal = RunJournal::create(file, {Transfer, {}, {}}, &error);
    QVERIFY2(journal, qPrintable(error));
    journal->recordStart();
    journal->recordQueued({makeItem(0)});
    journal->flush();

    RunListModel model;
    model.setFolder(m_dir->path());
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(model.index(0, 0).data(RunListModel::InUseRole).toBool());
    QVERIFY(!model.index(0, 0).data(RunListModel::ResumableRole).toBool());
    QCOMPARE(model.index(0, RunListModel::Ended).data().toString(), QStringLiteral("Running"));
    // Never deleted under a running Sluice.
    QVERIFY(!model.removeRun(0, &error));
    QVERIFY2(error.contains(QStringLiteral("in use by a running Sluice")), qPrintable(error));
    QVERIFY(QFile::exists(file));
    QCOMPARE(model.rowCount(), 1);
    // Its own journal, to the process that writes it, is listed as it stands.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setOwnRun(file);
    QCOMPARE(changed.size(), 1);
    QVERIFY(!model.index(0, 0).data(RunListModel::InUseRole).toBool());
    QCOMPARE(model.index(0, RunListModel::Ended).data().toString(), QStringLiteral("Interrupted"));
    model.setOwnRun({});
    model.reload();
    QVERIFY(model.index(0, 0).data(RunListModel::InUseRole).toBool());

    journal.reset();
    model.reload();
    QVERIFY(!model.index(0, 0).data(RunListModel::InUseRole).toBool());
    QVERIFY(model.index(0, 0).data(RunListModel::ResumableRole).toBool());
}

void TestRunListModel::latestRunIsTheJournalWrittenLast()
{
    QVERIFY(!RunListModel::latestRun(m_dir->path()));
    QVERIFY(!RunListModel::latestRun(m_dir->filePath(QStringLiteral("missing"))));
    // Names do not decide: "a-" sorts first and is written last.
    write(QStringLiteral("z-old"), shape(1));
    QTest::qWait(1100); // file times may count whole seconds
    const QString latest
        = write(QStringLiteral("a-new"), shape(1, 0, 0, 2, true, JournalEnd::Cancelled));
    const auto run = RunListModel::latestRun(m_dir->path());
    QVERIFY(run);
    QCOMPARE(run->fileName, latest);
    QCOMPARE(run->unfinished, 2);
}

void TestRunListModel::removeRunDeletesTheJournalAndItsSideFiles()
{
    const QString keep = write(QStringLiteral("keep"), shape(1));
    const QString file = write(QStringLiteral("gone"), shape(1, 1));
    // A killed run leaves its write-ahead log, shared memory and a stale lock beside it: a
    // lock as this process writes one, of a process that is gone.
    QByteArray lock;
    {
        const QString other = m_dir->filePath(QStringLiteral("other.lock"));
        QLockFile held(other);
        QVERIFY(held.lock());
        QFile f(other);
        QVERIFY(f.open(QIODevice::ReadOnly));
        lock = f.readAll();
    }
    QProcess gone;
    gone.start(QStringLiteral("true"), {});
    QVERIFY(gone.waitForStarted());
    const qint64 pid = gone.processId();
    QVERIFY(gone.waitForFinished());
    lock = QByteArray::number(pid) + lock.mid(lock.indexOf('\n'));
    {
        QFile f(JournalFile::lockFileName(file));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(lock);
    }
    const QStringList sides {file + QStringLiteral("-wal"), file + QStringLiteral("-shm")};
    for (const QString &side : sides) {
        QFile f(side);
        if (!f.exists()) {
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("x");
        }
    }
    RunListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFolder(m_dir->path());
    QCOMPARE(model.rowCount(), 2);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QString error;
    QVERIFY2(model.removeRun(model.rowForFile(file), &error), qPrintable(error));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(RunListModel::FileNameRole).toString(), keep);
    const QStringList left = QDir(m_dir->path()).entryList(QDir::Files);
    for (const QString &name : left)
        QVERIFY2(!name.startsWith(QStringLiteral("gone")), qPrintable(name));
    QVERIFY(QFile::exists(keep));
    QVERIFY(!model.removeRun(5, &error));
}

void TestRunListModel::filesThatAreNotJournalsAreLeftOut()
{
    write(QStringLiteral("good"), shape(1));
    QFile bad(m_dir->filePath(QStringLiteral("bad.sluicerun")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("not a database");
    bad.close();
    RunListModel model;
    model.setFolder(m_dir->path());
    QCOMPARE(model.rowCount(), 1);
}

QTEST_GUILESS_MAIN(TestRunListModel)
#include "tst_runlistmodel.moc"
