// SPDX-License-Identifier: MIT
#include "reports/csv_report.h"

#include "reports/report_format.h"

#include <algorithm>

namespace flight::reports {

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
    return out;
}

} // namespace flight::reports
