// SPDX-License-Identifier: MIT
// The decoder's canonical fast path (DecoderOptions::canonicalFastPath) must
// give exactly what the full simdjson path gives: the same message, the same
// error text and the same warnings, line for line. Checked on every
// conformance vector, on generator output and on lines crafted to sit just
// inside or just outside the canonical shape.

#include "protocol/message_decoder.h"

#include "decode_outcome.h"
#include "generator/workload_generator.h"
#include "generator/workload_recording.h"
#include "protocol/message_encoder.h"
#include "protocol/recording_reader.h"
#include "scratch_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <iterator>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace flight;
using namespace flight::protocol;

namespace {

void compareLines(const std::vector<std::string>& lines, const std::string& what)
{
    MessageDecoder fast(DecoderOptions{});
    MessageDecoder slow(fuzz::simdjsonPathOnly());
    std::uint64_t n = 0;
    for (const auto& line : lines) {
        ++n;
        // compare while both results are alive (messages point into the decoders)
        const fuzz::DecodeOutcome a = fuzz::decodeOne(fast, line, n);
        const fuzz::DecodeOutcome b = fuzz::decodeOne(slow, line, n);
        ASSERT_EQ(a.ok, b.ok) << what << " line " << n << ": " << line;
        EXPECT_EQ(a.error, b.error) << what << " line " << n << ": " << line;
        ASSERT_EQ(a.message.has_value(), b.message.has_value()) << what << " line " << n << ": " << line;
        if (a.message) {
            EXPECT_TRUE(*a.message == *b.message) << what << " line " << n << ": " << line;
        }
        EXPECT_EQ(a.warnings, b.warnings) << what << " line " << n << ": " << line;
    }
}

std::vector<std::string> fileLines(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line))
        lines.push_back(line);
    return lines;
}

} // namespace

TEST(DecoderFastPath, ConformanceVectorsDecodeAlike)
{
    const std::filesystem::path dir = FLIGHT_TEST_DATA "/conformance";
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() != ".jsonl")
            continue;
        ++files;
        compareLines(fileLines(e.path()), e.path().filename().string());
    }
    EXPECT_GE(files, 4u);
}

TEST(DecoderFastPath, GeneratorOutputDecodesAlike)
{
    generator::WorkloadOptions o;
    o.platform = "v6r-large";
    o.events = 20000;
    o.seed = 7;
    o.typicalLiveAllocations = 500;
    auto g = generator::WorkloadGenerator::create(o);
    std::vector<std::string> lines;
    while (const Message* m = g->next())
        lines.push_back(encode(*m));
    ASSERT_FALSE(lines.empty());
    compareLines(lines, "generator");
}

