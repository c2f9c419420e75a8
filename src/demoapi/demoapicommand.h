// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sluice {

// `sluice demo-api [--port N] [--host ADDRESS]`: serves DemoApiServer until SIGINT or
// SIGTERM. arguments start with the command name, e.g. {"demo-api", "--port", "0"}; a
// list that starts with the program path before "demo-api" (QCoreApplication::arguments())
// is accepted too. The caller creates the QCoreApplication; this runs its event loop.
//
// Prints "Sluice demo API listening on http://HOST:PORT/" as the only line on stdout
// while running (flushed at once, so a script can read the port chosen by --port 0),
// and one summary line when stopped. Returns 0 after a clean stop or --help, 2 for a
// usage error or an address that cannot be bound (the reason goes to stderr).
// Installs its own SIGINT/SIGTERM handlers while running and restores the previous ones.
int runDemoApiCommand(const QStringList &arguments);

} // namespace sluice
