// SPDX-License-Identifier: MIT
// The examples of docs/protocol.md, read out of the page itself (each fenced
// block after an "<!-- example: NAME -->" line) and run through the decoder and
// the session store, with the figures the page states. Editing an example so
// that it no longer decodes as described fails here.

#include "protocol/message_decoder.h"
#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace flight;
using namespace flight::protocol;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

// NAME -> the lines of its fenced block.
std::map<std::string, std::vector<std::string>> docExamples()
{
    std::ifstream in(FLIGHT_SOURCE_DIR "/docs/protocol.md");
    EXPECT_TRUE(in) << "cannot read docs/protocol.md";
    std::map<std::string, std::vector<std::string>> out;
    const std::string marker = "<!-- example: ";
    std::string line, name;
    enum { Text, AwaitFence, InBlock } state = Text;
    while (std::getline(in, line)) {
        if (state == Text && line.starts_with(marker)) {
            name = line.substr(marker.size(), line.find(" -->") - marker.size());
            EXPECT_FALSE(out.contains(name)) << "example named twice: " << name;
            out[name];
            state = AwaitFence;
        } else if (state == AwaitFence) {
            EXPECT_TRUE(line.starts_with("```")) << "example " << name << " is not followed by a fenced block";
            state = InBlock;
        } else if (state == InBlock) {
            if (line.starts_with("```"))
                state = Text;
            else
                out[name].push_back(line);
        }
    }
    EXPECT_EQ(state, Text) << "unterminated block in docs/protocol.md";
    return out;
}

const std::map<std::string, std::vector<std::string>>& examples()
{
    static const auto all = docExamples();
    return all;
}

std::unique_ptr<SessionStore> ingest(const std::vector<std::string>& lines)
{
    auto store = std::make_unique<SessionStore>();
    std::uint64_t n = 0;
    for (const std::string& l : lines)
        store->ingest(l, ++n);
    return store;
}

std::string problems(const SessionStore& store)
{
    std::string out;
    for (const StoreProblem& p : store.problems())
        out += p.message + "\n";
    return out;
}

TEST(DocsExamples, ThePageHasEveryExample)
{
    std::set<std::string> names;
    for (const auto& [name, lines] : examples()) {
        names.insert(name);
        EXPECT_FALSE(lines.empty()) << name;
    }
    EXPECT_EQ(names, (std::set<std::string>{"kinds", "canonical", "typescript", "go", "wit", "v6r-flat", "errors"}));
}

TEST(DocsExamples, EveryMessageKindDecodesWithoutAProblem)
{
    const auto& lines = examples().at("kinds");
    MessageDecoder decoder;
    std::set<std::string> kinds;
    std::uint64_t n = 0;
    for (const std::string& l : lines) {
        auto m = decoder.decode(l, ++n);
        ASSERT_TRUE(m.has_value()) << m.error().message;
        ASSERT_TRUE(m->has_value()) << "line " << n << " decoded to nothing";
        kinds.insert(std::string(typeName((*m)->payload)));
        EXPECT_TRUE(decoder.warnings().empty()) << l;
    }
    EXPECT_EQ(kinds, (std::set<std::string>{"hello", "session_started", "limits", "marker", "allocation", "memory_update",
                                            "free", "error", "session_ended"}));

    const auto store = ingest(lines);
    EXPECT_EQ(store->decodeErrors(), 0u) << problems(*store);
    EXPECT_EQ(store->sessionErrors(), 1u) << problems(*store); // the error the producer reported
    EXPECT_EQ(store->seqGaps(), 0u);
    ASSERT_EQ(store->sessionCount(), 1u);
    const SessionModel& s = store->session(0);
    EXPECT_EQ(s.info().label, "build VM");
    EXPECT_EQ(s.peakBytes(), 4 * kMiB);
    EXPECT_EQ(s.usedBytes(), 0u);
    EXPECT_EQ(s.markers().size(), 1u);
    ASSERT_TRUE(s.limits().has_value());
    EXPECT_EQ(s.limits()->heapMax.bytes, 256 * kMiB);
    EXPECT_EQ(s.endedAt(), 1764000003000);
}

// The same allocation in every dialect: one session vm-7 on v6r-small (512 MiB),
// a-91, 4 MiB of asset-cache from 1764000001000 ms to 1764000002000 ms.
class DialectExample : public testing::TestWithParam<const char*> {};