TEST(DecoderFastPath, EdgeLinesDecodeAlike)
{
    const std::string alloc = R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64,"humanReadable":"64B"},"purpose":"vm-heap","allocatedAt":1764000000004},"seq":4})";
    const std::vector<std::string> lines = {
        alloc,
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64,"humanReadable":"64B"},"purpose":"vm-heap","allocatedAt":1764000000004},"seq":4} )",
        R"({"type":"allocation","allocation":{"id":"a-2","size":64,"purpose":"my-pool","allocatedAt":1764000000004}})",
        R"({"type":"allocation","allocation":{"id":"a-3","size":"64KB","purpose":"vm-heap","allocatedAt":1764000000004}})",
        R"({"type":"allocation","allocation":{"id":"a-4","size":{"humanReadable":"1.5MB"},"purpose":"vm-heap","allocatedAt":1764000000004}})",
        R"({"type":"allocation","allocation":{"id":"a-5","size":{"bytes":-0},"allocatedAt":1764000000004}})",
        R"({"type":"allocation","allocation":{"id":"a-6","size":{"bytes":01},"allocatedAt":1764000000004}})",
        R"({"type":"allocation","allocation":{"id":"a-7","size":{"bytes":1.0},"allocatedAt":1764000000004}})",
        R"({"type":"allocation","allocation":{"id":"a-8","size":{"bytes":18446744073709551615},"allocatedAt":1764000000004}})",
        R"({"type":"allocation","allocation":{"id":"a-9","size":{"bytes":999999999999999999},"allocatedAt":-1}})",
        R"({"type":"allocation","allocation":{"id":"a\u002d10","size":1,"allocatedAt":1}})",
        R"({"type":"allocation","allocation":{"id":"a-11","size":1,"allocatedAt":1,"freedAt":null}})",
        R"({"type":"allocation","allocation":{"id":"a-12","size":1,"allocatedAt":1,"freedAt":5}})",
        R"({"type":"allocation","allocation":{"id":"","size":1,"allocatedAt":1}})",
        R"({"type":"allocation","allocation":{"id":"a-13","size":0,"allocatedAt":1}})",
        R"({"type":"allocation"})",
        R"({"type":"allocation","allocation":{"id":"a-14","size":1},"allocation":{"id":"a-15","size":2}})",
        R"({"type":"Allocation","Allocation":{"ID":"a-16","Session_Id":"s","SIZE":{"Bytes":8,"human_readable":"8B"}}})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1764000000009,"seq":5})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1764000000009,"seq":-0})",
        R"({"type":"free","sessionId":"s","id":"a-1","timestamp":1764000000009.5})",
        R"({"type":"free","sessionId":"s","timestamp":1})",
        R"({"type":"free","session_id":"s","allocation_id":"a-1","timestamp":1,"unknown":1})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1764000000010,"snapshot":{"used":{"bytes":100,"humanReadable":"100B"},"total":{"bytes":1000,"humanReadable":"1000B"}},"pressure":"low"})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1764000000010,"usage":100,"total":1000,"pressure":"extreme"})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1764000000010,"usage":100,"pressure":null})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"usage":1,"byPurpose":{"vm-heap":1}})",
        R"({"type":"teleport","sessionId":"s"})",
        R"({"type":"teleport","sessionId":"s"})",
        R"({"type":7})",
        R"({"type":"marker","sessionId":"s","label":"caf\u00e9","timestamp":1})",
        R"({"type":"marker","sessionId":"s","label":"café","timestamp":1})",
        R"({"type":"marker","sessionId":"s","label":"x","timestamp":1}{})",
        R"({"type":"marker","sessionId":"s","label":"x","timestamp":1},)",
        R"({"type":"marker","sessionId":"s","label":"x","timestamp":1)",
        R"({"type":"marker","sessionId":"s","label":"x" ,"timestamp":1})",
        R"({"type":"session_started","sessionId":"t","platform":"psp","timeUnit":"s","timestamp":1764000000})",
        R"({"type":"free","sessionId":"t","allocationId":"a-1","freedAt":1764000001})",
        R"({})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":1234567890123456789})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":123456789012345678901})",
        "{\"type\":\"free\",\"sessionId\":\"s\x01\",\"allocationId\":\"a\",\"freedAt\":1}",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":0.09}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":0}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":1}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":-0.5}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":-0.0}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":0.1000000000000000055511151231257827}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":00.5}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":1.}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":.5}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":1e-3}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":1.5E2}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":0.3333333333333333333}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":123456789.987654321}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":12345678901234567890.5}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":"0.1"}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":null}})",
        R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":true}})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":1})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":12,"seq":12})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1234567,"seq":1234567})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":12345678,"seq":12345678})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":123456789,"seq":123456789})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1234567890123456,"seq":1234567890123456})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":12345678901234567,"seq":12345678901234567})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":123456789012345678,"seq":123456789012345678})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1234567890123456789,"seq":1234567890123456789})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":0,"seq":0})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":00,"seq":00})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":-0,"seq":0})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":-,"seq":1})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":0123456789,"seq":0123456789})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":99999999,"seq":99999999})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":100000000,"seq":100000000})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":9007199254740993,"seq":9007199254740993})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":1,"receivedAt":12345678901234)",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":1,"receivedAt")",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":1,"receivedAt":)",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":1,"receivedAt)",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":1,"receivedAt":1764000000001})",
        R"({"type":"free","sessionid":"s","allocationid":"a-1","freedat":1,"seq":1})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":1,"fragmentationRatio":0.5})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64,"humanReadable":"64B","bytes":65},"purpose":"vm-heap","allocatedAt":4}})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64,"humanReadable":"64B"} ,"purpose":"vm-heap","allocatedAt":4}})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64,"humanReadable":"64\B"},"purpose":"vm-heap","allocatedAt":4}})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64,"humanReadable":64},"purpose":"vm-heap","allocatedAt":4}})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64,"humanReadable":"64B"},"purpose":"vm-heap","allocatedAt":4}})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64},"purpose":"vm-heap","allocatedAt":4}})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":64,"humanReadable":"64B"},"purpose":"vm-heap","allocatedAt":4}})",
        R"({"type":"allocation","allocation":{"id":"0123456789abcdef0123456789","sessionId":"s","size":{"bytes":64,"humanReadable":"64B"},"purpose":"vm-heap","allocatedAt":4}})",
        R"([1,2])",
        R"("text")",
    };
    compareLines(lines, "edge");
}

