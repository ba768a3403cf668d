// SPDX-License-Identifier: MIT
#pragma once
// The appearance and units tests run on the application styled as the program
// styles it at start (applyAppStyle), once per test process; each test puts
// back the settings it changes itself.

#include "style/app_style.h"

#include <QApplication>

namespace flight::uitest {

inline void styleAppOnce()
{
    static bool styled = false;
    if (!styled)
        ui::applyAppStyle(*qApp);
    styled = true;
}

} // namespace flight::uitest
