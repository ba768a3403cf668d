#include "replay_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QShortcut>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace flight::ui {
namespace {
constexpr int kSliderSteps = 10000;
constexpr int kFrameMs = 33;
} // namespace

ReplayBar::ReplayBar(QWidget* parent)
    : QWidget(parent)
    , m_timer(new QTimer(this))
{
    m_play = new QToolButton(this);
    m_play->setToolTip(tr("Replay from the playhead (Space)"));
    m_speed = new QComboBox(this);
    for (double s : {0.25, 1.0, 2.0, 5.0, 10.0, 50.0, 100.0})
        m_speed->addItem(QStringLiteral("%1×").arg(s), s);
    m_speed->setCurrentIndex(1);
    m_speed->setToolTip(tr("Replay speed"));
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, kSliderSteps);
    m_time = new QLabel(this);
    m_time->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0000.000 s / 0000.000 s")));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Replay"), this));
    layout->addWidget(m_play);
    layout->addWidget(m_speed);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_time);

    m_timer->setInterval(kFrameMs);
    connect(m_timer, &QTimer::timeout, this, &ReplayBar::tick);
    connect(m_play, &QToolButton::clicked, this, &ReplayBar::togglePlay);
    connect(m_slider, &QSlider::sliderMoved, this, [this](int v) {
        seek(m_from + static_cast<std::int64_t>(static_cast<double>(m_to - m_from) * v / kSliderSteps));
    });
    auto* space = new QShortcut(QKeySequence(Qt::Key_Space), this);
    space->setContext(Qt::WindowShortcut);
    connect(space, &QShortcut::activated, this, &ReplayBar::togglePlay);
    clear();
}

double ReplayBar::speed() const
{
    return m_speed->currentData().toDouble();
}

void ReplayBar::setRange(std::int64_t fromMs, std::int64_t toMs)
{
    pause();
    m_from = fromMs;
    m_to = std::max(toMs, fromMs);
    m_position = m_from;
    setEnabled(true);
    updateControls();
}

void ReplayBar::clear()
{
    pause();
    m_from = m_to = m_position = 0;
    setEnabled(false);
    updateControls();
}

void ReplayBar::play()
{
    if (m_playing || m_to <= m_from)
        return;
    if (m_position >= m_to)
        m_position = m_from; // play again from the start
    m_playing = true;
    m_clock.start();
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
    m_position = std::clamp(timeMs, m_from, m_to);
    if (m_playing)
        m_clock.restart();
    updateControls();
    Q_EMIT positionChanged(m_position);
}

void ReplayBar::tick()
{
    const auto advance = static_cast<std::int64_t>(static_cast<double>(m_clock.restart()) * speed());
    seek(m_position + std::max<std::int64_t>(advance, 1));
    if (m_position >= m_to)
        pause();
}

void ReplayBar::updateControls()
{
    m_play->setIcon(style()->standardIcon(m_playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    const QSignalBlocker block(m_slider);
    m_slider->setValue(m_to > m_from ? static_cast<int>(static_cast<double>(m_position - m_from) * kSliderSteps /
                                                       static_cast<double>(m_to - m_from))
                                     : 0);
    m_time->setText(tr("%1 s / %2 s")
                        .arg(static_cast<double>(m_position - m_from) / 1000.0, 0, 'f', 3)
                        .arg(static_cast<double>(m_to - m_from) / 1000.0, 0, 'f', 3));
}

} // namespace flight::ui
