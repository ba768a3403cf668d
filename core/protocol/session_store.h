// SPDX-License-Identifier: MIT
#pragma once
// Routes decoded messages to one flight::SessionModel per sessionId and keeps
// the stream's bookkeeping: decode errors, session errors (model operation
// errors + errors the producer reported), warnings (unknown types, custom
// purposes), seq duplicates and gaps, and a list of {line, message} problems.
//
// A session is created by session_started or implicitly by the first message
// naming it. A message naming no session belongs to the stream's only session
// (with several, to the one started last); when there is none yet, an implicit
// session named kImplicitSessionId is created. Platform defaults (total,
// pressure thresholds) come from the platform catalogue when `total` is absent.

#include "model/memory_error.h"
#include "model/platform_profile.h"
#include "model/session_model.h"
#include "protocol/decoded_common.h"
#include "protocol/message.h"
#include "protocol/message_decoder.h"
#include "protocol/message_gate.h"
#include "protocol/recording_reader.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flight::protocol {

inline constexpr std::string_view kImplicitSessionId = "default";

enum class ProblemKind : std::uint8_t {
    DecodeError,   // refused by the decoder or the reader (counted in decodeErrors)
    SessionError,  // model operation error or producer-reported error (sessionErrors)
    Warning,       // unknown type, custom purpose (warnings)
    Note,          // seq gap, duplicate seq, file ends mid-line: not counted above
};

struct StoreProblem {
    std::uint64_t line = 0;
    ProblemKind kind = ProblemKind::DecodeError;
    std::string message;                 // starts "line N: "
    std::optional<MemoryErrorCode> code; // session errors, decode errors
    std::string sessionId;               // session errors
    // The newest time the stream had reached when the problem was found (a
    // refused line carries no time of its own); 0 before any timed message.
    std::int64_t timeMs = 0;
};

struct RecordingInfo {
    std::string format;
    std::int64_t createdAt = 0;
    std::string source;
    std::string application;
};

// What one store holds at most, so that no input grows it without bound
// (docs/reliability.md, "Faults"). A message naming a new session once
// maxSessions are held is refused: counted in sessionErrors() and
// sessionsRefused(), listed as a limit-exceeded problem, never stored (the
// sessions already held go on). Problems beyond maxProblemsListed are counted
// (problemsNotListed()) but not listed; one note says so.
struct StoreLimits {
    std::size_t maxSessions = 100'000;       // ~1 KB each when empty: ~100 MB at the limit
    std::size_t maxProblemsListed = 10'000;  // ~150 B each
};

class SessionStore {
public:
    explicit SessionStore(DecoderOptions decoderOptions = {},
                          const PlatformCatalog& catalog = PlatformCatalog::builtin());
    ~SessionStore();
    SessionStore(const SessionStore&) = delete;
    SessionStore& operator=(const SessionStore&) = delete;

    // Decode one line/frame (numbered `line`) and apply it. Never throws.
    // unterminated: the recording ended inside this line (an error then says "cut").
    void ingest(std::string_view json, std::uint64_t line, bool unterminated = false);
    // ingest() that shows each decoded message to `gate` before applying it
    // (applied only if admitted, as the gate left it). Decoded once, by this
    // store's decoder: decode errors, warnings and skipped types are counted
    // and listed exactly as by ingest(), admitted or not.
    void ingest(std::string_view json, std::uint64_t line, MessageGate& gate);
    // The loader's split of ingest() (see loadRecording): the common lines
    // (allocation and free as the encoder writes them, read in place by
    // decoder().decodeCommon) are decoded first and applied a few lines later
    // with their id's hash, meanwhile prefetchIds (SessionModel::prefetchIds)
    // warms the last session's table for them. Decoding may run ahead of
    // applying only for such lines: any other line goes through ingest() once
    // everything before it was applied.
    void applyDecoded(const Message& message, std::uint64_t line, HashedId id);
    void prefetchIds(const std::array<std::optional<std::uint64_t>, 3>& keys) const;
    // applyDecoded() for format-2 allocations and frees on consecutive lines
    // from firstLine: the records of `run` up to its first of kind Other (a
    // text or raw record, left to the caller) or its end, each applied in
    // order with the same checks, counts and problems, their ids' live-id
    // slots fetched a few records ahead. Returns how many.
    std::size_t applyCommonRun(std::span<const DecodedCommon> run, std::uint64_t firstLine);
    // Apply an already decoded message.
    void apply(const Message& message, std::uint64_t line);
    // A line the reader refused (too long, cut): counted as a decode error.
    void addDecodeError(std::uint64_t line, std::string message);
    void addNote(std::uint64_t line, std::string message);

