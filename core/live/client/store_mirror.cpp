// SPDX-License-Identifier: MIT
#include "live/client/store_mirror.h"

#include "live/common/message_rewrite.h"
#include "protocol/message_gate.h"

#include <deque>
#include <mutex>
#include <utility>
#include <vector>

namespace flight::live {

namespace {

// 32 bytes: one per frame (a compaction's policy is kept beside, they are rare).
struct Op {
    enum class Kind : std::uint8_t { Frame, Compact, DropEnded };
    Kind kind = Kind::Frame;
    bool renamed = false;
    std::uint32_t renameLength = 0;           // Frame: the renamed id follows the text
    std::uint64_t line = 0;                   // Frame
    std::size_t offset = 0;                   // Frame: its text in Segment::bytes; Compact: policies index
    std::size_t length = 0;                   // Frame: the text's length; DropEnded: keep
};

// What changed the source after hand-out `generation` and before the next.
struct Segment {
    std::uint64_t generation = 0;
    std::string bytes;
    std::vector<Op> ops;
    std::vector<RetentionPolicy> policies;
    void clear() // keeps the capacity: the next segment reuses it
    {
        bytes.clear();
        ops.clear();
        policies.clear();
    }
};

// Copies given back by their readers (any thread), with the hand-out they were made at.
struct Returned {
    std::mutex mutex;
    std::vector<std::pair<std::uint64_t, std::unique_ptr<protocol::SessionStore>>> stores;
};

// Replays a frame as the source's gate left it: under its renamed session, if it was.
class ReplayGate final : public protocol::MessageGate {
public:
    std::string_view rename;
    bool renamed = false;
    bool admit(protocol::Message& message, std::uint64_t) override
    {
        if (renamed)
            setMessageSessionId(message, rename);
        return true;
    }
};

} // namespace

struct StoreMirror::Impl {
    const protocol::SessionStore& source;
    protocol::DecoderOptions decoderOptions;
    std::shared_ptr<Returned> returned = std::make_shared<Returned>();
    std::deque<Segment> closed; // oldest first
    Segment current;
    std::uint64_t generation = 0;   // of the last copy handed out (0: none yet)
    std::uint64_t oldestUsable = 1; // a returned copy made before this hand-out misses part of the log
    std::size_t logBytes = 0;
    Stats stats;

    Impl(const protocol::SessionStore& s, protocol::DecoderOptions o) : source(s), decoderOptions(o) {}

    static std::size_t bytesOf(const Segment& s)
    {
        return s.bytes.size() + s.ops.size() * sizeof(Op) + s.policies.size() * sizeof(RetentionPolicy);
    }

    // Until the next hand-out nothing can be brought up to date: the log is
    // freed (not only emptied: it may have held a flood of large frames).
    void dropLog()
    {
        closed.clear();
        const std::uint64_t g = current.generation;
        current = Segment{};
        current.generation = g;
        logBytes = 0;
        oldestUsable = generation + 1;
    }

    // Only a copy handed out can be brought up to date: before the first one
    // (a capture or an agent never asks) and after dropLog nothing is logged.
    bool logging() const { return generation != 0 && oldestUsable <= generation; }

    void added(std::size_t bytes)
    {
        logBytes += bytes;
        if (logBytes > kMaxLogBytes) // copies not asked for in a long while: the next one is cloned
            dropLog();
    }

