// SPDX-License-Identifier: MIT
// Runs the real flight-inspector executable, as a user would, without a display.
#include <gtest/gtest.h>

#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QTemporaryDir>

namespace {

struct ProcessRun {
    int exitCode = -1;
    QString out;
    QString err;
};

ProcessRun runInspector(const QStringList& args, bool withDisplay = false)
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    if (!withDisplay) {
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    }
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FLIGHT_INSPECTOR_EXE), args);
    p.waitForFinished(60000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

TEST(Screenshot, WritesThePngOfTheRealWindowWithoutADisplay)
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("shot.png"));
    const ProcessRun r = runInspector({QStringLiteral("--screenshot"), png, QStringLiteral("--size"), QStringLiteral("1024x700")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QImage image(png);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.width(), 1024);
    EXPECT_EQ(image.height(), 700);
    // Not blank: a real window has text, buttons and an icon, so many colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    EXPECT_GT(colours.size(), 50);
    // Text is drawn: the title and the buttons' labels give many dark pixels.
    int dark = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            dark += qGray(image.pixel(x, y)) < 90 ? 1 : 0;
    EXPECT_GT(dark, 1000);
}

TEST(Screenshot, ShowsTheRecordingsGivenOnTheCommandLine)
{
    QTemporaryDir dir;
    const QString welcome = dir.filePath(QStringLiteral("welcome.png"));
    const QString loaded = dir.filePath(QStringLiteral("loaded.png"));
    ASSERT_EQ(runInspector({QStringLiteral("--screenshot"), welcome}).exitCode, 0);
    const ProcessRun r = runInspector({QStringLiteral(FLIGHT_TEST_DATA "/conformance/go-snake.jsonl"),
                                       QStringLiteral("--screenshot"), loaded});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QImage a(welcome);
    const QImage b(loaded);
    ASSERT_EQ(a.size(), b.size());
    // The sessions page replaced the welcome page: a large share of pixels changed.
    int changed = 0;
    for (int y = 0; y < a.height(); y += 2)
        for (int x = 0; x < a.width(); x += 2)
            changed += a.pixel(x, y) != b.pixel(x, y) ? 1 : 0;
    EXPECT_GT(changed, a.width() * a.height() / 4 / 10);
}

// The Statistics and Events views of a real sample recording render figures and rows.
TEST(Screenshot, StatisticsAndEventsViewsAreNotBlank)
{
    QTemporaryDir dir;
    const QString sample = QStringLiteral(FLIGHT_SOURCE_DIR "/resources/recordings/v6r-small.jsonl.zst");
    QImage timeline;
    for (const QString& view : {QStringLiteral("timeline"), QStringLiteral("statistics"), QStringLiteral("events")}) {
        const QString png = dir.filePath(view + QStringLiteral(".png"));
        const ProcessRun r = runInspector({sample, QStringLiteral("--screenshot"), png, QStringLiteral("--view"), view});
        ASSERT_EQ(r.exitCode, 0) << view.toStdString() << ": " << r.err.toStdString();
        const QImage image(png);
        ASSERT_FALSE(image.isNull()) << view.toStdString();
        QSet<QRgb> colours;
        int dark = 0;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2) {
                colours.insert(image.pixel(x, y));
                dark += qGray(image.pixel(x, y)) < 90 ? 1 : 0;
            }
        EXPECT_GT(colours.size(), 50) << view.toStdString();
        EXPECT_GT(dark, 1000) << view.toStdString(); // text: figures, rows
        if (view == QStringLiteral("timeline")) {
            timeline = image;
            continue;
        }
        // A different view than the timeline: much of the page changed.
        int changed = 0;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2)
                changed += image.pixel(x, y) != timeline.pixel(x, y) ? 1 : 0;
        EXPECT_GT(changed, image.width() * image.height() / 4 / 10) << view.toStdString();
    }
    EXPECT_EQ(runInspector({QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png")), QStringLiteral("--view"),
                            QStringLiteral("nope")}).exitCode, 2);
}

TEST(Screenshot, BadSizeIsAClearError)
{
    QTemporaryDir dir;
    const ProcessRun r = runInspector({QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png")),
                                QStringLiteral("--size"), QStringLiteral("huge")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--size must look like 1280x800"))) << r.err.toStdString();
}

TEST(Screenshot, UnwritablePathIsAClearError)
{
    const ProcessRun r = runInspector({QStringLiteral("--screenshot"), QStringLiteral("/nonexistent-dir/x.png")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("cannot write"))) << r.err.toStdString();
}

TEST(CommandLine, VersionAndHelpNeedNoDisplay)
{
    const ProcessRun v = runInspector({QStringLiteral("--version")});
    EXPECT_EQ(v.exitCode, 0) << v.err.toStdString();
    EXPECT_EQ(v.out.trimmed(), QStringLiteral("flight-inspector " FLIGHT_VERSION "\nLicensed under the MIT licence (SPDX: MIT)."));
    const ProcessRun h = runInspector({QStringLiteral("--help")});
    EXPECT_EQ(h.exitCode, 0) << h.err.toStdString();
    EXPECT_TRUE(h.out.contains(QStringLiteral("--screenshot")));
    EXPECT_TRUE(h.out.contains(QStringLiteral("Usage:")));
}
