// SPDX-License-Identifier: MIT
#pragma once
// Writes a report in any format (html, pdf, md, json, csv) to a file: the one
// place the command line's `report` and the window's File › Export Report…
// both go through. Safe on a worker thread (the PDF is painted with QPainter
// on a QPdfWriter, which does not need the UI thread).

#include "model/memory_error.h"
#include "reports/report_data.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <span>

namespace flight::ui {

inline const QStringList kReportFormats = {QStringLiteral("html"), QStringLiteral("pdf"), QStringLiteral("md"),
                                           QStringLiteral("json"), QStringLiteral("csv")};

struct ReportExportOptions {
    QString format = QStringLiteral("html");
    bool prettyJson = true;
    std::optional<std::int64_t> csvResolutionMs;
};

// The report as text for the text formats (html, md, json, csv); nullopt for pdf
// or an unknown format.
std::optional<std::string> reportText(const reports::ReportData& data, std::span<const protocol::SummarySource> sources,
                                      const ReportExportOptions& options);

// Writes the report to `path` in options.format, all or nothing (a failed
// write leaves what was there). Fails with IoError or, for an unknown format,
// MalformedInput.
Result<void> exportReport(const reports::ReportData& data, std::span<const protocol::SummarySource> sources,
                          const ReportExportOptions& options, const QString& path);

} // namespace flight::ui
