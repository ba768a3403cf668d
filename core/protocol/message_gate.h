// SPDX-License-Identifier: MIT
#pragma once
// A look at each decoded message between SessionStore's decoding and its
// applying (SessionStore::ingest with a gate): the caller sees the message the
// store's own decoder produced, may change it (the session it names, say) and
// says whether the store applies it. For a caller that needs the decoded
// message too (the live worker: held seqs, renamed sessions, the recording)
// without decoding the frame a second time.

#include "protocol/message.h"

#include <cstdint>

namespace flight::protocol {

class MessageGate {
public:
    // `message` is valid until the next decode; `line` is the ingested line's
    // number. false: not applied (its decode warnings are kept all the same).
    // Called inside SessionStore::ingest: it may read the store, not change it.
    virtual bool admit(Message& message, std::uint64_t line) = 0;

protected:
    ~MessageGate() = default;
};

} // namespace flight::protocol
