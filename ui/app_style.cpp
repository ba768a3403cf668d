#include "app_style.h"

#include <QApplication>
#include <QIcon>
#include <QPalette>
#include <QStyleFactory>

namespace flight::ui {

void applyAppStyle(QApplication& app)
{
    // Fusion renders the same under X11, Wayland and the offscreen platform,
    // so screenshots in docs match what users see.
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/flight-inspector.svg")));
    QPalette p = app.palette();
    p.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd8));
    app.setPalette(p);
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
    if (purposeId >= 0 && purposeId < 8)
        return standard[purposeId];
    return QColor::fromHsv((purposeId * 67) % 360, 140, 200);
}

} // namespace flight::ui