TEST_P(DialectExample, DecodesToTheSameAllocation)
{
    const auto store = ingest(examples().at(GetParam()));
    EXPECT_EQ(store->decodeErrors(), 0u) << problems(*store);
    EXPECT_EQ(store->sessionErrors(), 0u) << problems(*store);
    EXPECT_EQ(store->warnings(), 0u) << problems(*store);
    ASSERT_EQ(store->sessionCount(), 1u);
    const SessionModel& s = store->session(0);
    EXPECT_EQ(s.info().sessionId, "vm-7");
    EXPECT_EQ(s.info().platform, "v6r-small");
    EXPECT_EQ(s.info().totalBytes, 512 * kMiB);
    EXPECT_EQ(s.info().startedAt, 1764000000000);
    ASSERT_EQ(s.allocationCount(), 1u);
    const MemoryAllocation a = s.allocation(0);
    EXPECT_EQ(a.id, "a-91");
    EXPECT_EQ(a.size.bytes, 4 * kMiB);
    EXPECT_EQ(a.purpose, MemoryPurpose::fromName("asset-cache"));
    EXPECT_EQ(a.allocatedAt, 1764000001000);
    EXPECT_EQ(a.freedAt, 1764000002000);
    EXPECT_EQ(s.usageAt(1764000001500)[MemoryPurpose::fromName("asset-cache")], static_cast<std::int64_t>(4 * kMiB));
    EXPECT_EQ(s.usedBytes(), 0u);
}

INSTANTIATE_TEST_SUITE_P(ProtocolPage, DialectExample, testing::Values("canonical", "typescript", "go", "wit"));

TEST(DocsExamples, TheFlatV6RUpdatesShowTheSameFourMiB)
{
    const auto store = ingest(examples().at("v6r-flat"));
    EXPECT_EQ(store->decodeErrors(), 0u) << problems(*store);
    EXPECT_EQ(store->warnings(), 0u) << problems(*store);
    ASSERT_EQ(store->sessionCount(), 1u);
    const SessionModel& s = store->session(0);
    EXPECT_EQ(s.info().sessionId, std::string(kImplicitSessionId));
    EXPECT_EQ(s.info().totalBytes, 512 * kMiB);
    EXPECT_EQ(s.samples().size(), 3u);
    EXPECT_EQ(s.usedAt(1764000001000), 132 * kMiB);
    EXPECT_EQ(s.peakBytes(), 132 * kMiB);
    EXPECT_EQ(s.usedBytes(), 128 * kMiB);
}

TEST(DocsExamples, TheBadLinesGiveTheErrorsThePageLists)
{
    const auto store = ingest(examples().at("errors"));
    EXPECT_EQ(store->decodeErrors(), 4u) << problems(*store);
    EXPECT_EQ(store->sessionErrors(), 2u) << problems(*store);
    EXPECT_EQ(store->warnings(), 2u) << problems(*store);
    // The messages quoted on the page, in order (warnings are not quoted there).
    std::vector<std::string> quoted;
    for (const StoreProblem& p : store->problems())
        if (p.kind == ProblemKind::DecodeError || p.kind == ProblemKind::SessionError)
            quoted.push_back(p.message);
    const std::vector<std::string> page = {
        "line 2: size.bytes: negative size -4096",
        "line 3: unknown purpose index 9 (0..7)",
        "line 6: invalid-allocation: no allocation \"a-404\" to free",
        "line 7: not a JSON object: JSON document ended early in the middle of an object or array.",
        "line 8: not JSON: Problem while parsing an atom starting with the letter 'n'",
        "line 10: already-freed: allocation \"a-3\" was already freed at 1764000000500",
    };
    EXPECT_EQ(quoted, page);
    std::ifstream in(FLIGHT_SOURCE_DIR "/docs/protocol.md");
    std::stringstream text;
    text << in.rdbuf();
    for (const std::string& m : page)
        EXPECT_NE(text.str().find(m), std::string::npos) << "not quoted on the page: " << m;

    ASSERT_EQ(store->sessionCount(), 1u);
    const SessionModel& s = store->session(0);
    ASSERT_EQ(s.allocationCount(), 1u);
    EXPECT_EQ(s.allocation(0).id, "a-3");
    EXPECT_EQ(s.allocation(0).size.bytes, 4096u);
    EXPECT_EQ(s.allocation(0).purpose.name(), "shader-cache");
    EXPECT_EQ(s.allocation(0).freedAt, 1764000000500);
}

} // namespace
