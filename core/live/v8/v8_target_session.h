// SPDX-License-Identifier: MIT
#pragma once
// One V8 target of a v8: source, as one Flight session: connects its
// CdpClient, samples every interval, looks for WebAssembly memories when
// needed, turns "flight:" console messages into markers and ends the session
// with a reason (v8_source.h has the contract).

#include "live/sources/agent_source.h"
#include "live/v8/v8_discovery.h"
#include "live/v8/v8_source.h"

#include <memory>

namespace flight::live {

class V8TargetSession {
public:
    V8TargetSession(V8Target target, const V8SourceOptions& options);
    ~V8TargetSession();

    void start(AgentSource::Sink sink);
    void stop();          // disconnects, leaving the target running
    bool finished() const;
    const V8TargetStats& stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
