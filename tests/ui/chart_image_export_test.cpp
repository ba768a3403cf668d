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

} // namespace

TEST(ChartImageExport, SavesPngOfTheViewSize)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    auto view = lineChart();
    const QString path = dir.filePath(QStringLiteral("chart.png"));
    const auto saved = saveChartImage(view.get(), path);
    ASSERT_TRUE(saved) << saved.error().message;
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

TEST(ChartImageExport, SavesSvgAsVectors)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    auto view = lineChart();
    const QString path = dir.filePath(QStringLiteral("chart.SVG"));
    const auto saved = saveChartImage(view.get(), path);
    ASSERT_TRUE(saved) << saved.error().message;
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

TEST(ChartImageExport, UnwritablePathReturnsTheReason)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    auto view = lineChart();
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

TEST(ChartImageExport, AddsTheContextMenuAction)
{
    auto view = lineChart();
    addSaveImageAction(view.get(), QStringLiteral("timeline.png"));
    EXPECT_EQ(view->contextMenuPolicy(), Qt::ActionsContextMenu);
    ASSERT_EQ(view->actions().size(), 1);
    EXPECT_EQ(view->actions().first()->text(), QStringLiteral("Save Image…"));
}
