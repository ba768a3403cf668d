// SPDX-License-Identifier: MIT
#pragma once
// A producer of protocol messages inside flight-agent serve: one or more
// sessions (demo generator, recording replay, /proc process, cgroup). A source
// runs on the event loop of the thread that starts it (QTimer) and hands each
// message to the sink synchronously; the message's strings are valid during
// the call only. Sources send no `seq`: AgentServer numbers every session.

#include "protocol/message.h"

#include <QString>

#include <functional>

namespace flight::live {

class AgentSource {
public:
    using Sink = std::function<void(const protocol::Message&)>;

    virtual ~AgentSource();

    // "demo:dreamcast", "replay:/tmp/a.jsonl", "process:1234", "cgroup:/sys/fs/cgroup/x".
    virtual QString describe() const = 0;
    // Begins producing (first message from the event loop, not inside start()).
    virtual void start(Sink sink) = 0;
    // Stops producing; no sink call after it returns.
    virtual void stop() = 0;
    // True once the source has nothing more to send (process gone, replay over).
    virtual bool finished() const = 0;
};

} // namespace flight::live
