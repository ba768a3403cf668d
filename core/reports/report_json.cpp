// SPDX-License-Identifier: MIT
#include "reports/report_json.h"

#include "protocol/json_writer.h"
#include "reports/verdict_json.h"

namespace flight::reports {

using protocol::JsonWriter;

namespace {

void allocationJson(JsonWriter& j, const MemoryAllocation& a)
{
    j.beginObject();
    j.str("id", a.id);
    j.num("bytes", a.size.bytes);
    j.str("purpose", a.purpose.name());
    j.inum("allocatedAt", a.allocatedAt);
    if (a.freedAt)
        j.inum("freedAt", *a.freedAt);
    else
        j.null("freedAt");
    j.endObject();
}

void reportFields(JsonWriter& j, const SessionReport& r)
{
    j.beginObject("range");
    j.inum("fromMs", r.fromMs);
    j.inum("toMs", r.toMs);
    j.inum("durationMs", r.durationMs());
    j.num("endBytes", r.endBytes);
    j.num("peakBytes", r.peakBytes);
    j.inum("peakAtMs", r.peakAtMs);
    j.num("allocations", r.allocationsInRange);
    j.num("frees", r.freesInRange);
    j.endObject();
    j.num("averageBytes", r.averageBytes);
    j.num("p95Bytes", r.p95Bytes);
    if (r.ruleCoveragePercent)
        j.real("ruleCoveragePercent", *r.ruleCoveragePercent);
    j.beginObject("pressureDurationsMs");
    for (int level = 0; level < kPressureLevelCount; ++level)
        j.inum(toString(static_cast<MemoryPressure>(level)), r.pressureMs[static_cast<std::size_t>(level)]);
    j.endObject();
    j.beginArray("pressureChanges");
    for (const PressureChange& c : r.pressureChanges) {
        j.beginObject();
        j.inum("timeMs", c.timeMs);
        j.inum("lastMs", c.lastMs);
        j.str("from", toString(c.from));
        j.str("to", toString(c.to));
        j.num("changes", c.changes);
        j.endObject();
    }
    j.endArray();
    j.beginArray("limitCrossings");
    for (const LimitCrossing& c : r.crossings) {
        j.beginObject();
        j.inum("timeMs", c.timeMs);
        j.str("limit", c.hard ? "hard" : "soft");
        j.endObject();
    }
    j.endArray();
    j.beginArray("purposes");
    for (const PurposeFigures& p : r.purposes) {
        j.beginObject();
        j.str("purpose", p.purpose.name());
        j.num("endBytes", p.endBytes);
        j.num("peakBytes", p.peakBytes);
        j.num("averageBytes", p.averageBytes);
        j.num("p95Bytes", p.p95Bytes);
        j.endObject();
    }
    j.endArray();
    j.beginArray("budgets");
    for (const VerdictFigures& v : r.verdicts) {
        j.beginObject();
        writeVerdictFields(j, v.budget, v.verdict);
        j.boolean("highlighted", v.highlighted);
        j.endObject();
    }
    j.endArray();
    j.beginArray("largestAllocations");
    for (const MemoryAllocation& a : r.largestAllocations)
        allocationJson(j, a);
    j.endArray();
    j.beginObject("leaks");
    j.num("count", r.leakCandidateCount);
    j.num("bytes", r.leakCandidateBytes);
    j.endObject();
    j.beginArray("leakCandidates");
    for (const MemoryAllocation& a : r.leakCandidates)
        allocationJson(j, a);
    j.endArray();
    j.beginObject("errorsByCode");
    for (const auto& [code, count] : r.errorsByCode)
        j.num(code, count);
    j.endObject();
    j.beginArray("markerList");
    for (const Marker& m : r.markers) {
        j.beginObject();
        j.inum("timeMs", m.timeMs);
        j.str("label", m.label);
        j.endObject();
    }
    j.endArray();
}

} // namespace

std::string reportJson(const ReportData& data, std::span<const protocol::SummarySource> sources, bool pretty)
{
    const bool named = sources.size() > 1;
    JsonWriter j(pretty);
    j.beginObject();
    j.str("format", "flight-inspector-report/1");
    j.str("at", toString(data.at));
    if (data.platform)
        j.str("platformFilter", *data.platform);
    else
        j.null("platformFilter");
    j.beginArray("sessions");
    for (const SessionReport& r : data.sessions) {
        j.beginObject();
        if (named || !r.source.empty())
            j.str("source", r.source);
        protocol::writeSessionSummaryFields(j, *r.model);
        reportFields(j, r);
        j.endObject();
    }
    j.endArray();
    j.num("decodeErrors", data.decodeErrors);
    j.num("sessionErrors", data.sessionErrors);
    j.num("warnings", data.warnings);
    j.beginArray("errors");
    for (const ProblemLine& p : data.problems) {
        j.beginObject();
        if (named || !p.source.empty())
            j.str("source", p.source);
        j.num("line", p.line);
        j.str("message", p.message);
        j.str("kind", p.kind);
        j.endObject();
    }
    j.endArray();
    j.endObject();
    return j.take();
}

} // namespace flight::reports
