// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

namespace sluice {

/// How the Run tab words durations and item counts, in its labels and its log alike.
class RunText final
{
    Q_DECLARE_TR_FUNCTIONS(RunText)

public:
    RunText() = delete;

    /// "42 s", "3 min 07 s", "2 h 05 min": rounded to the second.
    static QString duration(double seconds);
    /// "1 item", "1,234 items" (in the locale's digits).
    static QString itemCount(qint64 n);
};

} // namespace sluice
