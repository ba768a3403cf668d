// SPDX-License-Identifier: MIT
#pragma once
// Edits a decoded or generated message in place for a live source: the time it
// describes, moving all its timestamps together, and the session it names.

#include "protocol/message.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace flight::live {

// The instant a message describes (ms): its timestamp, allocatedAt for an
// allocation, freedAt for a free; receivedAt is NOT used. nullopt: none (hello,
// recording header, a limits message without timestamp).
std::optional<std::int64_t> messageTime(const protocol::Message& message);

// Adds `deltaMs` to every timestamp the message carries (not receivedAt).
void shiftMessageTime(protocol::Message& message, std::int64_t deltaMs);

// Points every sessionId of the message at `sessionId` (the view must outlive the message's use).
void setMessageSessionId(protocol::Message& message, std::string_view sessionId);

} // namespace flight::live
