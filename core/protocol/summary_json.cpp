// SPDX-License-Identifier: MIT
#include "protocol/summary_json.h"

#include "protocol/json_writer.h"
#include "model/memory_analytics.h"

#include <algorithm>
#include <set>

namespace flight::protocol {

void writeSessionSummaryFields(JsonWriter& j, const SessionModel& s)
{
    const MemoryStats stats = MemoryAnalytics(s).calculateMemoryStats();
    j.str("sessionId", s.info().sessionId);
    j.str("platform", s.info().platform);
    j.num("totalBytes", s.info().totalBytes);
    j.num("usedBytes", s.usedBytes());
    j.num("trackedBytes", s.trackedBytes());
    j.num("peakBytes", s.peakBytes());
    j.num("activeAllocations", stats.activeAllocations);
    j.num("totalAllocations", stats.totalAllocations);
    j.num("freedAllocations", stats.freedAllocations);
    const PurposeUsage usage = s.usage();
    std::set<std::uint16_t> ids;
    for (std::size_t p = 0; p < usage.size(); ++p)
        if (usage[MemoryPurpose::fromId(static_cast<std::uint16_t>(p))] != 0)
            ids.insert(static_cast<std::uint16_t>(p));
    for (std::size_t a = 0; a < s.allocationCount(); ++a)
        ids.insert(s.allocation(a).purpose.id());
    j.beginObject("byPurpose");
    for (auto id : ids) {
        const auto p = MemoryPurpose::fromId(id);
        j.inum(p.name(), usage[p]);
    }
    j.endObject();
    j.beginObject("pressure");
    j.str("computed", toString(s.pressure()));
    if (auto r = s.reportedPressure())
        j.str("reported", toString(*r));
    else
        j.null("reported");
    j.endObject();
    if (auto l = s.limits()) {
        j.beginObject("limits");
        j.num("heapMax", l->heapMax.bytes);
        j.num("stackMax", l->stackMax.bytes);
        j.num("cacheMax", l->cacheMax.bytes);
        j.num("softLimit", l->softLimit.bytes);
        j.num("hardLimit", l->hardLimit.bytes);
        j.endObject();
    } else {
        j.null("limits");
    }
    j.boolean("softLimitExceeded", s.softLimitExceeded());
    j.boolean("hardLimitExceeded", s.hardLimitExceeded());
    j.beginArray("reportedErrors");
    for (auto code : s.reportedErrorCodes())
        j.strItem(toString(code));
    j.endArray();
    j.num("markers", s.markers().size());
    j.num("samples", s.samples().size());
    j.inum("firstMs", s.firstMs());
    j.inum("lastMs", s.lastMs());
}

std::string summaryJson(const SessionStore& store, bool pretty)
{
    const SummarySource only{{}, &store};
    return summaryJson(std::span(&only, 1), pretty);
}

std::string summaryJson(std::span<const SummarySource> sources, bool pretty)
{
    JsonWriter j(pretty);
    j.beginObject();
    j.beginArray("sessions");
    for (const SummarySource& source : sources) {
        for (std::size_t i = 0; i < source.store->sessionCount(); ++i) {
            j.beginObject();
            if (!source.name.empty())
                j.str("source", source.name);
            writeSessionSummaryFields(j, source.store->session(i));
            j.endObject();
        }
    }
    j.endArray();
    std::uint64_t decodeErrors = 0;
    std::uint64_t sessionErrors = 0;
    std::uint64_t warnings = 0;
    for (const SummarySource& source : sources) {
        decodeErrors += source.store->decodeErrors();
        sessionErrors += source.store->sessionErrors();
        warnings += source.store->warnings();
    }
    j.num("decodeErrors", decodeErrors);
    j.num("sessionErrors", sessionErrors);
    j.num("warnings", warnings);

    j.beginArray("errors");
    for (const SummarySource& source : sources) {
        std::vector<const StoreProblem*> errors;
        for (const auto& p : source.store->problems())
            if (p.kind == ProblemKind::DecodeError || p.kind == ProblemKind::SessionError)
                errors.push_back(&p);
        std::stable_sort(errors.begin(), errors.end(), [](auto* a, auto* b) { return a->line < b->line; });
        for (const auto* p : errors) {
            j.beginObject();
            if (!source.name.empty())
                j.str("source", source.name);
            j.num("line", p->line);
            j.str("message", p->message);
            j.endObject();
        }
    }
    j.endArray();
    j.endObject();
    return j.take();
}

} // namespace flight::protocol
