// SPDX-License-Identifier: MIT
#include "live/metrics/metrics_collector.h"

#include "model/memory_analytics.h"
#include "model/memory_purpose.h"
#include "model/retention_policy.h"
#include "model/session_model.h"
#include "protocol/session_store.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace flight::live {

namespace {

constexpr std::size_t kErrorCodes = static_cast<std::size_t>(MemoryErrorCode::IoError) + 1;
// Ids of sessions refused for the cap, remembered so each is counted once and
// its later messages are ignored; forgotten (all at once) past this many.
constexpr std::size_t kMaxOmittedIds = 65'536;
constexpr auto kCompactEvery = std::chrono::minutes(1);
constexpr std::size_t kCompactionsPerSweep = 8;

// Looks sessions up by the message's string_view, without a std::string per message.
struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

RetentionPolicy compactionPolicy()
{
    RetentionPolicy p;
    p.fullDetail = std::chrono::minutes(1);
    return p;
}

} // namespace

struct MetricsCollector::Impl {
    struct Session {
        std::string id;
        protocol::SessionStore store;
        std::optional<Clock::time_point> endedAt;
        std::array<std::uint64_t, kErrorCodes> errors{};
        std::vector<std::uint64_t> active; // live allocations by purpose id
        std::size_t eventsSeen = 0;
        std::uint64_t lines = 0;
        Clock::time_point compactedAt;
    };

    MetricsCollectorOptions options;
    std::vector<std::unique_ptr<Session>> sessions; // in the order they began
    std::unordered_map<std::string, Session*, IdHash, std::equal_to<>> index;
    std::unordered_set<std::string, IdHash, std::equal_to<>> omitted;
    std::uint64_t omittedCount = 0;
    std::uint64_t evictedCount = 0;

    void erase(Session* s)
    {
        index.erase(s->id);
        std::erase_if(sessions, [s](const auto& p) { return p.get() == s; });
    }

    Session* admit(std::string_view id, Clock::time_point now)
    {
        if (omitted.contains(id))
            return nullptr;
        if (sessions.size() >= options.maxSessions) {
            Session* first = nullptr;
            for (const auto& s : sessions)
                if (s->endedAt && (!first || *s->endedAt < *first->endedAt))
                    first = s.get();
            if (!first) {
                if (omitted.size() >= kMaxOmittedIds)
                    omitted.clear();
                omitted.emplace(id);
                ++omittedCount;
                return nullptr;
            }
            erase(first);
            ++evictedCount;
        }
        auto s = std::make_unique<Session>();
        s->id = std::string(id);
        s->compactedAt = now;
        Session* raw = s.get();
        index.emplace(raw->id, raw);
        sessions.push_back(std::move(s));
        return raw;
    }

    static SessionModel* model(Session& s)
    {
        return s.store.sessionCount() == 0 ? nullptr : &s.store.session(0);
    }

    static void countActive(Session& s, MemoryPurpose p, int delta)
    {
        if (s.active.size() <= p.id())
            s.active.resize(p.id() + 1, 0);
        if (delta > 0)
            ++s.active[p.id()];
        else if (s.active[p.id()] > 0)
            --s.active[p.id()];
    }

    void apply(Session& s, const protocol::Message& message, Clock::time_point now)
    {
        // What an allocation or a free changes tells whether the model took
        // it and, for a free, which purpose it was of (the model keeps the
        // allocation's purpose; the free message does not carry it).
        const SessionModel* before = model(s);
        const std::size_t allocationsBefore = before ? before->allocationCount() : 0;
        std::uint64_t freesBefore = 0;
        std::optional<PurposeUsage> usageBefore;
        if (before && message.as<protocol::FreeMsg>()) {
            freesBefore = MemoryAnalytics(*before).calculateMemoryStats().freedAllocations;
            usageBefore = before->usage();
        }

        s.store.apply(message, ++s.lines);

        SessionModel* after = model(s);
        if (!after)
            return;
        if (const auto* a = message.as<protocol::AllocationMsg>()) {
            if (after->allocationCount() == allocationsBefore + 1 && !a->freedAt)
                countActive(s, a->purpose, +1);
        } else if (usageBefore && MemoryAnalytics(*after).calculateMemoryStats().freedAllocations == freesBefore + 1) {
            // The freed allocation's purpose is the one whose level went down.
            const PurposeUsage usageAfter = after->usage();
            for (std::size_t i = 0; i < usageBefore->size(); ++i) {
                const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
                if (usageAfter[p] < (*usageBefore)[p]) {
                    countActive(s, p, -1);
                    break;
                }
            }
        } else if (message.as<protocol::SessionEndedMsg>() && !s.endedAt) {
            s.endedAt = now;
        }
        const auto& events = after->events();
        for (std::size_t i = s.eventsSeen; i < events.size(); ++i) {
            const SessionEvent& e = events[i];
            if (e.kind == SessionEventKind::OperationError || e.kind == SessionEventKind::ReportedError)
                ++s.errors[static_cast<std::size_t>(e.error.code) % kErrorCodes];
        }
        s.eventsSeen = events.size();
    }

