// SPDX-License-Identifier: MIT
#include "live/tracer/tracer_source.h"

#include "live/tracer/address_ranges.h"
#include "live/tracer/trace_ledger.h"
#include "live/tracer/tracer_wire.h"
#include "model/platform_profile.h"
#include "protocol/printable_text.h"
#include "protocol/recording_writer.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <algorithm>
#include <map>
#include <optional>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#include <cxxabi.h>

namespace flight::live {

using namespace flight::protocol;
namespace wire = flight::tracer;

namespace {

constexpr std::size_t kMaxPurposeIndex = 1024;
constexpr std::size_t kMaxNameBytes = 63;
constexpr int kBatchesPerWake = 512; // the event loop stays responsive under a flood

struct IdText {
    char text[24];
    std::string_view view;
    explicit IdText(std::uint64_t seq)
    {
        view = std::string_view(text, static_cast<std::size_t>(std::to_chars(text, text + sizeof text, seq).ptr - text));
    }
};

} // namespace

// One traced process image (a pid, until it execs).
struct TracedProcess {
    std::string sessionId;
    std::string label;
    std::uint32_t pid = 0;
    bool ended = false;
    bool changed = true;
    TraceLedger ledger;
    std::vector<std::optional<MemoryPurpose>> tags; // index 1.. from the library's Purpose events
    std::vector<std::uint64_t> bytesByPurpose; // live bytes, indexed by purpose id
    std::vector<bool> purposeSeen;            // sent in every update once seen (0 then means 0)
    std::uint64_t usedBytes = 0;
    struct Region {
        std::uint64_t end;
        MemoryPurpose purpose;
        std::string id;
    };
    std::map<std::uint64_t, Region> regions; // anonymous mappings by start
    AddressRanges reserved;                  // PROT_NONE mappings: not counted until accessible
    // Stacks by id (untagged allocations, when the rules read stacks): the
    // frames' text, and views into it for the rules.
    struct Stack {
        std::vector<std::string> text;           // module, function, module, function, ...
        std::vector<import::StackFrame> frames;
    };
    std::unordered_map<std::uint32_t, Stack> stacks;
};

struct TracerSource::Impl {
    TracerSourceOptions options;
    const MemoryPurpose unclassified = import::unclassifiedPurpose();
    std::optional<RecordingWriter> recording;
    std::uint64_t totalBytes = 0;
    Sink sink;
    std::unique_ptr<QSocketNotifier> notifier;
    QTimer timer;
    QTimer reaper;      // the program's end is seen within 20 ms, whatever the interval
    std::map<std::uint32_t, std::unique_ptr<TracedProcess>> processes; // by pid
    std::uint64_t sessionCount = 0;
    bool programReaped = false;
    bool socketClosed = false;
    bool done = false;
    TracerFigures figures;
    std::vector<unsigned char> buffer = std::vector<unsigned char>(wire::kMaxBatchBytes + 1);
    std::vector<PurposeBytes> storage;

    ~Impl()
    {
        if (options.socketFd >= 0)
            ::close(options.socketFd);
    }

    void publish(const Message& m, bool live, std::int64_t atMs)
    {
        if (recording)
            (void)recording->append(m, atMs);
        if (live && sink)
            sink(m);
    }

    void startSession(std::uint32_t pid, std::string_view exe, std::int64_t atMs)
    {
        if (auto old = processes.find(pid); old != processes.end())
            endSession(*old->second, atMs);
        auto p = std::make_unique<TracedProcess>();
        p->pid = pid;
        p->sessionId = "trace-" + std::to_string(pid);
        if (++sessionCount > 1 && processes.contains(pid))
            p->sessionId += "-" + std::to_string(sessionCount);
        const std::string name = QFileInfo(QString::fromUtf8(exe.data(), static_cast<qsizetype>(exe.size())))
                                     .fileName().toStdString();
        p->label = printableText(name.empty() ? std::string("program") : name) + " (pid " + std::to_string(pid) + ")";
        SessionStartedMsg s;
        s.sessionId = p->sessionId;
        s.platform = options.platform;
        s.label = p->label;
        if (totalBytes)
            s.totalBytes = totalBytes;
        s.timestamp = atMs;
        publish(Message{s, std::nullopt, std::nullopt}, true, atMs);
        processes[pid] = std::move(p);
    }

