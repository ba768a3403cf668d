// SPDX-License-Identifier: MIT
#include "reports/text_report.h"

#include "model/memory_analytics.h"
#include "model/memory_size.h"
#include "model/time_text.h"

#include <cstdio>
#include <limits>

namespace flight::reports {

namespace {

// As memory_analytics.cpp: a slope from a huge jump can leave the integer range.
std::int64_t toInt64Clamped(double v)
{
    if (!(v == v))
        return 0;
    if (v >= 9223372036854775808.0)
        return std::numeric_limits<std::int64_t>::max();
    if (v <= -9223372036854775808.0)
        return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(v);
}

std::string fmtDouble(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
std::string percent(std::uint64_t part, std::uint64_t whole)
{
    if (whole == 0)
        return "n/a";
    return fmtDouble(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + " %";
}

} // namespace

std::string textReport(const SessionModel& session, ByteUnits units)
{
    const SessionModel& m = session;
    const MemoryAnalytics analytics(session);
    const MemoryStats st = analytics.calculateMemoryStats();
    const SessionInfo& info = m.info();
    std::string out;
    auto line = [&](std::string_view label, const std::string& value) {
        out += "  ";
        out += label;
        if (label.size() < 22)
            out.append(22 - label.size(), ' ');
        out += value;
        out += '\n';
    };
    out += "Memory report: session " + info.sessionId;
    if (!info.label.empty())
        out += " (" + info.label + ")";
    out += '\n';
    line("Platform:", info.platform.empty() ? std::string("unknown") : info.platform);
    line("Time span:", formatTimeSpan(m.firstMs(), m.lastMs()) + (m.endedAt() ? ", ended" : ""));
    line("Total:", info.totalBytes ? formatBytes(info.totalBytes, units) : std::string("unknown"));
    line("Used:", formatBytes(st.currentBytes, units) + " (" + percent(st.currentBytes, info.totalBytes) + ")");
    line("Available:",
         info.totalBytes ? formatBytes(info.totalBytes > st.currentBytes ? info.totalBytes - st.currentBytes : 0, units)
                           : std::string("unknown"));
    line("Peak:", formatBytes(st.peakBytes, units) + " (" + percent(st.peakBytes, info.totalBytes) + ")");
    line("Tracked:", formatBytes(st.trackedBytes, units));
    line("Untracked:", formatBytes(m.untrackedBytes(), units));
    std::string pressureText(toString(m.pressure()));
    if (auto rp = m.reportedPressure())
        pressureText += " (reported: " + std::string(toString(*rp)) + ")";
    line("Pressure:", pressureText);
    line("Allocations:", std::to_string(st.totalAllocations) + " total, " + std::to_string(st.activeAllocations) +
                             " active, " + std::to_string(st.freedAllocations) + " freed");
    line("Average allocation:", formatBytes(st.averageAllocationSize, units));
    line("Fragmentation:", fmtDouble(st.fragmentationRatio * 100.0, 1) + " %");
    line("Efficiency:", fmtDouble(st.efficiencyRatio * 100.0, 1) + " %");
    out += "By purpose:\n";
    bool anyPurpose = false;
    for (std::size_t i = 0; i < st.byPurpose.size(); ++i) {
        const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
        const std::int64_t v = st.byPurpose[p];
        if (v == 0)
            continue;
        anyPurpose = true;
        line(std::string(p.name()) + ":",
             formatSignedBytes(v, units) + " (" + percent(v > 0 ? static_cast<std::uint64_t>(v) : 0, st.currentBytes) +
                 " of used)");
    }
    if (!anyPurpose)
        out += "  (none)\n";
    if (const auto limits = m.limits()) {
        out += "Limits:\n";
        auto lim = [&](std::string_view name, const MemorySize& s) {
            line(name, s.bytes ? formatBytes(s.bytes, units) : std::string("none"));
        };
        lim("heap max:", limits->heapMax);
        lim("stack max:", limits->stackMax);
        lim("cache max:", limits->cacheMax);
        lim("soft limit:", limits->softLimit);
        lim("hard limit:", limits->hardLimit);
        line("soft limit exceeded:", m.softLimitExceeded() ? "yes" : "no");
        line("hard limit exceeded:", m.hardLimitExceeded() ? "yes" : "no");
    }
    if (m.lastMs() > m.firstMs()) {
        const MemoryTrend t = analytics.getMemoryTrends(m.lastMs() - m.firstMs());
        out += "Trend (whole session):\n";
        line("direction:", std::string(toString(t.direction)));
        line("slope:", formatSignedBytes(toInt64Clamped(t.slopeBytesPerSecond), units) + "/s");
        line("predicted peak:", formatBytes(t.predictedPeakBytes, units));
        if (t.secondsUntilCritical) // as a duration, like the time span; seconds beyond what ms can hold
            line("until critical:", *t.secondsUntilCritical < 9.0e15
                                        ? formatDuration(static_cast<std::int64_t>(*t.secondsUntilCritical * 1000.0))
                                        : fmtDouble(*t.secondsUntilCritical, 1) + " s");
    }
    std::size_t opErrors = 0, reported = 0, crossings = 0, backwards = 0;
    for (const auto& e : m.events()) {
        switch (e.kind) {
        case SessionEventKind::OperationError: ++opErrors; break;
        case SessionEventKind::ReportedError: ++reported; break;
        case SessionEventKind::SoftLimitCrossed:
        case SessionEventKind::HardLimitCrossed: ++crossings; break;
        case SessionEventKind::TimeWentBackwards: ++backwards; break;
        }
    }
    out += "Events:\n";
    line("operation errors:", std::to_string(opErrors));
    line("reported errors:", std::to_string(reported));
    line("limit crossings:", std::to_string(crossings));
    line("clock went back:", std::to_string(backwards));
    line("markers:", std::to_string(m.markers().size()));
    line("samples:", std::to_string(m.samples().size()));
    return out;
}

} // namespace flight::reports
