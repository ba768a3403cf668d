// SPDX-License-Identifier: MIT
#pragma once
// An allocation or a free as a format-2 block decodes it, in the fields the
// store applies and nothing else: 80 bytes where a decoded Message is ~200.
// The loader's one serial stage (applying) reads each of these once, written
// by the decoding thread on another core, so their size is what it waits
// for (docs/performance.md, "Format 2 load, round 5").

#include "model/id_hash.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace flight::protocol {

struct DecodedCommon {
    // Other: a text or raw record. Decoded: a text record decoded already,
    // on the decoding thread (DecodedTexts, loadRecording): its message is
    // the run's texts[bytes], its line still in id.text.
    enum Kind : std::uint8_t { Allocation = 0, Free = 1, Other = 2, Decoded = 3 };
    enum Flags : std::uint8_t { HasSeq = 1 };

    // The id and the optional freedAt are held as the model takes them, so
    // that applying passes them on as they are: a HashedId or an optional
    // made on the stack for the call is read back 16 bytes at a time before
    // its two 8-byte stores have retired (a store-forwarding stall, ~7 % of
    // the applying thread in perf annotate).
    // The id text and its hashId; first: what the prefetch stages read ahead.
    // Kind Other: the record's line in text (key 0), the other fields empty.
    HashedId id;
    Kind kind = Other;
    std::uint8_t flags = 0;
    std::uint16_t purpose = 0; // MemoryPurpose::id()
    std::uint32_t sessionLen = 0;
    std::int64_t time = 0;     // allocatedAt or freedAt
    std::uint64_t seq = 0;     // with HasSeq
    const char* session = nullptr; // the session id text (sessionLen bytes)
    std::uint64_t bytes = 0;       // allocation
    std::optional<std::int64_t> freedAt; // allocation

    std::string_view sessionId() const { return {session, sessionLen}; }
};
static_assert(sizeof(DecodedCommon) == 80);

} // namespace flight::protocol
