// SPDX-License-Identifier: MIT
#pragma once
// A real node process with its inspector on a free loopback port, for the v8
// source tests: started with --inspect=127.0.0.1:0, its port read from the
// "Debugger listening on ws://127.0.0.1:PORT/..." line on stderr; killed (if
// still running) when the object goes.

#include "live_server_test_support.h"

#include "live/sources/agent_source.h"
#include "live/v8/v8_discovery.h"
#include "live/v8/v8_source.h"
#include "protocol/message.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace flight::live::test {

// The port a V8 process prints on its stderr ("<what> listening on
// ws://127.0.0.1:PORT/...", gathered in `stderrText`), 0 when it did not
// within `ms` or ended first.
inline quint16 waitForListeningPort(const QString& what, const QProcess& process, const QString& stderrText, int ms)
{
    const QRegularExpression re(what + QStringLiteral(" listening on ws://127\\.0\\.0\\.1:(\\d+)/"));
    quint16 port = 0;
    livetest::waitUntil([&] {
        const auto m = re.match(stderrText);
        if (m.hasMatch())
            port = static_cast<quint16>(m.captured(1).toUInt());
        return port != 0 || process.state() == QProcess::NotRunning;
    }, ms);
    return port;
}

class NodeTarget {
public:
    NodeTarget(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        process.setProcessEnvironment(env);
        QObject::connect(&process, &QProcess::readyReadStandardError,
                         [this] { stderrText += QString::fromUtf8(process.readAllStandardError()); });
        process.start(QStringLiteral(FLIGHT_NODE_PATH), QStringList{QStringLiteral("--inspect=127.0.0.1:0")} + args);
    }
    ~NodeTarget()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
    NodeTarget(const NodeTarget&) = delete;
    NodeTarget& operator=(const NodeTarget&) = delete;

    // The inspector's port, once node has printed it (0 when it did not in `ms`).
    quint16 waitForPort(int ms = 10000)
    {
        return waitForListeningPort(QStringLiteral("Debugger"), process, stderrText, ms);
    }

    QProcess process;
    QString stderrText;
};

// What one session of a v8 source sent, copied out of the sink's messages.
struct Update {
    std::int64_t at = 0;
    std::uint64_t used = 0;
    std::array<std::uint64_t, 8> purpose{};
    std::uint64_t of(StandardPurpose p) const { return purpose[static_cast<std::size_t>(p)]; }
};

struct Seen {
    std::vector<std::string> types;
    std::vector<Update> updates;
    std::vector<std::pair<std::int64_t, std::string>> markers;
    std::map<std::string, std::uint64_t> liveAllocations;      // id -> bytes
    std::vector<std::pair<std::int64_t, std::uint64_t>> allocationsAt;   // (time, bytes) of each allocation
    std::size_t frees = 0;
    // vm-heap as a model applies the messages (an update sets it, an
    // allocation adds, a free takes away), and its highest value.
    std::uint64_t vmHeapLevel = 0;
    std::uint64_t vmHeapLevelPeak = 0;
    // Messages whose time is before an earlier message's (a model flags each).
    std::size_t backwards = 0;
    std::int64_t latest = 0;
    std::string platform;
    std::string label;
    std::uint64_t total = 0;
    std::uint64_t heapMax = 0;

