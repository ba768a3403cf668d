// SPDX-License-Identifier: MIT
#pragma once
// Copies of the live worker's SessionStore for readers on other threads (the
// window's views), at a cost that follows what is new rather than everything
// held. The owner tells the mirror what changed its store (each applied frame,
// each compaction, each drop of ended sessions); a copy handed out returns here
// when its reader destroys it (SessionStore::setRecycler), and the next copy()
// brings the newest returned one up to date by replaying what changed since it
// was handed out, instead of cloning every session again. A copy is equal to
// source.clone() (sessions, counts, problems, header: StoreMirror tests).
// What it keeps: the log of the last kGenerations hand-outs (a copy returned
// later than that is freed, and copy() clones); at most kMaxLogBytes of frames,
// none larger than kMaxFrameBytes, and nothing before the first hand-out.
// copy() and the log calls on the owner's thread; copies may die on any thread.

#include "model/retention_policy.h"
#include "protocol/message_decoder.h"
#include "protocol/session_store.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace flight::live {

class StoreMirror {
public:
    static constexpr std::size_t kGenerations = 3;
    static constexpr std::size_t kMaxLogBytes = 64u << 20;
    static constexpr std::size_t kMaxFrameBytes = 1u << 20; // a larger frame drops the log: the next copy is cloned

    // `source` outlives the mirror; copies decode replayed frames with `decoderOptions` (the source's).
    StoreMirror(const protocol::SessionStore& source, protocol::DecoderOptions decoderOptions);
    ~StoreMirror();
    StoreMirror(const StoreMirror&) = delete;
    StoreMirror& operator=(const StoreMirror&) = delete;

    // The source applied `frame` (line `line`), under `renamedSession` when not null.
    void frameApplied(std::string_view frame, std::uint64_t line, const std::string* renamedSession);
    void compacted(const RetentionPolicy& policy);
    void endedSessionsDropped(std::size_t keep);

    // A copy equal to source.clone() now.
    std::unique_ptr<protocol::SessionStore> copy();

    struct Stats {
        std::uint64_t cloned = 0;       // copies made whole
        std::uint64_t brought = 0;      // copies brought up to date from a returned one
        std::uint64_t opsReplayed = 0;  // frames and other changes replayed into them
        std::uint64_t returnedFreed = 0; // returned copies too old (or not needed) and freed
        std::size_t logBytes = 0;       // held now for bringing copies up to date
    };
    Stats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
