// SPDX-License-Identifier: MIT
#pragma once
// Keeps the plot areas of charts stacked in one column (same x, same width) at the
// same left and right edges (the compare page's two timelines): a y axis with narrower labels ("15")
// would otherwise start its plot a few pixels left of one with wider labels ("400"),
// and the same instant would not sit above itself. Each chart's left (right) margin
// grows by what its own axes leave over the widest; it follows every re-layout.

#include <QObject>

#include <vector>

class QChartView;

namespace flight::ui {

class PlotAreaAligner : public QObject {
    Q_OBJECT
public:
    // The views must outlive the aligner (make it their parent's child).
    PlotAreaAligner(std::vector<QChartView*> views, QObject* parent = nullptr);

    // Re-aligns now (it also does on its own whenever a plot area moves).
    void align();

private:
    struct Entry {
        QChartView* view;
        int baseLeft;
        int baseRight;
    };
    std::vector<Entry> m_entries;
    bool m_aligning = false;
};

} // namespace flight::ui
