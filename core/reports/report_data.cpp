// SPDX-License-Identifier: MIT
#include "reports/report_data.h"

#include "reports/report_format.h"

#include "analytics/leak_candidates.h"
#include "model/checked_bytes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

namespace flight::reports {
namespace {

bool sameName(std::string_view a, std::string_view b)
{
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::uint64_t clampBytes(std::int64_t v) { return static_cast<std::uint64_t>(std::max<std::int64_t>(0, v)); }

// Keeps the n largest allocations seen, largest first once sorted.
void keepLargest(std::vector<MemoryAllocation>& top, MemoryAllocation a, std::size_t n)
{
    auto smaller = [](const MemoryAllocation& x, const MemoryAllocation& y) { return x.size.bytes > y.size.bytes; };
    if (top.size() < n) {
        top.push_back(std::move(a));
        std::push_heap(top.begin(), top.end(), smaller);
    } else if (a.size.bytes > top.front().size.bytes) {
        std::pop_heap(top.begin(), top.end(), smaller);
        top.back() = std::move(a);
        std::push_heap(top.begin(), top.end(), smaller);
    }
}

void sortLargestFirst(std::vector<MemoryAllocation>& v)
{
    std::stable_sort(v.begin(), v.end(), [](const MemoryAllocation& x, const MemoryAllocation& y) {
        if (x.size.bytes != y.size.bytes)
            return x.size.bytes > y.size.bytes;
        return x.allocatedAt < y.allocatedAt;
    });
}

void collectPurposes(SessionReport& r, const SessionModel& s)
{
    const RangeSummary range = s.rangeSummary(r.fromMs, r.toMs);
    r.peakBytes = range.peakUsedBytes;
    r.peakAtMs = range.peakUsedAtMs;
    r.averageBytes = range.averageUsedBytes;
    r.allocationsInRange = range.allocationsInRange;
    r.freesInRange = range.freesInRange;

    const std::size_t n = std::max(range.peakByPurpose.size(), range.atEnd.size());
    std::vector<MemoryPurpose> purposes;
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
        if (range.peakByPurpose[p] > 0 || range.atEnd[p] > 0 || range.atStart[p] > 0)
            purposes.push_back(p);
    }
    // Averages: the same kPercentileSamples midpoints the p95 of budgets uses.
    std::vector<long double> sums(purposes.size(), 0.0L);
    const std::int64_t from = r.fromMs;
    const std::int64_t to = std::max(r.fromMs, r.toMs);
    for (int i = 0; i < kPercentileSamples; ++i) {
        const std::int64_t t = from + static_cast<std::int64_t>((static_cast<long double>(to - from) * (2 * i + 1)) /
                                                                (2 * kPercentileSamples));
        const PurposeUsage u = s.usageAt(t);
        for (std::size_t k = 0; k < purposes.size(); ++k)
            sums[k] += static_cast<long double>(clampBytes(u[purposes[k]]));
    }
    const SessionUsage p95 = sessionUsage(s, UsagePoint::P95, r.fromMs, r.toMs);
    r.p95Bytes = p95.totalBytes;
    for (std::size_t k = 0; k < purposes.size(); ++k) {
        PurposeFigures f;
        f.purpose = purposes[k];
        f.endBytes = clampBytes(range.atEnd[purposes[k]]);
        f.peakBytes = clampBytes(range.peakByPurpose[purposes[k]]);
        f.averageBytes = static_cast<std::uint64_t>(std::llround(sums[k] / kPercentileSamples));
        f.p95Bytes = clampBytes(p95.byPurpose[purposes[k]]);
        r.purposes.push_back(f);
    }
}

void collectPressure(SessionReport& r, const SessionModel& s)
{
    const std::uint64_t total = s.info().totalBytes;
    const PressureThresholds th = s.info().thresholds;
    MemoryPressure level = computePressure(s.usedAt(r.fromMs), total, th);
    std::int64_t lastT = r.fromMs;
    s.forEachUsedChange(r.fromMs, r.toMs, [&](std::int64_t t, std::uint64_t used) {
        r.pressureMs[static_cast<std::size_t>(level)] += t - lastT;
        lastT = t;
        level = computePressure(used, total, th);
    });
    if (r.toMs > lastT)
        r.pressureMs[static_cast<std::size_t>(level)] += r.toMs - lastT;
    r.endPressure = computePressure(r.endBytes, total, th);
}

void collectAllocations(SessionReport& r, const SessionModel& s)
{
    std::vector<MemoryAllocation> largest;
    std::vector<MemoryAllocation> leaks;
    for (std::size_t i = 0; i < s.allocationCount(); ++i) {
        MemoryAllocation a = s.allocation(i);
        if (a.allocatedAt > r.toMs)
            break; // creation order is time order
        if (isLeakCandidate(a.allocatedAt, a.freedAt.has_value(), r.fromMs, r.toMs)) {
            ++r.leakCandidateCount;
            r.leakCandidateBytes = saturatingAdd(r.leakCandidateBytes, a.size.bytes);
            keepLargest(leaks, a, kTopAllocations);
        }
        if (!a.freedAt || *a.freedAt > r.fromMs)
            keepLargest(largest, std::move(a), kTopAllocations);
    }
    sortLargestFirst(largest);
    sortLargestFirst(leaks);
    r.largestAllocations = std::move(largest);
    r.leakCandidates = std::move(leaks);
}

void collectEvents(SessionReport& r, const SessionModel& s)
{
    for (const SessionEvent& e : s.events()) {
        if (e.timeMs < r.fromMs || e.timeMs > r.toMs)
            continue;
        switch (e.kind) {
        case SessionEventKind::OperationError:
        case SessionEventKind::ReportedError: ++r.errorsByCode[std::string(toString(e.error.code))]; break;
        case SessionEventKind::SoftLimitCrossed: r.crossings.push_back({e.timeMs, false}); break;
        case SessionEventKind::HardLimitCrossed: r.crossings.push_back({e.timeMs, true}); break;
        case SessionEventKind::TimeWentBackwards: break;
        }
    }
    for (const Marker& m : s.markers())
        if (m.timeMs >= r.fromMs && m.timeMs <= r.toMs)
            r.markers.push_back(m);
    // The Events view's list, so a report and the window count the same changes.
    for (PressureChange& c : collectPressureChanges(s))
        if (c.timeMs >= r.fromMs && c.timeMs <= r.toMs)
            r.pressureChanges.push_back(c);
}

void collectVerdicts(SessionReport& r, const SessionModel& s, const ReportOptions& o)
{
    const SessionUsage usage = sessionUsage(s, o.at, r.fromMs, r.toMs);
    auto add = [&](const Budget& b) {
        if (o.platform && !sameName(b.platform, *o.platform))
            return;
        VerdictFigures v{b, evaluateBudget(usage, b), false};
        v.verdict.budget = nullptr;
        v.highlighted = o.platform ? true : sameName(b.platform, r.platform);
        r.verdicts.push_back(std::move(v));
    };
    for (const Budget& b : builtinBudgets())
        add(b);
    for (const Budget& b : o.userBudgets)
        add(b);
}

} // namespace

SessionReport collectSession(const SessionModel& s, const ReportOptions& options, std::string source)
{
    SessionReport r;
    r.source = std::move(source);
    r.model = &s;
    r.sessionId = s.info().sessionId;
    r.platform = s.info().platform;
    r.totalBytes = s.info().totalBytes;
    r.firstMs = s.firstMs();
    r.lastMs = std::max(s.lastMs(), s.firstMs());
    r.limits = s.limits();
    auto at = [&](std::optional<double> seconds, std::int64_t fallback) {
        if (!seconds)
            return fallback;
        const auto t = r.firstMs + static_cast<std::int64_t>(std::llround(*seconds * 1000.0));
        return std::clamp(t, r.firstMs, r.lastMs);
    };
    r.fromMs = at(options.rangeFromSeconds, r.firstMs);
    r.toMs = std::max(r.fromMs, at(options.rangeToSeconds, r.lastMs));
    r.endBytes = s.usedAt(r.toMs);
    collectPurposes(r, s);
    collectPressure(r, s);
    collectAllocations(r, s);
    collectEvents(r, s);
    collectVerdicts(r, s, options);
    return r;
}

namespace {

// See SessionReport::ruleCoveragePercent.
double ruleCoveragePercent(const SessionModel& s, std::int64_t peakAtMs)
{
    const MemoryPurpose unclassified = MemoryPurpose::fromName("unclassified");
    double all = 0, classified = 0;
    if (s.allocationCount() > 0) {
        for (std::size_t i = 0; i < s.allocationCount(); ++i) {
            const AllocationRecord& a = s.allocationRecord(i);
            all += static_cast<double>(a.bytes);
            if (a.purpose != unclassified.id())
                classified += static_cast<double>(a.bytes);
        }
    } else {
        const PurposeUsage u = s.usageAt(peakAtMs);
        for (const MemoryPurpose p : MemoryPurpose::all()) {
            const auto b = static_cast<double>(std::max<std::int64_t>(u[p], 0));
            all += b;
            if (p != unclassified)
                classified += b;
        }
    }
    return all > 0 ? 100.0 * classified / all : 100.0;
}

} // namespace

ReportData collectReport(std::span<const protocol::SummarySource> sources, const ReportOptions& options)
{
    ReportData d;
    d.platform = options.platform;
    d.at = options.at;
    d.ranged = options.rangeFromSeconds || options.rangeToSeconds;
    d.rangeFromSeconds = options.rangeFromSeconds.value_or(0.0);
    d.rangeToSeconds = options.rangeToSeconds.value_or(-1.0);
    for (const protocol::SummarySource& src : sources) {
        const protocol::SessionStore& store = *src.store;
        d.inputs.push_back(src.name);
        // Classified by purpose rules: imported from heaptrack or massif, or
        // traced by `flight-agent run` (its recordings' source).
        const bool ruled = store.recordingInfo()
                           && (store.recordingInfo()->source == "heaptrack" || store.recordingInfo()->source == "massif"
                               || store.recordingInfo()->source == "flight-agent run");
        for (std::size_t i = 0; i < store.sessionCount(); ++i) {
            d.sessions.push_back(collectSession(store.session(i), options, src.name));
            if (ruled)
                d.sessions.back().ruleCoveragePercent = ruleCoveragePercent(store.session(i), d.sessions.back().peakAtMs);
        }
        d.decodeErrors += store.decodeErrors();
        d.sessionErrors += store.sessionErrors();
        d.warnings += store.warnings();
        std::vector<ProblemLine> lines;
        for (const protocol::StoreProblem& p : store.problems()) {
            if (p.kind != protocol::ProblemKind::DecodeError && p.kind != protocol::ProblemKind::SessionError)
                continue;
            lines.push_back({src.name, p.line, p.kind == protocol::ProblemKind::DecodeError ? "decode" : "session",
                             p.message});
        }
        std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
        d.problems.insert(d.problems.end(), lines.begin(), lines.end());
    }
    return d;
}

Result<std::pair<std::optional<double>, std::optional<double>>> parseRange(std::string_view text)
{
    const auto dots = text.find("..");
    if (dots == std::string_view::npos) {
        return makeError(MemoryErrorCode::MalformedInput,
                         "--range must look like T0..T1 in seconds from the session start, e.g. 10..60, got \"" +
                             std::string(text) + "\"");
    }
    auto number = [&](std::string_view part, std::optional<double>* out) {
        if (part.empty())
            return true;
        double v = 0;
        const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec != std::errc() || ptr != part.data() + part.size() || !std::isfinite(v) || v < 0)
            return false;
        *out = v;
        return true;
    };
    std::pair<std::optional<double>, std::optional<double>> r;
    if (!number(text.substr(0, dots), &r.first) || !number(text.substr(dots + 2), &r.second)) {
        return makeError(MemoryErrorCode::MalformedInput,
                         "--range takes seconds (>= 0) on each side of \"..\", e.g. 10..60 or 2.5..; got \"" +
                             std::string(text) + "\"");
    }
    if (r.first && r.second && *r.second <= *r.first) {
        return makeError(MemoryErrorCode::MalformedInput,
                         "--range end must be after its start, got \"" + std::string(text) + "\"");
    }
    return r;
}

