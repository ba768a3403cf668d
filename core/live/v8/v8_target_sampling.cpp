// SPDX-License-Identifier: MIT
// A V8 target session's sampling steps (see v8_target_session_impl.h): usage
// samples, the WebAssembly scan, full-GC markers and allocation records.
#include "live/v8/v8_target_session_impl.h"

#include "protocol/printable_text.h"

#include <QDateTime>
#include <QDebug>
#include <QJsonArray>
#include <QRandomGenerator>

#include <algorithm>

namespace flight::live {

using namespace flight::protocol;
using v8session::capped;
using v8session::kPurposes;

namespace {

// The GC observer's install, tried again while it throws (node starting: its
// require() of a half-loaded module), as require('v8') is.
constexpr int kGcObserverAttempts = 30;
constexpr std::chrono::milliseconds kGcObserverRetry{100};
constexpr std::chrono::milliseconds kGcObserverTimeout{10000};

} // namespace

void V8TargetSession::Impl::sample(std::function<void(const V8HeapSample&)> then)
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
        auto s = v8HeapSample(r->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toObject());
        if (!s)
            return end("the target's heap statistics were not understood");
        if (gcKey.isEmpty())
            return then(*s);
        // A program idle since its last GC hears of it only after this
        // sample ran (Node tells the observer in a setImmediate): asked again
        // now, it has, and the GC goes out before the sample, at its time.
        QJsonObject d{{QStringLiteral("expression"), v8GcObserverDrain(gcKey)},
                      {QStringLiteral("returnByValue"), true},
                      {QStringLiteral("silent"), true}};
        cdp->call(QStringLiteral("Runtime.evaluate"), d, [this, then, s = std::move(*s)](Result<QJsonObject> g) mutable {
            if (done)
                return;
            if (!g)
                return fail("reading the GC observer", g.error());
            appendV8GcEvents(g->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toArray(),
                             s.majorGcs);
            then(s);
        });
    });
}

void V8TargetSession::Impl::countSample(const QElapsedTimer& clock)
{
    const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    stats.maxSampleMs = std::max(stats.maxSampleMs, ms);
    stats.totalSampleMs += ms;
    ++stats.samples;
}

void V8TargetSession::Impl::samplePage(std::function<void(const V8HeapSample&)> then)
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

void V8TargetSession::Impl::scan(std::function<void()> then)
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

std::int64_t V8TargetSession::Impl::sampleTime(const V8HeapSample& s)
{
    return s.takenAt > 0 ? s.takenAt : QDateTime::currentMSecsSinceEpoch();
}

void V8TargetSession::Impl::holdGcs(const std::vector<V8GcEvent>& gcs)
{
    for (const V8GcEvent& gc : gcs) {
        ++stats.majorGcs;
        const bool ours = !gc.forcedByProgram && std::ranges::any_of(scanWindows, [&](const auto& w) {
            return gc.at >= w.first - 5 && gc.at <= w.second + 5;
        });
        const char* why = ours ? "forced by the agent's WebAssembly scan" : gc.forcedByProgram ? "the program's gc()" : nullptr;
        // Times never go backwards: a GC heard of after a later sample went
        // out is drawn at that sample, and says when it ran.
        const std::int64_t late = gc.at + 1 < lastTs ? lastTs - gc.at : 0;
        char text[160];
        if (late)
            std::snprintf(text, sizeof text, "full GC, %.1f ms (%s%sbegan %lld ms before this mark)", gc.durationMs,
                          why ? why : "", why ? "; " : "", static_cast<long long>(late));
        else if (why)
            std::snprintf(text, sizeof text, "full GC, %.1f ms (%s)", gc.durationMs, why);
        else
            std::snprintf(text, sizeof text, "full GC, %.1f ms", gc.durationMs);
        pendingMarkers.emplace_back(gc.at, text);
    }
}

