// SPDX-License-Identifier: MIT
#pragma once
// Colours by role, derived from a palette, so that what a view draws reads on
// the light and on the dark appearance alike (and on a desktop's own palette).
// Views call these at paint or restyle time with their current palette.

#include <QColor>
#include <QPalette>

class QLabel;

namespace flight::ui {

// Whether `p` is a dark palette (its window colour is dark).
bool isDarkPalette(const QPalette& p);

// Text of an error (a failed connection, an invalid field, a refused line): a red
// with at least 4.5:1 contrast against the palette's window and base.
QColor errorTextColor(const QPalette& p);
// Text of a warning (a warning event, a limit crossing): an amber, same contrast.
QColor warningTextColor(const QPalette& p);

// The timeline's selected range: a translucent fill and its edge, from Highlight.
QColor selectionFillColor(const QPalette& p);
QColor selectionEdgeColor(const QPalette& p);
// The replay's playhead line: a red that stands off the plot's background.
QColor playheadColor(const QPalette& p);

// WCAG contrast ratio of two colours, 1 to 21 (what the choices above are held to).
double contrastRatio(const QColor& a, const QColor& b);

// Shows `label`'s text in errorTextColor, now and after every palette change.
void showAsErrorText(QLabel* label);

} // namespace flight::ui
