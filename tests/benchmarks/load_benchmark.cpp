// SPDX-License-Identifier: MIT
// Loading speed and memory of recordings (docs/performance.md):
//   LoadPlain        2,000,000 events, ~10,000 allocations live at a time, JSONL
//   LoadZstd         the same events, zstd
//   LoadRetained     2,000,000 events, 1,000,000 allocations stay live
//   QJsonBaseline    the LoadPlain file parsed line by line with QJsonDocument,
//                    extracting the same fields (no model): the ratio's denominator
//   StageReadLines   LoadPlain's reader alone; StageReadDecode: reader + decoder, no model
//   Generate         the workload generator alone (no encoding, no I/O)
//   DecodeCompact    LoadCompact's decoding thread alone (read, CRC, zstd, decode
//                    to lean records; DecodeCompactFull: to whole Messages)
//   OpenCompactIndex the format-2 file's block index; SeekCompact: index + the blocks of one time
//   WriteJsonl, WriteCompact(Level3, Big): what recording costs per message
//   WriteDecodeOnly, WriteCompactDecoded: the same messages decoded in the loop,
//                    then written (as the live worker: decode, then record)
//   WriteSummaryOnly  the format-2 writer's usage summary alone, same messages
// Items are messages (lines after the header). Counters: bytes of model per
// allocation, peak RSS while loading (VmHWM, reset before each load).

#include "benchmark_inputs.h"

#include "generator/workload_generator.h"
#include "protocol/message_decoder.h"
#include "protocol/recording_reader.h"
#include "protocol/recording_writer.h"
#include "protocol/session_store.h"
#include "recording/compact_reader.h"
#include "recording/usage_summary_builder.h"
#include "model/memory_analytics.h"

#include <benchmark/benchmark.h>

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <vector>
#include <memory>

using namespace flight;
using namespace flight::bench;

namespace {

// Each iteration went through the whole input: its messages and bytes a second.
void countWholeInput(benchmark::State& state, const BenchInput& in)
{
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in.messages));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.bytes));
}

constexpr double kMiB = 1024.0 * 1024.0;

void loadCase(benchmark::State& state, InputKind kind)
{
    const BenchInput& in = benchInput(kind);
    std::uint64_t footprint = 0, live = 0, ever = 0, applied = 0, errors = 0;
    std::uint64_t peak = 0, before = 0;
    bool peakReset = true;
    for (auto _ : state) {
        state.PauseTiming();
        peakReset = resetPeakRss() && peakReset;
        before = currentRssBytes();
        auto store = std::make_unique<protocol::SessionStore>();
        state.ResumeTiming();

        const auto read = protocol::loadRecording(in.path, *store);
        benchmark::DoNotOptimize(read.lines);

        state.PauseTiming();
        peak = peakRssBytes();
        applied = store->messagesApplied();
        errors = store->decodeErrors() + store->sessionErrors();
        if (store->sessionCount() == 1) {
            const SessionModel& m = store->session(0);
            footprint = m.memoryFootprint();
            const MemoryStats stats = MemoryAnalytics(m).calculateMemoryStats();
            live = stats.activeAllocations;
            ever = stats.totalAllocations;
        }
        store.reset(); // freed outside the timing
        state.ResumeTiming();
    }
    if (applied != in.messages || errors != 0) {
        state.SkipWithError("the recording did not load cleanly");
        return;
    }
    countWholeInput(state, in);
    auto c = [&](const char* name, double v) { state.counters[name] = benchmark::Counter(v); };
    c("file_MiB", static_cast<double>(in.bytes) / kMiB);
    c("mean_live", in.meanLive);
    c("peak_live", static_cast<double>(in.peakLive));
    c("live_end", static_cast<double>(live));
    c("allocs_ever", static_cast<double>(ever));
    c("model_MiB", static_cast<double>(footprint) / kMiB);
    c("model_B_per_live", live ? static_cast<double>(footprint) / static_cast<double>(live) : 0.0);
    c("model_B_per_alloc", ever ? static_cast<double>(footprint) / static_cast<double>(ever) : 0.0);
    c("peak_rss_MiB", static_cast<double>(peak) / kMiB);
    c("rss_growth_MiB", peakReset ? static_cast<double>(peak - std::min(peak, before)) / kMiB : -1.0);
}

