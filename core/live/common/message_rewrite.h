// SPDX-License-Identifier: MIT
#pragma once
// Edits a decoded or generated message in place for a live source: moving all
// its timestamps together (the time it describes: protocol/message_time.h), and
// the session it names.

#include "protocol/message.h"
#include "protocol/message_time.h"

#include <cstdint>
#include <string_view>

namespace flight::live {

// Adds `deltaMs` to every timestamp the message carries (not receivedAt).
void shiftMessageTime(protocol::Message& message, std::int64_t deltaMs);

// Points every sessionId of the message at `sessionId` (the view must outlive the message's use).
void setMessageSessionId(protocol::Message& message, std::string_view sessionId);

} // namespace flight::live