    void sendUpdate(TracedProcess& p, std::int64_t atMs)
    {
        storage.clear();
        for (std::size_t id = 0; id < p.bytesByPurpose.size(); ++id)
            if (p.purposeSeen[id])
                storage.push_back(PurposeBytes{MemoryPurpose::fromId(static_cast<std::uint16_t>(id)), p.bytesByPurpose[id]});
        MemoryUpdateMsg u;
        u.form = MemoryUpdateMsg::Form::Snapshot;
        u.sessionId = p.sessionId;
        u.timestamp = atMs;
        u.usedBytes = p.usedBytes;
        if (totalBytes) {
            u.totalBytes = totalBytes;
            u.availableBytes = totalBytes > p.usedBytes ? totalBytes - p.usedBytes : 0;
        }
        u.platform = options.platform;
        u.hasByPurpose = true;
        u.byPurpose = storage;
        publish(Message{u, std::nullopt, std::nullopt}, true, atMs);
        p.changed = false;
    }

    void endSession(TracedProcess& p, std::int64_t atMs)
    {
        if (p.ended)
            return;
        sendUpdate(p, atMs);
        p.ended = true;
        publish(Message{SessionEndedMsg{p.sessionId, atMs}, std::nullopt, std::nullopt}, true, atMs);
        // Nothing more is counted for it (a program that forks often leaves many).
        p.ledger = TraceLedger();
        p.stacks.clear();
        p.regions.clear();
        p.reserved.clear();
    }

    MemoryPurpose purposeOf(TracedProcess& p, std::uint16_t tag, std::uint64_t bytes, std::uint32_t stack = 0)
    {
        if (tag != 0 && tag < p.tags.size() && p.tags[tag])
            return *p.tags[tag];
        if (options.rules.empty())
            return unclassified;
        if (stack != 0)
            if (const auto it = p.stacks.find(stack); it != p.stacks.end())
                return options.rules.classify(it->second.frames, bytes);
        return options.rules.classify({}, bytes);
    }

    static std::uint64_t& levelOf(TracedProcess& p, MemoryPurpose purpose)
    {
        if (purpose.id() >= p.bytesByPurpose.size()) {
            p.bytesByPurpose.resize(purpose.id() + 1u);
            p.purposeSeen.resize(purpose.id() + 1u);
        }
        p.purposeSeen[purpose.id()] = true;
        return p.bytesByPurpose[purpose.id()];
    }

    void allocated(TracedProcess& p, const wire::Event& e)
    {
        const MemoryPurpose purpose = purposeOf(p, e.purpose, e.size, e.flags);
        const bool live = p.ledger.allocate(e.ptr, TraceLedger::Block{e.size, purpose, e.seq});
        if (live) {
            levelOf(p, purpose) += e.size;
            p.usedBytes += e.size;
            p.changed = true;
        }
        const bool big = e.size >= options.threshold;
        if ((!recording && !(big && sink)) || e.size == 0)
            return; // the common case live: counted in the per-purpose totals only (malloc(0): in the ledger only, a message refuses 0 bytes)
        const IdText id(e.seq);
        AllocationMsg a;
        a.id = id.view;
        a.sessionId = p.sessionId;
        a.bytes = e.size;
        a.purpose = purpose;
        a.allocatedAt = e.timeMs;
        if (!live)
            a.freedAt = e.timeMs; // its free came first (another thread's batch): born and gone
        publish(Message{a, std::nullopt, std::nullopt}, big, e.timeMs);
    }

    void freed(TracedProcess& p, const wire::Event& e)
    {
        const auto block = p.ledger.release(e.ptr, e.seq);
        if (!block)
            return; // not traced (allocated before, or by the parent of a fork), or its allocation is in flight
        auto& bytes = levelOf(p, block->purpose);
        bytes -= std::min(bytes, block->bytes);
        p.usedBytes -= std::min(p.usedBytes, block->bytes);
        p.changed = true;
        const bool big = block->bytes >= options.threshold;
        if ((!recording && !(big && sink)) || block->bytes == 0)
            return;
        const IdText id(block->seq);
        FreeMsg f;
        f.sessionId = p.sessionId;
        f.allocationId = id.view;
        f.freedAt = e.timeMs;
        publish(Message{f, std::nullopt, std::nullopt}, big, e.timeMs);
    }