std::string crossingsText(const SessionReport& r)
{
    std::string out;
    for (bool hard : {false, true}) {
        std::size_t n = 0;
        std::int64_t first = 0;
        for (const LimitCrossing& c : r.crossings)
            if (c.hard == hard && n++ == 0)
                first = c.timeMs;
        if (n == 0)
            continue;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s%s ×%zu (first at %.1f s)", out.empty() ? "" : ", ", hard ? "hard" : "soft", n,
                      static_cast<double>(first - r.firstMs) / 1000.0);
        out += buf;
    }
    return out.empty() ? "none" : out;
}

std::string reportRangeText(const ReportData& data)
{
    if (!data.ranged)
        return "whole session";
    auto n = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
    };
    return (data.rangeFromSeconds > 0 ? n(data.rangeFromSeconds) : std::string("0")) + ".." +
           (data.rangeToSeconds >= 0 ? n(data.rangeToSeconds) : std::string("end")) + " s";
}

std::vector<MemoryPurpose> reportPurposes(const ReportData& data)
{
    std::set<MemoryPurpose> set;
    for (const SessionReport& s : data.sessions)
        for (const PurposeFigures& p : s.purposes)
            set.insert(p.purpose);
    return {set.begin(), set.end()};
}

std::string overInText(const BudgetVerdict& verdict, std::size_t most, ByteUnits units)
{
    std::vector<const PurposeVerdict*> over;
    for (const PurposeVerdict& p : verdict.purposes)
        if (!p.fits)
            over.push_back(&p);
    std::stable_sort(over.begin(), over.end(),
                     [](const PurposeVerdict* a, const PurposeVerdict* b) { return a->headroomBytes < b->headroomBytes; });
    std::string text;
    for (std::size_t i = 0; i < over.size() && i < most; ++i)
        text += (text.empty() ? "" : ", ") + std::string(over[i]->purpose.name()) + " by " +
                formatBytes(static_cast<std::uint64_t>(-over[i]->headroomBytes), units);
    if (over.size() > most)
        text += " (+" + std::to_string(over.size() - most) + " more)";
    return text;
}

} // namespace flight::reports
