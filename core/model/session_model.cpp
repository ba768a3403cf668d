#include "session_model.h"

#include "allocation_record.h"
#include "flat_id_table.h"
#include "id_hash.h"
#include "memory_size.h"
#include "session_compaction.h"
#include "time_text.h"
#include "usage_timeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <cstring>
#include <queue>
#include <unordered_map>
#include <utility>

namespace flight {

std::string_view toString(TrendDirection d)
{
    switch (d) {
    case TrendDirection::Increasing: return "increasing";
    case TrendDirection::Decreasing: return "decreasing";
    case TrendDirection::Stable: return "stable";
    case TrendDirection::Volatile: return "volatile";
    }
    return "stable";
}

namespace {

// Doubles computed from byte counts near 2^64 (usedBytes() = 2^64-1 becomes
// 2^64 as a double) or slopes of huge jumps can leave the integer range, and
// casting those is undefined behaviour (found by fuzz_message_decoder): clamp.
std::uint64_t toUint64Clamped(double v)
{
    if (!(v > 0))
        return 0;
    if (v >= 18446744073709551616.0)
        return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(v);
}

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
constexpr std::uint32_t kMaxIdArena = std::numeric_limits<std::uint32_t>::max();

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

struct SessionModel::Impl {
    SessionInfo info;
    std::optional<std::int64_t> ended;
    bool haveTime = false;
    std::int64_t firstMs = 0;
    std::int64_t lastMs = 0;

    GrowArray<AllocationRecord> allocs;
    GrowArray<char> ids; // arena of id texts (grows by 1/8)
    FlatIdTable table;
    // Keys of the allocations whose id text is not kept whole (longer than
    // 65535 bytes, or the arena is full): resolved and rehashed by key alone.
    std::unordered_map<std::uint32_t, std::uint64_t> partialIdKeys;
    UsageTimeline timeline;
    // Frees already known at allocation time but later than the last event,
    // applied when the timeline reaches them: (freedAt, index), earliest first.
    std::priority_queue<std::pair<std::int64_t, std::uint32_t>, std::vector<std::pair<std::int64_t, std::uint32_t>>,
                        std::greater<>>
        pendingFrees;

    std::uint64_t peak = 0;
    std::uint64_t allocatedBytesEver = 0;
    std::vector<bool> sampledPurposes; // purposes whose level a sample has set
    std::optional<MemoryLimits> limits;
    bool aboveSoft = false;
    bool aboveHard = false;
    bool softEver = false;
    bool hardEver = false;

    std::vector<SessionEvent> events;
    std::vector<Marker> markers;
    std::vector<ReportedSample> samples;
    RetentionState retention; // what compactHistory dropped (session_compaction.cpp)

    explicit Impl(SessionInfo i) : info(std::move(i))
    {
        if (info.startedAt != 0) {
            haveTime = true;
            firstMs = lastMs = info.startedAt;
        }
    }

    std::string_view idText(const AllocationRecord& r) const { return std::string_view(ids.data() + r.idOffset, r.idLen); }

    // Clamp a time to the timeline, flag it when it went backwards, apply due frees.
    std::int64_t advance(std::int64_t t)
    {
        if (!haveTime) {
            haveTime = true;
            firstMs = lastMs = t;
        } else if (t < lastMs) {
            events.push_back({SessionEventKind::TimeWentBackwards, lastMs,
                              MemoryError{MemoryErrorCode::MalformedInput,
                                          "timestamp " + std::to_string(t) + " is before " + std::to_string(lastMs) +
                                              "; kept at " + std::to_string(lastMs),
                                          {}, lastMs}});
            t = lastMs;
        }
        flushFrees(t);
        lastMs = t;
        return t;
    }

    void flushFrees(std::int64_t upTo)
    {
        while (!pendingFrees.empty() && pendingFrees.top().first <= upTo) {
            const auto index = pendingFrees.top().second;
            pendingFrees.pop();
            timeline.appendFree(index, allocs[index]);
            afterChange(allocs[index].freedAt);
        }
    }

