// SPDX-License-Identifier: MIT
#pragma once
// The writers of `flight-inspector diff`: text (terminal), Markdown (a pull
// request comment), HTML (one self-contained page) and JSON. They only format
// a RecordingDiff. With growthPct, each also lists the purposes whose peak grew
// by more than that (peakGrowth) and says whether the diff fails.

#include "reports/recording_diff.h"

#include <optional>
#include <string>

namespace flight::reports {

std::string diffText(const RecordingDiff& diff, std::optional<double> growthPct = {});
std::string diffMarkdown(const RecordingDiff& diff, std::optional<double> growthPct = {});
std::string diffHtml(const RecordingDiff& diff, std::optional<double> growthPct = {});
// "format": "flight-inspector-diff/1"; bytes as integers, percent as a number or null.
std::string diffJson(const RecordingDiff& diff, std::optional<double> growthPct = {}, bool pretty = true);

} // namespace flight::reports
