// SPDX-License-Identifier: MIT
// Malformed frames were counted live (capture printed decode_errors=3) but
// not written to the recording, so the same recording loaded with 0 errors
// (issue 15). They are now kept as received, capped: a replay shows the same
// decode errors, and a huge one does not blow up the recording. Real
// WebSocket server on loopback, real LiveSession, real files, plain and zstd.
#include "live_test_support.h"

#include "live/client/live_session.h"
#include "protocol/recording_writer.h"
#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace flight;
using namespace flight::live;
using namespace flight::livetest;

TEST(MalformedFramesRecording, AReplayShowsTheSameDecodeErrorsAsLive)
{
    ensureCoreApp();
    const std::string huge = R"({"type":"marker","sessionId":"s1","timestamp":1764000000300,"label":")"
        + std::string(4u << 20, 'x'); // 4 MiB, never closed
    Stream stream;
    stream.items = {
        {R"({"type":"session_started","sessionId":"s1","platform":"v6r-small","timestamp":1764000000000,"seq":1})", "s1", 1},
        {R"({"type":"allocation","allocation":{"id":"a1","sessionId":"s1","size":4096,"purpose":"vm-heap","allocatedAt":1764000000100},"seq":2})", "s1", 2},
        {"not json at all", "", 0},
        {"{\"type\":\"marker\",\"sessionId\":\"s1\",\"timestamp\":1764000000200,\"label\":\"two\nlines\"}", "", 0},
        {huge, "", 0},
        {R"({"type":"allocation","allocation":{"id":"a2","sessionId":"s1","size":{"bytes":-1},"purpose":"vm-heap","allocatedAt":1764000000400}})", "", 0},
        {R"({"type":"allocation","allocation":{"id":"a3","sessionId":"s1","size":1024,"purpose":"vm-heap","allocatedAt":1764000000500},"seq":3})", "s1", 3},
    };
    for (const int kind : {0, 1, 2}) { // JSON Lines plain, zstd, and format 2
        const bool zstd = kind == 1, compact = kind == 2;
        SCOPED_TRACE(compact ? "format 2" : zstd ? "zstd" : "plain");
        QTemporaryDir dir;
        ASSERT_TRUE(dir.isValid());
        TestProducer server(stream);
        LiveSessionOptions o;
        o.connection.url = server.url();
        o.publishInterval = std::chrono::milliseconds(20);
        o.recordingPath = (dir.path() + (compact ? QStringLiteral("/live.fmr")
                                         : zstd   ? QStringLiteral("/live.jsonl.zst")
                                                  : QStringLiteral("/live.jsonl")))
                              .toStdString();
        o.compressRecording = zstd;
        o.recordingFormat = compact ? protocol::RecordingFormat::Compact : protocol::RecordingFormat::Jsonl;
        LiveSession live(o);
        live.start();
        ASSERT_TRUE(waitUntil([&] { return live.snapshotNow().stats.framesReceived == stream.items.size(); }, 10000));
        const LiveSnapshot last = live.stop();
        EXPECT_EQ(last.stats.decodeErrors, 4u);

        protocol::SessionStore loaded;
        const auto read = protocol::loadRecording(o.recordingPath, loaded);
        EXPECT_FALSE(read.ioError);
        EXPECT_TRUE(read.problems.empty()) << read.problems.front().message;
        EXPECT_EQ(loaded.decodeErrors(), 4u);
        EXPECT_EQ(loaded.messagesApplied(), 3u);
        ASSERT_NE(loaded.find("s1"), nullptr);
        EXPECT_EQ(loaded.find("s1")->usedBytes(), 5120u);
        std::size_t listed = 0;
        for (const auto& p : loaded.problems())
            listed += p.kind == protocol::ProblemKind::DecodeError ? 1 : 0;
        EXPECT_EQ(listed, 4u);
        // The 4 MiB frame is kept as its first 64 KiB: the recording stays small.
        EXPECT_LT(QFileInfo(QString::fromStdString(o.recordingPath)).size(),
                  static_cast<qint64>(protocol::RecordingWriter::kMaxMalformedFrameBytes + 16 * 1024));
        if (kind == 0) {
            const std::string text = [&] {
                QFile f(QString::fromStdString(o.recordingPath));
                EXPECT_TRUE(f.open(QIODevice::ReadOnly));
                return f.readAll().toStdString();
            }();
            EXPECT_NE(text.find("\nnot json at all\n"), std::string::npos);
            EXPECT_NE(text.find("two\x01lines"), std::string::npos);
            EXPECT_NE(text.find("\x01... (4194373 bytes received)\n"), std::string::npos);
        }
    }
}
