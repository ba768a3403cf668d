// SPDX-License-Identifier: MIT
#include "protocol/message_decoder.h"
#include "protocol/message_encoder.h"
#include "protocol/recording_reader.h"
#include "protocol/recording_writer.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <zstd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

using namespace flight;
using namespace flight::protocol;
namespace fs = std::filesystem;

namespace {

using test::readFile;
using test::writeFile;

// Decodes every line of a file; owned copies (encoded canonical text) of the messages.
struct Decoded {
    std::vector<std::string> messages; // canonical re-encoding
    std::vector<std::uint64_t> errorLines;
    std::uint64_t blank = 0;
    RecordingReadResult result;
};

Decoded decodeFile(const fs::path& p, RecordingReadOptions opts = {})
{
    Decoded out;
    MessageDecoder d(DecoderOptions{opts.maxLineBytes});
    out.result = readRecording(p.string(), [&](std::string_view line, std::uint64_t n, bool) {
        auto r = d.decode(line, n);
        if (!r)
            out.errorLines.push_back(n);
        else if (*r)
            out.messages.push_back(encode(**r));
        else
            ++out.blank;
    }, opts);
    return out;
}

std::vector<Message> sampleMessages(std::size_t n, std::vector<std::string>& ids)
{
    ids.clear();
    ids.reserve(n);
    std::vector<Message> out;
    out.push_back({SessionStartedMsg{"vm-1", "v6r-small", "rt", std::nullopt, std::nullopt, 1764000000000}, 1, std::nullopt});
    for (std::size_t i = 0; ids.size() < n; ++i)
        ids.push_back("a-" + std::to_string(i));
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const std::int64_t t = 1764000000000 + static_cast<std::int64_t>(i);
        switch (i % 4) {
        case 0:
        case 1:
            out.push_back({AllocationMsg{ids[i], "vm-1", 4096 + i, MemoryPurpose::fromIndex(static_cast<std::int64_t>(i % 8)).value(), t, std::nullopt}, i + 2, std::nullopt});
            break;
        case 2:
            out.push_back({FreeMsg{"vm-1", ids[i - 2], t}, i + 2, std::nullopt});
            break;
        default: {
            MemoryUpdateMsg u;
            u.sessionId = "vm-1";
            u.timestamp = t;
            u.usedBytes = i * 1000;
            u.totalBytes = 536870912;
            out.push_back({u, i + 2, std::nullopt});
        }
        }
    }
    return out;
}

std::string canonicalWithReceivedAt(Message m, std::int64_t at)
{
    m.receivedAt = at;
    return encode(m);
}

} // namespace

