// SPDX-License-Identifier: MIT
#include "every_message_kind.h"
#include "protocol/message_decoder.h"
#include "protocol/message_encoder.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

using namespace flight;
using namespace flight::protocol;

namespace {

void expectRoundTrip(const Message& m)
{
    const std::string json = encode(m);
    MessageDecoder d;
    auto r = d.decode(json, 1);
    ASSERT_TRUE(r.has_value()) << json << " -> " << r.error().message;
    ASSERT_TRUE(r->has_value()) << json;
    EXPECT_EQ(**r, m) << json;
    EXPECT_EQ(encode(**r), json);
}

const std::array<PurposeBytes, 3> kByPurpose{{
    {MemoryPurpose(StandardPurpose::VmHeap), 268435456},
    {MemoryPurpose(StandardPurpose::AssetCache), 12582912},
    {MemoryPurpose::fromName("encoder-test-custom"), 7},
}};

} // namespace

TEST(MessageEncoder, RoundTripEveryKind)
{
    // The sample of every kind the format-2 tests write, then what it lacks:
    // the recording header, missing optional fields and seqs, the wire's own
    // edge values.
    const MemoryLimits limits{{858993459}, {8388608}, {134217728}, {858993459}, {966367641}};
    std::vector<Message> all = test::everyKind();
    all.push_back({HelloMsg{"flight-memory/1", "v6r-bridge 1.4"}, std::nullopt, std::nullopt});
    all.push_back({RecordingHeaderMsg{"flight-memory-recording/1", 1764000000000, "ws://127.0.0.1:8765", "flight-inspector 0.1.0"}, std::nullopt, std::nullopt});
    all.push_back({SessionStartedMsg{"vm-8", "dreamcast", "", std::nullopt, std::nullopt, 1764000000000}, std::nullopt, std::nullopt});
    all.push_back({SessionEndedMsg{"vm-7", 1764000009000}, 99, std::nullopt});
    all.push_back({AllocationMsg{"a-92\n\t\x01", "vm-7", 18446744073709551615ull, MemoryPurpose(StandardPurpose::JitCodeCache), 1764000000123, 1764000000456}, std::nullopt, std::nullopt});
    all.push_back({AllocationMsg{"a-93", "vm-7", 1, MemoryPurpose::fromName("encoder-test-custom"), 1764000000123, std::nullopt}, std::nullopt, std::nullopt});
    all.push_back({FreeMsg{"vm-7", "a-91", 1764000000456}, 3, std::nullopt});
    const MemoryUpdateMsg flat = test::flatUpdate();
    all.push_back({flat, std::nullopt, std::nullopt});
    MemoryUpdateMsg snap = test::snapshotUpdate();
    snap.fragmentationRatio = 0.12;
    snap.pressure = MemoryPressure::Critical;
    snap.hasByPurpose = true;
    snap.byPurpose = kByPurpose;
    all.push_back({snap, 4, 1764000000501});
    MemoryUpdateMsg flatBy = flat;
    flatBy.sessionId = "vm-7";
    flatBy.hasByPurpose = true;
    flatBy.byPurpose = std::span<const PurposeBytes>(kByPurpose.data(), 2);
    flatBy.pressure.reset();
    all.push_back({flatBy, std::nullopt, std::nullopt});
    all.push_back({LimitsMsg{"vm-7", limits, 1764000000600}, 5, std::nullopt});
    all.push_back({LimitsMsg{"vm-7", limits, 0}, std::nullopt, std::nullopt});
    all.push_back({ErrorMsg{"vm-7", MemoryErrorCode::LimitExceeded, "heap over hard limit", "a-91", 1764000000600}, 6, std::nullopt});
    all.push_back({ErrorMsg{"", MemoryErrorCode::FragmentationError, "", "", 1764000000600}, std::nullopt, std::nullopt});
    all.push_back({MarkerMsg{"vm-7", 1764000000700, "level 2 loaded \xC3\xA9"}, 7, 1764000000701});

    std::set<std::size_t> kinds;
    for (const auto& m : all) {
        SCOPED_TRACE(encode(m));
        kinds.insert(m.payload.index());
        expectRoundTrip(m);
    }
    EXPECT_EQ(kinds.size(), std::variant_size_v<Payload>);
}

TEST(MessageEncoder, CanonicalForm)
{
    Message m{AllocationMsg{"a-91", "vm-7", 4096, MemoryPurpose(StandardPurpose::AssetCache), 1764000000123, std::nullopt},
              std::nullopt, std::nullopt};
    EXPECT_EQ(encode(m),
              R"({"type":"allocation","allocation":{"id":"a-91","sessionId":"vm-7","size":{"bytes":4096,"humanReadable":"4.0KB"},"purpose":"asset-cache","allocatedAt":1764000000123}})");
    EXPECT_EQ(encode(Message{test::flatUpdate(), std::nullopt, std::nullopt}),
              R"({"type":"memory_update","timestamp":1764000000500,"usage":{"bytes":268435456,"humanReadable":"256.0MB"},"total":{"bytes":536870912,"humanReadable":"512.0MB"},"pressure":"medium"})");
    EXPECT_EQ(encode(Message{FreeMsg{"vm-7", "a-91", 1764000000456}, 12, 1764000000457}),
              R"({"type":"free","sessionId":"vm-7","allocationId":"a-91","freedAt":1764000000456,"seq":12,"receivedAt":1764000000457})");
}

TEST(MessageEncoder, DialectInputIsWrittenCanonically)
{
    MessageDecoder d;
    auto r = d.decode(R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g","session_id":"vm-go","size":{"bytes":805306368,"human_readable":"768.0MB"},"purpose":0,"allocated_at":1764000001}}})", 1);
    ASSERT_TRUE(r && *r);
    EXPECT_EQ(encode(**r),
              R"({"type":"allocation","allocation":{"id":"g","sessionId":"vm-go","size":{"bytes":805306368,"humanReadable":"768.0MB"},"purpose":"vm-heap","allocatedAt":1764000001000}})");
}

TEST(MessageEncoder, JsonStringEscaping)
{
    std::string out;
    appendJsonString(out, "a\"b\\c\n\r\t\b\f\x01\x1f\x7f\xC3\xA9|\xff|\xE2\x82|");
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\xC3\xA9|\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|\"");
}
