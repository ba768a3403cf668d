// SPDX-License-Identifier: MIT
#include "generator/workload_generator.h"

#include "generator/xoshiro256.h"
#include "model/memory_pressure.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <vector>

namespace flight::generator {

namespace {

struct LiveBlock {
    std::uint64_t id = 0;
    std::uint64_t bytes = 0;
    MemoryPurpose purpose;
};

struct PendingFree {
    std::uint64_t dueIndex = 0;  // event index at which it is freed (or later)
    LiveBlock block;
};

std::uint64_t roundUp(std::uint64_t v, std::uint64_t to) { return (v + to - 1) / to * to; }

std::size_t defaultTypicalLive(const WorkloadProfile& p)
{
    if (p.platform == "dreamcast" || p.platform == "psp-1000")
        return 400;
    if (p.platform == "psp")
        return 800;
    if (p.platform == "vita")
        return 2000;
    if (p.platform == "v6r-medium")
        return 5000;
    if (p.platform == "v6r-large")
        return 8000;
    return 3000; // v6r-small, custom
}

} // namespace

struct WorkloadGenerator::Impl {
    WorkloadOptions options;
    WorkloadProfile profile;
    Xoshiro256 rng{0};

    protocol::Message msg;
    char idText[32] = {};
    std::size_t idLength = 0;

    std::uint64_t index = 0;          // messages produced so far
    std::int64_t now = 0;
    std::int64_t lastUpdate = 0;
    std::uint64_t nextId = 1;
    std::uint64_t used = 0;
    std::size_t nextMarker = 1;       // markers[0] is the boot marker
    std::uint64_t leakTarget = 0;
    std::uint64_t leakBytes = 0;
    std::uint64_t reservedLeft = 0;   // system-reserved blocks still to send
    std::uint64_t reservedBytes = 0;
    bool limitsLeft = false;
    bool bootLeft = true;
    double meanBytes = 0.0;
    unsigned weightSum = 0;

    std::vector<LiveBlock> pool;      // freeable, random pick
    std::deque<PendingFree> temps;    // temporary blocks, freed soon, FIFO
    WorkloadCounts counts;

    double progress() const
    {
        return options.events <= 1 ? 1.0
                                   : static_cast<double>(index) / static_cast<double>(options.events - 1);
    }

    std::string_view makeId(std::uint64_t n)
    {
        idText[0] = 'a';
        idText[1] = '-';
        auto r = std::to_chars(idText + 2, idText + sizeof idText, n);
        idLength = static_cast<std::size_t>(r.ptr - idText);
        return {idText, idLength};
    }

    void advanceTime()
    {
        const std::uint64_t r = rng.below(100);
        if (r < 55)
            now += rng.between(0, 2);
        else if (r < 97)
            now += rng.between(3, 40);
        else
            now += rng.between(100, 800);
    }

    void emitAllocation(const LiveBlock& b)
    {
        protocol::AllocationMsg a;
        a.id = makeId(b.id);
        a.sessionId = profile.sessionId;
        a.bytes = b.bytes;
        a.purpose = b.purpose;
        a.allocatedAt = now;
        msg.payload = a;
        used += b.bytes;
        ++counts.allocations;
    }

    void emitFree(const LiveBlock& b)
    {
        protocol::FreeMsg f;
        f.sessionId = profile.sessionId;
        f.allocationId = makeId(b.id);
        f.freedAt = now;
        msg.payload = f;
        used -= b.bytes;
        ++counts.frees;
    }

    void emitUpdate()
    {
        protocol::MemoryUpdateMsg u;
        u.form = protocol::MemoryUpdateMsg::Form::Snapshot;
        u.sessionId = profile.sessionId;
        u.timestamp = now;
        u.platform = profile.platform;
        u.usedBytes = used;
        u.totalBytes = profile.totalBytes;
        u.availableBytes = used < profile.totalBytes ? profile.totalBytes - used : 0;
        const double share = static_cast<double>(used) / static_cast<double>(profile.totalBytes);
        const int fragPercent = 2 + static_cast<int>(rng.below(8)) + static_cast<int>(share * 25.0);
        u.fragmentationRatio = fragPercent / 100.0;
        u.pressure = computePressure(used, profile.totalBytes);
        msg.payload = u;
        lastUpdate = now;
        ++counts.updates;
    }

    void emitMarker(std::string_view label)
    {
        msg.payload = protocol::MarkerMsg{profile.sessionId, now, label};
        ++counts.markers;
    }