    void afterChange(std::int64_t t)
    {
        const std::uint64_t used = timeline.current().used();
        peak = std::max(peak, used);
        if (!limits)
            return;
        const std::uint64_t soft = limits->softLimit.bytes;
        const std::uint64_t hard = limits->hardLimit.bytes;
        const bool overSoft = soft > 0 && used > soft;
        const bool overHard = hard > 0 && used > hard;
        if (overSoft && !aboveSoft) {
            softEver = true;
            events.push_back({SessionEventKind::SoftLimitCrossed, t,
                              MemoryError{MemoryErrorCode::LimitExceeded,
                                          "used " + formatBytes(used) + " went above the soft limit " + formatBytes(soft),
                                          {}, t}});
        }
        if (overHard && !aboveHard) {
            hardEver = true;
            events.push_back({SessionEventKind::HardLimitCrossed, t,
                              MemoryError{MemoryErrorCode::LimitExceeded,
                                          "used " + formatBytes(used) + " went above the hard limit " + formatBytes(hard),
                                          {}, t}});
        }
        aboveSoft = overSoft;
        aboveHard = overHard;
    }

    std::unexpected<MemoryError> fail(MemoryErrorCode code, std::string message, std::string_view id, std::int64_t t)
    {
        MemoryError e{code, std::move(message), std::string(id), t};
        events.push_back({SessionEventKind::OperationError, t, e});
        return std::unexpected(std::move(e));
    }

    // Grow the id table (load above 3/4) by re-inserting every allocation in
    // creation order: records and id texts are read sequentially, and a reused
    // id ends up pointing at its newest allocation, as before the growth.
    void growTable() { rebuildTable(table.capacity() * 2); }

    void rebuildTable(std::size_t capacity)
    {
        table.reset(capacity);
        constexpr std::uint32_t kAhead = 8; // prefetch the slot of the id 8 records on
        const auto n = static_cast<std::uint32_t>(allocs.size());
        for (std::uint32_t i = 0; i < n; ++i) {
            if (i + kAhead < n)
                table.prefetch(hashId(idText(allocs[i + kAhead])));
            const AllocationRecord& r = allocs[i];
            FlatIdTable::Probe p;
            std::uint64_t key = 0;
            auto partial = partialIdKeys.empty() ? partialIdKeys.end() : partialIdKeys.find(i);
            if (partial != partialIdKeys.end()) {
                key = partial->second;
                p = table.probe(key, [&](std::uint32_t j) {
                    auto it = partialIdKeys.find(j);
                    return it != partialIdKeys.end() && it->second == key;
                });
            } else {
                const std::string_view id = idText(r);
                key = hashId(id);
                p = find(key, id);
            }
            table.set(p, key, i);
        }
    }

    // The table compares 7 bits of the hash first; a candidate is confirmed by
    // its text (ids kept whole) or by its full key (the others).
    FlatIdTable::Probe find(std::uint64_t key, std::string_view id) const
    {
        return table.probe(key, [&](std::uint32_t index) {
            const auto& r = allocs[index];
            if (!partialIdKeys.empty())
                if (auto it = partialIdKeys.find(index); it != partialIdKeys.end())
                    return it->second == key;
            return r.idLen == id.size() && (id.empty() || std::memcmp(ids.data() + r.idOffset, id.data(), id.size()) == 0);
        });
    }

    const AllocationRecord* findRecord(std::string_view id) const
    {
        const auto p = find(hashId(id), id);
        return p.found ? &allocs[p.index] : nullptr;
    }

    std::uint64_t used() const { return timeline.current().used(); }

    MemoryAllocation toAllocation(const AllocationRecord& r) const
    {
        MemoryAllocation a;
        a.id = std::string(idText(r));
        a.sessionId = info.sessionId;
        a.size = MemorySize{r.bytes};
        a.purpose = MemoryPurpose::fromId(r.purpose);
        a.allocatedAt = r.allocatedAt;
        if (r.freedAt != AllocationRecord::kLive)
            a.freedAt = r.freedAt;
        return a;
    }

    const ReportedSample* sampleAt(std::int64_t t) const
    {
        auto it = std::upper_bound(samples.begin(), samples.end(), t,
                                   [](std::int64_t v, const ReportedSample& s) { return v < s.timeMs; });
        return it == samples.begin() ? nullptr : &*(it - 1);
    }

