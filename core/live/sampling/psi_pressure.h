// SPDX-License-Identifier: MIT
#pragma once
// Linux pressure stall information (PSI) for memory, read from
// /proc/pressure/memory or a cgroup v2 group's memory.pressure, and how the
// agent maps it to a flight memory-pressure level. The figure used is
// `some avg10`: the share of the last 10 s in which at least one task stalled
// waiting for memory (percent).
//
//   some avg10 < 1 %   low
//   1 % .. < 10 %      medium
//   10 % .. < 30 %     high
//   >= 30 %            critical

#include "model/memory_pressure.h"

#include <QString>

#include <optional>
#include <string_view>

namespace flight::live {

// "some avg10=1.23 avg60=... total=..." (the file's text): 1.23; nullopt if absent.
std::optional<double> psiSomeAvg10(std::string_view fileText);
std::optional<double> readPsiSomeAvg10(const QString& path);
MemoryPressure pressureFromPsi(double someAvg10Percent);

} // namespace flight::live
