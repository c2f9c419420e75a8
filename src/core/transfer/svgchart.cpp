// SPDX-License-Identifier: GPL-3.0-or-later
#include "svgchart.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sluice {

QString xmlEscaped(const QString &text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&':
            out += "&amp;"_L1;
            break;
        case u'<':
            out += "&lt;"_L1;
            break;
        case u'>':
            out += "&gt;"_L1;
            break;
        case u'"':
            out += "&quot;"_L1;
            break;
        case u'\'':
            out += "&#39;"_L1;
            break;
        case u'\t':
        case u'\n':
        case u'\r':
            out += c;
            break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0xfffe || c.unicode() == 0xffff)
                out += QChar(0xfffd);
            else
                out += c;
        }
    }
    return out;
}

namespace {

QString number(double value)
{
    return QString::number(value, 'f', 1);
}

} // namespace

SvgChart::SvgChart(QString title, QString xLabel, QString yLabel)
    : m_title(std::move(title))
    , m_xLabel(std::move(xLabel))
    , m_yLabel(std::move(yLabel))
{ }

void SvgChart::addSeries(Series series)
{
    m_series.append(std::move(series));
}

double SvgChart::niceStep(double value, int steps)
{
    if (!(value > 0) || steps <= 0)
        return 1;
    const double raw = value / steps;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (factor * power >= raw * (1 - 1e-9))
            return factor * power;
    }
    return 10 * power;
}

QString SvgChart::tickLabel(double value)
{
    const double magnitude = std::abs(value);
    if (magnitude >= 1e6)
        return QString::number(value / 1e6, 'g', 3) + u'M';
    if (magnitude >= 1e4)
        return QString::number(value / 1e3, 'g', 3) + u'k';
    return QString::number(value, 'g', 4);
}

QString SvgChart::toSvg(int width, int height) const
{
    constexpr double Left = 64, Right = 16, Top = 34, Bottom = 42;
    constexpr int Ticks = 5;
    double maxX = 0, maxY = 0;
    for (const Series &series : m_series) {
        for (const QPointF &p : series.points) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
        }
    }
    const double stepX = niceStep(maxX > 0 ? maxX : 1, Ticks);
    const double stepY = niceStep(maxY > 0 ? maxY : 1, Ticks);
    const double topX = std::max(1.0, std::ceil(maxX / stepX - 1e-9)) * stepX;
    const double topY = std::max(1.0, std::ceil(maxY / stepY - 1e-9)) * stepY;
    const double plotW = width - Left - Right;
    const double plotH = height - Top - Bottom;
    const auto px = [&](double x) {
        return Left + x / topX * plotW;
    };
    const auto py = [&](double y) {
        return Top + plotH - y / topY * plotH;
    };

    QString svg;
    svg += u"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 "
           u"%1 %2\" "
           u"width=\"%1\" height=\"%2\" aria-label=\"%3\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\" fill=\"#555555\">\n"_s
               .arg(width)
               .arg(height)
               .arg(xmlEscaped(m_title));
    svg += u"<title>%1</title>\n"_s.arg(xmlEscaped(m_title));
    svg += u"<text class=\"chart-title\" x=\"%1\" y=\"18\" font-size=\"14\" font-weight=\"bold\" "
           u"fill=\"#212121\">%2</text>\n"_s.arg(number(Left), xmlEscaped(m_title));
    // Grid and tick labels.
    svg += u"<g class=\"grid\" stroke=\"#e0e0e0\">\n"_s;
    for (double y = 0; y <= topY + stepY / 2; y += stepY) {
        svg += u"<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/>\n"_s.arg(
            number(Left), number(py(y)), number(Left + plotW));
        svg += u"<text class=\"tick\" stroke=\"none\" x=\"%1\" y=\"%2\" text-anchor=\"end\">%3</text>\n"_s
                   .arg(number(Left - 6), number(py(y) + 4), xmlEscaped(tickLabel(y)));
    }
    for (double x = 0; x <= topX + stepX / 2; x += stepX) {
        svg += u"<text class=\"tick\" stroke=\"none\" x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n"_s
                   .arg(number(px(x)), number(Top + plotH + 16), xmlEscaped(tickLabel(x)));
    }
    svg += u"</g>\n"_s;
    svg += u"<path class=\"axis\" fill=\"none\" stroke=\"#9e9e9e\" d=\"M%1 %2V%3H%4\"/>\n"_s.arg(
        number(Left), number(Top), number(Top + plotH), number(Left + plotW));
    svg += u"<text class=\"axis-label\" x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n"_s.arg(
        number(Left + plotW / 2), number(height - 6), xmlEscaped(m_xLabel));
    svg += u"<text class=\"axis-label\" transform=\"translate(14 %1) rotate(-90)\" "
           u"text-anchor=\"middle\">%2</text>\n"_s.arg(number(Top + plotH / 2),
                                                       xmlEscaped(m_yLabel));
    // Series and legend (right-aligned above the plot).
    double legendX = Left + plotW;
    for (qsizetype i = m_series.size() - 1; i >= 0; --i) {
        const Series &series = m_series.at(i);
        const QString color = xmlEscaped(series.color);
        legendX -= 14 + 7.5 * double(series.name.size()) + 16;
        svg += u"<rect x=\"%1\" y=\"10\" width=\"10\" height=\"10\" fill=\"%2\"/>"
               u"<text class=\"legend\" x=\"%3\" y=\"19\">%4</text>\n"_s.arg(
                   number(legendX), color, number(legendX + 14), xmlEscaped(series.name));
    }
    for (const Series &series : m_series) {
        if (series.points.isEmpty())
            continue;
        QString points;
        for (const QPointF &p : series.points)
            points += number(px(p.x())) + u',' + number(py(p.y())) + u' ';
        points.chop(1);
        svg += u"<polyline fill=\"none\" stroke=\"%1\" stroke-width=\"2\" points=\"%2\">"
               u"<title>%3</title></polyline>\n"_s.arg(xmlEscaped(series.color), points,
                                                       xmlEscaped(series.name));
    }
    svg += u"</svg>\n"_s;
    return svg;
}

} // namespace sluice
