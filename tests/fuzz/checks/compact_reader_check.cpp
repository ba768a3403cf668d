// SPDX-License-Identifier: MIT
// checkCompactReader (fuzz_checks.h): the input after the format-2 preamble,
// read block by block, as lines, and loaded; the three must agree on what
// they delivered, and nothing may be delivered twice or out of order; decoding
// ahead and in line agree; seeking through the block index keeps that order;
// a usage summary that checks keeps its bounds, round-trips and applies to a store.
#include "fuzz_checks.h"

#include "protocol/session_store.h"
#include "recording/compact_format.h"
#include "recording/compact_index.h"
#include "recording/compact_reader.h"
#include "recording/summary_store.h"
#include "recording/usage_summary.h"

#include <string>

#include <sys/mman.h>
#include <unistd.h>

using namespace flight;
using namespace flight::protocol;

std::string flight::fuzz::checkCompactReader(std::string_view input)
{
    static const int fd = memfd_create("fuzz-compact", 0);
    static const std::string path = "/proc/self/fd/" + std::to_string(fd);
    if (fd < 0 || ftruncate(fd, 0) != 0)
        return "cannot set up the memfd";
    std::string bytes(recording::kPreamble);
    bytes.append(input);
    for (std::size_t done = 0; done < bytes.size();) {
        const ssize_t n = pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
        if (n <= 0)
            return "cannot write the memfd";
        done += static_cast<std::size_t>(n);
    }

    std::uint64_t records = 0, lastLine = 0;
    std::string complaint;
    const auto blocks = recording::readCompactRecording(path, [&](std::span<const recording::CompactRecord> r,
                                                                  std::uint64_t firstLine) {
        if (firstLine <= lastLine)
            complaint = "a block's lines start at or before lines already delivered";
        records += r.size();
        lastLine = firstLine + r.size() - 1;
    });
    if (!complaint.empty())
        return complaint;
    if (blocks.lines != lastLine)
        return "lines counted differ from the last line delivered";
    std::uint64_t lines = 0;
    const auto asLines = readRecording(path, [&](std::string_view line, std::uint64_t, bool) {
        if (line.find('\n') != std::string_view::npos)
            complaint = "a line holds a newline";
        ++lines;
    });
    if (!complaint.empty())
        return complaint;
    if (lines > records || asLines.lines != blocks.lines || asLines.problems.size() < blocks.problems.size())
        return "readRecording and readCompactRecording disagree";
    SessionStore store;
    const auto loaded = loadRecording(path, store);
    if (loaded.lines != blocks.lines)
        return "loadRecording and readCompactRecording disagree";
    // Decoded in line instead of ahead: the same lines.
    RecordingReadOptions inLine;
    inLine.zstdThread = false;
    std::uint64_t inLineRecords = 0;
    const auto direct = recording::readCompactRecording(path, [&](std::span<const recording::CompactRecord> r,
                                                                  std::uint64_t) { inLineRecords += r.size(); },
                                                        inLine);
    if (inLineRecords != records || direct.lines != blocks.lines || direct.problems.size() != blocks.problems.size())
        return "decoding ahead and in line disagree";
    // The block index (footer or walked), and seeking through every block it names:
    // never a block twice nor out of order (a forged index may name blocks a
    // full read never reaches, so the counts may differ).
    const auto index = recording::readCompactIndex(path);
    if (!index)
        return "a file with the preamble has no index";
    lastLine = 0;
    (void)recording::readCompactBlocks(path, index->blocks, [&](std::span<const recording::CompactRecord> r,
                                                                std::uint64_t firstLine) {
        if (firstLine <= lastLine)
            complaint = "seeking delivered a block at or before lines already delivered";
        lastLine = firstLine + r.size() - 1;
    });
    if (!complaint.empty())
        return complaint;
    if (const auto summary = recording::readCompactSummary(path, *index)) {
        if (summary->sessions.size() > recording::kMaxSummarySessions)
            return "a summary holds more sessions than its limit";
        for (const auto& s : summary->sessions)
            if (s.points.size() > recording::kMaxSummaryPoints)
                return "a summary's session holds more points than its limit";
        std::string again;
        if (!recording::appendSummarySection(again, *summary) || recording::parseSummarySection(again) != summary)
            return "a summary read back does not round-trip";
        SessionStore fromSummary;
        recording::applySummary(*summary, fromSummary);
        if (fromSummary.sessionCount() > summary->sessions.size())
            return "a summary gave more sessions than it names";
    }
    return {};
}
