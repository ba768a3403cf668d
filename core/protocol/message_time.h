// SPDX-License-Identifier: MIT
#pragma once
// The instant a message describes (ms): its timestamp, allocatedAt for an
// allocation, freedAt for a free; receivedAt is NOT used. nullopt: none (hello,
// recording header, a limits message without timestamp). Live sources pace by
// it, format 2 indexes records by it (after receivedAt).

#include "protocol/message.h"

#include <cstdint>
#include <optional>

namespace flight::protocol {

std::optional<std::int64_t> messageTime(const Message& message);

} // namespace flight::protocol
