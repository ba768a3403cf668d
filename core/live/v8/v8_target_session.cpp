// SPDX-License-Identifier: MIT
// A V8 target's session: attaching, console markers, choosing the platform
// and ending; its sampling steps are in v8_target_sampling.cpp.
#include "live/v8/v8_target_session.h"
#include "live/v8/v8_target_session_impl.h"

#include "model/platform_profile.h"
#include "protocol/printable_text.h"
#include "protocol/string_caps.h"

#include <QDateTime>
#include <QDebug>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTimer>

#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <set>

namespace flight::live {

using namespace flight::protocol;
using v8session::capped;

namespace {

// Growth of unattributed off-heap memory that makes the source look for new
// WebAssembly memories (a scan costs the target a full GC).
constexpr std::uint64_t kScanThreshold = 1024 * 1024;
constexpr const char* kMarkerPrefix = "flight:";
constexpr int kRequireAttempts = 100;   // 10 s: node starting on a loaded machine
constexpr int kPageAfter = 10;   // a target of unknown type without require for 1 s is a page
// Console markers held between two samples (a program logging "flight:"
// faster than that loses the rest until the next sample).
constexpr std::size_t kMaxPendingMarkers = 1000;
constexpr std::chrono::milliseconds kRequireRetry{100};
// The first replies (Runtime.enable, require('v8')) may come late from a target
// busy starting up or running flat out; once sampling runs, replyTimeout says
// when it has stopped answering.
constexpr std::chrono::milliseconds kAttachTimeout{10000};

} // namespace

std::string v8session::capped(std::string_view text)
{
    const std::string p = printableText(text);
    return std::string(cutText(p, kMaxTextBytes));
}

void V8TargetSession::Impl::send(const Payload& p)
{
    if (!sink)
        return;
    Message m;
    m.payload = p;
    sink(m);
}

std::int64_t V8TargetSession::Impl::stamp(std::int64_t t)
{
    lastTs = std::max(lastTs, t);
    return lastTs;
}

void V8TargetSession::Impl::marker(std::int64_t ts, const std::string& text)
{
    MarkerMsg mk;
    mk.sessionId = stats.sessionId;
    mk.timestamp = stamp(ts);
    mk.label = text;
    send(mk);
}

void V8TargetSession::Impl::end(const std::string& reason)
{
    if (done)
        return;
    done = true;
    timer.stop();
    stats.endReason = reason;
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    // On the agent's stderr too: a target that fails before its first
    // sample has no session to carry the reason.
    qWarning("v8 target %s: %s%s", stats.sessionId.c_str(), started ? "session ended: " : "not sampled: ",
             printableText(reason).c_str());
    if (started) {
        flushMarkers();
        marker(now, capped("session ended: " + reason));
        send(SessionEndedMsg{stats.sessionId, stamp(now)});
    }
    if (cdp)
        cdp->close();
}

void V8TargetSession::Impl::fail(const std::string& what, const MemoryError& e)
{
    end(e.message.rfind("no reply", 0) == 0 ? "the target stopped answering (" + e.message + ")"
                                            : what + ": " + e.message);
}

void V8TargetSession::Impl::onOpened()
{
    cdp->call(QStringLiteral("Runtime.enable"), {}, [this](Result<QJsonObject> r) {
        if (!r)
            return fail("Runtime.enable", r.error());
        requireV8(0);
    }, std::max(options.replyTimeout, kAttachTimeout));
}

void V8TargetSession::Impl::requireV8(int attempt)
{
    QJsonObject p{{QStringLiteral("expression"), QStringLiteral("require('v8')")},
                  {QStringLiteral("includeCommandLineAPI"), true},
                  {QStringLiteral("objectGroup"), QStringLiteral("flight-v8")},
                  {QStringLiteral("silent"), true}};
    cdp->call(QStringLiteral("Runtime.evaluate"), p, [this, attempt](Result<QJsonObject> e) {
        if (!e)
            return fail("Runtime.evaluate", e.error());
        if (done)
            return;
        const QJsonObject exception = e->value(QLatin1String("exceptionDetails")).toObject().value(QLatin1String("exception")).toObject();
        v8Object = e->contains(QLatin1String("exceptionDetails"))
                       ? QString()
                       : e->value(QLatin1String("result")).toObject().value(QLatin1String("objectId")).toString();
        if (v8Object.isEmpty()) {
            const QString className = exception.value(QLatin1String("className")).toString();
            // No require: a page (Chromium, Electron) is sampled as one. A node
            // target just starting may not have it yet either: tried again first.
            const bool maybeNode = target.type.isEmpty() || target.type == QLatin1String("node");
            if (className == QLatin1String("ReferenceError") && (!maybeNode || (target.type.isEmpty() && attempt >= kPageAfter)))
                return startPage();
            if (exception.isEmpty())
                return end("the target did not answer require('v8') with an object");
            if (attempt < kRequireAttempts) {
                QTimer::singleShot(kRequireRetry, &timer, [this, attempt] { requireV8(attempt + 1); });
                return;
            }
            const QString first = exception.value(QLatin1String("description")).toString().section(QLatin1Char('\n'), 0, 0);
            return end(capped("require('v8') failed in the target for " + std::to_string(kRequireAttempts * kRequireRetry.count())
                              + " ms: " + first.left(300).toStdString()));
        }
        installGcObserver(0);
        startAllocationSampling();
        tick();
        timer.start();
    }, std::max(options.replyTimeout, kAttachTimeout));
}

void V8TargetSession::Impl::startPage()
{
    page = true;
    QJsonObject p{{QStringLiteral("expression"),
                   QStringLiteral("(globalThis.performance && performance.memory) ? performance.memory.jsHeapSizeLimit : 0")},
                  {QStringLiteral("returnByValue"), true},
                  {QStringLiteral("silent"), true}};
    cdp->call(QStringLiteral("Runtime.evaluate"), p, [this](Result<QJsonObject> e) {
        if (!e)
            return fail("Runtime.evaluate", e.error());
        const double limit = e->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toDouble(0);
        pageHeapLimit = limit > 0 && limit < 1.8e19 ? static_cast<std::uint64_t>(limit) : 0;
        scanned = true;   // nothing tells a page's WebAssembly memories apart
        startAllocationSampling();
        tick();
        timer.start();
    }, std::max(options.replyTimeout, kAttachTimeout));
}

void V8TargetSession::Impl::tick()
{
    if (done || busy || (v8Object.isEmpty() && !page))
        return;
    busy = true;
    if (consoleSeen) {
        // The inspector holds what console calls passed (group "console")
        // for a front end to expand; the agent never does, so let it go.
        consoleSeen = false;
        cdp->call(QStringLiteral("Runtime.releaseObjectGroup"), {{QStringLiteral("objectGroup"), QStringLiteral("console")}},
                  [](Result<QJsonObject>) {});
    }
    sample([this](const V8HeapSample& s) {
        const bool needScan = !scanned ? s.unexplainedExternal >= kScanThreshold
                                       : s.unexplainedExternal >= baseline.value_or(0) + kScanThreshold
                                             && sinceScan.elapsed() >= options.wasmScanGap.count();
        if (!needScan) {
            if (scanned)
                baseline = std::min(baseline.value_or(s.unexplainedExternal), s.unexplainedExternal);
            if (!allocationsDue()) {
                publish(s);
                busy = false;
                return;
            }
            readAllocations(s);
            return;
        }
        if (started)
            publish(s);
        scan([this, wasStarted = started] {
            // The first figures wait for the first scan, so that they
            // already hold the memories the program had before we came.
            sample([this, wasStarted](const V8HeapSample& again) {
                baseline = again.unexplainedExternal;
                if (!wasStarted)
                    publish(again);
                else
                    holdGcs(again.majorGcs);   // the scan's own GC among them
                busy = false;
            });
        });
    });
}

void V8TargetSession::Impl::flushMarkers()
{
    std::ranges::stable_sort(pendingMarkers, {}, [](const auto& m) { return m.first; });
    for (const auto& [ts, text] : pendingMarkers)
        marker(ts, text);
    pendingMarkers.clear();
}

void V8TargetSession::Impl::choosePlatform(std::uint64_t heapLimit)
{
    const PlatformCatalog& catalog = PlatformCatalog::builtin();
    const PlatformProfile* chosen = nullptr;
    if (!options.platform.empty()) {
        chosen = catalog.find(options.platform);
    } else {
        // The smallest platform whose memory holds the whole heap limit.
        for (const PlatformProfile& p : catalog.profiles())
            if (p.totalBytes >= heapLimit && (!chosen || p.totalBytes < chosen->totalBytes))
                chosen = &p;
    }
    platform = chosen ? chosen->id : "custom";
    total = chosen && chosen->totalBytes ? chosen->totalBytes : heapLimit;
}

void V8TargetSession::Impl::onEvent(const QString& method, const QJsonObject& params)
{
    if (done)
        return;
    if (method == QLatin1String("Runtime.consoleAPICalled")) {
        consoleSeen = true;
        const QJsonObject first = params.value(QLatin1String("args")).toArray().at(0).toObject();
        if (first.value(QLatin1String("type")).toString() != QLatin1String("string"))
            return;
        const QString text = first.value(QLatin1String("value")).toString();
        if (!text.startsWith(QLatin1String(kMarkerPrefix)))
            return;
        QString rest = text.mid(static_cast<qsizetype>(std::strlen(kMarkerPrefix))).trimmed();
        if (rest.isEmpty())
            rest = QString::fromLatin1(kMarkerPrefix);
        const double t = params.value(QLatin1String("timestamp")).toDouble(0);
        const std::int64_t ts = std::isfinite(t) && t > 0 && t < 1e15 ? static_cast<std::int64_t>(t)
                                                                       : QDateTime::currentMSecsSinceEpoch();
        const std::string label = capped(rest.left(kMaxTextBytes).toStdString());
        if (pendingMarkers.size() < kMaxPendingMarkers)
            pendingMarkers.emplace_back(ts, label);
    } else if (method == QLatin1String("Runtime.executionContextCreated")) {
        sawContext = true;
        contexts.insert(params.value(QLatin1String("context")).toObject().value(QLatin1String("id")).toInteger());
    } else if (method == QLatin1String("Runtime.executionContextDestroyed")) {
        contexts.erase(params.value(QLatin1String("executionContextId")).toInteger());
        // Node keeps a finished program alive while a client is attached
        // ("Waiting for the debugger to disconnect"): ending here lets it exit.
        // A page destroys its context when it navigates, and makes a new one.
        if (!page && sawContext && contexts.empty())
            end("the program finished (its JavaScript context was destroyed)");
    } else if (method == QLatin1String("Inspector.detached")) {
        end("the inspector detached the agent (" + capped(params.value(QLatin1String("reason")).toString().left(200).toStdString()) + ")");
    } else if (method == QLatin1String("Inspector.targetCrashed")) {
        end("the target crashed");
    }
}

V8TargetSession::V8TargetSession(V8Target target, const V8SourceOptions& options) : d(std::make_unique<Impl>())
{
    d->target = std::move(target);
    d->options = options;
    d->options.targets.clear();
    d->stats.sessionId = "v8-" + d->target.id.toStdString();
    std::string label = d->target.title.toStdString();
    if (!d->target.url.isEmpty() && d->target.url != d->target.title)
        label += (label.empty() ? "" : " · ") + d->target.url.toStdString();
    d->label = std::string(cutText(label.empty() ? d->stats.sessionId : label, kMaxTextBytes));
    d->timer.setInterval(std::max(options.interval, std::chrono::milliseconds(10)));
    QObject::connect(&d->timer, &QTimer::timeout, [this] { d->tick(); });
}

V8TargetSession::~V8TargetSession()
{
    d->timer.stop();
    d->cdp.reset();
}

void V8TargetSession::start(AgentSource::Sink sink)
{
    d->sink = std::move(sink);
    CdpClientOptions o;
    o.replyTimeout = d->options.replyTimeout;
    o.connectTimeout = std::max(d->options.replyTimeout, std::chrono::milliseconds(3000));
    d->cdp = std::make_unique<CdpClient>(o);
    QObject::connect(d->cdp.get(), &CdpClient::opened, [this] { d->onOpened(); });
    QObject::connect(d->cdp.get(), &CdpClient::event,
                     [this](const QString& m, const QJsonObject& p) { d->onEvent(m, p); });
    QObject::connect(d->cdp.get(), &CdpClient::closed, [this](const QString& reason) { d->end(reason.toStdString()); });
    d->cdp->open(d->target.webSocketUrl);
}

void V8TargetSession::stop()
{
    d->timer.stop();
    d->sink = nullptr;
    if (d->cdp && d->cdp->isOpen() && !d->done) {
        // Leave the program as it was: no observer, no profiler running. Sent
        // before the close frame on the same socket, so V8 reads them first.
        if (!d->gcKey.isEmpty())
            d->cdp->call(QStringLiteral("Runtime.evaluate"),
                         {{QStringLiteral("expression"), v8GcObserverRemove(d->gcKey)}, {QStringLiteral("silent"), true}},
                         [](Result<QJsonObject>) {});
        if (d->allocations)
            d->cdp->call(QStringLiteral("HeapProfiler.stopSampling"), {}, [](Result<QJsonObject>) {});
    }
    d->done = true;
    if (d->cdp)
        d->cdp->close();
}

bool V8TargetSession::finished() const
{
    return d->done;
}

const V8TargetStats& V8TargetSession::stats() const
{
    return d->stats;
}

} // namespace flight::live
