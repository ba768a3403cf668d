// SPDX-License-Identifier: MIT
#include "live/client/wakeup_pacer.h"

#include <QAbstractEventDispatcher>

#include <thread>

namespace flight::live {

WakeupPacer::WakeupPacer(Options options, QObject* parent) : QObject(parent), m_options(options) {}

void WakeupPacer::attach()
{
    m_sinceWake.start();
    m_rateWindow.start();
    if (auto* dispatcher = QAbstractEventDispatcher::instance()) {
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &WakeupPacer::beforeBlocking,
                Qt::DirectConnection);
        m_attached = true;
    }
}

void WakeupPacer::beforeBlocking()
{
    Q_EMIT passEnded();
    if (const qint64 window = m_rateWindow.elapsed(); window >= 1000) {
        m_framesPerSecond = static_cast<double>(m_frames) * 1000.0 / static_cast<double>(window);
        m_frames = 0;
        m_rateWindow.start();
    }
    if (m_framesPerSecond < m_options.pacedBelowFramesPerSecond && !(m_stayAwake && m_stayAwake())) {
        const auto waited = std::chrono::milliseconds(m_sinceWake.elapsed());
        if (waited < m_options.spacing) {
            std::this_thread::sleep_for(m_options.spacing - waited);
            ++m_sleeps;
        }
    }
    // The loop waits from here; the next pass is measured from this moment (an
    // idle link that wakes after a long wait is answered at once).
    m_sinceWake.start();
}

} // namespace flight::live