    MemoryUsageSnapshot makeSnapshot(std::int64_t t, std::uint64_t usedBytes) const
    {
        MemoryUsageSnapshot s;
        s.timestamp = t;
        s.sessionId = info.sessionId;
        s.platform = info.platform;
        s.total = MemorySize{info.totalBytes};
        s.used = MemorySize{usedBytes};
        s.available = MemorySize{info.totalBytes > usedBytes ? info.totalBytes - usedBytes : 0};
        if (const auto* sample = sampleAt(t))
            s.fragmentationRatio = sample->fragmentationRatio;
        return s;
    }
};

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
    Impl& m = *d;
    atMs = m.advance(atMs);
    if (bytes == 0)
        return m.fail(MemoryErrorCode::InvalidSize, "allocation \"" + std::string(id) + "\" has 0 bytes", id, atMs);
    if (m.allocs.size() > UsageTimeline::kMaxIndex)
        return m.fail(MemoryErrorCode::AllocationFailed, "too many allocations in one session", id, atMs);
    const std::uint64_t key = hashId(id);
    if (m.table.needsGrowth())
        m.growTable();
    const auto probe = m.find(key, id);
    if (probe.found && m.allocs[probe.index].freedAt == AllocationRecord::kLive)
        return m.fail(MemoryErrorCode::InvalidAllocation, "allocation \"" + std::string(id) + "\" is already live", id,
                      atMs);

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
    m.table.set(probe, key, index);
    m.allocatedBytesEver += bytes;
    m.timeline.appendAllocation(index, m.allocs.back());
    m.afterChange(atMs);
    if (freedAtMs) {
        m.pendingFrees.emplace(r.freedAt, index);
        m.flushFrees(atMs);
    }
    return {};
}

Result<void> SessionModel::recordFree(std::string_view id, std::int64_t atMs)
{
    Impl& m = *d;
    atMs = m.advance(atMs);
    const auto probe = m.find(hashId(id), id);
    if (!probe.found)
        return m.fail(MemoryErrorCode::InvalidAllocation, "no allocation \"" + std::string(id) + "\" to free", id, atMs);
    AllocationRecord& r = m.allocs[probe.index];
    if (r.freedAt != AllocationRecord::kLive)
        return m.fail(MemoryErrorCode::AlreadyFreed,
                      "allocation \"" + std::string(id) + "\" was already freed at " + std::to_string(r.freedAt), id,
                      atMs);
    r.freedAt = atMs;
    m.timeline.appendFree(probe.index, r);
    m.afterChange(atMs);
    return {};
}

void SessionModel::prefetchId(std::string_view id, int stage) const
{
    const Impl& m = *d;
    const std::uint64_t key = hashId(id);
    if (stage == 0) {
        m.table.prefetch(key);
        return;
    }
    const std::int64_t index = m.table.firstCandidate(key);
    if (index < 0 || static_cast<std::size_t>(index) >= m.allocs.size())
        return;
    const AllocationRecord& r = m.allocs[static_cast<std::size_t>(index)];
    if (stage == 1)
        __builtin_prefetch(&r);
    else if (r.idOffset < m.ids.size())
        __builtin_prefetch(m.ids.data() + r.idOffset);
}

void SessionModel::recordSample(const ReportedSample& sample, const PurposeUsage* byPurpose)
{
    Impl& m = *d;
    ReportedSample s = sample;
    s.timeMs = m.advance(sample.timeMs);
    if (s.totalBytes > 0)
        m.info.totalBytes = s.totalBytes;
    // The sample's purpose levels and its untracked remainder are one change. Every
    // decrease is applied before any increase, so the timeline never passes through a
    // state above both the old and the new used (a phantom peak, a false limit crossing).
    struct LevelChange { std::uint16_t purpose; std::int64_t delta; };
    std::vector<LevelChange> changes;
    std::int64_t tracked = m.timeline.current().tracked;
    if (byPurpose) {
        const std::size_t n = std::max(byPurpose->size(), m.sampledPurposes.size());
        if (m.sampledPurposes.size() < n)
            m.sampledPurposes.resize(n, false);
        for (std::size_t i = 0; i < n; ++i) {
            const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
            const std::int64_t level = (*byPurpose)[p];
            if (level == 0 && !m.sampledPurposes[i])
                continue; // not given
            m.sampledPurposes[i] = true;
            const std::int64_t delta = level - m.timeline.current().usage[p];
            if (delta != 0) {
                changes.push_back({p.id(), delta});
                tracked += delta;
            }
        }
    }
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

// --- memory-operations -------------------------------------------------------

Result<MemoryAllocation> SessionModel::createAllocation(std::string_view id, std::uint64_t bytes,
                                                        MemoryPurpose purpose, std::int64_t atMs)
{
    if (auto ok = validateAllocationRequest(bytes, purpose); !ok) {
        const std::int64_t t = d->advance(atMs);
        MemoryError e = std::move(ok.error());
        e.details = std::string(id);
        e.timestampMs = t;
        d->events.push_back({SessionEventKind::OperationError, t, e});
        return std::unexpected(std::move(e));
    }
    if (auto r = recordAllocation(id, bytes, purpose, atMs); !r)
        return std::unexpected(std::move(r.error()));
    return d->toAllocation(d->allocs.back());
}

Result<void> SessionModel::freeAllocation(std::string_view id, std::int64_t atMs)
{
    return recordFree(id, atMs);
}

Result<void> SessionModel::validateAllocationRequest(std::uint64_t bytes, MemoryPurpose purpose) const
{
    const Impl& m = *d;
    if (bytes == 0)
        return makeError(MemoryErrorCode::InvalidSize, "an allocation of 0 bytes is not valid");
    const std::uint64_t used = m.used();
    const std::uint64_t after = used + bytes < used ? std::numeric_limits<std::uint64_t>::max() : used + bytes;
    if (m.limits) {
        const std::uint64_t hard = m.limits->hardLimit.bytes;
        if (hard > 0 && after > hard)
            return makeError(MemoryErrorCode::LimitExceeded, "request of " + formatBytes(bytes) + " would bring used to " +
                                                                 formatBytes(after) + ", above the hard limit " +
                                                                 formatBytes(hard));
        std::uint64_t purposeMax = 0;
        if (purpose == MemoryPurpose(StandardPurpose::VmHeap))
            purposeMax = m.limits->heapMax.bytes;
        else if (purpose == MemoryPurpose(StandardPurpose::ComponentStack))
            purposeMax = m.limits->stackMax.bytes;
        else if (purpose == MemoryPurpose(StandardPurpose::AssetCache))
            purposeMax = m.limits->cacheMax.bytes;
        if (purposeMax > 0) {
            const std::int64_t level = m.timeline.current().usage[purpose];
            const std::uint64_t levelU = level > 0 ? static_cast<std::uint64_t>(level) : 0;
            if (levelU + bytes > purposeMax || levelU + bytes < levelU)
                return makeError(MemoryErrorCode::LimitExceeded,
                                 "request of " + formatBytes(bytes) + " would bring " + purpose.displayName() + " to " +
                                     formatBytes(levelU + bytes) + ", above its limit " + formatBytes(purposeMax));
        }
    }
    if (m.info.totalBytes > 0 && after > m.info.totalBytes)
        return makeError(MemoryErrorCode::InsufficientMemory,
                         "request of " + formatBytes(bytes) + " does not fit: " +
                             formatBytes(m.info.totalBytes > used ? m.info.totalBytes - used : 0) + " available of " +
                             formatBytes(m.info.totalBytes));
    return {};
}

Result<void> SessionModel::setLimits(const MemoryLimits& limits, std::int64_t atMs)
{
    if (limits.softLimit.bytes > 0 && limits.hardLimit.bytes > 0 && limits.softLimit.bytes > limits.hardLimit.bytes) {
        const std::int64_t t = atMs == 0 && d->haveTime ? d->lastMs : d->advance(atMs);
        return d->fail(MemoryErrorCode::InvalidSize,
                       "soft limit " + formatBytes(limits.softLimit.bytes) + " is above the hard limit " +
                           formatBytes(limits.hardLimit.bytes),
                       {}, t);
    }
    recordLimits(limits, atMs);
    return {};
}

std::optional<MemoryLimits> SessionModel::limits() const { return d->limits; }

// --- now ---------------------------------------------------------------------

MemoryUsageSnapshot SessionModel::snapshot() const { return d->makeSnapshot(d->lastMs, usedBytes()); }
std::uint64_t SessionModel::usedBytes() const { return d->used(); }
std::uint64_t SessionModel::trackedBytes() const
{
    const auto t = d->timeline.current().tracked;
    return t > 0 ? static_cast<std::uint64_t>(t) : 0;
}
std::uint64_t SessionModel::untrackedBytes() const { return d->timeline.current().untracked; }
std::uint64_t SessionModel::peakBytes() const { return d->peak; }
PurposeUsage SessionModel::usage() const { return d->timeline.current().usage; }
MemoryPressure SessionModel::pressure() const
{
    return computePressure(usedBytes(), d->info.totalBytes, d->info.thresholds);
}
std::optional<MemoryPressure> SessionModel::reportedPressure() const
{
    return d->samples.empty() ? std::nullopt : d->samples.back().reportedPressure;
}
bool SessionModel::softLimitExceeded() const { return d->softEver; }
bool SessionModel::hardLimitExceeded() const { return d->hardEver; }
std::int64_t SessionModel::firstMs() const { return d->firstMs; }
std::int64_t SessionModel::lastMs() const { return d->lastMs; }

// --- any instant / range -----------------------------------------------------

PurposeUsage SessionModel::usageAt(std::int64_t t) const { return d->timeline.stateAt(t, d->allocs).usage; }
std::uint64_t SessionModel::usedAt(std::int64_t t) const { return d->timeline.stateAt(t, d->allocs).used(); }
MemoryPressure SessionModel::pressureAt(std::int64_t t) const
{
    return computePressure(usedAt(t), d->info.totalBytes, d->info.thresholds);
}
MemoryUsageSnapshot SessionModel::snapshotAt(std::int64_t t) const { return d->makeSnapshot(t, usedAt(t)); }

RangeSummary SessionModel::rangeSummary(std::int64_t fromMs, std::int64_t toMs) const
{
    const Impl& m = *d;
    if (toMs < fromMs)
        std::swap(fromMs, toMs);
    RangeSummary s;
    s.fromMs = fromMs;
    s.toMs = toMs;
    TimelineRange r = m.timeline.range(fromMs, toMs, m.allocs);
    s.atStart = r.start.usage;
    s.atEnd = r.end.usage;
    s.peakByPurpose = std::move(r.peakByPurpose);
    s.peakUsedBytes = r.peakUsed;
    s.peakUsedAtMs = r.peakUsedAt;
    if (toMs > fromMs) {
        const TimelineArea area = r.end.areaUntil(toMs) - r.start.areaUntil(fromMs);
        s.averageUsedBytes = static_cast<std::uint64_t>(area / (toMs - fromMs));
    } else {
        s.averageUsedBytes = r.start.used();
    }
    // Allocations are stored in time order (times are clamped to rise).
    auto byTime = [](const AllocationRecord& a, std::int64_t t) { return a.allocatedAt < t; };
    const auto lo = std::lower_bound(m.allocs.begin(), m.allocs.end(), fromMs, byTime);
    const auto hi = std::upper_bound(m.allocs.begin(), m.allocs.end(), toMs,
                                     [](std::int64_t t, const AllocationRecord& a) { return t < a.allocatedAt; });
    s.allocationsInRange = static_cast<std::uint64_t>(hi - lo);
    const std::uint64_t freesBefore =
        fromMs == std::numeric_limits<std::int64_t>::min() ? 0 : m.timeline.stateAt(fromMs - 1, m.allocs).frees;
    s.freesInRange = r.end.frees - freesBefore;
    return s;
}

// --- allocations -------------------------------------------------------------

std::vector<MemoryAllocation> SessionModel::listAllocations() const { return listAllocationsAt(d->lastMs); }

std::vector<MemoryAllocation> SessionModel::listAllocationsAt(std::int64_t t) const
{
    const Impl& m = *d;
    std::vector<MemoryAllocation> out;
    const auto end = std::upper_bound(m.allocs.begin(), m.allocs.end(), t,
                                      [](std::int64_t v, const AllocationRecord& a) { return v < a.allocatedAt; });
    for (auto it = m.allocs.begin(); it != end; ++it)
        if (it->freedAt > t)
            out.push_back(m.toAllocation(*it));
    return out;
}

std::size_t SessionModel::allocationCount() const { return d->allocs.size(); }

MemoryAllocation SessionModel::allocation(std::size_t index) const
{
    if (index >= d->allocs.size())
        return {};
    return d->toAllocation(d->allocs[index]);
}

const AllocationRecord& SessionModel::allocationRecord(std::size_t index) const
{
    return d->allocs[index];
}

// --- analytics ---------------------------------------------------------------

MemoryStats SessionModel::calculateMemoryStats() const
{
    const Impl& m = *d;
    MemoryStats s;
    // Freed allocations dropped by compactHistory count as made and freed.
    s.totalAllocations = m.allocs.size() + m.retention.allocationsDropped;
    s.freedAllocations = m.timeline.current().frees + m.retention.allocationsDropped;
    s.activeAllocations = s.totalAllocations - s.freedAllocations;
    s.currentBytes = usedBytes();
    s.trackedBytes = trackedBytes();
    s.peakBytes = m.peak;
    s.averageAllocationSize = s.totalAllocations == 0 ? 0 : m.allocatedBytesEver / s.totalAllocations;
    s.byPurpose = usage();
    s.fragmentationRatio = m.samples.empty() ? 0.0 : m.samples.back().fragmentationRatio;
    s.efficiencyRatio = s.currentBytes == 0
                            ? 1.0
                            : std::min(1.0, static_cast<double>(s.trackedBytes) / static_cast<double>(s.currentBytes));
    return s;
}

MemoryTrend SessionModel::getMemoryTrends(std::int64_t windowMs) const
{
    if (windowMs <= 0)
        windowMs = 1;
    return trendOver(std::max(d->lastMs - windowMs, d->firstMs), d->lastMs, windowMs); // nothing before the session
}

MemoryTrend SessionModel::getMemoryTrendsBetween(std::int64_t fromMs, std::int64_t toMs) const
{
    if (toMs < fromMs)
        std::swap(fromMs, toMs);
    fromMs = std::max(fromMs, d->firstMs);
    toMs = std::max(toMs, fromMs);
    return trendOver(fromMs, toMs, std::max<std::int64_t>(toMs - fromMs, 1));
}

MemoryTrend SessionModel::trendOver(std::int64_t start, std::int64_t end, std::int64_t windowMs) const
{
    const Impl& m = *d;
    MemoryTrend trend;
    std::vector<std::pair<double, double>> points; // (seconds from start, used)
    points.emplace_back(0.0, static_cast<double>(usedAt(start)));
    m.timeline.forEachUsed(start, end, m.allocs, [&](std::int64_t t, std::uint64_t used) {
        const double x = static_cast<double>(t - start) / 1000.0;
        if (points.back().first == x)
            points.back().second = static_cast<double>(used); // several events at one instant: keep the last
        else
            points.emplace_back(x, static_cast<double>(used));
    });
    const double spanX = static_cast<double>(end - start) / 1000.0;
    if (points.back().first < spanX) // the level held until the window's end is part of the series
        points.emplace_back(spanX, static_cast<double>(usedAt(end)));
    trend.samples = points.size();
    double windowMax = 0;
    for (const auto& p : points)
        windowMax = std::max(windowMax, p.second);
    trend.predictedPeakBytes = toUint64Clamped(windowMax);

    const double total = static_cast<double>(m.info.totalBytes);
    const double critical = m.info.thresholds.critical * total;
    const double usedNow = static_cast<double>(usedAt(end)); // "now" is the window's end
    auto untilCritical = [&](double slope) -> std::optional<double> {
        if (m.info.totalBytes == 0)
            return std::nullopt;
        if (usedNow >= critical)
            return 0.0;
        if (slope <= 0)
            return std::nullopt;
        return (critical - usedNow) / slope;
    };
    if (points.size() < 2) {
        trend.secondsUntilCritical = untilCritical(0.0);
        return trend;
    }
    // Time-weighted least squares: each point weighs the time around it (half the
    // gap to each neighbour), so a burst of events does not outweigh a long plateau.
    const std::size_t n = points.size();
    std::vector<double> w(n, 0.0);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double half = (points[i + 1].first - points[i].first) / 2.0;
        w[i] += half;
        w[i + 1] += half;
    }
    double sw = 0, mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sw += w[i];
        mx += w[i] * points[i].first;
        my += w[i] * points[i].second;
    }
    if (sw <= 0) {
        trend.secondsUntilCritical = untilCritical(0.0);
        return trend;
    }
    mx /= sw;
    my /= sw;
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += w[i] * (points[i].first - mx) * (points[i].first - mx);
        sxy += w[i] * (points[i].first - mx) * (points[i].second - my);
    }
    const double slope = sxx > 0 ? sxy / sxx : 0.0;
    const double intercept = my - slope * mx;
    double rss = 0, variation = 0, lo = points[0].second, hi = points[0].second;
    for (std::size_t i = 0; i < n; ++i) {
        const double r = points[i].second - (intercept + slope * points[i].first);
        rss += w[i] * r * r;
        if (i > 0)
            variation += std::abs(points[i].second - points[i - 1].second);
        lo = std::min(lo, points[i].second);
        hi = std::max(hi, points[i].second);
    }
    const double residualSpread = std::sqrt(rss / sw);
    const double spanSeconds = static_cast<double>(end - start) / 1000.0;
    const double windowSeconds = static_cast<double>(windowMs) / 1000.0;
    const double change = slope * spanSeconds;
    trend.slopeBytesPerSecond = slope;
    if (my > 0 && residualSpread > kTrendVolatileResidualRatio * my && variation > kTrendVolatileSwing * (hi - lo))
        trend.direction = TrendDirection::Volatile;
    else if (std::abs(change) <= kTrendStableChangeRatio * std::max(my, 1.0))
        trend.direction = TrendDirection::Stable;
    else
        trend.direction = slope > 0 ? TrendDirection::Increasing : TrendDirection::Decreasing;
    const double predicted = intercept + slope * (spanSeconds + windowSeconds);
    if (predicted > windowMax)
        trend.predictedPeakBytes = toUint64Clamped(predicted);
    trend.secondsUntilCritical = untilCritical(slope);
    return trend;
}

