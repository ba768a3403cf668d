// SPDX-License-Identifier: MIT
#include "live/server/token_bucket.h"

#include <algorithm>

namespace flight::live {

void TokenBucket::refill(Clock::time_point now)
{
    if (now > m_last) {
        const double seconds = std::chrono::duration<double>(now - m_last).count();
        m_tokens = std::min(m_burst, m_tokens + seconds * m_rate);
        m_last = now;
    }
}

bool TokenBucket::take(double cost, Clock::time_point now)
{
    refill(now);
    if (cost > m_tokens)
        return false;
    m_tokens -= cost;
    return true;
}

double TokenBucket::available(Clock::time_point now)
{
    refill(now);
    return m_tokens;
}

} // namespace flight::live
