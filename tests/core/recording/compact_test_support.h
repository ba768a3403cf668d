// SPDX-License-Identifier: MIT
#pragma once
// What the format-2 tests share: files written in either format, and the
// lines / summary a recording loads to (the messages: every_message_kind.h).

#include "every_message_kind.h"
#include "scratch_files.h"
#include "protocol/recording_reader.h"
#include "protocol/recording_writer.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <string>
#include <vector>

namespace flight::test {

// Writes `messages` (each with its own receivedAt, or the writer's when it
// has none) and two malformed frames to `path` in `format`.
inline void writeMessages(const std::string& path, const std::vector<protocol::Message>& messages,
                          protocol::RecordingFormat format, std::size_t flushEvery = 1000)
{
    protocol::RecordingWriterOptions o;
    o.format = format;
    o.createdAt = 1764000000000;
    o.source = "ws://127.0.0.1:8765";
    o.flushEveryMessages = flushEvery;
    o.flushInterval = std::chrono::hours(1);
    auto w = protocol::RecordingWriter::create(path, o);
    if (!w)
        throw std::runtime_error(w.error().message);
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (messages[i].receivedAt)
            (void)w->appendKept(messages[i]);
        else
            (void)w->append(messages[i], 1764000000999);
        if (i == 3)
            (void)w->appendMalformed("{\"type\":\"allocation\",\n\"broken\r more");
        if (i == 5)
            (void)w->appendMalformed(std::string(70000, 'x'));
    }
    (void)w->close();
}

// A format-2 file of everyKind(churn) written as `dir`/a.fmr (a block every
// `flushEvery` messages, as writeMessages writes it), and its bytes.
struct CompactFile {
    std::string path;
    std::string bytes;
};
inline CompactFile writeCompactFile(const ScratchDir& dir, std::size_t churn, std::size_t flushEvery)
{
    CompactFile f{(dir / "a.fmr").string(), {}};
    writeMessages(f.path, everyKind(churn), protocol::RecordingFormat::Compact, flushEvery);
    f.bytes = readFile(f.path);
    return f;
}

// `bytes` with the byte at `at` flipped (XOR 0x21), written to `path`.
inline bool writeFlipped(const std::string& path, std::string bytes, std::size_t at)
{
    bytes[at] = static_cast<char>(bytes[at] ^ 0x21);
    return writeFile(path, bytes);
}

inline std::vector<std::string> linesOf(const std::string& path, protocol::RecordingReadResult* result = nullptr)
{
    std::vector<std::string> lines;
    auto r = protocol::readRecording(path, [&](std::string_view line, std::uint64_t, bool) { lines.emplace_back(line); });
    if (result)
        *result = r;
    return lines;
}

inline std::string loadedSummary(const std::string& path, protocol::RecordingReadResult* result = nullptr)
{
    protocol::SessionStore store;
    auto r = protocol::loadRecording(path, store);
    if (result)
        *result = r;
    return protocol::summaryJson(store) + " applied=" + std::to_string(store.messagesApplied());
}

} // namespace flight::test
