// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test): drives a million-item run through the run panel's item model and its
// table, offscreen, with the signal pattern of a TransferRun (itemsQueued per chunk, Sending per
// dispatched item, a result per finished item, bounded in flight, the next chunk only when at
// most one waits), while a steward follows the tail, filters, searches and sorts, then looks at
// the failures once the run is over, with the run charts fed as a run feeds them and shown
// (the Charts tab is brought forward at each phase's start; a click on a row shows the item).
// Prints the event-loop stalls per phase, the throughput and the memory per item (RSS, and the heap
// split between proxy + table, groups and model).
//
//   QT_QPA_PLATFORM=offscreen bench_itemtable [--items N] [--chunk N] [--failed-percent P]
//       [--in-flight N] [--step N] [--rate N] [--min-phase-ms MS] [--no-groups] [--no-charts]
//       [--shuffled-keys]
//
// `cmake --build <release build> --target bench-gui` runs it with the defaults (1,000,000 items).
// The feed is a 0 ms timer (one step per event loop pass), so whatever a step, a flush or a
// repaint costs shows up as a late heartbeat. Phases begin at a share of the items finished and
// last at least --min-phase-ms; a feed that gets there sooner waits (reported as held time).
// Exits 1 when a simulated action did not take effect (see the "note:" lines); after the run,
// a sort counts only if the table's first and last rows are in its order by the phase's end.
// --shuffled-keys numbers the keys in no order, so that sorting by Key compares them all.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include <malloc.h>

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QLocale>
#include <QMouseEvent>
#include <QRandomGenerator>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>

#include "models/failuregroupmodel.h"
#include "models/transferstatusmodel.h"
#include "runchartsview.h"
#include "runpanel.h"
#include "transfer/runstatistics.h"
#include "types/item.h"

using namespace Qt::StringLiterals;

namespace {

using namespace sluice;

constexpr int HeartbeatMs = 5;
constexpr int FollowMs = 250; ///< how often the steward's view jumps to the newest rows
constexpr int TypingMs = 90; ///< between two keystrokes: a fast typist
constexpr int ClickDelayMs = 300; ///< from a filter change to the click on a row
constexpr int StartSettleMs = 300;
constexpr QStringView SearchText = u"4711";

struct Options
{
    qint64 items = 1'000'000;
    int chunk = 5000;
    double failedPercent = 2.0;
    int inFlight = 64;
    int step = 64;
    qint64 rate = 0; ///< items per second; 0 = as fast as the event loop allows
    int minPhaseMs = 2000;
    bool groups = true;
    bool charts = true; ///< feed RunStatistics and show the Charts tab
    bool shuffledKeys = false;
};

struct ProcMemory
{
    qint64 rssKiB = -1;
    qint64 hwmKiB = -1;
};

ProcMemory readProcMemory()
{
    ProcMemory memory;
    QFile file(u"/proc/self/status"_s);
    if (!file.open(QIODevice::ReadOnly))
        return memory;
    // /proc files have no size: readAll() reads to the end.
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const auto value = [&line] {
            return line.mid(line.indexOf(':') + 1).trimmed().split(' ').value(0).toLongLong();
        };
        if (line.startsWith("VmRSS:"))
            memory.rssKiB = value();
        else if (line.startsWith("VmHWM:"))
            memory.hwmKiB = value();
    }
    return memory;
}

/// Bytes malloc has handed out and not got back (all arenas, mmapped blocks included).
qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}

QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return u"unknown"_s;
    const QList<QByteArray> fields = file.readAll().split(' ');
    return QString::fromLatin1(fields.mid(0, 3).join(' '));
}

const QLocale &locale()
{
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english;
}

QString number(qint64 n)
{
    return locale().toString(n);
}

QString fixed(double value, int decimals)
{
    return locale().toString(value, 'f', decimals);
}

QString mebibytes(qint64 kib)
{
    return fixed(double(kib) / 1024.0, 1) + u" MiB"_s;
}

