// SPDX-License-Identifier: MIT
#include "protocol/message_decoder.h"
#include "protocol/time_unit.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace flight;
using namespace flight::protocol;

namespace {

Message decodeOk(MessageDecoder& d, std::string_view json, std::uint64_t line = 1)
{
    auto r = d.decode(json, line);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.substr(0, 300));
    if (!r || !*r) {
        ADD_FAILURE() << "no message for " << json.substr(0, 200);
        return {};
    }
    return **r;
}

MemoryError decodeErr(MessageDecoder& d, std::string_view json, std::uint64_t line = 1)
{
    auto r = d.decode(json, line);
    EXPECT_FALSE(r.has_value()) << "accepted: " << json.substr(0, 200);
    return r ? MemoryError{} : r.error();
}

} // namespace

TEST(MessageDecoder, CamelSnakeKebabFieldNamesGiveTheSameAllocation)
{
    MessageDecoder d;
    const char* variants[] = {
        R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":{"bytes":4096,"humanReadable":"4.0KB"},"purpose":"asset-cache","allocatedAt":1764000000123}})",
        R"({"type":"allocation","allocation":{"id":"a","session_id":"s","size":{"bytes":4096,"human_readable":"4.0KB"},"purpose":"asset_cache","allocated_at":1764000000123}})",
        R"({"type":"allocation","allocation":{"id":"a","session-id":"s","size":{"bytes":4096,"human-readable":"4.0KB"},"purpose":"AssetCache","allocated-at":1764000000123}})",
        R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":{"bytes":4096},"purpose":2,"allocatedAt":1764000000123}})",
    };
    for (const char* v : variants) {
        const Message m = decodeOk(d, v);
        const auto* a = m.as<AllocationMsg>();
        ASSERT_NE(a, nullptr) << v;
        EXPECT_EQ(a->id, "a");
        EXPECT_EQ(a->sessionId, "s");
        EXPECT_EQ(a->bytes, 4096u);
        EXPECT_EQ(a->purpose, MemoryPurpose(StandardPurpose::AssetCache));
        EXPECT_EQ(a->allocatedAt, 1764000000123);
        EXPECT_FALSE(a->freedAt.has_value());
    }
    EXPECT_TRUE(d.warnings().empty());
}

TEST(MessageDecoder, SizeForms)
{
    MessageDecoder d;
    auto bytesOf = [&](std::string_view sizeJson) -> std::uint64_t {
        const std::string json = R"({"type":"allocation","allocation":{"id":"a","size":)" + std::string(sizeJson)
            + R"(,"purpose":"temporary","allocatedAt":1764000000000}})";
        auto r = d.decode(json, 1);
        EXPECT_TRUE(r && *r) << json << (r ? "" : r.error().message);
        return r && *r ? (*r)->as<AllocationMsg>()->bytes : ~0ull;
    };
    EXPECT_EQ(bytesOf(R"({"bytes":536870912,"humanReadable":"512.0MB"})"), 536870912u);
    EXPECT_EQ(bytesOf(R"({"bytes":"18446744073709551615"})"), 18446744073709551615ull);
    EXPECT_EQ(bytesOf(R"({"bytes":18446744073709551615})"), 18446744073709551615ull);
    EXPECT_EQ(bytesOf(R"({"humanReadable":"1.5 GB"})"), 1610612736u);
    EXPECT_EQ(bytesOf(R"("512MB")"), 536870912u);
    EXPECT_EQ(bytesOf(R"("512mb")"), 536870912u);
    EXPECT_EQ(bytesOf(R"("16 MiB")"), 16777216u);
    EXPECT_EQ(bytesOf(R"(4096)"), 4096u);
    EXPECT_EQ(bytesOf(R"(1e3)"), 1000u);          // exponent, integral value
    EXPECT_EQ(bytesOf(R"(4.096E3)"), 4096u);
    EXPECT_EQ(bytesOf(R"({"bytes":"268435456","humanReadable":"256MB"})"), 268435456u);
}

