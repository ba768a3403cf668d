// SPDX-License-Identifier: MIT
// The plain-text session report (the window's Report tab).
#include "reports/text_report.h"

#include "model/memory_operations.h"

#include <gtest/gtest.h>

#include <string>

using namespace flight;

namespace {

constexpr std::int64_t T0 = 1764000000000;
constexpr std::uint64_t MiB = 1024 * 1024;
const MemoryPurpose VmHeap = StandardPurpose::VmHeap;
const MemoryPurpose Cache = StandardPurpose::AssetCache;
const MemoryPurpose Temp = StandardPurpose::Temporary;

} // namespace

TEST(TextReport, ContainsKeyFigures)
{
    SessionModel m(SessionInfo{"vm-7", "v6r-small", "", 512 * MiB, {}, T0});
    MemoryLimits limits;
    limits.softLimit = MemorySize{300 * MiB};
    limits.hardLimit = MemorySize{400 * MiB};
    ASSERT_TRUE(MemoryOperations(m).setLimits(limits, T0));
    ASSERT_TRUE(m.recordAllocation("a-1", 256 * MiB, VmHeap, T0 + 100));
    ASSERT_TRUE(m.recordAllocation("a-2", 64 * MiB, Cache, T0 + 200));
    ASSERT_TRUE(m.recordAllocation("a-3", 1 * MiB, Temp, T0 + 300));
    ASSERT_TRUE(m.recordFree("a-3", T0 + 400));
    m.recordSample({T0 + 700, 400 * MiB, 0, MemoryPressure::Medium, 0.1});
    m.recordReportedError({MemoryErrorCode::LimitExceeded, "x", "", T0 + 800});
    const std::string r = reports::textReport(m);
    EXPECT_NE(r.find("vm-7"), std::string::npos) << r;
    EXPECT_NE(r.find("v6r-small"), std::string::npos) << r;
    EXPECT_NE(r.find("Total:                512.0MB"), std::string::npos) << r;
    EXPECT_NE(r.find("Used:                 400.0MB (78.1 %)"), std::string::npos) << r;
    EXPECT_NE(r.find("Peak:                 400.0MB"), std::string::npos) << r;
    EXPECT_NE(r.find("Tracked:              320.0MB"), std::string::npos) << r;
    EXPECT_NE(r.find("Untracked:            80.0MB"), std::string::npos) << r;
    EXPECT_NE(r.find("Pressure:             medium (reported: medium)"), std::string::npos) << r;
    EXPECT_NE(r.find("3 total, 2 active, 1 freed"), std::string::npos) << r;
    EXPECT_NE(r.find("vm-heap:              256.0MB"), std::string::npos) << r;
    EXPECT_NE(r.find("asset-cache:          64.0MB"), std::string::npos) << r;
    EXPECT_EQ(r.find("temporary:"), std::string::npos) << r; // zero purposes are left out
    EXPECT_NE(r.find("soft limit exceeded:  yes"), std::string::npos) << r;
    EXPECT_NE(r.find("hard limit exceeded:  no"), std::string::npos) << r;
    EXPECT_NE(r.find("reported errors:      1"), std::string::npos) << r;
    EXPECT_NE(r.find("Fragmentation:        10.0 %"), std::string::npos) << r;
    // Wall-clock time and a duration, as the report writers show them; never raw epoch milliseconds.
    EXPECT_NE(r.find("Time span:            2025-11-24 16:00:00 .. 16:00:00 UTC (0.8 s)\n"), std::string::npos) << r;
    EXPECT_EQ(r.find("1764000000"), std::string::npos) << r;
    // The time until critical is a duration like the time span ("37 min 32.1 s" on the v6r-medium sample).
    EXPECT_NE(r.find("until critical:       0.3 s\n"), std::string::npos) << r;
}
