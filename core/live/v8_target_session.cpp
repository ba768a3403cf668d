// SPDX-License-Identifier: MIT
#include "live/v8_target_session.h"

#include "live/cdp_client.h"
#include "live/v8_allocation_sampler.h"
#include "live/v8_heap_mapping.h"
#include "model/platform_profile.h"
#include "protocol/printable_text.h"
#include "protocol/string_caps.h"

#include <QDateTime>
#include <QDebug>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTimer>

#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <set>

namespace flight::live {

using namespace flight::protocol;

namespace {

constexpr std::array kPurposes{StandardPurpose::VmHeap,         StandardPurpose::JitCodeCache,
                               StandardPurpose::SystemReserved, StandardPurpose::WasmLinear,
                               StandardPurpose::NetworkBuffers, StandardPurpose::Temporary};
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

std::string capped(std::string_view text)
{
    const std::string p = printableText(text);
    return std::string(cutText(p, kMaxTextBytes));
}

} // namespace

struct V8TargetSession::Impl {
    V8Target target;
    V8SourceOptions options;
    std::unique_ptr<CdpClient> cdp;
    QTimer timer;
    AgentSource::Sink sink;
    V8TargetStats stats;
    std::string label;
    std::string platform;
    std::uint64_t total = 0;
    QString v8Object;                   // require('v8') in group "flight-v8"
    QString weakMemories;               // WeakRef array in group "flight-wasm-N"
    int weakGeneration = 0;
    bool busy = false;
    bool started = false;
    bool done = false;
    bool released = false;              // Runtime.runIfWaitingForDebugger sent
    bool consoleSeen = false;
    bool sawContext = false;
    bool page = false;                  // no require('v8'): sampled with Runtime.getHeapUsage
    std::uint64_t pageHeapLimit = 0;
    std::set<qint64> contexts;
    // Console markers since the last sample: sent with the sample's GC
    // markers in time order, so that every message of the session is in order.
    std::vector<std::pair<std::int64_t, std::string>> pendingMarkers;
    std::int64_t lastTs = 0;            // the latest timestamp sent
    std::optional<std::uint64_t> baseline;   // unexplained external after the last scan
    bool scanned = false;
    QElapsedTimer sinceScan;
    std::vector<PurposeBytes> storage;
    QString gcKey;                      // Symbol.for(gcKey) holds this session's GC observer
    std::unique_ptr<V8AllocationSampler> allocations;   // set while the target samples for us
    bool toldNotFollowed = false;
    QElapsedTimer sinceProfile;
    std::vector<std::pair<std::int64_t, std::int64_t>> scanWindows;   // the agent's own forced GCs

    void send(const Payload& p)
    {
        if (!sink)
            return;
        Message m;
        m.payload = p;
        sink(m);
    }

    // Timestamps never go back within a session (the model would flag each):
    // a marker logged before the agent attached shows at the session's start.
    std::int64_t stamp(std::int64_t t)
    {
        lastTs = std::max(lastTs, t);
        return lastTs;
    }

    void marker(std::int64_t ts, const std::string& text)
    {
        MarkerMsg mk;
        mk.sessionId = stats.sessionId;
        mk.timestamp = stamp(ts);
        mk.label = text;
        send(mk);
    }

    void end(const std::string& reason)
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

    void fail(const std::string& what, const MemoryError& e)
    {
        end(e.message.rfind("no reply", 0) == 0 ? "the target stopped answering (" + e.message + ")"
                                                : what + ": " + e.message);
    }

    void onOpened()
    {
        cdp->call(QStringLiteral("Runtime.enable"), {}, [this](Result<QJsonObject> r) {
            if (!r)
                return fail("Runtime.enable", r.error());
            requireV8(0);
        });
    }