// Lines at the edges of the allocation/free templates (the encoder's exact
// key order): each optional part present and absent, in and out of order,
// repeated, cut, and the session time unit that converts their times.
TEST(DecoderFastPath, TemplateEdgeLinesDecodeAlike)
{
    const std::string head = R"({"type":"allocation","allocation":{"id":"a-1")";
    const std::string rest = R"("size":{"bytes":64,"humanReadable":"64B"},"purpose":"vm-heap","allocatedAt":4)";
    const std::vector<std::string> lines = {
        head + R"(,"sessionId":"s",)" + rest + R"(,"freedAt":9},"seq":4,"receivedAt":5})",
        head + "," + rest + R"(},"receivedAt":5})",
        head + "," + rest + R"(},"receivedAt":5,"seq":4})",
        head + "," + rest + R"(},"seq":4,"seq":5})",
        head + "," + rest + R"(},"seq":4,"receivedAt":5,"receivedAt":6})",
        head + "," + rest + R"(,"freedAt":9,"freedAt":10}})",
        head + "," + rest + R"(,"freedAt":-9}})",
        head + "," + rest + R"(,"freedAt":9.5}})",
        head + "," + rest + R"(},"sessionId":"outer"})",
        head + R"(,"sessionId":"",)" + rest + "}}",
        head + R"(,"sessionId":"s",)" + rest + R"(}})",
        head + R"(,"sessionId":"s",)" + rest + R"(},"seq":4)",
        head + R"(,"sessionId":"s",)" + rest + R"(},"seq":4}x)",
        head + R"(,"sessionId":"s",)" + rest + R"(},"seq":4}})",
        head + R"(,"sessionId":"s","size":64,"purpose":"vm-heap","allocatedAt":4}})",
        head + R"(,"sessionId":"s","size":64,"purpose":"my-pool","allocatedAt":4}})",
        head + R"(,"sessionId":"s","size":64,"purpose":"vm-heap"}})",
        head + R"(,"sessionId":"s","size":64,"allocatedAt":4,"purpose":"vm-heap"}})",
        R"({"type":"allocation","allocation":{"id":"a\u002d1","size":1,"purpose":"vm-heap","allocatedAt":1}})",
        R"({"type":"allocation","allocation":{"id":"","size":1,"purpose":"vm-heap","allocatedAt":1}})",
        R"({"type":"allocation","allocation":{"id":"a-1","size":1,"purpose":"vm-heap","allocatedAt":1},"type":"free"})",
        R"({"type":"free","allocationId":"a-1","freedAt":1})",
        R"({"type":"free","allocationId":"","freedAt":1})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"receivedAt":2})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"sessionId":"t"})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"allocationId":"a-2"})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1"})",
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1.5})",
        R"({"type":"free","sessionId":"s""allocationId":"a-1","freedAt":1})",
        R"({"type":"session_started","sessionId":"u","platform":"psp","timeUnit":"us","timestamp":1764000000000000})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"u","size":1,"purpose":"vm-heap","allocatedAt":1764000000000123,"freedAt":1764000000999999},"seq":2})",
        R"({"type":"free","sessionId":"u","allocationId":"a-1","freedAt":1764000001000000,"seq":3})",
        R"({"type":"free","allocationId":"a-1","freedAt":1764000001000000})",
    };
    compareLines(lines, "template");
}

