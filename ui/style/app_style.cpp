// SPDX-License-Identifier: MIT
#include "app_style.h"

#include "theme_colors.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QChart>
#include <QIcon>
#include <QLegend>
#include <QLegendMarker>
#include <QPalette>
#include <QScopedValueRollback>
#include <QStyle>
#include <QStyleFactory>

namespace flight::ui {
namespace {

bool g_dark = false;
bool g_systemDark = false;
bool g_applying = false;      // our own setPalette calls: their ApplicationPaletteChange is not news
QPalette g_applied;           // the palette we set last
std::function<QPalette()> g_probe;

QPalette lightPalette()
{
    QPalette p = QApplication::style()->standardPalette();
    p.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf2, 0xf4, 0xf8));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd8));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    p.setColor(QPalette::ToolTipText, QColor(0x1f, 0x2a, 0x44));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x20, 0x23, 0x29), base(0x17, 0x19, 0x1e), text(0xe4, 0xe7, 0xeb), button(0x2b, 0x2f, 0x37);
    const QColor disabled(0x70, 0x78, 0x86);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x1f, 0x22, 0x28));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x60));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x49));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x37, 0x40));
    p.setColor(QPalette::Mid, QColor(0x45, 0x4b, 0x56));
    p.setColor(QPalette::Dark, QColor(0x12, 0x14, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7b, 0xe0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb0, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xf0));
    p.setColor(QPalette::ToolTipBase, button);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x4b, 0x56));
    return p;
}

void applyPalette(QApplication& app)
{
    g_dark = resolvedAppearance(DisplaySettings::instance().appearance()) == Appearance::Dark;
    g_applied = g_dark ? darkPalette() : lightPalette();
    const QScopedValueRollback applying(g_applying, true);
    app.setPalette(g_applied);
}

// The platform theme's palette: with an application palette whose resolve mask is
// empty Qt falls back to the theme's, so set one, read, and put ours back. Widgets
// get the palette through the event loop, so they never see the one in between.
QPalette platformPalette(QApplication& app)
{
    const QScopedValueRollback applying(g_applying, true);
    const QPalette ours = app.palette();
    QPalette none = ours;
    none.setResolveMask(0);
    app.setPalette(none);
    const QPalette system = app.palette();
    app.setPalette(ours);
    return system;
}

// Re-reads the desktop's scheme and, under "System", switches to match it.
void followSystem(QApplication& app, const QPalette& system)
{
    g_systemDark = isDarkPalette(system);
    const bool dark = resolvedAppearance(DisplaySettings::instance().appearance()) == Appearance::Dark;
    const bool flipped = dark != g_dark;
    if (!flipped && app.palette() == g_applied)
        return;
    applyPalette(app); // also puts ours back over a palette someone else set
    if (flipped)
        Q_EMIT DisplaySettings::instance().changed(); // views that colour their contents redraw
}

// Qt 6.4 tells of a desktop theme change with QEvent::ThemeChange to every window;
// a platform theme or plugin may also set the application palette directly.
class SystemAppearanceFollower : public QObject {
public:
    explicit SystemAppearanceFollower(QApplication& app)
        : QObject(&app)
        , m_app(app)
    {
    }

    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (g_applying)
            return false;
        if (event->type() == QEvent::ThemeChange && (watched == &m_app || watched->isWindowType()))
            followSystem(m_app, g_probe ? g_probe() : platformPalette(m_app));
        else if (event->type() == QEvent::ApplicationPaletteChange && watched == &m_app && m_app.palette() != g_applied)
            followSystem(m_app, m_app.palette());
        return false;
    }

private:
    QApplication& m_app;
};

} // namespace

