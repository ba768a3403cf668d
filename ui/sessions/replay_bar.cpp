// SPDX-License-Identifier: MIT
#include "replay_bar.h"

#include "style/palette_icon.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QShortcut>
#include <QSlider>
#include <QTimer>
#include <QToolButton>

#include <algorithm>
#include <cmath>
#include <memory>

namespace flight::ui {
namespace {
constexpr int kSliderSteps = 10000;
constexpr int kFrameMs = 33;

QToolButton* makeButton(QWidget* parent, const QString& icon, const QString& tip)
{
    auto* b = new QToolButton(parent);
    b->setIcon(paletteIcon(icon));
    b->setToolTip(tip);
    b->setAutoRaise(true);
    return b;
}

void addShortcut(QWidget* owner, const QKeySequence& keys, const std::function<void()>& f)
{
    auto* s = new QShortcut(keys, owner);
    s->setContext(Qt::WindowShortcut);
    QObject::connect(s, &QShortcut::activated, owner, f);
}

} // namespace

const std::vector<double>& ReplayBar::speeds()
{
    static const std::vector<double> s = {0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0};
    return s;
}

ReplayBar::ReplayBar(QWidget* parent)
    : QWidget(parent)
    , m_timer(new QTimer(this))
    , m_playIcon(paletteIcon(QStringLiteral(":/icons/media-play.svg")))
    , m_pauseIcon(paletteIcon(QStringLiteral(":/icons/media-pause.svg")))
{
    auto wall = std::make_shared<QElapsedTimer>();
    wall->start();
    m_clock = [wall]() { return static_cast<std::int64_t>(wall->elapsed()); };

    m_back = makeButton(this, QStringLiteral(":/icons/media-step-back.svg"), tr("Step back to the previous event shown in the Events view (, or Alt+Left)"));
    m_play = makeButton(this, QStringLiteral(":/icons/media-play.svg"), tr("Replay from the playhead (Space)"));
    m_forward = makeButton(this, QStringLiteral(":/icons/media-step-forward.svg"), tr("Step to the next event shown in the Events view (. or Alt+Right)"));
    m_speed = new QComboBox(this);
    for (double s : speeds())
        m_speed->addItem(QStringLiteral("%1×").arg(s), s);
    m_speed->setCurrentIndex(2);
    m_speed->setToolTip(tr("Replay speed: session time per second of wall time"));
    m_follow = new QToolButton(this);
    m_follow->setText(tr("Follow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Stick to the newest data of the live session; off, the replay controls work over what has been received"));
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, kSliderSteps);
    m_slider->setToolTip(tr("Seek"));
    m_time = new QLabel(this);
    m_time->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0000.000 s / 0000.000 s")));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Replay"), this));
    layout->addWidget(m_back);
    layout->addWidget(m_play);
    layout->addWidget(m_forward);
    layout->addWidget(m_speed);
    layout->addWidget(m_follow);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_time);

    m_timer->setInterval(kFrameMs);
    connect(m_timer, &QTimer::timeout, this, &ReplayBar::tick);
    connect(m_play, &QToolButton::clicked, this, &ReplayBar::togglePlay);
    connect(m_back, &QToolButton::clicked, this, &ReplayBar::stepBack);
    connect(m_forward, &QToolButton::clicked, this, &ReplayBar::stepForward);
    connect(m_follow, &QToolButton::toggled, this, &ReplayBar::setFollowing);
    connect(m_slider, &QSlider::sliderMoved, this, [this](int v) {
        seek(m_from + static_cast<std::int64_t>(static_cast<double>(m_to - m_from) * v / kSliderSteps));
    });
    addShortcut(this, QKeySequence(Qt::Key_Space), [this]() { togglePlay(); });
    addShortcut(this, QKeySequence(Qt::Key_Period), [this]() { stepForward(); });
    addShortcut(this, QKeySequence(Qt::Key_Comma), [this]() { stepBack(); });
    addShortcut(this, QKeySequence(Qt::ALT | Qt::Key_Right), [this]() { stepForward(); });
    addShortcut(this, QKeySequence(Qt::ALT | Qt::Key_Left), [this]() { stepBack(); });
    clear();
}

double ReplayBar::speed() const
{
    return m_speed->currentData().toDouble();
}

void ReplayBar::setSpeed(double speed)
{
    const int i = m_speed->findData(speed);
    if (i >= 0)
        m_speed->setCurrentIndex(i);
}

void ReplayBar::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

