// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdio>
#include <cstdlib>

#include <QtGlobal>

namespace sluice::fuzz {

/// Drops Qt's messages: a fuzzer feeds garbage on purpose, and a warning per input would
/// drown libFuzzer's own output. Call from LLVMFuzzerInitialize.
inline void quietQt()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &) {
        if (type == QtFatalMsg)
            std::abort();
    });
}

/// A broken invariant: says which and aborts, so libFuzzer keeps the input as a crash.
[[noreturn]] inline void broken(const char *what)
{
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

} // namespace sluice::fuzz
