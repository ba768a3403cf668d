// SPDX-License-Identifier: MIT
// One corrupt block in the middle of a zstd recording used to lose everything
// after it (issue 15): the reader now resynchronises at the next zstd frame
// (the writer ends one at every flush) and reports the range it skipped.
#include "protocol/recording_reader.h"
#include "protocol/recording_writer.h"
#include "protocol/session_store.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <zstd.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace flight;
using namespace flight::protocol;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMessages = 3000;
constexpr std::size_t kPerFlush = 200;

struct Frame {
    std::size_t offset = 0;
    std::size_t size = 0;
    std::set<std::string> ids; // the allocations whose lines it holds
};

// A real recording: session_started, then kMessages allocations, flushed
// (a frame ended) every kPerFlush messages, closed.
void writeRecording(const fs::path& p)
{
    RecordingWriterOptions o;
    o.compress = true;
    o.flushInterval = std::chrono::hours(1); // only the count flushes: frames at known messages
    o.flushEveryMessages = kPerFlush;
    o.createdAt = 1764000000000;
    auto w = RecordingWriter::create(p.string(), o);
    ASSERT_TRUE(w.has_value());
    Message start;
    start.payload = SessionStartedMsg{"vm-1", "v6r-small", "resync", std::nullopt, std::nullopt, 1764000000000};
    ASSERT_TRUE(w->append(start, 1764000000000));
    for (std::size_t i = 0; i < kMessages; ++i) {
        // ids and sizes vary, so the compressed blocks are not all alike
        const std::string id = "a-" + std::to_string(i * 7919 % 100003) + "-" + std::to_string(i);
        Message m;
        m.payload = AllocationMsg{id, "vm-1", 4096 + (i * 37) % 5000, StandardPurpose::VmHeap,
                                  1764000000000 + static_cast<std::int64_t>(i), std::nullopt};
        ASSERT_TRUE(w->append(m, 1764000000000 + static_cast<std::int64_t>(i)));
    }
    ASSERT_TRUE(w->close());
}