void print(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

struct StallFigures
{
    double maxMs = 0;
    double p99Ms = 0;
    double sumMs = 0;
    qsizetype over50 = 0;
    qsizetype over100 = 0;
    qsizetype beats = 0;
};

StallFigures figuresOf(std::vector<double> stallsMs)
{
    StallFigures figures;
    figures.beats = qsizetype(stallsMs.size());
    if (stallsMs.empty())
        return figures;
    std::sort(stallsMs.begin(), stallsMs.end());
    figures.maxMs = stallsMs.back();
    for (double stall : stallsMs)
        figures.sumMs += stall;
    const auto p99 = size_t(std::ceil(0.99 * double(stallsMs.size()))) - 1;
    figures.p99Ms = stallsMs[std::min(p99, stallsMs.size() - 1)];
    figures.over50
        = std::count_if(stallsMs.begin(), stallsMs.end(), [](double s) { return s > 50; });
    figures.over100
        = std::count_if(stallsMs.begin(), stallsMs.end(), [](double s) { return s > 100; });
    return figures;
}

QString describe(const StallFigures &f)
{
    return u"longest stall %1 ms, p99 %2 ms, >50 ms: %3, >100 ms: %4 (%5 beats, %6 s stalled)"_s
        .arg(fixed(f.maxMs, 1), fixed(f.p99Ms, 1), number(f.over50), number(f.over100),
             number(f.beats), fixed(f.sumMs / 1000.0, 2));
}

/// One stretch of the run during which the steward does one thing to the view.
struct Phase
{
    QString name;
    double startFraction = 0; ///< of the items finished when it begins
    std::function<void()> begin;
    std::vector<double> stallsMs;
    qint64 firstItem = 0;
    qint64 lastItem = 0;
    qint64 startNs = 0;
    qint64 endNs = 0;
    qint64 shownAtEnd = 0;
    qint64 totalAtEnd = 0;
    qint64 rssAtEndKiB = 0;
    bool afterRun = false; ///< begins minPhaseMs after the previous one, with no feed
    bool checkSorted = false; ///< the table must be in the header's order at the end
};

Phase makePhase(const QString &name, double startFraction, std::function<void()> begin,
                bool afterRun = false)
{
    Phase phase;
    phase.name = name;
    phase.startFraction = startFraction;
    phase.begin = std::move(begin);
    phase.afterRun = afterRun;
    return phase;
}

struct Keystroke
{
    int key = 0;
    QString text;
    Qt::KeyboardModifiers modifiers = {};
};

QString keyNamed(qint64 number)
{
    return u"sensor-%1"_s.arg(number, 6, 10, QChar(u'0'));
}

QByteArray payloadFor(qint64 id, const QString &key)
{
    return "{\"sensor\":\"" + key.toLatin1() + "\",\"ts\":\"2024-05-01T12:00:00Z\",\"seq\":"
        + QByteArray::number(id) + ",\"temperature\":21.5,\"humidity\":40.1,\"site\":\"north-3\"}";
}

/// Not a Q_OBJECT: it only serves as the context of its own connections.
class Bench final : public QObject
{
public:
    explicit Bench(const Options &options);

    void start();

private:
    void step();
    /// Items finished when phase may begin.
    qint64 startItem(size_t phase) const;
    /// Whether the current phase began less than minPhaseMs before now.
    bool phaseYoung(qint64 now) const;
    void queueChunk();
    void finishItem(qint64 id);
    void beat();
    void follow();
    void beginPhase(size_t index);
    void closePhase(qint64 now);
    void endFeed();
    /// Begins the next after-run phase, or reports when there is none.
    void nextAfterRun();
    void report();

    /// The filter combo's entry for status (an ItemStatus), or -1 for all items.
    void selectFilter(int status);
    /// Sends keys to the search field one by one, TypingMs apart.
    void typeKeys(const QList<Keystroke> &keys);
    void sendNextKey();
    void clickHeader(int section);
    /// The after-run phases that sort by column, one header click each way.
    void addSortPhases(int column, const QString &name);
    /// Notes when the table's first and last rows are not in the header's sort order.
    void checkSorted(const Phase &phase);
    QString keyFor(qint64 id) const;
    void clickFirstVisibleRow();
    void note(const QString &text);

    Options m_options;
    RunPanel m_panel;
    TransferStatusModel *m_model = nullptr;
    FailureGroupModel *m_groups = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QComboBox *m_filterCombo = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QTableView *m_table = nullptr;
    QTabWidget *m_tabs = nullptr;
    RunChartsView *m_charts = nullptr;
    RunStatistics m_statistics;

    QTimer m_feedTimer;
    QTimer m_heartbeat;
    QTimer m_followTimer;
    QTimer m_typingTimer;
    QElapsedTimer m_clock;
    qint64 m_lastBeatNs = 0;
    QRandomGenerator m_random {20240501};
    std::vector<qint64> m_keyNumbers; ///< with --shuffled-keys: the number in each id's key

    qint64 m_queued = 0; ///< items announced by itemsQueued
    qint64 m_dispatched = 0; ///< items marked Sending
    qint64 m_finished = 0;
    std::deque<qint64> m_inFlight;
    qint64 m_failed = 0;
    qint64 m_feedStartNs = 0;
    qint64 m_feedEndNs = 0;
    qint64 m_longestAddItemsNs = 0;
    qint64 m_longestStepNs = 0;
    qint64 m_steps = 0;
    bool m_holding = false;
    qint64 m_heldNs = 0; ///< the feed waited at a phase boundary
    qint64 m_previousStepNs = 0;

    std::vector<Phase> m_phases;
    size_t m_feedPhaseCount = 0; ///< the phases during the feed come first
    size_t m_phase = 0;
    std::deque<Keystroke> m_keys;
    QStringList m_notes;

    ProcMemory m_memoryBefore;
    qint64 m_heapBefore = 0;
    ProcMemory m_memoryAfter;
    qint64 m_heapAfter = 0;
};

Bench::Bench(const Options &options)
    : m_options(options)
    , m_model(m_panel.model())
    , m_groups(m_panel.failureGroups())
    , m_proxy(m_panel.proxyModel())
    , m_filterCombo(m_panel.findChild<QComboBox *>(u"filterCombo"_s))
    , m_searchEdit(m_panel.findChild<QLineEdit *>(u"searchEdit"_s))
    , m_table(m_panel.findChild<QTableView *>(u"itemTable"_s))
    , m_tabs(m_panel.findChild<QTabWidget *>(u"detailsTabs"_s))
    , m_charts(m_panel.findChild<RunChartsView *>(u"chartsTab"_s))
{
    if (m_charts && m_options.charts)
        m_charts->setStatistics(&m_statistics);
    m_feedTimer.setInterval(options.rate > 0 ? 1 : 0);
    connect(&m_feedTimer, &QTimer::timeout, this, &Bench::step);
    m_heartbeat.setTimerType(Qt::PreciseTimer);
    m_heartbeat.setInterval(HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &Bench::beat);
    m_followTimer.setInterval(FollowMs);
    connect(&m_followTimer, &QTimer::timeout, this, &Bench::follow);
    m_typingTimer.setInterval(TypingMs);
    connect(&m_typingTimer, &QTimer::timeout, this, &Bench::sendNextKey);

    // The steward's afternoon, by share of the items finished.
    m_phases = {
        makePhase(u"follow the tail (All, queue order)"_s, 0.0, [] {}),
        makePhase(u"filter Failed, click a row"_s, 0.20,
                  [this] {
                      selectFilter(int(ItemStatus::Failed));
                      QTimer::singleShot(ClickDelayMs, this, &Bench::clickFirstVisibleRow);
                  }),
        makePhase(u"filter back to All"_s, 0.35, [this] { selectFilter(-1); }),
        makePhase(u"search \"%1\" (typed)"_s.arg(SearchText), 0.45,
                  [this] {
                      QList<Keystroke> keys;
                      for (QChar c : SearchText)
                          keys.append({Qt::Key_0 + c.digitValue(), QString(c)});
                      typeKeys(keys);
                  }),
        makePhase(u"search cleared (Ctrl+A, Backspace)"_s, 0.60,
                  [this] {
                      typeKeys({{Qt::Key_A, {}, Qt::ControlModifier}, {Qt::Key_Backspace, {}}});
                  }),
        makePhase(u"sort by Key (header click)"_s, 0.70,
                  [this] { clickHeader(TransferStatusModel::Key); }),
        makePhase(
            u"queue order again"_s, 0.85,
            [this] { m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); }),
        makePhase(u"run finished: final flush"_s, 1.0,
                  [this] {
                      m_model->flush();
                      if (m_options.groups)
                          m_groups->flush();
                  }),
        // What a steward does first once a run is over: look at what failed.
        makePhase(
            u"after the run: filter Failed, click a row"_s, 1.0,
            [this] {
                selectFilter(int(ItemStatus::Failed));
                QTimer::singleShot(ClickDelayMs, this, &Bench::clickFirstVisibleRow);
            },
            true),
        makePhase(
            u"after the run: filter back to All"_s, 1.0, [this] { selectFilter(-1); }, true),
        makePhase(
            u"after the run: sort by Key (header click)"_s, 1.0,
            [this] { clickHeader(TransferStatusModel::Key); }, true),
        makePhase(
            u"after the run: sort by Key, reversed (header click)"_s, 1.0,
            [this] { clickHeader(TransferStatusModel::Key); }, true),
    };
    m_phases[m_phases.size() - 2].checkSorted = true;
    m_phases.back().checkSorted = true;
    addSortPhases(TransferStatusModel::Status, u"Status"_s);
    addSortPhases(TransferStatusModel::HttpStatus, u"HTTP"_s);
    addSortPhases(TransferStatusModel::Attempts, u"Attempts"_s);
    addSortPhases(TransferStatusModel::Latency, u"Latency"_s);
    addSortPhases(TransferStatusModel::Error, u"Error"_s);
    // What a filter costs while a column orders the table.
    m_phases.push_back(makePhase(
        u"after the run, sorted by Error: filter Failed"_s, 1.0,
        [this] { selectFilter(int(ItemStatus::Failed)); }, true));
    m_phases.push_back(makePhase(
        u"after the run, sorted by Error: filter back to All"_s, 1.0, [this] { selectFilter(-1); },
        true));
    m_phases.push_back(makePhase(
        u"after the run, sorted by Error: search \"%1\" (typed)"_s.arg(SearchText), 1.0,
        [this] {
            QList<Keystroke> keys;
            for (QChar c : SearchText)
                keys.append({Qt::Key_0 + c.digitValue(), QString(c)});
            typeKeys(keys);
        },
        true));
    m_phases.push_back(makePhase(
        u"after the run, sorted by Error: search cleared"_s, 1.0,
        [this] {
            typeKeys({{Qt::Key_A, {}, Qt::ControlModifier}, {Qt::Key_Backspace, {}}});
        },
        true));
    m_phases.push_back(makePhase(
        u"after the run: queue order again"_s, 1.0,
        [this] { m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); }, true));
    if (m_options.shuffledKeys) {
        m_keyNumbers.resize(size_t(m_options.items));
        std::iota(m_keyNumbers.begin(), m_keyNumbers.end(), 0);
        std::shuffle(m_keyNumbers.begin(), m_keyNumbers.end(), std::mt19937_64(20240501));
    }
    m_feedPhaseCount = size_t(std::count_if(m_phases.begin(), m_phases.end(),
                                            [](const Phase &phase) { return !phase.afterRun; }));
}

