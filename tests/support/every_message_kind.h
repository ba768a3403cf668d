// SPDX-License-Identifier: MIT
#pragma once
// Sample messages the protocol and format-2 tests share: one message of every
// kind of protocol.md with awkward values, and the two memory_update forms.

#include "protocol/message.h"

#include <array>
#include <string>
#include <vector>

namespace flight::test {

// A flat memory_update (no session id): 256 of 512 MiB used, pressure medium.
inline protocol::MemoryUpdateMsg flatUpdate()
{
    protocol::MemoryUpdateMsg flat;
    flat.timestamp = 1764000000500;
    flat.usedBytes = 268435456;
    flat.totalBytes = 536870912;
    flat.pressure = MemoryPressure::Medium;
    return flat;
}

// A snapshot memory_update of vm-7: 1 KiB of 512 MiB used, fragmentation 1/8.
inline protocol::MemoryUpdateMsg snapshotUpdate()
{
    protocol::MemoryUpdateMsg snap;
    snap.form = protocol::MemoryUpdateMsg::Form::Snapshot;
    snap.sessionId = "vm-7";
    snap.timestamp = 1764000000500;
    snap.platform = "v6r-small";
    snap.totalBytes = 536870912;
    snap.usedBytes = 1024;
    snap.availableBytes = 536869888;
    snap.fragmentationRatio = 0.125;
    return snap;
}

// Every message kind of protocol.md with awkward values (seq gaps and the
// largest seq, ids that are and are not numbered, a custom purpose, freedAt
// before allocatedAt), then `churn` allocations and frees.
inline std::vector<protocol::Message> everyKind(std::size_t churn = 0)
{
    using namespace protocol;
    static const MemoryLimits limits{{858993459}, {8388608}, {134217728}, {858993459}, {966367641}};
    static const std::array<PurposeBytes, 2> byPurpose{{{MemoryPurpose(StandardPurpose::VmHeap), 268435456},
                                                         {MemoryPurpose::fromName("compact-custom"), 7}}};
    std::vector<Message> all;
    all.push_back({HelloMsg{"flight-memory/1", "v6r-bridge 1.4"}, std::nullopt, 1764000000000});
    all.push_back({SessionStartedMsg{"vm-7", "v6r-small", "my \"label\"", 536870912, limits, 1764000000000}, 1, 1764000000001});
    all.push_back({AllocationMsg{"a-91", "vm-7", 4096, MemoryPurpose(StandardPurpose::AssetCache), 1764000000123, std::nullopt}, 2, 1764000000124});
    all.push_back({AllocationMsg{"a-92\n\t\x01", "vm-7", 18446744073709551615ull, MemoryPurpose(StandardPurpose::JitCodeCache), 1764000000123, 1764000000100}, 7, 1764000000120});
    all.push_back({AllocationMsg{"a-07", "", 1, MemoryPurpose(StandardPurpose::Temporary), 1764000000001, std::nullopt}, std::nullopt, std::nullopt});
    all.push_back({AllocationMsg{"0", "vm-7", 0, MemoryPurpose(StandardPurpose::VmHeap), 1764000000124, std::nullopt}, 18446744073709551615ull, 1764000000125});
    all.push_back({AllocationMsg{"x999999999999999999", "vm-7", 3, MemoryPurpose(StandardPurpose::WasmLinear), 1764000000124, std::nullopt}, 0, 1764000000125});
    all.push_back({AllocationMsg{"x1234567890123456789", "vm-7", 3, MemoryPurpose(StandardPurpose::NetworkBuffers), 1764000000124, std::nullopt}, 5, 1764000000125});
    all.push_back({AllocationMsg{"c-1", "vm-7", 1, MemoryPurpose::fromName("compact-custom"), 1764000000125, std::nullopt}, std::nullopt, 1764000000126});
    all.push_back({FreeMsg{"vm-7", "a-91", 1764000000456}, 8, 1764000000457});
    all.push_back({FreeMsg{"", "zz", 1764000000400}, std::nullopt, std::nullopt});
    MemoryUpdateMsg flat = flatUpdate();
    flat.sessionId = "vm-7";
    flat.hasByPurpose = true;
    flat.byPurpose = byPurpose;
    all.push_back({flat, 9, 1764000000501});
    all.push_back({snapshotUpdate(), std::nullopt, 1764000000502});
    all.push_back({LimitsMsg{"vm-7", limits, 1764000000600}, 10, 1764000000601});
    all.push_back({ErrorMsg{"vm-7", MemoryErrorCode::AllocationFailed, "no room", "heap", 1764000000700}, 11, 1764000000701});
    all.push_back({MarkerMsg{"vm-7", 1764000000800, "level 2"}, 12, 1764000000801});
    static std::vector<std::string> ids;
    ids.clear();
    ids.reserve(churn);
    for (std::size_t i = 0; i < churn; ++i)
        ids.push_back("b-" + std::to_string(i));
    for (std::size_t i = 0; i < churn; ++i) {
        const std::int64_t t = 1764000001000 + static_cast<std::int64_t>(i);
        if (i % 3 == 2)
            all.push_back({FreeMsg{"vm-7", ids[i - 1], t}, 13 + i, t + 2});
        else
            all.push_back({AllocationMsg{ids[i], "vm-7", 16 + (i * 7919) % 4096, MemoryPurpose::fromId(static_cast<std::uint16_t>(i % 8)), t, std::nullopt}, 13 + i, t + 1});
    }
    all.push_back({SessionEndedMsg{"vm-7", 1764000900000}, std::nullopt, 1764000900001});
    return all;
}

} // namespace flight::test
