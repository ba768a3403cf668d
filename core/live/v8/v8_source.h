// SPDX-License-Identifier: MIT
#pragma once
// v8:HOST:PORT and v8:ws://...: live V8 isolates (Node.js, Chromium, Electron)
// through their inspector (Chrome DevTools Protocol), one session per target.
// Every interval each target is sampled with one Runtime.callFunctionOn on
// require('v8') (v8_heap_mapping.h has the purposes); WebAssembly.Memory
// objects are found with Runtime.queryObjects (which makes V8 collect garbage
// first), only when off-heap memory nobody accounts for has grown, at most
// every wasmScanGap, and followed through WeakRefs so they stay collectable.
// console messages whose first argument starts with "flight:" become markers,
// and so do the target's full garbage collections (a perf_hooks observer the
// source installs and removes). With samplingInterval, V8's sampling heap
// profiler runs in the target and its live samples are read every
// allocationInterval as allocation records (v8_allocation_sampler.h).
// Nothing pauses the target: no Debugger domain, no breakpoints. A target
// that exits, closes the socket or stops answering ends its session, with a
// marker saying why just before session_ended.

#include "live/sources/agent_source.h"
#include "live/v8/v8_discovery.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace flight::live {

struct V8SourceOptions {
    QString spec;                                   // for describe()
    std::vector<V8Target> targets;
    std::chrono::milliseconds interval{250};
    std::chrono::milliseconds replyTimeout{2000};   // a sampled target silent this long has "stopped answering" (attaching allows 10 s)
    std::chrono::milliseconds wasmScanGap{5000};
    std::string platform;                           // empty: chosen from heap_size_limit
    std::uint64_t samplingInterval = 0;             // bytes; 0 = no allocation records (32768 is V8's own default)
    std::chrono::milliseconds allocationInterval{1000};
    std::size_t maxLiveSamples = 20000;             // sampled allocations followed at once
};

struct V8TargetStats {
    std::string sessionId;
    std::uint64_t samples = 0;      // sample round trips answered
    std::uint64_t wasmScans = 0;
    double lastScanMs = 0;          // the scan's round trip, the target's GC included
    double maxSampleMs = 0;         // slowest sample round trip
    double totalSampleMs = 0;       // all sample round trips (mean = total / samples)
    std::uint64_t liveSamples = 0;  // sampled allocations live now
    std::uint64_t majorGcs = 0;     // full GCs seen (markers sent)
    // The GC observer: install attempts sent (a node still starting can throw
    // from require(); tried again then) and whether one was confirmed in place.
    // Without it there are no full-GC markers, and a marker says why.
    std::uint64_t gcObserverAttempts = 0;
    bool gcObserved = false;
    std::string endReason;          // empty while running
};

class V8Source final : public AgentSource {
public:
    static Result<std::unique_ptr<V8Source>> create(V8SourceOptions options);
    ~V8Source() override;

    QString describe() const override;
    void start(Sink sink) override;
    void stop() override;
    bool finished() const override;

    std::vector<V8TargetStats> stats() const;

private:
    explicit V8Source(V8SourceOptions options);
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
