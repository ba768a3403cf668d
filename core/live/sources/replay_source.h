// SPDX-License-Identifier: MIT
#pragma once
// replay:FILE: a recording (protocol.md section 5, plain or zstd) streamed with
// its original timing scaled by `speed` (2 = twice as fast). The time of a
// line is its receivedAt, else the message's own time (message_rewrite.h); a
// line earlier than the one before waits for nothing. The header line, blank
// and undecodable lines are left out, as are the recording's receivedAt and
// seq (the server numbers the session again, so a complete recording of a
// numbered stream gets the same seqs back). Message timestamps are sent as
// recorded. A message without a sessionId (a recording of a single-session
// producer, e.g. V6R's flat memory_update) is given the session of the last
// session_started before it, else "replay-<file name up to the first dot>", so
// several sources on one agent stay apart. With `loop`, the recording starts over when it ends, each pass
// under fresh session ids ("<id>~2", "<id>~3", ...) and with the same timing as the first: a pass
// lasts the recording's span (first line to last, scaled by speed, at least 10 ms) and the next
// begins where it ends, so a 0.3 s recording looped for 1.2 s gives about 4 passes.
//
// The file is read and checked once, in open(), and kept in memory as lines.

#include "live/sources/agent_source.h"
#include "model/memory_error.h"

#include <QString>

#include <cstdint>
#include <memory>

namespace flight::live {

struct ReplaySourceOptions {
    QString path;
    double speed = 1.0;
    bool loop = false;
};

class ReplaySource final : public AgentSource {
public:
    // Errors: unreadable file, no message in it, speed <= 0.
    static Result<std::unique_ptr<ReplaySource>> open(ReplaySourceOptions options);
    ~ReplaySource() override;

    QString describe() const override;
    void start(Sink sink) override;
    void stop() override;
    bool finished() const override;

    std::size_t messageCount() const;     // per pass
    std::uint64_t skippedLines() const;   // undecodable lines left out
    std::uint64_t passes() const;         // passes begun

private:
    ReplaySource();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
