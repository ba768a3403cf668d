// SPDX-License-Identifier: MIT
#include "live/sources/source_spec.h"

#include "live/sources/cgroup_source.h"
#include "live/sources/demo_source.h"
#include "live/sources/process_source.h"
#include "live/sources/replay_source.h"
#include "live/v8/v8_discovery.h"
#include "live/v8/v8_source.h"

#include <algorithm>

#include <QStringList>

namespace flight::live {

namespace {

std::unexpected<MemoryError> bad(const QString& spec, const std::string& why)
{
    return makeError(MemoryErrorCode::InvalidSize, "bad source '" + spec.toStdString() + "': " + why);
}

template <typename T>
Result<std::vector<std::unique_ptr<AgentSource>>> one(const QString& spec, Result<std::unique_ptr<T>> r)
{
    if (!r)
        return bad(spec, r.error().message);
    std::vector<std::unique_ptr<AgentSource>> v;
    v.push_back(std::move(*r));
    return v;
}

} // namespace

Result<std::vector<std::unique_ptr<AgentSource>>> makeSources(const QString& spec, const SourceSettings& settings)
{
    const qsizetype colon = spec.indexOf(u':');
    const QString kind = colon < 0 ? spec : spec.left(colon);
    const QString arg = colon < 0 ? QString() : spec.mid(colon + 1);
    if (kind == QLatin1String("demo")) {
        std::vector<std::unique_ptr<AgentSource>> v;
        const QStringList platforms = arg.isEmpty() ? QStringList{QStringLiteral("v6r-small"), QStringLiteral("dreamcast")}
                                                    : QStringList{arg};
        for (const QString& p : platforms) {
            DemoSourceOptions o;
            o.platform = p.toStdString();
            o.rate = settings.rate;
            o.eventsPerRun = settings.demoEvents;
            auto s = DemoSource::create(o);
            if (!s)
                return bad(spec, s.error().message);
            v.push_back(std::move(*s));
        }
        return v;
    }
    if (arg.isEmpty())
        return bad(spec, kind == QLatin1String("replay") || kind == QLatin1String("process") || kind == QLatin1String("cgroup")
                                     || kind == QLatin1String("v8")
                             ? "missing the part after ':'"
                             : "unknown kind (use demo[:PLATFORM], replay:FILE, process:PID, cgroup:PATH or v8:HOST:PORT)");
    if (kind == QLatin1String("replay"))
        return one(spec, ReplaySource::open({arg, settings.speed, settings.loop}));
    if (kind == QLatin1String("process")) {
        bool ok = false;
        const qint64 pid = arg.toLongLong(&ok);
        if (!ok || pid <= 0)
            return bad(spec, "PID must be a positive number");
        ProcessSourceOptions o;
        o.pid = pid;
        o.interval = settings.interval;
        return one(spec, ProcessSource::create(o));
    }
    if (kind == QLatin1String("cgroup"))
        return one(spec, CgroupSource::create({arg, settings.interval}));
    if (kind == QLatin1String("v8")) {
        auto endpoint = parseV8Endpoint(arg, settings.allowRemoteV8);
        if (!endpoint)
            return bad(spec, endpoint.error().message);
        V8SourceOptions o;
        o.spec = spec;
        o.interval = settings.interval;
        o.platform = settings.platform;
        o.samplingInterval = settings.v8SamplingBytes;
        o.allocationInterval = std::max(settings.interval, std::chrono::milliseconds(1000));
        if (!endpoint->directUrl.isEmpty()) {
            o.targets.push_back(directTarget(*endpoint));
        } else {
            auto targets = discoverV8Targets(*endpoint, std::chrono::milliseconds(3000));
            if (!targets)
                return bad(spec, targets.error().message);
            o.targets = std::move(*targets);
        }
        return one(spec, V8Source::create(std::move(o)));
    }
    return bad(spec, "unknown kind '" + kind.toStdString() + "' (use demo[:PLATFORM], replay:FILE, process:PID, cgroup:PATH or v8:HOST:PORT)");
}

} // namespace flight::live
