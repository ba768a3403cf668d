// SPDX-License-Identifier: MIT
#pragma once
// The timeline: stacked usage by purpose over time, the used line (min/max per
// pixel column), the platform total, soft and hard limits, markers, and the
// pressure levels as background bands. Wheel zooms around the pointer, drag
// pans, Shift+drag zooms to a band, Ctrl+drag selects a range (the filter the
// other views follow), double-click or Home resets, Esc clears the selection.
// Points are rebuilt for the visible range only, a bounded number per column,
// and drawn by one TimelinePlotItem; the chart's series only carry the legend.

#include "timeline_series_builder.h"

#include <QChartView>

#include <optional>

class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
class QGraphicsTextItem;
class QRubberBand;
class QValueAxis;

namespace flight {
class UsagePyramid;
}

namespace flight::ui {

class TimelinePlotItem;

class TimelineView : public QChartView {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    // Both must outlive the view's use of them (the page keeps the recording alive).
    void setSession(const SessionModel* session, const UsagePyramid* pyramid);
    // A live producer's next session before its first data: the data goes, the legend,
    // bands and axes stay and the title names `sessionId`, so the plot does not move for
    // the empty step (a session with the same legend then only redraws the data).
    void holdForNextSession(const QString& sessionId);
    // Aligns the time axis with another view (the compare page): x counts seconds from
    // originMs, and the view pans and zooms over [domainFromMs, domainToMs], which may be
    // wider than the session. Resets the zoom; setSession returns to the session's own base.
    void setTimeBase(std::int64_t originMs, std::int64_t domainFromMs, std::int64_t domainToMs);
    std::int64_t originMs() const { return m_originMs; }
    // Words before the chart's title ("A", "B") and the time axis's title; they survive setSession.
    void setTitlePrefix(const QString& prefix);
    void setTimeAxisTitle(const QString& title);
    void resetZoom();
    void setVisibleRange(std::int64_t fromMs, std::int64_t toMs);
    std::int64_t visibleFromMs() const { return m_fromMs; }
    std::int64_t visibleToMs() const { return m_toMs; }
    bool isFullRange() const { return m_fromMs == m_fullFromMs && m_toMs == m_fullToMs; }
    std::optional<std::pair<std::int64_t, std::int64_t>> selection() const { return m_selection; }
    void setSelection(std::optional<std::pair<std::int64_t, std::int64_t>> range);
    // The replay's playhead, drawn as a vertical line; nullopt hides it.
    void setPlayhead(std::optional<std::int64_t> timeMs);
    // Points drawn by the last rebuild, over every series (for tests and the status bar).
    qsizetype pointCount() const;
    // What the last rebuild drew (for tests), and the item that paints it.
    const TimelineSeries& drawnSeries() const;
    const TimelinePlotItem* plotItem() const { return m_plot; }

Q_SIGNALS:
    void cursorMoved(std::int64_t timeMs);
    void cursorLeft();
    // A click (no drag) on the plot pins the cursor there; the allocations' "live at" filter follows it.
    void cursorPinned(std::int64_t timeMs);
    void selectionChanged(std::optional<std::pair<std::int64_t, std::int64_t>> range);
    void visibleRangeChanged(std::int64_t fromMs, std::int64_t toMs);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    enum class Drag { None, Pan, Zoom, Select };
    void clearSeries();
    // Rebuilds series and colours for a new palette or unit, keeping the view where it is.
    void restyle();
    void scheduleRebuild();
    void rebuild();
    void setSessionTitle(const SessionModel& session); // sets it only when its text changes
    void updateOverlays();
    void plotAreaChanged(const QRectF& plot);
    void updateCursor(const QPoint& pos);
    std::int64_t timeAt(const QPoint& pos) const;
    int plotX(std::int64_t t) const;

    const SessionModel* m_session = nullptr;
    const UsagePyramid* m_pyramid = nullptr;
    std::vector<MemoryPurpose> m_purposes;
    QString m_legendKey; // what the legend was built for (empty: nothing built)
    bool m_legendHeld = false; // holdForNextSession: no session, the legend kept for the next
    std::int64_t m_originMs = 0;
    std::int64_t m_fullFromMs = 0;
    std::int64_t m_fullToMs = 1;
    std::int64_t m_fromMs = 0;
    std::int64_t m_toMs = 1;
    double m_unitBytes = 1.0;
    QString m_unitName;
    QString m_titlePrefix;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_selection;

    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    TimelinePlotItem* m_plot = nullptr;
    std::vector<double> m_levelValues; // total, soft, hard (scaled): the y range reaches them
    QSize m_builtFor;                  // plot size (whole pixels) the last rebuild drew and chose ticks for
    std::vector<QGraphicsSimpleTextItem*> m_markerLabels;
    QGraphicsLineItem* m_cursorLine = nullptr;
    QGraphicsTextItem* m_readout = nullptr;
    QGraphicsRectItem* m_selectionRect = nullptr;
    QGraphicsLineItem* m_playheadLine = nullptr;
    std::optional<std::int64_t> m_playhead;
    QRubberBand* m_band = nullptr;

    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    std::int64_t m_pressFromMs = 0;
    std::int64_t m_pressToMs = 0;
    bool m_rebuildPending = false;
};

} // namespace flight::ui
