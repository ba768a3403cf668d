// SPDX-License-Identifier: MIT
// Every field's dialect spellings, one by one, against a table written here by
// hand from protocol.md section 2 (not from the decoder's key tables, so a
// wrong mapping there fails here), through both decoding paths. Also the
// inputs the dialects differ on: fractional micro- and nanosecond times and an
// empty purpose.

#include "protocol/message_decoder.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

using namespace flight;
using namespace flight::protocol;

namespace {

// camelCase, snake_case, kebab-case and PascalCase of one field.
struct Spellings {
    std::string camel, snake, kebab, pascal;
    std::vector<std::string> all() const { return {camel, snake, kebab, pascal}; }
};

struct FieldCase {
    Spellings key;
    std::string line;                                // with KEY where the field's name goes
    std::function<void(const Message&)> check;       // the value landed in the right field
};

std::string withKey(std::string line, const std::string& key)
{
    const auto at = line.find("KEY");
    line.replace(at, 3, key);
    return line;
}

const LimitsMsg& limitsOf(const Message& m)
{
    const auto* l = m.as<LimitsMsg>();
    if (!l) {
        ADD_FAILURE() << "not a limits message: " << typeName(m.payload);
        static const LimitsMsg none;
        return none;
    }
    return *l;
}

// The limit the key names holds the 4096 bytes, every other limit none: the
// key landed in its own field and in no other.
std::function<void(const Message&)> onlyLimit(MemorySize MemoryLimits::*named)
{
    return [named](const Message& m) {
        const MemoryLimits& l = limitsOf(m).limits;
        for (MemorySize MemoryLimits::*field : {&MemoryLimits::heapMax, &MemoryLimits::stackMax, &MemoryLimits::cacheMax,
                                                &MemoryLimits::softLimit, &MemoryLimits::hardLimit})
            EXPECT_EQ((l.*field).bytes, field == named ? 4096u : 0u);
    };
}

std::vector<FieldCase> fieldCases()
{
    const std::string limits = R"({"type":"limits","sessionId":"s","limits":{"KEY":{"bytes":4096}},"timestamp":1764000000005})";
    return {
        {{"heapMax", "heap_max", "heap-max", "HeapMax"}, limits, onlyLimit(&MemoryLimits::heapMax)},
        {{"stackMax", "stack_max", "stack-max", "StackMax"}, limits, onlyLimit(&MemoryLimits::stackMax)},
        {{"cacheMax", "cache_max", "cache-max", "CacheMax"}, limits, onlyLimit(&MemoryLimits::cacheMax)},
        {{"softLimit", "soft_limit", "soft-limit", "SoftLimit"}, limits, onlyLimit(&MemoryLimits::softLimit)},
        {{"hardLimit", "hard_limit", "hard-limit", "HardLimit"}, limits, onlyLimit(&MemoryLimits::hardLimit)},
        {{"sessionId", "session_id", "session-id", "SessionId"},
         R"({"type":"marker","KEY":"vm-3","timestamp":1764000001000,"label":"x"})",
         [](const Message& m) { EXPECT_EQ(m.sessionId(), "vm-3"); }},
        {{"allocationId", "allocation_id", "allocation-id", "AllocationId"},
         R"({"type":"free","sessionId":"s","KEY":"a-7","freedAt":1764000002000})",
         [](const Message& m) {
             ASSERT_NE(m.as<FreeMsg>(), nullptr);
             EXPECT_EQ(m.as<FreeMsg>()->allocationId, "a-7");
         }},
        {{"freedAt", "freed_at", "freed-at", "FreedAt"},
         R"({"type":"free","sessionId":"s","allocationId":"a-7","KEY":1764000002000})",
         [](const Message& m) {
             ASSERT_NE(m.as<FreeMsg>(), nullptr);
             EXPECT_EQ(m.as<FreeMsg>()->freedAt, 1764000002000);
         }},
        {{"allocatedAt", "allocated_at", "allocated-at", "AllocatedAt"},
         R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":{"bytes":64},"purpose":"vm-heap","KEY":1764000003000}})",
         [](const Message& m) {
             ASSERT_NE(m.as<AllocationMsg>(), nullptr);
             EXPECT_EQ(m.as<AllocationMsg>()->allocatedAt, 1764000003000);
             EXPECT_FALSE(m.as<AllocationMsg>()->freedAt.has_value());
         }},
        {{"receivedAt", "received_at", "received-at", "ReceivedAt"},
         R"({"type":"marker","sessionId":"s","timestamp":1764000001000,"label":"x","KEY":1764000001234})",
         [](const Message& m) {
             ASSERT_TRUE(m.receivedAt.has_value());
             EXPECT_EQ(*m.receivedAt, 1764000001234);
         }},
        {{"createdAt", "created_at", "created-at", "CreatedAt"},
         R"({"type":"recording","format":"flight-memory-recording/1","KEY":1764000004321})",
         [](const Message& m) {
             ASSERT_NE(m.as<RecordingHeaderMsg>(), nullptr);
             EXPECT_EQ(m.as<RecordingHeaderMsg>()->createdAt, 1764000004321);
         }},
        {{"fragmentationRatio", "fragmentation_ratio", "fragmentation-ratio", "FragmentationRatio"},
         R"({"type":"memory_update","sessionId":"s","timestamp":1764000000001,"snapshot":{"used":{"bytes":10},"total":{"bytes":100},"KEY":0.25}})",
         [](const Message& m) {
             ASSERT_NE(m.as<MemoryUpdateMsg>(), nullptr);
             ASSERT_TRUE(m.as<MemoryUpdateMsg>()->fragmentationRatio.has_value());
             EXPECT_DOUBLE_EQ(*m.as<MemoryUpdateMsg>()->fragmentationRatio, 0.25);
             EXPECT_EQ(m.as<MemoryUpdateMsg>()->usedBytes, 10u);
         }},
        {{"byPurpose", "by_purpose", "by-purpose", "ByPurpose"},
         R"({"type":"memory_update","sessionId":"s","timestamp":1764000000001,"usage":100,"total":1000,"KEY":{"asset-cache":60,"temporary":40}})",
         [](const Message& m) {
             ASSERT_NE(m.as<MemoryUpdateMsg>(), nullptr);
             const auto& u = *m.as<MemoryUpdateMsg>();
             EXPECT_EQ(u.usedBytes, 100u);
             EXPECT_EQ(u.totalBytes, 1000u);
             ASSERT_EQ(u.byPurpose.size(), 2u);
             std::uint64_t asset = 0;
             std::uint64_t temp = 0;
             for (const PurposeBytes& p : u.byPurpose) {
                 if (p.purpose == MemoryPurpose(StandardPurpose::AssetCache))
                     asset = p.bytes;
                 if (p.purpose == MemoryPurpose(StandardPurpose::Temporary))
                     temp = p.bytes;
             }
             EXPECT_EQ(asset, 60u);
             EXPECT_EQ(temp, 40u);
         }},
        {{"humanReadable", "human_readable", "human-readable", "HumanReadable"},
         R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":{"KEY":"2KB"},"purpose":"vm-heap","allocatedAt":1764000003000}})",
         [](const Message& m) {
             // A size given only as text is read from its text.
             ASSERT_NE(m.as<AllocationMsg>(), nullptr);
             EXPECT_EQ(m.as<AllocationMsg>()->bytes, 2048u);
         }},
    };
}

void expectEveryPathDecodes(const std::string& line, const std::function<void(const Message&)>& check)
{
    for (const bool fast : {true, false}) {
        SCOPED_TRACE(std::string(fast ? "fast path on: " : "fast path off: ") + line);
        MessageDecoder decoder(DecoderOptions{kDefaultMaxMessageBytes, fast});
        auto r = decoder.decode(line, 1);
        ASSERT_TRUE(r.has_value()) << r.error().message;
        ASSERT_TRUE(r->has_value());
        check(**r);
    }
}

} // namespace

