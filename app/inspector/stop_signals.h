// SPDX-License-Identifier: MIT
#pragma once
// SIGINT/SIGTERM turned into an event-loop event: install() points both signals
// at a handler that writes one byte on a socketpair; readFd() becomes readable
// (watch it with a QSocketNotifier). The old handlers come back on destruction.
// The window quits through it (so the demo's flight-agent is stopped), the
// capture command flushes and closes its file.

#include <csignal>

namespace flight::app {

class StopSignals {
public:
    StopSignals() = default;
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
    ~StopSignals();

    bool install();
    int readFd() const;
    // Reads the byte a signal wrote (call when readFd() is readable).
    void acknowledge() const;

private:
    bool m_installed = false;
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
};

} // namespace flight::app