// Sizes as TypeScript producers write them, "bytes":"<digits>": the fast
// paths read plain digit strings (what MemorySize::parse makes of them) and
// leave every other string to the full path.
TEST(DecoderFastPath, QuotedByteCountsDecodeAlike)
{
    std::vector<std::string> lines;
    int id = 0;
    for (const char* bytes : {R"("268435456")", R"("0")", R"("00")", R"("007")", R"("1")", R"("123456789012345678")",
                              R"("1234567890123456789")", R"("18446744073709551615")", R"("18446744073709551616")",
                              R"("1e3")", R"(" 12")", R"("12 ")", R"("12KB")", R"("")", R"("-1")", R"("+5")",
                              R"("1.5")", R"("12)", R"("1")", R"(268435456)"}) {
        const std::string n = std::to_string(++id);
        lines.push_back(R"({"type":"allocation","allocation":{"id":"a)" + n + R"(","sessionId":"vm-ts","size":{"bytes":)"
                        + bytes + R"(,"humanReadable":"256MB"},"purpose":"AssetCache","allocatedAt":1764000000100}})");
        lines.push_back(R"({"type":"allocation","allocation":{"id":"b)" + n + R"(","size":{"humanReadable":"1MB","bytes":)"
                        + bytes + R"(},"purpose":"vm-heap","allocatedAt":1764000000100}})");
        lines.push_back(R"({"type":"allocation","allocation":{"id":"c)" + n + R"(","size":)" + bytes
                        + R"(,"purpose":"vm-heap","allocatedAt":1764000000100}})");
        lines.push_back(std::string(R"({"type":"memory_update","sessionId":"vm-ts","timestamp":1764000000200,"snapshot":{"used":{"bytes":)")
                        + bytes + R"(,"humanReadable":"1MB"},"total":{"bytes":"536870912","humanReadable":"512MB"}},"pressure":"low"})");
    }
    compareLines(lines, "quoted bytes");
}