    SessionMetrics figures(Session& s) const
    {
        SessionMetrics m;
        m.session = s.id;
        m.ended = s.endedAt.has_value();
        const SessionModel* model = Impl::model(s);
        if (!model)
            return m;
        const MemoryStats stats = MemoryAnalytics(*model).calculateMemoryStats();
        m.platform = model->info().platform;
        m.usedBytes = stats.currentBytes;
        m.totalBytes = model->info().totalBytes;
        m.peakBytes = stats.peakBytes;
        const std::size_t purposes = std::max(stats.byPurpose.size(), s.active.size());
        for (std::size_t i = 0; i < purposes; ++i) {
            const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
            const std::int64_t bytes = stats.byPurpose[p];
            const std::uint64_t active = i < s.active.size() ? s.active[i] : 0;
            // The eight standard purposes always (steady series); a custom one while it holds something.
            if (p.isCustom() && bytes <= 0 && active == 0)
                continue;
            m.purposes.push_back({std::string(p.name()), bytes > 0 ? static_cast<std::uint64_t>(bytes) : 0, active});
        }
        m.pressure = model->pressure();
        if (m.totalBytes) {
            // The least used that computePressure calls critical (it compares in long double).
            const long double edge = static_cast<long double>(model->info().thresholds.critical)
                                     * static_cast<long double>(m.totalBytes);
            m.criticalBytes = static_cast<std::uint64_t>(std::ceil(edge));
        }
        if (const auto limits = model->limits()) {
            if (limits->softLimit.bytes > 0)
                m.softLimitBytes = limits->softLimit.bytes;
            if (limits->hardLimit.bytes > 0)
                m.hardLimitBytes = limits->hardLimit.bytes;
        }
        for (std::size_t c = 0; c < kErrorCodes; ++c)
            if (s.errors[c] > 0)
                m.errors.push_back({static_cast<MemoryErrorCode>(c), s.errors[c]});
        m.allocations = stats.totalAllocations;
        m.frees = stats.freedAllocations;
        return m;
    }
};

MetricsCollector::MetricsCollector(MetricsCollectorOptions options) : d(std::make_unique<Impl>())
{
    d->options = options;
    d->options.maxSessions = std::max<std::size_t>(d->options.maxSessions, 1);
}

MetricsCollector::~MetricsCollector() = default;

void MetricsCollector::observe(const protocol::Message& message, Clock::time_point now)
{
    if (message.as<protocol::HelloMsg>() || message.as<protocol::RecordingHeaderMsg>())
        return;
    std::string_view id = message.sessionId();
    if (id.empty())
        id = "agent"; // as AgentServer files a message naming no session
    Impl::Session* s = nullptr;
    if (const auto it = d->index.find(id); it != d->index.end()) {
        s = it->second;
    } else {
        s = d->admit(id, now);
        if (!s) {
            if (message.as<protocol::SessionEndedMsg>())
                if (const auto it = d->omitted.find(id); it != d->omitted.end())
                    d->omitted.erase(it);
            return;
        }
    }
    d->apply(*s, message, now);
}

void MetricsCollector::sweep(Clock::time_point now)
{
    std::vector<Impl::Session*> expired;
    std::size_t compactions = 0;
    for (const auto& s : d->sessions) {
        if (s->endedAt && now - *s->endedAt >= d->options.endedRetention) {
            expired.push_back(s.get());
        } else if (compactions < kCompactionsPerSweep && now - s->compactedAt >= kCompactEvery) {
            s->compactedAt = now;
            ++compactions;
            s->store.compact(compactionPolicy());
            if (const SessionModel* m = Impl::model(*s))
                s->eventsSeen = m->events().size();
        }
    }
    for (Impl::Session* s : expired)
        d->erase(s);
}

AgentMetrics MetricsCollector::snapshot(Clock::time_point now)
{
    sweep(now);
    AgentMetrics m;
    m.sessionsOmitted = d->omittedCount;
    m.sessionsEvicted = d->evictedCount;
    m.sessions.reserve(d->sessions.size());
    for (const auto& s : d->sessions)
        m.sessions.push_back(d->figures(*s));
    return m;
}

std::size_t MetricsCollector::sessionCount() const
{
    return d->sessions.size();
}

std::uint64_t MetricsCollector::sessionsOmitted() const
{
    return d->omittedCount;
}

std::uint64_t MetricsCollector::sessionsEvicted() const
{
    return d->evictedCount;
}

namespace {

class TapSource final : public AgentSource {
public:
    TapSource(std::unique_ptr<AgentSource> inner, MetricsCollector& collector)
        : m_inner(std::move(inner)), m_collector(collector)
    {
    }
    QString describe() const override { return m_inner->describe(); }
    void start(Sink sink) override
    {
        m_inner->start([this, sink = std::move(sink)](const protocol::Message& message) {
            m_collector.observe(message);
            sink(message);
        });
    }
    void stop() override { m_inner->stop(); }
    bool finished() const override { return m_inner->finished(); }

private:
    std::unique_ptr<AgentSource> m_inner;
    MetricsCollector& m_collector;
};

} // namespace

std::unique_ptr<AgentSource> tapSource(std::unique_ptr<AgentSource> inner, MetricsCollector& collector)
{
    return std::make_unique<TapSource>(std::move(inner), collector);
}

} // namespace flight::live
