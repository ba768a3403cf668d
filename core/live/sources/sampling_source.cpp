// SPDX-License-Identifier: MIT
#include "live/sources/sampling_source.h"

#include <QDateTime>
#include <QTimer>

#include <array>
#include <vector>

namespace flight::live {

using namespace flight::protocol;

namespace {
constexpr std::array kPurposes{StandardPurpose::VmHeap, StandardPurpose::ComponentStack, StandardPurpose::AssetCache,
                               StandardPurpose::JitCodeCache, StandardPurpose::SystemReserved,
                               StandardPurpose::NetworkBuffers};
}

struct SamplingSource::Impl {
    std::string sessionId;
    std::string label;
    QTimer timer;
    Sink sink;
    bool started = false;
    bool done = false;
    std::uint64_t samples = 0;
    std::vector<PurposeBytes> storage;
};

SamplingSource::SamplingSource(std::string sessionId, std::string label, std::chrono::milliseconds interval)
    : d(std::make_unique<Impl>())
{
    d->sessionId = std::move(sessionId);
    d->label = std::move(label);
    d->timer.setInterval(std::max<std::chrono::milliseconds>(interval, std::chrono::milliseconds(10)));
}

SamplingSource::~SamplingSource() = default;

void SamplingSource::start(Sink sink)
{
    d->sink = std::move(sink);
    QObject::disconnect(&d->timer, nullptr, nullptr, nullptr);
    QObject::connect(&d->timer, &QTimer::timeout, [this] { tick(); });
    QTimer::singleShot(0, &d->timer, [this] { tick(); });
    d->timer.start();
}

void SamplingSource::tick()
{
        if (!d->sink || d->done)
            return;
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        auto s = takeSample();
        if (!s) {
            d->done = true;
            d->timer.stop();
            if (d->started) {
                Message m;
                m.payload = SessionEndedMsg{d->sessionId, now};
                d->sink(m);
            }
            return;
        }
        if (!d->started) {
            d->started = true;
            SessionStartedMsg st;
            st.sessionId = d->sessionId;
            st.platform = "custom";
            st.label = d->label;
            st.totalBytes = s->totalBytes;
            st.timestamp = now;
            Message m;
            m.payload = st;
            d->sink(m);
        }
        ++d->samples;
        d->sink(memoryUpdateMessage(*s, d->sessionId, "custom", now, kPurposes, d->storage));
}

void SamplingSource::stop()
{
    d->timer.stop();
    d->sink = nullptr;
}

bool SamplingSource::finished() const
{
    return d->done;
}

const std::string& SamplingSource::sessionId() const
{
    return d->sessionId;
}

std::uint64_t SamplingSource::samples() const
{
    return d->samples;
}

} // namespace flight::live