void ReplayBar::setStepTimes(std::vector<std::int64_t> ascendingTimes)
{
    m_stepTimes = std::move(ascendingTimes);
}

void ReplayBar::setRange(std::int64_t fromMs, std::int64_t toMs)
{
    pause();
    m_live = false;
    m_from = fromMs;
    m_to = std::max(toMs, fromMs);
    m_position = m_from;
    setEnabled(true);
    updateControls();
}

void ReplayBar::setLiveRange(std::int64_t fromMs, std::int64_t toMs, bool firstForSession)
{
    m_from = fromMs;
    m_to = std::max(toMs, fromMs);
    setEnabled(true);
    if (firstForSession || !m_live) {
        pause();
        m_live = true;
        m_following = true;
        const QSignalBlocker block(m_follow);
        m_follow->setChecked(true);
    }
    if (m_following) {
        m_position = m_to;
        updateControls();
        Q_EMIT positionChanged(m_position);
        return;
    }
    m_position = std::clamp(m_position, m_from, m_to);
    updateControls();
}

void ReplayBar::clear()
{
    pause();
    m_from = m_to = m_position = 0;
    m_live = false;
    m_stepTimes.clear();
    setEnabled(false);
    updateControls();
}

void ReplayBar::setFollowing(bool follow)
{
    if (!m_live || follow == m_following)
        return;
    m_following = follow;
    {
        const QSignalBlocker block(m_follow);
        m_follow->setChecked(follow);
    }
    if (follow) {
        pause();
        m_position = m_to;
    }
    updateControls();
    Q_EMIT followingChanged(follow);
    if (follow)
        Q_EMIT positionChanged(m_position);
}

void ReplayBar::play()
{
    if (m_playing || m_to <= m_from)
        return;
    setFollowing(false); // the user takes the playhead
    if (m_position >= m_to)
        m_position = m_from; // play again from the start
    m_playing = true;
    m_lastTick = m_clock();
    m_carry = 0;
    m_timer->start();
    updateControls();
    Q_EMIT playingChanged(true);
}

void ReplayBar::pause()
{
    if (!m_playing)
        return;
    m_playing = false;
    m_timer->stop();
    updateControls();
    Q_EMIT playingChanged(false);
}

void ReplayBar::togglePlay()
{
    m_playing ? pause() : play();
}

void ReplayBar::seek(std::int64_t timeMs)
{
    setFollowing(false);
    moveTo(timeMs);
    if (m_playing) {
        m_lastTick = m_clock();
        m_carry = 0;
    }
}

void ReplayBar::moveTo(std::int64_t timeMs)
{
    m_position = std::clamp(timeMs, m_from, m_to);
    updateControls();
    Q_EMIT positionChanged(m_position);
}

void ReplayBar::stepForward()
{
    if (!isEnabled())
        return;
    pause();
    const auto it = std::upper_bound(m_stepTimes.begin(), m_stepTimes.end(), m_position);
    seek(it == m_stepTimes.end() ? m_to : *it);
}

void ReplayBar::stepBack()
{
    if (!isEnabled())
        return;
    pause();
    const auto it = std::lower_bound(m_stepTimes.begin(), m_stepTimes.end(), m_position);
    seek(it == m_stepTimes.begin() ? m_from : *std::prev(it));
}

void ReplayBar::tick()
{
    const std::int64_t now = m_clock();
    // Session time advances by wall time × speed; the fraction of a ms a slow
    // speed leaves over is carried to the next frame rather than lost.
    const double advance = static_cast<double>(now - m_lastTick) * speed() + m_carry;
    m_lastTick = now;
    const auto whole = static_cast<std::int64_t>(std::floor(advance));
    m_carry = advance - static_cast<double>(whole);
    moveTo(m_position + whole);
    if (m_position >= m_to)
        pause();
}

void ReplayBar::updateControls()
{
    m_play->setIcon(m_playing ? m_pauseIcon : m_playIcon);
    m_follow->setVisible(m_live);
    const QSignalBlocker block(m_slider);
    m_slider->setValue(m_to > m_from ? static_cast<int>(static_cast<double>(m_position - m_from) * kSliderSteps /
                                                       static_cast<double>(m_to - m_from))
                                     : 0);
    m_time->setText(tr("%1 s / %2 s")
                        .arg(static_cast<double>(m_position - m_from) / 1000.0, 0, 'f', 3)
                        .arg(static_cast<double>(m_to - m_from) / 1000.0, 0, 'f', 3));
}

} // namespace flight::ui
