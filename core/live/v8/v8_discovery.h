// SPDX-License-Identifier: MIT
#pragma once
// Where a V8 inspector is: the part of a `v8:` source spec after the colon
// (HOST:PORT, whose targets are listed by GET /json/list, or one target's own
// ws:// debugger URL), the loopback rule (the inspector port is
// unauthenticated by V8's design, so only loopback hosts unless allowed), and
// the target list, read with a bounded body and a timeout.

#include "model/memory_error.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <chrono>
#include <vector>

namespace flight::live {

struct V8Endpoint {
    QString host;
    quint16 port = 0;
    QUrl directUrl;          // set for v8:ws://...: that target only, no discovery
};

struct V8Target {
    QString id;              // only [A-Za-z0-9._-], at most 64 characters
    QString title;           // printable, capped
    QString url;             // the target's script or page, printable, capped
    QString type;            // "node", "page", "worker"...: as listed, printable, capped; empty for a ws:// URL
    QUrl webSocketUrl;       // always on the endpoint's host and port
};

inline constexpr qint64 kMaxTargetListBytes = 1024 * 1024;
inline constexpr std::size_t kMaxTargets = 64;

// "localhost", or an IP literal in 127.0.0.0/8 or ::1.
bool isLoopbackHost(const QString& host);

// Errors say what is wrong and, for a remote host, that --allow-remote-v8 exists.
Result<V8Endpoint> parseV8Endpoint(const QString& text, bool allowRemote);

// The targets of a /json/list body (JSON array). Each target's debugger URL is
// re-rooted on `endpoint` (only its path is taken), so a listing cannot send
// the agent to another host. Targets without a debugger URL (one already
// attached elsewhere in Chromium) are skipped; at most kMaxTargets.
Result<std::vector<V8Target>> parseTargetList(const QByteArray& body, const V8Endpoint& endpoint);

// GET http://HOST:PORT/json/list, blocking for at most `timeout` (it runs
// before the agent serves). Errors name the endpoint and the cause.
Result<std::vector<V8Target>> discoverV8Targets(const V8Endpoint& endpoint, std::chrono::milliseconds timeout);

// The target of a v8:ws://... spec (id from the URL's last path element).
V8Target directTarget(const V8Endpoint& endpoint);

} // namespace flight::live
