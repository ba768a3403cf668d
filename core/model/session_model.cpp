// SPDX-License-Identifier: MIT
// SessionModel: construction and the observed events (record*).
#include "session_model.h"

#include "session_model_impl.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

namespace flight {

namespace {
constexpr std::uint32_t kMaxIdArena = std::numeric_limits<std::uint32_t>::max();
} // namespace

SessionModel::SessionModel(SessionInfo info) : d(std::make_unique<Impl>(std::move(info))) {}
SessionModel::~SessionModel() = default;
SessionModel::SessionModel(SessionModel&&) noexcept = default;
SessionModel& SessionModel::operator=(SessionModel&&) noexcept = default;

const SessionInfo& SessionModel::info() const { return d->info; }
void SessionModel::setTotalBytes(std::uint64_t total) { d->info.totalBytes = total; }
void SessionModel::setPlatform(std::string platform) { d->info.platform = std::move(platform); }
void SessionModel::setThresholds(PressureThresholds t) { d->info.thresholds = t; }
void SessionModel::setEnded(std::int64_t atMs)
{
    atMs = d->advance(atMs);
    // Frees known for later than the end are applied at their own time.
    while (!d->pendingFrees.empty()) {
        const std::int64_t t = d->pendingFrees.top().first;
        d->flushFrees(t);
        d->lastMs = std::max(d->lastMs, t);
    }
    d->ended = atMs;
}
std::optional<std::int64_t> SessionModel::endedAt() const { return d->ended; }

// --- observed events ---------------------------------------------------------

Result<void> SessionModel::recordAllocation(std::string_view id, std::uint64_t bytes, MemoryPurpose purpose,
                                            std::int64_t atMs, std::optional<std::int64_t> freedAtMs)
{
    return recordAllocation(HashedId{id, hashId(id)}, bytes, purpose, atMs, freedAtMs);
}

Result<void> SessionModel::recordFree(std::string_view id, std::int64_t atMs)
{
    return recordFree(HashedId{id, hashId(id)}, atMs);
}

Result<void> SessionModel::recordAllocation(HashedId hashed, std::uint64_t bytes, MemoryPurpose purpose,
                                            std::int64_t atMs, std::optional<std::int64_t> freedAtMs)
{
    Impl& m = *d;
    const std::string_view id = hashed.text;
    atMs = m.advance(atMs);
    if (bytes == 0)
        return m.fail(MemoryErrorCode::InvalidSize, "allocation \"" + std::string(id) + "\" has 0 bytes", id, atMs);
    {
        // Checked sums: used, tracked and the purpose's level after it (checked_bytes.h).
        const TimelineState& cur = m.timeline.current();
        std::uint64_t usedAfter = 0;
        std::int64_t after = 0;
        if (bytes > kMaxTrackedBytes || !addTrackedBytes(cur.used(), bytes, usedAfter)
            || !addTrackedLevel(cur.usage[purpose], static_cast<std::int64_t>(bytes), after)
            || !addTrackedLevel(cur.tracked, static_cast<std::int64_t>(bytes), after)) [[unlikely]]
            return m.failOverflow("allocation \"" + std::string(id) + "\" of " + std::to_string(bytes) +
                                      " bytes is refused: " +
                                      (bytes > kMaxTrackedBytes ? "one allocation is at most 2^63-1 bytes"
                                                                : "used would pass 2^63-1 bytes (used now " +
                                                                      std::to_string(cur.used()) + " bytes)") +
                                      "; " + Impl::levelBoundText(),
                                  id, atMs);
    }
    if (m.allocs.size() > UsageTimeline::kMaxIndex)
        return m.fail(MemoryErrorCode::AllocationFailed, "too many allocations in one session", id, atMs);
    const std::uint64_t key = hashed.key;
    m.live.reserveOne();
    const auto probe = m.findLive(key, id);
    if (probe.found)
        return m.fail(MemoryErrorCode::InvalidAllocation, "allocation \"" + std::string(id) + "\" is already live", id,
                      atMs);

    // The new record and id text go to lines not in cache: ask for them for
    // writing a few allocations ahead (a prefetch never faults, past the end
    // of the storage either), so the stores do not wait for memory. The
    // address is counted as an integer: a pointer past the storage's end (or
    // off an empty one's null) would be undefined.
    const auto ahead = [](const void* base, std::size_t bytes) {
        return reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(base) + bytes);
    };
    __builtin_prefetch(ahead(m.allocs.data(), (m.allocs.size() + 8) * sizeof(AllocationRecord)), 1);
    __builtin_prefetch(ahead(m.ids.data(), m.ids.size() + 256), 1);

