// SPDX-License-Identifier: MIT
#pragma once
// demo[:PLATFORM]: a WorkloadGenerator session streamed live. Messages are
// paced at `rate` per second and their timestamps rebased to the wall clock as
// they are sent. A run is `eventsPerRun` messages (session_started ..
// session_ended, passing every pressure level, markers and the slow leak); then
// a new run starts at once with the next seed under a fresh session id
// ("demo-<platform>-<run>"), so the demo never ends.

#include "live/sources/agent_source.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>

namespace flight::live {

struct DemoSourceOptions {
    std::string platform = "v6r-small";
    double rate = 200.0;                 // messages per second
    std::uint64_t eventsPerRun = 12'000;
    std::uint64_t seed = 1;
};

class DemoSource final : public AgentSource {
public:
    // Errors: unsupported platform (checked by building the first run), rate <= 0.
    static Result<std::unique_ptr<DemoSource>> create(DemoSourceOptions options);
    ~DemoSource() override;

    QString describe() const override;
    void start(Sink sink) override;
    void stop() override;
    bool finished() const override { return false; }
    std::uint64_t runs() const;

private:
    DemoSource();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