// Go producers' lines: success/value envelopes, snake_case keys, integer
// purposes, Unix seconds, limits records; and their near misses.
TEST(DecoderFastPath, GoEnvelopesDecodeAlike)
{
    const std::vector<std::string> lines = {
        R"({"success":true,"value":{"type":"session_started","session_id":"vm-go","platform":"v6r-medium","total":{"bytes":1073741824,"human_readable":"1.0GB"},"timestamp":1764000000}})",
        R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g-1","session_id":"vm-go","size":{"bytes":805306368,"human_readable":"768.0MB"},"purpose":0,"allocated_at":1764000001}}})",
        R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g-2","session_id":"vm-go","size":{"bytes":1,"human_readable":"1B"},"purpose":7,"allocated_at":1764000001}},"seq":3})",
        R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g-3","size":1,"purpose":8,"allocated_at":1}}})",
        R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g-4","size":1,"purpose":-0,"allocated_at":1}}})",
        R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g-5","size":1,"purpose":-1,"allocated_at":1}}})",
        R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g-6","size":1,"purpose":1.0,"allocated_at":1}}})",
        R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g-7","size":1,"purpose":01,"allocated_at":1}}})",
        R"({"success":true,"value":{"type":"allocation","allocation":{"id":"g-8","size":1,"purpose":99999999999999999999,"allocated_at":1}}})",
        R"({"success":true,"value":{"type":"free","session_id":"vm-go","allocation_id":"g-1","freed_at":1764000002}})",
        R"({"success":false,"value":{"type":"free","session_id":"vm-go","allocation_id":"g-1","freed_at":1764000002}})",
        R"({"success":truex,"value":{"type":"free","session_id":"vm-go","allocation_id":"g-1","freed_at":1764000002}})",
        R"({"success":tru})",
        R"({"success":1,"value":{"type":"free","session_id":"vm-go","allocation_id":"g-1","freed_at":1}})",
        R"({"success":true})",
        R"({"success":true,"value":5})",
        R"({"success":true,"value":{}})",
        R"({"success":true,"val":{"type":"marker","session_id":"vm-go","label":"x","timestamp":1764000003}})",
        R"({"success":true,"success":false,"value":{"type":"marker","session_id":"vm-go","label":"x","timestamp":1}})",
        R"({"value":{"type":"marker","session_id":"vm-go","label":"x","timestamp":1},"success":true})",
        R"({"success":false,"error":{"code":1,"message":"Memory limit exceeded","details":"g-3","timestamp":1764000003}})",
        R"({"type":"limits","session_id":"vm-go","limits":{"heap_max":{"bytes":858993459,"human_readable":"819.2MB"},"stack_max":{"bytes":8388608,"human_readable":"8.0MB"},"cache_max":{"bytes":134217728,"human_readable":"128.0MB"},"soft_limit":{"bytes":858993459,"human_readable":"819.2MB"},"hard_limit":{"bytes":966367641,"human_readable":"921.6MB"}}})",
        R"({"type":"limits","sessionId":"vm-go","limits":{"heapMax":1,"softLimit":"2","hardLimit":{"bytes":3}},"timestamp":1764000004})",
        R"({"type":"limits","sessionId":"vm-go","limits":null})",
        R"({"type":"limits","sessionId":"vm-go","limits":{"heapMax":-1}})",
        R"({"type":"memory_update","session_id":"vm-go","timestamp":1764000004,"snapshot":{"timestamp":1764000004,"session_id":"vm-go","platform":"v6r-medium","total":{"bytes":1073741824,"human_readable":"1.0GB"},"used":{"bytes":910163968,"human_readable":"868.0MB"},"available":{"bytes":163577856,"human_readable":"156.0MB"},"fragmentation_ratio":0.3}})",
        R"({"success":true,"value":{"success":true,"value":{"success":true,"value":{"success":true,"value":{"success":true,"value":{"success":true,"value":{"type":"marker","label":"deep","timestamp":1}}}}}}})",
    };
    compareLines(lines, "go");
}

// A reused Message (decodeInto) carries nothing from one line to the next:
// neither the seq and receivedAt of a template line into a scanned one, nor
// the other way round.
TEST(DecoderFastPath, ReusedMessageCarriesNothingOver)
{
    MessageDecoder d;
    Message m;
    const std::string withBoth =
        R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"seq":7,"receivedAt":1764000000002})";
    ASSERT_TRUE(d.decodeInto(withBoth, 1, m).value_or(false));
    EXPECT_EQ(m.seq, 7u);
    EXPECT_EQ(m.receivedAt, 1764000000002);
    ASSERT_TRUE(d.decodeInto(R"({"type":"marker","sessionId":"s","label":"x","timestamp":1})", 2, m).value_or(false));
    EXPECT_FALSE(m.seq);
    EXPECT_FALSE(m.receivedAt);
    ASSERT_TRUE(d.decodeInto(R"({"type":"marker","sessionId":"s","label":"x","timestamp":1,"seq":8,"receivedAt":3})",
                             3, m)
                    .value_or(false));
    EXPECT_EQ(m.seq, 8u);
    ASSERT_TRUE(d.decodeInto(R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1})", 4, m).value_or(false));
    EXPECT_FALSE(m.seq);
    EXPECT_FALSE(m.receivedAt);
    const auto* f = m.as<FreeMsg>();
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->allocationId, "a-1");
}