TEST(RecordingWriterReader, RoundTripPlainAndZstd)
{
    for (bool compress : {false, true}) {
        SCOPED_TRACE(compress ? "zstd" : "plain");
        std::vector<std::string> ids;
        const auto messages = sampleMessages(3000, ids);
        const fs::path p = test::scratchPath("flight-proto-test", compress ? "rt.jsonl.zst" : "rt.jsonl");
        RecordingWriterOptions o;
        o.compress = compress;
        o.source = "ws://127.0.0.1:8765";
        o.createdAt = 1764000000000;
        {
            auto w = RecordingWriter::create(p.string(), o);
            ASSERT_TRUE(w.has_value()) << w.error().message;
            for (std::size_t i = 0; i < messages.size(); ++i)
                ASSERT_TRUE(w->append(messages[i], 1764000000000 + static_cast<std::int64_t>(i) * 2));
            EXPECT_EQ(w->messagesWritten(), messages.size());
            EXPECT_GE(w->flushCount(), 1u + messages.size() / 1000);
            ASSERT_TRUE(w->close());
        }
        const std::string bytes = readFile(p);
        EXPECT_EQ(looksLikeZstd(bytes), compress);
        const Decoded got = decodeFile(p);
        EXPECT_EQ(got.result.compressed, compress);
        EXPECT_TRUE(got.errorLines.empty());
        EXPECT_TRUE(got.result.problems.empty()) << got.result.problems.front().message;
        EXPECT_FALSE(got.result.endedMidLine);
        ASSERT_EQ(got.messages.size(), messages.size() + 1);
        EXPECT_EQ(got.messages[0],
                  R"({"type":"recording","format":"flight-memory-recording/1","createdAt":1764000000000,"source":"ws://127.0.0.1:8765","application":"flight-inspector )" FLIGHT_VERSION R"("})");
        for (std::size_t i = 0; i < messages.size(); ++i)
            ASSERT_EQ(got.messages[i + 1], canonicalWithReceivedAt(messages[i], 1764000000000 + static_cast<std::int64_t>(i) * 2)) << i;
    }
}

TEST(RecordingWriterReader, FlushedDataSurvivesAKill)
{
    for (bool compress : {false, true}) {
        SCOPED_TRACE(compress ? "zstd" : "plain");
        std::vector<std::string> ids;
        const auto messages = sampleMessages(2500, ids);
        const fs::path p = test::scratchPath("flight-proto-test", compress ? "kill.zst" : "kill.jsonl");
        RecordingWriterOptions o;
        o.compress = compress;
        o.flushInterval = std::chrono::hours(1); // only the message count triggers
        auto w = RecordingWriter::create(p.string(), o);
        ASSERT_TRUE(w.has_value());
        for (std::size_t i = 0; i < 2500; ++i)
            ASSERT_TRUE(w->append(messages[i], 1764000000000));
        // 2 flushes by count (1000, 2000) after the header's: the file holds 2000 messages
        const fs::path copy = test::scratchPath("flight-proto-test", compress ? "kill-copy.zst" : "kill-copy.jsonl");
        fs::copy_file(p, copy, fs::copy_options::overwrite_existing); // what a killed process leaves
        const Decoded got = decodeFile(copy);
        EXPECT_TRUE(got.errorLines.empty());
        ASSERT_EQ(got.messages.size(), 2001u);
        EXPECT_EQ(got.messages[2000], canonicalWithReceivedAt(messages[1999], 1764000000000));
        if (compress) {
            ASSERT_FALSE(got.result.problems.empty());
            EXPECT_EQ(got.result.problems.back().kind, ReadProblemKind::CompressedCut);
        } else {
            EXPECT_TRUE(got.result.problems.empty());
        }
    }
}

TEST(RecordingWriterReader, TimeBasedFlush)
{
    const fs::path p = test::scratchPath("flight-proto-test", "timed.jsonl");
    RecordingWriterOptions o;
    o.flushInterval = std::chrono::milliseconds(20);
    // Taken before the writer starts its interval (at create), so a flush at
    // exactly 20 ms after that is never read as early.
    const auto started = std::chrono::steady_clock::now();
    auto w = RecordingWriter::create(p.string(), o);
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE(w->append(Message{MarkerMsg{"s", 1764000000000, "one"}, std::nullopt, std::nullopt}, 1764000000000));
    const auto flushesBefore = w->flushCount();
    // Due once the interval has passed since the last flush: asked until it is, never waiting a fixed time.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (w->flushCount() == flushesBefore && std::chrono::steady_clock::now() < deadline)
        ASSERT_TRUE(w->flushIfDue());
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(20)); // not before it was due
    EXPECT_EQ(w->flushCount(), flushesBefore + 1);
    EXPECT_EQ(decodeFile(p).messages.size(), 2u);
}