void Bench::addSortPhases(int column, const QString &name)
{
    for (const QString &how : {u"header click"_s, u"header click again: reversed"_s}) {
        Phase phase = makePhase(
            u"after the run: sort by %1 (%2)"_s.arg(name, how), 1.0,
            [this, column] { clickHeader(column); }, true);
        phase.checkSorted = true;
        m_phases.push_back(std::move(phase));
    }
}

QString Bench::keyFor(qint64 id) const
{
    return keyNamed(m_keyNumbers.empty() ? id : m_keyNumbers[size_t(id)]);
}

void Bench::checkSorted(const Phase &phase)
{
    const QHeaderView *header = m_table->horizontalHeader();
    const int column = header->sortIndicatorSection();
    const bool ascending = header->sortIndicatorOrder() == Qt::AscendingOrder;
    const int rows = m_proxy->rowCount();
    const auto modelRow = [this](int row) {
        return m_model->rowForId(
            m_proxy->index(row, 0).data(TransferStatusModel::ItemIdRole).toLongLong());
    };
    constexpr int Checked = 2000;
    for (int row = 0; row + 1 < rows; ++row) {
        if (row == Checked && rows > 2 * Checked)
            row = rows - Checked;
        const int a = modelRow(row);
        const int b = modelRow(row + 1);
        if (ascending ? m_model->lessThan(b, a, column) : m_model->lessThan(a, b, column)) {
            note(u"%1: rows %2 and %3 not in the order of column %4 by the phase's end"_s.arg(
                phase.name, number(row), number(row + 1), number(column)));
            return;
        }
    }
}

