// SPDX-License-Identifier: MIT
#pragma once
// Slows token guessing at the agent's handshake: a handshake that fails the
// token check is answered (401) only after a delay that doubles with each
// failure from the same peer address (100 ms, 200 ms, ... capped at 5 s),
// and the answers to one address are serialised: opening many connections at
// once does not get more answers per second. A handshake with the right token
// is never delayed, whatever its address did before. An address is forgotten
// after a minute without failures; at most maxPeers addresses are remembered
// (the longest quiet one goes first), so the table stays small.

#include <QHash>
#include <QHostAddress>

#include <chrono>
#include <cstddef>

namespace flight::live {

class HandshakeThrottle {
public:
    using Clock = std::chrono::steady_clock;
    struct Options {
        std::chrono::milliseconds firstDelay{100};
        std::chrono::milliseconds maxDelay{5000};
        std::chrono::milliseconds forgetAfter{60'000};
        std::size_t maxPeers = 4096;
    };

    HandshakeThrottle() : HandshakeThrottle(Options{}) {}
    explicit HandshakeThrottle(Options options) : m_options(options) {}

    // A failed handshake from `peer` at `now`: the time its refusal is to be sent.
    Clock::time_point failed(const QHostAddress& peer, Clock::time_point now);
    // Failures counted for `peer` now (0 once forgotten).
    int failures(const QHostAddress& peer, Clock::time_point now) const;
    std::size_t peers() const { return static_cast<std::size_t>(m_peers.size()); }

private:
    struct Peer {
        int failures = 0;
        Clock::time_point lastFailure;
        Clock::time_point nextAnswer; // the last refusal scheduled for this address
    };
    Options m_options;
    QHash<QHostAddress, Peer> m_peers;
};

} // namespace flight::live
