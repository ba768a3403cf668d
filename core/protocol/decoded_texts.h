// SPDX-License-Identifier: MIT
#pragma once
// Text records of a format-2 run decoded ahead, on the decoding thread
// (loadRecording): their messages, holding their strings here so that they
// outlive the decoder's next call. Only memory_update messages are kept: the
// one kind of text record a recording holds many of.

#include "protocol/message.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flight::protocol {

class DecodedTexts {
public:
    // Whether add() keeps `m`.
    static bool keeps(const Message& m) { return m.as<MemoryUpdateMsg>() != nullptr; }
    void clear();
    // A copy of `m` (keeps(m)); its index.
    std::uint32_t add(const Message& m);
    // Points the messages' strings at their copies: after the last add(), before operator[].
    void finish();
    const Message& operator[](std::size_t i) const { return m_messages[i]; }
    std::size_t size() const { return m_messages.size(); }

private:
    struct Where {
        std::uint32_t session = 0, platform = 0, purposes = 0; // offsets into m_text / m_purposes
    };
    std::vector<Message> m_messages;
    std::vector<Where> m_where;
    std::string m_text;
    std::vector<PurposeBytes> m_purposes;
};

} // namespace flight::protocol
