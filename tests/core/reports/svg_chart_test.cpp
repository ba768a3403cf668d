// SPDX-License-Identifier: MIT
#include "reports/pressure_chart.h"
#include "reports/purpose_bars_chart.h"
#include "reports/budget_chart.h"
#include "reports/svg_chart.h"
#include "reports/timeline_chart.h"

#include "report_test_session.h"

#include <QXmlStreamReader>

#include <gtest/gtest.h>

using namespace flight;
using namespace flight::reports;

namespace {

// Well-formed XML with an <svg> root; returns the number of points of the
// largest polyline/polygon.
std::size_t checkSvg(const std::string& svg, double width)
{
    QXmlStreamReader xml(QByteArray::fromStdString(svg));
    std::size_t maxPoints = 0;
    bool root = true;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (root) {
            EXPECT_EQ(xml.name().toString(), QStringLiteral("svg"));
            EXPECT_EQ(xml.attributes().value(QStringLiteral("width")).toDouble(), width);
            root = false;
        }
        if (xml.name() == QStringLiteral("polyline") || xml.name() == QStringLiteral("polygon")) {
            const auto pts = xml.attributes().value(QStringLiteral("points")).toString().split(QLatin1Char(' '));
            maxPoints = std::max(maxPoints, static_cast<std::size_t>(pts.size()));
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    return maxPoints;
}

} // namespace

TEST(SvgChart, TimelineIsWellFormedWithEverySeries)
{
    const SessionModel m = reportTestSession();
    const SessionReport r = collectSession(m, {});
    const ChartScene scene = timelineChart(r, 600, 300);
    const std::string svg = toSvg(scene, true);
    EXPECT_LE(checkSvg(svg, 600), 2u * 600u);
    for (const char* series : {"class=\"vm-heap\"", "class=\"asset-cache\"", "class=\"temporary\"", "class=\"used\"",
                               "class=\"marker\"", "total 1000B"})
        EXPECT_NE(svg.find(series), std::string::npos) << series;
    EXPECT_NE(svg.find("#0072b2"), std::string::npos); // vm-heap's colour, as in the window
}

TEST(SvgChart, ManyEventsStillTwoPointsPerColumnAtMost)
{
    SessionModel m(SessionInfo{"big", "custom", "", 1ULL << 30, {}, 0});
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    for (int i = 0; i < 100000; ++i) {
        const std::string id = "a" + std::to_string(i);
        ASSERT_TRUE(m.recordAllocation(id, 4096 + static_cast<std::uint64_t>(i % 97) * 64, heap, i * 3).has_value());
        if (i % 3 != 0) {
            ASSERT_TRUE(m.recordFree(id, i * 3 + 1).has_value());
        }
    }
    const SessionReport r = collectSession(m, {});
    for (const ChartScene& scene : {timelineChart(r, 800, 400), pressureChart(r, 800, 240)}) {
        for (const ChartItem& item : scene.items)
            if (item.kind == ChartItemKind::Polyline || item.kind == ChartItemKind::Polygon) {
                EXPECT_LE(item.points.size(), 2u * 800u) << item.series;
            }
        checkSvg(toSvg(scene), 800);
    }
}

TEST(SvgChart, BarsAndBudgetCharts)
{
    const SessionModel m = reportTestSession();
    ReportOptions o;
    o.platform = "psp";
    const SessionReport r = collectSession(m, o);
    const std::string bars = toSvg(purposeBarsChart(r, 700));
    checkSvg(bars, 700);
    EXPECT_NE(bars.find("peak 650B"), std::string::npos);
    const std::string budget = toSvg(budgetChart(r, 700));
    checkSvg(budget, 700);
    EXPECT_NE(budget.find("class=\"fits\""), std::string::npos);
    EXPECT_NE(budget.find("950B / "), std::string::npos);
}

TEST(SvgChart, TextIsEscaped)
{
    ChartScene s;
    s.width = 100;
    s.height = 50;
    s.title = "a<b & \"c\"";
    s.label(1, 10, "<script>");
    const std::string svg = toSvg(s);
    EXPECT_EQ(svg.find("<script>"), std::string::npos);
    checkSvg(svg, 100);
}