    void replay(protocol::SessionStore& store, std::uint64_t from)
    {
        ReplayGate gate;
        for (const Segment& seg : closed) {
            if (seg.generation < from)
                continue;
            for (const Op& op : seg.ops) {
                ++stats.opsReplayed;
                switch (op.kind) {
                case Op::Kind::Frame:
                    gate.renamed = op.renamed;
                    gate.rename = std::string_view(seg.bytes).substr(op.offset + op.length, op.renameLength);
                    store.ingest(std::string_view(seg.bytes).substr(op.offset, op.length), op.line, gate);
                    break;
                case Op::Kind::Compact:
                    (void)store.compact(seg.policies[op.offset]);
                    break;
                case Op::Kind::DropEnded:
                    (void)store.dropEndedSessions(op.length);
                    break;
                }
            }
        }
    }
};

StoreMirror::StoreMirror(const protocol::SessionStore& source, protocol::DecoderOptions decoderOptions)
    : d(std::make_unique<Impl>(source, decoderOptions))
{
}

StoreMirror::~StoreMirror() = default;

void StoreMirror::frameApplied(std::string_view frame, std::uint64_t line, const std::string* renamedSession)
{
    if (!d->logging())
        return;
    if (frame.size() > kMaxFrameBytes) { // cheaper to clone once than to keep such frames
        d->dropLog();
        return;
    }
    Op op;
    op.kind = Op::Kind::Frame;
    op.line = line;
    op.offset = d->current.bytes.size();
    op.length = frame.size();
    d->current.bytes.append(frame);
    if (renamedSession) {
        op.renamed = true;
        op.renameLength = static_cast<std::uint32_t>(renamedSession->size()); // capped far below 4 GB by the decoder
        d->current.bytes.append(*renamedSession);
    }
    d->current.ops.push_back(op);
    d->added(frame.size() + op.renameLength + sizeof(Op));
    static_assert(sizeof(Op) == 32);
}

void StoreMirror::compacted(const RetentionPolicy& policy)
{
    if (!d->logging())
        return;
    Op op;
    op.kind = Op::Kind::Compact;
    op.offset = d->current.policies.size();
    d->current.policies.push_back(policy);
    d->current.ops.push_back(op);
    d->added(sizeof(Op) + sizeof(RetentionPolicy));
}

void StoreMirror::endedSessionsDropped(std::size_t keep)
{
    if (!d->logging())
        return;
    Op op;
    op.kind = Op::Kind::DropEnded;
    op.length = keep;
    d->current.ops.push_back(op);
    d->added(sizeof(Op));
}

std::unique_ptr<protocol::SessionStore> StoreMirror::copy()
{
    // The log since the last hand-out becomes its segment; only the last kGenerations are kept.
    d->current.generation = d->generation;
    d->closed.push_back(std::move(d->current));
    d->current = {};
    while (d->closed.size() > kGenerations) {
        d->logBytes -= Impl::bytesOf(d->closed.front());
        d->current = std::move(d->closed.front()); // its buffers, at the size a segment needs
        d->current.clear();
        d->closed.pop_front();
    }
    const std::uint64_t usableFrom = std::max(d->oldestUsable, d->closed.front().generation);

    // The newest copy given back that the log can bring up to date; the others are freed (here, after the lock).
    std::vector<std::unique_ptr<protocol::SessionStore>> unused;
    std::unique_ptr<protocol::SessionStore> best;
    std::uint64_t bestGeneration = 0;
    {
        std::lock_guard lock(d->returned->mutex);
        for (auto& [generation, store] : d->returned->stores) {
            if (generation >= usableFrom && generation > bestGeneration) {
                if (best)
                    unused.push_back(std::move(best));
                best = std::move(store);
                bestGeneration = generation;
            } else {
                unused.push_back(std::move(store));
            }
        }
        d->returned->stores.clear();
    }
    d->stats.returnedFreed += unused.size();
    unused.clear();

    if (best) {
        d->replay(*best, bestGeneration);
        best->copyBookkeepingFrom(d->source);
        ++d->stats.brought;
    } else {
        best = d->source.clone(d->decoderOptions);
        ++d->stats.cloned;
    }
    const std::uint64_t generation = ++d->generation;
    best->setRecycler([weak = std::weak_ptr<Returned>(d->returned), generation](std::unique_ptr<protocol::SessionStore> s) {
        if (const auto returned = weak.lock()) {
            std::lock_guard lock(returned->mutex);
            returned->stores.emplace_back(generation, std::move(s));
        }
    });
    return best;
}

StoreMirror::Stats StoreMirror::stats() const
{
    Stats s = d->stats;
    s.logBytes = d->logBytes;
    return s;
}

} // namespace flight::live