    void addRegion(TracedProcess& p, std::uint64_t start, std::uint64_t end, MemoryPurpose purpose, std::string id,
                   std::int64_t atMs)
    {
        const std::uint64_t bytes = end - start;
        levelOf(p, purpose) += bytes;
        p.usedBytes += bytes;
        p.changed = true;
        AllocationMsg a;
        a.id = id;
        a.sessionId = p.sessionId;
        a.bytes = bytes;
        a.purpose = purpose;
        a.allocatedAt = atMs;
        publish(Message{a, std::nullopt, std::nullopt}, bytes >= options.threshold, atMs);
        p.regions.emplace(start, TracedProcess::Region{end, purpose, std::move(id)});
    }

    // munmap, or the part of a mapping a new one replaces: what of
    // [start, end) was mapped goes, the rest of each region stays (as new
    // blocks: the recording has no partial free).
    void removeRange(TracedProcess& p, std::uint64_t start, std::uint64_t end, std::uint64_t seq, std::int64_t atMs)
    {
        auto it = p.regions.upper_bound(start);
        if (it != p.regions.begin())
            --it;
        int piece = 0;
        while (it != p.regions.end() && it->first < end) {
            const std::uint64_t rs = it->first;
            const TracedProcess::Region r = it->second;
            if (r.end <= start) {
                ++it;
                continue;
            }
            it = p.regions.erase(it);
            auto& level = levelOf(p, r.purpose);
            const std::uint64_t bytes = r.end - rs;
            level -= std::min(level, bytes);
            p.usedBytes -= std::min(p.usedBytes, bytes);
            p.changed = true;
            FreeMsg f;
            f.sessionId = p.sessionId;
            f.allocationId = r.id;
            f.freedAt = atMs;
            publish(Message{f, std::nullopt, std::nullopt}, bytes >= options.threshold, atMs);
            if (rs < start)
                addRegion(p, rs, start, r.purpose, "m" + std::to_string(seq) + "." + std::to_string(++piece), atMs);
            if (r.end > end)
                addRegion(p, end, r.end, r.purpose, "m" + std::to_string(seq) + "." + std::to_string(++piece), atMs);
            it = p.regions.lower_bound(end);
        }
    }

    void mapped(TracedProcess& p, const wire::Event& e)
    {
        if (e.size == 0 || e.ptr + e.size < e.ptr)
            return;
        MemoryPurpose purpose;
        if (e.purpose != 0 && e.purpose < p.tags.size() && p.tags[e.purpose])
            purpose = *p.tags[e.purpose];
        else if (e.flags & wire::kMapExec)
            purpose = StandardPurpose::JitCodeCache;
        else if (e.flags & wire::kMapStack)
            purpose = StandardPurpose::ComponentStack;
        else
            purpose = options.rules.empty() ? unclassified : options.rules.classify({}, e.size);
        // mprotect changes only what the agent knows as anonymous (mapped or reserved).
        std::vector<std::pair<std::uint64_t, std::uint64_t>> pieces;
        if (e.flags & wire::kMapProtect) {
            pieces = p.reserved.overlap(e.ptr, e.ptr + e.size);
            auto it = p.regions.upper_bound(e.ptr);
            if (it != p.regions.begin())
                --it;
            for (; it != p.regions.end() && it->first < e.ptr + e.size; ++it)
                if (it->second.end > e.ptr)
                    pieces.emplace_back(std::max(e.ptr, it->first), std::min(e.ptr + e.size, it->second.end));
            std::ranges::sort(pieces);
        } else {
            pieces.emplace_back(e.ptr, e.ptr + e.size);
        }
        // Once over the whole range (it only ends mappings it knows): MAP_FIXED
        // over an older mapping, or the known mappings mprotect changes.
        removeRange(p, e.ptr, e.ptr + e.size, e.seq, e.timeMs);
        int n = 0;
        for (const auto& [start, end] : pieces) {
            p.reserved.remove(start, end);
            if (e.flags & wire::kMapReserve)
                p.reserved.add(start, end);
            else
                addRegion(p, start, end, purpose, "m" + std::to_string(e.seq) + (n++ ? "-" + std::to_string(n) : ""),
                          e.timeMs);
        }
    }