void Bench::start()
{
    if (!m_filterCombo || !m_searchEdit || !m_table || !m_tabs || !m_charts) {
        print(u"bench_itemtable: the run panel has no filterCombo, searchEdit, itemTable, "
              u"detailsTabs or chartsTab"_s);
        QCoreApplication::exit(2);
        return;
    }
    print(u"bench_itemtable: %1 items, chunk %2, in flight %3, step %4, failed %5 %, rate %6, "
          u"phases >= %8 ms, failure groups %7, charts %9, keys %10"_s.arg(
              number(m_options.items), number(m_options.chunk), number(m_options.inFlight),
              number(m_options.step), fixed(m_options.failedPercent, 1),
              m_options.rate > 0 ? number(m_options.rate) + u"/s"_s : u"unlimited"_s,
              m_options.groups ? u"fed"_s : u"not fed"_s, number(m_options.minPhaseMs),
              m_options.charts ? u"fed and shown"_s : u"not fed"_s,
              m_options.shuffledKeys ? u"shuffled"_s : u"in row order"_s));
#ifdef NDEBUG
    const QString build = u"release"_s;
#else
    const QString build = u"DEBUG (figures not representative)"_s;
#endif
    print(u"Qt %1, platform %2, %3 build, load average %4 (%5 CPUs)"_s.arg(
        QString::fromLatin1(qVersion()), QGuiApplication::platformName(), build, loadAverage(),
        number(QThread::idealThreadCount())));

    m_panel.resize(1100, 760);
    m_panel.show();
    // Let the panel paint once before the baseline is taken.
    QTimer::singleShot(StartSettleMs, this, [this] {
        m_memoryBefore = readProcMemory();
        m_heapBefore = heapInUse();
        m_clock.start();
        m_lastBeatNs = 0;
        m_feedStartNs = 0;
        m_heartbeat.start();
        m_followTimer.start();
        beginPhase(0);
        m_feedTimer.start();
    });
}

