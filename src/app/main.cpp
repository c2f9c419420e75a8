// SPDX-License-Identifier: GPL-3.0-or-later
// The `sluice` executable: the desktop app, the headless runner and the demo API.

#include "demoapicommand.h"
#include "dryruncommands.h"
#include "journal/sqlitedb.h"
#include "runcommand.h"

#ifdef SLUICE_WITH_GUI
#include "mainwindow.h"
#include <QApplication>
#include <QIcon>
#endif

#include <QCoreApplication>

#include <cstdio>
#include <memory>

namespace {

const char *const Usage
    = "Usage: sluice [--start] [TRANSFER.json]  start the desktop app (--start: and the transfer)\n"
      "       sluice run TRANSFER.json ...      run a transfer headless (see sluice run --help)\n"
      "       sluice resume JOURNAL ...         go on with an interrupted run (see sluice "
      "resume --help)\n"
      "       sluice validate TRANSFER.json ... check a transfer, send nothing (see sluice "
      "validate --help)\n"
      "       sluice preview TRANSFER.json ...  print what the first items would send (see "
      "sluice preview --help)\n"
      "       sluice demo-api [--port N]        start the local demo API (see sluice demo-api "
      "--help)\n"
      "       sluice --help | --version\n";

// Qt's own event dispatcher instead of GLib's for the threads that carry the traffic: with
// GLib's, every cross-thread wake-up (a lane handing replies back, QNAM's HTTP thread handing
// data to a reply) costs more, and a run to an h2c sink did 6.8-7.8k items/s against
// 12.0-12.6k/s with Qt's (100k items, 100 streams, same machine and hour). Read when each
// thread's dispatcher is made, so it must be set before those threads start.
void preferQtEventDispatcher()
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
}

void setApplicationInfo()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Sluice"));
    QCoreApplication::setApplicationName(QStringLiteral("Sluice"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));
}

} // namespace

int main(int argc, char *argv[])
{
    // Without TZ, glibc checks /etc/localtime again for every local-time conversion, which
    // halves the speed of reading time-zone-aware columns; pointing TZ at it is equivalent.
    if (!qEnvironmentVariableIsSet("TZ"))
        qputenv("TZ", ":/etc/localtime");
    sluice::SqliteDb::tuneLibrary();
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();

    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        std::printf("sluice %s\n", SLUICE_VERSION);
        return 0;
    }
    if (command == QLatin1String("--help") || command == QLatin1String("-h")) {
        std::printf("Sluice moves rows from a SQL database into an HTTP/JSON API.\n\n%s", Usage);
        return 0;
    }
    if (command == QLatin1String("run") || command == QLatin1String("resume")
        || command == QLatin1String("validate") || command == QLatin1String("preview")
        || command == QLatin1String("demo-api")) {
        preferQtEventDispatcher();
        QCoreApplication app(argc, argv);
        setApplicationInfo();
        if (command == QLatin1String("run"))
            return sluice::runTransferCommand(app.arguments());
        if (command == QLatin1String("resume"))
            return sluice::resumeRunCommand(app.arguments());
        if (command == QLatin1String("validate"))
            return sluice::validateCommand(app.arguments());
        if (command == QLatin1String("preview"))
            return sluice::previewCommand(app.arguments());
        return sluice::runDemoApiCommand(app.arguments());
    }
    if (command.startsWith(u'-') && command != QLatin1String("--start")) {
        std::fprintf(stderr, "sluice: unknown option %s\n\n%s", argv[1], Usage);
        return 2;
    }

#ifdef SLUICE_WITH_GUI
    // The GUI thread keeps GLib's dispatcher (a GTK platform theme's native dialogs run GLib
    // loops); the worker threads started from here on use Qt's.
    const bool userChoseDispatcher = qEnvironmentVariableIsSet("QT_NO_GLIB");
    QApplication app(argc, argv);
    if (!userChoseDispatcher)
        preferQtEventDispatcher();
    setApplicationInfo();
    // The desktop entry's name: Wayland compositors find the entry, and so the icon and the
    // name in the dock, by it (packaging/CMakeLists.txt installs <SLUICE_APP_ID>.desktop).
    QGuiApplication::setDesktopFileName(QStringLiteral(SLUICE_APP_ID));
    // The installed icon (hicolor) for the window, where the window system asks the window
    // for it (X11 task bars and switchers); none when run from the build folder.
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral(SLUICE_APP_ID)));
    sluice::MainWindow window;
    bool start = false;
    for (const QString &argument : app.arguments().mid(1)) {
        if (argument == QLatin1String("--start"))
            start = true;
        else if (!argument.startsWith(u'-'))
            window.openFile(argument);
    }
    window.show();
    if (start)
        window.startWhenReady();
    return QApplication::exec();
#else
    std::fprintf(stderr, "sluice: this build has no desktop app\n\n%s", Usage);
    return 2;
#endif
}