std::string SessionModel::generateMemoryReport() const
{
    const Impl& m = *d;
    const MemoryStats st = calculateMemoryStats();
    std::string out;
    auto line = [&](std::string_view label, const std::string& value) {
        out += "  ";
        out += label;
        if (label.size() < 22)
            out.append(22 - label.size(), ' ');
        out += value;
        out += '\n';
    };
    out += "Memory report: session " + m.info.sessionId;
    if (!m.info.label.empty())
        out += " (" + m.info.label + ")";
    out += '\n';
    line("Platform:", m.info.platform.empty() ? std::string("unknown") : m.info.platform);
    line("Time span:", formatTimeSpan(m.firstMs, m.lastMs) + (m.ended ? ", ended" : ""));
    line("Total:", m.info.totalBytes ? formatBytes(m.info.totalBytes) : std::string("unknown"));
    line("Used:", formatBytes(st.currentBytes) + " (" + percent(st.currentBytes, m.info.totalBytes) + ")");
    line("Available:",
         m.info.totalBytes ? formatBytes(m.info.totalBytes > st.currentBytes ? m.info.totalBytes - st.currentBytes : 0)
                           : std::string("unknown"));
    line("Peak:", formatBytes(st.peakBytes) + " (" + percent(st.peakBytes, m.info.totalBytes) + ")");
    line("Tracked:", formatBytes(st.trackedBytes));
    line("Untracked:", formatBytes(untrackedBytes()));
    std::string pressureText(toString(pressure()));
    if (auto rp = reportedPressure())
        pressureText += " (reported: " + std::string(toString(*rp)) + ")";
    line("Pressure:", pressureText);
    line("Allocations:", std::to_string(st.totalAllocations) + " total, " + std::to_string(st.activeAllocations) +
                             " active, " + std::to_string(st.freedAllocations) + " freed");
    line("Average allocation:", formatBytes(st.averageAllocationSize));
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
             formatSignedBytes(v) + " (" + percent(v > 0 ? static_cast<std::uint64_t>(v) : 0, st.currentBytes) +
                 " of used)");
    }
    if (!anyPurpose)
        out += "  (none)\n";
    if (m.limits) {
        out += "Limits:\n";
        auto lim = [&](std::string_view name, const MemorySize& s) {
            line(name, s.bytes ? formatBytes(s.bytes) : std::string("none"));
        };
        lim("heap max:", m.limits->heapMax);
        lim("stack max:", m.limits->stackMax);
        lim("cache max:", m.limits->cacheMax);
        lim("soft limit:", m.limits->softLimit);
        lim("hard limit:", m.limits->hardLimit);
        line("soft limit exceeded:", m.softEver ? "yes" : "no");
        line("hard limit exceeded:", m.hardEver ? "yes" : "no");
    }
    if (m.lastMs > m.firstMs) {
        const MemoryTrend t = getMemoryTrends(m.lastMs - m.firstMs);
        out += "Trend (whole session):\n";
        line("direction:", std::string(toString(t.direction)));
        line("slope:", formatSignedBytes(toInt64Clamped(t.slopeBytesPerSecond)) + "/s");
        line("predicted peak:", formatBytes(t.predictedPeakBytes));
        if (t.secondsUntilCritical) // as a duration, like the time span; seconds beyond what ms can hold
            line("until critical:", *t.secondsUntilCritical < 9.0e15
                                        ? formatDuration(static_cast<std::int64_t>(*t.secondsUntilCritical * 1000.0))
                                        : fmtDouble(*t.secondsUntilCritical, 1) + " s");
    }
    std::size_t opErrors = 0, reported = 0, crossings = 0, backwards = 0;
    for (const auto& e : m.events) {
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
    line("markers:", std::to_string(m.markers.size()));
    line("samples:", std::to_string(m.samples.size()));
    return out;
}

