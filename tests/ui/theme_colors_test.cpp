// SPDX-License-Identifier: MIT
// Colours and icons that follow the appearance: each role reads on the light and
// the dark palette (WCAG contrast figures), differs between them, and the widgets
// using them pick up an appearance switch without being rebuilt.
#include "style/app_style.h"
#include "styled_app.h"
#include "style/display_settings.h"
#include "models/event_list_model.h"
#include "style/palette_icon.h"
#include "sessions/replay_bar.h"
#include "style/theme_colors.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QToolButton>

using namespace flight;
using namespace flight::ui;

namespace {

// Applies the app style once and puts the light appearance back afterwards.
struct AppearanceGuard {
    AppearanceGuard() { uitest::styleAppOnce(); }
    ~AppearanceGuard() { DisplaySettings::instance().setAppearance(Appearance::Light); }
};

// The colour of the most opaque pixel of an icon drawn at 24 px, and how many pixels it covers.
std::pair<QColor, int> inkOf(const QIcon& icon, QIcon::Mode mode)
{
    const QImage image = icon.pixmap(QSize(24, 24), mode).toImage().convertToFormat(QImage::Format_ARGB32);
    QColor ink;
    int covered = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() == 255) {
                ink = c;
                ++covered;
            }
        }
    return {ink, covered};
}

} // namespace

TEST(ThemeColors, EveryRoleReadsOnBothPalettesAndDiffersBetweenThem)
{
    const QPalette light = paletteFor(Appearance::Light);
    const QPalette dark = paletteFor(Appearance::Dark);
    ASSERT_FALSE(isDarkPalette(light));
    ASSERT_TRUE(isDarkPalette(dark));
    for (const QPalette& p : {light, dark}) {
        for (const QColor& text : {errorTextColor(p), warningTextColor(p)}) {
            EXPECT_GE(contrastRatio(text, p.color(QPalette::Base)), 4.5) << text.name().toStdString();
            EXPECT_GE(contrastRatio(text, p.color(QPalette::Window)), 4.5) << text.name().toStdString();
        }
        EXPECT_GE(contrastRatio(playheadColor(p), p.color(QPalette::Base)), 3.0);
        EXPECT_GE(contrastRatio(selectionEdgeColor(p), p.color(QPalette::Base)), 3.0);
        EXPECT_LT(selectionFillColor(p).alpha(), 128); // the plot shows through the selection
    }
    EXPECT_NE(errorTextColor(light), errorTextColor(dark));
    EXPECT_NE(warningTextColor(light), warningTextColor(dark));
    EXPECT_NE(playheadColor(light), playheadColor(dark));
    EXPECT_NE(selectionEdgeColor(light), selectionEdgeColor(dark));
    // Black on white and white on black are the extremes of the scale.
    EXPECT_NEAR(contrastRatio(Qt::black, Qt::white), 21.0, 1e-9);
    EXPECT_NEAR(contrastRatio(Qt::white, Qt::white), 1.0, 1e-9);
}

TEST(ThemeColors, AnyDesktopPaletteGetsReadableErrorText)
{
    // A desktop palette the app did not choose: a mid-grey window where the fixed red would not read.
    QPalette grey;
    grey.setColor(QPalette::Window, QColor(0x80, 0x80, 0x80));
    grey.setColor(QPalette::Base, QColor(0x90, 0x90, 0x90));
    const QColor text = errorTextColor(grey);
    EXPECT_GE(std::min(contrastRatio(text, grey.color(QPalette::Window)), contrastRatio(text, grey.color(QPalette::Base))),
              4.5)
        << text.name().toStdString();
}

TEST(ThemeColors, ErrorLabelFollowsAnAppearanceSwitch)
{
    AppearanceGuard guard;
    DisplaySettings::instance().setAppearance(Appearance::Light);
    QLabel label(QStringLiteral("Connection refused"));
    showAsErrorText(&label);
    EXPECT_EQ(label.palette().color(QPalette::WindowText), errorTextColor(paletteFor(Appearance::Light)));
    DisplaySettings::instance().setAppearance(Appearance::Dark);
    QCoreApplication::processEvents(); // widgets receive a new application palette through the event loop
    EXPECT_EQ(label.palette().color(QPalette::WindowText), errorTextColor(paletteFor(Appearance::Dark)));
    // The rest of the label's palette is the application's, not a frozen copy.
    EXPECT_EQ(label.palette().color(QPalette::Window), paletteFor(Appearance::Dark).color(QPalette::Window));
    DisplaySettings::instance().setAppearance(Appearance::Light);
    QCoreApplication::processEvents();
    EXPECT_EQ(label.palette().color(QPalette::WindowText), errorTextColor(paletteFor(Appearance::Light)));
}

