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

} // namespace flight::ui