    // A node program the agent attaches to while node itself is still
    // starting can throw from require('v8') (its internal modules are half
    // loaded: "Class extends value undefined"); a moment later it works.
    // A target without require (a Chromium page) is not retried.
    void requireV8(int attempt)
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
            installGcObserver();
            startAllocationSampling();
            tick();
            timer.start();
        });
    }

    // A page (Chromium, an Electron renderer): fewer figures (v8PageSample),
    // no WebAssembly scan, no GC markers; allocation records and console
    // markers as for node.
    void startPage()
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
        });
    }

    void tick()
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

    void sample(std::function<void(const V8HeapSample&)> then)
    {
        if (page)
            return samplePage(std::move(then));
        QJsonObject p{{QStringLiteral("objectId"), v8Object},
                      {QStringLiteral("functionDeclaration"), QString::fromLatin1(v8SampleFunction())},
                      {QStringLiteral("returnByValue"), true},
                      {QStringLiteral("silent"), true}};
        QJsonObject weak;
        if (!weakMemories.isEmpty())
            weak.insert(QStringLiteral("objectId"), weakMemories);
        p.insert(QStringLiteral("arguments"), QJsonArray{weak, QJsonObject{{QStringLiteral("value"), gcKey}}});
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        cdp->call(QStringLiteral("Runtime.callFunctionOn"), p, [this, then = std::move(then), clock](Result<QJsonObject> r) {
            if (!r)
                return fail("sampling", r.error());
            countSample(*clock);
            const auto s = v8HeapSample(r->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toObject());
            if (!s)
                return end("the target's heap statistics were not understood");
            then(*s);
        });
    }

    // The sampling cost figures (stats): how long the target took to answer.
    void countSample(const QElapsedTimer& clock)
    {
        const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        stats.maxSampleMs = std::max(stats.maxSampleMs, ms);
        stats.totalSampleMs += ms;
        ++stats.samples;
    }

    void samplePage(std::function<void(const V8HeapSample&)> then)
    {
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        cdp->call(QStringLiteral("Runtime.getHeapUsage"), {}, [this, then = std::move(then), clock](Result<QJsonObject> r) {
            if (!r)
                return fail("sampling", r.error());
            countSample(*clock);
            const auto s = v8PageSample(*r, pageHeapLimit);
            if (!s)
                return end("the target's heap usage was not understood");
            then(*s);
        });
    }

    void scan(std::function<void()> then)
    {
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        const std::int64_t scanStart = QDateTime::currentMSecsSinceEpoch();
        const QString scanGroup = QStringLiteral("flight-scan");
        QJsonObject p{{QStringLiteral("expression"), QStringLiteral("WebAssembly.Memory.prototype")},
                      {QStringLiteral("objectGroup"), scanGroup},
                      {QStringLiteral("silent"), true}};
        cdp->call(QStringLiteral("Runtime.evaluate"), p, [=, this](Result<QJsonObject> proto) {
            if (!proto)
                return fail("looking for WebAssembly memories", proto.error());
            const QString protoId = proto->value(QLatin1String("result")).toObject().value(QLatin1String("objectId")).toString();
            if (protoId.isEmpty() || proto->contains(QLatin1String("exceptionDetails"))) {
                // No WebAssembly in this isolate (node --jitless): nothing to
                // find, now or later.
                releaseGroup(scanGroup);
                scanned = true;
                sinceScan.start();
                options.wasmScanGap = std::chrono::hours(24 * 365);
                then();
                return;
            }
            cdp->call(QStringLiteral("Runtime.queryObjects"),
                      {{QStringLiteral("prototypeObjectId"), protoId}, {QStringLiteral("objectGroup"), scanGroup}},
                      [=, this](Result<QJsonObject> found) {
                          if (!found)
                              return fail("Runtime.queryObjects", found.error());
                          const QString arrayId = found->value(QLatin1String("objects")).toObject().value(QLatin1String("objectId")).toString();
                          const QString group = QStringLiteral("flight-wasm-%1").arg(++weakGeneration);
                          QJsonObject w{{QStringLiteral("objectId"), arrayId},
                                        {QStringLiteral("functionDeclaration"),
                                         QStringLiteral("function () { return this.map(m => new WeakRef(m)); }")},
                                        {QStringLiteral("objectGroup"), group},
                                        {QStringLiteral("silent"), true}};
                          cdp->call(QStringLiteral("Runtime.callFunctionOn"), w, [=, this](Result<QJsonObject> weak) {
                              if (!weak)
                                  return fail("keeping WebAssembly memories", weak.error());
                              const QString old = weakMemories;
                              weakMemories = weak->value(QLatin1String("result")).toObject().value(QLatin1String("objectId")).toString();
                              // The scan's strong references go; the memories stay
                              // collectable (only WeakRefs to them are kept).
                              releaseGroup(scanGroup);
                              if (!old.isEmpty())
                                  releaseGroup(QStringLiteral("flight-wasm-%1").arg(weakGeneration - 1));
                              scanned = true;
                              sinceScan.start();
                              ++stats.wasmScans;
                              stats.lastScanMs = static_cast<double>(clock->nsecsElapsed()) / 1e6;
                              if (scanWindows.size() >= 16)
                                  scanWindows.erase(scanWindows.begin());
                              scanWindows.emplace_back(scanStart, QDateTime::currentMSecsSinceEpoch());
                              then();
                          }, std::max(options.replyTimeout, std::chrono::milliseconds(10000)));
                      },
                      std::max(options.replyTimeout, std::chrono::milliseconds(10000)));
        });
    }

    static std::int64_t sampleTime(const V8HeapSample& s)
    {
        return s.takenAt > 0 ? s.takenAt : QDateTime::currentMSecsSinceEpoch();
    }

    // A sample's full GCs join the console markers held for the next flush.
    void holdGcs(const std::vector<V8GcEvent>& gcs)
    {
        for (const V8GcEvent& gc : gcs) {
            ++stats.majorGcs;
            const bool ours = !gc.forcedByProgram && std::ranges::any_of(scanWindows, [&](const auto& w) {
                return gc.at >= w.first - 5 && gc.at <= w.second + 5;
            });
            char text[96];
            std::snprintf(text, sizeof text, "full GC, %.1f ms%s", gc.durationMs,
                          ours                   ? " (forced by the agent's WebAssembly scan)"
                          : gc.forcedByProgram ? " (the program's gc())"
                                                 : "");
            pendingMarkers.emplace_back(gc.at, text);
        }
    }

    // The markers held, in the order they happened.
    void flushMarkers()
    {
        std::ranges::stable_sort(pendingMarkers, {}, [](const auto& m) { return m.first; });
        for (const auto& [ts, text] : pendingMarkers)
            marker(ts, text);
        pendingMarkers.clear();
    }

    void releaseGroup(const QString& group)
    {
        cdp->call(QStringLiteral("Runtime.releaseObjectGroup"), {{QStringLiteral("objectGroup"), group}},
                  [](Result<QJsonObject>) {});
    }

    // `listed`: vm-heap bytes that allocation records sent right after this
    // update add back (see sendAllocations).
    void publish(const V8HeapSample& s, std::uint64_t listed = 0)
    {
        const std::int64_t now = sampleTime(s);
        if (!started) {
            started = true;
            choosePlatform(s.heapSizeLimit);
            SessionStartedMsg st;
            st.sessionId = stats.sessionId;
            st.platform = platform;
            st.label = label;
            st.totalBytes = total;
            MemoryLimits limits;
            limits.heapMax = MemorySize{s.heapSizeLimit};
            st.limits = limits;
            st.timestamp = stamp(now);
            send(st);
        }
        holdGcs(s.majorGcs);
        flushMarkers();
        MemorySample m = s.sample;
        m.totalBytes = total;
        const std::uint64_t held = std::min(listed, m.purpose(StandardPurpose::VmHeap));
        m.purpose(StandardPurpose::VmHeap) -= held;
        m.usedBytes -= held;
        if (sink)
            sink(memoryUpdateMessage(m, stats.sessionId, platform, stamp(now), kPurposes, storage));
        if (!released) {
            // A program that waits for a debugger (inspector.waitForDebugger(),
            // --inspect-wait) goes on once the first figures are out.
            released = true;
            cdp->call(QStringLiteral("Runtime.runIfWaitingForDebugger"), {}, [](Result<QJsonObject>) {});
        }
    }

    void installGcObserver()
    {
        gcKey = QStringLiteral("flight.gc.%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
        QJsonObject p{{QStringLiteral("expression"), v8GcObserverInstall(gcKey)},
                      {QStringLiteral("includeCommandLineAPI"), true},
                      {QStringLiteral("silent"), true}};
        // Without it (no perf_hooks) there are no GC markers; sampling goes on.
        cdp->call(QStringLiteral("Runtime.evaluate"), p, [](Result<QJsonObject>) {});
    }

    void startAllocationSampling()
    {
        if (options.samplingInterval == 0)
            return;
        cdp->call(QStringLiteral("HeapProfiler.enable"), {}, [this](Result<QJsonObject> r) {
            if (!r)
                return noAllocations(r.error().message);
            QJsonObject p{{QStringLiteral("samplingInterval"), static_cast<double>(options.samplingInterval)}};
            cdp->call(QStringLiteral("HeapProfiler.startSampling"), p, [this](Result<QJsonObject> started) {
                if (!started)
                    return noAllocations(started.error().message);
                allocations = std::make_unique<V8AllocationSampler>(options.maxLiveSamples);
                sinceProfile.start();
            });
        });
    }

    void noAllocations(const std::string& why)
    {
        // Usage is still sampled; only the allocation records are missing.
        qWarning("v8 target %s: no allocation sampling: %s", stats.sessionId.c_str(), printableText(why).c_str());
        if (started)
            marker(QDateTime::currentMSecsSinceEpoch(), capped("no allocation records: " + why));
    }

    bool allocationsDue() const
    {
        return allocations && started && !done && sinceProfile.elapsed() >= options.allocationInterval.count();
    }

    // Reads the live samples, then sends what changed around the usage
    // sample `s` taken just before: frees, the update, new allocations.
    void readAllocations(const V8HeapSample& s)
    {
        sinceProfile.start();
        cdp->call(QStringLiteral("HeapProfiler.getSamplingProfile"), {}, [this, s](Result<QJsonObject> r) {
            busy = false;
            if (!r)
                return fail("reading the sampling heap profile", r.error());
            auto change = allocations->apply(r->value(QLatin1String("profile")).toObject());
            if (!change) {
                allocations.reset();
                noAllocations(change.error().message);
                return publish(s);
            }
            sendAllocations(*change, s);
        }, std::max(options.replyTimeout, std::chrono::milliseconds(5000)));
    }

    // A memory_update sets vm-heap's level; an allocation adds to it. So that
    // the session never shows more than V8 has (a peak that never was), the
    // frees go first, the update then carries vm-heap less the bytes of the
    // allocations that follow it, and those bring it back to V8's figure.
    void sendAllocations(const V8AllocationChange& change, V8HeapSample s)
    {
        const std::int64_t now = sampleTime(s);
        holdGcs(s.majorGcs);
        s.majorGcs.clear();
        flushMarkers();
        for (const std::string& id : change.freed) {
            FreeMsg f;
            f.sessionId = stats.sessionId;
            f.allocationId = id;
            f.freedAt = stamp(now);
            send(f);
        }
        std::uint64_t listed = 0;
        for (const V8SampledAllocation& a : change.allocated)
            listed += a.bytes;
        publish(s, listed);
        for (const V8SampledAllocation& a : change.allocated) {
            AllocationMsg m;
            m.id = a.id;
            m.sessionId = stats.sessionId;
            m.bytes = a.bytes;
            m.purpose = MemoryPurpose(StandardPurpose::VmHeap);
            m.allocatedAt = stamp(now);
            send(m);
        }
        stats.liveSamples = allocations->liveCount();
        if (change.notFollowed > 0 && !toldNotFollowed) {
            toldNotFollowed = true;
            marker(now, "allocation sampling: over " + std::to_string(options.maxLiveSamples)
                            + " live samples; newer ones are not listed");
        }
    }

    void choosePlatform(std::uint64_t heapLimit)
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

    void onEvent(const QString& method, const QJsonObject& params)
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
};

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
