// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointF>
#include <QString>

namespace sluice {

/// A line chart as an inline <svg> element (XML, no script, no external files), for the run
/// report: axes from zero with round ticks, each series a polyline in its colour, a legend,
/// and a <title> and aria-label naming the chart for screen readers. Every text is escaped.
class SvgChart final
{
public:
    struct Series
    {
        QString name;
        QString color; ///< a CSS colour, "#2e7d32"
        QList<QPointF> points; ///< x ascending
    };

    SvgChart(QString title, QString xLabel, QString yLabel);
    void addSeries(Series series);
    /// The <svg> element, width x height user units (it scales to the page's width).
    QString toSvg(int width = 760, int height = 250) const;

    /// The smallest round number (1, 2 or 5 times a power of ten) at or above value / steps:
    /// the step of an axis of `steps` ticks reaching value.
    static double niceStep(double value, int steps);
    /// A tick's label: no trailing zeros, thousands as "12k", millions as "1.2M".
    static QString tickLabel(double value);

private:
    QString m_title;
    QString m_xLabel;
    QString m_yLabel;
    QList<Series> m_series;
};

/// Text for XML (and so HTML): & < > " ' escaped, control characters XML forbids replaced
/// with U+FFFD.
QString xmlEscaped(const QString &text);

} // namespace sluice
