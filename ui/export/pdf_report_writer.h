// SPDX-License-Identifier: MIT
#pragma once
// The PDF report: the HTML report's sections painted with QPainter on a
// QPdfWriter (A4, vector charts). Needs a QGuiApplication (offscreen is fine).

#include "model/memory_error.h"
#include "reports/report_data.h"

#include <QString>

namespace flight::ui {

// An IoError naming the path when it cannot be written.
Result<void> writePdfReport(const reports::ReportData& data, const QString& path);

} // namespace flight::ui