void LoadPlain(benchmark::State& state) { loadCase(state, InputKind::Churn); }
void LoadZstd(benchmark::State& state) { loadCase(state, InputKind::ChurnZstd); }
void LoadRetained(benchmark::State& state) { loadCase(state, InputKind::Retained); }
// Format 2: the same events; bytes_per_event is the file's size per message.
void LoadCompact(benchmark::State& state)
{
    loadCase(state, InputKind::ChurnCompact);
    const BenchInput& in = benchInput(InputKind::ChurnCompact);
    state.counters["bytes_per_event"] = static_cast<double>(in.bytes) / static_cast<double>(in.messages);
}

// LoadCompact's decoding thread alone, in line (no second thread, no model):
// reading, CRC, zstd and decoding every block into the lean records the
// loader applies (DecodeCompact) or into whole Messages as the other readers
// take them (DecodeCompactFull). CPU time is what that thread costs a load.
void decodeCompactCase(benchmark::State& state, recording::RecordForm form)
{
    const BenchInput& in = benchInput(InputKind::ChurnCompact);
    protocol::RecordingReadOptions options;
    options.zstdThread = false;
    std::uint64_t records = 0, allocations = 0;
    for (auto _ : state) {
        records = allocations = 0;
        (void)recording::readCompactRecording(in.path, [&](recording::DecodedRecords r, std::uint64_t) {
            records += r.common.size();
            for (const auto& c : r.common)
                allocations += c.kind == protocol::DecodedCommon::Allocation;
        }, options, form);
    }
    countWholeInput(state, in);
    state.counters["records"] = static_cast<double>(records);
    state.counters["allocations"] = static_cast<double>(allocations);
}
void DecodeCompact(benchmark::State& state) { decodeCompactCase(state, recording::RecordForm::Lean); }
void DecodeCompactFull(benchmark::State& state) { decodeCompactCase(state, recording::RecordForm::Full); }

// Opening a format-2 file at once: its block index (from the footer), then
// seeking to the middle block's time: only the blocks of that time are read.
void OpenCompactIndex(benchmark::State& state)
{
    const BenchInput& in = benchInput(InputKind::ChurnCompact);
    std::size_t blocks = 0;
    bool footer = false;
    for (auto _ : state) {
        const auto index = recording::readCompactIndex(in.path);
        blocks = index ? index->blocks.size() : 0;
        footer = index && index->fromFooter;
    }
    if (!footer)
        state.SkipWithError("no footer index");
    state.counters["blocks"] = static_cast<double>(blocks);
}

void SeekCompact(benchmark::State& state)
{
    const BenchInput& in = benchInput(InputKind::ChurnCompact);
    std::uint64_t records = 0;
    std::size_t read = 0;
    for (auto _ : state) {
        const auto index = recording::readCompactIndex(in.path);
        if (!index || index->blocks.empty()) {
            state.SkipWithError("no index");
            return;
        }
        const auto& mid = index->blocks[index->blocks.size() / 2];
        const auto wanted = recording::blocksBetween(*index, mid.minTime, mid.maxTime);
        read = wanted.size();
        records = 0;
        (void)recording::readCompactBlocks(in.path, wanted, [&](std::span<const recording::CompactRecord> r, std::uint64_t) {
            records += r.size();
        });
    }
    state.counters["blocks_read"] = static_cast<double>(read);
    state.counters["records_read"] = static_cast<double>(records);
}

