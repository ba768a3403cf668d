// SPDX-License-Identifier: MIT
#include "fleet/prometheus_history.h"

#include "model/memory_purpose.h"
#include "protocol/message.h"

#include <QDateTime>
#include <QStringList>

#include <cmath>
#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace flight::fleet {
namespace {

// At most this many purposes per session are taken (the eight and a few
// custom ones); more would grow the process' purpose table for nothing.
constexpr std::size_t kMaxPurposesPerSession = 32;

QString escapeLabelValue(const QString& v)
{
    QString out = v;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    out.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    out.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return out;
}

std::optional<std::uint64_t> bytesOf(double v)
{
    if (!std::isfinite(v) || v < 0)
        return std::nullopt;
    if (v >= 9.2e18)
        return static_cast<std::uint64_t>(INT64_MAX);
    return static_cast<std::uint64_t>(std::llround(v));
}

struct Point {
    std::optional<std::uint64_t> used, total, soft, hard;
    bool ended = false;
    std::map<std::string, std::uint64_t> byPurpose;
};

struct SessionHistory {
    std::string platform;
    std::map<std::int64_t, Point> points;
};

using Key = std::pair<std::string, std::string>; // instance, session

} // namespace

QString historySelector(const HistoryRequest& request)
{
    QStringList m;
    if (!request.session.isEmpty())
        m << QStringLiteral("session=\"%1\"").arg(escapeLabelValue(request.session));
    if (!request.platform.isEmpty())
        m << QStringLiteral("platform=\"%1\"").arg(escapeLabelValue(request.platform));
    if (!request.instance.isEmpty())
        m << QStringLiteral("instance=\"%1\"").arg(escapeLabelValue(request.instance));
    return QLatin1Char('{') + m.join(QLatin1Char(',')) + QLatin1Char('}');
}

