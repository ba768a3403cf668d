// SPDX-License-Identifier: MIT
// "System" appearance at run time: when the desktop switches between light and
// dark (Qt 6.4 sends QEvent::ThemeChange; it has no colour-scheme API), the
// inspector's palette follows if the preference is System, and stays if the user
// chose Light or Dark. The desktop is stood in for by a palette probe; the
// default probe (the platform's own palette) is checked against the offscreen one.
#include "style/app_style.h"
#include "styled_app.h"
#include "style/display_settings.h"
#include "style/theme_colors.h"
#include "timeline/timeline_view.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QChart>
#include <QSignalSpy>
#include <QWindow>

using namespace flight;
using namespace flight::ui;

namespace {

QPalette desktopPalette(bool dark)
{
    // Not one of ours: what a desktop theme might hand over.
    QPalette p;
    p.setColor(QPalette::Window, dark ? QColor(0x2a, 0x2e, 0x32) : QColor(0xef, 0xf0, 0xf1));
    p.setColor(QPalette::Base, dark ? QColor(0x1b, 0x1e, 0x20) : Qt::white);
    return p;
}

void sendThemeChange(QObject* to)
{
    QEvent event(QEvent::ThemeChange);
    QCoreApplication::sendEvent(to, &event);
}

// Styles the application once; afterwards the real (offscreen, light) desktop and Light again.
struct SystemGuard {
    SystemGuard() { uitest::styleAppOnce(); }
    ~SystemGuard()
    {
        setSystemPaletteProbe({});
        sendThemeChange(qApp);
        DisplaySettings::instance().setAppearance(Appearance::Light);
    }
};

} // namespace

TEST(SystemAppearance, ADesktopThemeChangeFlipsThePaletteWhenSetToSystem)
{
    SystemGuard guard;
    DisplaySettings::instance().setAppearance(Appearance::System);
    ASSERT_FALSE(isDarkAppearance()); // the offscreen desktop is light
    TimelineView timeline;
    QSignalSpy changed(&DisplaySettings::instance(), &DisplaySettings::changed);

    setSystemPaletteProbe([] { return desktopPalette(true); });
    sendThemeChange(qApp);
    EXPECT_TRUE(isDarkAppearance());
    EXPECT_EQ(resolvedAppearance(Appearance::System), Appearance::Dark);
    EXPECT_EQ(QApplication::palette().color(QPalette::Window), paletteFor(Appearance::Dark).color(QPalette::Window));
    EXPECT_EQ(changed.count(), 1); // views that colour their contents redraw
    // The charts follow: the timeline's plot is on the dark base now.
    EXPECT_EQ(timeline.chart()->backgroundBrush().color(), paletteFor(Appearance::Dark).color(QPalette::Base));

    // Qt sends the event to every top-level window too: the same answer changes nothing more.
    QWidget window;
    window.winId(); // creates its QWindow
    ASSERT_NE(window.windowHandle(), nullptr);
    sendThemeChange(window.windowHandle());
    EXPECT_EQ(changed.count(), 1);

    setSystemPaletteProbe([] { return desktopPalette(false); });
    sendThemeChange(window.windowHandle());
    EXPECT_FALSE(isDarkAppearance());
    EXPECT_EQ(changed.count(), 2);
    EXPECT_EQ(timeline.chart()->backgroundBrush().color(), paletteFor(Appearance::Light).color(QPalette::Base));
}

TEST(SystemAppearance, AnExplicitChoiceStaysWhateverTheDesktopDoes)
{
    SystemGuard guard;
    DisplaySettings::instance().setAppearance(Appearance::Light);
    QSignalSpy changed(&DisplaySettings::instance(), &DisplaySettings::changed);
    setSystemPaletteProbe([] { return desktopPalette(true); });
    sendThemeChange(qApp);
    EXPECT_FALSE(isDarkAppearance());
    EXPECT_EQ(changed.count(), 0);
    // What "System" would mean now is still known (Preferences shows it).
    EXPECT_EQ(resolvedAppearance(Appearance::System), Appearance::Dark);
    // Choosing System then takes the desktop's dark.
    DisplaySettings::instance().setAppearance(Appearance::System);
    EXPECT_TRUE(isDarkAppearance());
}

TEST(SystemAppearance, ThePlatformProbeReadsTheDesktopAndKeepsOurPalette)
{
    SystemGuard guard;
    DisplaySettings::instance().setAppearance(Appearance::Dark);
    setSystemPaletteProbe({}); // the platform's palette: the offscreen one is light
    sendThemeChange(qApp);
    EXPECT_EQ(resolvedAppearance(Appearance::System), Appearance::Light);
    // Reading the desktop's palette left ours in place.
    EXPECT_TRUE(isDarkAppearance());
    EXPECT_EQ(QApplication::palette().color(QPalette::Window), paletteFor(Appearance::Dark).color(QPalette::Window));
    EXPECT_EQ(QApplication::palette().color(QPalette::Base), paletteFor(Appearance::Dark).color(QPalette::Base));
}
