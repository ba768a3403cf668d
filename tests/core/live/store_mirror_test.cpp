// SPDX-License-Identifier: MIT
// StoreMirror (live/client/store_mirror.h): a copy brought up to date from one its
// reader gave back equals a full SessionStore::clone of the source, through
// appends, frees, renamed sessions, refused frames, compactions and dropped
// ended sessions, with copies held for a while and given back on other threads.

#include "generator/workload_generator.h"
#include "live/common/message_rewrite.h"
#include "live/client/store_mirror.h"
#include "model/retention_policy.h"
#include "protocol/message_encoder.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"
#include "protocol/window_export.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include <deque>
#include <optional>
#include <thread>

using namespace flight;
using namespace flight::live;

namespace {

// What the live worker's gate does for the mirror: every admitted frame is logged,
// those of session "c" under the renamed "c~2" (a restarted producer's session).
class LoggingGate final : public protocol::MessageGate {
public:
    StoreMirror* mirror = nullptr;
    std::string_view frame;
    const std::string renamed = "c~2";
    bool admit(protocol::Message& m, std::uint64_t line) override
    {
        const bool rename = m.sessionId() == "c";
        if (rename)
            setMessageSessionId(m, renamed);
        mirror->frameApplied(frame, line, rename ? &renamed : nullptr);
        return true;
    }
};

QByteArray exported(const protocol::SessionStore& store, const QString& path)
{
    auto r = protocol::exportRecentWindow(store, std::chrono::hours(24), path.toStdString());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray bytes = f.readAll();
    // The export's header carries the time it was written: compare what follows it.
    return bytes.mid(bytes.indexOf('\n') + 1);
}

void expectSameStore(const protocol::SessionStore& a, const protocol::SessionStore& b, const QTemporaryDir& dir,
                     const std::string& where)
{
    SCOPED_TRACE(where);
    EXPECT_EQ(a.messagesApplied(), b.messagesApplied());
    EXPECT_EQ(a.decodeErrors(), b.decodeErrors());
    EXPECT_EQ(a.sessionErrors(), b.sessionErrors());
    EXPECT_EQ(a.warnings(), b.warnings());
    EXPECT_EQ(a.seqGaps(), b.seqGaps());
    EXPECT_EQ(a.endedSessionsDropped(), b.endedSessionsDropped());
    EXPECT_EQ(a.problemsNotListed(), b.problemsNotListed());
    ASSERT_EQ(a.problems().size(), b.problems().size());
    for (std::size_t i = 0; i < a.problems().size(); ++i) {
        EXPECT_EQ(a.problems()[i].line, b.problems()[i].line);
        EXPECT_EQ(a.problems()[i].message, b.problems()[i].message);
        EXPECT_EQ(a.problems()[i].timeMs, b.problems()[i].timeMs);
    }
    ASSERT_EQ(a.sessionCount(), b.sessionCount());
    for (std::size_t s = 0; s < a.sessionCount(); ++s) {
        const SessionModel& x = a.session(s);
        const SessionModel& y = b.session(s);
        SCOPED_TRACE(x.info().sessionId);
        EXPECT_EQ(x.info().sessionId, y.info().sessionId);
        EXPECT_EQ(x.firstMs(), y.firstMs());
        EXPECT_EQ(x.lastMs(), y.lastMs());
        EXPECT_EQ(x.endedAt(), y.endedAt());
        EXPECT_EQ(x.peakBytes(), y.peakBytes());
        EXPECT_EQ(x.usedBytes(), y.usedBytes());
        EXPECT_EQ(x.freesHeld(), y.freesHeld());
        EXPECT_EQ(x.retention().compactions, y.retention().compactions);
        EXPECT_EQ(x.retention().fullDetailFromMs, y.retention().fullDetailFromMs);
        EXPECT_EQ(x.retention().allocationsDropped, y.retention().allocationsDropped);
        ASSERT_EQ(x.allocationCount(), y.allocationCount());
        for (std::size_t i = 0; i < x.allocationCount(); ++i) {
            const AllocationRecord& p = x.allocationRecord(i);
            const AllocationRecord& q = y.allocationRecord(i);
            ASSERT_EQ(p.bytes, q.bytes) << i;
            ASSERT_EQ(p.allocatedAt, q.allocatedAt) << i;
            ASSERT_EQ(p.freedAt, q.freedAt) << i; // frees change old records in place
            ASSERT_EQ(p.purpose, q.purpose) << i;
            ASSERT_EQ(x.allocation(i).id, y.allocation(i).id) << i;
        }
        ASSERT_EQ(x.timelineEventCount(), y.timelineEventCount());
        std::vector<std::pair<std::int64_t, std::uint64_t>> cx, cy;
        x.forEachUsageChangeFrom(0, [&](std::int64_t t, std::uint64_t used, const PurposeUsage&) { cx.emplace_back(t, used); });
        y.forEachUsageChangeFrom(0, [&](std::int64_t t, std::uint64_t used, const PurposeUsage&) { cy.emplace_back(t, used); });
        EXPECT_EQ(cx, cy);
        ASSERT_EQ(x.events().size(), y.events().size());
        for (std::size_t i = 0; i < x.events().size(); ++i) {
            EXPECT_EQ(x.events()[i].timeMs, y.events()[i].timeMs);
            EXPECT_EQ(x.events()[i].error.message, y.events()[i].error.message);
        }
        ASSERT_EQ(x.markers().size(), y.markers().size());
        for (std::size_t i = 0; i < x.markers().size(); ++i)
            EXPECT_EQ(x.markers()[i].label, y.markers()[i].label);
        EXPECT_EQ(x.samples().size(), y.samples().size());
    }
    EXPECT_EQ(protocol::summaryJson(a), protocol::summaryJson(b));
    EXPECT_EQ(exported(a, dir.filePath(QStringLiteral("a.fmr"))), exported(b, dir.filePath(QStringLiteral("b.fmr"))));
}

} // namespace

