// SPDX-License-Identifier: MIT
#include "recording/usage_summary_builder.h"

#include "model/checked_bytes.h"
#include "model/id_hash.h"
#include "recording/live_allocation_table.h"

#include <algorithm>
#include <limits>
#include <queue>

namespace flight::recording {

namespace {
constexpr std::string_view kImplicitSession = "default"; // protocol::kImplicitSessionId (core/protocol stays unlinked here)

} // namespace

// One session's running state and its coarse pyramid: columns of `span`
// consecutive changes, each keeping its lowest and highest point; when
// kMaxSummaryColumns are full, neighbours merge and the span doubles.
struct UsageSummaryBuilder::Session {
    struct Column {
        SummaryPoint low, high;
    };
    struct PendingFree {
        std::int64_t at;
        std::uint64_t bytes;
        std::uint16_t purpose;
        bool operator>(const PendingFree& o) const { return at > o.at; }
    };

    SessionSummary out;
    LiveAllocationTable live; // by hashId of the id: two ids are the same when their hashes are
    std::priority_queue<PendingFree, std::vector<PendingFree>, std::greater<>> pending;
    SummaryPoint now;
    std::vector<std::int64_t> custom; // tracked bytes of custom purposes, by id - 8
    std::uint64_t untracked = 0;      // from the last sample
    std::vector<bool> sampled;        // purposes a sample has set, by id
    bool haveTime = false;
    std::vector<Column> columns;
    std::uint64_t span = 1, inColumn = 0;

    // In 128 bits: a producer's sizes may add past 2^63 (the model refuses such changes; so does this).
    WideBytes tracked() const
    {
        WideBytes sum = 0;
        for (const auto l : custom)
            sum += l;
        for (const auto l : now.levels)
            sum += l;
        return sum;
    }
    static constexpr WideBytes kMax = std::numeric_limits<std::int64_t>::max();
    // Whether levels, tracked and used stay within 2^63-1 after adding `delta` to `purpose` (as the model checks).
    bool fits(std::uint16_t purpose, WideBytes delta, std::uint64_t untrackedAfter)
    {
        const WideBytes lvl = static_cast<WideBytes>(level(purpose)) + delta;
        const WideBytes tr = tracked() + delta;
        return lvl <= kMax && lvl >= -kMax && tr <= kMax && tr >= -kMax && (tr > 0 ? tr : 0) + untrackedAfter <= kMax;
    }
    void changed(std::int64_t t)
    {
        now.timeMs = t;
        const WideBytes tr = tracked();
        now.usedBytes = static_cast<std::uint64_t>(std::min<WideBytes>((tr > 0 ? tr : 0) + untracked, kMax));
        ++out.changes;
        if (now.usedBytes > out.peakBytes || out.changes == 1) {
            out.peakBytes = now.usedBytes;
            out.peakAtMs = t;
        }
        if (inColumn == 0) {
            columns.push_back({now, now});
        } else {
            Column& c = columns.back();
            if (now.usedBytes < c.low.usedBytes)
                c.low = now;
            if (now.usedBytes > c.high.usedBytes)
                c.high = now;
        }
        if (++inColumn < span)
            return;
        inColumn = 0;
        if (columns.size() < kMaxSummaryColumns)
            return;
        for (std::size_t i = 0; i < columns.size() / 2; ++i) {
            const Column& a = columns[2 * i];
            const Column& b = columns[2 * i + 1];
            columns[i] = {b.low.usedBytes < a.low.usedBytes ? b.low : a.low, b.high.usedBytes > a.high.usedBytes ? b.high : a.high};
        }
        columns.resize(columns.size() / 2);
        span *= 2;
    }
    std::int64_t& level(std::uint16_t purpose)
    {
        if (purpose < now.levels.size())
            return now.levels[purpose];
        const std::size_t i = purpose - now.levels.size();
        if (i >= custom.size())
            custom.resize(i + 1, 0);
        return custom[i];
    }
    void level(std::uint16_t purpose, std::int64_t delta) { level(purpose) += delta; }
    // The model's clock: never backwards; frees an allocation's freedAt promised fall due first.
    std::int64_t advance(std::int64_t t)
    {
        if (!haveTime)
            haveTime = true;
        else
            t = std::max(t, now.timeMs);
        while (!pending.empty() && pending.top().at <= t) {
            const PendingFree f = pending.top();
            pending.pop();
            if (!fits(f.purpose, -static_cast<WideBytes>(f.bytes), untracked))
                continue; // the model keeps it live rather than wrap a level
            level(f.purpose, -static_cast<std::int64_t>(f.bytes));
            changed(std::max(f.at, now.timeMs));
        }
        now.timeMs = t;
        return t;
    }

