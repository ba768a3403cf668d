// SPDX-License-Identifier: MIT
#include "live/client/backoff_policy.h"

#include <algorithm>
#include <cmath>

namespace flight::live {

BackoffPolicy::BackoffPolicy(BackoffOptions options, std::uint64_t seed) : m_options(options), m_random(seed) {}

std::chrono::milliseconds BackoffPolicy::next()
{
    const double base = static_cast<double>(std::max<std::int64_t>(1, m_options.base.count()));
    const double max = static_cast<double>(std::max(m_options.base, m_options.max).count());
    const double raw = std::min(max, base * std::ldexp(1.0, std::min(m_attempts, 40)));
    ++m_attempts;
    const double jitter = std::clamp(m_options.jitter, 0.0, 1.0);
    // Spread over [raw - jitter, raw + jitter] but never past max: at the cap the
    // delays spread below it (30 s is a promise to the user, not an average).
    std::uniform_real_distribution<double> spread(raw * (1.0 - jitter), std::min(max, raw * (1.0 + jitter)));
    const double delay = std::min(max, spread(m_random));
    return std::chrono::milliseconds(std::max<std::int64_t>(1, std::llround(delay)));
}

void BackoffPolicy::reset() { m_attempts = 0; }

} // namespace flight::live