    // "module\tfunction\n" a frame, innermost first; C++ names demangled
    // as heaptrack writes them, so the same rules match both.
    static TracedProcess::Stack readStack(std::string_view text)
    {
        TracedProcess::Stack st;
        while (!text.empty()) {
            const std::size_t nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
            const std::size_t tab = line.find('\t');
            std::string module(line.substr(0, tab));
            std::string function(tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1));
            if (!function.empty()) {
                int status = 0;
                if (char* d = abi::__cxa_demangle(function.c_str(), nullptr, nullptr, &status); d && status == 0) {
                    function = d;
                    std::free(d);
                }
            }
            st.text.push_back(std::move(module));
            st.text.push_back(std::move(function));
        }
        for (std::size_t i = 0; i + 1 < st.text.size(); i += 2)
            st.frames.push_back(import::StackFrame{st.text[i], st.text[i + 1]});
        return st;
    }

    // One batch; false when malformed (the rest of it is dropped).
    bool readBatch(const unsigned char* data, std::size_t size)
    {
        if (size < sizeof(wire::BatchHeader))
            return false;
        wire::BatchHeader h;
        std::memcpy(&h, data, sizeof h);
        if (h.magic != wire::kWireMagic || h.version != wire::kWireVersion || h.count == 0)
            return false;
        std::size_t at = sizeof h;
        for (std::uint32_t i = 0; i < h.count; ++i) {
            if (size - at < sizeof(wire::Event))
                return false;
            wire::Event e;
            std::memcpy(&e, data + at, sizeof e);
            at += sizeof e;
            std::string_view text;
            const auto kind = static_cast<wire::EventKind>(e.kind);
            const bool hasText = kind == wire::EventKind::Hello || kind == wire::EventKind::Purpose
                                 || kind == wire::EventKind::Marker || kind == wire::EventKind::Exit
                                 || kind == wire::EventKind::Stack;
            if (hasText) {
                const std::size_t padded = (e.size + 7) & ~std::size_t(7);
                if (e.size > wire::kMaxTextBytes || size - at < padded)
                    return false;
                text = std::string_view(reinterpret_cast<const char*>(data + at), e.size);
                at += padded;
            }
            ++figures.events;
            if (kind == wire::EventKind::Hello) {
                startSession(h.pid, text, e.timeMs);
                continue;
            }
            auto found = processes.find(h.pid);
            if (found == processes.end()) {
                if (kind == wire::EventKind::Exit)
                    continue;
                startSession(h.pid, {}, e.timeMs); // its hello was lost (cannot happen with the library as built)
                found = processes.find(h.pid);
            }
            TracedProcess& p = *found->second;
            if (p.ended)
                continue;
            switch (kind) {
            case wire::EventKind::Alloc:
                allocated(p, e);
                break;
            case wire::EventKind::Free:
                freed(p, e);
                break;
            case wire::EventKind::Map:
                mapped(p, e);
                break;
            case wire::EventKind::Unmap:
                if (e.size != 0 && e.ptr + e.size > e.ptr) {
                    removeRange(p, e.ptr, e.ptr + e.size, e.seq, e.timeMs);
                    p.reserved.remove(e.ptr, e.ptr + e.size);
                }
                break;
            case wire::EventKind::Purpose: {
                if (e.ptr == 0 || e.ptr > kMaxPurposeIndex)
                    return false;
                const std::string name = printableText(text.substr(0, kMaxNameBytes));
                if (p.tags.size() <= e.ptr)
                    p.tags.resize(e.ptr + 1);
                p.tags[e.ptr] = MemoryPurpose::fromName(name);
                break;
            }
            case wire::EventKind::Marker: {
                const std::string label = printableText(text);
                publish(Message{MarkerMsg{p.sessionId, e.timeMs, label}, std::nullopt, std::nullopt}, true, e.timeMs);
                break;
            }
            case wire::EventKind::Exit:
                endSession(p, e.timeMs);
                break;
            case wire::EventKind::Stack:
                if (e.ptr == 0 || e.ptr > (1u << 16))
                    return false;
                p.stacks[static_cast<std::uint32_t>(e.ptr)] = readStack(text);
                break;
            default:
                return false;
            }
        }
        return at == size;
    }

