// SPDX-License-Identifier: MIT
// SessionStore::applyCommonRun: the format-2 loader's allocations and frees,
// applied from their lean decoded form (protocol/decoded_common.h).
#include "protocol/session_store_impl.h"

namespace flight::protocol {

// applyCommon for the format-2 loader's lean records. Each record is
// applied as applyDecoded does (its own problems' stamp, an exception
// becomes a note); the session is resolved again only when a record
// names another session text than the one before (a block's records of
// one session all point to the same table string: resolving it again
// would give the same entry). Ahead of applying: the lean records 16 on
// (written by the decoding thread on the other core, read once: fetched
// without keeping them in the caches the model works in) and the live-id slot
// of the id 12 on. Not the freed record and its id text, as the JSON Lines
// loader does: here they are mostly in cache already (frees name recent
// allocations, and applying a record is ~4x faster than decoding a JSON
// line), and finding them ahead cost more than it saved (applying thread
// 187-198 ms per load without, 216-221 with; from the first two slots
// only, 202-209; docs/performance.md).
std::size_t SessionStore::Impl::applyCommonRun(std::span<const DecodedCommon> run, std::uint64_t line)
{
    constexpr std::size_t kSlotAhead = 12, kLeanAhead = 16;
    const std::size_t n = run.size();
    const char* sessionText = nullptr;
    std::uint32_t sessionLen = 0;
    Entry* entry = nullptr;
    // Into the model of the session applied last (made again whenever a
    // record resolves its session: resolving may add an entry).
    std::optional<IdLookahead> ahead;
    const auto lookInto = [&](const Entry* e) {
        ahead.reset();
        if (e)
            ahead.emplace(e->model.lookahead());
    };
    lookInto(lastEntry);
    std::size_t i = 0;
    for (; i < n && run[i].kind <= DecodedCommon::Free; ++i, ++line) {
        if (i + kLeanAhead < n) {
            const auto* next = reinterpret_cast<const char*>(&run[i + kLeanAhead]);
            __builtin_prefetch(next, 0, 0);
            __builtin_prefetch(next + sizeof(DecodedCommon) - 1, 0, 0);
        }
        if (ahead && i + kSlotAhead < n)
            ahead->slot(run[i + kSlotAhead].id.key);
        const DecodedCommon& r = run[i];
        const std::size_t before = problems.size();
        try {
            if (!entry || r.session != sessionText || r.sessionLen != sessionLen) {
                entry = resolve(r.sessionId());
                sessionText = r.session;
                sessionLen = r.sessionLen;
                lookInto(entry);
            }
            const std::optional<std::uint64_t> seq =
                r.flags & DecodedCommon::HasSeq ? std::optional<std::uint64_t>(r.seq) : std::nullopt;
            if (Entry* e = admitted(entry, r.sessionId(), seq, line)) {
                SessionModel& model = e->model;
                if (r.kind == DecodedCommon::Allocation)
                    check(model.recordAllocation(r.id, r.bytes, MemoryPurpose::fromId(r.purpose), r.time, r.freedAt),
                          line, *e);
                else
                    check(model.recordFree(r.id, r.time), line, *e);
            }
        } catch (const std::exception& e) {
            addProblem({line, ProblemKind::Note, lineText(line) + "internal error: " + e.what(), std::nullopt, {}});
        }
        if (problems.size() > before)
            stampProblems(before);
    }
    return i;
}

std::size_t SessionStore::applyCommonRun(std::span<const DecodedCommon> run, std::uint64_t firstLine)
{
    return d->applyCommonRun(run, firstLine);
}

} // namespace flight::protocol
