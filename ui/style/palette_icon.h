// SPDX-License-Identifier: MIT
#pragma once
// Monochrome SVG icons drawn in the palette's colours: "currentColor" in the SVG
// becomes the application palette's button text when the icon is painted (the
// disabled text for a disabled button, the highlighted text for a selected one),
// so an icon reads on the light and the dark appearance and follows a switch
// between them without being set again.

#include <QIcon>
#include <QPalette>

namespace flight::ui {

// `resource` is an SVG path such as ":/icons/media-play.svg".
QIcon paletteIcon(const QString& resource);

// The colour such an icon is drawn in for `mode` under palette `p`.
QColor paletteIconColor(const QPalette& p, QIcon::Mode mode);

} // namespace flight::ui
