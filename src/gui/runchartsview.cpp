// SPDX-License-Identifier: GPL-3.0-or-later
#include "runchartsview.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QPen>
#include <QVBoxLayout>
#include <QValueAxis>

#include "models/transferstatusmodel.h"
#include "palette.h"
#include "statusdelegate.h"
#include "transfer/runstatistics.h"
#include "transfer/svgchart.h"
#include "transfer/transferrun.h"

namespace sluice {

namespace {

constexpr int ChartMinimumHeight = 150;

/// An axis from 0 past value (with a little room above it) in about `ticks` round steps: sets
/// the range and a tick at every step.
void setRoundRange(QValueAxis *axis, double value, int ticks = 4)
{
    const double wanted = value > 0 ? value * 1.05 : 1.0;
    const double step = SvgChart::niceStep(wanted, ticks);
    const double steps = std::max(1.0, std::ceil(wanted / step - 1e-9));
    axis->setRange(0, steps * step);
    axis->setTickCount(int(steps) + 1);
}

} // namespace

RunChartsView::RunChartsView(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Run charts"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    m_rateView = makeView(tr("Items per second"), tr("Items per second chart"), tr("items/s"),
                          &m_axes[0], &m_axes[1]);
    m_rate = addSeries(m_rateView, tr("items/s"), m_axes[0], m_axes[1]);
    m_rateView->chart()->legend()->hide();

    m_latencyView = makeView(tr("Latency"), tr("Latency chart"), tr("ms"), &m_axes[2], &m_axes[3]);
    m_latency[0] = addSeries(m_latencyView, tr("p50"), m_axes[2], m_axes[3]);
    m_latency[1] = addSeries(m_latencyView, tr("p95"), m_axes[2], m_axes[3]);
    m_latency[2] = addSeries(m_latencyView, tr("p99"), m_axes[2], m_axes[3]);

    m_statusView = makeView(tr("Items finished"), tr("Items per status chart"), tr("items"),
                            &m_axes[4], &m_axes[5]);
    m_statuses[0] = addSeries(m_statusView, TransferStatusModel::statusName(ItemStatus::Delivered),
                              m_axes[4], m_axes[5]);
    m_statuses[1] = addSeries(m_statusView, TransferStatusModel::statusName(ItemStatus::Failed),
                              m_axes[4], m_axes[5]);
    m_statuses[2] = addSeries(m_statusView, TransferStatusModel::statusName(ItemStatus::Invalid),
                              m_axes[4], m_axes[5]);

    for (QChartView *view : {m_rateView, m_latencyView, m_statusView})
        layout->addWidget(view, 1);
    applyPalette();

    m_timer.setInterval(RefreshIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RunChartsView::refresh);
}

RunChartsView::~RunChartsView() = default;

QChartView *RunChartsView::makeView(const QString &title, const QString &accessibleName,
                                    const QString &yTitle, QValueAxis **x, QValueAxis **y)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 2, 4, 2));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignTop);
    *x = new QValueAxis(chart);
    (*x)->setTitleText(tr("s"));
    (*x)->setLabelFormat(QStringLiteral("%.4g"));
    *y = new QValueAxis(chart);
    (*y)->setTitleText(yTitle);
    (*y)->setLabelFormat(QStringLiteral("%.4g"));
    setRoundRange(*x, 10 / 1.05, 5);
    setRoundRange(*y, 1 / 1.05);
    chart->addAxis(*x, Qt::AlignBottom);
    chart->addAxis(*y, Qt::AlignLeft);
    auto *view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(ChartMinimumHeight);
    view->setAccessibleName(accessibleName);
    view->setFocusPolicy(Qt::NoFocus);
    return view;
}

QLineSeries *RunChartsView::addSeries(QChartView *view, const QString &name, QValueAxis *x,
                                      QValueAxis *y)
{
    auto *series = new QLineSeries(view->chart());
    series->setName(name);
    view->chart()->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

QLineSeries *RunChartsView::statusSeries(ItemStatus status) const
{
    switch (status) {
    case ItemStatus::Delivered:
        return m_statuses[0];
    case ItemStatus::Failed:
        return m_statuses[1];
    case ItemStatus::Invalid:
        return m_statuses[2];
    case ItemStatus::Queued:
    case ItemStatus::Sending:
    case ItemStatus::Retrying:
        break;
    }
    return nullptr;
}

void RunChartsView::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    for (QChartView *view : {m_rateView, m_latencyView, m_statusView}) {
        QChart *chart = view->chart();
        chart->setBackgroundBrush(pal.color(QPalette::Base));
        chart->setBackgroundPen(QPen(pal.color(QPalette::Mid)));
        chart->setTitleBrush(text);
        QFont titleFont = font();
        titleFont.setBold(true);
        chart->setTitleFont(titleFont);
        chart->legend()->setLabelColor(text);
        view->setBackgroundBrush(pal.color(QPalette::Window));
    }
    for (QValueAxis *axis : m_axes) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(pal.color(QPalette::Mid));
    }
    const auto setColor = [](QLineSeries *series, const QColor &color) {
        QPen pen(color);
        pen.setWidthF(2);
        series->setPen(pen);
    };
    setColor(m_rate, StatusDelegate::statusColor(ItemStatus::Sending, pal));
    setColor(m_latency[0], StatusDelegate::statusColor(ItemStatus::Sending, pal));
    setColor(m_latency[1], StatusDelegate::statusColor(ItemStatus::Retrying, pal));
    setColor(m_latency[2], errorColor(pal));
    setColor(m_statuses[0], StatusDelegate::statusColor(ItemStatus::Delivered, pal));
    setColor(m_statuses[1], StatusDelegate::statusColor(ItemStatus::Failed, pal));
    setColor(m_statuses[2], StatusDelegate::statusColor(ItemStatus::Invalid, pal));
}

