// SPDX-License-Identifier: GPL-3.0-or-later
#include "bytesizespinbox.h"

#include <algorithm>
#include <cmath>

#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * 1024;

/// The unit a value is shown in: the largest that divides it.
qint64 unitOf(qint64 bytes)
{
    if (bytes != 0 && bytes % MiB == 0)
        return MiB;
    if (bytes != 0 && bytes % KiB == 0)
        return KiB;
    return 1;
}

/// Bytes per unit for a unit as typed (case-insensitive); 0 for no unit at all.
std::optional<qint64> unitFactor(QStringView unit)
{
    const QString lower = unit.toString().toLower();
    if (lower.isEmpty() || lower == u"b"_s || lower == u"byte"_s || lower == u"bytes"_s)
        return 1;
    if (lower == u"k"_s || lower == u"kb"_s || lower == u"kib"_s)
        return KiB;
    if (lower == u"m"_s || lower == u"mb"_s || lower == u"mib"_s)
        return MiB;
    return std::nullopt;
}

/// Whether unit could still become one unitFactor() knows, as it is being typed.
bool isUnitPrefix(QStringView unit)
{
    static const QStringList units {u"bytes"_s, u"kib"_s, u"kb"_s, u"mib"_s, u"mb"_s};
    const QString lower = unit.toString().toLower();
    return std::any_of(units.cbegin(), units.cend(),
                       [&lower](const QString &known) { return known.startsWith(lower); });
}

/// "<number> <unit>" with blanks anywhere around and between.
const QRegularExpression &sizePattern()
{
    static const QRegularExpression pattern(uR"(^\s*([0-9.,'\s]*?)\s*([A-Za-z]*)\s*$)"_s);
    return pattern;
}

} // namespace

ByteSizeSpinBox::ByteSizeSpinBox(QWidget *parent)
    : QSpinBox(parent)
{
    // A size is typed with its unit: "2048" on the way to "2048 KiB" is no value to take.
    setKeyboardTracking(false);
}

ByteSizeSpinBox::~ByteSizeSpinBox() = default;

std::optional<qint64> ByteSizeSpinBox::parse(const QString &text) const
{
    const QRegularExpressionMatch match = sizePattern().match(text);
    if (!match.hasMatch() || match.capturedView(1).isEmpty())
        return std::nullopt;
    const std::optional<qint64> factor = unitFactor(match.capturedView(2));
    if (!factor)
        return std::nullopt;
    bool ok = false;
    const double number = locale().toDouble(match.capturedView(1).trimmed(), &ok);
    if (!ok || !std::isfinite(number) || number < 0)
        return std::nullopt;
    const double bytes = number * double(*factor);
    // Whole bytes only, and within what a qint64 holds with room to spare.
    if (bytes > 1e15 || std::floor(bytes) != bytes)
        return std::nullopt;
    return static_cast<qint64>(bytes);
}

void ByteSizeSpinBox::stepBy(int steps)
{
    const qint64 unit = unitOf(value());
    const qint64 next
        = std::clamp(qint64(value()) + steps * unit, qint64(minimum()), qint64(maximum()));
    setValue(static_cast<int>(next));
    selectAll();
}

QSize ByteSizeSpinBox::sizeHint() const
{
    // The base class measures the texts of the minimum and the maximum ("1 KiB", "256 MiB");
    // an odd size, shown in bytes, is far wider.
    QSize hint = QSpinBox::sizeHint();
    const QFontMetrics metrics = fontMetrics();
    const int widest = std::max(minimum(), maximum() - 1);
    hint.rwidth() += std::max(0,
                              metrics.horizontalAdvance(textFromValue(widest))
                                  - metrics.horizontalAdvance(textFromValue(maximum())));
    return hint;
}

QString ByteSizeSpinBox::textFromValue(int value) const
{
    // parse() reads these units back (and "byte", a translation of "bytes").
    const qint64 unit = unitOf(value);
    const QString number = locale().toString(value / unit);
    if (unit == MiB)
        return number + u" MiB"_s;
    if (unit == KiB)
        return number + u" KiB"_s;
    return number + u' '
        + tr("bytes", "after a number; keep one of the words the field reads back: byte, bytes");
}

int ByteSizeSpinBox::valueFromText(const QString &text) const
{
    const std::optional<qint64> bytes = parse(text);
    if (!bytes)
        return value();
    return static_cast<int>(std::clamp(*bytes, qint64(minimum()), qint64(maximum())));
}

QValidator::State ByteSizeSpinBox::validate(QString &text, int &pos) const
{
    Q_UNUSED(pos);
    const QRegularExpressionMatch match = sizePattern().match(text);
    if (!match.hasMatch())
        return QValidator::Invalid;
    if (match.capturedView(2).size() > 0 && !isUnitPrefix(match.capturedView(2)))
        return QValidator::Invalid;
    const std::optional<qint64> bytes = parse(text);
    // Anything on the way to a size may be typed; only a finished one in range is taken.
    if (bytes && *bytes >= minimum() && *bytes <= maximum())
        return QValidator::Acceptable;
    return QValidator::Intermediate;
}

} // namespace sluice