// What recording costs the live worker per message: RecordingWriter::append
// of the churn messages (decoded once, outside the timing) to a file, JSON
// Lines and format 2 side by side; flushes every 1,000 messages as live.
// The first 200,000 churn messages, decoded once (views into `lines`).
struct WriteInput {
    std::vector<std::string> lines;
    std::vector<protocol::Message> messages;
};
const WriteInput& writeInput()
{
    static const WriteInput input = [] {
        WriteInput w;
        protocol::readRecording(benchInput(InputKind::Churn).path, [&](std::string_view line, std::uint64_t n, bool) {
            if (n > 1 && w.lines.size() < 200'000)
                w.lines.emplace_back(std::string(line) + '\n' + std::string(protocol::kDecoderPadding, '\0'));
        });
        protocol::MessageDecoder decoder;
        w.messages.reserve(w.lines.size());
        for (const std::string& padded : w.lines) // allocations and frees, read in place
            if (protocol::Message m; decoder.decodeCommon(std::string_view(padded).substr(0, padded.find('\n')), m))
                w.messages.push_back(m);
        return w;
    }();
    return input;
}

double cpuSeconds(clockid_t clock)
{
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The CPU column is the benchmark thread's (the live worker's); the counters
// give it per message and the whole process's (every thread: the writer's
// own, if it has one, included) so that no cost is hidden on another thread.
// `decodeFirst`: each message is decoded from its line just before it is
// written, as the live worker does (its text is in cache then): the write's
// cost is this minus WriteDecodeOnly, same run.
void writeCase(benchmark::State& state, protocol::RecordingFormat format, std::optional<int> level = {},
               std::size_t flushEvery = 1000,
               bool decodeFirst = false)
{
    const BenchInput& in = benchInput(InputKind::Churn);
    const WriteInput& input = writeInput();
    const std::vector<protocol::Message>& messages = input.messages;
    const std::string path = in.path + (format == protocol::RecordingFormat::Compact ? ".write.fmr" : ".write.jsonl");
    std::uint64_t bytes = 0;
    const double thread0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID), process0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    for (auto _ : state) {
        protocol::RecordingWriterOptions o;
        o.format = format;
        o.compressionLevel = level;
        o.flushEveryMessages = flushEvery;
        auto w = protocol::RecordingWriter::create(path, o);
        if (decodeFirst) {
            protocol::MessageDecoder decoder;
            protocol::Message m;
            for (const std::string& padded : input.lines)
                if (decoder.decodeCommon(std::string_view(padded).substr(0, padded.find('\n')), m))
                    (void)w->append(m, 1764000000000);
        } else {
            for (const auto& m : messages)
                (void)w->append(m, 1764000000000);
        }
        (void)w->close();
        state.PauseTiming();
        bytes = std::filesystem::file_size(path);
        state.ResumeTiming();
    }
    const double n = static_cast<double>(state.iterations() * messages.size());
    state.counters["worker_us_per_msg"] = (cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - thread0) * 1e6 / n;
    state.counters["process_us_per_msg"] = (cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process0) * 1e6 / n;
    std::filesystem::remove(path);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * messages.size()));
    state.counters["bytes_per_message"] = static_cast<double>(bytes) / static_cast<double>(messages.size());
}
void WriteJsonl(benchmark::State& state) { writeCase(state, protocol::RecordingFormat::Jsonl); }
// The decoding WriteCompactDecoded includes, alone (same lines, same decoder calls).
void WriteDecodeOnly(benchmark::State& state)
{
    const WriteInput& input = writeInput();
    std::uint64_t decoded = 0;
    const double thread0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    for (auto _ : state) {
        protocol::MessageDecoder decoder;
        protocol::Message m;
        decoded = 0;
        for (const std::string& padded : input.lines)
            if (decoder.decodeCommon(std::string_view(padded).substr(0, padded.find('\n')), m)) {
                benchmark::DoNotOptimize(m);
                ++decoded;
            }
    }
    if (decoded != input.messages.size()) {
        state.SkipWithError("not the messages WriteCompact writes");
        return;
    }
    const double n = static_cast<double>(state.iterations() * decoded);
    state.counters["worker_us_per_msg"] = (cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - thread0) * 1e6 / n;
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * decoded));
}
void WriteCompactDecoded(benchmark::State& state) { writeCase(state, protocol::RecordingFormat::Compact, {}, 1000, true); }
// The part of WriteCompact that UsageSummaryBuilder costs: the same messages, the builder alone.
void WriteSummaryOnly(benchmark::State& state)
{
    const std::vector<protocol::Message>& messages = writeInput().messages;
    std::size_t points = 0;
    for (auto _ : state) {
        recording::UsageSummaryBuilder builder;
        for (const auto& m : messages)
            builder.add(m);
        const auto summary = builder.summary();
        points = summary.sessions.empty() ? 0 : summary.sessions.front().points.size();
        benchmark::DoNotOptimize(points);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * messages.size()));
    state.counters["points"] = static_cast<double>(points);
}
void WriteCompact(benchmark::State& state) { writeCase(state, protocol::RecordingFormat::Compact); }
void WriteCompactLevel3(benchmark::State& state) { writeCase(state, protocol::RecordingFormat::Compact, 3); }
void WriteCompactBig(benchmark::State& state) { writeCase(state, protocol::RecordingFormat::Compact, {}, 65536); }

