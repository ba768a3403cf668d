// SPDX-License-Identifier: MIT
#include "allocation_query.h"

#include "analytics/leak_candidates.h"

#include <algorithm>

namespace flight {

std::vector<AllocationRow> buildAllocationRows(const SessionModel& session)
{
    std::vector<AllocationRow> rows;
    const std::size_t n = session.allocationCount();
    rows.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const MemoryAllocation a = session.allocation(i);
        AllocationRow r;
        r.bytes = a.size.bytes;
        r.allocatedAt = a.allocatedAt;
        if (a.freedAt)
            r.freedAt = *a.freedAt;
        r.index = static_cast<std::uint32_t>(i);
        r.purpose = a.purpose.id();
        rows.push_back(r);
    }
    return rows;
}

namespace {

bool matches(const AllocationRow& r, const AllocationFilter& f)
{
    if (f.purpose && r.purpose != *f.purpose)
        return false;
    switch (f.mode) {
    case AllocationFilter::Mode::All:
        return true;
    case AllocationFilter::Mode::LiveAt:
        return r.allocatedAt <= f.atMs && r.freedAt > f.atMs;
    case AllocationFilter::Mode::LeakCandidates:
        return isLeakCandidate(r.allocatedAt, r.freed(), f.fromMs, f.toMs);
    }
    return true;
}

} // namespace

AllocationQueryResult runAllocationQuery(const std::vector<AllocationRow>& rows, const SessionModel& session,
                                         const AllocationFilter& filter, AllocationColumn sortColumn, bool ascending)
{
    AllocationQueryResult out;
    const QByteArray needle = filter.text.toUtf8().toLower();
    out.rows.reserve(rows.size());
    for (std::uint32_t i = 0; i < rows.size(); ++i) {
        const AllocationRow& r = rows[i];
        if (!matches(r, filter))
            continue;
        if (!needle.isEmpty()) {
            const std::string id = session.allocation(r.index).id;
            if (!QByteArray::fromRawData(id.data(), static_cast<qsizetype>(id.size())).toLower().contains(needle))
                continue;
        }
        out.rows.push_back(i);
        out.totals.add(MemoryPurpose::fromId(r.purpose), static_cast<std::int64_t>(r.bytes));
        out.totalBytes += r.bytes;
    }

    auto by = [&](auto key) {
        std::stable_sort(out.rows.begin(), out.rows.end(), [&](std::uint32_t a, std::uint32_t b) {
            return ascending ? key(rows[a]) < key(rows[b]) : key(rows[b]) < key(rows[a]);
        });
    };
    switch (sortColumn) {
    case AllocationColumn::Size: by([](const AllocationRow& r) { return r.bytes; }); break;
    case AllocationColumn::Purpose: by([](const AllocationRow& r) { return r.purpose; }); break;
    case AllocationColumn::AllocatedAt: by([](const AllocationRow& r) { return r.allocatedAt; }); break;
    case AllocationColumn::FreedAt: by([](const AllocationRow& r) { return r.freedAt; }); break;
    case AllocationColumn::Lifetime:
        by([&](const AllocationRow& r) { return (r.freed() ? r.freedAt : session.lastMs()) - r.allocatedAt; });
        break;
    case AllocationColumn::State: by([](const AllocationRow& r) { return r.freed(); }); break;
    case AllocationColumn::Id:
        if (!ascending)
            std::reverse(out.rows.begin(), out.rows.end()); // creation order is the id's natural order
        break;
    case AllocationColumn::Count: break;
    }
    return out;
}

} // namespace flight
