// SPDX-License-Identifier: MIT
// The export the window uses is the command line's: every format to a file,
// from loaded recordings, off the UI thread.
#include "load_for_test.h"
#include "export/export_report_dialog.h"
#include "loading/recording_loader.h"
#include "export/report_export.h"

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>

using namespace flight;
using namespace flight::ui;

TEST(ReportExport, EveryFormatToAFileOnAWorkerThread)
{
    const auto rec = uitest::loadForTest(uitest::sampleRecording("psp.jsonl.zst"));
    ASSERT_NE(rec, nullptr);
    std::vector<protocol::SummarySource> sources{{"psp.jsonl.zst", rec->store.get()}};
    const reports::ReportData data = reports::collectReport(sources, {});

    QTemporaryDir dir;
    for (const QString& format : kReportFormats) {
        const QString path = dir.filePath(QStringLiteral("r.") + format);
        ReportExportOptions o;
        o.format = format;
        const Result<void> written = QtConcurrent::run([&]() { return exportReport(data, sources, o, path); }).result();
        ASSERT_TRUE(written.has_value()) << format.toStdString() << ": " << written.error().message;
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        if (format == QStringLiteral("pdf"))
            EXPECT_TRUE(bytes.startsWith("%PDF-"));
        else if (format == QStringLiteral("html"))
            EXPECT_TRUE(bytes.contains("62.7MB")); // the PSP sample's peak
        else if (format == QStringLiteral("json"))
            EXPECT_TRUE(bytes.contains("\"sessionId\""));
        else if (format == QStringLiteral("csv"))
            EXPECT_TRUE(bytes.startsWith("session,time_ms") || bytes.contains("time_ms"));
        else
            EXPECT_TRUE(bytes.contains("|"));
    }
    ReportExportOptions bad;
    bad.format = QStringLiteral("docx");
    const Result<void> unknown = exportReport(data, sources, bad, dir.filePath(QStringLiteral("x")));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, MemoryErrorCode::MalformedInput);
    EXPECT_NE(unknown.error().message.find("use html, pdf, md, json or csv"), std::string::npos);
    ReportExportOptions html;
    const Result<void> unwritable = exportReport(data, sources, html, QStringLiteral("/nonexistent/dir/r.html"));
    ASSERT_FALSE(unwritable.has_value());
    EXPECT_EQ(unwritable.error().code, MemoryErrorCode::IoError);
    EXPECT_NE(unwritable.error().message.find("cannot write /nonexistent/dir/r.html"), std::string::npos);
}

TEST(ExportReportDialog, SelectedRangeBecomesTheReportRange)
{
    ExportReportDialog withRange(std::make_pair(10.0, 60.0));
    auto o = withRange.options();
    ASSERT_TRUE(o.rangeFromSeconds.has_value());
    EXPECT_DOUBLE_EQ(*o.rangeFromSeconds, 10.0);
    EXPECT_DOUBLE_EQ(*o.rangeToSeconds, 60.0);
    EXPECT_EQ(withRange.format(), QStringLiteral("html"));
    EXPECT_TRUE(withRange.path().endsWith(QStringLiteral(".html")));
    ExportReportDialog noRange(std::nullopt);
    EXPECT_FALSE(noRange.options().rangeFromSeconds.has_value());
    EXPECT_FALSE(noRange.findChild<QCheckBox*>()->isEnabled());
}
