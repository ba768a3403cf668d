// SPDX-License-Identifier: MIT
// Times out of range are decode errors naming the line and the field
// (issue 15, attack 5): within +/-(2^63-1) ns of the epoch in every unit, whole
// or fractional; nothing saturates or truncates silently.
#include "protocol/message_decoder.h"
#include "protocol/session_store.h"
#include "protocol/time_unit.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>

using namespace flight;
using namespace flight::protocol;

namespace {

std::string alloc(std::string_view at, std::string_view session = "vm-7")
{
    return R"({"type":"allocation","allocation":{"id":"a-1","sessionId":")" + std::string(session)
        + R"(","size":{"bytes":64,"humanReadable":"64B"},"purpose":"vm-heap","allocatedAt":)" + std::string(at) + "}}";
}

// The decoder's verdict on a time: its ms, or the error text.
std::string verdict(MessageDecoder& d, const std::string& json, std::uint64_t line = 7)
{
    auto r = d.decode(json, line);
    if (!r)
        return r.error().message;
    if (!*r)
        return "skipped";
    if (const auto* a = (*r)->as<AllocationMsg>())
        return std::to_string(a->allocatedAt);
    if (const auto* m = (*r)->as<MarkerMsg>())
        return std::to_string(m->timestamp);
    return "other";
}

} // namespace

TEST(TimeRange, Int64MinIsAnErrorNotMinus9223372036854)
{
    MessageDecoder d;
    const std::string e = verdict(d, alloc("-9223372036854775808"));
    EXPECT_EQ(e.rfind("line 7: \"allocatedAt\": time -9223372036854775808 ns is out of range", 0), 0u) << e;
    // The canonical line template path and the generic path agree: a
    // differently ordered line gives the same error.
    const std::string other =
        R"({"type":"allocation","allocation":{"allocatedAt":-9223372036854775808,"id":"a-1","size":64}})";
    EXPECT_EQ(verdict(d, other).rfind("line 7: \"allocatedAt\": time -9223372036854775808 ns is out of range", 0), 0u);
    // Its neighbour is the edge of the range: accepted, truncated to ms as before.
    EXPECT_EQ(verdict(d, alloc("-9223372036854775807")), "-9223372036854");
    EXPECT_EQ(verdict(d, alloc("9223372036854775807")), "9223372036854");
}

TEST(TimeRange, EveryUnitHasTheSameRange)
{
    // By magnitude (no declared unit): seconds that overflow when made ms used to saturate.
    MessageDecoder d;
    EXPECT_EQ(verdict(d, alloc("9223372036")), "9223372036000");           // s, in range
    EXPECT_NE(verdict(d, alloc("99999999999")).find("out of range"), std::string::npos); // s: 3170 years
    EXPECT_EQ(verdict(d, alloc("-9223372036")), "-9223372036000");
    EXPECT_NE(verdict(d, alloc("-99999999999")).find("time -99999999999 s is out of range"), std::string::npos);
    EXPECT_EQ(toMilliseconds(std::int64_t{9223372036855}, TimeUnit::Milliseconds), std::nullopt);
    EXPECT_EQ(toMilliseconds(std::int64_t{9223372036854}, TimeUnit::Milliseconds), 9223372036854);
    EXPECT_EQ(toMilliseconds(std::int64_t{-9223372036854776}, TimeUnit::Microseconds), std::nullopt);
    EXPECT_EQ(toMilliseconds(std::int64_t{-9223372036854775}, TimeUnit::Microseconds), -9223372036854);
    EXPECT_EQ(toMilliseconds(std::int64_t{9223372037}, TimeUnit::Seconds), std::nullopt);
    EXPECT_EQ(toMilliseconds(std::int64_t{9223372036854775807}, TimeUnit::Seconds), std::nullopt); // used to saturate

    // Declared units: each session's own.
    for (const auto& [unit, bad, good] : {std::tuple{"s", "9223372037", "9223372036000"},
                                          std::tuple{"ms", "9223372036855", "9223372036854"},
                                          std::tuple{"us", "9223372036854776", "9223372036854"},
                                          std::tuple{"ns", "-9223372036854775808", "9223372036854"}}) {
        MessageDecoder u;
        const std::string sid = std::string("u-") + unit;
        ASSERT_TRUE(u.decode(R"({"type":"session_started","sessionId":")" + sid + R"(","platform":"psp","timeUnit":")"
                                 + unit + R"(","timestamp":1})",
                             1));
        EXPECT_NE(verdict(u, alloc(bad, sid)).find(std::string(" ") + unit + " is out of range"), std::string::npos)
            << unit << " " << verdict(u, alloc(bad, sid));
        const std::string goodTime = std::string(unit) == "ns" ? "9223372036854775807"
                                     : std::string(unit) == "us" ? "9223372036854775"
                                     : std::string(unit) == "ms" ? "9223372036854"
                                                                 : "9223372036";
        EXPECT_EQ(verdict(u, alloc(goodTime, sid)), good) << unit;
    }
}

