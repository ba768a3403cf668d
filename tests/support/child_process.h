// SPDX-License-Identifier: MIT
#pragma once
// Ending a child process a test or benchmark started: asked to stop (SIGTERM),
// killed when it has not within graceMs, and waited for. Header-only, for the
// test helpers and the benchmarks alike (target flight_test_process).

#include <QProcess>

namespace flight::test {

inline void stopChild(QProcess& process, int graceMs = 5000)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(graceMs))
        process.kill();
    process.waitForFinished(5000);
}

} // namespace flight::test