// --- events ------------------------------------------------------------------

const std::vector<SessionEvent>& SessionModel::events() const { return d->events; }
const std::vector<Marker>& SessionModel::markers() const { return d->markers; }
const std::vector<ReportedSample>& SessionModel::samples() const { return d->samples; }
std::vector<MemoryErrorCode> SessionModel::reportedErrorCodes() const
{
    std::vector<MemoryErrorCode> out;
    for (const auto& e : d->events)
        if (e.kind == SessionEventKind::ReportedError)
            out.push_back(e.error.code);
    return out;
}

void SessionModel::forEachUsedChange(std::int64_t from, std::int64_t to,
                                     const std::function<void(std::int64_t, std::uint64_t)>& f) const
{
    d->timeline.forEachUsed(from, to, d->allocs, f);
}

void SessionModel::forEachUsageChange(std::int64_t from, std::int64_t to,
                                      const std::function<void(std::int64_t, std::uint64_t, const PurposeUsage&)>& f) const
{
    d->timeline.forEachState(from, to, d->allocs,
                             [&f](std::int64_t t, const TimelineState& s) { f(t, s.used(), s.usage); });
}

std::size_t SessionModel::timelineEventCount() const
{
    return d->timeline.eventCount();
}

std::size_t SessionModel::memoryFootprint() const
{
    const Impl& m = *d;
    std::size_t bytes = sizeof(SessionModel) + sizeof(Impl);
    bytes += m.allocs.capacity() * sizeof(AllocationRecord);
    bytes += m.ids.capacity();
    bytes += m.table.footprint();
    bytes += m.timeline.footprint();
    bytes += m.pendingFrees.size() * sizeof(std::pair<std::int64_t, std::uint32_t>);
    bytes += m.partialIdKeys.size() * (sizeof(std::pair<const std::uint32_t, std::uint64_t>) + 2 * sizeof(void*));
    bytes += m.sampledPurposes.capacity() / 8;
    for (const auto& e : m.events)
        bytes += sizeof(SessionEvent) + e.error.message.capacity() + e.error.details.capacity();
    for (const auto& mk : m.markers)
        bytes += sizeof(Marker) + mk.label.capacity();
    bytes += m.samples.capacity() * sizeof(ReportedSample);
    return bytes;
}

} // namespace flight

