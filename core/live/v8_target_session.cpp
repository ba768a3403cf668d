// SPDX-License-Identifier: MIT
#include "live/v8_target_session.h"

#include "live/cdp_client.h"
#include "live/v8_heap_mapping.h"
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

namespace {

constexpr std::array kPurposes{StandardPurpose::VmHeap,         StandardPurpose::JitCodeCache,
                               StandardPurpose::SystemReserved, StandardPurpose::WasmLinear,
                               StandardPurpose::NetworkBuffers, StandardPurpose::Temporary};
// Growth of unattributed off-heap memory that makes the source look for new
// WebAssembly memories (a scan costs the target a full GC).
constexpr std::uint64_t kScanThreshold = 1024 * 1024;
constexpr const char* kMarkerPrefix = "flight:";

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
    std::set<qint64> contexts;
    std::vector<std::pair<std::int64_t, std::string>> pendingMarkers;
    std::optional<std::uint64_t> baseline;   // unexplained external after the last scan
    bool scanned = false;
    QElapsedTimer sinceScan;
    std::vector<PurposeBytes> storage;

    void send(const Payload& p)
    {
        if (!sink)
            return;
        Message m;
        m.payload = p;
        sink(m);
    }

    void marker(std::int64_t ts, const std::string& text)
    {
        MarkerMsg mk;
        mk.sessionId = stats.sessionId;
        mk.timestamp = ts;
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
            marker(now, capped("session ended: " + reason));
            send(SessionEndedMsg{stats.sessionId, now});
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
            QJsonObject p{{QStringLiteral("expression"), QStringLiteral("require('v8')")},
                          {QStringLiteral("includeCommandLineAPI"), true},
                          {QStringLiteral("objectGroup"), QStringLiteral("flight-v8")},
                          {QStringLiteral("silent"), true}};
            cdp->call(QStringLiteral("Runtime.evaluate"), p, [this](Result<QJsonObject> e) {
                if (!e)
                    return fail("Runtime.evaluate", e.error());
                v8Object = e->value(QLatin1String("result")).toObject().value(QLatin1String("objectId")).toString();
                if (v8Object.isEmpty() || e->contains(QLatin1String("exceptionDetails")))
                    return end("the target has no require('v8') (only Node.js targets are sampled)");
                tick();
                timer.start();
            });
        });
    }

    void tick()
    {
        if (done || busy || v8Object.isEmpty())
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
                publish(s);
                busy = false;
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
                    busy = false;
                });
            });
        });
    }

    void sample(std::function<void(const V8HeapSample&)> then)
    {
        QJsonObject p{{QStringLiteral("objectId"), v8Object},
                      {QStringLiteral("functionDeclaration"), QString::fromLatin1(v8SampleFunction())},
                      {QStringLiteral("returnByValue"), true},
                      {QStringLiteral("silent"), true}};
        if (!weakMemories.isEmpty())
            p.insert(QStringLiteral("arguments"), QJsonArray{QJsonObject{{QStringLiteral("objectId"), weakMemories}}});
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        cdp->call(QStringLiteral("Runtime.callFunctionOn"), p, [this, then = std::move(then), clock](Result<QJsonObject> r) {
            if (!r)
                return fail("sampling", r.error());
            const double ms = static_cast<double>(clock->nsecsElapsed()) / 1e6;
            stats.maxSampleMs = std::max(stats.maxSampleMs, ms);
            stats.totalSampleMs += ms;
            ++stats.samples;
            const auto s = v8HeapSample(r->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toObject());
            if (!s)
                return end("the target's heap statistics were not understood");
            then(*s);
        });
    }

    void scan(std::function<void()> then)
    {
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
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
                              then();
                          }, std::max(options.replyTimeout, std::chrono::milliseconds(10000)));
                      },
                      std::max(options.replyTimeout, std::chrono::milliseconds(10000)));
        });
    }

    void releaseGroup(const QString& group)
    {
        cdp->call(QStringLiteral("Runtime.releaseObjectGroup"), {{QStringLiteral("objectGroup"), group}},
                  [](Result<QJsonObject>) {});
    }

    void publish(const V8HeapSample& s)
    {
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
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
            st.timestamp = now;
            send(st);
            for (const auto& [ts, text] : pendingMarkers)
                marker(ts, text);
            pendingMarkers.clear();
        }
        MemorySample m = s.sample;
        m.totalBytes = total;
        if (sink)
            sink(memoryUpdateMessage(m, stats.sessionId, platform, now, kPurposes, storage));
        if (!released) {
            // A program that waits for a debugger (inspector.waitForDebugger(),
            // --inspect-wait) goes on once the first figures are out.
            released = true;
            cdp->call(QStringLiteral("Runtime.runIfWaitingForDebugger"), {}, [](Result<QJsonObject>) {});
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
            if (started)
                marker(ts, label);
            else if (pendingMarkers.size() < 1000)
                pendingMarkers.emplace_back(ts, label);
        } else if (method == QLatin1String("Runtime.executionContextCreated")) {
            sawContext = true;
            contexts.insert(params.value(QLatin1String("context")).toObject().value(QLatin1String("id")).toInteger());
        } else if (method == QLatin1String("Runtime.executionContextDestroyed")) {
            contexts.erase(params.value(QLatin1String("executionContextId")).toInteger());
            // Node keeps a finished program alive while a client is attached
            // ("Waiting for the debugger to disconnect"): ending here lets it exit.
            if (sawContext && contexts.empty())
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