void Bench::step()
{
    const qint64 t0 = m_clock.nsecsElapsed();
    ++m_steps;
    // The run reads the next chunk when at most one chunk waits to be sent.
    if (m_queued < m_options.items && m_queued - m_dispatched <= m_options.chunk)
        queueChunk();

    qint64 budget = m_options.step;
    if (m_options.rate > 0) {
        const auto due = qint64(double(m_options.rate) * double(t0) / 1e9) - m_finished;
        budget = std::clamp<qint64>(due, 0, budget);
    }
    // A phase lasts long enough for the steward's action to take effect and for several
    // flushes to reach the view: a fast feed waits at the next phase's start (the server is
    // slow for a moment; items stay Sending) until then.
    const bool young = phaseYoung(t0);
    const bool held
        = young && m_phase + 1 < m_feedPhaseCount && m_finished + budget > startItem(m_phase + 1);
    if (held) {
        budget = std::max<qint64>(0, startItem(m_phase + 1) - m_finished);
        if (m_holding)
            m_heldNs += t0 - m_previousStepNs;
    }
    if (held != m_holding && m_options.rate == 0) {
        // No need to spin while nothing may finish.
        m_feedTimer.setInterval(held ? 2 : 0);
    }
    m_holding = held;
    m_previousStepNs = t0;

    for (qint64 i = 0; i < budget && !m_inFlight.empty(); ++i) {
        finishItem(m_inFlight.front());
        m_inFlight.pop_front();
        ++m_finished;
    }
    for (int i = 0; i < m_options.step && m_dispatched < m_queued
         && m_inFlight.size() < size_t(m_options.inFlight);
         ++i) {
        m_model->setStatus(m_dispatched, ItemStatus::Sending, 1);
        m_inFlight.push_back(m_dispatched);
        ++m_dispatched;
    }
    const qint64 t1 = m_clock.nsecsElapsed();
    m_longestStepNs = std::max(m_longestStepNs, t1 - t0);

    while (m_phase + 1 < m_feedPhaseCount && m_finished >= startItem(m_phase + 1)
           && !phaseYoung(m_clock.nsecsElapsed()))
        beginPhase(m_phase + 1);
    if (m_phase + 1 == m_feedPhaseCount && m_feedTimer.isActive())
        endFeed();
}

bool Bench::phaseYoung(qint64 now) const
{
    return now - m_phases[m_phase].startNs < qint64(m_options.minPhaseMs) * 1'000'000;
}

qint64 Bench::startItem(size_t phase) const
{
    return std::llround(m_phases[phase].startFraction * double(m_options.items));
}

void Bench::queueChunk()
{
    const qint64 count = std::min<qint64>(m_options.chunk, m_options.items - m_queued);
    QList<Item> items;
    items.reserve(count);
    for (qint64 i = 0; i < count; ++i) {
        Item item;
        item.id = m_queued + i;
        item.key = keyFor(item.id);
        item.payload = payloadFor(item.id, item.key);
        items.append(std::move(item));
    }
    const qint64 t0 = m_clock.nsecsElapsed();
    m_model->addItems(items);
    m_longestAddItemsNs = std::max(m_longestAddItemsNs, m_clock.nsecsElapsed() - t0);
    m_queued += count;
}

void Bench::finishItem(qint64 id)
{
    ItemResult result;
    result.id = id;
    result.key = keyFor(id);
    result.attempts = 1;
    result.latencyMs = m_random.bounded(3, 45);
    result.latencyUs = result.latencyMs * 1000 + m_random.bounded(1000);
    result.requestId
        = "6f1c2a9e-0000-4000-8000-" + QByteArray::number(id, 16).rightJustified(12, '0');

    const bool failed = m_random.generateDouble() * 100.0 < m_options.failedPercent;
    if (!failed) {
        result.status = ItemStatus::Delivered;
        result.httpStatus = 201;
        if (m_options.charts)
            m_statistics.record(m_clock.elapsed(), result);
        m_model->setResult(result);
        if (m_options.groups)
            m_groups->addResult(result);
        return;
    }

    ++m_failed;
    const QByteArray key = result.key.toLatin1();
    result.status = ItemStatus::Failed;
    result.payload = payloadFor(id, result.key);
    const double kind = m_random.generateDouble();
    if (kind < 0.70) {
        result.httpStatus = 422;
        result.responseBody = "{\"error\":\"validation failed\",\"field\":\"temperature\","
                              "\"detail\":\"value 412.7 is outside the range -60..60 accepted for "
            + key + "\",\"code\":\"E_RANGE\",\"docs\":\"https://api.example.test/errors/E_RANGE\"}";
        result.error
            = u"HTTP 422 Unprocessable Entity: "_s + QString::fromUtf8(result.responseBody);
    } else if (kind < 0.85) {
        result.httpStatus = 409;
        result.responseBody = "{\"error\":\"conflict\",\"detail\":\"a reading for " + key
            + " at 2024-05-01T12:00:00Z already exists (revision 7); send If-Match to "
              "overwrite\",\"code\":\"E_DUPLICATE\",\"retryable\":false}";
        result.error = u"HTTP 409 Conflict: "_s + QString::fromUtf8(result.responseBody);
    } else {
        // Retried three times before it failed for good, as the dispatcher reports it.
        for (int attempt = 1; attempt <= 3; ++attempt) {
            m_model->setStatus(id, ItemStatus::Retrying, attempt);
            m_model->setStatus(id, ItemStatus::Sending, attempt + 1);
        }
        result.attempts = 4;
        result.httpStatus = 503;
        result.responseBody = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title>"
                              "</head>\r\n<body>\r\n<center><h1>503 Service Temporarily "
                              "Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
                              "</body>\r\n</html>\r\n";
        result.error = u"HTTP 503 Service Unavailable: <html>"_s;
    }
    m_model->setResult(result);
    if (m_options.charts)
        m_statistics.record(m_clock.elapsed(), result);
    if (m_options.groups)
        m_groups->addResult(result);
}