    std::uint64_t sampleBytes(const PurposeWeight& w)
    {
        // base * 2^k * (1 + u), k in -2..1: spans /4..x4, mean 1.40625 * base
        const int k = static_cast<int>(rng.below(4)) - 2;
        const double scale = (k >= 0 ? double(1 << k) : 1.0 / double(1 << -k)) * (1.0 + rng.unit()) / 1.40625;
        double bytes = meanBytes * w.sizeFactor * scale;
        bytes = std::max(bytes, 16.0);
        auto b = static_cast<std::uint64_t>(bytes);
        switch (w.purpose) {
        case StandardPurpose::ComponentStack: { // power of two, at least 4 KiB
            std::uint64_t p = 4096;
            while (p < b)
                p <<= 1;
            return p;
        }
        case StandardPurpose::JitCodeCache:
        case StandardPurpose::WasmLinear:
            return roundUp(b, 4096);
        default:
            return roundUp(b, 16);
        }
    }

    const PurposeWeight& pickPurpose()
    {
        auto r = static_cast<unsigned>(rng.below(weightSum));
        for (const auto& w : profile.mix) {
            if (r < w.weight)
                return w;
            r -= w.weight;
        }
        return profile.mix.back();
    }

    void churn()
    {
        const double total = static_cast<double>(profile.totalBytes);
        const double target = profile.targetShare(progress()) * total;
        const double error = (target - static_cast<double>(used)) / total;
        const double pAlloc = std::clamp(0.5 + 30.0 * error, 0.08, 0.92);
        bool allocate = pool.empty() || rng.chance(pAlloc);
        if (allocate) {
            const PurposeWeight& w = pickPurpose();
            LiveBlock b{nextId, sampleBytes(w), MemoryPurpose(w.purpose)};
            const auto cap = static_cast<std::uint64_t>(total * 0.985);
            if (used + b.bytes > cap) {
                if (!pool.empty()) {
                    allocate = false;
                } else {
                    b.bytes = std::max<std::uint64_t>(16, cap > used ? (cap - used) / 2 / 16 * 16 : 16);
                }
            }
            if (allocate) {
                ++nextId;
                emitAllocation(b);
                if (w.purpose == StandardPurpose::Temporary) {
                    const std::uint64_t due = index + 1 + rng.below(12);
                    temps.push_back({std::max(due, temps.empty() ? due : temps.back().dueIndex), b});
                } else {
                    pool.push_back(b);
                }
                return;
            }
        }
        std::size_t at = rng.below(pool.size());
        if (pool[at].purpose == MemoryPurpose(StandardPurpose::VmHeap) && rng.chance(profile.vmHeapRetention))
            at = rng.below(pool.size()); // the heap keeps most of what it has: it grows
        const LiveBlock b = pool[at];
        pool[at] = pool.back();
        pool.pop_back();
        emitFree(b);
    }