// Qt Core's JSON parser on the same file: one QJsonDocument per line, the same
// fields pulled out (type, session, id, bytes, purpose, times, used), no model.
void QJsonBaseline(benchmark::State& state)
{
    const BenchInput& in = benchInput(InputKind::Churn);
    std::uint64_t lines = 0, checksum = 0, bad = 0;
    for (auto _ : state) {
        QFile file(QString::fromStdString(in.path));
        if (!file.open(QIODevice::ReadOnly)) {
            state.SkipWithError("cannot open input");
            return;
        }
        lines = 0;
        bool header = true;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine();
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject()) {
                ++bad;
                continue;
            }
            const QJsonObject o = doc.object();
            const QString type = o.value(QLatin1String("type")).toString();
            checksum += static_cast<std::uint64_t>(type.size());
            if (header) {
                header = false;
                continue;
            }
            ++lines;
            checksum += static_cast<std::uint64_t>(o.value(QLatin1String("seq")).toInteger());
            if (type == QLatin1String("allocation")) {
                const QJsonObject a = o.value(QLatin1String("allocation")).toObject();
                checksum += static_cast<std::uint64_t>(a.value(QLatin1String("id")).toString().size());
                checksum += static_cast<std::uint64_t>(a.value(QLatin1String("sessionId")).toString().size());
                checksum += static_cast<std::uint64_t>(
                    a.value(QLatin1String("size")).toObject().value(QLatin1String("bytes")).toInteger());
                checksum += static_cast<std::uint64_t>(a.value(QLatin1String("purpose")).toString().size());
                checksum += static_cast<std::uint64_t>(a.value(QLatin1String("allocatedAt")).toInteger());
            } else if (type == QLatin1String("free")) {
                checksum += static_cast<std::uint64_t>(o.value(QLatin1String("sessionId")).toString().size());
                checksum += static_cast<std::uint64_t>(o.value(QLatin1String("allocationId")).toString().size());
                checksum += static_cast<std::uint64_t>(o.value(QLatin1String("freedAt")).toInteger());
            } else if (type == QLatin1String("memory_update")) {
                const QJsonObject s = o.value(QLatin1String("snapshot")).toObject();
                checksum += static_cast<std::uint64_t>(o.value(QLatin1String("timestamp")).toInteger());
                checksum += static_cast<std::uint64_t>(
                    s.value(QLatin1String("used")).toObject().value(QLatin1String("bytes")).toInteger());
                checksum += static_cast<std::uint64_t>(
                    s.value(QLatin1String("total")).toObject().value(QLatin1String("bytes")).toInteger());
                checksum += static_cast<std::uint64_t>(o.value(QLatin1String("pressure")).toString().size());
            } else {
                checksum += static_cast<std::uint64_t>(o.value(QLatin1String("sessionId")).toString().size());
                checksum += static_cast<std::uint64_t>(o.value(QLatin1String("timestamp")).toInteger());
            }
        }
        benchmark::DoNotOptimize(checksum);
    }
    if (lines != in.messages || bad != 0) {
        state.SkipWithError("baseline did not read every line");
        return;
    }
    countWholeInput(state, in);
}

// Stage costs of LoadPlain: the reader alone (lines delivered to a no-op sink),
// then the reader and the decoder (messages decoded, not applied).
void StageReadLines(benchmark::State& state)
{
    const BenchInput& in = benchInput(InputKind::Churn);
    std::uint64_t lines = 0;
    for (auto _ : state) {
        lines = 0;
        protocol::readRecording(in.path, [&](std::string_view line, std::uint64_t, bool) {
            lines += !line.empty();
        });
        benchmark::DoNotOptimize(lines);
    }
    countWholeInput(state, in);
}

void StageReadDecode(benchmark::State& state)
{
    const BenchInput& in = benchInput(InputKind::Churn);
    std::uint64_t decoded = 0;
    for (auto _ : state) {
        protocol::MessageDecoder decoder;
        decoded = 0;
        protocol::readRecording(in.path, [&](std::string_view line, std::uint64_t n, bool) {
            auto m = decoder.decode(line, n);
            decoded += m && *m;
        });
        benchmark::DoNotOptimize(decoded);
    }
    if (decoded != in.messages + 1) {
        state.SkipWithError("not every line decoded");
        return;
    }
    countWholeInput(state, in);
}

void Generate(benchmark::State& state)
{
    const generator::WorkloadOptions o = bench::churnWorkload();
    for (auto _ : state) {
        auto g = generator::WorkloadGenerator::create(o);
        std::uint64_t n = 0;
        while (const auto* m = g->next())
            n += m->payload.index();
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * o.events));
}

} // namespace

BENCHMARK(LoadPlain)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(LoadZstd)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(LoadCompact)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(DecodeCompact)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(DecodeCompactFull)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(OpenCompactIndex)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(SeekCompact)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(WriteJsonl)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(WriteCompactLevel3)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(WriteCompactBig)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(WriteCompact)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(WriteDecodeOnly)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(WriteCompactDecoded)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(WriteSummaryOnly)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(10);
BENCHMARK(LoadRetained)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(QJsonBaseline)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);
BENCHMARK(StageReadLines)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(StageReadDecode)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(Generate)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

BENCHMARK_MAIN();