TEST(MessageDecoder, BadSizesAreInvalidSizeErrorsNamingTheLine)
{
    MessageDecoder d;
    const char* bad[] = {R"({"bytes":-5})", R"({"bytes":1.5})", R"({"bytes":"99999999999999999999999"})",
                         R"({"bytes":18446744073709551616})", R"({"bytes":true})", R"("lots")", R"(-1)", R"(2.5e-1)",
                         R"({"humanReadable":"12 parsecs"})", R"({})", R"(null)", R"([1])", R"({"bytes":1e30})"};
    std::uint64_t line = 40;
    for (const char* s : bad) {
        const std::string json = R"({"type":"allocation","allocation":{"id":"a","size":)" + std::string(s)
            + R"(,"purpose":"temporary","allocatedAt":1764000000000}})";
        const MemoryError e = decodeErr(d, json, line);
        EXPECT_EQ(e.code, MemoryErrorCode::InvalidSize) << s << " -> " << e.message;
        EXPECT_EQ(e.message.rfind("line " + std::to_string(line) + ": ", 0), 0u) << e.message;
        EXPECT_EQ(e.details, "line " + std::to_string(line));
        ++line;
    }
}

TEST(MessageDecoder, PurposesAndCustomPurposeWarnsOncePerName)
{
    MessageDecoder d;
    auto purposeOf = [&](std::string_view p, std::uint64_t line) {
        const std::string json = R"({"type":"allocation","allocation":{"id":"a","size":1,"purpose":)" + std::string(p)
            + R"(,"allocatedAt":1764000000000}})";
        return decodeOk(d, json, line).as<AllocationMsg>()->purpose;
    };
    EXPECT_EQ(purposeOf(R"("vm-heap")", 1), MemoryPurpose(StandardPurpose::VmHeap));
    EXPECT_EQ(purposeOf(R"("VmHeap")", 1), MemoryPurpose(StandardPurpose::VmHeap));
    EXPECT_EQ(purposeOf(R"("vm_heap")", 1), MemoryPurpose(StandardPurpose::VmHeap));
    EXPECT_EQ(purposeOf(R"(7)", 1), MemoryPurpose(StandardPurpose::Temporary));
    EXPECT_EQ(purposeOf(R"("network-buffers")", 1), MemoryPurpose(StandardPurpose::NetworkBuffers));
    EXPECT_TRUE(d.warnings().empty());

    const MemoryPurpose custom = purposeOf(R"("decoder-test-cache")", 9);
    EXPECT_TRUE(custom.isCustom());
    EXPECT_EQ(custom.name(), "decoder-test-cache");
    ASSERT_EQ(d.warnings().size(), 1u);
    EXPECT_EQ(d.warnings()[0].kind, DecodeWarningKind::CustomPurpose);
    EXPECT_EQ(d.warnings()[0].line, 9u);
    EXPECT_EQ(d.warnings()[0].message, "line 9: custom purpose decoder-test-cache");
    EXPECT_EQ(purposeOf(R"("decoder-test-cache")", 10), custom);
    EXPECT_TRUE(d.warnings().empty()); // once per name

    for (const char* bad : {"8", "-1", "42", "1.5", "true"}) {
        const std::string json = R"({"type":"allocation","allocation":{"id":"a","size":1,"purpose":)" + std::string(bad)
            + R"(,"allocatedAt":1764000000000}})";
        EXPECT_EQ(decodeErr(d, json).code, MemoryErrorCode::MalformedInput) << bad;
    }
}

TEST(MessageDecoder, PressureAnyCaseOrIndex)
{
    MessageDecoder d;
    auto pressureOf = [&](std::string_view p) {
        const std::string json = R"({"type":"memory_update","timestamp":1764000000000,"usage":"1MB","total":"2MB","pressure":)"
            + std::string(p) + "}";
        return decodeOk(d, json).as<MemoryUpdateMsg>()->pressure;
    };
    EXPECT_EQ(pressureOf(R"("low")"), MemoryPressure::Low);
    EXPECT_EQ(pressureOf(R"("MEDIUM")"), MemoryPressure::Medium);
    EXPECT_EQ(pressureOf(R"("High")"), MemoryPressure::High);
    EXPECT_EQ(pressureOf("3"), MemoryPressure::Critical);
    EXPECT_EQ(pressureOf("0"), MemoryPressure::Low);
    for (const char* bad : {"4", "-1", R"("severe")", "[]"}) {
        const std::string json = R"({"type":"memory_update","timestamp":1764000000000,"usage":"1MB","pressure":)" + std::string(bad) + "}";
        decodeErr(d, json);
    }
}

