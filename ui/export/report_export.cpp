// SPDX-License-Identifier: MIT
#include "report_export.h"

#include "pdf_report_writer.h"

#include "reports/csv_report.h"
#include "reports/html_report.h"
#include "reports/markdown_report.h"
#include "reports/report_json.h"

#include <QSaveFile>

namespace flight::ui {

std::optional<std::string> reportText(const reports::ReportData& data, std::span<const protocol::SummarySource> sources,
                                      const ReportExportOptions& options)
{
    if (options.format == QStringLiteral("json"))
        return reports::reportJson(data, sources, options.prettyJson);
    if (options.format == QStringLiteral("html"))
        return reports::htmlReport(data);
    if (options.format == QStringLiteral("md"))
        return reports::markdownReport(data);
    if (options.format == QStringLiteral("csv"))
        return reports::csvReport(data, options.csvResolutionMs);
    return std::nullopt;
}

Result<void> exportReport(const reports::ReportData& data, std::span<const protocol::SummarySource> sources,
                          const ReportExportOptions& options, const QString& path)
{
    if (options.format == QStringLiteral("pdf"))
        return writePdfReport(data, path);
    const auto text = reportText(data, sources, options);
    if (!text)
        return makeError(MemoryErrorCode::MalformedInput,
                         QStringLiteral("unknown report format \"%1\": use html, pdf, md, json or csv")
                             .arg(options.format)
                             .toStdString());
    // All or nothing: a half-written report never replaces a good one.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text->data(), static_cast<qint64>(text->size())) != static_cast<qint64>(text->size())
        || !f.commit())
        return makeError(MemoryErrorCode::IoError,
                         QStringLiteral("cannot write %1: %2").arg(path, f.errorString()).toStdString());
    return {};
}

} // namespace flight::ui