TEST(RecordingReader, TruncatedAtEveryByteOffset)
{
    std::string content;
    content += R"({"type":"recording","format":"flight-memory-recording/1","createdAt":1764000000000})" "\n";
    content += R"({"type":"session_started","sessionId":"s","platform":"psp","timestamp":1764000000000})" "\n";
    content += R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":"1MB","purpose":"vm-heap","allocatedAt":1764000000001}})" "\n";
    content += "\n";
    content += R"({"type":"memory_update","sessionId":"s","timestamp":1764000000002,"usage":"1MB","total":"64MB"})" "\n";
    content += R"({"type":"free","sessionId":"s","allocationId":"a","freedAt":1764000000003})" "\n";
    content += R"({"type":"marker","sessionId":"s","timestamp":1764000000004,"label":"end"})" "\n";
    const fs::path p = test::scratchPath("flight-proto-test", "cut.jsonl");
    for (std::size_t cut = 0; cut <= content.size(); ++cut) {
        const std::string_view prefix(content.data(), cut);
        writeFile(p, prefix);
        const Decoded got = decodeFile(p);
        std::size_t completeMessages = 0;
        std::size_t lines = 0;
        for (std::size_t i = 0; i < cut; ++i)
            if (content[i] == '\n') {
                ++lines;
                if (lines != 4)
                    ++completeMessages;
            }
        const bool midLine = cut > 0 && content[cut - 1] != '\n';
        ASSERT_EQ(got.result.endedMidLine, midLine) << cut;
        // every complete line applied; the unterminated tail either decodes (it was whole) or is one error
        ASSERT_GE(got.messages.size(), completeMessages) << cut;
        ASSERT_LE(got.messages.size(), completeMessages + (midLine ? 1 : 0)) << cut;
        ASSERT_EQ(got.messages.size() + got.errorLines.size() + got.blank, lines + (midLine ? 1 : 0)) << cut;
        if (midLine && got.messages.size() == completeMessages)
            ASSERT_EQ(got.errorLines, std::vector<std::uint64_t>{lines + 1}) << cut;
        else
            ASSERT_TRUE(got.errorLines.empty()) << cut;
    }
}

TEST(RecordingReader, RandomBytesInvalidUtf8AndNulBytes)
{
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<unsigned char>(state >> 56);
    };
    std::string junk(200000, '\0');
    for (auto& c : junk)
        c = static_cast<char>(next());
    junk[0] = '{'; // not zstd magic
    const fs::path p = test::scratchPath("flight-proto-test", "random.bin");
    writeFile(p, junk);
    const Decoded got = decodeFile(p);
    EXPECT_FALSE(got.result.ioError);
    EXPECT_EQ(got.messages.size(), 0u);
    EXPECT_GT(got.errorLines.size(), 100u);

    std::string mixed;
    mixed += "{\"type\":\"marker\",\"sessionId\":\"s\",\"timestamp\":1764000000000,\"label\":\"\xC3\x28\"}\n"; // invalid UTF-8
    static const char withNul[] = "{\"type\":\"marker\",\"label\":\"a\0b\"}\n";
    mixed += std::string(withNul, sizeof withNul - 1); // NUL inside
    mixed += std::string(50, '\0') + "\n";
    mixed += R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":"ok"})" "\n";
    writeFile(p, mixed);
    const Decoded m = decodeFile(p);
    EXPECT_EQ(m.errorLines, (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(m.messages.size(), 1u);
}

TEST(RecordingReader, TwentyMiBLineIsRefusedAndTheFileGoesOn)
{
    std::string content;
    content += R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":"before"})" "\n";
    content += R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":")" + std::string(20u << 20, 'x') + "\"}\n";
    content += R"({"type":"marker","sessionId":"s","timestamp":1764000000001,"label":"after"})" "\n";
    const fs::path p = test::scratchPath("flight-proto-test", "big.jsonl");
    writeFile(p, content);
    const Decoded got = decodeFile(p);
    ASSERT_EQ(got.messages.size(), 2u);
    EXPECT_NE(got.messages[1].find("after"), std::string::npos);
    ASSERT_EQ(got.result.problems.size(), 1u);
    EXPECT_EQ(got.result.problems[0].kind, ReadProblemKind::LineTooLong);
    EXPECT_EQ(got.result.problems[0].line, 2u);
    EXPECT_NE(got.result.problems[0].message.find("line 2: "), std::string::npos);
    EXPECT_NE(got.result.problems[0].message.find("16777216"), std::string::npos);
    EXPECT_EQ(got.result.lines, 3u);

    // same in zstd
    std::string z(ZSTD_compressBound(content.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), content.data(), content.size(), 1));
    const fs::path pz = test::scratchPath("flight-proto-test", "big.zst");
    writeFile(pz, z);
    const Decoded gz = decodeFile(pz);
    EXPECT_TRUE(gz.result.compressed);
    EXPECT_EQ(gz.messages.size(), 2u);
    ASSERT_EQ(gz.result.problems.size(), 1u);
    EXPECT_EQ(gz.result.problems[0].line, 2u);
}

