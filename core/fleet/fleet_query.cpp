// SPDX-License-Identifier: MIT
#include "fleet/fleet_query.h"

#include "budgets/budget.h"
#include "budgets/budget_verdict.h"
#include "model/memory_purpose.h"

#include <QDateTime>

#include <cmath>
#include <map>
#include <utility>

namespace flight::fleet {
namespace {

using Key = std::pair<std::string, std::string>; // instance, session

std::uint64_t bytesOf(double v)
{
    if (!std::isfinite(v) || v < 0)
        return 0;
    return v >= 9.2e18 ? static_cast<std::uint64_t>(INT64_MAX) : static_cast<std::uint64_t>(std::llround(v));
}

QString platformMatcher(const QString& platform)
{
    if (platform.isEmpty())
        return {};
    QString v = platform;
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    v.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QStringLiteral("platform=\"%1\"").arg(v);
}

} // namespace

std::string_view toString(FleetVerdict v)
{
    switch (v) {
    case FleetVerdict::Fits: return "fits";
    case FleetVerdict::Over: return "over";
    case FleetVerdict::NoBudget: break;
    }
    return "no budget";
}

Result<FleetSnapshot> queryFleet(const PrometheusClient& client, const FleetQueryOptions& options)
{
    FleetSnapshot snap;
    snap.atMs = options.nowMs > 0 ? options.nowMs : QDateTime::currentMSecsSinceEpoch();
    const QString sel = QLatin1Char('{') + platformMatcher(options.platform) + QLatin1Char('}');
    const QString window = QStringLiteral("[%1s]").arg(std::max<std::int64_t>(1, options.windowMs / 1000));
    std::map<Key, FleetVm> rows;

    const auto instant = [&](const QString& promql, auto&& apply) -> Result<void> {
        auto r = client.query(promql, snap.atMs);
        if (!r)
            return std::unexpected(r.error());
        for (const PromSeries& s : *r) {
            if (s.samples.empty())
                continue;
            apply(s, s.samples.back().value);
        }
        return {};
    };
    const auto rowOf = [&](const PromSeries& s) -> FleetVm* {
        const auto it = rows.find({s.label("instance"), s.label("session")});
        return it == rows.end() ? nullptr : &it->second;
    };
    // Used now names the VMs; every other figure joins on (instance, session).
    if (auto r = instant(QStringLiteral("flight_memory_used_bytes") + sel, [&](const PromSeries& s, double v) {
            const std::string session = s.label("session");
            if (session.empty())
                return;
            FleetVm& vm = rows[{s.label("instance"), session}];
            vm.instance = s.label("instance");
            vm.session = session;
            vm.platform = s.label("platform");
            vm.agentInstance = s.labels.contains("exported_instance") ? s.label("exported_instance") : s.label("instance");
            vm.usedBytes = bytesOf(v);
        });
        !r)
        return std::unexpected(r.error());
    const auto figure = [&](const QString& promql, auto member) -> Result<void> {
        return instant(promql, [&](const PromSeries& s, double v) {
            if (FleetVm* vm = rowOf(s))
                member(*vm, v);
        });
    };
    if (auto r = figure(QStringLiteral("flight_memory_total_bytes") + sel, [](FleetVm& vm, double v) { vm.totalBytes = bytesOf(v); }); !r)
        return std::unexpected(r.error());
    if (auto r = figure(QStringLiteral("flight_memory_pressure_level") + sel,
                        [](FleetVm& vm, double v) { vm.pressureLevel = std::isfinite(v) ? static_cast<int>(v) : -1; });
        !r)
        return std::unexpected(r.error());
    if (auto r = figure(QStringLiteral("flight_memory_session_ended") + sel, [](FleetVm& vm, double v) { vm.ended = v >= 1; }); !r)
        return std::unexpected(r.error());
    // Time in critical: samples at level 3 every 5 s over the window (a subquery), times 5 s.
    const std::int64_t critStep = 5;
    if (auto r = figure(QStringLiteral("sum_over_time((flight_memory_pressure_level%1 >= bool 3)%2:%3s]) * %3")
                            .arg(sel, window.chopped(1))
                            .arg(critStep),
                        [](FleetVm& vm, double v) { vm.criticalSeconds = std::isfinite(v) ? v : 0; });
        !r)
        return std::unexpected(r.error());
    if (auto r = figure(QStringLiteral("max_over_time(flight_memory_used_bytes%1%2)").arg(sel, window),
                        [](FleetVm& vm, double v) { vm.peakBytes = bytesOf(v); });
        !r)
        return std::unexpected(r.error());
    // Each purpose's peak over the window, for the budget verdict.
    std::map<Key, PurposeUsage> purposePeaks;
    if (auto r = instant(QStringLiteral("max_over_time(flight_memory_purpose_bytes%1%2)").arg(sel, window),
                         [&](const PromSeries& s, double v) {
                             const auto p = MemoryPurpose::fromStandardName(s.label("purpose"));
                             if (p && rowOf(s))
                                 purposePeaks[{s.label("instance"), s.label("session")}].at(*p) =
                                     static_cast<std::int64_t>(bytesOf(v));
                         });
        !r)
        return std::unexpected(r.error());
    // The agents' WebSocket addresses, joined on the scrape target.
    std::map<std::string, std::string> websockets;
    if (auto r = instant(QStringLiteral("flight_agent_info"),
                         [&](const PromSeries& s, double) { websockets[s.label("instance")] = s.label("websocket"); });
        !r)
        return std::unexpected(r.error());
    // The sparkline: used bytes, the maximum of each step.
    const std::int64_t start = snap.atMs - options.sparklineWindowMs;
    const std::int64_t step = stepForPoints(start, snap.atMs, options.sparklinePoints);
    auto spark = client.queryRange(QStringLiteral("max_over_time(flight_memory_used_bytes%1[%2s])").arg(sel).arg(step),
                                   start, snap.atMs, step);
    if (!spark)
        return std::unexpected(spark.error());
    // One slot per step of the window, NaN where Prometheus has no sample (before the VM began).
    const auto slotCount = static_cast<std::size_t>((snap.atMs - start) / (step * 1000) + 1);
    for (const PromSeries& s : *spark)
        if (FleetVm* vm = rowOf(s)) {
            vm->sparkline.assign(slotCount, std::nan(""));
            for (const PromSample& p : s.samples) {
                const std::int64_t slot = (p.timeMs - start + step * 500) / (step * 1000);
                if (slot >= 0 && static_cast<std::size_t>(slot) < slotCount)
                    vm->sparkline[static_cast<std::size_t>(slot)] = p.value;
            }
        }

    for (auto& [key, vm] : rows) {
        if (const auto it = websockets.find(vm.instance); it != websockets.end())
            vm.websocket = it->second;
        SessionUsage usage;
        usage.totalBytes = vm.peakBytes;
        if (const auto it = purposePeaks.find(key); it != purposePeaks.end())
            usage.byPurpose = it->second;
        for (const Budget& b : builtinBudgets()) {
            if (QString::fromStdString(b.platform).compare(QString::fromStdString(vm.platform), Qt::CaseInsensitive) != 0)
                continue;
            const BudgetVerdict verdict = evaluateBudget(usage, b);
            if (vm.verdict == FleetVerdict::NoBudget || (!verdict.fits && vm.verdict == FleetVerdict::Fits)) {
                vm.verdict = verdict.fits ? FleetVerdict::Fits : FleetVerdict::Over;
                vm.verdictBudget = b.name;
            }
        }
        snap.vms.push_back(std::move(vm));
    }
    return snap;
}

} // namespace flight::fleet
