// SPDX-License-Identifier: MIT
// Fuzzes the recording reader (plain JSON Lines and zstd, told apart by the
// magic bytes) and loadRecording into a session store. The input is the file:
// it is written to a memfd and read through /proc/self/fd/N, the reader's real
// fopen/fread path with no disk traffic.
//
// Oracle beyond "no crash, no sanitizer report": reading with 1 MiB chunks on
// the zstd thread and with 61-byte chunks on one thread gives the same lines,
// problems and counters (the carry-over buffer and the pipeline must not change
// what is delivered). For corrupt or cut zstd input only the verdict must agree:
// how much decompresses before the damage is seen depends on buffer sizes.
// And loadRecording, which decodes the common lines in place in the reader's
// buffer ahead of applying them, must build what ingesting each delivered line
// in turn builds (same summary, same problems), with 61-byte chunks so that
// many lines are carried from one chunk to the next.

#include "fuzz_checks.h"

#include "protocol/recording_reader.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

using namespace flight;
using namespace flight::protocol;

namespace {

struct Run {
    RecordingReadResult result;
    std::vector<std::tuple<std::string, std::uint64_t, bool>> lines;
};

Run read(const std::string& path, std::size_t chunk, bool zstdThread)
{
    Run run;
    RecordingReadOptions options;
    options.maxLineBytes = 1000; // small, so that fuzz-sized inputs reach the refusal path
    options.chunkBytes = chunk;
    options.zstdThread = zstdThread;
    run.result = readRecording(path, [&](std::string_view line, std::uint64_t n, bool unterminated) {
        run.lines.emplace_back(std::string(line), n, unterminated);
    }, options);
    return run;
}

bool damagedZstd(const RecordingReadResult& r)
{
    for (const auto& p : r.problems)
        if (p.kind == ReadProblemKind::CompressedCorrupt || p.kind == ReadProblemKind::CompressedCut)
            return true;
    return false;
}

std::string fail(const char* what)
{
    return std::string("1 MiB/zstd thread and 61 B/one thread reads disagree: ") + what;
}

std::string compare(const Run& a, const Run& b)
{
    if (a.result.compressed != b.result.compressed)
        return fail("compressed");
    if (a.result.ioError.has_value() || b.result.ioError.has_value())
        return fail("io error on a memfd");
    if (damagedZstd(a.result) != damagedZstd(b.result))
        return fail("zstd damage seen by one only");
    if (damagedZstd(a.result))
        return {};
    if (a.lines != b.lines)
        return fail("lines");
    if (a.result.lines != b.result.lines || a.result.endedMidLine != b.result.endedMidLine
        || a.result.bytesRead != b.result.bytesRead)
        return fail("counters");
    if (a.result.problems.size() != b.result.problems.size())
        return fail("problem count");
    for (std::size_t i = 0; i < a.result.problems.size(); ++i) {
        const auto& p = a.result.problems[i];
        const auto& q = b.result.problems[i];
        if (p.kind != q.kind || p.line != q.line || p.message != q.message)
            return fail("problem");
    }
    return {};
}

// Inputs whose only reader problem, if any, is a last line without a newline:
// every line reached the sink, so line-by-line ingest is the whole reference.
std::string compareLoad(const std::string& path, const Run& lines)
{
    for (const auto& p : lines.result.problems)
        if (p.kind != ReadProblemKind::EndsMidLine)
            return {};
    RecordingReadOptions options;
    options.maxLineBytes = 1000;
    options.chunkBytes = 61;
    options.zstdThread = false;
    SessionStore loaded;
    (void)loadRecording(path, loaded, options);
    SessionStore ingested;
    for (const auto& [text, n, unterminated] : lines.lines)
        ingested.ingest(text, n, unterminated);
    if (summaryJson(loaded) != summaryJson(ingested))
        return "loadRecording and line-by-line ingest disagree: summary";
    const auto& a = loaded.problems();
    const auto& b = ingested.problems();
    if (a.size() != b.size())
        return "loadRecording and line-by-line ingest disagree: problem count";
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].line != b[i].line || a[i].message != b[i].message || a[i].timeMs != b[i].timeMs)
            return "loadRecording and line-by-line ingest disagree: problem";
    if (loaded.messagesApplied() != ingested.messagesApplied() || loaded.warnings() != ingested.warnings())
        return "loadRecording and line-by-line ingest disagree: counters";
    return {};
}

} // namespace

std::string flight::fuzz::checkRecordingReader(std::string_view input)
{
    // One memfd for the process, rewritten for each input.
    static const int fd = memfd_create("fuzz-recording", 0);
    static const std::string path = "/proc/self/fd/" + std::to_string(fd);
    if (fd < 0 || ftruncate(fd, 0) != 0)
        return "cannot set up the memfd";
    for (std::size_t done = 0; done < input.size();) {
        const ssize_t n = pwrite(fd, input.data() + done, input.size() - done, static_cast<off_t>(done));
        if (n <= 0)
            return "cannot write the memfd";
        done += static_cast<std::size_t>(n);
    }

    const Run small = read(path, 61, false);
    if (auto complaint = compare(read(path, 1u << 20, true), small); !complaint.empty())
        return complaint;
    if (auto complaint = compareLoad(path, small); !complaint.empty())
        return complaint;

    SessionStore store;
    (void)loadRecording(path, store);
    return {};
}
