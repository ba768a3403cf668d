// SPDX-License-Identifier: MIT
#include "theme_colors.h"

#include <QEvent>
#include <QLabel>

#include <algorithm>
#include <cmath>

namespace flight::ui {
namespace {

double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& c)
{
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

// `colour`, made darker (on a light palette) or lighter (on a dark one) until it
// reads against both the window and the base colour: a desktop palette may be
// anything, so the fixed starting points are only where the search begins.
QColor readable(QColor colour, const QPalette& p, double minimum)
{
    const QColor window = p.color(QPalette::Window);
    const QColor base = p.color(QPalette::Base);
    const bool dark = isDarkPalette(p);
    for (int i = 0; i < 12; ++i) {
        if (std::min(contrastRatio(colour, window), contrastRatio(colour, base)) >= minimum)
            break;
        colour = dark ? colour.lighter(112) : colour.darker(112);
    }
    return colour;
}

// Keeps a label's text colour with its palette (the application's changes with the appearance).
class ErrorTextFollower : public QObject {
public:
    explicit ErrorTextFollower(QLabel* label)
        : QObject(label)
    {
        apply(label);
        label->installEventFilter(this);
    }

    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::PaletteChange)
            apply(static_cast<QLabel*>(watched));
        return false;
    }

private:
    static void apply(QLabel* label)
    {
        QPalette p = label->palette();
        const QColor colour = errorTextColor(p);
        if (p.color(QPalette::WindowText) == colour)
            return; // our own change comes back as a PaletteChange: stop there
        // Only the text's role is the label's own: with the copy's full resolve mask the
        // label would keep every other colour of this palette through the next switch.
        p.setResolveMask(0);
        p.setColor(QPalette::WindowText, colour);
        label->setPalette(p);
    }
};

} // namespace

bool isDarkPalette(const QPalette& p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor errorTextColor(const QPalette& p)
{
    return readable(isDarkPalette(p) ? QColor(0xff, 0x8a, 0x80) : QColor(0xb3, 0x26, 0x1e), p, 4.5);
}

QColor warningTextColor(const QPalette& p)
{
    return readable(isDarkPalette(p) ? QColor(0xff, 0xb7, 0x4d) : QColor(0xa1, 0x5c, 0x00), p, 4.5);
}

QColor selectionFillColor(const QPalette& p)
{
    QColor c = p.color(QPalette::Highlight);
    c.setAlpha(isDarkPalette(p) ? 70 : 40);
    return c;
}

QColor selectionEdgeColor(const QPalette& p)
{
    const QColor c = p.color(QPalette::Highlight);
    return isDarkPalette(p) ? c.lighter(130) : c;
}

QColor playheadColor(const QPalette& p)
{
    // A line, not text: 3:1 is the contrast asked of graphics.
    return readable(isDarkPalette(p) ? QColor(0xff, 0x6b, 0x60) : QColor(0xd9, 0x30, 0x25), p, 3.0);
}

void showAsErrorText(QLabel* label)
{
    // The label's palette must not be overridden by a style sheet.
    label->setStyleSheet(QString());
    new ErrorTextFollower(label);
}

} // namespace flight::ui
