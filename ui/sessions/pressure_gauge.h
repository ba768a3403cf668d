// SPDX-License-Identifier: MIT
#pragma once
// A dial of used / total with the four pressure bands at the session's
// thresholds, the computed level beside the producer's reported one, and the
// time the session spent at each level. Painted with QPainter: crisp at any size.

#include "analytics/pressure_durations.h"
#include "model/memory_pressure.h"

#include <QWidget>

#include <optional>

namespace flight::ui {

class PressureGauge : public QWidget {
    Q_OBJECT
public:
    explicit PressureGauge(QWidget* parent = nullptr);

    void setThresholds(const PressureThresholds& t);
    void setUsage(std::uint64_t used, std::uint64_t total, std::optional<MemoryPressure> reported);
    void setDurations(const PressureDurations& d);
    // A caption over the dial: "now" or the cursor's time.
    void setCaption(const QString& caption);
    QString caption() const { return m_caption; }
    void clear();

    double fraction() const; // used / total, 0 when total is unknown
    MemoryPressure computed() const;

    QSize sizeHint() const override { return {240, 300}; }
    QSize minimumSizeHint() const override { return {180, 220}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString percentText() const;
    QStringList durationTexts() const;
    QString shown() const; // what paintEvent draws, as text: compared to skip a repaint that changes nothing
    void updateIfChanged(const QString& before);

    PressureThresholds m_thresholds;
    std::uint64_t m_used = 0;
    std::uint64_t m_total = 0;
    std::optional<MemoryPressure> m_reported;
    std::optional<PressureDurations> m_durations;
    QString m_caption;
    bool m_empty = true;
};

} // namespace flight::ui
