// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonwriter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace sluice {

namespace {

// Text is escaped in blocks so that a long string never makes the buffer reserve six
// times its length at once (the worst case is six bytes per UTF-16 unit: \u00XX).
constexpr qsizetype EscapeBlock = 2048;
constexpr qsizetype MaxBytesPerUnit = 6;

constexpr char HexDigits[] = "0123456789abcdef";

// Makes room for `extra` bytes after the current end and returns where they start.
// Grows at least geometrically so that many small writes stay amortised O(1).
char *growBy(QByteArray *out, qsizetype extra)
{
    const qsizetype size = out->size();
    if (out->capacity() - size < extra)
        out->reserve(std::max(size + extra, out->capacity() * 2));
    out->resize(size + extra);
    return out->data() + size;
}

// The shortest round-trip digits come from std::to_chars in scientific form
// ("d.ddde±xx"); they are then laid out as ECMAScript does, which keeps integers
// up to 1e21 in plain digits (100000 stays "100000", not "1e+05").
template<typename Float>
qsizetype formatShortest(Float value, char *out)
{
    char scientific[48];
    const auto result = std::to_chars(scientific, scientific + sizeof scientific, value,
                                      std::chars_format::scientific);
    const char *p = scientific;
    const char *const end = result.ptr;
    char *o = out;
    if (*p == '-') {
        *o++ = '-';
        ++p;
    }
    char digits[24];
    int count = 0;
    for (; p < end && *p != 'e'; ++p) {
        if (*p != '.')
            digits[count++] = *p;
    }
    int exponent = 0;
    bool negativeExponent = false;
    if (p < end) {
        ++p; // 'e'
        if (p < end && (*p == '-' || *p == '+'))
            negativeExponent = *p++ == '-';
        for (; p < end; ++p)
            exponent = exponent * 10 + (*p - '0');
    }
    if (negativeExponent)
        exponent = -exponent;

    // value = 0.d1d2...dk * 10^n
    const int n = exponent + 1;
    if (count <= n && n <= 21) {
        o = std::copy(digits, digits + count, o);
        o = std::fill_n(o, n - count, '0');
    } else if (0 < n && n <= 21) {
        o = std::copy(digits, digits + n, o);
        *o++ = '.';
        o = std::copy(digits + n, digits + count, o);
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        o = std::fill_n(o, -n, '0');
        o = std::copy(digits, digits + count, o);
    } else {
        *o++ = digits[0];
        if (count > 1) {
            *o++ = '.';
            o = std::copy(digits + 1, digits + count, o);
        }
        *o++ = 'e';
        *o++ = n - 1 < 0 ? '-' : '+';
        o = std::to_chars(o, o + 8, n - 1 < 0 ? 1 - n : n - 1).ptr;
    }
    return o - out;
}

} // namespace

JsonWriter::JsonWriter(QByteArray *out)
    : m_out(out)
{ }

void JsonWriter::writeNull()
{
    m_out->append("null", 4);
}

void JsonWriter::writeBool(bool value)
{
    if (value)
        m_out->append("true", 4);
    else
        m_out->append("false", 5);
}

void JsonWriter::writeInteger(qint64 value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    m_out->append(buffer, result.ptr - buffer);
}

void JsonWriter::writeUnsigned(quint64 value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    m_out->append(buffer, result.ptr - buffer);
}

bool JsonWriter::writeDouble(double value)
{
    if (!std::isfinite(value))
        return false;
    char buffer[MaxNumberLength];
    m_out->append(buffer, formatDouble(value, buffer));
    return true;
}

bool JsonWriter::writeReal(double value)
{
    if (!std::isfinite(value))
        return false;
    char buffer[MaxNumberLength];
    writeRealLiteral(QByteArrayView(buffer, formatDouble(value, buffer)));
    return true;
}

void JsonWriter::writeRealLiteral(QByteArrayView shortest)
{
    m_out->append(shortest);
    const bool integral = std::none_of(shortest.begin(), shortest.end(),
                                       [](char c) { return c == '.' || c == 'e'; });
    if (integral)
        m_out->append(".0", 2);
}

void JsonWriter::writeString(QStringView text)
{
    m_out->append('"');
    writeEscaped(text);
    m_out->append('"');
}

void JsonWriter::writeEscaped(QStringView text)
{
    const char16_t *p = text.utf16();
    const char16_t *const end = p + text.size();
    while (p < end) {
        const char16_t *blockEnd = p + std::min<qsizetype>(end - p, EscapeBlock);
        // Keep a surrogate pair in one block.
        if (blockEnd < end && QChar::isHighSurrogate(blockEnd[-1]))
            ++blockEnd;
        const qsizetype start = m_out->size();
        char *const first = growBy(m_out, (blockEnd - p) * MaxBytesPerUnit);
        char *o = first;
        while (p < blockEnd) {
            const char16_t c = *p++;
            if (c < 0x80) {
                if (c >= 0x20 && c != u'"' && c != u'\\') {
                    *o++ = static_cast<char>(c);
                    continue;
                }
                *o++ = '\\';
                switch (c) {
                case u'"':
                    *o++ = '"';
                    break;
                case u'\\':
                    *o++ = '\\';
                    break;
                case u'\b':
                    *o++ = 'b';
                    break;
                case u'\f':
                    *o++ = 'f';
                    break;
                case u'\n':
                    *o++ = 'n';
                    break;
                case u'\r':
                    *o++ = 'r';
                    break;
                case u'\t':
                    *o++ = 't';
                    break;
                default:
                    *o++ = 'u';
                    *o++ = '0';
                    *o++ = '0';
                    *o++ = HexDigits[c >> 4];
                    *o++ = HexDigits[c & 0xf];
                    break;
                }
            } else if (c < 0x800) {
                *o++ = static_cast<char>(0xc0 | (c >> 6));
                *o++ = static_cast<char>(0x80 | (c & 0x3f));
            } else if (QChar::isHighSurrogate(c) && p < end && QChar::isLowSurrogate(*p)) {
                const char32_t u = QChar::surrogateToUcs4(c, *p++);
                *o++ = static_cast<char>(0xf0 | (u >> 18));
                *o++ = static_cast<char>(0x80 | ((u >> 12) & 0x3f));
                *o++ = static_cast<char>(0x80 | ((u >> 6) & 0x3f));
                *o++ = static_cast<char>(0x80 | (u & 0x3f));
            } else {
                const char16_t u = QChar::isSurrogate(c) ? char16_t(0xfffd) : c;
                *o++ = static_cast<char>(0xe0 | (u >> 12));
                *o++ = static_cast<char>(0x80 | ((u >> 6) & 0x3f));
                *o++ = static_cast<char>(0x80 | (u & 0x3f));
            }
        }
        m_out->resize(start + (o - first));
    }
}

void JsonWriter::writeRaw(QByteArrayView json)
{
    // QByteArray::append(QByteArrayView) goes through the general insert(); for the many
    // short runs of a payload, a plain copy is noticeably cheaper.
    std::memcpy(growBy(m_out, json.size()), json.data(), size_t(json.size()));
}

QByteArray JsonWriter::formatDouble(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value < 0 ? QByteArrayLiteral("-Infinity") : QByteArrayLiteral("Infinity");
    char buffer[MaxNumberLength];
    return QByteArray(buffer, formatDouble(value, buffer));
}

qsizetype JsonWriter::formatDouble(double value, char *buffer)
{
    return formatShortest(value, buffer);
}

qsizetype JsonWriter::formatFloat(float value, char *buffer)
{
    return formatShortest(value, buffer);
}

} // namespace sluice
