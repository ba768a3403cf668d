#pragma once
// Replay of a recorded session: play / pause (Space), speed, and a slider over
// the session's time. Every view follows the playhead: the gauge reads usage
// there, the timeline draws it, the allocations' "live at" filter uses it.
// The model answers "usage at t" without replaying, so seeking is instant.

#include <QElapsedTimer>
#include <QWidget>

#include <cstdint>

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace flight::ui {

class ReplayBar : public QWidget {
    Q_OBJECT
public:
    explicit ReplayBar(QWidget* parent = nullptr);

    // The session's time span; resets the playhead to the start and stops.
    void setRange(std::int64_t fromMs, std::int64_t toMs);
    void clear();
    bool isPlaying() const { return m_playing; }
    std::int64_t position() const { return m_position; }
    double speed() const;

public Q_SLOTS:
    void play();
    void pause();
    void togglePlay();
    void seek(std::int64_t timeMs);

Q_SIGNALS:
    void positionChanged(std::int64_t timeMs);
    void playingChanged(bool playing);

private:
    void tick();
    void updateControls();

    std::int64_t m_from = 0;
    std::int64_t m_to = 0;
    std::int64_t m_position = 0;
    bool m_playing = false;
    QToolButton* m_play = nullptr;
    QComboBox* m_speed = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_time = nullptr;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_clock;
};

} // namespace flight::ui
