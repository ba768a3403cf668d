// SPDX-License-Identifier: MIT
#include "live/v8/v8_source.h"

#include "live/v8/v8_target_session.h"
#include "model/platform_profile.h"

namespace flight::live {

struct V8Source::Impl {
    V8SourceOptions options;
    std::vector<std::unique_ptr<V8TargetSession>> sessions;
};

V8Source::V8Source(V8SourceOptions options) : d(std::make_unique<Impl>())
{
    d->options = std::move(options);
    for (const V8Target& t : d->options.targets)
        d->sessions.push_back(std::make_unique<V8TargetSession>(t, d->options));
}

V8Source::~V8Source() = default;

Result<std::unique_ptr<V8Source>> V8Source::create(V8SourceOptions options)
{
    if (options.targets.empty())
        return makeError(MemoryErrorCode::InvalidSize, "no V8 target to attach to");
    if (!options.platform.empty() && !PlatformCatalog::builtin().find(options.platform))
        return makeError(MemoryErrorCode::UnsupportedPlatform, "unknown platform '" + options.platform + "'");
    return std::unique_ptr<V8Source>(new V8Source(std::move(options)));
}

QString V8Source::describe() const
{
    return d->options.spec;
}

void V8Source::start(Sink sink)
{
    for (auto& s : d->sessions)
        s->start(sink);
}

void V8Source::stop()
{
    for (auto& s : d->sessions)
        s->stop();
}

bool V8Source::finished() const
{
    for (const auto& s : d->sessions)
        if (!s->finished())
            return false;
    return true;
}

std::vector<V8TargetStats> V8Source::stats() const
{
    std::vector<V8TargetStats> out;
    for (const auto& s : d->sessions)
        out.push_back(s->stats());
    return out;
}

} // namespace flight::live