TEST(MessageDecoder, TimestampsByMagnitude)
{
    MessageDecoder d;
    auto ts = [&](std::string_view t) {
        const std::string json = R"({"type":"marker","sessionId":"x","label":"m","timestamp":)" + std::string(t) + "}";
        return decodeOk(d, json).as<MarkerMsg>()->timestamp;
    };
    EXPECT_EQ(ts("1764000000"), 1764000000000);          // s
    EXPECT_EQ(ts("1764000000.5"), 1764000000500);        // s with a fraction
    EXPECT_EQ(ts("1764000000123"), 1764000000123);       // ms
    EXPECT_EQ(ts("1764000000123456"), 1764000000123);    // us
    EXPECT_EQ(ts("1764000000123456789"), 1764000000123); // ns
    // Just below 1e11: seconds, so 99999999999 s (year 5138) is past the
    // range of times (+/-(2^63-1) ns, time_unit.h) and refused as seconds.
    EXPECT_NE(decodeErr(d, R"({"type":"marker","sessionId":"x","label":"m","timestamp":99999999999})")
                  .message.find("time 99999999999 s is out of range"),
              std::string::npos);
    EXPECT_EQ(ts("9223372036"), 9223372036000);          // the last second in range: seconds
    EXPECT_EQ(ts("100000000000"), 100000000000);         // 1e11: ms
    // The boundaries by magnitude: just below each is the coarser unit (those
    // times, in year 5138, are past the range and refused), at it the finer one.
    EXPECT_EQ(resolvedUnit(std::int64_t{99999999999999}, TimeUnit::Auto), TimeUnit::Milliseconds);
    EXPECT_EQ(toMilliseconds(std::int64_t{99999999999999}, TimeUnit::Auto), std::nullopt);
    EXPECT_EQ(toMilliseconds(std::int64_t{100000000000000}, TimeUnit::Auto), 100000000000);
    EXPECT_EQ(resolvedUnit(std::int64_t{99999999999999999}, TimeUnit::Auto), TimeUnit::Microseconds);
    EXPECT_EQ(toMilliseconds(std::int64_t{99999999999999999}, TimeUnit::Auto), std::nullopt);
    EXPECT_EQ(toMilliseconds(std::int64_t{100000000000000000}, TimeUnit::Auto), 100000000000);
}

TEST(MessageDecoder, DeclaredTimeUnitWins)
{
    MessageDecoder d;
    // 5 would be seconds by magnitude; the session says ms.
    auto s = decodeOk(d, R"({"type":"session_started","sessionId":"u","platform":"psp","timeUnit":"ms","timestamp":5})");
    EXPECT_EQ(s.as<SessionStartedMsg>()->timestamp, 5);
    EXPECT_EQ(decodeOk(d, R"({"type":"marker","sessionId":"u","label":"x","timestamp":7})").as<MarkerMsg>()->timestamp, 7);
    // another session still by magnitude
    EXPECT_EQ(decodeOk(d, R"({"type":"marker","sessionId":"v","label":"x","timestamp":7})").as<MarkerMsg>()->timestamp, 7000);
    decodeOk(d, R"({"type":"session_started","sessionId":"n","platform":"psp","timeUnit":"ns","timestamp":1764000000000000000})");
    EXPECT_EQ(decodeOk(d, R"({"type":"free","sessionId":"n","allocationId":"a","freedAt":2000000})").as<FreeMsg>()->freedAt, 2);
    decodeErr(d, R"({"type":"session_started","sessionId":"q","timeUnit":"fortnights","timestamp":1})");
}