TEST(ThemeColors, EventKindsAreColouredFromThePaletteInUse)
{
    AppearanceGuard guard;
    EventListModel model;
    QAbstractItemModelTester tester(&model);
    auto events = std::make_shared<std::vector<EventLogEntry>>();
    events->push_back({EventLogKind::DecodeError, 10, 3, "line 3: not JSON", std::nullopt, std::nullopt});
    events->push_back({EventLogKind::Limit, 20, 0, "soft limit crossed", std::nullopt, std::nullopt});
    events->push_back({EventLogKind::Marker, 30, 0, "boot", std::nullopt, std::nullopt});
    model.setEvents(events, 0);
    ASSERT_EQ(model.rowCount(), 3);
    const auto kindColour = [&](int row) {
        return model.data(model.index(row, EventListModel::Kind), Qt::ForegroundRole).value<QColor>();
    };
    DisplaySettings::instance().setAppearance(Appearance::Light);
    EXPECT_EQ(kindColour(0), errorTextColor(paletteFor(Appearance::Light)));
    EXPECT_EQ(kindColour(1), warningTextColor(paletteFor(Appearance::Light)));
    EXPECT_FALSE(model.data(model.index(2, EventListModel::Kind), Qt::ForegroundRole).isValid()); // plain text
    DisplaySettings::instance().setAppearance(Appearance::Dark);
    EXPECT_EQ(kindColour(0), errorTextColor(paletteFor(Appearance::Dark)));
    EXPECT_EQ(kindColour(1), warningTextColor(paletteFor(Appearance::Dark)));
}

TEST(PaletteIcon, DrawsInTheButtonTextOfTheAppearanceInUse)
{
    AppearanceGuard guard;
    const QIcon play = paletteIcon(QStringLiteral(":/icons/media-play.svg"));
    ASSERT_FALSE(play.isNull());
    for (const Appearance a : {Appearance::Light, Appearance::Dark}) {
        DisplaySettings::instance().setAppearance(a);
        const QPalette p = paletteFor(a);
        const auto [normal, covered] = inkOf(play, QIcon::Normal);
        EXPECT_EQ(normal.rgb(), p.color(QPalette::Active, QPalette::ButtonText).rgb());
        EXPECT_GT(covered, 24 * 24 / 5); // a glyph, not a speck
        EXPECT_EQ(inkOf(play, QIcon::Disabled).first.rgb(), p.color(QPalette::Disabled, QPalette::ButtonText).rgb());
        // The icon stands off the button it sits on: the point of drawing it from the palette.
        EXPECT_GE(contrastRatio(normal, p.color(QPalette::Window)), 7.0);
    }
    EXPECT_TRUE(paletteIcon(QStringLiteral(":/icons/no-such-icon.svg")).isNull());
}

TEST(PaletteIcon, ReplayBarButtonsFollowAnAppearanceSwitch)
{
    AppearanceGuard guard;
    DisplaySettings::instance().setAppearance(Appearance::Light);
    ReplayBar bar;
    bar.setRange(0, 1000);
    const auto buttons = bar.findChildren<QToolButton*>();
    int iconButtons = 0;
    for (QToolButton* b : buttons) {
        if (b->icon().isNull())
            continue; // Follow is text
        ++iconButtons;
        EXPECT_EQ(inkOf(b->icon(), QIcon::Normal).first.rgb(), paletteFor(Appearance::Light).color(QPalette::ButtonText).rgb());
    }
    EXPECT_EQ(iconButtons, 3); // step back, play, step forward
    DisplaySettings::instance().setAppearance(Appearance::Dark);
    for (QToolButton* b : buttons)
        if (!b->icon().isNull()) {
            EXPECT_EQ(inkOf(b->icon(), QIcon::Normal).first.rgb(), paletteFor(Appearance::Dark).color(QPalette::ButtonText).rgb());
        }
    // Created back, play, forward, follow: the play button shows pause while playing, drawn the same way.
    ASSERT_GE(buttons.size(), 2);
    const QImage before = buttons[1]->icon().pixmap(24, 24).toImage();
    bar.play();
    const QIcon pause = buttons[1]->icon();
    EXPECT_NE(pause.pixmap(24, 24).toImage(), before);
    EXPECT_EQ(inkOf(pause, QIcon::Normal).first.rgb(), paletteFor(Appearance::Dark).color(QPalette::ButtonText).rgb());
    bar.pause();
}
