// SPDX-License-Identifier: MIT
#include "protocol/window_export.h"

#include "protocol/session_store.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace flight::protocol {

namespace {

// One message of a session's window, before it is written: what and when.
struct Item {
    enum Kind : std::uint8_t { Free, Allocation, Sample, Marker, Error };
    std::int64_t t = 0;
    Kind kind = Free;
    std::size_t index = 0; // into the list of its kind
};

class SessionWindowWriter {
public:
    SessionWindowWriter(const SessionModel& model, std::int64_t from, RecordingWriter& writer)
        : m_model(model), m_from(from), m_writer(writer), m_sid(model.info().sessionId)
    {
    }

    Result<std::uint64_t> write()
    {
        collect();
        if (auto r = writeStart(); !r)
            return std::unexpected(r.error());
        std::stable_sort(m_items.begin(), m_items.end(), [](const Item& a, const Item& b) {
            return a.t != b.t ? a.t < b.t : a.kind < b.kind; // at one instant: frees, allocations, the rest
        });
        for (const Item& it : m_items)
            if (auto r = writeItem(it); !r)
                return std::unexpected(r.error());
        if (const auto ended = m_model.endedAt()) {
            if (auto r = put(SessionEndedMsg{m_sid, std::max(*ended, m_from)}); !r)
                return std::unexpected(r.error());
        }
        return m_written;
    }

private:
    void collect()
    {
        m_live = m_model.listAllocationsAt(m_from - 1);
        for (std::size_t i = 0; i < m_live.size(); ++i)
            if (m_live[i].freedAt && !freeLater(m_live[i]))
                m_items.push_back({*m_live[i].freedAt, Item::Free, i});
        for (std::size_t i = m_model.allocationCount(); i-- > 0;) {
            MemoryAllocation a = m_model.allocation(i);
            if (a.allocatedAt < m_from)
                break; // held in time order
            m_made.push_back(std::move(a));
        }
        std::reverse(m_made.begin(), m_made.end());
        for (std::size_t i = 0; i < m_made.size(); ++i) {
            m_items.push_back({m_made[i].allocatedAt, Item::Allocation, i});
            if (m_made[i].freedAt && *m_made[i].freedAt != m_made[i].allocatedAt && !freeLater(m_made[i]))
                m_items.push_back({*m_made[i].freedAt, Item::Free, m_live.size() + i});
        }
        const auto& samples = m_model.samples();
        for (std::size_t i = 0; i < samples.size(); ++i)
            if (samples[i].timeMs >= m_from)
                m_items.push_back({samples[i].timeMs, Item::Sample, i});
        const auto& markers = m_model.markers();
        for (std::size_t i = 0; i < markers.size(); ++i)
            if (markers[i].timeMs >= m_from)
                m_items.push_back({markers[i].timeMs, Item::Marker, i});
        const auto& events = m_model.events();
        for (std::size_t i = 0; i < events.size(); ++i)
            if (events[i].kind == SessionEventKind::ReportedError && events[i].timeMs >= m_from)
                m_items.push_back({events[i].timeMs, Item::Error, i});
    }

    // A free the producer announced for after the session's last instant
    // travels in the allocation message (as it came), not as a free of its own.
    bool freeLater(const MemoryAllocation& a) const { return a.freedAt && *a.freedAt > m_model.lastMs(); }

    Result<void> put(Payload payload, std::int64_t t)
    {
        Message m;
        m.payload = std::move(payload);
        if (auto r = m_writer.append(m, t); !r)
            return r;
        ++m_written;
        return {};
    }
    template <typename T> Result<void> put(const T& payload) { return put(Payload{payload}, timeOf(payload)); }
    static std::int64_t timeOf(const SessionEndedMsg& m) { return m.timestamp; }
    static std::int64_t timeOf(const SessionStartedMsg& m) { return m.timestamp; }

    Result<void> writeStart()
    {
        const SessionInfo& info = m_model.info();
        SessionStartedMsg s{m_sid, info.platform, info.label, std::nullopt, m_model.limits(), m_from};
        if (info.totalBytes)
            s.totalBytes = info.totalBytes;
        if (auto r = put(s); !r)
            return r;
        for (const MemoryAllocation& a : m_live) {
            m_allocated.at(a.purpose) += static_cast<std::int64_t>(a.size.bytes);
            const auto freedAt = freeLater(a) ? a.freedAt : std::nullopt;
            if (auto r = put(AllocationMsg{a.id, m_sid, a.size.bytes, a.purpose, m_from, freedAt}, m_from); !r)
                return r;
        }
        // Untracked bytes and purpose levels set by samples before the window.
        const std::int64_t before = m_from - 1;
        const PurposeUsage usage = m_model.usageAt(before);
        if (learnSampled(usage) || m_model.usedAt(before) > static_cast<std::uint64_t>(std::max<std::int64_t>(0, usage.total())))
            return writeSample(m_from, before, nullptr);
        return {};
    }