TEST(MessageDecoder, EverySpellingOfATimeUnit)
{
    // Written from time_unit.h's documented list, not from its code.
    const std::vector<std::pair<std::string, TimeUnit>> spellings = {
        {"s", TimeUnit::Seconds},           {"sec", TimeUnit::Seconds},
        {"seconds", TimeUnit::Seconds},     {"ms", TimeUnit::Milliseconds},
        {"milliseconds", TimeUnit::Milliseconds}, {"us", TimeUnit::Microseconds},
        {"\xC2\xB5s", TimeUnit::Microseconds}, {"microseconds", TimeUnit::Microseconds},
        {"ns", TimeUnit::Nanoseconds},      {"nanoseconds", TimeUnit::Nanoseconds},
    };
    for (const auto& [text, unit] : spellings)
        EXPECT_EQ(timeUnitFromString(text), unit) << text;
    EXPECT_EQ(timeUnitFromString("secs"), std::nullopt);
    // And through a session: 5 s declared as "sec" is 5000 ms.
    MessageDecoder d;
    EXPECT_EQ(decodeOk(d, R"({"type":"session_started","sessionId":"t","platform":"psp","timeUnit":"sec","timestamp":5})")
                  .as<SessionStartedMsg>()->timestamp,
              5000);
}

TEST(MessageDecoder, Envelopes)
{
    MessageDecoder d;
    auto ok = decodeOk(d, R"({"tag":"ok","val":{"type":"free","sessionId":"s","allocationId":"a","freedAt":1764000000000}})");
    ASSERT_NE(ok.as<FreeMsg>(), nullptr);
    EXPECT_EQ(ok.as<FreeMsg>()->allocationId, "a");

    auto go = decodeOk(d, R"({"success":true,"value":{"type":"marker","session_id":"s","label":"l","timestamp":1764000000}})");
    ASSERT_NE(go.as<MarkerMsg>(), nullptr);
    EXPECT_EQ(go.as<MarkerMsg>()->timestamp, 1764000000000);

    auto tsErr = decodeOk(d, R"({"tag":"err","val":{"code":"already-freed","message":"twice","details":"a-1","timestamp":1764000000600}})");
    ASSERT_NE(tsErr.as<ErrorMsg>(), nullptr);
    EXPECT_EQ(tsErr.as<ErrorMsg>()->code, MemoryErrorCode::AlreadyFreed);
    EXPECT_EQ(tsErr.as<ErrorMsg>()->message, "twice");
    EXPECT_EQ(tsErr.as<ErrorMsg>()->details, "a-1");
    EXPECT_EQ(tsErr.as<ErrorMsg>()->timestamp, 1764000000600);

    auto goErr = decodeOk(d, R"({"success":false,"error":{"code":1,"message":"Memory limit exceeded","details":"x","timestamp":1764000003}})");
    ASSERT_NE(goErr.as<ErrorMsg>(), nullptr);
    EXPECT_EQ(goErr.as<ErrorMsg>()->code, MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(goErr.as<ErrorMsg>()->timestamp, 1764000003000);
    EXPECT_TRUE(goErr.as<ErrorMsg>()->sessionId.empty());

    // value before tag: order does not matter
    auto late = decodeOk(d, R"({"val":{"type":"marker","sessionId":"s","label":"l","timestamp":1764000000000},"tag":"ok"})");
    EXPECT_NE(late.as<MarkerMsg>(), nullptr);

    decodeErr(d, R"({"success":false,"error":{"code":8,"message":"?"}})"); // beyond WIT order
    decodeErr(d, R"({"tag":"maybe","val":{}})");
    decodeErr(d, R"({"tag":"ok"})");
}

TEST(MessageDecoder, EveryMessageKind)
{
    MessageDecoder d;
    auto hello = decodeOk(d, R"({"type":"hello","protocol":"flight-memory/1","server":"v6r-bridge 1.4"})");
    EXPECT_EQ(hello.as<HelloMsg>()->server, "v6r-bridge 1.4");

    auto started = decodeOk(d, R"({"type":"session_started","sessionId":"vm-7","platform":"v6r-small","total":{"bytes":536870912,"humanReadable":"512.0MB"},"timestamp":1764000000000,"label":"L","limits":{"heapMax":"1MB","stackMax":"2MB","cacheMax":"3MB","softLimit":"4MB","hardLimit":"5MB"},"seq":1})");
    const auto* s = started.as<SessionStartedMsg>();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->sessionId, "vm-7");
    EXPECT_EQ(s->platform, "v6r-small");
    EXPECT_EQ(s->totalBytes, 536870912u);
    EXPECT_EQ(s->label, "L");
    ASSERT_TRUE(s->limits.has_value());
    EXPECT_EQ(s->limits->hardLimit.bytes, 5u * 1048576u);
    EXPECT_EQ(started.seq, 1u);

    auto ended = decodeOk(d, R"({"type":"session_ended","sessionId":"vm-7","timestamp":1764000009000})");
    EXPECT_EQ(ended.as<SessionEndedMsg>()->timestamp, 1764000009000);

    auto flat = decodeOk(d, R"({"type":"memory_update","timestamp":1764000000500,"usage":"256MB","total":"512MB","pressure":"medium"})");
    const auto* f = flat.as<MemoryUpdateMsg>();
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->form, MemoryUpdateMsg::Form::Flat);
    EXPECT_EQ(f->usedBytes, 268435456u);
    EXPECT_EQ(f->totalBytes, 536870912u);
    EXPECT_EQ(f->pressure, MemoryPressure::Medium);
    EXPECT_TRUE(f->sessionId.empty());

    auto snap = decodeOk(d, R"({"type":"memory_update","sessionId":"vm-7","timestamp":1764000000500,"snapshot":{"timestamp":1764000000500,"sessionId":"vm-7","platform":"v6r-small","total":{"bytes":536870912},"used":{"bytes":1024},"available":{"bytes":536869888},"fragmentationRatio":0.12},"byPurpose":{"vm-heap":{"bytes":512},"asset-cache":"12MB"}})");
    const auto* u = snap.as<MemoryUpdateMsg>();
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->form, MemoryUpdateMsg::Form::Snapshot);
    EXPECT_EQ(u->usedBytes, 1024u);
    EXPECT_EQ(u->availableBytes, 536869888u);
    EXPECT_EQ(u->fragmentationRatio, 0.12);
    EXPECT_EQ(u->platform, "v6r-small");
    ASSERT_TRUE(u->hasByPurpose);
    ASSERT_EQ(u->byPurpose.size(), 2u);
    EXPECT_EQ(u->byPurpose[0].purpose, MemoryPurpose(StandardPurpose::VmHeap));
    EXPECT_EQ(u->byPurpose[0].bytes, 512u);
    EXPECT_EQ(u->byPurpose[1].purpose, MemoryPurpose(StandardPurpose::AssetCache));
    EXPECT_EQ(u->byPurpose[1].bytes, 12u * 1048576u);

    auto limits = decodeOk(d, R"({"type":"limits","sessionId":"vm-7","limits":{"heap_max":100,"stack-max":200,"cacheMax":300,"softLimit":400,"hardLimit":500}})");
    const auto* l = limits.as<LimitsMsg>();
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->limits, (MemoryLimits{{100}, {200}, {300}, {400}, {500}}));

    auto err = decodeOk(d, R"({"type":"error","sessionId":"vm-7","error":{"code":"limit-exceeded","message":"heap over hard limit","details":"a-91","timestamp":1764000000600}})");
    EXPECT_EQ(err.as<ErrorMsg>()->code, MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(err.as<ErrorMsg>()->sessionId, "vm-7");

    auto marker = decodeOk(d, R"({"type":"marker","sessionId":"vm-7","timestamp":1764000000700,"label":"level 2 loaded"})");
    EXPECT_EQ(marker.as<MarkerMsg>()->label, "level 2 loaded");

    auto rec = decodeOk(d, R"({"type":"recording","format":"flight-memory-recording/1","createdAt":1764000000000,"source":"ws://127.0.0.1:8765","application":"flight-inspector 0.1.0"})");
    EXPECT_EQ(rec.as<RecordingHeaderMsg>()->source, "ws://127.0.0.1:8765");
    EXPECT_EQ(rec.as<RecordingHeaderMsg>()->createdAt, 1764000000000);

    auto freed = decodeOk(d, R"({"type":"allocation","allocation":{"id":"z","size":1,"purpose":"temporary","allocatedAt":1764000000000,"freedAt":1764000000001},"receivedAt":1764000000002})");
    EXPECT_EQ(freed.as<AllocationMsg>()->freedAt, 1764000000001);
    EXPECT_EQ(freed.receivedAt, 1764000000002);
}

TEST(MessageDecoder, TroubleIsATypedErrorAndTheDecoderGoesOn)
{
    MessageDecoder d;
    struct Case { const char* json; const char* reasonPart; };
    const Case cases[] = {
        {"not json at all", "not JSON"},
        {"[1,2,3]", "not a JSON object"},
        {"42", "not a JSON object"},
        {R"({"type":42})", "\"type\" is not a string"},
        {R"({"sessionId":"x"})", "missing \"type\""},
        {R"({"type":"allocation","allocation":{"id":"t","size":{"bytes":10)", ""},
        {R"({"type":"marker","label":"x"} trailing)", ""},
        {R"({"type":"marker","label":"x"}{"type":"marker"})", ""},
        {"{\"type\":\"marker\",\"label\":\"\xff\xfe\"}", ""},          // invalid UTF-8
        {R"({"type":"allocation","allocation":{"id":"a","size":007,"purpose":1,"allocatedAt":1764000000000}})", ""}, // leading zeros
        {R"({"type":"free","sessionId":"s"})", "allocationId"},
        {R"({"type":"allocation"})", "allocation"},
    };
    std::uint64_t line = 100;
    for (const auto& c : cases) {
        const MemoryError e = decodeErr(d, c.json, line);
        EXPECT_EQ(e.message.rfind("line " + std::to_string(line) + ": ", 0), 0u) << e.message;
        EXPECT_NE(e.message.find(c.reasonPart), std::string::npos) << e.message;
        // and the next message still decodes
        decodeOk(d, R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":"ok"})", line + 1);
        line += 2;
    }
}

TEST(MessageDecoder, NulBytesAreAnError)
{
    MessageDecoder d;
    static const char withNul[] = "{\"type\":\"marker\",\"label\":\"a\0b\",\"timestamp\":1764000000000}";
    const std::string json(withNul, sizeof withNul - 1);
    ASSERT_EQ(json.size(), 57u);
    decodeErr(d, json);
    const std::string nulls(100, '\0');
    decodeErr(d, nulls);
}

TEST(MessageDecoder, UnknownTypeSkippedAndWarnedOncePerType)
{
    MessageDecoder d;
    auto r = d.decode(R"({"type":"teleport","sessionId":"vm-bad"})", 12);
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(r->has_value());
    ASSERT_EQ(d.warnings().size(), 1u);
    EXPECT_EQ(d.warnings()[0].kind, DecodeWarningKind::UnknownType);
    EXPECT_EQ(d.warnings()[0].message, "line 12: unknown type teleport skipped");
    r = d.decode(R"({"type":"teleport"})", 13);
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(r->has_value());
    EXPECT_TRUE(d.warnings().empty());
    r = d.decode(R"({"type":"warp"})", 14);
    EXPECT_EQ(d.warnings().size(), 1u);
    EXPECT_EQ(d.skippedUnknownTypes(), 3u);
}

TEST(MessageDecoder, BlankLinesAreNeitherErrorNorWarning)
{
    MessageDecoder d;
    for (std::string_view blank : {"", " ", "\r", "\t  \r"}) {
        auto r = d.decode(blank, 16);
        ASSERT_TRUE(r.has_value());
        EXPECT_FALSE(r->has_value());
        EXPECT_TRUE(d.warnings().empty());
    }
}

TEST(MessageDecoder, LineOverTheLimitIsRefused)
{
    MessageDecoder d(DecoderOptions{1024});
    std::string big = R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":")" + std::string(2000, 'x') + "\"}";
    const MemoryError e = decodeErr(d, big, 3);
    EXPECT_NE(e.message.find("over the 1024-byte limit"), std::string::npos) << e.message;
    decodeOk(d, R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":"ok"})", 4);

    MessageDecoder big16; // default 16 MiB
    std::string huge = R"({"type":"marker","label":")" + std::string(20u << 20, 'y') + "\"}";
    const MemoryError e2 = decodeErr(big16, huge, 9);
    EXPECT_NE(e2.message.find("over the 16777216-byte limit"), std::string::npos);
}

