// SPDX-License-Identifier: MIT
// `flight-inspector check --prometheus` and `report --prometheus` against the
// real Prometheus of fleet_environment.h: exit codes and figures.
#include "fleet_environment.h"
#include "live_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <gtest/gtest.h>

using namespace flight;
using fleettest::FleetEnvironment;
using fleettest::settled;

namespace {

struct InspectorRun {
    int exitCode = -1;
    QByteArray out, err;
};

InspectorRun inspector(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(FLIGHT_INSPECTOR_PATH), args);
    InspectorRun r;
    if (!p.waitForFinished(60'000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

TEST(FleetCommands, CheckPrometheusGatesAPlatformOnItsPeaks)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    // The replay (v6r-medium): vm-heap 768 MB against a 512 MB budget, network buffers 100 MB against 64 MB.
    const InspectorRun json = inspector({QStringLiteral("check"), QStringLiteral("--prometheus"), env.prometheus->url(),
                                QStringLiteral("--platform"), QStringLiteral("v6r-medium"), QStringLiteral("--since"),
                                QStringLiteral("10m"), QStringLiteral("--format"), QStringLiteral("json")});
    EXPECT_EQ(json.exitCode, 1) << json.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(json.out).object();
    EXPECT_FALSE(doc[QStringLiteral("fits")].toBool());
    const QJsonArray sessions = doc[QStringLiteral("sessions")].toArray();
    // vm-go, then vm-go~2 ... for each pass of the looped replay: the same
    // figures for every pass Prometheus saw whole; the newest pass may still be
    // under way (scraped part-way), below them, never above.
    ASSERT_GE(sessions.size(), 1) << json.out.toStdString();
    const QJsonObject go = sessions[0].toObject();
    qsizetype whole = 0;
    for (const QJsonValue& v : sessions) {
        EXPECT_TRUE(v.toObject()[QStringLiteral("sessionId")].toString().startsWith(QStringLiteral("vm-go")));
        const double used = v.toObject()[QStringLiteral("usedBytes")].toDouble();
        EXPECT_LE(used, 910163968.0);
        whole += used == 910163968.0 ? 1 : 0;
    }
    EXPECT_GE(whole, sessions.size() - 1) << json.out.toStdString();
    EXPECT_EQ(go[QStringLiteral("source")].toString(), env.targetOf(*env.replay));
    EXPECT_EQ(go[QStringLiteral("sessionId")].toString(), QStringLiteral("vm-go"));
    EXPECT_EQ(go[QStringLiteral("usedBytes")].toDouble(), 910163968.0);
    const QJsonObject verdict = go[QStringLiteral("verdicts")].toArray()[0].toObject();
    EXPECT_FALSE(verdict[QStringLiteral("fits")].toBool());
    std::map<QString, std::pair<double, bool>> purposes;
    for (const QJsonValue& p : verdict[QStringLiteral("purposes")].toArray())
        purposes[p.toObject()[QStringLiteral("purpose")].toString()] = {
            p.toObject()[QStringLiteral("usedBytes")].toDouble(), p.toObject()[QStringLiteral("fits")].toBool()};
    EXPECT_EQ(purposes[QStringLiteral("vm-heap")], std::make_pair(805306368.0, false));
    EXPECT_EQ(purposes[QStringLiteral("network-buffers")], std::make_pair(104857600.0, false));

    // The text form, as `check` prints it for recordings.
    const InspectorRun text = inspector({QStringLiteral("check"), QStringLiteral("--prometheus"), env.prometheus->url(),
                                QStringLiteral("--platform"), QStringLiteral("v6r-medium")});
    EXPECT_EQ(text.exitCode, 1);
    EXPECT_TRUE(text.out.contains(env.targetOf(*env.replay).toUtf8() + "  vm-go (v6r-medium), 868.0MB used at peak"))
        << text.out.toStdString();
    EXPECT_TRUE(text.out.contains("Over budget.")) << text.out.toStdString();

    // Every psp session Prometheus saw: the figures are the largest samples it holds.
    const InspectorRun psp = inspector({QStringLiteral("check"), QStringLiteral("--prometheus"), env.prometheus->url(),
                               QStringLiteral("--platform"), QStringLiteral("psp"), QStringLiteral("--format"),
                               QStringLiteral("json")});
    ASSERT_TRUE(psp.exitCode == 0 || psp.exitCode == 1) << psp.err.toStdString();
    const QJsonObject pspDoc = QJsonDocument::fromJson(psp.out).object();
    EXPECT_EQ(pspDoc[QStringLiteral("fits")].toBool(), psp.exitCode == 0);
    bool sawFirst = false;
    for (const QJsonValue& v : pspDoc[QStringLiteral("sessions")].toArray()) {
        const QJsonObject s = v.toObject();
        EXPECT_EQ(s[QStringLiteral("platform")].toString(), QStringLiteral("psp"));
        if (s[QStringLiteral("sessionId")].toString() != QStringLiteral("demo-psp-1"))
            continue;
        sawFirst = true;
        double peak = 0;
        for (const auto& sample : env.prometheus->samples(
                 QStringLiteral("flight_memory_used_bytes{session=\"demo-psp-1\",instance=\"%1\"}").arg(env.targetOf(*env.psp)),
                 3600))
            peak = std::max(peak, sample.second);
        // Used is never under the largest sample; each purpose is exactly its largest sample.
        EXPECT_GE(s[QStringLiteral("usedBytes")].toDouble(), peak);
        for (const QJsonValue& p : s[QStringLiteral("verdicts")].toArray()[0].toObject()[QStringLiteral("purposes")].toArray()) {
            double purposePeak = 0;
            for (const auto& sample : env.prometheus->samples(
                     QStringLiteral("flight_memory_purpose_bytes{session=\"demo-psp-1\",instance=\"%1\",purpose=\"%2\"}")
                         .arg(env.targetOf(*env.psp), p.toObject()[QStringLiteral("purpose")].toString()),
                     3600))
                purposePeak = std::max(purposePeak, sample.second);
            EXPECT_EQ(p.toObject()[QStringLiteral("usedBytes")].toDouble(), purposePeak)
                << p.toObject()[QStringLiteral("purpose")].toString().toStdString();
        }
    }
    EXPECT_TRUE(sawFirst) << psp.out.toStdString();
}

TEST(FleetCommands, CheckPrometheusDownOrEmptyExitsTwoSayingWhy)
{
    livetest::ensureCoreApp();
    const livetest::ClosedPort closed;
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(closed.port());
    const InspectorRun down = inspector({QStringLiteral("check"), QStringLiteral("--prometheus"), url, QStringLiteral("--platform"),
                                QStringLiteral("psp")});
    EXPECT_EQ(down.exitCode, 2);
    EXPECT_TRUE(down.err.startsWith("flight-inspector check: cannot reach Prometheus at " + url.toUtf8() + ": "))
        << down.err.toStdString();
    const InspectorRun both = inspector({QStringLiteral("check"), QStringLiteral("x.jsonl"), QStringLiteral("--prometheus"), url,
                                QStringLiteral("--platform"), QStringLiteral("psp")});
    EXPECT_EQ(both.exitCode, 2);
    EXPECT_TRUE(both.err.contains("not both")) << both.err.toStdString();
    const InspectorRun since = inspector({QStringLiteral("check"), QStringLiteral("--prometheus"), url, QStringLiteral("--platform"),
                                 QStringLiteral("psp"), QStringLiteral("--since"), QStringLiteral("yesterday")});
    EXPECT_EQ(since.exitCode, 2);
    EXPECT_TRUE(since.err.contains("--since: \"yesterday\" is not a duration")) << since.err.toStdString();

    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    const InspectorRun none = inspector({QStringLiteral("check"), QStringLiteral("--prometheus"), env.prometheus->url(),
                                QStringLiteral("--platform"), QStringLiteral("dreamcast")});
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_TRUE(none.err.contains("has no flight_memory_used_bytes{platform=\"dreamcast\"}")) << none.err.toStdString();
}

TEST(FleetCommands, ReportPrometheusWritesTheSessionsReport)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    const InspectorRun json = inspector({QStringLiteral("report"), QStringLiteral("--prometheus"), env.prometheus->url(),
                                QStringLiteral("--session"), QStringLiteral("vm-go"), QStringLiteral("--since"),
                                QStringLiteral("1h")});
    ASSERT_EQ(json.exitCode, 0) << json.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(json.out).object();
    const QJsonArray sessions = doc[QStringLiteral("sessions")].toArray();
    ASSERT_EQ(sessions.size(), 1) << json.out.left(2000).toStdString();
    const QJsonObject s = sessions[0].toObject();
    EXPECT_EQ(s[QStringLiteral("sessionId")].toString(), QStringLiteral("vm-go"));
    EXPECT_EQ(s[QStringLiteral("platform")].toString(), QStringLiteral("v6r-medium"));
    EXPECT_TRUE(json.out.contains("910163968")) << json.out.left(3000).toStdString();

    const InspectorRun md = inspector({QStringLiteral("report"), QStringLiteral("--prometheus"), env.prometheus->url(),
                              QStringLiteral("--session"), QStringLiteral("demo-psp-1"), QStringLiteral("--instance"),
                              env.targetOf(*env.psp), QStringLiteral("--format"), QStringLiteral("md")});
    ASSERT_EQ(md.exitCode, 0) << md.err.toStdString();
    EXPECT_TRUE(md.out.contains("demo-psp-1")) << md.out.left(2000).toStdString();
    EXPECT_TRUE(md.out.contains(env.targetOf(*env.psp).toUtf8())) << md.out.left(2000).toStdString();

    const InspectorRun noSession = inspector({QStringLiteral("report"), QStringLiteral("--prometheus"), env.prometheus->url()});
    EXPECT_EQ(noSession.exitCode, 2);
    EXPECT_TRUE(noSession.err.contains("--prometheus needs --session ID")) << noSession.err.toStdString();
}
