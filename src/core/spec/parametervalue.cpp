// SPDX-License-Identifier: GPL-3.0-or-later
#include "parametervalue.h"

#include "types/numbertypes.h"
#include "util/text.h"

#include <cmath>
#include <limits>

#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

enum class Kind { Integer, Real, Boolean, Text };

Kind kindOf(const QVariant &value)
{
    if (value.isNull())
        return Kind::Text;
    const QMetaType type = value.metaType();
    if (isIntegerType(type))
        return Kind::Integer;
    if (isRealType(type))
        return Kind::Real;
    return type.id() == QMetaType::Bool ? Kind::Boolean : Kind::Text;
}

/// Why text is no integer: out of range when it has an integer's form.
QString integerProblem(const QString &text)
{
    static const QRegularExpression digits(u"^\\s*[+-]?[0-9]+\\s*$"_s);
    if (!digits.match(text).hasMatch())
        return u" is not an integer"_s;
    return u" is out of the integer range (%1 to %2)"_s.arg(std::numeric_limits<qlonglong>::min())
        .arg(std::numeric_limits<qlonglong>::max());
}

} // namespace

std::optional<QVariant> parameterFromText(const QString &name, const QVariant &fileValue,
                                          const QString &text, SpecError *error)
{
    bool ok = false;
    QString problem;
    switch (kindOf(fileValue)) {
    case Kind::Integer: {
        const qlonglong number = text.toLongLong(&ok);
        if (ok)
            return QVariant(number);
        problem = integerProblem(text);
        break;
    }
    case Kind::Real: {
        const double number = text.toDouble(&ok);
        // A transfer file (JSON) cannot hold infinity or NaN.
        if (ok && std::isfinite(number))
            return QVariant(number);
        problem = u" is not a number"_s;
        break;
    }
    case Kind::Boolean:
        if (text == "true"_L1 || text == "false"_L1)
            return QVariant(text == "true"_L1);
        problem = u" is not a boolean (true or false)"_s;
        break;
    case Kind::Text:
        if (text.isEmpty() && fileValue.isNull())
            return QVariant();
        return QVariant(text);
    }
    if (error)
        *error = {joinPath(u"query.parameters", name), quoted(text) + problem};
    return std::nullopt;
}

QString parameterText(const QVariant &value)
{
    switch (kindOf(value)) {
    case Kind::Integer:
        return QString::number(value.toLongLong());
    case Kind::Real:
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    case Kind::Boolean:
        return value.toBool() ? u"true"_s : u"false"_s;
    case Kind::Text:
        return value.toString();
    }
    Q_UNREACHABLE();
    return {};
}

} // namespace sluice
