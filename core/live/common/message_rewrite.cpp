// SPDX-License-Identifier: MIT
#include "live/common/message_rewrite.h"

#include <type_traits>

namespace flight::live {

using namespace flight::protocol;

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
