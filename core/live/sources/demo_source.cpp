// SPDX-License-Identifier: MIT
#include "live/sources/demo_source.h"

#include "generator/workload_generator.h"
#include "live/common/message_rewrite.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

#include <cmath>
#include <optional>

namespace flight::live {

namespace {
constexpr int kTickMs = 10;
}

struct DemoSource::Impl {
    DemoSourceOptions options;
    std::optional<generator::WorkloadGenerator> generator;
    std::string sessionId;
    std::uint64_t run = 0;
    QTimer timer;
    QElapsedTimer clock;
    std::uint64_t sent = 0;
    Sink sink;

    Result<void> newRun()
    {
        generator::WorkloadOptions o;
        o.platform = options.platform;
        o.events = std::max(options.eventsPerRun, generator::kMinWorkloadEvents);
        o.seed = options.seed + run;
        o.sequenceNumbers = false;
        auto g = generator::WorkloadGenerator::create(o);
        if (!g)
            return std::unexpected(g.error());
        generator.emplace(std::move(*g));
        ++run;
        sessionId = "demo-" + options.platform + '-' + std::to_string(run);
        return {};
    }

    void tick()
    {
        const double due = std::floor(static_cast<double>(clock.elapsed()) / 1000.0 * options.rate);
        // after a stall, catch up at most one second's worth at once
        std::uint64_t n = due > static_cast<double>(sent) ? static_cast<std::uint64_t>(due) - sent : 0;
        const auto cap = static_cast<std::uint64_t>(std::max(1.0, options.rate));
        if (n > cap) {
            sent += n - cap;
            n = cap;
        }
        for (std::uint64_t i = 0; i < n && sink; ++i) {
            const protocol::Message* next = generator->next();
            if (!next) {
                if (!newRun())
                    return;
                next = generator->next();
                if (!next)
                    return;
            }
            protocol::Message m = *next;
            m.seq.reset();
            setMessageSessionId(m, sessionId);
            if (const auto t = messageTime(m))
                shiftMessageTime(m, QDateTime::currentMSecsSinceEpoch() - *t);
            ++sent;
            sink(m);
        }
    }
};

DemoSource::DemoSource() : d(std::make_unique<Impl>()) {}
DemoSource::~DemoSource() = default;

Result<std::unique_ptr<DemoSource>> DemoSource::create(DemoSourceOptions options)
{
    if (!(options.rate > 0))
        return makeError(MemoryErrorCode::InvalidSize, "demo: --rate must be above 0");
    std::unique_ptr<DemoSource> s(new DemoSource());
    s->d->options = std::move(options);
    if (auto r = s->d->newRun(); !r)
        return std::unexpected(r.error());
    s->d->timer.setInterval(kTickMs);
    QObject::connect(&s->d->timer, &QTimer::timeout, [impl = s->d.get()] { impl->tick(); });
    return s;
}

QString DemoSource::describe() const
{
    return QStringLiteral("demo:") + QString::fromStdString(d->options.platform);
}

void DemoSource::start(Sink sink)
{
    d->sink = std::move(sink);
    d->clock.start();
    d->sent = 0;
    d->timer.start();
}

void DemoSource::stop()
{
    d->timer.stop();
    d->sink = nullptr;
}

std::uint64_t DemoSource::runs() const
{
    return d->run;
}

} // namespace flight::live