TEST(MessageDecoder, DeepNestingIsAnErrorNotACrash)
{
    MessageDecoder d;
    // deep but valid JSON in a field nobody reads: skipped, the message stands
    std::string deepArray = R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":"x","extra":)"
        + std::string(10000, '[') + std::string(10000, ']') + "}";
    auto r = d.decode(deepArray, 1);
    ASSERT_TRUE(r.has_value() && r->has_value());
    EXPECT_EQ((*r)->as<MarkerMsg>()->label, "x");
    // unbalanced deep array: an error
    std::string badArray = R"({"type":"marker","label":"x","extra":)" + std::string(10000, '[') + std::string(9999, ']') + "}";
    EXPECT_FALSE(d.decode(badArray, 2).has_value());
    std::string deepObject;
    for (int i = 0; i < 10000; ++i)
        deepObject += R"({"a":)";
    deepObject += "1" + std::string(10000, '}');
    decodeErr(d, deepObject);
    std::string deepEnvelope;
    for (int i = 0; i < 10000; ++i)
        deepEnvelope += R"({"tag":"ok","val":)";
    deepEnvelope += R"({"type":"marker"})" + std::string(10000, '}');
    decodeErr(d, deepEnvelope);
    std::string unclosed(10000, '{');
    decodeErr(d, unclosed);
    decodeOk(d, R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":"ok"})");
}