TEST(TimeRange, FractionalTimesAreCheckedToo)
{
    MessageDecoder d;
    EXPECT_EQ(verdict(d, alloc("1764000000.5")), "1764000000500");
    EXPECT_NE(verdict(d, alloc("9.3e12")).find("\"allocatedAt\": time"), std::string::npos); // ms by magnitude
    EXPECT_NE(verdict(d, alloc("-9.3e18")).find("out of range"), std::string::npos);          // ns, past INT64_MIN
    EXPECT_NE(verdict(d, alloc("1e300")).find("out of range"), std::string::npos);
    EXPECT_EQ(toMilliseconds(9223372036.0, TimeUnit::Seconds), 9223372036000);
    EXPECT_EQ(toMilliseconds(9223372037.0, TimeUnit::Seconds), std::nullopt);
    EXPECT_EQ(toMilliseconds(9223372036854.9, TimeUnit::Milliseconds), std::nullopt);
}

TEST(TimeRange, EveryTimeFieldIsChecked)
{
    MessageDecoder d;
    for (const auto& [json, field] : {
             std::pair{R"({"type":"marker","sessionId":"s","label":"m","timestamp":-9223372036854775808})", "timestamp"},
             std::pair{R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":-9223372036854775808})", "freedAt"},
             std::pair{R"({"type":"free","sessionId":"s","allocationId":"a-1","freedAt":1,"receivedAt":-9223372036854775808})",
                       "receivedAt"},
             std::pair{R"({"type":"allocation","allocation":{"id":"a","size":1,"allocatedAt":1,"freedAt":-9223372036854775808}})",
                       "freedAt"},
             std::pair{R"({"type":"recording","format":"flight-recording/1","createdAt":-9223372036854775808})", "createdAt"},
             std::pair{R"({"type":"error","sessionId":"s","error":{"code":"invalid-size","message":"m","timestamp":-9223372036854775808}})",
                       "timestamp"},
             std::pair{R"({"type":"session_ended","sessionId":"s","timestamp":-9223372036854775808})", "timestamp"},
         }) {
        const std::string e = verdict(d, json);
        EXPECT_NE(e.find(std::string("\"") + field + "\": time -9223372036854775808 ns is out of range"), std::string::npos)
            << json << " -> " << e;
    }
}

TEST(TimeRange, TheStoreCountsADecodeErrorNamingTheLine)
{
    SessionStore store;
    store.ingest(R"({"type":"session_started","sessionId":"vm-7","platform":"psp","timestamp":1764000000000})", 1);
    store.ingest(alloc("-9223372036854775808"), 2);
    store.ingest(alloc("1764000000001"), 3);
    EXPECT_EQ(store.decodeErrors(), 1u);
    ASSERT_EQ(store.problems().size(), 1u);
    EXPECT_EQ(store.problems()[0].line, 2u);
    EXPECT_EQ(store.problems()[0].message.rfind("line 2: \"allocatedAt\": time -9223372036854775808 ns is out of range", 0),
              0u);
    ASSERT_NE(store.find("vm-7"), nullptr);
    EXPECT_EQ(store.find("vm-7")->allocationCount(), 1u);
    EXPECT_EQ(store.find("vm-7")->firstMs(), 1764000000000);
}