// --- bounded memory ------------------------------------------------------------
// (the per-store steps are in session_compaction.h and timeline_compaction.cpp)

namespace flight {

CompactionResult SessionModel::compactHistory(const RetentionPolicy& policy, std::optional<std::int64_t> nowMs)
{
    Impl& m = *d;
    CompactionResult r;
    r.timelineEventsBefore = r.timelineEventsAfter = m.timeline.eventCount();
    r.fullDetailFromMs = m.retention.fullDetailFromMs;
    r.resolutionMs = m.retention.resolutionMs;
    if (!policy.enabled || !m.haveTime)
        return r;
    const std::int64_t now = std::max(nowMs.value_or(m.lastMs), m.lastMs);
    // Past the last event everything is history: compacted once, then left alone.
    const std::int64_t cutoff = std::min(now - std::max<std::int64_t>(0, policy.fullDetail.count()), m.lastMs + 1);
    if (cutoff <= m.firstMs || cutoff <= m.retention.fullDetailFromMs)
        return r;
    const std::int64_t resolution = policy.resolutionFor(cutoff - m.firstMs);

    std::size_t dropped = 0;
    const std::vector<std::uint32_t> newIndex = compaction::renumber(m.allocs, cutoff, dropped);
    m.timeline = m.timeline.compacted(cutoff, resolution, m.allocs, newIndex);
    compaction::keepAllocations(newIndex, m.allocs, m.ids, m.partialIdKeys);
    m.rebuildTable(std::max<std::size_t>(24, m.allocs.size() * 2));
    decltype(m.pendingFrees) pending;
    for (; !m.pendingFrees.empty(); m.pendingFrees.pop())
        pending.emplace(m.pendingFrees.top().first, newIndex[m.pendingFrees.top().second]);
    m.pendingFrees = std::move(pending);

    r.samplesDropped = compaction::keepLastPerBucket(m.samples, cutoff, resolution,
                                                     [](const ReportedSample& s) { return s.timeMs; });
    r.eventsDropped = compaction::keepNewest(m.events, cutoff, policy.maxHistoryEntries,
                                             [](const SessionEvent& e) { return e.timeMs; });
    r.markersDropped = compaction::keepNewest(m.markers, cutoff, policy.maxHistoryEntries,
                                              [](const Marker& mk) { return mk.timeMs; });
    r.compacted = true;
    r.allocationsDropped = dropped;
    r.fullDetailFromMs = cutoff;
    r.resolutionMs = resolution;
    r.timelineEventsAfter = m.timeline.eventCount();

    RetentionState& st = m.retention;
    st.fullDetailFromMs = cutoff;
    st.resolutionMs = resolution;
    st.allocationsDropped += dropped;
    st.samplesDropped += r.samplesDropped;
    st.eventsDropped += r.eventsDropped;
    st.markersDropped += r.markersDropped;
    ++st.compactions;
    return r;
}

const RetentionState& SessionModel::retention() const { return d->retention; }

SessionModel SessionModel::clone() const
{
    SessionModel copy(d->info);
    *copy.d = *d;
    return copy;
}

} // namespace flight
