// SPDX-License-Identifier: MIT
#include "reports/recording_diff.h"

#include "reports/report_data.h"

#include <algorithm>
#include <cctype>

namespace flight::reports {
namespace {

std::int64_t signedBytes(std::uint64_t v) { return static_cast<std::int64_t>(v); }

bool sameName(std::string_view x, std::string_view y)
{
    return std::ranges::equal(x, y, [](char p, char q) {
        return std::tolower(static_cast<unsigned char>(p)) == std::tolower(static_cast<unsigned char>(q));
    });
}

const Budget* shippedBudget(std::string_view platform)
{
    for (const Budget& b : builtinBudgets())
        if (sameName(b.platform, platform))
            return &b;
    return nullptr;
}

DiffFigure figure(std::uint64_t before, std::uint64_t after)
{
    return diffFigure(signedBytes(before), signedBytes(after) - signedBytes(before));
}

} // namespace

bool DiffFigure::growsMoreThan(double pct) const
{
    if (before <= 0)
        return after > 0;
    return percent && *percent > pct;
}

DiffFigure diffFigure(std::int64_t before, std::int64_t change)
{
    DiffFigure f{before, before + change, change, std::nullopt};
    if (before != 0)
        f.percent = static_cast<double>(change) * 100.0 / static_cast<double>(before);
    return f;
}

std::string_view toString(DiffPairing p)
{
    switch (p) {
    case DiffPairing::SessionId: return "sessionId";
    case DiffPairing::Order: return "order";
    case DiffPairing::OnlyInA: return "onlyInA";
    case DiffPairing::OnlyInB: return "onlyInB";
    }
    return "order";
}

DiffSessionFigures diffSessionFigures(const SessionModel& session, std::string source)
{
    // The report's own figures (peak, average, end by purpose), so diff and report agree.
    const SessionReport r = collectSession(session, ReportOptions{}, source);
    DiffSessionFigures f;
    f.source = std::move(source);
    f.sessionId = r.sessionId;
    f.platform = r.platform;
    f.peakBytes = r.peakBytes;
    f.averageBytes = r.averageBytes;
    f.endBytes = r.endBytes;
    for (const PurposeFigures& p : r.purposes) {
        f.peak.at(p.purpose) = signedBytes(p.peakBytes);
        f.average.at(p.purpose) = signedBytes(p.averageBytes);
        f.end.at(p.purpose) = signedBytes(p.endBytes);
    }
    f.allocations = session.allocationCount();
    for (std::size_t i = 0; i < session.allocationCount(); ++i)
        f.allocationCounts.add(session.allocation(i).purpose, 1);
    if (const Budget* b = shippedBudget(f.platform)) {
        f.budget = *b;
        f.verdict = evaluateBudget(sessionUsage(session, UsagePoint::Peak), *b);
        f.verdict->budget = nullptr;
    }
    return f;
}

SessionDiff diffSessions(std::optional<DiffSessionFigures> a, std::optional<DiffSessionFigures> b, DiffPairing pairing)
{
    static const DiffSessionFigures none;
    const DiffSessionFigures& x = a ? *a : none;
    const DiffSessionFigures& y = b ? *b : none;
    SessionDiff d;
    d.pairing = pairing;
    d.peakChange = y.peak - x.peak;
    d.averageChange = y.average - x.average;
    d.endChange = y.end - x.end;
    d.allocationsChange = y.allocationCounts - x.allocationCounts;
    d.peak = figure(x.peakBytes, y.peakBytes);
    d.average = figure(x.averageBytes, y.averageBytes);
    d.end = figure(x.endBytes, y.endBytes);
    d.allocations = figure(x.allocations, y.allocations);
    const std::size_t n = std::max({x.peak.size(), y.peak.size(), x.allocationCounts.size(), y.allocationCounts.size(),
                                    x.end.size(), y.end.size()});
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
        if (x.peak[p] == 0 && y.peak[p] == 0 && x.allocationCounts[p] == 0 && y.allocationCounts[p] == 0
            && x.end[p] == 0 && y.end[p] == 0)
            continue;
        d.purposes.push_back({p, diffFigure(x.peak[p], d.peakChange[p]), diffFigure(x.average[p], d.averageChange[p]),
                              diffFigure(x.end[p], d.endChange[p]),
                              diffFigure(x.allocationCounts[p], d.allocationsChange[p])});
    }
    d.a = std::move(a);
    d.b = std::move(b);
    return d;
}

RecordingDiff diffRecordings(std::span<const protocol::SummarySource> a, std::span<const protocol::SummarySource> b)
{
    RecordingDiff diff;
    auto figuresOf = [](std::span<const protocol::SummarySource> sources, std::vector<std::string>& names) {
        std::vector<DiffSessionFigures> out;
        for (const protocol::SummarySource& src : sources) {
            names.push_back(src.name);
            for (std::size_t i = 0; i < src.store->sessionCount(); ++i)
                out.push_back(diffSessionFigures(src.store->session(i), src.name));
        }
        return out;
    };
    std::vector<DiffSessionFigures> sa = figuresOf(a, diff.inputsA);
    std::vector<DiffSessionFigures> sb = figuresOf(b, diff.inputsB);

    // partner[i]: the session of B paired with A's i-th, and how.
    std::vector<std::optional<std::size_t>> partner(sa.size());
    std::vector<DiffPairing> how(sa.size(), DiffPairing::OnlyInA);
    std::vector<bool> taken(sb.size(), false);
    for (std::size_t i = 0; i < sa.size(); ++i)
        for (std::size_t j = 0; j < sb.size(); ++j)
            if (!taken[j] && sb[j].sessionId == sa[i].sessionId) {
                partner[i] = j;
                how[i] = DiffPairing::SessionId;
                taken[j] = true;
                break;
            }
    std::size_t next = 0;
    for (std::size_t i = 0; i < sa.size(); ++i) {
        if (partner[i])
            continue;
        while (next < sb.size() && taken[next])
            ++next;
        if (next == sb.size())
            break;
        partner[i] = next;
        how[i] = DiffPairing::Order;
        taken[next] = true;
    }
    for (std::size_t i = 0; i < sa.size(); ++i)
        if (partner[i])
            diff.sessions.push_back(diffSessions(std::move(sa[i]), std::move(sb[*partner[i]]), how[i]));
    for (std::size_t i = 0; i < sa.size(); ++i)
        if (!partner[i])
            diff.sessions.push_back(diffSessions(std::move(sa[i]), std::nullopt, DiffPairing::OnlyInA));
    for (std::size_t j = 0; j < sb.size(); ++j)
        if (!taken[j])
            diff.sessions.push_back(diffSessions(std::nullopt, std::move(sb[j]), DiffPairing::OnlyInB));
    return diff;
}

std::vector<PeakGrowth> peakGrowth(const RecordingDiff& diff, double pct)
{
    std::vector<PeakGrowth> out;
    for (const SessionDiff& s : diff.sessions) {
        if (!s.paired())
            continue;
        for (const PurposeDiff& p : s.purposes)
            if (p.peak.growsMoreThan(pct))
                out.push_back({s.b->sessionId, p.purpose, p.peak});
    }
    return out;
}

} // namespace flight::reports
