// SPDX-License-Identifier: MIT
#include "import/native_recording.h"

#include "import/heaptrack_import.h"
#include "import/import_line_source.h"
#include "import/massif_import.h"
#include "model/id_hash.h"
#include "model/memory_size.h"
#include "protocol/string_caps.h"

#include <QDateTime>
#include <QFileInfo>

#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>

namespace flight::import {

namespace {

std::string percentText(double p)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", p);
    return buf;
}

// The figures both importers report and their summary line: "WHAT, peak SIZE;
// purpose rules classified P of the bytes OF" (the bytes the coverage is of).
void summarise(ImportSummary& summary, std::string what, std::uint64_t peakBytes, std::uint64_t coveredBytes,
               std::uint64_t classifiedBytes, std::string_view of)
{
    summary.peakBytes = peakBytes;
    summary.coveredBytes = coveredBytes;
    summary.classifiedBytes = classifiedBytes;
    summary.text = std::move(what) + ", peak " + formatBytes(peakBytes) + "; purpose rules classified "
                   + percentText(summary.coveragePercent()) + " of the bytes " + std::string(of);
}

protocol::RecordingReadResult importFile(const std::string& path, protocol::SessionStore& store,
                                         const PurposeRules& rules, const protocol::RecordingReadOptions& options,
                                         protocol::RecordingKind kind, ImportSummary& summary)
{
    const QFileInfo info(QString::fromStdString(path));
    // Neither tool writes the wall-clock start: the session is placed at the
    // file's modification time (times within it are the tool's own).
    const std::int64_t baseMs = info.lastModified().toMSecsSinceEpoch();
    const std::string sessionId = info.fileName().toStdString().substr(0, protocol::kMaxIdBytes);
    const bool heaptrack = kind == protocol::RecordingKind::Heaptrack;

