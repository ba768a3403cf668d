// SPDX-License-Identifier: MIT
#pragma once
// Replay of a session: play / pause (Space), step to the previous / next event
// (, and . or Alt+Left / Alt+Right), speed 0.25× to 64×, and a slider over the
// session's time. Every view follows the playhead: the gauge reads usage there,
// the timeline draws it, the allocations' "live at" filter uses it.
// The model answers "usage at t" without replaying, so seeking is instant.
//
// A step goes to the next (previous) event time given by setStepTimes (the
// Events view's rows as filtered); with no event left in that direction it
// goes to the end (start). Stepping pauses playback.
//
// A live session's bar has a Follow toggle (on by default): while it is on the
// playhead sits on the newest data as it arrives; play, seek or step turn it off
// and then the same controls work over what has been received so far.

#include <QIcon>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <vector>

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace flight::ui {

class ReplayBar : public QWidget {
    Q_OBJECT
public:
    // Milliseconds of wall time, monotonic; replaceable so tests control time.
    using Clock = std::function<std::int64_t()>;

    explicit ReplayBar(QWidget* parent = nullptr);

    // A recording's time span; resets the playhead to the start and stops.
    void setRange(std::int64_t fromMs, std::int64_t toMs);
    // A live session's span so far: the first call for a session shows Follow, on;
    // later calls keep the playhead (or move it to the new end while following).
    void setLiveRange(std::int64_t fromMs, std::int64_t toMs, bool firstForSession);
    void clear();
    bool isPlaying() const { return m_playing; }
    bool isLive() const { return m_live; }
    bool isFollowing() const { return m_live && m_following; }
    std::int64_t position() const { return m_position; }
    std::int64_t rangeEnd() const { return m_to; }
    double speed() const;
    void setSpeed(double speed); // one of speeds()
    static const std::vector<double>& speeds();
    void setStepTimes(std::vector<std::int64_t> ascendingTimes);
    void setClock(Clock clock);

public Q_SLOTS:
    void play();
    void pause();
    void togglePlay();
    void seek(std::int64_t timeMs);
    void stepForward();
    void stepBack();
    void setFollowing(bool follow);

Q_SIGNALS:
    void positionChanged(std::int64_t timeMs);
    void playingChanged(bool playing);
    void followingChanged(bool following);

private:
    void tick();
    void moveTo(std::int64_t timeMs);
    void updateControls();

    std::int64_t m_from = 0;
    std::int64_t m_to = 0;
    std::int64_t m_position = 0;
    bool m_playing = false;
    bool m_live = false;
    bool m_following = true;
    std::vector<std::int64_t> m_stepTimes;
    Clock m_clock;
    std::int64_t m_lastTick = 0;
    double m_carry = 0; // fractions of a ms left by slow speeds, so 0.25× does not stall
    QToolButton* m_play = nullptr;
    QToolButton* m_back = nullptr;
    QToolButton* m_forward = nullptr;
    QToolButton* m_follow = nullptr;
    QComboBox* m_speed = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_time = nullptr;
    QTimer* m_timer = nullptr;
    // Drawn in the palette's colours when painted (palette_icon.h): they follow the appearance.
    QIcon m_playIcon;
    QIcon m_pauseIcon;
};

} // namespace flight::ui
