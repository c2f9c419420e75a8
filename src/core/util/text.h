// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>

/// Small text rules that the engine, the front ends and their messages share. Each is
/// written once here so that a file, the forms and the logs can never disagree on it.
namespace sluice {

/// The rule isIdentifier() checks, in words, for messages ("... (letters, digits and _,
/// not starting with a digit)").
inline constexpr QStringView IdentifierRule = u"letters, digits and _, not starting with a digit";

/// ASCII letter or underscore: what an identifier (SQL parameter name, environment
/// variable name) may start with.
constexpr bool isIdentifierStart(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

/// isIdentifierStart() or an ASCII digit: what may follow the first character.
constexpr bool isIdentifierChar(char16_t c)
{
    return isIdentifierStart(c) || (c >= u'0' && c <= u'9');
}

/// A non-empty name by IdentifierRule: `:name` parameters, environment variable names.
bool isIdentifier(QStringView name);

/// text in double quotes, for messages: "name".
QString quoted(QStringView text);

/// A JSON path one level down: "target" + "url" -> "target.url"; key alone when path is
/// empty.
QString joinPath(QStringView path, QStringView key);

/// The first line of text without surrounding blanks; a line longer than maxLength
/// characters (when maxLength >= 0) is cut there and ends in "…".
QString firstLine(QStringView text, qsizetype maxLength = -1);
/// The same for UTF-8 bytes (a response body), decoding only what the line needs.
QString firstLine(QByteArrayView utf8, qsizetype maxLength = -1);

/// Negative, 0 or positive as a sorts before, with or after b, in natural order: runs of
/// digits compare by their value (leading zeros ignored, then length, then digits),
/// everything else by UTF-16 code unit ("item-9" < "item-10"). Allocation-free: a
/// million-row sort calls this ~20 million times.
int naturalCompare(QStringView a, QStringView b);

} // namespace sluice