TEST(DialectKeys, EveryFieldInEverySpellingLandsInItsField)
{
    int decoded = 0;
    for (const FieldCase& c : fieldCases())
        for (const std::string& key : c.key.all()) {
            expectEveryPathDecodes(withKey(c.line, key), c.check);
            ++decoded;
        }
    EXPECT_EQ(decoded, 14 * 4);
}

TEST(DialectKeys, BytesWinOverADisagreeingTextInEverySpelling)
{
    // protocol.md: bytes is the size; the text is for people. A text that says
    // otherwise (4.5KB against 4096), before or after bytes, changes nothing.
    for (const std::string key : {"humanReadable", "human_readable", "human-readable", "HumanReadable"})
        for (const bool textFirst : {false, true}) {
            const std::string text = "\"" + key + "\":\"4.5KB\"";
            const std::string size = textFirst ? "{" + text + ",\"bytes\":4096}" : "{\"bytes\":4096," + text + "}";
            expectEveryPathDecodes(
                R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":)" + size +
                    R"(,"purpose":"vm-heap","allocatedAt":1764000003000}})",
                [](const Message& m) {
                    ASSERT_NE(m.as<AllocationMsg>(), nullptr);
                    EXPECT_EQ(m.as<AllocationMsg>()->bytes, 4096u);
                });
        }
}

