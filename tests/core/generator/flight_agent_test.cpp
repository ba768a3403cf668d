// SPDX-License-Identifier: MIT
// Runs the real flight-agent binary (FLIGHT_AGENT_PATH, set by CMake).

#include "generator_test_support.h"

#include <gtest/gtest.h>

#include <QProcess>
#include <QStringList>

using namespace flight::generator::test;

namespace {

struct AgentRun {
    int exitCode = -1;
    QString out;
    QString err;
};

AgentRun runAgent(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(FLIGHT_AGENT_PATH), args);
    AgentRun r;
    if (!p.waitForFinished(120'000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

TEST(FlightAgent, GenerateWritesALoadableRecording)
{
    const auto path = scratchPath("flight-gen-test", "agent-psp.jsonl.zst");
    const AgentRun r = runAgent({"generate", "--platform", "psp", "--events", "12000", "--seed", "4", "-o",
                            QString::fromStdString(path.string())});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.isEmpty()) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("12000 events"))) << r.out.toStdString();
    auto l = load(path);
    EXPECT_TRUE(l.read.compressed);
    EXPECT_EQ(l.store->messagesApplied(), 12'000u);
    EXPECT_EQ(l.store->decodeErrors(), 0u);
    EXPECT_EQ(l.store->sessionErrors(), 0u);
    ASSERT_EQ(l.store->sessionCount(), 1u);
    EXPECT_EQ(l.store->session(0).info().platform, "psp");

    // the same command again: the same bytes
    const auto again = scratchPath("flight-gen-test", "agent-psp-again.jsonl.zst");
    ASSERT_EQ(runAgent({"generate", "-p", "psp", "-n", "12000", "-s", "4", "-o",
                        QString::fromStdString(again.string())})
                  .exitCode,
              0);
    EXPECT_EQ(readFile(path), readFile(again));
}

TEST(FlightAgent, BadUsageExitsTwoWithAMessage)
{
    const auto out = QString::fromStdString(scratchPath("flight-gen-test", "agent-bad.jsonl").string());
    struct Case {
        QStringList args;
        const char* mentions;
    };
    const Case cases[] = {
        {{}, "Usage"},
        {{"fly"}, "unknown command 'fly'"},
        {{"generate", "--events", "100", "-o", out}, "--platform is required"},
        {{"generate", "--platform", "gameboy", "--events", "100", "-o", out}, "unknown platform 'gameboy'"},
        {{"generate", "--platform", "psp", "--events", "ten", "-o", out}, "--events must be a whole number"},
        {{"generate", "--platform", "psp", "--events", "100", "--seed", "-3", "-o", out}, "--seed"},
        {{"generate", "--platform", "psp", "--events", "100", "--bogus", "-o", out}, "bogus"},
        {{"generate", "--platform", "psp", "--events", "100", "-o", "/nonexistent-dir/x.jsonl"}, "cannot create"},
    };
    for (const auto& c : cases) {
        const AgentRun r = runAgent(c.args);
        EXPECT_EQ(r.exitCode, 2) << c.args.join(' ').toStdString();
        EXPECT_TRUE(r.err.contains(QString::fromUtf8(c.mentions))) << c.args.join(' ').toStdString() << " -> "
                                                                   << r.err.toStdString();
    }
}

TEST(FlightAgent, HelpExitsZero)
{
    const AgentRun top = runAgent({"--help"});
    EXPECT_EQ(top.exitCode, 0);
    EXPECT_TRUE(top.out.contains(QStringLiteral("generate")));
    const AgentRun gen = runAgent({"generate", "--help"});
    EXPECT_EQ(gen.exitCode, 0);
    for (const char* opt : {"--platform", "--events", "--seed", "--output"})
        EXPECT_TRUE(gen.out.contains(QString::fromUtf8(opt))) << opt;
}
