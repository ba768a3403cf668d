// SPDX-License-Identifier: MIT
#include "protocol/string_caps.h"

namespace flight::protocol {

namespace {

std::string over(std::string_view field, std::size_t size, std::size_t max)
{
    return std::string(field) + " of " + std::to_string(size) + " bytes is over the " + std::to_string(max)
           + "-byte limit";
}

struct Capper {
    std::vector<std::string>& cuts;
    std::optional<std::string> refusal;

    void id(std::string_view field, std::string_view value)
    {
        if (!refusal && value.size() > kMaxIdBytes)
            refusal = over(field, value.size(), kMaxIdBytes);
    }
    void text(std::string_view field, std::string_view& value)
    {
        if (value.size() <= kMaxTextBytes)
            return;
        const std::size_t was = value.size();
        value = cutText(value, kMaxTextBytes);
        cuts.push_back(std::string(field) + " of " + std::to_string(was) + " bytes cut to "
                       + std::to_string(value.size()));
    }
};

} // namespace

std::string_view cutText(std::string_view text, std::size_t max)
{
    if (text.size() <= max)
        return text;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u)
        --end; // text[end] continues a sequence that starts before it: cut before that start
    return text.substr(0, end);
}

std::optional<std::string> applyStringCaps(Message& message, std::vector<std::string>& cuts)
{
    Capper c{cuts, std::nullopt};
    std::visit([&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (requires { m.sessionId; })
            c.id("sessionId", m.sessionId);
        if constexpr (std::is_same_v<T, AllocationMsg>) {
            c.id("allocation id", m.id); // a purpose name is checked before it is interned (decoder)
        } else if constexpr (std::is_same_v<T, FreeMsg>) {
            c.id("allocationId", m.allocationId);
        } else if constexpr (std::is_same_v<T, SessionStartedMsg>) {
            c.id("platform", m.platform);
            c.text("label", m.label);
        } else if constexpr (std::is_same_v<T, MemoryUpdateMsg>) {
            c.id("platform", m.platform);
        } else if constexpr (std::is_same_v<T, MarkerMsg>) {
            c.text("label", m.label);
        } else if constexpr (std::is_same_v<T, ErrorMsg>) {
            c.text("error message", m.message);
            c.text("error details", m.details);
        } else if constexpr (std::is_same_v<T, HelloMsg>) {
            c.text("protocol", m.protocol);
            c.text("server", m.server);
        } else if constexpr (std::is_same_v<T, RecordingHeaderMsg>) {
            c.text("source", m.source);
            c.text("application", m.application);
        }
    }, message.payload);
    return c.refusal;
}

bool idsWithinCaps(const Message& message)
{
    if (const auto* a = message.as<AllocationMsg>())
        return a->id.size() <= kMaxIdBytes && a->sessionId.size() <= kMaxIdBytes;
    if (const auto* f = message.as<FreeMsg>())
        return f->allocationId.size() <= kMaxIdBytes && f->sessionId.size() <= kMaxIdBytes;
    return true;
}

} // namespace flight::protocol
