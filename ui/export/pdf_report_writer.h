// SPDX-License-Identifier: MIT
#pragma once
// The PDF report: the HTML report's sections painted with QPainter on a
// QPdfWriter (A4, vector charts). Needs a QGuiApplication (offscreen is fine).

#include "reports/report_data.h"

#include <QString>

namespace flight::ui {

bool writePdfReport(const reports::ReportData& data, const QString& path, QString* error);

} // namespace flight::ui
