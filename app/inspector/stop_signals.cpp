// SPDX-License-Identifier: MIT
#include "stop_signals.h"

#include <sys/socket.h>
#include <unistd.h>

namespace flight::app {
namespace {
// [0] written by the handler, [1] read by the event loop. The only thing the
// handler does is write(2), which is async-signal-safe.
int g_signalFds[2] = {-1, -1};

extern "C" void onStopSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalFds[0], &byte, 1);
}
} // namespace

bool StopSignals::install()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalFds) != 0)
        return false;
    struct sigaction sa = {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    m_installed = ::sigaction(SIGINT, &sa, &m_oldInt) == 0 && ::sigaction(SIGTERM, &sa, &m_oldTerm) == 0;
    return m_installed;
}

int StopSignals::readFd() const
{
    return g_signalFds[1];
}

void StopSignals::acknowledge() const
{
    char byte = 0;
    [[maybe_unused]] const ssize_t n = ::read(g_signalFds[1], &byte, 1);
}

StopSignals::~StopSignals()
{
    if (m_installed) {
        ::sigaction(SIGINT, &m_oldInt, nullptr);
        ::sigaction(SIGTERM, &m_oldTerm, nullptr);
    }
    for (int& fd : g_signalFds)
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
}

} // namespace flight::app