    AgentSource::Sink sink()
    {
        return [this](const protocol::Message& m) {
            types.emplace_back(protocol::typeName(m.payload));
            std::int64_t at = 0;
            if (const auto* s = m.as<protocol::SessionStartedMsg>())
                at = s->timestamp;
            else if (const auto* e = m.as<protocol::SessionEndedMsg>())
                at = e->timestamp;
            else if (const auto* u = m.as<protocol::MemoryUpdateMsg>())
                at = u->timestamp;
            else if (const auto* a = m.as<protocol::AllocationMsg>())
                at = a->allocatedAt;
            else if (const auto* f = m.as<protocol::FreeMsg>())
                at = f->freedAt;
            else if (const auto* k = m.as<protocol::MarkerMsg>())
                at = k->timestamp;
            backwards += at < latest ? 1 : 0;
            latest = std::max(latest, at);
            if (const auto* s = m.as<protocol::SessionStartedMsg>()) {
                platform = std::string(s->platform);
                label = std::string(s->label);
                total = s->totalBytes.value_or(0);
                heapMax = s->limits ? s->limits->heapMax.bytes : 0;
            } else if (const auto* u = m.as<protocol::MemoryUpdateMsg>()) {
                Update x;
                x.at = u->timestamp;
                x.used = u->usedBytes.value_or(0);
                for (const auto& pb : u->byPurpose)
                    if (!pb.purpose.isCustom())
                        x.purpose[pb.purpose.id()] = pb.bytes;
                updates.push_back(x);
                vmHeapLevel = x.of(StandardPurpose::VmHeap);
            } else if (const auto* a = m.as<protocol::AllocationMsg>()) {
                liveAllocations[std::string(a->id)] = a->bytes;
                allocationsAt.emplace_back(a->allocatedAt, a->bytes);
                vmHeapLevel += a->bytes;
                // The allocations after an update complete its figures (v8_target_session.cpp).
                if (!updates.empty()) {
                    updates.back().purpose[static_cast<std::size_t>(StandardPurpose::VmHeap)] += a->bytes;
                    updates.back().used += a->bytes;
                }
            } else if (const auto* f = m.as<protocol::FreeMsg>()) {
                const auto it = liveAllocations.find(std::string(f->allocationId));
                if (it != liveAllocations.end()) {
                    vmHeapLevel -= std::min(vmHeapLevel, it->second);
                    liveAllocations.erase(it);
                    ++frees;
                }
            }
            if (m.as<protocol::AllocationMsg>() || m.as<protocol::MemoryUpdateMsg>())
                vmHeapLevelPeak = std::max(vmHeapLevelPeak, vmHeapLevel);
            if (const auto* mk = m.as<protocol::MarkerMsg>()) {
                markers.emplace_back(mk->timestamp, std::string(mk->label));
            }
        };
    }
    std::optional<std::int64_t> markerAt(const std::string& label) const
    {
        for (const auto& [at, l] : markers)
            if (l == label)
                return at;
        return std::nullopt;
    }
    // Live sampled bytes whose id (label) contains `text`.
    std::uint64_t liveBytesOf(const std::string& text) const
    {
        std::uint64_t sum = 0;
        for (const auto& [id, bytes] : liveAllocations)
            if (id.find(text) != std::string::npos)
                sum += bytes;
        return sum;
    }
    std::size_t updatesOf(const std::function<bool(const Update&)>& f) const
    {
        return static_cast<std::size_t>(std::ranges::count_if(updates, f));
    }
};

// A v8 source with `options` on the targets of a loopback inspector port
// (null, with a test failure, when there is none).
inline std::unique_ptr<V8Source> sourceOnPort(quint16 port, V8SourceOptions options)
{
    V8Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = port;
    auto targets = discoverV8Targets(e, std::chrono::milliseconds(3000));
    if (!targets) {
        ADD_FAILURE() << targets.error().message;
        return nullptr;
    }
    options.targets = std::move(*targets);
    auto src = V8Source::create(std::move(options));
    if (!src) {
        ADD_FAILURE() << src.error().message;
        return nullptr;
    }
    return std::move(*src);
}

// An agent's first stdout line, "listening on ws://127.0.0.1:PORT": that URL,
// or an empty one (with the line and the agent's stderr in `why`) when the
// agent said something else or nothing within `ms`.
inline QUrl waitForListeningUrl(QProcess& agent, int ms, std::string& why)
{
    livetest::waitUntil([&] { return agent.canReadLine() || agent.state() == QProcess::NotRunning; }, ms);
    const QString first = QString::fromUtf8(agent.readLine()).trimmed();
    const auto match = QRegularExpression(QStringLiteral("^listening on (ws://127\\.0\\.0\\.1:\\d+)$")).match(first);
    if (!match.hasMatch()) {
        why = first.toStdString() + " / " + agent.readAllStandardError().toStdString();
        return {};
    }
    return QUrl(match.captured(1));
}

// Once the started agent listens (its URL within `ms`), `client` connected
// to it; the binary tests then watch the agent end.
inline void connectToStartedAgent(QProcess& agent, int ms, TestClient& client)
{
    ASSERT_TRUE(agent.waitForStarted(3000));
    std::string why;
    const QUrl url = waitForListeningUrl(agent, ms, why);
    ASSERT_TRUE(url.isValid()) << why;
    client.open(url);
    ASSERT_TRUE(client.waitConnected());
}

} // namespace flight::live::test
