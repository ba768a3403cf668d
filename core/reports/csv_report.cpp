// SPDX-License-Identifier: MIT
#include "reports/csv_report.h"

#include "reports/report_format.h"

#include <algorithm>

namespace flight::reports {

namespace {

// The second table (csv_report.h): every problem line, then every session's errors by code.
void appendErrors(std::string& out, const ReportData& data)
{
    bool any = !data.problems.empty();
    for (const SessionReport& r : data.sessions)
        any = any || !r.errorsByCode.empty();
    if (!any)
        return;
    out += "\nerror,source,session,line,count,message\n";
    for (const ProblemLine& p : data.problems)
        out += csvField(p.kind) + "," + csvField(p.source) + ",," + std::to_string(p.line) + ",1," +
               csvField(p.message) + "\n";
    for (const SessionReport& r : data.sessions)
        for (const auto& [code, count] : r.errorsByCode)
            out += "reported," + csvField(r.source) + "," + csvField(r.sessionId) + ",," + std::to_string(count) +
                   "," + csvField(code) + "\n";
}

} // namespace

std::int64_t csvResolution(std::int64_t durationMs, std::optional<std::int64_t> requestedMs)
{
    if (requestedMs && *requestedMs > 0)
        return *requestedMs;
    const std::int64_t rows = kMaxCsvRowsPerSession - 1; // intervals
    return std::max(kDefaultCsvResolutionMs, (std::max<std::int64_t>(0, durationMs) + rows - 1) / rows);
}

std::string csvReport(const ReportData& data, std::optional<std::int64_t> resolutionMs)
{
    const std::vector<MemoryPurpose> purposes = reportPurposes(data);
    std::string out = "session,time_ms";
    for (MemoryPurpose p : purposes)
        out += "," + csvField(p.name());
    out += ",used,total,pressure\n";
    for (const SessionReport& r : data.sessions) {
        const std::string id = csvField(r.sessionId);
        const std::int64_t step = csvResolution(r.durationMs(), resolutionMs);
        for (std::int64_t t = r.fromMs; t <= r.toMs; t += step) {
            const PurposeUsage u = r.model->usageAt(t);
            const std::uint64_t used = r.model->usedAt(t);
            out += id + "," + std::to_string(t - r.firstMs);
            for (MemoryPurpose p : purposes)
                out += "," + std::to_string(std::max<std::int64_t>(0, u[p]));
            out += "," + std::to_string(used) + "," + std::to_string(r.totalBytes) + ",";
            out += toString(computePressure(used, r.totalBytes, r.model->info().thresholds));
            out += "\n";
            if (step <= 0)
                break;
        }
    }
    appendErrors(out, data);
    return out;
}

} // namespace flight::reports