    AllocationRecord r;
    r.bytes = bytes;
    r.allocatedAt = atMs;
    r.purpose = purpose.id();
    const auto index = static_cast<std::uint32_t>(m.allocs.size());
    const std::size_t len = std::min<std::size_t>(id.size(), std::numeric_limits<std::uint16_t>::max());
    if (m.ids.size() + len <= kMaxIdArena) {
        r.idOffset = static_cast<std::uint32_t>(m.ids.size());
        r.idLen = static_cast<std::uint16_t>(len);
        m.ids.append(id.data(), len);
        if (len != id.size())
            m.partialIdKeys.emplace(index, key); // only its first 65535 bytes are kept
    } else {
        m.partialIdKeys.emplace(index, key); // arena full (4 GiB of ids): kept as its key only
    }
    if (freedAtMs)
        r.freedAt = std::max(*freedAtMs, atMs);
    m.allocs.push_back(r);
    if (!freedAtMs)
        m.live.insert(probe, key, index);
    m.allocatedBytesEver += bytes; // 128 bits: cannot wrap
    m.timeline.appendAllocation(index, m.allocs.back());
    m.afterChange(atMs);
    if (freedAtMs) {
        m.pendingFrees.emplace(r.freedAt, index);
        m.flushFrees(atMs);
    }
    return {};
}

Result<void> SessionModel::recordFree(HashedId hashed, std::int64_t atMs)
{
    Impl& m = *d;
    const std::string_view id = hashed.text;
    const std::uint64_t key = hashed.key;
    atMs = m.advance(atMs);
    if (const auto live = m.findLive(key, id); live.found) {
        AllocationRecord& r = m.allocs[live.index];
        if (!m.canFree(r)) [[unlikely]]
            return m.failOverflow("free of allocation \"" + std::string(id) + "\" is refused: " + Impl::levelBoundText(),
                                  id, atMs);
        r.freedAt = atMs;
        m.live.erase(live);
        m.timeline.appendFree(live.index, r);
        m.afterChange(atMs);
        return {};
    }
    // Not live: freed already, or never allocated (only the table of every id knows).
    m.ensureTable();
    const auto probe = m.find(key, id);
    if (!probe.found)
        return m.fail(MemoryErrorCode::InvalidAllocation, "no allocation \"" + std::string(id) + "\" to free", id, atMs);
    AllocationRecord& r = m.allocs[probe.index];
    if (r.freedAt != AllocationRecord::kLive)
        return m.fail(MemoryErrorCode::AlreadyFreed,
                      "allocation \"" + std::string(id) + "\" was already freed at " + std::to_string(r.freedAt), id,
                      atMs);
    if (!m.canFree(r)) [[unlikely]]
        return m.failOverflow("free of allocation \"" + std::string(id) + "\" is refused: " + Impl::levelBoundText(), id,
                              atMs);
    r.freedAt = atMs;
    m.timeline.appendFree(probe.index, r);
    m.afterChange(atMs);
    return {};
}

void SessionModel::prefetchIds(const std::array<std::optional<std::uint64_t>, 3>& keys) const
{
    const IdLookahead ahead = lookahead();
    if (keys[0])
        ahead.slot(*keys[0]);
    if (keys[1])
        ahead.record(*keys[1]);
    if (keys[2])
        ahead.text(*keys[2]);
}

IdLookahead SessionModel::lookahead() const { return IdLookahead(d->live, d->allocs, d->ids); }

