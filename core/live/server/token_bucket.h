// SPDX-License-Identifier: MIT
#pragma once
// A token bucket: `burst` tokens at most, refilled at `ratePerSecond`; taking
// more than is there fails (and takes nothing). The agent gives each client
// two, for the count and the bytes of the control messages it sends
// (AgentServer: a client over either is closed with 1008, counted).

#include <chrono>

namespace flight::live {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(double ratePerSecond, double burst, Clock::time_point now = Clock::now())
        : m_rate(ratePerSecond), m_burst(burst), m_tokens(burst), m_last(now)
    {
    }

    bool take(double cost, Clock::time_point now = Clock::now());
    double available(Clock::time_point now = Clock::now());

private:
    void refill(Clock::time_point now);

    double m_rate;
    double m_burst;
    double m_tokens;
    Clock::time_point m_last;
};

} // namespace flight::live
