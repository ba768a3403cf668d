// SPDX-License-Identifier: MIT
#include "live/server/handshake_throttle.h"

#include <algorithm>

namespace flight::live {

HandshakeThrottle::Clock::time_point HandshakeThrottle::failed(const QHostAddress& peer, Clock::time_point now)
{
    auto it = m_peers.find(peer);
    if (it != m_peers.end() && now - it->lastFailure > m_options.forgetAfter)
        *it = Peer{};
    if (it == m_peers.end()) {
        if (static_cast<std::size_t>(m_peers.size()) >= m_options.maxPeers) {
            // Full: forget every quiet address, or else the quietest one.
            for (auto p = m_peers.begin(); p != m_peers.end();)
                p = now - p->lastFailure > m_options.forgetAfter ? m_peers.erase(p) : std::next(p);
            if (static_cast<std::size_t>(m_peers.size()) >= m_options.maxPeers)
                m_peers.erase(std::min_element(m_peers.begin(), m_peers.end(), [](const Peer& a, const Peer& b) {
                    return a.lastFailure < b.lastFailure;
                }));
        }
        it = m_peers.insert(peer, Peer{});
    }
    Peer& p = *it;
    const int doublings = std::min(p.failures, 16);
    const auto delay = std::min<std::chrono::milliseconds>(m_options.firstDelay * (1LL << doublings), m_options.maxDelay);
    ++p.failures;
    p.lastFailure = now;
    p.nextAnswer = std::max(now, p.nextAnswer) + delay;
    return p.nextAnswer;
}

int HandshakeThrottle::failures(const QHostAddress& peer, Clock::time_point now) const
{
    const auto it = m_peers.constFind(peer);
    if (it == m_peers.constEnd() || now - it->lastFailure > m_options.forgetAfter)
        return 0;
    return it->failures;
}

} // namespace flight::live
