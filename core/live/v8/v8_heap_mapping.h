// SPDX-License-Identifier: MIT
#pragma once
// How one sample of a V8 isolate (heap spaces, heap statistics and Node's
// process.memoryUsage(), as the v8 source's sampling function returns them)
// maps to Flight purposes (docs/live-sources.md, "v8:"):
//   code spaces                                  -> jit-code-cache
//   read-only, map and shared spaces, V8 malloc  -> system-reserved
//   every other space (new, old, large objects)  -> vm-heap
//   WebAssembly.Memory buffers found             -> wasm-linear
//   ArrayBuffers (Node's Buffers: I/O)           -> network-buffers
//   the rest of `external`                       -> temporary
// Sizes are what is in use (space_used_size), not what is reserved.

#include "live/sampling/memory_sample.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace flight::live {

// A full garbage collection the target ran (Node's perf_hooks "gc" entry).
struct V8GcEvent {
    std::int64_t at = 0;       // ms since the epoch
    double durationMs = 0;
    // The program asked for it (gc() under --expose-gc): never the agent's own
    // scan, whenever it ran.
    bool forcedByProgram = false;
};
inline constexpr std::size_t kMaxGcEvents = 100;

struct V8HeapSample {
    MemorySample sample;                 // byPurpose and usedBytes; totalBytes left 0
    std::uint64_t heapSizeLimit = 0;
    std::int64_t takenAt = 0;            // the target's clock (ms since the epoch) when it ran; 0 = unknown
    std::uint64_t external = 0;          // process.memoryUsage().external (wasm memories included)
    std::uint64_t arrayBuffers = 0;
    std::uint64_t wasmBytes = 0;         // of the memories the source knows of
    std::uint64_t wasmMemories = 0;
    // external - arrayBuffers - wasmBytes: off-heap memory not attributed to a
    // known buffer (a WebAssembly.Memory not found yet shows here first).
    std::uint64_t unexplainedExternal = 0;
    std::vector<V8GcEvent> majorGcs;     // since the previous sample (with a GC observer installed)
};

// The JavaScript function (for Runtime.callFunctionOn on require('v8'), with
// an optional array of WeakRefs to WebAssembly.Memory objects and an optional
// GC observer key as arguments) that returns what v8HeapSample reads.
const char* v8SampleFunction();

// Expressions (Runtime.evaluate, with the command line API for require) that
// install and remove the GC observer the sample function drains, under
// Symbol.for(key): one per agent session, so two agents do not share one.
// The install evaluates to true once the observer is in place (also when it
// already was), false when the target's global object would not keep it; it
// throws when require('perf_hooks') or the observer does.
QString v8GcObserverInstall(const QString& key);
QString v8GcObserverRemove(const QString& key);
// The GC events the observer holds, as the sample's "gc" triples. Run after a
// sample's reply: a GC in a task the sample followed reaches the observer
// only in a later turn of Node's event loop (a setImmediate).
QString v8GcObserverDrain(const QString& key);

// The well-formed ones of [when, ms, forced] triples, up to kMaxGcEvents in all.
void appendV8GcEvents(const QJsonArray& triples, std::vector<V8GcEvent>& into);

// nullopt when `value` is not such a sample.
std::optional<V8HeapSample> v8HeapSample(const QJsonObject& value);

// A target without require('v8') (a Chromium page, an Electron renderer), from
// Runtime.getHeapUsage's result:
//   usedSize (the JavaScript heap) and embedderHeapUsedSize (Blink's C++
//   heap: the DOM)                                   -> vm-heap
//   backingStorageSize (ArrayBuffer stores, WebAssembly memories among them)
//                                                     -> network-buffers
// `heapLimit` is performance.memory.jsHeapSizeLimit (0: unknown, then totalSize).
std::optional<V8HeapSample> v8PageSample(const QJsonObject& heapUsage, std::uint64_t heapLimit);

} // namespace flight::live
