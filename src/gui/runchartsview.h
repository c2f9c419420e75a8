// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include "types/item.h"

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace sluice {

class RunStatistics;
class TransferRun;

/// The run step's live charts (Qt Charts): items per second, latency p50/p95/p99 per
/// sampling interval, and the items finished per status, all over the seconds since the run
/// started, read from the run's RunStatistics.
///
/// A timer reads the statistics a few times a second (RefreshIntervalMs) while the view is
/// shown, and does nothing when they have not changed (RunStatistics::revision()); each
/// series is then replaced in one call. The statistics keep at most
/// RunStatistics::DefaultMaxSamples samples (merging neighbours as the run grows), so a
/// refresh costs the same after ten items or ten million: the GUI thread never stalls on
/// the charts. Colours follow the app's palette (status colours as the item table's), and
/// each chart's accessible description says its latest values.
class RunChartsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunChartsView)

public:
    static constexpr int RefreshIntervalMs = 250;

    explicit RunChartsView(QWidget *parent = nullptr);
    ~RunChartsView() override;

    /// Follows run's statistics (nullptr: empty charts). The same run again changes nothing.
    void setRun(TransferRun *run);
    /// Shows statistics that are not a run's (the stall benchmark feeds its own); nullptr:
    /// empty charts. Must outlive the view or be replaced first.
    void setStatistics(const RunStatistics *statistics);
    /// Reads the statistics now (the timer calls it).
    void refresh();

    QLineSeries *rateSeries() const { return m_rate; }
    /// 0: p50, 1: p95, 2: p99.
    QLineSeries *latencySeries(int index) const { return m_latency[index]; }
    /// Delivered, Failed or Invalid: the items finished so far in that status.
    QLineSeries *statusSeries(ItemStatus status) const;
    QChartView *rateView() const { return m_rateView; }
    QChartView *latencyView() const { return m_latencyView; }
    QChartView *statusView() const { return m_statusView; }

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    const RunStatistics *statistics() const;
    QChartView *makeView(const QString &title, const QString &accessibleName, const QString &yTitle,
                         QValueAxis **x, QValueAxis **y);
    QLineSeries *addSeries(QChartView *view, const QString &name, QValueAxis *x, QValueAxis *y);
    void applyPalette();
    void clearSeries();

    QPointer<TransferRun> m_run;
    const RunStatistics *m_statistics = nullptr;
    quint64 m_revision = ~quint64(0);
    QTimer m_timer;
    QChartView *m_rateView = nullptr;
    QChartView *m_latencyView = nullptr;
    QChartView *m_statusView = nullptr;
    QValueAxis *m_axes[6] = {}; ///< x, y of each chart in the order above
    QLineSeries *m_rate = nullptr;
    QLineSeries *m_latency[3] = {};
    QLineSeries *m_statuses[3] = {}; ///< delivered, failed, invalid
};

} // namespace sluice