void applyAppStyle(QApplication& app)
{
    // The desktop's own palette, before ours replaces it: a dark window means a dark desktop.
    static SystemAppearanceFollower* follower = nullptr;
    if (!follower)
        g_systemDark = isDarkPalette(app.palette());
    // Fusion renders the same under X11, Wayland and the offscreen platform,
    // so screenshots in docs match what users see.
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/flight-inspector.svg")));
    applyPalette(app);
    if (follower)
        return;
    follower = new SystemAppearanceFollower(app);
    app.installEventFilter(follower);
    QObject::connect(&DisplaySettings::instance(), &DisplaySettings::changed, &app, [&app]() {
        const bool dark = resolvedAppearance(DisplaySettings::instance().appearance()) == Appearance::Dark;
        if (dark != g_dark)
            applyPalette(app); // every widget gets a PaletteChange event
    });
}

void setSystemPaletteProbe(std::function<QPalette()> probe)
{
    g_probe = std::move(probe);
}

bool isDarkAppearance()
{
    return g_dark;
}

Appearance resolvedAppearance(Appearance a)
{
    if (a == Appearance::System)
        return g_systemDark ? Appearance::Dark : Appearance::Light;
    return a;
}

QPalette paletteFor(Appearance a)
{
    return resolvedAppearance(a) == Appearance::Dark ? darkPalette() : lightPalette();
}

QColor pressureColor(int level)
{
    switch (level) {
    case 0: return QColor(0x43, 0xa0, 0x47);
    case 1: return QColor(0xf2, 0xc1, 0x2e);
    case 2: return QColor(0xf0, 0x8a, 0x24);
    default: return QColor(0xd9, 0x30, 0x25);
    }
}

QColor purposeColor(int purposeId)
{
    // Colour-blind-friendly (Okabe-Ito based), distinct from the pressure colours' meaning.
    // On dark, the two darkest are lifted so they stand off the background.
    static const QColor standard[] = {
        QColor(0x00, 0x72, 0xb2), // vm-heap
        QColor(0x56, 0xb4, 0xe9), // component-stack
        QColor(0x00, 0x9e, 0x73), // asset-cache
        QColor(0xcc, 0x79, 0xa7), // jit-code-cache
        QColor(0x99, 0x99, 0x99), // system-reserved
        QColor(0x7b, 0x61, 0xb8), // wasm-linear
        QColor(0xe6, 0x9f, 0x00), // network-buffers
        QColor(0xd5, 0x5e, 0x00), // temporary
    };
    if (purposeId >= 0 && purposeId < 8) {
        if (g_dark && (purposeId == 0 || purposeId == 5))
            return standard[purposeId].lighter(135);
        return standard[purposeId];
    }
    return QColor::fromHsv((purposeId * 67) % 360, 140, g_dark ? 230 : 200);
}

QColor inkColor()
{
    return g_dark ? QColor(0xe8, 0xec, 0xf2) : QColor(0x1f, 0x2a, 0x44);
}

QColor mutedInkColor()
{
    return g_dark ? QColor(0xa8, 0xb0, 0xbd) : QColor(0x55, 0x55, 0x55);
}

QColor worseColor()
{
    return g_dark ? QColor(0xff, 0x8a, 0x80) : QColor(0x9b, 0x1c, 0x13);
}

QColor betterColor()
{
    return g_dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32);
}

QColor fitsBackground()
{
    return g_dark ? QColor(0x1e, 0x3a, 0x24) : QColor(0xe3, 0xf4, 0xe4);
}

QColor overBackground()
{
    return g_dark ? QColor(0x4a, 0x1f, 0x1c) : QColor(0xfb, 0xdc, 0xd9);
}

void styleChart(QChart* chart)
{
    const QPalette pal = QApplication::palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor grid = pal.color(QPalette::Mid);
    if (!g_dark)
        grid = QColor(0xdd, 0xe1, 0xe7);
    chart->setBackgroundBrush(pal.color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    // Markers made after an earlier call keep the default (black) label unless told:
    // setLabelColor does nothing when the colour is unchanged.
    for (QLegendMarker* marker : chart->legend()->markers())
        marker->setLabelBrush(text);
    chart->legend()->setBrush(Qt::NoBrush);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(grid);
        axis->setLinePenColor(pal.color(QPalette::Mid));
    }
}

} // namespace flight::ui