TEST(MessageDecoder, DuplicateKeysTheLastWins)
{
    MessageDecoder d;
    auto m = decodeOk(d, R"({"type":"marker","label":"first","sessionId":"s","label":"second","timestamp":1764000000000})");
    EXPECT_EQ(m.as<MarkerMsg>()->label, "second");
    auto u = decodeOk(d, R"({"type":"memory_update","timestamp":1764000000000,"usage":"1MB","byPurpose":{"vm-heap":1,"vm-heap":2}})");
    ASSERT_EQ(u.as<MemoryUpdateMsg>()->byPurpose.size(), 1u);
    EXPECT_EQ(u.as<MemoryUpdateMsg>()->byPurpose[0].bytes, 2u);
}

TEST(MessageDecoder, StringEscapesAreDecoded)
{
    MessageDecoder d;
    auto m = decodeOk(d, R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":"a\"b\\c\n\u00e9\ud83d\ude00"})");
    EXPECT_EQ(m.as<MarkerMsg>()->label, "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(MessageDecoder, RandomBytesNeverCrash)
{
    MessageDecoder d;
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    const std::string sample = R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"s","size":{"bytes":4096,"humanReadable":"4.0KB"},"purpose":"asset-cache","allocatedAt":1764000000123}})";
    int errors = 0, messages = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        if (i % 2 == 0) {
            s.resize(next() % 200);
            for (auto& c : s)
                c = static_cast<char>(next());
        } else {
            s = sample;
            for (int k = 0; k < 3; ++k)
                s[next() % s.size()] = static_cast<char>(next());
        }
        auto r = d.decode(s, static_cast<std::uint64_t>(i));
        if (!r)
            ++errors;
        else if (*r)
            ++messages;
    }
    EXPECT_GT(errors, 10000);
    EXPECT_GT(messages, 0);
    decodeOk(d, sample);
}