    void drain()
    {
        for (int n = 0; n < kBatchesPerWake; ++n) {
            const ssize_t got = ::recv(options.socketFd, buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC);
            if (got < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    socketClosed = true;
                break;
            }
            if (got == 0) {
                socketClosed = true;
                break;
            }
            ++figures.batches;
            if (static_cast<std::size_t>(got) > wire::kMaxBatchBytes
                || !readBatch(buffer.data(), static_cast<std::size_t>(got)))
                ++figures.malformed;
        }
        if (recording)
            (void)recording->flushIfDue();
    }

    // The program and any process it left behind (the agent is their
    // subreaper) are reaped here; a process gone ends its session.
    void reap()
    {
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        int status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == options.programPid) {
                programReaped = true;
                figures.programExitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
        }
        if (programReaped)
            drainAll();
        for (auto& [id, p] : processes)
            if (!p->ended && ::kill(static_cast<pid_t>(id), 0) != 0 && errno == ESRCH) {
                drainAll();
                endSession(*p, now);
            }
    }

    void drainAll()
    {
        while (!socketClosed) {
            const std::uint64_t before = figures.batches;
            drain();
            if (figures.batches == before)
                break;
        }
    }

    void tick(bool update)
    {
        drain();
        reap();
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        if (update || programReaped)
            for (auto& [id, p] : processes)
                if (!p->ended && p->changed)
                    sendUpdate(*p, now);
        if (programReaped && !done) {
            for (auto& [id, p] : processes)
                endSession(*p, now);
            done = true;
            timer.stop();
            reaper.stop();
            notifier.reset();
            if (recording)
                (void)recording->close();
        } else if (recording) {
            (void)recording->flushIfDue();
        }
    }
};

TracerSource::TracerSource(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
TracerSource::~TracerSource() = default;

Result<std::unique_ptr<TracerSource>> TracerSource::create(TracerSourceOptions options)
{
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    if (const PlatformProfile* p = PlatformCatalog::builtin().find(impl->options.platform)) {
        impl->options.platform = p->id;
        impl->totalBytes = p->totalBytes;
    }
    if (!impl->options.recordingPath.empty()) {
        RecordingWriterOptions w;
        w.format = RecordingFormat::Compact;
        w.source = "flight-agent run";
        w.application = std::string("flight-agent ") + FLIGHT_VERSION;
        auto writer = RecordingWriter::create(impl->options.recordingPath, w);
        if (!writer)
            return std::unexpected(writer.error());
        impl->recording.emplace(std::move(*writer));
    }
    return std::unique_ptr<TracerSource>(new TracerSource(std::move(impl)));
}

QString TracerSource::describe() const
{
    return QStringLiteral("trace:%1").arg(d->options.programPid);
}

void TracerSource::start(Sink sink)
{
    d->sink = std::move(sink);
    d->notifier = std::make_unique<QSocketNotifier>(d->options.socketFd, QSocketNotifier::Read);
    QObject::connect(d->notifier.get(), &QSocketNotifier::activated, [this] {
        d->drain();
        if (d->socketClosed && d->notifier)
            d->notifier->setEnabled(false); // EOF stays readable: the timer reaps and ends
    });
    QObject::disconnect(&d->timer, nullptr, nullptr, nullptr);
    QObject::connect(&d->timer, &QTimer::timeout, [this] { d->tick(true); });
    d->timer.start(d->options.interval);
    QObject::disconnect(&d->reaper, nullptr, nullptr, nullptr);
    QObject::connect(&d->reaper, &QTimer::timeout, [this] { d->tick(false); });
    d->reaper.start(20);
}

void TracerSource::stop()
{
    d->timer.stop();
    d->reaper.stop();
    d->notifier.reset();
    d->sink = nullptr;
    if (d->recording) {
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        for (auto& [id, p] : d->processes)
            d->endSession(*p, now);
        (void)d->recording->close();
    }
}

bool TracerSource::finished() const
{
    return d->done;
}

const TracerFigures& TracerSource::figures() const
{
    return d->figures;
}

} // namespace flight::live
