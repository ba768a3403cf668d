// SPDX-License-Identifier: MIT
#pragma once
// The state of one V8 target's session, shared by the two files that define
// its steps: v8_target_session.cpp (attaching, console markers, ending) and
// v8_target_sampling.cpp (usage samples, WebAssembly scans, GC markers,
// allocation records). Private to those files.

#include "live/v8/cdp_client.h"
#include "live/v8/v8_allocation_sampler.h"
#include "live/v8/v8_heap_mapping.h"
#include "live/v8/v8_target_session.h"
#include "protocol/message.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>
#include <QTimer>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flight::live {

namespace v8session {

// The purposes a sample carries (PurposeBytes storage for the update).
inline constexpr std::array kPurposes{StandardPurpose::VmHeap,         StandardPurpose::JitCodeCache,
                                      StandardPurpose::SystemReserved, StandardPurpose::WasmLinear,
                                      StandardPurpose::NetworkBuffers, StandardPurpose::Temporary};

// A text from the target, printable and within the protocol's cap.
std::string capped(std::string_view text);

} // namespace v8session

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
    std::vector<protocol::PurposeBytes> storage;
    QString gcKey;                      // Symbol.for(gcKey) holds this session's GC observer
    std::unique_ptr<V8AllocationSampler> allocations;   // set while the target samples for us
    bool toldNotFollowed = false;
    QElapsedTimer sinceProfile;
    std::vector<std::pair<std::int64_t, std::int64_t>> scanWindows;   // the agent's own forced GCs

    void send(const protocol::Payload& p);
    // Timestamps never go back within a session (the model would flag each):
    // a marker logged before the agent attached shows at the session's start.
    std::int64_t stamp(std::int64_t t);
    void marker(std::int64_t ts, const std::string& text);
    void end(const std::string& reason);
    void fail(const std::string& what, const MemoryError& e);
    void onOpened();
    // A node program the agent attaches to while node itself is still
    // starting can throw from require('v8') (its internal modules are half
    // loaded: "Class extends value undefined"); a moment later it works.
    // A target without require (a Chromium page) is not retried.
    void requireV8(int attempt);
    // A page (Chromium, an Electron renderer): fewer figures (v8PageSample),
    // no WebAssembly scan, no GC markers; allocation records and console
    // markers as for node.
    void startPage();
    void tick();
    void sample(std::function<void(const V8HeapSample&)> then);
    // The sampling cost figures (stats): how long the target took to answer.
    void countSample(const QElapsedTimer& clock);
    void samplePage(std::function<void(const V8HeapSample&)> then);
    void scan(std::function<void()> then);
    static std::int64_t sampleTime(const V8HeapSample& s);
    // A sample's full GCs join the console markers held for the next flush.
    void holdGcs(const std::vector<V8GcEvent>& gcs);
    // The markers held, in the order they happened.
    void flushMarkers();
    void releaseGroup(const QString& group);
    // `listed`: vm-heap bytes that allocation records sent right after this
    // update add back (see sendAllocations).
    void publish(const V8HeapSample& s, std::uint64_t listed = 0);
    // The observer is confirmed by the target's answer, not assumed: an
    // install that throws (node still starting: a require() of a half-loaded
    // module) is tried again; one that cannot be made ends in a marker that
    // says there will be no full-GC markers, and why.
    void installGcObserver(int attempt);
    void noGcMarkers(const std::string& why);
    void startAllocationSampling();
    void noAllocations(const std::string& why);
    bool allocationsDue() const;
    // Reads the live samples, then sends what changed around the usage
    // sample `s` taken just before: frees, the update, new allocations.
    void readAllocations(const V8HeapSample& s);
    // A memory_update sets vm-heap's level; an allocation adds to it. So that
    // the session never shows more than V8 has (a peak that never was), the
    // frees go first, the update then carries vm-heap less the bytes of the
    // allocations that follow it, and those bring it back to V8's figure.
    void sendAllocations(const V8AllocationChange& change, V8HeapSample s);
    void choosePlatform(std::uint64_t heapLimit);
    void onEvent(const QString& method, const QJsonObject& params);
};

} // namespace flight::live
