// SPDX-License-Identifier: GPL-3.0-or-later
// ThreadSanitizer builds only (SLUICE_TSAN): checks src/core/util/tsanqt.cpp, which teaches
// ThreadSanitizer how Qt's event queue hands data from one thread to another. Each case runs
// this executable again as a child that does one thing and exits with 66 when
// ThreadSanitizer reports anything (the test itself could not survive a report).
#include <memory>
#include <thread>
#include <vector>

#include <QCoreApplication>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

#include "util/queuedcall.h"
#include "util/workerthread.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

constexpr int Rounds = 150;
constexpr int TsanExitCode = 66;

/// Handed over by value through queued signals: its copies are made by Qt's event queue.
struct Batch
{
    int round = 0;
    QList<qint64> values;
    std::vector<qint64> plain;
};

} // namespace

/// Lives in a worker thread.
class Echo final : public QObject
{
    Q_OBJECT

public:
    explicit Echo(std::vector<qint64> *shared)
        : m_shared(shared)
    { }

    /// Through a queued call (invokeQueued): reads what the main thread wrote before it
    /// called, writes back, answers with a queued signal.
    void take(int round)
    {
        const bool ok = m_shared->size() == size_t(2 * round + 1) && m_shared->back() == -round;
        m_shared->push_back(round);
        Batch answer;
        answer.round = ok ? round : -1;
        answer.plain = *m_shared;
        answer.values = {qint64(m_shared->size())};
        Q_EMIT answered(answer);
    }

Q_SIGNALS:
    void answered(const Batch &batch);

private:
    std::vector<qint64> *m_shared;
};

/// The main thread's side.
class Driver final : public QObject
{
    Q_OBJECT

public:
    explicit Driver(std::vector<qint64> *shared)
        : m_shared(shared)
    { }

    int round() const { return m_round; }
    bool ok() const { return m_ok; }

public Q_SLOTS:
    void onAnswer(const Batch &batch)
    {
        // Both sides appended once per round: -round (here), then round (there).
        m_ok = m_ok && batch.round == m_round && m_shared->size() == size_t(2 * (m_round + 1))
            && m_shared->back() == m_round && batch.plain == *m_shared
            && batch.values == QList<qint64> {qint64(m_shared->size())};
        ++m_round;
    }

private:
    std::vector<qint64> *m_shared;
    int m_round = 0;
    bool m_ok = true;
};

namespace {

/// Child: Rounds round trips main -> worker -> main, each handing plain memory over and
/// back. The main thread takes its events with sendPostedEvents() rather than an event
/// loop: a thread that sleeps in its loop until an event comes is woken through a file
/// descriptor, and ThreadSanitizer sees that hand-over by itself, but not every event is
/// taken that way.
int handOver(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<qint64> shared;
    WorkerThread thread(u"tsanqt-echo"_s);
    auto echo = std::make_unique<Echo>(&shared);
    Echo *worker = echo.get();
    Driver driver(&shared);
    QObject::connect(worker, &Echo::answered, &driver, &Driver::onAnswer);
    thread.start(std::move(echo));
    for (int round = 0; round < Rounds; ++round) {
        shared.push_back(-round);
        invokeQueued(worker, [worker, round] { worker->take(round); });
        while (driver.round() == round) {
            QCoreApplication::sendPostedEvents();
            std::this_thread::yield();
        }
    }
    return driver.ok() ? 0 : 1;
}

/// Child: a plain data race between two threads that never use the event queue.
int race()
{
    static qint64 counter = 0;
    std::thread other([] { counter += 1; });
    counter += 2;
    other.join();
    return counter == 3 ? 0 : 1;
}

struct Child
{
    int exitCode = -1;
    QString errors;
};

/// glib: whether the child uses Qt's GLib event dispatcher (Qt's default) or its own
/// (QT_NO_GLIB=1, as `sluice run` sets it).
Child runChild(const QString &mode, bool glib, bool hooks = true)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"SLUICE_TSANQT_CHILD"_s, mode);
    // CTest's options (the suppressions) and ours.
    env.insert(u"TSAN_OPTIONS"_s,
               env.value(u"TSAN_OPTIONS"_s) + u":halt_on_error=1:exitcode=%1"_s.arg(TsanExitCode));
    if (!hooks)
        env.insert(u"SLUICE_TSAN_NO_QT_HOOKS"_s, u"1"_s);
    if (glib)
        env.remove(u"QT_NO_GLIB"_s);
    else
        env.insert(u"QT_NO_GLIB"_s, u"1"_s);
    process.setProcessEnvironment(env);
    process.start(QCoreApplication::applicationFilePath(), {});
    if (!process.waitForFinished(120000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromLocal8Bit(process.readAllStandardError())};
}

} // namespace

class TestTsanQt final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aHandOverThroughTheEventQueueIsNoRace_data() { dispatchers(); }
    void aHandOverThroughTheEventQueueIsNoRace()
    {
        QFETCH(bool, glib);
        const Child child = runChild(u"handover"_s, glib);
        QVERIFY2(!child.errors.contains(u"ThreadSanitizer"_s), qPrintable(child.errors));
        QCOMPARE(child.exitCode, 0);
    }

    void withoutTheHooksTheSameHandOverIsReported_data() { dispatchers(); }
    void withoutTheHooksTheSameHandOverIsReported()
    {
        QFETCH(bool, glib);
        const Child child = runChild(u"handover"_s, glib, false);
        QCOMPARE(child.exitCode, TsanExitCode);
        QVERIFY2(child.errors.contains(u"WARNING: ThreadSanitizer: data race"_s),
                 qPrintable(child.errors));
    }

    void aRaceOutsideTheEventQueueIsFound()
    {
        const Child child = runChild(u"race"_s, true);
        QCOMPARE(child.exitCode, TsanExitCode);
        QVERIFY2(child.errors.contains(u"WARNING: ThreadSanitizer: data race"_s),
                 qPrintable(child.errors));
    }

private:
    static void dispatchers()
    {
        QTest::addColumn<bool>("glib");
        QTest::newRow("GLib dispatcher") << true;
        QTest::newRow("Qt's own dispatcher (QT_NO_GLIB)") << false;
    }
};

int main(int argc, char **argv)
{
    const QByteArray mode = qgetenv("SLUICE_TSANQT_CHILD");
    if (mode == "handover")
        return handOver(argc, argv);
    if (mode == "race")
        return race();
    QCoreApplication app(argc, argv);
    TestTsanQt test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_tsanqt.moc"
