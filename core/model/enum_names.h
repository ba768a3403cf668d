// SPDX-License-Identifier: MIT
#pragma once
// A protocol enum's table of kebab-case names (pressure levels, error codes),
// in enum order: a value's name, and the value a producer's name or index
// stands for. Names match as producers write them: in any case, '_' for '-'
// ("LIMIT_EXCEEDED" is limit-exceeded).

#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace flight {

template <typename Enum, std::size_t N> struct EnumNames {
    std::array<std::string_view, N> names;

    constexpr std::string_view name(Enum value) const { return names[static_cast<std::size_t>(value)]; }

    std::optional<Enum> fromString(std::string_view text) const
    {
        for (std::size_t i = 0; i < N; ++i) {
            const std::string_view n = names[i];
            if (n.size() != text.size())
                continue;
            bool same = true;
            for (std::size_t k = 0; k < n.size() && same; ++k) {
                const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[k])));
                same = c == n[k] || (c == '_' && n[k] == '-');
            }
            if (same)
                return static_cast<Enum>(i);
        }
        return std::nullopt;
    }

    // The value at `index`, when below `count` (the values a peer may send by index).
    static std::optional<Enum> fromIndex(std::int64_t index, std::int64_t count = static_cast<std::int64_t>(N))
    {
        if (index < 0 || index >= count)
            return std::nullopt;
        return static_cast<Enum>(index);
    }
};

} // namespace flight
