// SPDX-License-Identifier: MIT
#include "timeline_readout.h"

#include "style/app_style.h"
#include "style/size_format.h"
#include "timeline_series_builder.h"

namespace flight::ui {

QString formatTimelineSeconds(double s)
{
    return QStringLiteral("%1 s").arg(s, 0, 'f', 3);
}

QString timelineReadoutHtml(const SessionModel& session, std::int64_t t, std::int64_t originMs,
                            const std::vector<MemoryPurpose>& purposes, const QPalette& palette)
{
    const PurposeUsage u = session.usageAt(t);
    QColor back = palette.color(QPalette::Base);
    back.setAlpha(230);
    QString html = QStringLiteral("<div style='background:%1; color:%2'><b>%3</b> &nbsp;used %4")
                       .arg(back.name(QColor::HexArgb), palette.color(QPalette::Text).name(),
                            formatTimelineSeconds(toSeconds(t, originMs)), formatSize(session.usedAt(t)));
    for (auto it = purposes.rbegin(); it != purposes.rend(); ++it) {
        const auto v = u[*it];
        if (v <= 0)
            continue;
        html += QStringLiteral("<br><span style='color:%1'>■</span> %2: %3")
                    .arg(purposeColor(it->id()).name(), QString::fromStdString(it->displayName()),
                         formatSize(static_cast<std::uint64_t>(v)));
    }
    html += QStringLiteral("</div>");
    return html;
}

} // namespace flight::ui
