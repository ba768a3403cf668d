// SPDX-License-Identifier: MIT
#include "live/v8/v8_allocation_sampler.h"

#include "protocol/printable_text.h"
#include "protocol/string_caps.h"

#include <QJsonArray>

#include <cmath>
#include <unordered_set>

namespace flight::live {

namespace {

// A profile's tree has one node per distinct allocation stack; a real
// program has thousands. More than this is not a profile we can use.
constexpr std::size_t kMaxNodes = 500'000;
constexpr std::size_t kMaxLabelBytes = 200;

bool wholeNumber(const QJsonValue& v, std::uint64_t& out)
{
    const double d = v.toDouble(-1.0);
    if (!v.isDouble() || !(d >= 0) || d >= 9.0e15 || std::floor(d) != d)
        return false;
    out = static_cast<std::uint64_t>(d);
    return true;
}

// "makeObjects (app.js:12)": the function, the script's file name and the
// 1-based line, as a user finds them in the source.
std::string frameLabel(const QJsonObject& frame)
{
    QString fn = frame.value(QLatin1String("functionName")).toString().left(100);
    if (fn.isEmpty())
        fn = QStringLiteral("(anonymous)");
    QString url = frame.value(QLatin1String("url")).toString();
    url = url.mid(url.lastIndexOf(QLatin1Char('/')) + 1).left(100);
    const int line = frame.value(QLatin1String("lineNumber")).toInt(-1);
    std::string label = fn.toStdString();
    if (!url.isEmpty())
        label += " (" + url.toStdString() + (line >= 0 ? ":" + std::to_string(line + 1) : std::string()) + ")";
    return std::string(protocol::cutText(protocol::printableText(label), kMaxLabelBytes));
}

} // namespace

V8AllocationSampler::V8AllocationSampler(std::size_t maxLive) : m_maxLive(maxLive)
{
}

Result<V8AllocationChange> V8AllocationSampler::apply(const QJsonObject& profile)
{
    const QJsonValue head = profile.value(QLatin1String("head"));
    const QJsonValue samples = profile.value(QLatin1String("samples"));
    if (!head.isObject() || !samples.isArray())
        return makeError(MemoryErrorCode::MalformedInput, "the sampling heap profile has no head or samples");

    // Node id -> the label of its function; iteratively, as the tree can be
    // as deep as the target's deepest stack.
    std::unordered_map<std::uint64_t, std::string> labels;
    std::vector<QJsonObject> pending{head.toObject()};
    std::size_t visited = 0;
    while (!pending.empty()) {
        const QJsonObject node = std::move(pending.back());
        pending.pop_back();
        if (++visited > kMaxNodes)
            return makeError(MemoryErrorCode::MalformedInput,
                             "the sampling heap profile has over " + std::to_string(kMaxNodes) + " nodes");
        std::uint64_t id = 0;
        if (!wholeNumber(node.value(QLatin1String("id")), id))
            return makeError(MemoryErrorCode::MalformedInput, "a node of the sampling heap profile has no id");
        labels.emplace(id, frameLabel(node.value(QLatin1String("callFrame")).toObject()));
        for (const QJsonValue& child : node.value(QLatin1String("children")).toArray())
            pending.push_back(child.toObject());
    }

    // Samples that went first: their bytes leave room under maxLive for new ones.
    std::unordered_set<std::uint64_t> present;
    const QJsonArray list = samples.toArray();
    present.reserve(static_cast<std::size_t>(list.size()));
    struct Sample {
        std::uint64_t ordinal, size, nodeId;
    };
    std::vector<Sample> parsed;
    parsed.reserve(static_cast<std::size_t>(list.size()));
    for (const QJsonValue& v : list) {
        const QJsonObject s = v.toObject();
        Sample x{};
        if (!wholeNumber(s.value(QLatin1String("ordinal")), x.ordinal) || !wholeNumber(s.value(QLatin1String("size")), x.size)
            || !wholeNumber(s.value(QLatin1String("nodeId")), x.nodeId))
            return makeError(MemoryErrorCode::MalformedInput,
                             "a sample of the sampling heap profile has no whole ordinal, size or nodeId");
        present.insert(x.ordinal);
        parsed.push_back(x);
    }
    V8AllocationChange change;
    for (auto it = m_live.begin(); it != m_live.end();) {
        if (present.contains(it->first)) {
            ++it;
            continue;
        }
        m_liveBytes -= it->second.bytes;
        change.freed.push_back(std::move(it->second.id));
        it = m_live.erase(it);
    }
    for (const Sample& x : parsed) {
        if (m_live.contains(x.ordinal))
            continue;
        if (m_live.size() >= m_maxLive) {
            ++change.notFollowed;
            continue;
        }
        const auto label = labels.find(x.nodeId);
        Live l;
        l.id = (label != labels.end() ? label->second : std::string("(unknown)")) + " #" + std::to_string(x.ordinal);
        l.bytes = x.size;
        change.allocated.push_back({l.id, l.bytes});
        m_liveBytes += l.bytes;
        m_live.emplace(x.ordinal, std::move(l));
    }
    return change;
}

} // namespace flight::live
