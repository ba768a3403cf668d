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

} // namespace

TEST(TextReport, ContainsKeyFigures)
{
    SessionModel m(SessionInfo{"vm-7", "v6r-small", "", 512 * MiB, {}, T0});
    MemoryLimits limits;
    limits.softLimit = MemorySize{300 * MiB};
    limits.hardLimit = MemorySize{400 * MiB};
    ASSERT_TRUE(MemoryOperations(m).setLimits(limits, T0));
    ASSERT_TRUE(m.recordAllocation("a-1", 256 * MiB, StandardPurpose::VmHeap, T0 + 100));
    ASSERT_TRUE(m.recordAllocation("a-2", 64 * MiB, StandardPurpose::AssetCache, T0 + 200));
    ASSERT_TRUE(m.recordAllocation("a-3", 1 * MiB, StandardPurpose::Temporary, T0 + 300));
    ASSERT_TRUE(m.recordFree("a-3", T0 + 400));
    m.recordSample({T0 + 700, 400 * MiB, 0, MemoryPressure::Medium, 0.1});
    m.recordReportedError({MemoryErrorCode::LimitExceeded, "x", "", T0 + 800});
    const std::string r = reports::textReport(m);
    const char* const lines[] = {
        "vm-7",
        "v6r-small",
        "Total:                512.0MB",
        "Used:                 400.0MB (78.1 %)",
        "Peak:                 400.0MB",
        "Tracked:              320.0MB",
        "Untracked:            80.0MB",
        "Pressure:             medium (reported: medium)",
        "3 total, 2 active, 1 freed",
        "vm-heap:              256.0MB",
        "asset-cache:          64.0MB",
        "soft limit exceeded:  yes",
        "hard limit exceeded:  no",
        "reported errors:      1",
        "Fragmentation:        10.0 %",
        // Wall-clock time and a duration, as the report writers show them.
        "Time span:            2025-11-24 16:00:00 .. 16:00:00 UTC (0.8 s)\n",
        // The time until critical is a duration like the time span ("37 min 32.1 s" on the v6r-medium sample).
        "until critical:       0.3 s\n",
    };
    for (const char* line : lines)
        EXPECT_NE(r.find(line), std::string::npos) << "no \"" << line << "\" in:\n" << r;
    EXPECT_EQ(r.find("temporary:"), std::string::npos) << r; // zero purposes are left out
    EXPECT_EQ(r.find("1764000000"), std::string::npos) << r; // never raw epoch milliseconds
}
