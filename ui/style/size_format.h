// SPDX-License-Identifier: MIT
#pragma once
// Every size the inspector shows goes through here, so the "Units" preference
// (DisplaySettings) applies to tables, charts, the gauge and the status bar alike.

#include <QString>

#include <cstdint>

namespace flight::ui {

QString formatSize(std::uint64_t bytes);      // "512.0 MiB", "536.9 MB" or "512.0MB"
QString formatSignedSize(std::int64_t bytes); // "-9.0 MiB"

// Unit for an axis whose largest value is `bytes`, in the user's units.
void chooseUnit(double bytes, double* unitBytes, QString* unitName);

} // namespace flight::ui