Result<History> loadHistory(const PrometheusClient& client, const HistoryRequest& request)
{
    History history;
    const std::int64_t endMs = request.endMs;
    const std::int64_t step = stepForPoints(request.startMs, endMs, request.maxPoints);
    history.stepSeconds = step;
    const QString sel = historySelector(request);
    const QString window = QStringLiteral("[%1s]").arg(step);
    std::map<Key, SessionHistory> sessions;

    const auto run = [&](const QString& fn, const char* metric, auto&& store) -> Result<void> {
        auto r = client.queryRange(QStringLiteral("%1(%2%3%4)").arg(fn, QLatin1String(metric), sel, window),
                                   request.startMs, endMs, step);
        if (!r)
            return std::unexpected(r.error());
        for (const PromSeries& s : *r) {
            const Key key{s.label("instance"), s.label("session")};
            if (key.second.empty())
                continue;
            SessionHistory& h = sessions[key];
            if (h.platform.empty())
                h.platform = s.label("platform");
            for (const PromSample& sample : s.samples)
                store(h, s, sample);
        }
        return {};
    };
    // used first: it says which sessions exist and at which points.
    if (auto r = run(QStringLiteral("max_over_time"), "flight_memory_used_bytes",
                     [](SessionHistory& h, const PromSeries&, const PromSample& p) { h.points[p.timeMs].used = bytesOf(p.value); });
        !r)
        return std::unexpected(r.error());
    if (sessions.empty()) {
        return makeError(MemoryErrorCode::MalformedInput,
                         QStringLiteral("Prometheus at %1 has no flight_memory_used_bytes%2 between %3 and %4: check "
                                        "the session id (the Fleet view lists them), --platform, --since, and that "
                                        "Prometheus scrapes the agent")
                             .arg(client.displayUrl(), sel,
                                  QDateTime::fromMSecsSinceEpoch(request.startMs).toString(Qt::ISODate),
                                  QDateTime::fromMSecsSinceEpoch(endMs).toString(Qt::ISODate))
                             .toStdString());
    }
    const auto onlyKnown = [&](SessionHistory& h, std::int64_t t) -> Point* {
        const auto it = h.points.find(t);
        return it == h.points.end() ? nullptr : &it->second;
    };
    auto purposes = run(QStringLiteral("max_over_time"), "flight_memory_purpose_bytes",
                        [&](SessionHistory& h, const PromSeries& s, const PromSample& p) {
                            Point* point = onlyKnown(h, p.timeMs);
                            const std::string purpose = s.label("purpose");
                            if (!point || purpose.empty())
                                return;
                            if (point->byPurpose.size() >= kMaxPurposesPerSession && !point->byPurpose.contains(purpose))
                                return;
                            if (const auto b = bytesOf(p.value))
                                point->byPurpose[purpose] = *b;
                        });
    if (!purposes)
        return std::unexpected(purposes.error());
    struct Field {
        const char* metric;
        std::optional<std::uint64_t> Point::* member;
    };
    for (const Field f : {Field{"flight_memory_total_bytes", &Point::total}, Field{"flight_memory_soft_limit_bytes", &Point::soft},
                          Field{"flight_memory_hard_limit_bytes", &Point::hard}}) {
        auto r = run(QStringLiteral("last_over_time"), f.metric,
                     [&](SessionHistory& h, const PromSeries&, const PromSample& p) {
                         if (Point* point = onlyKnown(h, p.timeMs))
                             point->*(f.member) = bytesOf(p.value);
                     });
        if (!r)
            return std::unexpected(r.error());
    }
    auto ended = run(QStringLiteral("last_over_time"), "flight_memory_session_ended",
                     [&](SessionHistory& h, const PromSeries&, const PromSample& p) {
                         if (Point* point = onlyKnown(h, p.timeMs))
                             point->ended = p.value >= 1;
                     });
    if (!ended)
        return std::unexpected(ended.error());

    // The messages a recording of these figures would hold, one store per agent.
    std::map<std::string, std::unique_ptr<protocol::SessionStore>> stores;
    for (auto& [key, h] : sessions) {
        auto& store = stores[key.first];
        if (!store)
            store = std::make_unique<protocol::SessionStore>();
        std::uint64_t line = store->messagesApplied();
        const Point& first = h.points.begin()->second;
        const std::int64_t firstMs = h.points.begin()->first;
        const auto limitsOf = [](const Point& p) -> std::optional<MemoryLimits> {
            if (!p.soft && !p.hard)
                return std::nullopt;
            MemoryLimits l;
            l.softLimit.bytes = p.soft.value_or(0);
            l.hardLimit.bytes = p.hard.value_or(0);
            return l;
        };
        protocol::SessionStartedMsg started;
        started.sessionId = key.second;
        started.platform = h.platform;
        started.totalBytes = first.total;
        started.limits = limitsOf(first);
        started.timestamp = firstMs;
        store->apply(protocol::Message{started, std::nullopt, std::nullopt}, ++line);
        std::optional<MemoryLimits> limits = started.limits;
        std::optional<std::int64_t> endedAt;
        for (const auto& [t, p] : h.points) {
            if (const auto l = limitsOf(p); l && l != limits) {
                protocol::LimitsMsg lm;
                lm.sessionId = key.second;
                lm.limits = *l;
                lm.timestamp = t;
                store->apply(protocol::Message{lm, std::nullopt, std::nullopt}, ++line);
                limits = l;
            }
            if (!p.used)
                continue;
            std::vector<protocol::PurposeBytes> list;
            std::uint64_t purposeSum = 0;
            for (const auto& [name, b] : p.byPurpose) {
                list.push_back({MemoryPurpose::fromName(name), b});
                purposeSum += std::min<std::uint64_t>(b, INT64_MAX / 64);
            }
            protocol::MemoryUpdateMsg u;
            u.sessionId = key.second;
            u.timestamp = t;
            // Each figure is its step's maximum: purposes that peaked at different
            // moments of a step can add up to more than used's maximum. Used is then
            // their sum (over by at most what the step hides, never under).
            u.usedBytes = std::max(*p.used, purposeSum);
            u.totalBytes = p.total;
            u.hasByPurpose = !list.empty();
            u.byPurpose = list;
            store->apply(protocol::Message{u, std::nullopt, std::nullopt}, ++line);
            if (p.ended && !endedAt)
                endedAt = t;
        }
        if (endedAt) {
            protocol::SessionEndedMsg e;
            e.sessionId = key.second;
            e.timestamp = h.points.rbegin()->first;
            store->apply(protocol::Message{e, std::nullopt, std::nullopt}, ++line);
        }
        ++history.sessions;
    }
    for (auto& [instance, store] : stores)
        history.sources.push_back({instance, std::move(store)});
    return history;
}

} // namespace flight::fleet
