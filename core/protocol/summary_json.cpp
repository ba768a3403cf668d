#include "protocol/summary_json.h"

#include "protocol/message_encoder.h"

#include <algorithm>
#include <set>

namespace flight::protocol {

namespace {

struct Json {
    std::string out;
    bool pretty = false;
    int depth = 0;
    std::vector<bool> firsts;

    void newline()
    {
        if (!pretty)
            return;
        out.push_back('\n');
        out.append(static_cast<std::size_t>(depth) * 2, ' ');
    }
    void sep()
    {
        if (!firsts.empty()) {
            if (!firsts.back())
                out.push_back(',');
            firsts.back() = false;
            newline();
        }
    }
    void open(char c)
    {
        out.push_back(c);
        ++depth;
        firsts.push_back(true);
    }
    void close(char c)
    {
        const bool empty = firsts.back();
        firsts.pop_back();
        --depth;
        if (!empty)
            newline();
        out.push_back(c);
    }
    void key(std::string_view k)
    {
        sep();
        appendJsonString(out, k);
        out += pretty ? ": " : ":";
    }
    void beginObject(std::string_view k) { key(k); open('{'); }
    void beginArray(std::string_view k) { key(k); open('['); }
    void beginObjectItem() { sep(); open('{'); }
    void str(std::string_view k, std::string_view v) { key(k); appendJsonString(out, v); }
    void num(std::string_view k, std::uint64_t v) { key(k); out += std::to_string(v); }
    void inum(std::string_view k, std::int64_t v) { key(k); out += std::to_string(v); }
    void boolean(std::string_view k, bool v) { key(k); out += v ? "true" : "false"; }
    void null(std::string_view k) { key(k); out += "null"; }
    void strItem(std::string_view v) { sep(); appendJsonString(out, v); }
};

} // namespace

std::string summaryJson(const SessionStore& store, bool pretty)
{
    const SummarySource only{{}, &store};
    return summaryJson(std::span(&only, 1), pretty);
}

std::string summaryJson(std::span<const SummarySource> sources, bool pretty)
{
    Json j;
    j.pretty = pretty;
    j.open('{');
    j.beginArray("sessions");
    for (const SummarySource& source : sources) {
    const SessionStore& store = *source.store;
    for (std::size_t i = 0; i < store.sessionCount(); ++i) {
        const SessionModel& s = store.session(i);
        const MemoryStats stats = s.calculateMemoryStats();
        j.beginObjectItem();
        if (!source.name.empty())
            j.str("source", source.name);
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
        j.close('}');

        j.beginObject("pressure");
        j.str("computed", toString(s.pressure()));
        if (auto r = s.reportedPressure())
            j.str("reported", toString(*r));
        else
            j.null("reported");
        j.close('}');

        if (auto l = s.limits()) {
            j.beginObject("limits");
            j.num("heapMax", l->heapMax.bytes);
            j.num("stackMax", l->stackMax.bytes);
            j.num("cacheMax", l->cacheMax.bytes);
            j.num("softLimit", l->softLimit.bytes);
            j.num("hardLimit", l->hardLimit.bytes);
            j.close('}');
        } else {
            j.null("limits");
        }
        j.boolean("softLimitExceeded", s.softLimitExceeded());
        j.boolean("hardLimitExceeded", s.hardLimitExceeded());
        j.beginArray("reportedErrors");
        for (auto code : s.reportedErrorCodes())
            j.strItem(toString(code));
        j.close(']');
        j.num("markers", s.markers().size());
        j.num("samples", s.samples().size());
        j.inum("firstMs", s.firstMs());
        j.inum("lastMs", s.lastMs());
        j.close('}');
    }
    }
    j.close(']');
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
            j.beginObjectItem();
            if (!source.name.empty())
                j.str("source", source.name);
            j.num("line", p->line);
            j.str("message", p->message);
            j.close('}');
        }
    }
    j.close(']');
    j.close('}');
    if (pretty)
        j.out.push_back('\n');
    return std::move(j.out);
}

} // namespace flight::protocol
