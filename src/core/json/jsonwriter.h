// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace sluice {

/// Appends compact UTF-8 JSON to a QByteArray it is given, token by token, with no
/// DOM in between. It writes no separators of its own: the caller writes ',' ':' '{'
/// and friends with writeRaw(). The buffer must outlive the writer; one writer per
/// thread (it has no state besides the pointer, so a writer per call is fine).
class JsonWriter
{
public:
    /// Enough for any number formatDouble() or formatFloat() writes into a buffer.
    static constexpr qsizetype MaxNumberLength = 32;

    explicit JsonWriter(QByteArray *out);

    void writeNull();
    void writeBool(bool value);
    void writeInteger(qint64 value);
    void writeUnsigned(quint64 value);
    /// Writes formatDouble(value) (so 12.0 is written "12"). NaN and infinities have
    /// no JSON form: returns false and writes nothing.
    bool writeDouble(double value);
    /// A real number that reads back as a real: writeDouble() with ".0" added when the
    /// shortest form looks like an integer (12.0 -> "12.0", 1e21 -> "1e+21"), so that a
    /// reader that infers types (Elasticsearch's dynamic mapping, a transfer file's
    /// parameters) sees a real. NaN and infinities: returns false and writes nothing.
    bool writeReal(double value);
    /// The same for a double already in formatDouble() form.
    void writeRealLiteral(QByteArrayView shortest);
    /// A quoted string: '"' '\\' and the controls \b \f \n \r \t get their short escapes,
    /// other characters below 0x20 become \u00XX, everything else is written as UTF-8
    /// (a lone surrogate as U+FFFD; QString::toUtf8 would write '?').
    void writeString(QStringView text);
    /// writeString() without the quotes, to build one JSON string from several pieces.
    void writeEscaped(QStringView text);
    /// Already-valid JSON (a number literal, a copied literal); written unchecked.
    void writeRaw(QByteArrayView json);

    /// Shortest text that reads back as the same double, laid out like ECMAScript's
    /// Number::toString: plain digits for exponents -7 < e < 21, otherwise d.ddde±x
    /// (0.1 -> "0.1", 1e21 -> "1e+21", 1e-7 -> "1e-7", 12.0 -> "12", -0.0 -> "-0").
    /// NaN and infinities give "NaN", "Infinity", "-Infinity" (not JSON).
    static QByteArray formatDouble(double value);
    /// formatDouble() into buffer (at least MaxNumberLength chars); returns the length.
    /// value must be finite.
    static qsizetype formatDouble(double value, char *buffer);
    /// The same for a float, with the shortest digits that read back as that float
    /// (0.1f -> "0.1", not "0.10000000149011612"). value must be finite.
    static qsizetype formatFloat(float value, char *buffer);

private:
    QByteArray *m_out;
};

} // namespace sluice
