// SPDX-License-Identifier: MIT
#pragma once
// The sessions of a program traced by libflight-preload.so (flight-agent run):
// reads the library's batches (live/tracer/tracer_wire.h) from the agent's end of
// the socket, one session per traced process ("trace-<pid>", a new one after
// exec), and sends each interval a memory_update with the live bytes by
// purpose (exact: every event counts), plus every allocation of at least
// `threshold` bytes and its free as messages of their own. Untagged blocks
// get their purpose from the rules (size only: no stacks are read) or
// `unclassified`. With a recording, every event goes to it (allocation and
// free messages for all sizes). Finishes once the program has ended and the
// socket is drained.

#include "import/purpose_rules.h"
#include "live/sources/agent_source.h"
#include "model/memory_error.h"

#include <chrono>
#include <memory>
#include <string>

namespace flight::live {

struct TracerSourceOptions {
    int socketFd = -1;                            // the agent's end (owned by the source from then on)
    qint64 programPid = 0;                        // the program started; its exit ends the source
    std::string platform = "custom";
    import::PurposeRules rules;
    std::uint64_t threshold = 64 * 1024;          // live: blocks at least this big are sent one by one
    std::chrono::milliseconds interval{250};
    std::string recordingPath;                    // empty: none
};

struct TracerFigures {
    std::uint64_t events = 0, batches = 0, malformed = 0;
    int programExitCode = -1;                     // -1 while running; 128+N for signal N
};

class TracerSource final : public AgentSource {
public:
    // Errors: the recording cannot be created.
    static Result<std::unique_ptr<TracerSource>> create(TracerSourceOptions options);
    ~TracerSource() override;

    QString describe() const override;
    void start(Sink sink) override;
    void stop() override;
    bool finished() const override;
    const TracerFigures& figures() const;

private:
    struct Impl;
    explicit TracerSource(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
