// SPDX-License-Identifier: MIT
#pragma once
// Reconnect delays: base, doubling per failed attempt up to max, each delay
// multiplied by a random factor in [1 - jitter, 1 + jitter] (the result is
// never above max * (1 + jitter)). reset() after a successful connection.

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