    void step()
    {
        msg.seq = options.sequenceNumbers ? std::optional<std::uint64_t>(index + 1) : std::nullopt;
        msg.receivedAt.reset();
        if (index == 0) {
            protocol::SessionStartedMsg s;
            s.sessionId = profile.sessionId;
            s.platform = profile.platform;
            s.label = profile.label;
            s.totalBytes = profile.totalBytes;
            s.timestamp = now;
            msg.payload = s;
            ++counts.other;
            return;
        }
        advanceTime();
        if (index + 1 == options.events) {
            msg.payload = protocol::SessionEndedMsg{profile.sessionId, now};
            ++counts.other;
            return;
        }
        if (limitsLeft) {
            limitsLeft = false;
            const double t = static_cast<double>(profile.totalBytes);
            MemoryLimits l;
            l.heapMax.bytes = static_cast<std::uint64_t>(t * 0.60);
            l.stackMax.bytes = profile.totalBytes / 64;
            l.cacheMax.bytes = static_cast<std::uint64_t>(t * 0.25);
            l.softLimit.bytes = static_cast<std::uint64_t>(t * 0.85);
            l.hardLimit.bytes = static_cast<std::uint64_t>(t * 0.99);
            msg.payload = protocol::LimitsMsg{profile.sessionId, l, now};
            ++counts.other;
            return;
        }
        if (bootLeft) {
            bootLeft = false;
            emitMarker(profile.markers.front());
            lastUpdate = now;
            return;
        }
        if (reservedLeft > 0) {
            --reservedLeft;
            LiveBlock b{nextId++, std::max<std::uint64_t>(4096, reservedBytes / 4096 * 4096),
                        MemoryPurpose(StandardPurpose::SystemReserved)};
            emitAllocation(b); // never freed
            return;
        }
        if (!temps.empty() && temps.front().dueIndex <= index) {
            const LiveBlock b = temps.front().block;
            temps.pop_front();
            emitFree(b);
            return;
        }
        if (now - lastUpdate >= profile.updatePeriodMs) {
            emitUpdate();
            return;
        }
        if (nextMarker < profile.markers.size() && nextMarker < profile.curve.size()
            && progress() >= profile.curve[nextMarker].progress) {
            emitMarker(profile.markers[nextMarker]);
            ++nextMarker;
            return;
        }
        if (counts.leaked < leakTarget
            && static_cast<double>(counts.leaked) < progress() * static_cast<double>(leakTarget)) {
            LiveBlock b{nextId++, leakBytes, MemoryPurpose(StandardPurpose::VmHeap)};
            emitAllocation(b); // never freed: the slow leak
            ++counts.leaked;
            return;
        }
        churn();
    }
};

WorkloadGenerator::WorkloadGenerator() : d(std::make_unique<Impl>()) {}
WorkloadGenerator::WorkloadGenerator(WorkloadGenerator&&) noexcept = default;
WorkloadGenerator& WorkloadGenerator::operator=(WorkloadGenerator&&) noexcept = default;
WorkloadGenerator::~WorkloadGenerator() = default;

Result<WorkloadGenerator> WorkloadGenerator::create(WorkloadOptions options)
{
    if (options.events < kMinWorkloadEvents)
        return makeError(MemoryErrorCode::InvalidSize,
                         "a workload needs at least " + std::to_string(kMinWorkloadEvents) + " events, got "
                             + std::to_string(options.events));
    auto profile = WorkloadProfile::forPlatform(options.platform, options.totalBytes);
    if (!profile)
        return std::unexpected(profile.error());

    WorkloadGenerator g;
    Impl& s = *g.d;
    s.options = std::move(options);
    s.profile = std::move(*profile);
    s.rng = Xoshiro256(s.options.seed ^ 0x466c696768744d65ull); // "FlightMe"
    s.now = s.options.startMs;
    s.lastUpdate = s.now;
    s.limitsLeft = s.profile.sendLimits;
    s.reservedLeft = static_cast<std::uint64_t>(std::max(0, s.profile.systemReservedBlocks));
    if (s.reservedLeft > 0)
        s.reservedBytes = static_cast<std::uint64_t>(s.profile.systemReservedShare
                                                     * static_cast<double>(s.profile.totalBytes))
                        / s.reservedLeft;

    const std::uint64_t events = s.options.events;
    s.leakTarget = s.options.leakedAllocations.value_or(
        s.profile.leakShare > 0 ? events / (s.profile.platform == "custom" ? 200 : 100) : 0);
    s.leakTarget = std::min(s.leakTarget, events / 2);
    if (s.leakTarget > 0)
        s.leakBytes = std::max<std::uint64_t>(
            16, static_cast<std::uint64_t>(s.profile.leakShare * static_cast<double>(s.profile.totalBytes)
                                           / static_cast<double>(s.leakTarget))
                    / 16 * 16);

    std::size_t typical = s.options.typicalLiveAllocations;
    if (typical == 0)
        typical = std::min<std::size_t>(defaultTypicalLive(s.profile),
                                        std::max<std::uint64_t>(50, events / 20));
    double weighted = 0;
    for (const auto& w : s.profile.mix) {
        s.weightSum += w.weight;
        weighted += w.weight * w.sizeFactor;
    }
    const double avgFactor = weighted / s.weightSum;
    // churned share of total around the middle of the curve
    const double churnShare = std::max(0.1, 0.6 - s.profile.systemReservedShare - s.profile.leakShare / 2);
    s.meanBytes = churnShare * static_cast<double>(s.profile.totalBytes) / (static_cast<double>(typical) * avgFactor);
    s.pool.reserve(typical * 2);
    return g;
}

const protocol::Message* WorkloadGenerator::next()
{
    if (d->index >= d->options.events)
        return nullptr;
    d->step();
    ++d->index;
    return &d->msg;
}

bool WorkloadGenerator::finished() const { return d->index >= d->options.events; }
const WorkloadOptions& WorkloadGenerator::options() const { return d->options; }
const WorkloadProfile& WorkloadGenerator::profile() const { return d->profile; }
std::uint64_t WorkloadGenerator::produced() const { return d->index; }
std::int64_t WorkloadGenerator::nowMs() const { return d->now; }
std::uint64_t WorkloadGenerator::usedBytes() const { return d->used; }
std::size_t WorkloadGenerator::liveAllocations() const
{
    return d->pool.size() + d->temps.size() + d->counts.leaked + (static_cast<std::uint64_t>(d->profile.systemReservedBlocks) - d->reservedLeft);
}
const WorkloadCounts& WorkloadGenerator::counts() const { return d->counts; }

} // namespace flight::generator
