// SPDX-License-Identifier: GPL-3.0-or-later
// spec/transferspecparser: a transfer file, any bytes. A refused file says why (at least one
// error, each with a message); an accepted one passes validate() and is saved and loaded
// again byte for byte the same (docs/design.md: "Loading and saving again is byte for byte
// the same file").

#include <cstddef>
#include <cstdint>

#include "fuzzcommon.h"
#include "spec/transferspec.h"

using namespace sluice;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView text(data, qsizetype(size));
    const QString baseDir = QStringLiteral("/fuzz");
    TransferSpec spec;
    QList<SpecError> errors;
    if (!TransferSpec::fromJson(text, &spec, &errors, baseDir)) {
        if (errors.isEmpty())
            fuzz::broken("a transfer refused without a reason");
        for (const SpecError &error : std::as_const(errors)) {
            if (error.message.isEmpty())
                fuzz::broken("an error without a message");
        }
        return 0;
    }
    if (!errors.isEmpty())
        fuzz::broken("an accepted transfer with errors");
    if (!spec.validate().isEmpty())
        fuzz::broken("an accepted transfer that validate() refuses");
    const QByteArray saved = spec.toJson();
    TransferSpec again;
    QList<SpecError> againErrors;
    if (!TransferSpec::fromJson(saved, &again, &againErrors, baseDir))
        fuzz::broken("a saved transfer that does not load again");
    if (again.toJson() != saved)
        fuzz::broken("saving a loaded saved transfer changed it");
    return 0;
}