    protocol::RecordingReadOptions opts = options;
    opts.onProblem = [&store, user = options.onProblem](const protocol::ReadProblem& p) {
        switch (p.kind) {
        case protocol::ReadProblemKind::LineTooLong:
        case protocol::ReadProblemKind::CompressedCorrupt:
        case protocol::ReadProblemKind::Io:
            store.addDecodeError(p.line, p.message);
            break;
        case protocol::ReadProblemKind::CompressedCut:
        case protocol::ReadProblemKind::EndsMidLine:
            store.addNote(p.line, p.message);
            break;
        }
        if (user)
            user(p);
    };
    std::uint64_t lastLine = 0;
    auto report = [&](const Result<void>& r, std::uint64_t line) {
        if (!r)
            store.addDecodeError(line, r.error().message);
    };
    protocol::RecordingReadResult read;
    if (heaptrack) {
        bool started = false;
        std::string command;
        auto start = [&](std::int64_t atMs) {
            protocol::RecordingHeaderMsg h{"heaptrack", baseMs, "heaptrack", command};
            store.apply(protocol::Message{h, std::nullopt, std::nullopt}, 0);
            protocol::SessionStartedMsg s;
            s.sessionId = sessionId;
            s.label = command;
            s.timestamp = atMs;
            store.apply(protocol::Message{s, std::nullopt, std::nullopt}, 0);
            started = true;
        };
        std::uint64_t currentLine = 0;
        // As loadRecording does: each event is applied a few events after it
        // was parsed, and meanwhile the live-id slot (then record, then id
        // text) of each newer free is prefetched, so the cache misses of the
        // id lookups overlap with parsing (it halves the import's time).
        struct Pending {
            protocol::Message message;
            char id[24];
            HashedId hashed;
            std::uint64_t line = 0;
            bool isFree = false;
        };
        constexpr std::size_t kStageGap = 1;
        constexpr std::size_t kLookahead = 3 * kStageGap;
        std::array<Pending, kLookahead + 1> ring;
        std::size_t first = 0, count = 0;
        auto applyOldest = [&] {
            const Pending& p = ring[first];
            store.applyDecoded(p.message, p.line, p.hashed);
            first = (first + 1) % ring.size();
            --count;
        };
        auto flush = [&] {
            while (count > 0)
                applyOldest();
        };
        HeaptrackParser parser(rules, baseMs, [&](const HeaptrackParser::Event& ev) {
            if (!started)
                start(baseMs);
            Pending& p = ring[(first + count) % ring.size()];
            const std::string_view own(p.id, static_cast<std::size_t>(std::to_chars(p.id, p.id + sizeof p.id, ev.id).ptr - p.id));
            if (ev.isFree) {
                protocol::FreeMsg f;
                f.sessionId = sessionId;
                f.allocationId = own;
                f.freedAt = ev.atMs;
                p.message.payload = f;
            } else {
                protocol::AllocationMsg a;
                a.id = own;
                a.sessionId = sessionId;
                a.bytes = ev.bytes;
                a.purpose = ev.purpose;
                a.allocatedAt = ev.atMs;
                p.message.payload = a;
            }
            p.isFree = ev.isFree;
            p.hashed = {own, hashId(own)};
            p.line = currentLine;
            ++count;
            std::array<std::optional<std::uint64_t>, 3> keys;
            if (p.isFree)
                keys[0] = p.hashed.key;
            for (std::size_t stage = 1; stage <= 2; ++stage)
                if (count > stage * kStageGap)
                    if (const Pending& q = ring[(first + count - 1 - stage * kStageGap) % ring.size()]; q.isFree)
                        keys[stage] = q.hashed.key;
            if (keys[0] || keys[1] || keys[2])
                store.prefetchIds(keys);
            if (count > kLookahead)
                applyOldest();
        });
        opts.onProblem = [&flush, inner = opts.onProblem](const protocol::ReadProblem& p) {
            flush();
            inner(p);
        };
        read = readImportLines(path, [&](std::string_view line, std::uint64_t n, bool unterminated) {
            currentLine = n;
            lastLine = n;
            if (unterminated) {
                flush();
                store.addDecodeError(n, "line " + std::to_string(n) + ": the file was cut inside this line: not read");
                return;
            }
            auto fed = parser.feed(line, n);
            if (!fed) {
                flush();
                report(fed, n);
            }
            if (!started && !parser.figures().command.empty())
                command = parser.figures().command;
        }, opts);
        flush();
        if (!started)
            start(baseMs);
        const ImportFigures& f = parser.figures();
        protocol::SessionEndedMsg e;
        e.sessionId = sessionId;
        e.timestamp = baseMs + f.lastMs;
        store.apply(protocol::Message{e, std::nullopt, std::nullopt}, lastLine);
        summary.allocations = f.allocations;
        summary.frees = f.frees;
        summarise(summary,
                  "heaptrack: " + std::to_string(f.allocations) + " allocations, " + std::to_string(f.frees) + " frees",
                  f.peakBytes, f.allocatedBytes, f.classifiedBytes, "allocated");
        if (f.unmatchedFrees)
            summary.text += "; " + std::to_string(f.unmatchedFrees)
                            + " frees of blocks allocated before heaptrack attached (not counted)";
        if (f.cutStrings)
            summary.text += "; " + std::to_string(f.cutStrings) + " symbol names cut to 4096 bytes";
    } else {
        MassifParser parser(rules, sessionId, baseMs, [&](const protocol::Message& m) {
            store.apply(m, lastLine);
        });
        std::string header;
        read = readImportLines(path, [&](std::string_view line, std::uint64_t n, bool unterminated) {
            lastLine = n;
            if (unterminated) {
                store.addDecodeError(n, "line " + std::to_string(n) + ": the file was cut inside this line: not read");
                return;
            }
            report(parser.feed(line, n), n);
        }, opts);
        report(parser.finish(lastLine), lastLine);
        const MassifFigures& f = parser.figures();
        protocol::RecordingHeaderMsg h{"massif", baseMs, "massif", f.command};
        store.apply(protocol::Message{h, std::nullopt, std::nullopt}, 0);
        summary.snapshots = f.snapshots;
        summarise(summary,
                  "massif: " + std::to_string(f.snapshots) + " snapshots (" + std::to_string(f.detailedSnapshots)
                      + " detailed)",
                  f.peakBytes, f.detailedPeakBytes, f.detailedPeakClassifiedBytes, "at the largest detailed snapshot");
    }
    store.addNote(0, summary.text);
    return read;
}

} // namespace

protocol::RecordingReadResult loadAnyRecording(const std::string& path, protocol::SessionStore& store,
                                               const PurposeRules& rules,
                                               const protocol::RecordingReadOptions& options, ImportSummary* summary)
{
    const protocol::RecordingKind kind = protocol::recordingKindOf(firstLineOf(path, 256));
    if (kind == protocol::RecordingKind::Flight)
        return protocol::loadRecording(path, store, options);
    ImportSummary local;
    local.kind = kind;
    auto read = importFile(path, store, rules, options, kind, local);
    if (summary)
        *summary = std::move(local);
    return read;
}

} // namespace flight::import