Result<void> SessionModel::recordSample(const ReportedSample& sample, const PurposeUsage* byPurpose)
{
    Impl& m = *d;
    ReportedSample s = sample;
    s.timeMs = m.advance(sample.timeMs);
    // The sample's purpose levels and its untracked remainder are one change. Every
    // decrease is applied before any increase, so the timeline never passes through a
    // state above both the old and the new used (a phantom peak, a false limit crossing).
    struct LevelChange { std::uint16_t purpose; std::int64_t delta; };
    std::vector<LevelChange> changes;
    const std::int64_t trackedBefore = m.timeline.current().tracked;
    std::int64_t decreases = 0, increases = 0;
    const auto refuse = [&](const std::string& why) {
        return m.failOverflow("memory_update refused: " + why + "; " + Impl::levelBoundText(), {}, s.timeMs);
    };
    if (s.usedBytes > kMaxTrackedBytes) [[unlikely]]
        return refuse("used " + std::to_string(s.usedBytes) + " bytes");
    if (byPurpose) {
        const std::size_t n = std::max(byPurpose->size(), m.sampledPurposes.size());
        for (std::size_t i = 0; i < n; ++i) {
            const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
            const std::int64_t level = (*byPurpose)[p];
            if (level == 0 && (i >= m.sampledPurposes.size() || !m.sampledPurposes[i]))
                continue; // not given
            // A negative level is a size above 2^63-1 that wrapped on its way in (SessionStore).
            std::int64_t delta = 0;
            if (level < 0 || __builtin_sub_overflow(level, m.timeline.current().usage[p], &delta)) [[unlikely]]
                return refuse(std::string(p.name()) + " at " + std::to_string(static_cast<std::uint64_t>(level)) + " bytes");
            if (delta == 0)
                continue;
            std::int64_t& sum = delta < 0 ? decreases : increases;
            if (!addTrackedLevel(sum, delta, sum)) [[unlikely]]
                return refuse("the purpose levels it sets");
            changes.push_back({p.id(), delta});
        }
    }
    // tracked after the decreases, then after all: both within the bound.
    std::int64_t low = 0, tracked = 0;
    if (!addTrackedLevel(trackedBefore, decreases, low) || !addTrackedLevel(low, increases, tracked)) [[unlikely]]
        return refuse("the purpose levels it sets");
    if (byPurpose) {
        const std::size_t n = std::max(byPurpose->size(), m.sampledPurposes.size());
        if (m.sampledPurposes.size() < n)
            m.sampledPurposes.resize(n, false);
        for (std::size_t i = 0; i < byPurpose->size(); ++i)
            if ((*byPurpose)[MemoryPurpose::fromId(static_cast<std::uint16_t>(i))] != 0)
                m.sampledPurposes[i] = true;
    }
    if (s.totalBytes > 0)
        m.info.totalBytes = s.totalBytes;
    const std::uint64_t trackedU = tracked > 0 ? static_cast<std::uint64_t>(tracked) : 0;
    const std::uint64_t untracked = s.usedBytes > trackedU ? s.usedBytes - trackedU : 0;
    const std::uint64_t untrackedBefore = m.timeline.current().untracked;
    const auto applyUntracked = [&] {
        m.timeline.appendUntracked(s.timeMs, untracked);
        m.afterChange(s.timeMs);
    };
    if (untracked < untrackedBefore)
        applyUntracked();
    std::ranges::stable_partition(changes, [](const LevelChange& c) { return c.delta < 0; });
    for (const LevelChange& c : changes) {
        m.timeline.appendLevel(s.timeMs, c.purpose, c.delta);
        m.afterChange(s.timeMs);
    }
    if (untracked > untrackedBefore)
        applyUntracked();
    m.samples.push_back(s);
    return {};
}

void SessionModel::recordLimits(const MemoryLimits& limits, std::int64_t atMs)
{
    atMs = atMs == 0 && d->haveTime ? d->lastMs : d->advance(atMs);
    d->limits = limits;
    d->aboveSoft = d->aboveHard = false; // re-evaluate against the new limits
    d->afterChange(atMs);
}

void SessionModel::recordReportedError(const MemoryError& error)
{
    MemoryError e = error;
    // 0 = the producer gave no time: the error belongs to "now".
    e.timestampMs = error.timestampMs == 0 ? d->lastMs : d->advance(error.timestampMs);
    d->events.push_back({SessionEventKind::ReportedError, e.timestampMs, std::move(e)});
}

void SessionModel::addMarker(std::int64_t atMs, std::string label)
{
    atMs = d->advance(atMs);
    d->markers.push_back({atMs, std::move(label)});
}

MemoryError SessionModel::recordOperationError(MemoryError error, std::int64_t atMs)
{
    const std::int64_t t = d->advance(atMs);
    error.timestampMs = t;
    d->events.push_back({SessionEventKind::OperationError, t, error});
    return error;
}

std::optional<MemoryLimits> SessionModel::limits() const { return d->limits; }

} // namespace flight