TEST(RecordingReader, ZstdCutShortLoadsWhatCameBefore)
{
    std::string content;
    for (int i = 0; i < 2000; ++i)
        content += R"({"type":"marker","sessionId":"s","timestamp":)" + std::to_string(1764000000000 + i) + R"(,"label":"m)" + std::to_string(i * 7919 % 10007) + "\"}\n";
    std::string z(ZSTD_compressBound(content.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), content.data(), content.size(), 3));
    const fs::path p = test::scratchPath("flight-proto-test", "cut.zst");
    std::size_t previous = 0;
    for (std::size_t cut : {z.size(), z.size() - 1, z.size() * 3 / 4, z.size() / 2, z.size() / 10, std::size_t{5}, std::size_t{4}}) {
        writeFile(p, std::string_view(z.data(), cut));
        const Decoded got = decodeFile(p);
        EXPECT_TRUE(got.result.compressed);
        if (cut == z.size()) {
            EXPECT_EQ(got.messages.size(), 2000u);
            EXPECT_TRUE(got.result.problems.empty());
            EXPECT_TRUE(got.errorLines.empty());
            previous = 2000;
        } else {
            EXPECT_LE(got.messages.size(), previous);
            previous = got.messages.size();
            EXPECT_LE(got.errorLines.size(), 1u);
            bool cutReported = false;
            for (const auto& pr : got.result.problems)
                cutReported |= pr.kind == ReadProblemKind::CompressedCut;
            EXPECT_TRUE(cutReported) << cut;
        }
    }
    // corrupt compressed data: reported, no crash
    std::string bad = z;
    for (std::size_t i = 100; i < bad.size(); i += 7)
        bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    writeFile(p, bad);
    const Decoded got = decodeFile(p);
    EXPECT_FALSE(got.result.problems.empty());
}