    // Purposes whose level is not the sum of their live allocations were set
    // by samples: from then on each sample written carries them.
    bool learnSampled(const PurposeUsage& usage)
    {
        const std::size_t n = std::max(usage.size(), m_allocated.size());
        if (m_sampled.size() < n)
            m_sampled.resize(n, false);
        bool any = false;
        for (std::size_t i = 0; i < n; ++i) {
            const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
            if (usage[p] != m_allocated[p])
                m_sampled[i] = true;
            any = any || m_sampled[i];
        }
        return any;
    }

    // A memory_update at `t` that leaves the loaded model as the source was at `stateAt`.
    Result<void> writeSample(std::int64_t t, std::int64_t stateAt, const ReportedSample* original)
    {
        const PurposeUsage usage = m_model.usageAt(stateAt);
        learnSampled(usage);
        std::vector<PurposeBytes> levels;
        for (std::size_t i = 0; i < m_sampled.size(); ++i)
            if (m_sampled[i]) {
                const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
                levels.push_back({p, static_cast<std::uint64_t>(std::max<std::int64_t>(0, usage[p]))});
                m_allocated.at(p) = usage[p]; // the level now includes its allocations
            }
        MemoryUpdateMsg u;
        u.form = MemoryUpdateMsg::Form::Snapshot;
        u.sessionId = m_sid;
        u.timestamp = t;
        u.usedBytes = m_model.usedAt(stateAt);
        if (original) {
            if (original->totalBytes)
                u.totalBytes = original->totalBytes;
            u.pressure = original->reportedPressure;
            if (original->fragmentationRatio != 0.0)
                u.fragmentationRatio = original->fragmentationRatio;
        }
        u.hasByPurpose = !levels.empty();
        u.byPurpose = levels;
        return put(Payload{u}, t);
    }

    Result<void> writeItem(const Item& it)
    {
        switch (it.kind) {
        case Item::Free: {
            const MemoryAllocation& a = it.index < m_live.size() ? m_live[it.index] : m_made[it.index - m_live.size()];
            m_allocated.at(a.purpose) -= static_cast<std::int64_t>(a.size.bytes);
            return put(FreeMsg{m_sid, a.id, it.t}, it.t);
        }
        case Item::Allocation: {
            const MemoryAllocation& a = m_made[it.index];
            std::optional<std::int64_t> freedAt;
            if (a.freedAt && (*a.freedAt == a.allocatedAt || freeLater(a)))
                freedAt = a.freedAt; // made and freed in one instant, or announced: one message
            else
                m_allocated.at(a.purpose) += static_cast<std::int64_t>(a.size.bytes);
            return put(AllocationMsg{a.id, m_sid, a.size.bytes, a.purpose, a.allocatedAt, freedAt}, it.t);
        }
        case Item::Sample: {
            // Several samples at one instant: the state after all of them is what counts.
            return writeSample(it.t, it.t, &m_model.samples()[it.index]);
        }
        case Item::Marker: {
            const Marker& mk = m_model.markers()[it.index];
            return put(MarkerMsg{m_sid, mk.timeMs, mk.label}, it.t);
        }
        case Item::Error: {
            const MemoryError& e = m_model.events()[it.index].error;
            return put(ErrorMsg{m_sid, e.code, e.message, e.details, it.t}, it.t);
        }
        }
        return {};
    }

    const SessionModel& m_model;
    std::int64_t m_from;
    RecordingWriter& m_writer;
    std::string_view m_sid;
    std::vector<MemoryAllocation> m_live; // live just before the window
    std::vector<MemoryAllocation> m_made; // made in the window
    std::vector<Item> m_items;
    PurposeUsage m_allocated;              // what the written messages add up to per purpose
    std::vector<bool> m_sampled;
    std::uint64_t m_written = 0;
};

} // namespace

Result<WindowExportSummary> exportRecentWindow(const SessionStore& store, std::chrono::milliseconds window,
                                               const std::string& path, RecordingWriterOptions options)
{
    WindowExportSummary summary;
    std::int64_t now = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < store.sessionCount(); ++i)
        now = std::max(now, store.session(i).lastMs());
    summary.toMs = now;
    summary.fromMs = now - window.count();
    if (options.source.empty())
        options.source = "flight-inspector: the last " + std::to_string(window.count() / 1000) + " s of a live session";
    auto writer = RecordingWriter::create(path, std::move(options));
    if (!writer)
        return std::unexpected(writer.error());
    std::int64_t earliest = std::numeric_limits<std::int64_t>::max();
    for (std::size_t i = 0; i < store.sessionCount() && store.sessionCount() > 0; ++i) {
        const SessionModel& m = store.session(i);
        if (m.lastMs() < summary.fromMs)
            continue; // nothing in the window
        std::int64_t from = std::max(summary.fromMs, m.firstMs());
        if (m.retention().fullDetailFromMs > from) {
            from = m.retention().fullDetailFromMs;
            summary.clamped = true;
        }
        auto written = SessionWindowWriter(m, from, *writer).write();
        if (!written)
            return std::unexpected(written.error());
        summary.messages += *written;
        ++summary.sessions;
        earliest = std::min(earliest, from);
    }
    if (summary.sessions > 0)
        summary.fromMs = earliest;
    if (auto r = writer->close(); !r)
        return std::unexpected(r.error());
    return summary;
}

} // namespace flight::protocol