    // Sessions in creation order.
    std::size_t sessionCount() const;
    const SessionModel& session(std::size_t index) const;
    SessionModel& session(std::size_t index);
    const SessionModel* find(std::string_view sessionId) const;

    std::uint64_t decodeErrors() const;
    std::uint64_t sessionErrors() const;
    std::uint64_t warnings() const;
    std::uint64_t messagesApplied() const;
    std::uint64_t skippedUnknownTypes() const;
    std::uint64_t duplicatesDropped() const;
    std::uint64_t seqGaps() const;        // messages missing according to seq (late arrivals taken off)
    // Messages applied although a higher seq came before them (protocol/seq_tracker.h)
    std::uint64_t seqOutOfOrder() const;
    const std::vector<StoreProblem>& problems() const;
    std::uint64_t problemsNotListed() const; // counted but beyond StoreLimits::maxProblemsListed
    std::uint64_t sessionsRefused() const;   // messages refused for naming a session beyond maxSessions
    void setLimits(const StoreLimits& limits);
    const StoreLimits& limits() const;
    const std::optional<RecordingInfo>& recordingInfo() const;
    const std::optional<std::string>& helloServer() const;

    MessageDecoder& decoder();

    // --- bounded memory (model/retention_policy.h) ---------------------------
    // compactHistory on every session (now: the latest lastMs of them all, so
    // sessions that went quiet or ended are compacted too), and the problem list cut to its newest
    // kMaxProblemsKept (the counts above stay exact). Returns the summed result.
    static constexpr std::size_t kMaxProblemsKept = 10000;
    CompactionResult compact(const RetentionPolicy& policy);
    // Keeps at most `keep` ended sessions: the ones that ended first go (by
    // end time, then creation order), never a session that has not ended.
    // Their messages stay counted (messagesApplied and the other counts);
    // endedSessionsDropped() counts the sessions. Returns the ids dropped.
    // A later message naming a dropped id starts a new session under it.
    std::vector<std::string> dropEndedSessions(std::size_t keep);
    std::uint64_t endedSessionsDropped() const;
    // An independent copy of the sessions, counts, problems and header, for a
    // reader on another thread (its decoder starts fresh with `decoderOptions`).
    std::unique_ptr<SessionStore> clone(DecoderOptions decoderOptions = {}) const;

    // --- copies brought up to date (live/client/store_mirror.h) --------------------
    // When this store is destroyed (on whatever thread), its contents go to
    // `recycler` as a new store (without the recycler) instead of being freed.
    void setRecycler(std::function<void(std::unique_ptr<SessionStore>)> recycler);
    // Takes the counts, problems, limits and header of `other`, not its sessions:
    // a copy that replayed what changed `other` is then equal to other.clone().
    void copyBookkeepingFrom(const SessionStore& other);

private:
    struct Impl;
    explicit SessionStore(std::unique_ptr<Impl> impl);
    void ingestChecked(std::string_view json, std::uint64_t line, bool unterminated, MessageGate* gate);
    std::unique_ptr<Impl> d;
};

// Streams `path` (plain or zstd) through the store's decoder into the store.
// Lines refused by the reader count as decode errors; an unterminated last
// line is decoded too (a missing final newline is common) and, if it does not
// decode, reported as the cut.
RecordingReadResult loadRecording(const std::string& path, SessionStore& store,
                                  const RecordingReadOptions& options = {});

} // namespace flight::protocol
