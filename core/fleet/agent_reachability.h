// SPDX-License-Identifier: MIT
#pragma once
// Whether a VM's agent answers where "go live" would connect: the WebSocket
// address its flight_agent_info gives, corrected when the agent listens on
// every address (0.0.0.0 or ::, which says where it listens, not where to
// reach it: the host Prometheus scrapes it at is used instead), then a short
// TCP connect. Blocking: call it from a worker thread, never the UI thread.

#include "model/memory_error.h"

#include <QString>
#include <QUrl>

#include <functional>

namespace flight::fleet {

// The URL to connect to for an agent that says `websocket` and is scraped at
// `scrapeTarget` (Prometheus' instance label, HOST:PORT): `websocket` itself,
// or with its host replaced by the target's when it is 0.0.0.0 or ::. Empty
// when `websocket` is not a ws:// or wss:// URL with a host and port.
QUrl agentConnectUrl(const QString& websocket, const QString& scrapeTarget);

struct AgentProbeOptions {
    int timeoutMs = 2000;
    std::function<bool()> cancelled; // polled every 20 ms: true ends the attempt
};

// A TCP connect to `url`'s host and port within the timeout. The error says
// "agent at ws://HOST:PORT not reachable: connection refused" (or host not
// found, no answer within 2 s, cancelled...).
Result<void> probeAgent(const QUrl& url, const AgentProbeOptions& options = {});

} // namespace flight::fleet
