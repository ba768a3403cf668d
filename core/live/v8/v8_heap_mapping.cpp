// SPDX-License-Identifier: MIT
#include "live/v8/v8_heap_mapping.h"

#include <QJsonArray>

namespace flight::live {

const char* v8SampleFunction()
{
    // Reads only: no allocation beyond the small result, no GC forced.
    return "function (w, k) {"
           "  const h = this.getHeapStatistics(), m = process.memoryUsage();"
           "  const spaces = this.getHeapSpaceStatistics().map(s => [s.space_name, s.space_used_size]);"
           "  let wasm = 0, n = 0;"
           "  if (w) for (const r of w) { const x = r.deref(); if (x) { wasm += x.buffer.byteLength; n++; } }"
           "  const g = k && globalThis[Symbol.for(k)];"
           "  const gc = g && g.drain ? g.drain() : [];"
           "  return { at: Date.now(), spaces, limit: h.heap_size_limit, malloced: h.malloced_memory,"
           "           external: m.external, arrayBuffers: m.arrayBuffers, wasm, wasmCount: n, gc };"
           "}";
}

QString v8GcObserverInstall(const QString& key)
{
    // Node's perf_hooks report every GC after it ran; only full (major) ones
    // are kept, at most kMaxGcEvents between two samples, so a program the
    // agent left (or that was never sampled again) holds a bounded array. The
    // flags tell gc() (FORCED) from the collections Runtime.queryObjects runs
    // (no flag), which may overlap in time. Times are put on Date.now()'s
    // clock, as console messages and samples are: performance.timeOrigin can
    // be tens of ms off it (read at start-up, on a busy machine), which put a
    // gc() after the console message logged once it had returned.
    // drain() also takes what the observer holds but has not been called
    // with yet (Node calls it from a later setImmediate). true once it is in
    // place; false when the global object would not keep it (frozen).
    return QStringLiteral(
               "(() => { const k = Symbol.for('%1'); if (globalThis[k]) return true;"
               "  const { PerformanceObserver, constants, performance } = require('perf_hooks');"
               "  const events = [];"
               "  const collect = list => {"
               "    const skew = Date.now() - (performance.timeOrigin + performance.now());"
               "    for (const e of list) {"
               "      const kind = e.detail ? e.detail.kind : e.kind;"
               "      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR && events.length < %2)"
               "        events.push([performance.timeOrigin + e.startTime + skew, e.duration,"
               "                     (e.detail ? e.detail.flags : e.flags) & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED ? 1 : 0]);"
               "    }"
               "  };"
               "  const observer = new PerformanceObserver(list => collect(list.getEntries()));"
               "  observer.observe({ entryTypes: ['gc'] });"
               "  const drain = () => { collect(observer.takeRecords()); return events.splice(0); };"
               "  globalThis[k] = { events, observer, drain };"
               "  if (globalThis[k]) return true;"
               "  observer.disconnect(); return false; })()")
        .arg(key)
        .arg(kMaxGcEvents);
}

QString v8GcObserverDrain(const QString& key)
{
    return QStringLiteral("(() => { const g = globalThis[Symbol.for('%1')]; return g && g.drain ? g.drain() : []; })()")
        .arg(key);
}

QString v8GcObserverRemove(const QString& key)
{
    return QStringLiteral("(() => { const k = Symbol.for('%1'); const g = globalThis[k];"
                          "  if (g) { g.observer.disconnect(); delete globalThis[k]; } })()")
        .arg(key);
}

namespace {

std::uint64_t bytes(const QJsonValue& v)
{
    const double d = v.toDouble(0.0);
    return d > 0 && d < 1.8e19 ? static_cast<std::uint64_t>(d) : 0;
}

StandardPurpose spacePurpose(const QString& name)
{
    if (name.contains(QLatin1String("code")))
        return StandardPurpose::JitCodeCache;
    if (name.startsWith(QLatin1String("read_only")) || name.startsWith(QLatin1String("map"))
        || name.startsWith(QLatin1String("shared")))
        return StandardPurpose::SystemReserved;
    return StandardPurpose::VmHeap;
}

} // namespace

void appendV8GcEvents(const QJsonArray& triples, std::vector<V8GcEvent>& into)
{
    for (const QJsonValue& e : triples) {
        const QJsonArray pair = e.toArray();
        const double at = pair.at(0).toDouble(-1), ms = pair.at(1).toDouble(-1);
        if (into.size() < kMaxGcEvents && at > 0 && at < 1e15 && ms >= 0 && ms < 1e9)
            into.push_back({static_cast<std::int64_t>(at), ms, pair.at(2).toInt(0) == 1});
    }
}

std::optional<V8HeapSample> v8HeapSample(const QJsonObject& value)
{
    const QJsonValue spaces = value.value(QLatin1String("spaces"));
    if (!spaces.isArray() || !value.value(QLatin1String("limit")).isDouble())
        return std::nullopt;
    V8HeapSample s;
    MemorySample& m = s.sample;
    for (const QJsonValue& e : spaces.toArray()) {
        const QJsonArray pair = e.toArray();
        if (pair.size() != 2)
            return std::nullopt;
        m.purpose(spacePurpose(pair.at(0).toString())) += bytes(pair.at(1));
    }
    m.purpose(StandardPurpose::SystemReserved) += bytes(value.value(QLatin1String("malloced")));
    s.heapSizeLimit = bytes(value.value(QLatin1String("limit")));
    const double at = value.value(QLatin1String("at")).toDouble(0);
    s.takenAt = at > 0 && at < 1e15 ? static_cast<std::int64_t>(at) : 0;
    s.external = bytes(value.value(QLatin1String("external")));
    s.arrayBuffers = bytes(value.value(QLatin1String("arrayBuffers")));
    s.wasmBytes = bytes(value.value(QLatin1String("wasm")));
    s.wasmMemories = bytes(value.value(QLatin1String("wasmCount")));
    const std::uint64_t explained = s.arrayBuffers + s.wasmBytes;
    s.unexplainedExternal = s.external > explained ? s.external - explained : 0;
    m.purpose(StandardPurpose::WasmLinear) = s.wasmBytes;
    m.purpose(StandardPurpose::NetworkBuffers) = s.arrayBuffers;
    m.purpose(StandardPurpose::Temporary) = s.unexplainedExternal;
    appendV8GcEvents(value.value(QLatin1String("gc")).toArray(), s.majorGcs);
    for (std::uint64_t b : m.byPurpose)
        m.usedBytes += b;
    return s;
}

std::optional<V8HeapSample> v8PageSample(const QJsonObject& heapUsage, std::uint64_t heapLimit)
{
    if (!heapUsage.value(QLatin1String("usedSize")).isDouble())
        return std::nullopt;
    V8HeapSample s;
    MemorySample& m = s.sample;
    m.purpose(StandardPurpose::VmHeap) = bytes(heapUsage.value(QLatin1String("usedSize")))
                                       + bytes(heapUsage.value(QLatin1String("embedderHeapUsedSize")));
    m.purpose(StandardPurpose::NetworkBuffers) = bytes(heapUsage.value(QLatin1String("backingStorageSize")));
    for (std::uint64_t b : m.byPurpose)
        m.usedBytes += b;
    s.heapSizeLimit = heapLimit ? heapLimit : bytes(heapUsage.value(QLatin1String("totalSize")));
    s.arrayBuffers = m.purpose(StandardPurpose::NetworkBuffers);
    return s;
}

} // namespace flight::live
