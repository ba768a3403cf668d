// SPDX-License-Identifier: MIT
#include "protocol/message_time.h"

#include <type_traits>

namespace flight::protocol {

std::optional<std::int64_t> messageTime(const Message& message)
{
    return std::visit([](const auto& m) -> std::optional<std::int64_t> {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AllocationMsg>)
            return m.allocatedAt;
        else if constexpr (std::is_same_v<T, FreeMsg>)
            return m.freedAt;
        else if constexpr (std::is_same_v<T, LimitsMsg>)
            return m.timestamp != 0 ? std::optional<std::int64_t>(m.timestamp) : std::nullopt;
        else if constexpr (requires { m.timestamp; } && !std::is_same_v<T, RecordingHeaderMsg>)
            return m.timestamp;
        else
            return std::nullopt;
    }, message.payload);
}

} // namespace flight::protocol