TEST(DialectKeys, TypeNamesInEverySpelling)
{
    const std::vector<std::pair<std::string, std::string>> types = {
        {"session_started", "session_started"}, {"sessionStarted", "session_started"},
        {"session-started", "session_started"}, {"SessionStarted", "session_started"},
        {"session_ended", "session_ended"},     {"sessionEnded", "session_ended"},
        {"session-ended", "session_ended"},     {"SessionEnded", "session_ended"},
        {"memory_update", "memory_update"},     {"memoryUpdate", "memory_update"},
        {"memory-update", "memory_update"},     {"MemoryUpdate", "memory_update"},
    };
    for (const auto& [spelling, canonical] : types) {
        const std::string line = R"({"type":")" + spelling +
                                 R"(","sessionId":"s","timestamp":1764000000007,"usage":1,"total":2,"platform":"custom"})";
        expectEveryPathDecodes(line, [&](const Message& m) { EXPECT_EQ(typeName(m.payload), canonical); });
    }
}

TEST(DialectKeys, FractionalMicroAndNanosecondTimes)
{
    // A declared unit applies to the session's later times; fractions of a
    // millisecond are floored (protocol.md: times are integer milliseconds).
    for (const bool fast : {true, false}) {
        MessageDecoder decoder(DecoderOptions{kDefaultMaxMessageBytes, fast});
        ASSERT_TRUE(decoder
                        .decode(R"({"type":"session_started","sessionId":"us","platform":"psp","timeUnit":"us","timestamp":1000})", 1)
                        .has_value());
        auto r = decoder.decode(R"({"type":"marker","sessionId":"us","timestamp":2500.75,"label":"x"})", 2);
        ASSERT_TRUE(r.has_value() && r->has_value());
        EXPECT_EQ((*r)->as<MarkerMsg>()->timestamp, 2); // 2500.75 us = 2.50075 ms

        ASSERT_TRUE(decoder
                        .decode(R"({"type":"session_started","sessionId":"ns","platform":"psp","timeUnit":"ns","timestamp":1})", 3)
                        .has_value());
        r = decoder.decode(R"({"type":"marker","sessionId":"ns","timestamp":7999999.5,"label":"x"})", 4);
        ASSERT_TRUE(r.has_value() && r->has_value());
        EXPECT_EQ((*r)->as<MarkerMsg>()->timestamp, 7); // 7.9999995 ms
        r = decoder.decode(R"({"type":"marker","sessionId":"ns","timestamp":123456789.25,"label":"x"})", 5);
        ASSERT_TRUE(r.has_value() && r->has_value());
        EXPECT_EQ((*r)->as<MarkerMsg>()->timestamp, 123);
    }
    // Undeclared, by magnitude: 1.7e15 is microseconds, 1.7e18 nanoseconds.
    MessageDecoder decoder;
    auto r = decoder.decode(R"({"type":"marker","sessionId":"m","timestamp":1764000000123456.5,"label":"x"})", 1);
    ASSERT_TRUE(r.has_value() && r->has_value());
    EXPECT_EQ((*r)->as<MarkerMsg>()->timestamp, 1764000000123);
    r = decoder.decode(R"({"type":"marker","sessionId":"m","timestamp":1.7640000001239e18,"label":"x"})", 2);
    ASSERT_TRUE(r.has_value() && r->has_value());
    EXPECT_EQ((*r)->as<MarkerMsg>()->timestamp, 1764000000123);
}

TEST(DialectKeys, EmptyPurposeIsAnErrorNamingTheLine)
{
    for (const bool fast : {true, false}) {
        MessageDecoder decoder(DecoderOptions{kDefaultMaxMessageBytes, fast});
        auto r = decoder.decode(
            R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":{"bytes":64},"purpose":"","allocatedAt":1764000000001}})",
            9);
        ASSERT_FALSE(r.has_value()) << "an empty purpose was accepted";
        EXPECT_NE(r.error().message.find("line 9"), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find("purpose"), std::string::npos) << r.error().message;
    }
}