void Bench::beat()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double gapMs = double(now - m_lastBeatNs) / 1e6;
    m_lastBeatNs = now;
    m_phases[m_phase].stallsMs.push_back(std::max(0.0, gapMs - HeartbeatMs));
}

void Bench::follow()
{
    m_table->scrollToBottom();
}

void Bench::beginPhase(size_t index)
{
    const qint64 now = m_clock.nsecsElapsed();
    if (index > 0)
        closePhase(now);
    m_phase = index;
    Phase &phase = m_phases[index];
    phase.firstItem = m_finished;
    phase.startNs = now;
    // A steward watches the charts between actions.
    if (m_options.charts)
        m_tabs->setCurrentWidget(m_charts);
    phase.begin();
}

void Bench::closePhase(qint64 now)
{
    Phase &phase = m_phases[m_phase];
    phase.lastItem = m_finished;
    phase.endNs = now;
    phase.shownAtEnd = m_proxy->rowCount();
    phase.totalAtEnd = m_model->rowCount();
    phase.rssAtEndKiB = readProcMemory().rssKiB;
    if (phase.checkSorted)
        checkSorted(phase);
}

void Bench::endFeed()
{
    m_feedTimer.stop();
    m_feedEndNs = m_clock.nsecsElapsed();
    if (m_options.charts)
        m_statistics.finish(m_clock.elapsed());
    QTimer::singleShot(m_options.minPhaseMs, this, &Bench::nextAfterRun);
}

void Bench::nextAfterRun()
{
    if (m_phase + 1 == m_feedPhaseCount) {
        // All items are in and flushed, nothing filtered or sorted yet.
        m_memoryAfter = readProcMemory();
        m_heapAfter = heapInUse();
    }
    if (m_phase + 1 >= m_phases.size()) {
        report();
        return;
    }
    beginPhase(m_phase + 1);
    QTimer::singleShot(m_options.minPhaseMs, this, &Bench::nextAfterRun);
}

void Bench::selectFilter(int status)
{
    // As a person picks it: the combo's current index changes and the panel reacts.
    const int index = m_filterCombo->findData(status);
    if (index < 0) {
        note(u"filter entry not found in filterCombo"_s);
        return;
    }
    m_filterCombo->setCurrentIndex(index);
}

void Bench::typeKeys(const QList<Keystroke> &keys)
{
    m_keys.insert(m_keys.end(), keys.begin(), keys.end());
    if (!m_typingTimer.isActive())
        m_typingTimer.start();
}

void Bench::sendNextKey()
{
    if (m_keys.empty()) {
        m_typingTimer.stop();
        return;
    }
    const Keystroke key = m_keys.front();
    m_keys.pop_front();
    QKeyEvent press(QEvent::KeyPress, key.key, key.modifiers, key.text);
    QCoreApplication::sendEvent(m_searchEdit, &press);
    QKeyEvent release(QEvent::KeyRelease, key.key, key.modifiers, key.text);
    QCoreApplication::sendEvent(m_searchEdit, &release);
}

void Bench::clickHeader(int section)
{
    QHeaderView *header = m_table->horizontalHeader();
    QWidget *viewport = header->viewport();
    const QPointF pos(header->sectionViewportPosition(section) + header->sectionSize(section) / 2,
                      viewport->height() / 2);
    const QPointF global = viewport->mapToGlobal(pos);
    QMouseEvent press(QEvent::MouseButtonPress, pos, global, Qt::LeftButton, Qt::LeftButton,
                      Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &press);
    QMouseEvent release(QEvent::MouseButtonRelease, pos, global, Qt::LeftButton, Qt::NoButton,
                        Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &release);
    if (header->sortIndicatorSection() != section)
        note(u"the header click did not sort by column %1"_s.arg(section));
}

void Bench::clickFirstVisibleRow()
{
    QWidget *viewport = m_table->viewport();
    const QPoint pos(20, m_table->verticalHeader()->defaultSectionSize() / 2);
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid()) {
        note(u"no row to click in the Failed filter"_s);
        return;
    }
    const QPointF global = viewport->mapToGlobal(QPointF(pos));
    QMouseEvent press(QEvent::MouseButtonPress, QPointF(pos), global, Qt::LeftButton,
                      Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &press);
    QMouseEvent release(QEvent::MouseButtonRelease, QPointF(pos), global, Qt::LeftButton,
                        Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(viewport, &release);
    if (m_table->currentIndex().row() != index.row())
        note(u"the click on a row did not make it current"_s);
}