TEST(StoreMirror, ACopyBroughtUpToDateEqualsAFullCloneThroughFreesCompactionAndDrops)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    protocol::SessionStore master;
    StoreMirror mirror(master, {});
    LoggingGate gate;
    gate.mirror = &mirror;

    // Three sessions one after the other, each ending: "a" (a VM, frees and the slow
    // leak), "b" (a console), "c" (renamed to "c~2" on the way in); a refused frame now and then.
    struct Run { const char* platform; const char* id; std::uint64_t events; };
    const Run runs[] = {{"v6r-small", "a", 6000}, {"dreamcast", "b", 3000}, {"v6r-small", "c", 4000}};
    RetentionPolicy policy;
    policy.fullDetail = std::chrono::milliseconds(4000); // compactions drop detail from the copies too
    std::deque<std::unique_ptr<protocol::SessionStore>> held;
    std::uint64_t line = 0, step = 0;
    std::string frame;
    std::int64_t startMs = generator::kDefaultWorkloadStartMs;
    for (const Run& run : runs) {
        generator::WorkloadOptions o;
        o.startMs = startMs; // one after the other: the first ended is the first dropped
        startMs += 3'600'000;
        o.platform = run.platform;
        o.events = run.events;
        o.sequenceNumbers = false;
        auto g = generator::WorkloadGenerator::create(o);
        ASSERT_TRUE(g.has_value());
        while (const protocol::Message* next = g->next()) {
            protocol::Message m = *next;
            setMessageSessionId(m, run.id);
            frame = protocol::encode(m);
            gate.frame = frame;
            master.ingest(frame, ++line, gate);
            if (line % 997 == 0)
                master.ingest("{\"type\":\"allocation\",", ++line, gate); // refused: not logged, counted
            if (m.as<protocol::SessionEndedMsg>()) {
                (void)master.dropEndedSessions(1);
                mirror.endedSessionsDropped(1);
            }
            if (line % 1500 == 0) {
                (void)master.compact(policy);
                mirror.compacted(policy);
            }
            if (line % 250 != 0)
                continue;
            ++step;
            auto copy = mirror.copy();
            expectSameStore(*copy, *master.clone(), dir, "line " + std::to_string(line));
            if (HasFatalFailure())
                return;
            held.push_back(std::move(copy));
            // The window lets the previous copy go when the next has arrived; every
            // 9th it keeps one for a while (given back too late to be brought up to date).
            const std::size_t keep = step % 9 == 0 ? 5 : 1;
            while (held.size() > keep) {
                if (step % 2 == 0) { // given back on another thread, as the window's pool does
                    std::thread t([c = std::move(held.front())]() mutable { c.reset(); });
                    t.join();
                } else {
                    held.front().reset();
                }
                held.pop_front();
            }
        }
    }
    EXPECT_EQ(master.find("c"), nullptr);
    EXPECT_EQ(master.find("a"), nullptr); // dropped when "b" ended
    ASSERT_NE(master.find("c~2"), nullptr);
    EXPECT_EQ(master.endedSessionsDropped(), 2u);
    EXPECT_GT(master.find("c~2")->retention().compactions, 0u);
    const StoreMirror::Stats st = mirror.stats();
    EXPECT_GT(st.brought, step / 2) << "cloned " << st.cloned;
    EXPECT_GE(st.cloned, 1u);
    EXPECT_GT(st.returnedFreed, 0u);
    EXPECT_GT(st.opsReplayed, 0u);
}

