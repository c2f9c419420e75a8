// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sluice {

/// `sluice validate TRANSFER.json [--set NAME=VALUE]... [--shard K/N] [--state FILE]`:
/// checks the file's rules, the target's local settings (CA file, header secrets), the
/// connection (it connects), that the query compiles (prepared and described, not run: see
/// db/querydescriber.h) and that the key, template and URL name only columns the query
/// returns. Nothing is sent. One line per step passed on stdout, one line per problem on
/// stderr ("Transform template, line 3 column 7: ..."); exit 0 when all pass, 2 otherwise.
/// arguments[1] is "validate". Needs a QCoreApplication.
int validateCommand(const QStringList &arguments);

/// `sluice preview TRANSFER.json [-n N] [--set NAME=VALUE]... [--shard K/N] [--state FILE]`:
/// reads the first N rows (default 5) as a run would and prints the bytes a run would send
/// for them on stdout; nothing is sent (docs/design.md, "Dry runs"). Exit 0 when every item
/// could be built, 1 when some are invalid (each said on stderr), 2 when the transfer
/// cannot run. arguments[1] is "preview". Runs the event loop of the QCoreApplication the
/// caller created.
int previewCommand(const QStringList &arguments);

} // namespace sluice