void Bench::note(const QString &text)
{
    m_notes.append(text);
}

void Bench::report()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_heartbeat.stop();
    m_followTimer.stop();
    m_typingTimer.stop();
    closePhase(now);

    const ProcMemory atEnd = readProcMemory();
    const ProcMemory &after = m_memoryAfter;
    const qint64 heapAfter = m_heapAfter;
    const qint64 heapAtEnd = heapInUse();
    const qint64 items = m_options.items;
    const double feedSeconds = double(m_feedEndNs - m_feedStartNs) / 1e9;
    const double wallSeconds = double(now) / 1e9;

    // Taken apart after the figures: what the proxy and the view hold, then the models.
    m_table->setModel(nullptr);
    m_proxy->setSourceModel(nullptr);
    const qint64 heapWithoutView = heapInUse();
    m_groups->clear();
    const qint64 heapWithoutGroups = heapInUse();
    m_model->clear();
    const qint64 heapWithoutModel = heapInUse();

    print(u"phases (stalls = heartbeat gap minus its %1 ms interval):"_s.arg(HeartbeatMs));
    std::vector<double> all;
    for (size_t i = 0; i < m_phases.size(); ++i) {
        const Phase &phase = m_phases[i];
        all.insert(all.end(), phase.stallsMs.begin(), phase.stallsMs.end());
        const double seconds = double(phase.endNs - phase.startNs) / 1e9;
        print(u"  %1. %2: items %3..%4 in %5 s (%6/s); %7; shown %8 of %9 rows; RSS %10"_s.arg(
            QString::number(i + 1), phase.name, number(phase.firstItem), number(phase.lastItem),
            fixed(seconds, 1),
            number(seconds > 0 ? qint64(double(phase.lastItem - phase.firstItem) / seconds) : 0),
            describe(figuresOf(phase.stallsMs)), number(phase.shownAtEnd), number(phase.totalAtEnd),
            mebibytes(phase.rssAtEndKiB)));
    }
    const StallFigures total = figuresOf(all);
    print(u"whole run: "_s + describe(total));
    print(u"slowest step (chunk when due + %1 results + %1 Sending): %2 ms"_s.arg(
        number(m_options.step), fixed(double(m_longestStepNs) / 1e6, 1)));
    print(u"slowest addItems (one chunk, with the proxy and view reacting): %1 ms"_s.arg(
        fixed(double(m_longestAddItemsNs) / 1e6, 1)));
    print(u"failed items: %1 (%2 %)"_s.arg(number(m_failed),
                                           fixed(100.0 * double(m_failed) / double(items), 2)));
    const double heldSeconds = double(m_heldNs) / 1e9;
    print(u"feed time: %1 s (%2 steps), of which %3 s held at phase boundaries"_s.arg(
        fixed(feedSeconds, 2), number(m_steps), fixed(heldSeconds, 2)));
    print(u"wall time: %1 s (feed, then %2 phases after the run)"_s.arg(
        fixed(wallSeconds, 2), number(qint64(m_phases.size() - m_feedPhaseCount))));
    const double busySeconds = feedSeconds - heldSeconds;
    const double rate = busySeconds > 0 ? double(items) / busySeconds : 0;
    print(u"throughput: %1 items/s through the model (feed time less held time)"_s.arg(
        fixed(rate, 0)));
    print(u"RSS before items: %1 (VmHWM %2)"_s.arg(mebibytes(m_memoryBefore.rssKiB),
                                                   mebibytes(m_memoryBefore.hwmKiB)));
    print(u"RSS after %1 items: %2 (VmHWM %3)"_s.arg(number(items), mebibytes(after.rssKiB),
                                                     mebibytes(after.hwmKiB)));
    print(u"RSS at the end (after the phases after the run): %1 (VmHWM %2)"_s.arg(
        mebibytes(atEnd.rssKiB), mebibytes(atEnd.hwmKiB)));
    const double rssPerItem = double(after.rssKiB - m_memoryBefore.rssKiB) * 1024.0 / double(items);
    print(u"RSS delta per item: %1 bytes"_s.arg(fixed(rssPerItem, 1)));
    const double heapPerItem = double(heapAfter - m_heapBefore) / double(items);
    print(u"heap in use (mallinfo2) delta per item: %1 bytes"_s.arg(fixed(heapPerItem, 1)));
    print(u"heap in use at the end: %1 bytes per item over the start"_s.arg(
        fixed(double(heapAtEnd - m_heapBefore) / double(items), 1)));
    print(u"heap at the end, taken apart:"_s);
    print(u"  proxy + table (freed by detaching them): %1 bytes per item"_s.arg(
        fixed(double(heapAtEnd - heapWithoutView) / double(items), 1)));
    print(u"  failure groups (freed by clear()): %1 bytes per item"_s.arg(
        fixed(double(heapWithoutView - heapWithoutGroups) / double(items), 1)));
    const double modelPerItem = double(heapWithoutGroups - heapWithoutModel) / double(items);
    print(u"  TransferStatusModel (freed by clear()): %1 bytes per item"_s.arg(
        fixed(modelPerItem, 1)));
    print(u"model's own estimate: none (TransferStatusModel offers no memory figure)"_s);
    for (const QString &text : std::as_const(m_notes))
        print(u"note: "_s + text);
    print(u"SUMMARY: %1 items in %2 s (%3 items/s when not held); longest stall %4 ms (p99 %5 ms, "
          u"%6 > 50 ms, "
          u"%7 > 100 ms); RSS %8 B/item, model %9 B/item"_s.arg(
              number(items), fixed(feedSeconds, 1), fixed(rate, 0), fixed(total.maxMs, 1),
              fixed(total.p99Ms, 1), number(total.over50), number(total.over100),
              fixed(rssPerItem, 0), fixed(modelPerItem, 0)));
    QCoreApplication::exit(m_notes.isEmpty() ? 0 : 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_itemtable"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Drives a run's items through the run panel's model and table and prints event-loop "
        u"stalls and memory per item. Use QT_QPA_PLATFORM=offscreen and a Release build."_s);
    parser.addHelpOption();
    const QCommandLineOption itemsOption(u"items"_s, u"Items to run (default 1000000)."_s, u"N"_s,
                                         u"1000000"_s);
    const QCommandLineOption chunkOption(u"chunk"_s, u"Items per itemsQueued (default 5000)."_s,
                                         u"N"_s, u"5000"_s);
    const QCommandLineOption failedOption(
        u"failed-percent"_s, u"Share of items that fail (default 2)."_s, u"P"_s, u"2"_s);
    const QCommandLineOption inFlightOption(
        u"in-flight"_s, u"Items Sending at once (default 64)."_s, u"N"_s, u"64"_s);
    const QCommandLineOption stepOption(
        u"step"_s, u"Most items finished and dispatched per event loop pass (default 64)."_s,
        u"N"_s, u"64"_s);
    const QCommandLineOption rateOption(
        u"rate"_s, u"Items per second; 0 = as fast as the event loop allows (default)."_s, u"N"_s,
        u"0"_s);
    const QCommandLineOption minPhaseOption(
        u"min-phase-ms"_s,
        u"Shortest phase; a faster feed waits at the next phase's start (default 2000)."_s, u"MS"_s,
        u"2000"_s);
    const QCommandLineOption noGroupsOption(u"no-groups"_s,
                                            u"Do not feed the failure groups model."_s);
    const QCommandLineOption noChartsOption(u"no-charts"_s,
                                            u"Do not feed the run charts (they stay empty)."_s);
    const QCommandLineOption shuffledKeysOption(
        u"shuffled-keys"_s, u"Key numbers in no order: sorting by Key compares every key."_s);
    parser.addOptions({itemsOption, chunkOption, failedOption, inFlightOption, stepOption,
                       rateOption, minPhaseOption, noGroupsOption, noChartsOption,
                       shuffledKeysOption});
    parser.process(app);

    Options options;
    bool ok = true;
    const auto integer = [&](const QCommandLineOption &option, qint64 minimum) {
        bool valid = false;
        const qint64 value = parser.value(option).toLongLong(&valid);
        if (!valid || value < minimum) {
            std::fprintf(stderr, "bench_itemtable: --%s must be an integer >= %lld\n",
                         qPrintable(option.names().constFirst()), minimum);
            ok = false;
        }
        return value;
    };
    options.items = integer(itemsOption, 1);
    options.chunk = int(std::min<qint64>(integer(chunkOption, 1), 10'000'000));
    options.inFlight = int(std::min<qint64>(integer(inFlightOption, 1), 100'000));
    options.step = int(std::min<qint64>(integer(stepOption, 1), 100'000));
    options.rate = integer(rateOption, 0);
    options.minPhaseMs = int(std::min<qint64>(integer(minPhaseOption, 0), 600'000));
    bool isNumber = false;
    options.failedPercent = parser.value(failedOption).toDouble(&isNumber);
    if (!isNumber || options.failedPercent < 0 || options.failedPercent > 100) {
        std::fprintf(stderr, "bench_itemtable: --failed-percent must be a number from 0 to 100\n");
        return 2;
    }
    options.groups = !parser.isSet(noGroupsOption);
    options.charts = !parser.isSet(noChartsOption);
    options.shuffledKeys = parser.isSet(shuffledKeysOption);
    if (options.items > std::numeric_limits<int>::max()) {
        std::fprintf(stderr, "bench_itemtable: --items must fit a table (at most %d)\n",
                     std::numeric_limits<int>::max());
        ok = false;
    }
    if (!ok)
        return 2;

    Bench bench(options);
    QTimer::singleShot(0, &bench, &Bench::start);
    return QCoreApplication::exec();
}
