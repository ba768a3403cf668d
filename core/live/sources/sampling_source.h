// SPDX-License-Identifier: MIT
#pragma once
// The common part of the process and cgroup sources: every `interval` take a
// MemorySample; the first one opens the session (session_started, platform
// "custom", total = the sample's, label), each one is sent as a memory_update
// (snapshot form with byPurpose). When a sample fails (the process or group is
// gone) the session ends (session_ended) and the source is finished.

#include "live/sources/agent_source.h"
#include "live/sampling/memory_sample.h"
#include "model/memory_error.h"

#include <chrono>
#include <memory>
#include <string>

namespace flight::live {

class SamplingSource : public AgentSource {
public:
    ~SamplingSource() override;

    void start(Sink sink) override;
    void stop() override;
    bool finished() const override;

    const std::string& sessionId() const;
    std::uint64_t samples() const;

protected:
    SamplingSource(std::string sessionId, std::string label, std::chrono::milliseconds interval);
    virtual Result<MemorySample> takeSample() = 0;

private:
    void tick();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
