// SPDX-License-Identifier: MIT
#pragma once
// The timeline's mouse gestures and keys as data: its hover help and
// Help › Keyboard Shortcuts are both written from this list, so neither can
// drift from the other. TimelineView's input handlers are what they describe.

#include <QList>
#include <QString>

namespace flight::ui {

struct TimelineInput {
    QString input;  // "Ctrl+drag", "Home or R"
    QString effect; // "select a range"
};

const QList<TimelineInput>& timelineInputs();
// "Wheel: zoom · drag: pan · …": the mouse part, short enough for a tooltip.
QString timelineInputsToolTip();

} // namespace flight::ui