    void allocation(const protocol::AllocationMsg& a)
    {
        const std::int64_t t = advance(a.allocatedAt);
        if (a.bytes == 0 || a.bytes > (std::uint64_t{1} << 63) - 1)
            return;
        if (!fits(a.purpose.id(), a.bytes, untracked))
            return;
        const std::uint64_t key = hashId(a.id);
        if (!a.freedAt && !live.insert(key, a.bytes, a.purpose.id()))
            return; // live already: the model refuses it
        level(a.purpose.id(), static_cast<std::int64_t>(a.bytes));
        changed(t);
        if (a.freedAt) {
            pending.push({std::max(*a.freedAt, t), a.bytes, a.purpose.id()});
            advance(t);
        }
    }
    void free(const protocol::FreeMsg& f)
    {
        const std::int64_t t = advance(f.freedAt);
        LiveAllocationTable::Slot* l = live.find(hashId(f.allocationId));
        if (!l || !fits(l->purpose, -static_cast<WideBytes>(l->bytes), untracked))
            return;
        level(l->purpose, -static_cast<std::int64_t>(l->bytes));
        live.erase(l);
        changed(t);
    }
    void sample(const protocol::MemoryUpdateMsg& u)
    {
        if (u.totalBytes && *u.totalBytes)
            out.totalBytes = *u.totalBytes;
        if (!u.platform.empty() && out.platform.empty())
            out.platform = std::string(u.platform);
        const std::uint64_t used = u.usedBytes.value_or(now.usedBytes);
        const std::int64_t t = advance(u.timestamp);
        if (used > static_cast<std::uint64_t>(kMax))
            return; // refused, as by the model
        if (u.hasByPurpose) {
            // As the model: every purpose given non-zero, and every one an earlier sample set, takes its level.
            std::vector<std::int64_t> given(std::max(sampled.size(), now.levels.size()), 0);
            for (const auto& pb : u.byPurpose) {
                if (pb.purpose.id() >= given.size())
                    given.resize(pb.purpose.id() + 1u, 0);
                given[pb.purpose.id()] = static_cast<std::int64_t>(pb.bytes);
            }
            WideBytes sum = 0;
            for (std::size_t i = 0; i < given.size(); ++i) {
                if (given[i] < 0)
                    return; // a size above 2^63-1: the model refuses the sample
                sum += given[i] != 0 || (i < sampled.size() && sampled[i]) ? given[i] : level(static_cast<std::uint16_t>(i));
            }
            for (std::size_t i = given.size(); i < now.levels.size() + custom.size(); ++i)
                sum += level(static_cast<std::uint16_t>(i));
            if (sum > kMax)
                return; // tracked past 2^63-1: refused
            if (sampled.size() < given.size())
                sampled.resize(given.size(), false);
            for (std::size_t i = 0; i < given.size(); ++i) {
                if (given[i] == 0 && !sampled[i])
                    continue;
                level(static_cast<std::uint16_t>(i)) = given[i];
                if (given[i] != 0)
                    sampled[i] = true;
            }
        }
        const WideBytes tr = tracked();
        const std::uint64_t trU = tr > 0 ? static_cast<std::uint64_t>(std::min(tr, kMax)) : 0;
        untracked = used > trU ? used - trU : 0;
        changed(t);
    }

    SessionSummary take() const
    {
        SessionSummary s = out;
        s.points.clear();
        const auto push = [&](const SummaryPoint& p) {
            if (s.points.empty() || !(s.points.back() == p))
                s.points.push_back(p);
        };
        for (const Column& c : columns) {
            const bool lowFirst = c.low.timeMs <= c.high.timeMs;
            push(lowFirst ? c.low : c.high);
            push(lowFirst ? c.high : c.low);
        }
        if (out.changes > 0)
            push(now);
        return s;
    }
};

UsageSummaryBuilder::UsageSummaryBuilder() = default;
UsageSummaryBuilder::~UsageSummaryBuilder() = default;

UsageSummaryBuilder::Session* UsageSummaryBuilder::resolve(std::string_view sid)
{
    if (sid.empty()) {
        if (m_sessions.empty())
            sid = kImplicitSession;
        else if (m_sessions.size() == 1)
            return m_sessions.front().get();
        else
            return m_sessions[m_anyStarted ? m_lastStarted : m_sessions.size() - 1].get();
    }
    if (m_last && sid == m_lastId)
        return m_last;
    Session* s = nullptr;
    if (const auto it = m_index.find(sid); it != m_index.end()) {
        s = m_sessions[it->second].get();
    } else if (m_sessions.size() >= kMaxSummarySessions) {
        return nullptr;
    } else {
        m_sessions.push_back(std::make_unique<Session>());
        s = m_sessions.back().get();
        s->out.sessionId = std::string(sid);
        m_index.emplace(std::string(sid), m_sessions.size() - 1);
    }
    m_lastId.assign(sid);
    m_last = s;
    return s;
}

void UsageSummaryBuilder::add(const protocol::Message& message)
{
    ++m_records;
    using namespace protocol;
    const Payload& p = message.payload;
    if (std::holds_alternative<RecordingHeaderMsg>(p) || std::holds_alternative<HelloMsg>(p))
        return;
    Session* s = resolve(message.sessionId());
    if (!s) {
        ++m_notSummarised;
        return;
    }
    if (const auto* a = std::get_if<AllocationMsg>(&p)) {
        s->allocation(*a);
    } else if (const auto* f = std::get_if<FreeMsg>(&p)) {
        s->free(*f);
    } else if (const auto* u = std::get_if<MemoryUpdateMsg>(&p)) {
        s->sample(*u);
    } else if (const auto* st = std::get_if<SessionStartedMsg>(&p)) {
        if (!st->platform.empty())
            s->out.platform = std::string(st->platform);
        if (st->totalBytes)
            s->out.totalBytes = *st->totalBytes;
        m_anyStarted = true;
        m_lastStarted = m_index.find(s->out.sessionId)->second;
    }
}

RecordingSummary UsageSummaryBuilder::summary() const
{
    RecordingSummary out;
    out.records = m_records;
    out.notSummarised = m_notSummarised;
    out.sessions.reserve(m_sessions.size());
    for (const auto& s : m_sessions)
        out.sessions.push_back(s->take());
    return out;
}

} // namespace flight::recording