void V8TargetSession::Impl::releaseGroup(const QString& group)
{
    cdp->call(QStringLiteral("Runtime.releaseObjectGroup"), {{QStringLiteral("objectGroup"), group}},
              [](Result<QJsonObject>) {});
}

void V8TargetSession::Impl::publish(const V8HeapSample& s, std::uint64_t listed)
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

void V8TargetSession::Impl::installGcObserver(int attempt)
{
    if (attempt == 0)
        gcKey = QStringLiteral("flight.gc.%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    QJsonObject p{{QStringLiteral("expression"), v8GcObserverInstall(gcKey)},
                  {QStringLiteral("includeCommandLineAPI"), true},
                  {QStringLiteral("returnByValue"), true},
                  {QStringLiteral("silent"), true}};
    ++stats.gcObserverAttempts;
    // Sent before the first sample on the same socket: that sample already
    // finds the observer when this attempt works. Sampling goes on either way.
    cdp->call(QStringLiteral("Runtime.evaluate"), p, [this, attempt](Result<QJsonObject> r) {
        if (done)
            return;
        std::string why;
        bool again = true;   // an install that throws or goes unanswered is tried again (it is idempotent)
        if (!r) {
            why = r.error().message;
        } else if (r->contains(QLatin1String("exceptionDetails"))) {
            const QJsonObject details = r->value(QLatin1String("exceptionDetails")).toObject();
            QString text = details.value(QLatin1String("exception")).toObject().value(QLatin1String("description")).toString();
            if (text.isEmpty())
                text = details.value(QLatin1String("text")).toString();
            why = "it threw " + text.section(QLatin1Char('\n'), 0, 0).left(300).toStdString();
        } else if (r->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toBool(false)) {
            stats.gcObserved = true;
            if (attempt > 0)
                qWarning("v8 target %s: GC observer in place at attempt %d", stats.sessionId.c_str(), attempt + 1);
            return;
        } else {
            why = "the target's global object would not keep it";
            again = false;
        }
        if (attempt == 0)
            qWarning("v8 target %s: GC observer not installed at the first attempt (%s)%s", stats.sessionId.c_str(),
                     printableText(why).c_str(), again ? "; trying again" : "");
        if (again && attempt + 1 < kGcObserverAttempts) {
            QTimer::singleShot(kGcObserverRetry, &timer, [this, attempt] {
                if (!done)
                    installGcObserver(attempt + 1);
            });
            return;
        }
        noGcMarkers(why);
    }, std::max(options.replyTimeout, kGcObserverTimeout));
}

void V8TargetSession::Impl::noGcMarkers(const std::string& why)
{
    // gcKey stays: an attempt that was only slow to answer may have put an
    // observer in place after all, and stop() removes it.
    const std::string text = capped("no full-GC markers: the agent could not install its GC observer in the target ("
                                    + why + ")");
    qWarning("v8 target %s: %s", stats.sessionId.c_str(), printableText(text).c_str());
    // Held like a console marker: it goes out with the next sample (right
    // after session_started if there was none yet), in time order.
    pendingMarkers.emplace_back(QDateTime::currentMSecsSinceEpoch(), text);
}

void V8TargetSession::Impl::startAllocationSampling()
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

void V8TargetSession::Impl::noAllocations(const std::string& why)
{
    // Usage is still sampled; only the allocation records are missing.
    qWarning("v8 target %s: no allocation sampling: %s", stats.sessionId.c_str(), printableText(why).c_str());
    if (started)
        marker(QDateTime::currentMSecsSinceEpoch(), capped("no allocation records: " + why));
}

bool V8TargetSession::Impl::allocationsDue() const
{
    return allocations && started && !done && sinceProfile.elapsed() >= options.allocationInterval.count();
}

void V8TargetSession::Impl::readAllocations(const V8HeapSample& s)
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

void V8TargetSession::Impl::sendAllocations(const V8AllocationChange& change, V8HeapSample s)
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

} // namespace flight::live
