// SPDX-License-Identifier: MIT
#include "plot_area_aligner.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>

#include <algorithm>
#include <cmath>

namespace flight::ui {

PlotAreaAligner::PlotAreaAligner(std::vector<QChartView*> views, QObject* parent)
    : QObject(parent)
{
    for (QChartView* v : views) {
        const QMargins m = v->chart()->margins();
        m_entries.push_back({v, m.left(), m.right()});
        connect(v->chart(), &QChart::plotAreaChanged, this, &PlotAreaAligner::align);
    }
}

void PlotAreaAligner::align()
{
    if (m_aligning || m_entries.size() < 2)
        return;
    m_aligning = true; // the plotAreaChanged our own changes cause come back here
    // Measured inside each chart (what its axes take beside the plot, margins aside), never
    // across views: one view may be resized a moment before the other. A chart lays itself
    // out on a posted event, so its layout is run first. The margins' effect is not quite
    // linear (an x label may overhang the plot's left), so a second pass settles the rest.
    for (int pass = 0; pass < 3; ++pass) {
        std::vector<std::pair<double, double>> axes; // beside the plot: left, right
        double left = 0, right = 0;
        for (const Entry& e : m_entries) {
            QChart* chart = e.view->chart();
            if (QGraphicsLayout* layout = chart->layout())
                layout->activate();
            const QRectF plot = chart->plotArea();
            if (plot.width() <= 0)
                break; // not laid out yet: its first plotAreaChanged comes back here
            const QMargins m = chart->margins();
            const double l = plot.left() - m.left();
            const double r = chart->size().width() - plot.right() - m.right();
            axes.emplace_back(l, r);
            left = std::max(left, l);
            right = std::max(right, r);
        }
        if (axes.size() != m_entries.size())
            break;
        bool changed = false;
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            Entry& e = m_entries[i];
            QMargins m = e.view->chart()->margins();
            const QMargins want(e.baseLeft + static_cast<int>(std::lround(left - axes[i].first)), m.top(),
                                e.baseRight + static_cast<int>(std::lround(right - axes[i].second)), m.bottom());
            if (want == m)
                continue;
            changed = true;
            e.view->chart()->setMargins(want);
        }
        if (!changed)
            break;
    }
    m_aligning = false;
}

} // namespace flight::ui
