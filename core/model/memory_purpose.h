// SPDX-License-Identifier: MIT
#pragma once
// memory-purpose of flight:memory@1.0.0: the eight standard purposes plus any
// custom name a producer sends, kept as its own category (protocol.md section 2).
// A purpose is a 16-bit id: 0..7 standard in WIT order, 8.. custom names
// interned process-wide, so events carry no string.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight {

enum class StandardPurpose : std::uint8_t {
    VmHeap,
    ComponentStack,
    AssetCache,
    JitCodeCache,
    SystemReserved,
    WasmLinear,
    NetworkBuffers,
    Temporary,
};
inline constexpr std::uint16_t kStandardPurposeCount = 8;

class MemoryPurpose {
public:
    constexpr MemoryPurpose() = default;
    constexpr MemoryPurpose(StandardPurpose p) : m_id(static_cast<std::uint16_t>(p)) {}

    // Kebab, PascalCase, snake_case or any case of the eight; nullopt otherwise.
    static std::optional<MemoryPurpose> fromStandardName(std::string_view text);
    // Standard spelling, or else a custom purpose interned under `text` as given.
    static MemoryPurpose fromName(std::string_view text);
    // Go binding's iota order 0..7; nullopt for any other integer.
    static std::optional<MemoryPurpose> fromIndex(std::int64_t index);
    static MemoryPurpose fromId(std::uint16_t id) { MemoryPurpose p; p.m_id = id; return p; }

    constexpr std::uint16_t id() const { return m_id; }
    constexpr bool isCustom() const { return m_id >= kStandardPurposeCount; }
    // Canonical wire name: "vm-heap", or the custom name as the producer sent it.
    std::string_view name() const;
    // For people: "VM heap", "Asset cache"; custom names as they are.
    std::string displayName() const;

    // Every purpose known to this process: the eight, then customs in first-seen order.
    static std::vector<MemoryPurpose> all();
    static std::size_t count();

    friend constexpr auto operator<=>(MemoryPurpose, MemoryPurpose) = default;

private:
    std::uint16_t m_id = 0;
};

} // namespace flight