// Copies not asked for while the log passes its bound: the log is dropped and the
// next copy is a clone again (and still equal).
// A source store fed generated frames through the logging gate, and its mirror.
class SmallMirror : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        gate.mirror = &mirror;
        generator::WorkloadOptions o;
        o.events = 2000;
        o.sequenceNumbers = false;
        auto created = generator::WorkloadGenerator::create(o);
        ASSERT_TRUE(created.has_value());
        g.emplace(std::move(*created));
    }
    void feed(std::size_t n)
    {
        for (std::size_t i = 0; i < n; ++i) {
            const protocol::Message* next = g->next();
            ASSERT_NE(next, nullptr);
            frame = protocol::encode(*next);
            gate.frame = frame;
            master.ingest(frame, ++line, gate);
        }
    }

    QTemporaryDir dir;
    protocol::SessionStore master;
    StoreMirror mirror{master, {}};
    LoggingGate gate;
    std::optional<generator::WorkloadGenerator> g;
    std::string frame;
    std::uint64_t line = 0;
};

TEST_F(SmallMirror, ALogPastItsBoundIsDroppedAndTheNextCopyIsCloned)
{
    feed(100);
    mirror.copy().reset(); // given back at once
    feed(100);
    mirror.copy().reset();
    EXPECT_EQ(mirror.stats().brought, 1u);
    // A frame as long as the bound: the log is dropped.
    const std::string big(StoreMirror::kMaxLogBytes + 1, ' ');
    mirror.frameApplied(big, ++line, nullptr);
    feed(100);
    auto copy = mirror.copy();
    EXPECT_EQ(mirror.stats().cloned, 2u);
    EXPECT_EQ(mirror.stats().brought, 1u);
    expectSameStore(*copy, *master.clone(), dir, "after the drop");
}

// A capture or an agent never asks for a copy: nothing is logged for them. A
// frame past kMaxFrameBytes (a flood of huge labels) is not kept either: the
// log is freed and the next copy cloned.
TEST_F(SmallMirror, NothingIsLoggedBeforeTheFirstCopyNorAnyHugeFrame)
{
    feed(300);
    EXPECT_EQ(mirror.stats().logBytes, 0u) << "no copy handed out yet";
    mirror.copy().reset();
    feed(100);
    EXPECT_GT(mirror.stats().logBytes, 100u * 32);
    mirror.frameApplied(std::string(StoreMirror::kMaxFrameBytes + 1, ' '), ++line, nullptr);
    EXPECT_EQ(mirror.stats().logBytes, 0u) << "a huge frame frees the log";
    feed(100);
    EXPECT_EQ(mirror.stats().logBytes, 0u) << "nothing to bring up to date until the next copy";
    auto copy = mirror.copy();
    EXPECT_EQ(mirror.stats().cloned, 2u);
    EXPECT_EQ(mirror.stats().brought, 0u);
    expectSameStore(*copy, *master.clone(), dir, "after the huge frame");
    copy.reset();
    feed(100);
    auto again = mirror.copy();
    EXPECT_EQ(mirror.stats().brought, 1u) << "logging again after the next hand-out";
    expectSameStore(*again, *master.clone(), dir, "brought up to date again");
}