void RunChartsView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_rate)
        applyPalette();
}

void RunChartsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_timer.start();
}

void RunChartsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer.stop();
}

void RunChartsView::setRun(TransferRun *run)
{
    if (run == m_run && !m_statistics)
        return;
    m_run = run;
    m_statistics = nullptr;
    m_revision = ~quint64(0);
    refresh();
}

void RunChartsView::setStatistics(const RunStatistics *statistics)
{
    m_run = nullptr;
    m_statistics = statistics;
    m_revision = ~quint64(0);
    refresh();
}

const RunStatistics *RunChartsView::statistics() const
{
    if (m_statistics)
        return m_statistics;
    return m_run ? &m_run->statistics() : nullptr;
}

void RunChartsView::clearSeries()
{
    for (QLineSeries *series : {m_rate, m_latency[0], m_latency[1], m_latency[2], m_statuses[0],
                                m_statuses[1], m_statuses[2]})
        series->clear();
    for (int chart = 0; chart < 3; ++chart) {
        setRoundRange(m_axes[chart * 2], 10 / 1.05, 5);
        setRoundRange(m_axes[chart * 2 + 1], 1 / 1.05);
    }
    m_rateView->setAccessibleDescription(tr("No items finished yet"));
    m_latencyView->setAccessibleDescription(tr("No requests answered yet"));
    m_statusView->setAccessibleDescription(tr("No items finished yet"));
}

void RunChartsView::refresh()
{
    if (m_run)
        m_run->sampleStatistics();
    const RunStatistics *stats = statistics();
    if (!stats || stats->samples().empty()) {
        if (m_revision != 0) {
            clearSeries();
            m_revision = 0;
        }
        return;
    }
    if (stats->revision() == m_revision)
        return;
    m_revision = stats->revision();

    const std::vector<StatisticsSample> &samples = stats->samples();
    const auto n = qsizetype(samples.size());
    QList<QPointF> rate, p50, p95, p99, delivered, failed, invalid;
    rate.reserve(n);
    for (QList<QPointF> *list : {&p50, &p95, &p99})
        list->reserve(n);
    for (QList<QPointF> *list : {&delivered, &failed, &invalid}) {
        list->reserve(n + 1);
        list->append({0, 0});
    }
    double maxRate = 0, maxLatency = 0, maxCount = 0;
    qint64 sums[3] = {0, 0, 0};
    for (const StatisticsSample &sample : samples) {
        const double x = double(sample.endMs) / 1000.0;
        const double perSecond = sample.itemsPerSecond();
        rate.append({x, perSecond});
        maxRate = std::max(maxRate, perSecond);
        if (!sample.latency.isEmpty()) {
            const double values[3] = {sample.latency.percentileUs(0.50) / 1000.0,
                                      sample.latency.percentileUs(0.95) / 1000.0,
                                      sample.latency.percentileUs(0.99) / 1000.0};
            p50.append({x, values[0]});
            p95.append({x, values[1]});
            p99.append({x, values[2]});
            maxLatency = std::max(maxLatency, values[2]);
        }
        for (int i = 0; i < 3; ++i)
            sums[i] += sample.finished[size_t(i)];
        delivered.append({x, double(sums[0])});
        failed.append({x, double(sums[1])});
        invalid.append({x, double(sums[2])});
        maxCount = std::max({maxCount, double(sums[0]), double(sums[1]), double(sums[2])});
    }
    m_rate->replace(rate);
    m_latency[0]->replace(p50);
    m_latency[1]->replace(p95);
    m_latency[2]->replace(p99);
    m_statuses[0]->replace(delivered);
    m_statuses[1]->replace(failed);
    m_statuses[2]->replace(invalid);

    const double seconds = double(samples.back().endMs) / 1000.0;
    for (int chart = 0; chart < 3; ++chart)
        setRoundRange(m_axes[chart * 2], seconds / 1.05, 5);
    setRoundRange(m_axes[1], maxRate);
    setRoundRange(m_axes[3], maxLatency);
    setRoundRange(m_axes[5], maxCount);

    const QLocale locale;
    const StatisticsSample &last = samples.back();
    m_rateView->setAccessibleDescription(
        tr("%1 items per second in the last %2 s; %3 items finished in %4 s")
            .arg(locale.toString(last.itemsPerSecond(), 'f', 0),
                 locale.toString(double(last.activeMs) / 1000.0, 'f', 2),
                 locale.toString(stats->finishedTotal()), locale.toString(seconds, 'f', 1)));
    const LatencyHistogram &total = stats->latency();
    m_latencyView->setAccessibleDescription(
        total.isEmpty() ? tr("No requests answered yet")
                        : tr("Whole run: p50 %1 ms, p95 %2 ms, p99 %3 ms")
                              .arg(locale.toString(total.percentileUs(0.50) / 1000.0, 'f', 1),
                                   locale.toString(total.percentileUs(0.95) / 1000.0, 'f', 1),
                                   locale.toString(total.percentileUs(0.99) / 1000.0, 'f', 1)));
    m_statusView->setAccessibleDescription(
        tr("%1 delivered, %2 failed, %3 invalid")
            .arg(locale.toString(sums[0]), locale.toString(sums[1]), locale.toString(sums[2])));
}

} // namespace sluice
