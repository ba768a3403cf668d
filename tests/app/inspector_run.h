// SPDX-License-Identifier: MIT
#pragma once
// The executables run as CI runs them: a real process with no display, its
// exit code and both output streams captured.

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace flight::apptest {

struct ToolRun {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

// The current environment without DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM.
QProcessEnvironment headlessEnvironment();

// workingDirectory: empty = this process's, else relative paths in args resolve there
// (a documented command run as written: `report title.jsonl.zst -o memory.pdf`).
ToolRun run(const QString& program, const QStringList& args, int timeoutMs = 120000,
            const QString& workingDirectory = {});
// `flight-inspector SUBCOMMAND ARGS...`
ToolRun inspector(const QString& subcommand, const QStringList& args, int timeoutMs = 120000,
                  const QString& workingDirectory = {});

// Files shipped with the sources: a conformance vector, a sample recording.
QString conformance(const char* name);
QString sample(const char* name);

} // namespace flight::apptest