TEST(RecordingReader, ProgressReachesOneAndCancelWorks)
{
    std::string content;
    for (int i = 0; i < 20000; ++i)
        content += R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":"x"})" "\n";
    const fs::path p = test::scratchPath("flight-proto-test", "progress.jsonl");
    writeFile(p, content);

    std::vector<double> seen;
    RecordingReadOptions o;
    o.chunkBytes = 64 * 1024;
    o.progress = [&](double v) { seen.push_back(v); };
    const Decoded all = decodeFile(p, o);
    EXPECT_EQ(all.messages.size(), 20000u);
    ASSERT_GE(seen.size(), 3u);
    EXPECT_EQ(seen.front(), 0.0);
    EXPECT_EQ(seen.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_FALSE(all.result.cancelled);

    // cancel through an atomic, set from another thread while the reader waits in the sink
    std::atomic<bool> cancel{false};
    std::atomic<bool> inSink{false};
    std::uint64_t delivered = 0;
    RecordingReadOptions c;
    c.chunkBytes = 64 * 1024;
    c.cancel = &cancel;
    std::thread canceller([&] {
        while (!inSink.load())
            std::this_thread::yield();
        cancel.store(true);
    });
    auto r = readRecording(p.string(), [&](std::string_view, std::uint64_t, bool) {
        ++delivered;
        inSink.store(true);
        while (!cancel.load())
            std::this_thread::yield();
    }, c);
    canceller.join();
    EXPECT_TRUE(r.cancelled);
    EXPECT_LT(delivered, 20000u);

    // and through a stop_token
    std::stop_source stop;
    RecordingReadOptions s;
    s.chunkBytes = 64 * 1024;
    s.stopToken = stop.get_token();
    std::uint64_t n = 0;
    auto r2 = readRecording(p.string(), [&](std::string_view, std::uint64_t, bool) {
        if (++n == 10)
            stop.request_stop();
    }, s);
    EXPECT_TRUE(r2.cancelled);
    EXPECT_LT(n, 20000u);
}

TEST(RecordingReader, MissingFileIsAnIoError)
{
    auto r = readRecording("/nonexistent/dir/x.jsonl", [](std::string_view, std::uint64_t, bool) {});
    ASSERT_TRUE(r.ioError.has_value());
    EXPECT_EQ(r.ioError->code, MemoryErrorCode::IoError);
}

TEST(RecordingReader, CrLfAndBlankLines)
{
    const fs::path p = test::scratchPath("flight-proto-test", "crlf.jsonl");
    writeFile(p, "{\"type\":\"marker\",\"sessionId\":\"s\",\"timestamp\":1764000000000,\"label\":\"a\"}\r\n\r\n\n"
                 "{\"type\":\"marker\",\"sessionId\":\"s\",\"timestamp\":1764000000000,\"label\":\"b\"}");
    const Decoded got = decodeFile(p);
    EXPECT_EQ(got.messages.size(), 2u);
    EXPECT_EQ(got.blank, 2u);
    EXPECT_TRUE(got.errorLines.empty());
    EXPECT_TRUE(got.result.endedMidLine);
}

// The reader's side of decoding in place (LineSink, beforeReuse): every line
// is followed by the byte it ended at and kLinePadding readable bytes, and a
// line kept past its call stays intact until beforeReuse. Lines of every
// length around the chunk size, so that many are carried over from one chunk
// to the next; plain, zstd on the second thread and zstd on this one; with
// CRLF endings and an unterminated last line.
TEST(RecordingReader, LinesStayIntactUntilBeforeReuseAndAreFollowedByReadableBytes)
{
    std::string content;
    std::vector<std::string> expected;
    for (int i = 0; i < 400; ++i) {
        std::string line = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(static_cast<std::size_t>(i * 7 % 190), 'x') + "\"}";
        content += line + (i % 5 == 0 ? "\r\n" : "\n");
        expected.push_back(line);
    }
    content += "{\"last\":true"; // no newline
    expected.push_back("{\"last\":true");
    const fs::path plain = test::scratchPath("flight-proto-test", "in-place.jsonl");
    writeFile(plain, content);
    const fs::path packed = test::scratchPath("flight-proto-test", "in-place.jsonl.zst");
    {
        std::string z(ZSTD_compressBound(content.size()), '\0');
        z.resize(ZSTD_compress(z.data(), z.size(), content.data(), content.size(), 3));
        writeFile(packed, z);
    }
    for (const fs::path& file : {plain, packed}) {
        for (bool thread : {true, false}) {
            for (std::size_t chunk : {std::size_t{16}, std::size_t{100}, std::size_t{257}, std::size_t{1} << 20}) {
                std::vector<std::string_view> kept;
                std::vector<std::string> copies;
                std::vector<std::string> seen;
                int releases = 0;
                auto check = [&] {
                    for (std::size_t i = 0; i < kept.size(); ++i)
                        ASSERT_EQ(kept[i], copies[i]) << file << " chunk " << chunk << ": a kept line changed";
                    kept.clear();
                    copies.clear();
                    ++releases;
                };
                RecordingReadOptions o;
                o.chunkBytes = chunk;
                o.zstdThread = thread;
                o.beforeReuse = check;
                const auto r = readRecording(file.string(), [&](std::string_view line, std::uint64_t, bool) {
                    const char after = line.data()[line.size()];
                    EXPECT_TRUE(after == '\n' || after == '\r' || after == '\0') << int(after);
                    unsigned sum = 0;
                    for (std::size_t i = 0; i < kLinePadding; ++i) // readable (ASan would say otherwise)
                        sum += static_cast<unsigned char>(line.data()[line.size() + i]);
                    (void)sum;
                    kept.push_back(line);
                    copies.emplace_back(line);
                    seen.emplace_back(line);
                }, o);
                EXPECT_TRUE(kept.empty()) << "beforeReuse is called before readRecording returns";
                EXPECT_EQ(seen, expected) << file << " chunk " << chunk;
                EXPECT_TRUE(r.endedMidLine);
                // plain lines live in the chunk (zstd output buffers hold at least one 128 KiB window)
                EXPECT_GE(releases, file == plain && chunk == 16 ? 100 : 1) << file << " chunk " << chunk;
            }
        }
    }
}
