// SPDX-License-Identifier: MIT
// AgentServer with many open sessions (issue #15, attack 1): a new client is
// sent every session, in publish order, while a client already connected
// keeps getting live messages. Delivering S sessions used to cost O(S^2) per
// message sent (20.6 s at 4,000; stuck at 5,000); the time it takes now is a
// benchmark (tests/benchmarks/agent_fanout_benchmark.cpp), not asserted here.

#include "live_server_test_support.h"

#include "live/server/agent_server.h"

#include <string>

using namespace flight;
using namespace flight::live;
using namespace flight::live::test;
using namespace flight::livetest;

namespace {

constexpr int kSessions = 10'000;

void publishSessions(AgentServer& server, int sessions)
{
    for (int i = 1; i <= sessions; ++i) {
        const std::string id = "s" + std::to_string(i);
        server.publish(protocol::Message{protocol::SessionStartedMsg{id, "psp", "", {}, {}, 1764000000000 + i}, {}, {}});
        server.publish(protocol::Message{protocol::MarkerMsg{id, 1764000000001 + i, "open"}, {}, {}});
    }
}

TEST(AgentManySessions, ANewClientGetsEveryOneOfTenThousandOpenSessionsInPublishOrder)
{
    ensureCoreApp();
    AgentServerOptions o;
    o.subscribeGrace = std::chrono::milliseconds(50);
    AgentServer server(o);
    ASSERT_TRUE(server.listen().has_value());
    TestClient early; // connected before: gets them live, and more while the late one is served
    early.open(server.url());
    ASSERT_TRUE(early.waitConnected());
    ASSERT_TRUE(waitUntil([&] { return early.hellos == 1; }, 3000));
    publishSessions(server, kSessions);
    ASSERT_TRUE(waitUntil([&] { return early.messages == 2u * kSessions; }, 60'000)) << early.messages;

    TestClient late;
    late.open(server.url());
    ASSERT_TRUE(late.waitConnected());
    // while the late client is being served, the early one gets what is published
    std::uint64_t earlyLiveDuringCatchUp = 0;
    int published = 0;
    ASSERT_TRUE(waitUntil([&] {
        if (late.messages > 0 && late.messages < 2u * kSessions) {
            if (published < 1000) {
                server.publish(protocol::Message{protocol::MarkerMsg{"s1", 1764000100000 + published, "live"}, {}, {}});
                ++published;
            }
            earlyLiveDuringCatchUp = early.messages - 2u * kSessions;
        }
        return late.messages >= 2u * kSessions + published;
    }, 60'000)) << late.messages << " of " << 2 * kSessions;
    ASSERT_TRUE(waitUntil([&] { return early.messages == 2u * kSessions + published; }, 5000));

    EXPECT_EQ(late.sessions.size(), static_cast<std::size_t>(kSessions));
    EXPECT_EQ(late.bad, 0u);
    for (int i : {1, 5'000, kSessions}) {
        const std::string id = "s" + std::to_string(i);
        ASSERT_GE(late.count(id), 2u) << id;
        EXPECT_EQ(late.sessions[id].seqs.front(), 1u);
        EXPECT_NE(late.sessions[id].bodies.front().find("\"session_started\""), std::string::npos);
    }
    // every session's messages came in seq order, none twice
    for (const auto& [id, rec] : late.sessions)
        ASSERT_EQ(rec.seqs, iota1(1, rec.seqs.size())) << id;
    EXPECT_GT(published, 0) << "the late client's catch-up was observed";
    EXPECT_GT(earlyLiveDuringCatchUp, 0u) << "the early client was served while the late one caught up";
    const auto stats = server.stats();
    EXPECT_EQ(stats.dropped, 0u);
    EXPECT_EQ(stats.sessions, static_cast<std::size_t>(kSessions));
}

} // namespace
