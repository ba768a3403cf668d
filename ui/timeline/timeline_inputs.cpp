// SPDX-License-Identifier: MIT
#include "timeline_inputs.h"

#include <QCoreApplication>

namespace flight::ui {
namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("TimelineView", text);
}
} // namespace

const QList<TimelineInput>& timelineInputs()
{
    // In the order the hover help lists them; the first `kMouseInputs` are the mouse's.
    static const QList<TimelineInput> inputs = {
        {tr("Wheel"), tr("zoom")},
        {tr("drag"), tr("pan")},
        {tr("Shift+drag"), tr("zoom to band")},
        {tr("Ctrl+drag"), tr("select a range")},
        {tr("click"), tr("pin the cursor (the Allocations view's \"live at\")")},
        {tr("double-click or Home"), tr("reset")},
        {tr("Esc"), tr("clear selection")},
        {tr("+ or ="), tr("zoom in")},
        {tr("-"), tr("zoom out")},
        {tr("Left / Right"), tr("pan by a tenth")},
        {tr("R"), tr("reset, as Home")},
    };
    return inputs;
}

QString timelineInputsToolTip()
{
    // What a user hovering needs first; the page lists the rest.
    QStringList parts;
    for (const TimelineInput& i : timelineInputs()) {
        if (i.input == tr("click"))
            continue;
        if (i.input == tr("+ or ="))
            break;
        parts << i.input + QStringLiteral(": ") + i.effect;
    }
    return parts.join(QStringLiteral(" · "));
}

} // namespace flight::ui
