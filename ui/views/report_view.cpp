// SPDX-License-Identifier: MIT
#include "report_view.h"

#include "export/report_painter.h"
#include "style/display_settings.h"
#include "reports/html_report.h"
#include "reports/report_data.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <memory>
#include <vector>

namespace flight::ui {
namespace {

struct WrittenReport {
    QString html;
    std::vector<QImage> charts; // "chart:N" in the html
};

// On a worker: the session's figures, the HTML with <img> for each chart, the charts painted.
WrittenReport writeReport(const LoadedRecording& recording, std::size_t sessionIndex,
                          std::optional<std::pair<std::int64_t, std::int64_t>> rangeMs, ByteUnits units)
{
    const SessionModel& session = recording.store->session(sessionIndex);
    reports::ReportOptions options;
    if (rangeMs) {
        options.rangeFromSeconds = static_cast<double>(rangeMs->first - session.firstMs()) / 1000.0;
        options.rangeToSeconds = static_cast<double>(rangeMs->second - session.firstMs()) / 1000.0;
    }
    const protocol::SummarySource source{QFileInfo(recording.path).fileName().toStdString(), recording.store.get()};
    reports::ReportData data = reports::collectReport(std::span(&source, 1), options);
    // The report of the selected session only; the decode problems stay (they are the file's).
    reports::SessionReport selected = std::move(data.sessions[sessionIndex]);
    data.sessions.clear();
    data.sessions.push_back(std::move(selected));

    WrittenReport out;
    std::vector<reports::ChartScene> scenes;
    reports::HtmlReportOptions html;
    html.units = units;
    html.figuresAsTable = true; // QTextBrowser lays out no CSS grid
    html.chartMarkup = [&](const reports::ChartScene& scene) {
        scenes.push_back(scene);
        const auto w = static_cast<int>(std::lround(scene.width));
        const auto h = static_cast<int>(std::lround(scene.height));
        return "<img src=\"chart:" + std::to_string(scenes.size() - 1) + "\" width=\"" + std::to_string(w) +
               "\" height=\"" + std::to_string(h) + "\">";
    };
    out.html = QString::fromStdString(reports::htmlReport(data, html));
    // Twice the size: sharp on a high-density screen, scaled down by the browser elsewhere.
    for (const reports::ChartScene& scene : scenes)
        out.charts.push_back(renderChart(scene, QSize(static_cast<int>(std::lround(scene.width * 2)),
                                                      static_cast<int>(std::lround(scene.height * 2)))));
    return out;
}

} // namespace

ReportView::ReportView(QWidget* parent)
    : QWidget(parent)
{
    m_browser = new QTextBrowser(this);
    m_browser->setOpenLinks(false);
    m_browser->setPlaceholderText(tr("Select a session to see its memory report."));
    m_export = new QPushButton(tr("Export…"), this);
    m_export->setToolTip(tr("Write the report of every open session as HTML, PDF, Markdown, JSON or CSV (File › Export Report…)"));
    m_status = new QLabel(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_export);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_browser, 1);
    connect(m_export, &QPushButton::clicked, this, &ReportView::exportRequested);
}

void ReportView::showSession(const LoadedRecordingPtr& recording, std::size_t sessionIndex,
                             std::optional<std::pair<std::int64_t, std::int64_t>> rangeMs)
{
    Request request{recording, sessionIndex, rangeMs, DisplaySettings::instance().units()};
    if (m_running) {
        m_waiting = std::move(request); // the newest wins; the one running is dropped when it lands
        ++m_generation;
        return;
    }
    start(std::move(request));
}

void ReportView::showNote(const QString& text)
{
    ++m_generation; // a report on its way is no longer wanted
    m_waiting.reset();
    m_status->clear();
    m_browser->setPlainText(text);
}

void ReportView::start(Request request)
{
    m_running = true;
    const quint64 generation = ++m_generation;
    m_status->setText(tr("Writing the report…"));
    QPointer<ReportView> self(this);
    (void)QtConcurrent::run([self, generation, request]() {
        auto written = std::make_shared<WrittenReport>(writeReport(*request.recording, request.sessionIndex, request.rangeMs, request.units));
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, written]() {
            if (!self)
                return;
            self->m_running = false;
            if (self->m_waiting) {
                Request next = std::move(*self->m_waiting);
                self->m_waiting.reset();
                self->start(std::move(next));
                return;
            }
            if (generation != self->m_generation)
                return; // replaced by a note
            self->m_status->clear();
            QTextDocument* doc = self->m_browser->document();
            for (std::size_t i = 0; i < written->charts.size(); ++i)
                doc->addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart:%1").arg(i)),
                                 QVariant(written->charts[i]));
            const int scroll = self->m_browser->verticalScrollBar()->value();
            self->m_browser->setHtml(written->html);
            self->m_browser->verticalScrollBar()->setValue(scroll); // a live refresh keeps the reader's place
            Q_EMIT self->reportShown();
        }, Qt::QueuedConnection);
    });
}

} // namespace flight::ui