TEST(MessageDecoder, ARefusedMessageRaisesNoWarning)
{
    MessageDecoder d;
    auto r = d.decode(R"({"type":"allocation","allocation":{"id":"a","size":-1,"purpose":"decoder-rollback-purpose","allocatedAt":1764000000000}})", 3);
    EXPECT_FALSE(r.has_value());
    EXPECT_TRUE(d.warnings().empty());
    r = d.decode(R"({"type":"allocation","allocation":{"id":"a","size":1,"purpose":"decoder-rollback-purpose","allocatedAt":1764000000000}})", 4);
    ASSERT_TRUE(r.has_value() && r->has_value());
    ASSERT_EQ(d.warnings().size(), 1u);
    EXPECT_EQ(d.warnings()[0].line, 4u);
}

TEST(MessageDecoder, NullStringsAreAbsentOtherTypesAreErrors)
{
    MessageDecoder d;
    auto m = decodeOk(d, R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":null})");
    EXPECT_EQ(m.as<MarkerMsg>()->label, "");
    auto e = decodeErr(d, R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":5})");
    EXPECT_NE(e.message.find("\"label\" is not a string"), std::string::npos) << e.message;
    e = decodeErr(d, R"({"type":"marker","sessionId":"s","timestamp":"soon","label":"x"})");
    EXPECT_NE(e.message.find("\"timestamp\" is not a number"), std::string::npos) << e.message;
}
