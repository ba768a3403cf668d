// SPDX-License-Identifier: MIT
// Right click › "Save Image…": the chart view written as PNG and SVG, and the
// error when the path cannot be written.
#include "export/chart_image_export.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace flight::ui;

namespace {

std::unique_ptr<QChartView> lineChart()
{
    auto* series = new QLineSeries;
    for (int i = 0; i < 50; ++i)
        series->append(i, (i * 37) % 23);
    auto* chart = new QChart;
    chart->addSeries(series);
    chart->createDefaultAxes();
    chart->setTitle(QStringLiteral("usage"));
    auto view = std::make_unique<QChartView>(chart);
    view->resize(640, 400);
    return view;
}

// The line chart and a temporary folder to save it in.
class ChartImageExport : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir.isValid()); }
    // Saves the chart as `name` in the folder: its path, or empty (a failure says why).
    QString savedAs(const char* name)
    {
        const QString path = dir.filePath(QLatin1String(name));
        const auto result = saveChartImage(view.get(), path);
        EXPECT_TRUE(result) << (result ? std::string() : result.error().message);
        return result ? path : QString();
    }

    QTemporaryDir dir;
    std::unique_ptr<QChartView> view = lineChart();
};

} // namespace

TEST_F(ChartImageExport, SavesPngOfTheViewSize)
{
    const QString path = savedAs("chart.png");
    ASSERT_FALSE(path.isEmpty());
    QImage image(path);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), view->size() * view->devicePixelRatio());
    // Not blank: more than a handful of distinct colours (background, line, text).
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    EXPECT_GT(colours.size(), 3);
}

TEST_F(ChartImageExport, SavesSvgAsVectors)
{
    const QString path = savedAs("chart.SVG");
    ASSERT_FALSE(path.isEmpty());
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    QXmlStreamReader xml(svg);
    QString root;
    int elements = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement) {
            if (root.isEmpty())
                root = xml.name().toString();
            ++elements;
        }
    }
    ASSERT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    EXPECT_EQ(root, QStringLiteral("svg"));
    EXPECT_GT(elements, 10);
    EXPECT_TRUE(svg.contains("<path") || svg.contains("<polyline")) << svg.left(2000).toStdString();
    EXPECT_FALSE(svg.contains("<image")) << "the chart should be vectors, not a raster";
}

TEST_F(ChartImageExport, UnwritablePathReturnsTheReason)
{
    for (const char* name : {"no/such/folder/chart.png", "no/such/folder/chart.svg"}) {
        const QString path = dir.filePath(QLatin1String(name));
        const auto saved = saveChartImage(view.get(), path);
        EXPECT_FALSE(saved) << name;
        const QString error = saved ? QString() : QString::fromStdString(saved.error().message);
        EXPECT_TRUE(error.contains(QStringLiteral("chart."))) << error.toStdString();
        EXPECT_TRUE(error.contains(QStringLiteral("no/such/folder")) || error.contains(QStringLiteral("no\\such\\folder")))
            << error.toStdString();
        EXPECT_FALSE(QFile::exists(path));
    }
}

TEST_F(ChartImageExport, AddsTheContextMenuAction)
{
    addSaveImageAction(view.get(), QStringLiteral("timeline.png"));
    EXPECT_EQ(view->contextMenuPolicy(), Qt::ActionsContextMenu);
    ASSERT_EQ(view->actions().size(), 1);
    EXPECT_EQ(view->actions().first()->text(), QStringLiteral("Save Image…"));
}
