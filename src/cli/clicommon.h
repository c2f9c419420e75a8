// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

class QCommandLineParser;

namespace sluice {

struct TransferSpec;

// What the headless commands (run, resume, validate, preview) share.

/// Asks for the database password on the terminal, without echo; nullopt when stdin is no
/// terminal or nothing was read.
std::optional<QString> askPasswordOnTerminal(const TransferSpec &spec);

/// The --set NAME=VALUE assignments as parameter overrides in *overrides, each typed as the
/// file gives that parameter (so `--set limit=10` binds an integer where the file has one).
/// Returns the first problem ("--set min=ten: ..."), or an empty string.
QString readParameterOverrides(const QStringList &assignments, const TransferSpec &spec,
                               QMap<QString, QVariant> *overrides);

/// The parser's --help text with "Usage: sluice COMMAND": Qt writes the program's path as
/// it was started (./build/src/app/sluice), not its name.
QString commandHelpText(const QCommandLineParser &parser, const QString &command);

} // namespace sluice
