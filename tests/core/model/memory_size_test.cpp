// SPDX-License-Identifier: MIT
#include "model/memory_size.h"

#include <gtest/gtest.h>

using flight::formatBytes;
using flight::formatSignedBytes;
using flight::MemoryErrorCode;
using flight::MemorySize;

TEST(MemorySizeFormat, MatchesTheBindings)
{
    EXPECT_EQ(formatBytes(0), "0B");
    EXPECT_EQ(formatBytes(1023), "1023B");
    EXPECT_EQ(formatBytes(1024), "1.0KB");
    EXPECT_EQ(formatBytes(16 * 1024), "16.0KB");
    EXPECT_EQ(formatBytes(512ull << 20), "512.0MB");
    EXPECT_EQ(formatBytes(1536ull << 20), "1.5GB");
    EXPECT_EQ(formatBytes(2ull << 40), "2.0TB");
    // Rounded down at the very top: "16777216.0TB" would be 2^64 bytes, which no
    // reader accepts (fuzz finding, tests/data/fuzz-regressions/memory_size-top-of-range).
    EXPECT_EQ(formatBytes(UINT64_MAX), "16777215.9TB");
    EXPECT_EQ(MemorySize{4096}.humanReadable(), "4.0KB");
    EXPECT_EQ(formatSignedBytes(-9 * 1024 * 1024), "-9.0MB");
    EXPECT_EQ(formatSignedBytes(INT64_MIN), "-8388608.0TB");
}

TEST(MemorySizeFormat, InTheUsersUnits)
{
    using flight::ByteUnits;
    EXPECT_EQ(formatBytes(512ull << 20, ByteUnits::Protocol), "512.0MB");
    EXPECT_EQ(formatBytes(512ull << 20, ByteUnits::Binary), "512.0 MiB");
    EXPECT_EQ(formatBytes(512ull << 20, ByteUnits::Decimal), "536.9 MB");
    EXPECT_EQ(formatBytes(999, ByteUnits::Decimal), "999 B");
    EXPECT_EQ(formatBytes(1000, ByteUnits::Decimal), "1.0 kB");
    EXPECT_EQ(formatBytes(1000, ByteUnits::Binary), "1000 B");
    EXPECT_EQ(formatBytes(3ull << 30, ByteUnits::Binary), "3.0 GiB");
    EXPECT_EQ(formatSignedBytes(-(9ll << 20), ByteUnits::Binary), "-9.0 MiB");
    EXPECT_EQ(formatSignedBytes(-(9ll << 20), ByteUnits::Decimal), "-9.4 MB");
    const auto mib = flight::byteScaleFor(300.0 * (1 << 20), ByteUnits::Binary);
    EXPECT_EQ(mib.unitBytes, 1024.0 * 1024.0);
    EXPECT_STREQ(mib.name, "MiB");
    const auto mb = flight::byteScaleFor(300e6, ByteUnits::Decimal);
    EXPECT_EQ(mb.unitBytes, 1e6);
    EXPECT_STREQ(mb.name, "MB");
    EXPECT_STREQ(flight::byteScaleFor(300.0 * (1 << 20), ByteUnits::Protocol).name, "MB");
    EXPECT_STREQ(flight::byteScaleFor(1500, ByteUnits::Decimal).name, "B");
}

TEST(MemorySizeParse, EveryFormOfTheProtocol)
{
    struct Case { const char* text; std::uint64_t bytes; };
    const Case cases[] = {
        {"0B", 0},
        {"0", 0},
        {"1023B", 1023},
        {"1024", 1024},
        {"1.0KB", 1024},
        {"16.0KB", 16384},
        {"512MB", 512ull << 20},
        {"512mb", 512ull << 20},
        {"512.0MB", 512ull << 20},
        {"1.5 GB", 1536ull << 20},
        {"16 MiB", 16ull << 20},
        {"16mib", 16ull << 20},
        {"2GiB", 2ull << 30},
        {"1 TiB", 1ull << 40},
        {"  8 kb ", 8192},
        {"460.8MB", 483183820}, // 483183820.8 floored
        {"0.5B", 0},
        {"1.9999B", 1},
        {"18446744073709551615", UINT64_MAX},
        {"18446744073709551615B", UINT64_MAX},
        {"16777215.99999999999TB", 16777215ull * (1ull << 40) + 1099511627765ull}, // 2^40 * 0.99999999999 = ...765.0048
    };
    for (const auto& c : cases) {
        auto r = MemorySize::parse(c.text);
        ASSERT_TRUE(r.has_value()) << c.text << ": " << r.error().message;
        EXPECT_EQ(r->bytes, c.bytes) << c.text;
    }
}

TEST(MemorySizeParse, RejectsGarbageWithAReason)
{
    const char* bad[] = {"", "   ", "MB", "-5MB", "12 parsecs", "1.2.3MB", "abc", "18446744073709551616",
                         "16777216TB", "99999999999999999999999", "1e3", "0x10", "5 M B"};
    for (const char* text : bad) {
        auto r = MemorySize::parse(text);
        ASSERT_FALSE(r.has_value()) << text;
        EXPECT_EQ(r.error().code, MemoryErrorCode::InvalidSize) << text;
        EXPECT_NE(r.error().message.find("cannot read size"), std::string::npos) << r.error().message;
    }
    EXPECT_NE(MemorySize::parse("-5MB").error().message.find("negative"), std::string::npos);
    EXPECT_NE(MemorySize::parse("12 parsecs").error().message.find("unknown unit"), std::string::npos);
    EXPECT_NE(MemorySize::parse("18446744073709551616").error().message.find("2^64-1"), std::string::npos);
}

TEST(MemorySizeParse, RoundTripsFormattedValuesWithinOneDecimal)
{
    // Formatting keeps one decimal, so parse(format(x)) is x rounded to 0.1 unit.
    for (std::uint64_t b : {0ull, 1ull, 1023ull, 1024ull, 1536ull, 4096ull, 512ull << 20, 3ull << 30, 5ull << 40}) {
        auto r = MemorySize::parse(formatBytes(b));
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(r->bytes, b) << formatBytes(b);
    }
}
