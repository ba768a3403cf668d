// SPDX-License-Identifier: MIT
#include "reports/csv_report.h"

#include "report_test_session.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace flight;
using namespace flight::reports;

namespace {

// The rows of the series: the lines up to the first empty one (the errors table follows it).
std::vector<std::vector<std::string>> parse(const std::string& csv)
{
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(csv);
    std::string line;
    while (std::getline(in, line) && !line.empty()) {
        std::vector<std::string> cells;
        std::istringstream l(line);
        std::string cell;
        while (std::getline(l, cell, ','))
            cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

ReportData dataFor(const SessionModel& m)
{
    ReportData d;
    d.sessions.push_back(collectSession(m, {}, "test"));
    return d;
}

} // namespace

TEST(CsvReport, RowsAtTheResolutionEqualUsageAt)
{
    const SessionModel m = reportTestSession();
    const auto rows = parse(csvReport(dataFor(m), 250));
    ASSERT_EQ(rows.size(), 1u + 9u); // header + 0, 250, ..., 2000
    const std::vector<std::string> header = {"session", "time_ms", "vm-heap", "asset-cache", "temporary",
                                             "used", "total", "pressure"};
    EXPECT_EQ(rows[0], header);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), header.size());
        const std::int64_t t = std::stoll(rows[i][1]);
        EXPECT_EQ(t, static_cast<std::int64_t>(i - 1) * 250);
        const PurposeUsage u = m.usageAt(t);
        EXPECT_EQ(std::stoll(rows[i][2]), u[StandardPurpose::VmHeap]) << t;
        EXPECT_EQ(std::stoll(rows[i][3]), u[StandardPurpose::AssetCache]) << t;
        EXPECT_EQ(std::stoll(rows[i][4]), u[StandardPurpose::Temporary]) << t;
        EXPECT_EQ(std::stoull(rows[i][5]), m.usedAt(t)) << t;
        EXPECT_EQ(rows[i][6], "1000");
        EXPECT_EQ(rows[i][7], toString(m.pressureAt(t))) << t;
    }
    EXPECT_EQ(rows[5][5], "950"); // t = 1000
}

TEST(CsvReport, DefaultResolutionIsOneSecondAndAtMostTenThousandRows)
{
    const SessionModel m = reportTestSession();
    EXPECT_EQ(parse(csvReport(dataFor(m))).size(), 1u + 3u); // 0, 1000, 2000
    EXPECT_EQ(csvResolution(60'000, std::nullopt), 1000);
    const std::int64_t day = 24LL * 3600 * 1000;
    const std::int64_t step = csvResolution(day, std::nullopt);
    EXPECT_LE(day / step + 1, kMaxCsvRowsPerSession);
    EXPECT_EQ(csvResolution(day, 10), 10); // asked for: kept
}

// The test session frees an id never allocated (at 1600 ms): an operation
// error, which the other formats list under errors by code. The CSV lists it in
// its second table, after one empty line; a clean session has none.
TEST(CsvReport, ErrorsFollowTheSeriesAfterAnEmptyLine)
{
    const SessionModel m = reportTestSession();
    const std::string csv = csvReport(dataFor(m), 1000);
    const std::size_t gap = csv.find("\n\n");
    ASSERT_NE(gap, std::string::npos) << csv;
    EXPECT_EQ(csv.substr(gap + 2), "error,source,session,line,count,message\nreported,test,s-1,,1,invalid-allocation\n");

    ReportData withProblems = dataFor(m);
    withProblems.sessions.front().errorsByCode.clear();
    withProblems.problems.push_back({"in, \"quoted\".jsonl", 7, "decode", "not JSON: x,y\n\nz"});
    const std::string text = csvReport(withProblems, 1000);
    EXPECT_NE(text.find("\n\nerror,source,session,line,count,message\n"
                        "decode,\"in, \"\"quoted\"\".jsonl\",,7,1,\"not JSON: x,y  z\"\n"), // one line per record
              std::string::npos)
        << text;

    ReportData clean = dataFor(m);
    clean.sessions.front().errorsByCode.clear();
    EXPECT_EQ(csvReport(clean, 1000).find("\n\n"), std::string::npos); // the series alone
}