TEST(DecoderFastPath, MessageStringsDoNotPointIntoTheCallersLine)
{
    MessageDecoder d;
    std::string line =
        R"({"type":"free","sessionId":"vm-1","allocationId":"a-42","freedAt":1764000000009,"seq":5})";
    auto r = d.decode(line, 1);
    ASSERT_TRUE(r && *r);
    line.assign(line.size(), 'x'); // the caller reuses its buffer
    const auto* f = (*r)->as<FreeMsg>();
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->sessionId, "vm-1");
    EXPECT_EQ(f->allocationId, "a-42");
}

// The reader's zstd thread (RecordingReadOptions::zstdThread) delivers the same
// lines and reports the same problems as the one-thread loop: intact, cut at
// several offsets, and with a corrupted byte, with small and default chunks.
TEST(ReaderZstdThread, SameLinesAndProblemsAsOneThread)
{
    namespace fs = std::filesystem;
    const flight::test::ScratchDir scratch("flight-zstd-thread"); // removed also when an ASSERT returns early
    const fs::path& dir = scratch.path();
    const std::string whole = (dir / "whole.jsonl.zst").string();
    generator::WorkloadOptions o;
    o.platform = "psp";
    o.events = 30000;
    o.seed = 11;
    generator::WorkloadRecordingOptions ro;
    ro.compress = true;
    ro.compressionLevel = 3;
    ASSERT_TRUE(generator::writeWorkloadRecording(o, whole, ro));
    std::string bytes;
    {
        std::ifstream in(whole, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_GT(bytes.size(), 1000u);

    struct Got {
        std::vector<std::string> lines;
        RecordingReadResult result;
    };
    auto read = [](const std::string& path, bool thread, std::size_t chunk) {
        Got g;
        RecordingReadOptions opt;
        opt.zstdThread = thread;
        opt.chunkBytes = chunk;
        g.result = readRecording(path, [&](std::string_view line, std::uint64_t n, bool unterminated) {
            g.lines.push_back(std::to_string(n) + (unterminated ? "u " : " ") + std::string(line));
        }, opt);
        return g;
    };
    std::vector<std::string> variants = {bytes, bytes.substr(0, bytes.size() / 3), bytes.substr(0, bytes.size() - 7)};
    std::string corrupt = bytes;
    corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x5A);
    variants.push_back(corrupt);
    int k = 0;
    for (const auto& v : variants) {
        const std::string path = (dir / ("v" + std::to_string(k++) + ".zst")).string();
        {
            std::ofstream out(path, std::ios::binary);
            out.write(v.data(), static_cast<std::streamsize>(v.size()));
        }
        for (std::size_t chunk : {std::size_t{4096}, std::size_t{1} << 20}) {
            const Got a = read(path, true, chunk);
            const Got b = read(path, false, chunk);
            EXPECT_TRUE(a.lines == b.lines) << path << " chunk " << chunk << ": " << a.lines.size() << " vs "
                                            << b.lines.size() << " lines";
            EXPECT_EQ(a.result.lines, b.result.lines) << path;
            EXPECT_EQ(a.result.compressed, b.result.compressed) << path;
            EXPECT_EQ(a.result.endedMidLine, b.result.endedMidLine) << path;
            ASSERT_EQ(a.result.problems.size(), b.result.problems.size()) << path << " chunk " << chunk;
            for (std::size_t i = 0; i < a.result.problems.size(); ++i) {
                EXPECT_EQ(a.result.problems[i].kind, b.result.problems[i].kind) << path;
                EXPECT_EQ(a.result.problems[i].line, b.result.problems[i].line) << path;
                EXPECT_EQ(a.result.problems[i].message, b.result.problems[i].message) << path;
            }
        }
    }
}
