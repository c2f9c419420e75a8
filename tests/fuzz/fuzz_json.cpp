// SPDX-License-Identifier: GPL-3.0-or-later
// json/jsonreader: compactJson() and indentJson() on any bytes. They must agree on what is
// valid JSON, and both must keep every token as written: compacting is idempotent,
// compacting the indented text gives the compact text, and indenting the compact text gives
// the same layout as indenting the original.

#include <cstddef>
#include <cstdint>

#include "fuzzcommon.h"
#include "json/jsonreader.h"

using namespace sluice;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView text(data, qsizetype(size));
    JsonSyntaxError error;
    const std::optional<QByteArray> compact = compactJson(text, &error);
    const std::optional<QByteArray> indented = indentJson(text);
    if (compact.has_value() != indented.has_value())
        fuzz::broken("compactJson and indentJson disagree on validity");
    if (!compact) {
        if (!error.isError() || error.message.isEmpty())
            fuzz::broken("invalid JSON without a located error message");
        int line = 0;
        int column = 0;
        jsonLineAndColumn(text, error.offset, &line, &column);
        if (line < 1 || column < 1)
            fuzz::broken("error location before the start");
        return 0;
    }
    if (compactJson(*compact) != compact)
        fuzz::broken("compactJson is not idempotent");
    if (compactJson(*indented) != compact)
        fuzz::broken("compacting the indented text changed a token");
    if (indentJson(*compact) != indented)
        fuzz::broken("indenting the compact text gave another layout");
    return 0;
}
