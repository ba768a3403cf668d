// SPDX-License-Identifier: MIT
#include "live/sources/replay_source.h"

#include "live/common/message_rewrite.h"
#include "protocol/message_decoder.h"
#include "protocol/recording_reader.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <string>
#include <vector>

namespace flight::live {

using namespace flight::protocol;

namespace {
constexpr std::size_t kMaxPerTick = 500; // let the event loop write to clients in between
// A pass of a recording whose lines all share one time would otherwise take no
// time at all, and --loop would send passes as fast as the CPU allows.
constexpr double kMinPassMs = 10.0;
}

struct ReplaySource::Impl {
    ReplaySourceOptions options;
    struct Line {
        std::int64_t t = 0; // ms since the first line
        std::string json;
    };
    std::vector<Line> lines;
    std::uint64_t skipped = 0;
    MessageDecoder decoder;
    QTimer timer;
    QElapsedTimer clock;     // runs from start(), across passes
    double passStartMs = 0;  // clock time at which the current pass began
    std::size_t index = 0;
    std::uint64_t pass = 0;
    bool done = false;
    std::string renamed;
    std::string lastStarted;  // the session of the last session_started seen
    std::string fallbackId;   // "replay-<file stem>"
    Sink sink;

    void beginPass(double startMs)
    {
        index = 0;
        lastStarted.clear();
        ++pass;
        decoder.reset();
        passStartMs = startMs;
    }

    // Real milliseconds a pass lasts: the recording from its first line to its
    // last, scaled by speed. The next pass starts when this one ends.
    double passLengthMs() const
    {
        return std::max(static_cast<double>(lines.back().t) / options.speed, kMinPassMs);
    }

    // Recording time reached in the current pass (ms since its first line).
    double elapsedInPass() const
    {
        return (static_cast<double>(clock.elapsed()) - passStartMs) * options.speed;
    }

    void tick()
    {
        double elapsed = elapsedInPass();
        std::size_t n = 0;
        while (sink && !done && n < kMaxPerTick) {
            if (index >= lines.size()) {
                if (!options.loop) {
                    done = true;
                    timer.stop();
                    return;
                }
                const double now = static_cast<double>(clock.elapsed());
                double next = passStartMs + passLengthMs();
                if (next > now) { // the next pass is not due yet
                    timer.start(static_cast<int>(std::min(next - now, 1000.0)) + 1);
                    return;
                }
                if (now - next > passLengthMs()) // more than a pass behind: start afresh, not in a burst
                    next = now;
                beginPass(next);
                elapsed = elapsedInPass();
                continue;
            }
            const Line& line = lines[index];
            if (static_cast<double>(line.t) > elapsed)
                break;
            ++index;
            auto r = decoder.decode(line.json, index);
            if (!r || !*r)
                continue;
            Message m = **r;
            m.seq.reset();
            m.receivedAt.reset();
            if (const auto* st = m.as<SessionStartedMsg>(); st && !st->sessionId.empty())
                lastStarted = std::string(st->sessionId);
            if (m.sessionId().empty() && !m.as<HelloMsg>()) // name the session it belongs to
                setMessageSessionId(m, lastStarted.empty() ? fallbackId : lastStarted);
            if (pass > 1) {
                renamed = std::string(m.sessionId()) + '~' + std::to_string(pass);
                setMessageSessionId(m, renamed);
            }
            ++n;
            sink(m);
        }
        // next tick: at once while behind, else when the next line is due
        if (!done && index < lines.size()) {
            const double wait = (static_cast<double>(lines[index].t) - elapsed) / options.speed;
            timer.start(n >= kMaxPerTick || wait <= 0 ? 0 : static_cast<int>(std::min(wait, 1000.0)) + 1);
        } else if (!done) {
            timer.start(0); // the pass has ended: the loop above decides when the next begins
        }
    }
};

ReplaySource::ReplaySource() : d(std::make_unique<Impl>()) {}
ReplaySource::~ReplaySource() = default;

Result<std::unique_ptr<ReplaySource>> ReplaySource::open(ReplaySourceOptions options)
{
    if (!(options.speed > 0))
        return makeError(MemoryErrorCode::InvalidSize, "replay: --speed must be above 0");
    std::unique_ptr<ReplaySource> s(new ReplaySource());
    Impl& d = *s->d;
    d.options = std::move(options);
    std::optional<std::int64_t> first;
    std::int64_t last = 0;
    MessageDecoder decoder;
    const RecordingReadResult read = readRecording(
        d.options.path.toStdString(), [&](std::string_view line, std::uint64_t number, bool) {
            auto r = decoder.decode(line, number);
            if (!r) {
                ++d.skipped;
                return;
            }
            if (!*r || (*r)->as<RecordingHeaderMsg>())
                return;
            const Message& m = **r;
            std::optional<std::int64_t> t = m.receivedAt ? m.receivedAt : messageTime(m);
            if (!first && t)
                first = t;
            std::int64_t rel = t && first ? *t - *first : last;
            if (rel < last)
                rel = last;
            last = rel;
            d.lines.push_back(Impl::Line{rel, std::string(line)});
        });
    if (read.ioError)
        return makeError(MemoryErrorCode::IoError,
                         "replay: cannot read " + d.options.path.toStdString() + ": " + read.ioError->message);
    if (d.lines.empty())
        return makeError(MemoryErrorCode::MalformedInput,
                         "replay: no message in " + d.options.path.toStdString());
    d.fallbackId = "replay-" + QFileInfo(d.options.path).completeBaseName().section(u'.', 0, 0).toStdString();
    d.timer.setSingleShot(true);
    QObject::connect(&d.timer, &QTimer::timeout, [impl = &d] { impl->tick(); });
    return s;
}

QString ReplaySource::describe() const
{
    return QStringLiteral("replay:") + d->options.path;
}

void ReplaySource::start(Sink sink)
{
    d->sink = std::move(sink);
    d->done = false;
    d->pass = 0;
    d->clock.start();
    d->beginPass(0);
    d->timer.start(0);
}

void ReplaySource::stop()
{
    d->timer.stop();
    d->sink = nullptr;
}

bool ReplaySource::finished() const
{
    return d->done;
}

std::size_t ReplaySource::messageCount() const
{
    return d->lines.size();
}

std::uint64_t ReplaySource::skippedLines() const
{
    return d->skipped;
}

std::uint64_t ReplaySource::passes() const
{
    return d->pass;
}

} // namespace flight::live
