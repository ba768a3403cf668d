// SPDX-License-Identifier: MIT
#pragma once
// Reconnect delays: base, doubling per failed attempt up to max, each delay
// spread at random over [d * (1 - jitter), d * (1 + jitter)] cut at max: a delay
// is never above max, jitter included (at the cap they spread below it).
// reset() after a successful connection.

#include <chrono>
#include <cstdint>
#include <random>

namespace flight::live {

struct BackoffOptions {
    std::chrono::milliseconds base{1000};
    std::chrono::milliseconds max{30000};
    double jitter = 0.2;
};

class BackoffPolicy {
public:
    explicit BackoffPolicy(BackoffOptions options = {}, std::uint64_t seed = std::random_device{}());

    // The delay before the next attempt; each call doubles the following one.
    std::chrono::milliseconds next();
    void reset();
    int attempts() const { return m_attempts; }
    const BackoffOptions& options() const { return m_options; }

private:
    BackoffOptions m_options;
    std::mt19937_64 m_random;
    int m_attempts = 0;
};

} // namespace flight::live
