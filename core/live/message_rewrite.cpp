// SPDX-License-Identifier: MIT
#include "live/message_rewrite.h"

#include <type_traits>

namespace flight::live {

using namespace flight::protocol;

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

void shiftMessageTime(Message& message, std::int64_t deltaMs)
{
    std::visit([deltaMs](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AllocationMsg>) {
            m.allocatedAt += deltaMs;
            if (m.freedAt)
                *m.freedAt += deltaMs;
        } else if constexpr (std::is_same_v<T, FreeMsg>) {
            m.freedAt += deltaMs;
        } else if constexpr (std::is_same_v<T, LimitsMsg>) {
            if (m.timestamp != 0)
                m.timestamp += deltaMs;
        } else if constexpr (requires { m.timestamp; } && !std::is_same_v<T, RecordingHeaderMsg>) {
            m.timestamp += deltaMs;
        }
    }, message.payload);
}

void setMessageSessionId(Message& message, std::string_view sessionId)
{
    std::visit([sessionId](auto& m) {
        if constexpr (requires { m.sessionId; })
            m.sessionId = sessionId;
    }, message.payload);
}

} // namespace flight::live