// The file's zstd frames, each with the allocation ids its lines hold.
std::vector<Frame> framesOf(const std::string& z)
{
    std::vector<Frame> frames;
    const std::regex idRe(R"re("id":"([^"]+)")re");
    std::size_t at = 0;
    while (at < z.size()) {
        Frame f;
        f.offset = at;
        f.size = ZSTD_findFrameCompressedSize(z.data() + at, z.size() - at);
        EXPECT_FALSE(ZSTD_isError(f.size));
        if (ZSTD_isError(f.size))
            break;
        std::string text;
        ZSTD_DStream* ds = ZSTD_createDStream();
        ZSTD_initDStream(ds);
        ZSTD_inBuffer in{z.data() + at, f.size, 0};
        std::vector<char> buf(ZSTD_DStreamOutSize());
        while (in.pos < in.size) {
            ZSTD_outBuffer out{buf.data(), buf.size(), 0};
            const std::size_t r = ZSTD_decompressStream(ds, &out, &in);
            EXPECT_FALSE(ZSTD_isError(r));
            if (ZSTD_isError(r))
                break;
            text.append(buf.data(), out.pos);
        }
        ZSTD_freeDStream(ds);
        for (std::sregex_iterator it(text.begin(), text.end(), idRe), end; it != end; ++it)
            f.ids.insert((*it)[1].str());
        frames.push_back(std::move(f));
        at += frames.back().size;
    }
    return frames;
}

std::set<std::string> loadedIds(const SessionStore& store)
{
    std::set<std::string> ids;
    if (const SessionModel* s = store.find("vm-1"))
        for (const auto& a : s->listAllocations())
            ids.insert(a.id);
    return ids;
}

} // namespace

TEST(ZstdResync, ACorruptFrameInTheMiddleCostsOnlyThatFrame)
{
    const fs::path p = test::scratchPath("flight-resync-test", "corrupt-middle.jsonl.zst");
    writeRecording(p);
    const std::string z = test::readFile(p);
    const std::vector<Frame> frames = framesOf(z);
    // The header's frame, one per flush of 200 messages (15), the last message's
    // at close, then the end mark (a skippable frame).
    ASSERT_EQ(frames.size(), 18u);
    EXPECT_EQ(z.substr(frames.back().offset, 4), std::string("\x5F\x2A\x4D\x18"));
    std::size_t allIds = 0;
    for (const Frame& f : frames)
        allIds += f.ids.size();
    ASSERT_EQ(allIds, kMessages);

    // The clean file: everything, no problem (closed: the end mark is there).
    {
        SessionStore store;
        const auto r = loadRecording(p.string(), store);
        EXPECT_TRUE(r.problems.empty()) << r.problems.front().message;
        EXPECT_EQ(loadedIds(store).size(), kMessages);
    }

    // Bytes in the middle of frame 8 (of 17) overwritten.
    const std::size_t k = 8;
    const Frame& bad = frames[k];
    std::string corrupt = z;
    for (std::size_t i = bad.offset + bad.size / 3; i < bad.offset + bad.size / 3 + 16; ++i)
        corrupt[i] = static_cast<char>(corrupt[i] ^ 0xA5);
    test::writeFile(p, corrupt);

    for (const bool thread : {true, false})
        for (const std::size_t chunk : {std::size_t{1} << 20, std::size_t{61}, std::size_t{4096}}) {
            SCOPED_TRACE(std::string(thread ? "zstd thread" : "one thread") + ", chunk " + std::to_string(chunk));
            SessionStore store;
            RecordingReadOptions o;
            o.zstdThread = thread;
            o.chunkBytes = chunk;
            const auto r = loadRecording(p.string(), store, o);
            const std::set<std::string> ids = loadedIds(store);
            // Every allocation of every other frame is there.
            std::size_t missingElsewhere = 0;
            for (std::size_t f = 0; f < frames.size(); ++f)
                if (f != k)
                    for (const auto& id : frames[f].ids)
                        missingElsewhere += ids.contains(id) ? 0 : 1;
            EXPECT_EQ(missingElsewhere, 0u);
            std::size_t lostHere = 0;
            for (const auto& id : bad.ids)
                lostHere += ids.contains(id) ? 0 : 1;
            EXPECT_GT(lostHere, 0u); // something was lost, and said so:
            RecordProperty(std::string(thread ? "thread" : "oneThread") + "Chunk" + std::to_string(chunk) + "Loaded",
                           std::to_string(ids.size()) + " of " + std::to_string(kMessages) + ", frame of "
                               + std::to_string(bad.ids.size()) + " at bytes " + std::to_string(bad.offset) + ".."
                               + std::to_string(bad.offset + bad.size));
            std::size_t reported = 0;
            const std::string range = "compressed bytes " + std::to_string(bad.offset) + ".."
                + std::to_string(bad.offset + bad.size) + " skipped";
            for (const auto& pr : r.problems)
                if (pr.kind == ReadProblemKind::CompressedCorrupt) {
                    ++reported;
                    EXPECT_NE(pr.message.find(range), std::string::npos) << pr.message;
                    EXPECT_EQ(pr.message.rfind("line " + std::to_string(pr.line) + ": corrupt zstd data after byte ", 0), 0u)
                        << pr.message;
                }
            EXPECT_EQ(reported, 1u);
            // The store lists it as a decode error naming the line.
            bool listed = false;
            for (const auto& pr : store.problems())
                listed = listed || (pr.kind == ProblemKind::DecodeError && pr.message.find(range) != std::string::npos);
            EXPECT_TRUE(listed);
            EXPECT_GE(store.decodeErrors(), 1u);
        }
    fs::remove(p);
}

TEST(ZstdResync, CorruptDataToTheEndIsReportedToTheEnd)
{
    const fs::path p = test::scratchPath("flight-resync-test", "corrupt-tail.jsonl.zst");
    writeRecording(p);
    std::string z = test::readFile(p);
    const std::vector<Frame> frames = framesOf(z);
    ASSERT_GE(frames.size(), 3u);
    // The last data frame damaged and the end mark gone: nothing to resynchronise on.
    const Frame& last = frames[frames.size() - 2];
    z.resize(last.offset + last.size);
    for (std::size_t i = last.offset + last.size / 2; i < last.offset + last.size / 2 + 8; ++i)
        z[i] = static_cast<char>(z[i] ^ 0x5A);
    test::writeFile(p, z);
    for (const bool thread : {true, false}) {
        SessionStore store;
        RecordingReadOptions o;
        o.zstdThread = thread;
        const auto r = loadRecording(p.string(), store, o);
        EXPECT_GE(loadedIds(store).size(), kMessages - last.ids.size());
        bool toTheEnd = false;
        for (const auto& pr : r.problems)
            toTheEnd = toTheEnd || pr.message.find(std::to_string(last.offset) + ".." + std::to_string(z.size())
                                                   + " (the end) skipped") != std::string::npos;
        EXPECT_TRUE(toTheEnd) << (r.problems.empty() ? "no problem" : r.problems.back().message);
    }
    fs::remove(p);
}
