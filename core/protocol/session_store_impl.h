// SPDX-License-Identifier: MIT
#pragma once
// SessionStore's state and the steps that route a message to its session
// (session_store.cpp), shared with the format-2 loader's run of records
// (session_store_common_run.cpp). Only these two files include it.

#include "protocol/session_store.h"

#include "model/id_hash.h"
#include "model/same_bytes.h"
#include "protocol/seq_tracker.h"

#include <algorithm>
#include <array>
#include <exception>
#include <limits>

namespace flight::protocol {

namespace detail {
struct Entry {
    explicit Entry(SessionInfo info) : model(std::move(info)) {}
    SessionModel model;
    SeqTracker seqs;
};

inline std::string lineText(std::uint64_t line) { return "line " + std::to_string(line) + ": "; }
} // namespace detail
using detail::Entry;
using detail::lineText;

struct SessionStore::Impl {
    const PlatformCatalog* catalog = nullptr;
    MessageDecoder decoder;
    std::vector<std::unique_ptr<Entry>> sessions;
    std::map<std::string, std::size_t, std::less<>> index;
    // The session the last message resolved to by name (almost every message
    // names the same one as the one before): its id text and entry.
    std::string lastId;
    Entry* lastEntry = nullptr;
    std::size_t lastStarted = 0;
    bool anyStarted = false;
    std::uint64_t decodeErrors = 0, sessionErrors = 0, warnings = 0, applied = 0, duplicates = 0, gaps = 0;
    std::uint64_t outOfOrder = 0;
    std::vector<StoreProblem> problems;
    StoreLimits limits;
    std::uint64_t sessionsRefused = 0, problemsNotListed = 0, endedDropped = 0;
    std::optional<RecordingInfo> recording;
    std::optional<std::string> hello;
    std::int64_t streamMs = 0; // newest time any session has reached
    Message current;           // the line being applied, reused (see decodeInto)
    std::function<void(std::unique_ptr<SessionStore>)> recycler; // setRecycler

    // Gives the problems found since `before` the stream's time.
    void stampProblems(std::size_t before)
    {
        for (const auto& e : sessions)
            streamMs = std::max(streamMs, e->model.lastMs());
        for (std::size_t i = before; i < problems.size(); ++i)
            problems[i].timeMs = streamMs;
    }
    // Stamps, on leaving a scope, whatever problems were found in it.
    struct StampNewProblems {
        Impl& d;
        std::size_t before;
        ~StampNewProblems()
        {
            if (d.problems.size() > before)
                d.stampProblems(before);
        }
    };

    void applyProfile(SessionInfo& info) const
    {
        if (const PlatformProfile* p = catalog->find(info.platform)) {
            info.thresholds = p->thresholds;
            if (info.totalBytes == 0)
                info.totalBytes = p->totalBytes;
        }
    }

    // Keeps the first maxProblemsListed problems, then one note saying the
    // rest are only counted: a stream of a million bad lines must not hold a
    // million messages (the counters above stay exact).
    void addProblem(StoreProblem&& p)
    {
        if (problems.size() < limits.maxProblemsListed) {
            problems.push_back(std::move(p));
            return;
        }
        if (problemsNotListed++ == 0)
            problems.push_back({p.line, ProblemKind::Note,
                                lineText(p.line) + "more than " + std::to_string(limits.maxProblemsListed)
                                    + " problems: the rest are counted, not listed",
                                std::nullopt, {}});
    }

    bool full() const { return sessions.size() >= limits.maxSessions; }

    // A message for a session beyond maxSessions: counted, never stored.
    void refuseSession(std::uint64_t line, std::string_view sid)
    {
        ++sessionsRefused;
        ++sessionErrors;
        addProblem({line, ProblemKind::SessionError,
                    lineText(line) + "limit-exceeded: session " + std::string(sid) + " refused: "
                        + std::to_string(limits.maxSessions)
                        + " sessions held already (the limit); its messages are counted, not kept",
                    MemoryErrorCode::LimitExceeded, std::string(sid)});
    }

    Entry& create(std::string_view sid)
    {
        SessionInfo info;
        info.sessionId = std::string(sid);
        sessions.push_back(std::make_unique<Entry>(std::move(info)));
        index.emplace(std::string(sid), sessions.size() - 1);
        return *sessions.back();
    }

    // nullptr: a new session while the store is full (see refuseSession).
    Entry* resolve(std::string_view sid)
    {
        if (sid.empty()) {
            if (sessions.empty())
                return full() ? nullptr : &create(kImplicitSessionId);
            if (sessions.size() == 1)
                return sessions.front().get();
            return sessions[anyStarted ? lastStarted : sessions.size() - 1].get();
        }
        if (lastEntry && sid.size() == lastId.size() && sameBytes(sid.data(), lastId.data(), sid.size()))
            return lastEntry;
        Entry* e = nullptr;
        if (auto it = index.find(sid); it != index.end())
            e = sessions[it->second].get();
        else if (full())
            return nullptr;
        else
            e = &create(sid);
        lastId.assign(sid.data(), sid.size());
        lastEntry = e;
        return e;
    }

    void sessionError(std::uint64_t line, std::string_view sid, const MemoryError& e)
    {
        ++sessionErrors;
        addProblem({line, ProblemKind::SessionError,
                            lineText(line) + std::string(toString(e.code)) + ": " + e.message, e.code, std::string(sid)});
    }

    void check(const Result<void>& r, std::uint64_t line, const Entry& e)
    {
        if (!r)
            sessionError(line, e.model.info().sessionId, r.error());
    }

    Entry* startSession(const SessionStartedMsg& m, std::uint64_t line)
    {
        const bool existed = m.sessionId.empty() ? !sessions.empty() : index.contains(m.sessionId);
        Entry* found = resolve(m.sessionId);
        if (!found)
            return nullptr;
        Entry& e = *found;
        SessionInfo info = e.model.info();
        if (!m.platform.empty())
            info.platform = std::string(m.platform);
        if (!m.label.empty())
            info.label = std::string(m.label);
        if (m.totalBytes)
            info.totalBytes = *m.totalBytes;
        else if (!existed)
            info.totalBytes = 0;
        applyProfile(info);
        if (!existed) {
            info.startedAt = m.timestamp;
            e.model = SessionModel(info);
        } else {
            if (!info.platform.empty())
                e.model.setPlatform(info.platform);
            e.model.setThresholds(info.thresholds);
            if (info.totalBytes)
                e.model.setTotalBytes(info.totalBytes);
        }
        if (info.totalBytes == 0 && !m.platform.empty() && !catalog->find(m.platform))
            addProblem({line, ProblemKind::Note,
                                lineText(line) + "platform " + std::string(m.platform) + " is not known and no total was given",
                                std::nullopt, info.sessionId});
        if (m.limits)
            e.model.recordLimits(*m.limits, m.timestamp);
        anyStarted = true;
        lastStarted = index.find(e.model.info().sessionId)->second;
        return &e;
    }

    // Checks and counts a message's seq against what `e` holds (SeqTracker):
    // false for a duplicate (counted), true otherwise, with a gap or a late
    // message noted.
    bool takeSeq(Entry& e, std::uint64_t seq, std::uint64_t line)
    {
        const SeqCheck c = e.seqs.accept(seq);
        if (c.kind == SeqCheck::Kind::Next) [[likely]]
            return true;
        return takeOtherSeq(e, c, seq, line);
    }

    // takeSeq's cases other than the usual next seq (kept out of line).
    [[gnu::noinline]] bool takeOtherSeq(Entry& e, const SeqCheck& c, std::uint64_t seq, std::uint64_t line)
    {
        switch (c.kind) {
        case SeqCheck::Kind::Duplicate: ++duplicates; return false;
        case SeqCheck::Kind::Gap: {
            const std::uint64_t missing = c.missingTo - c.missingFrom + 1; // >= 1; 2^64 - 1 at most
            gaps = missing > UINT64_MAX - gaps ? UINT64_MAX : gaps + missing; // a peer's numbers: never wraps
            addProblem({line, ProblemKind::Note,
                        lineText(line) + "seq gap: " + std::to_string(missing) + " message(s) missing ("
                            + std::to_string(c.missingFrom) + ".." + std::to_string(c.missingTo) + ")",
                        std::nullopt, e.model.info().sessionId});
            break;
        }
        case SeqCheck::Kind::Late:
            ++outOfOrder;
            if (c.fillsGap && gaps > 0)
                --gaps; // counted missing at the gap, here after all
            if (c.lateRunStarts)
                addProblem({line, ProblemKind::Note,
                            lineText(line) + "seq " + std::to_string(seq) + " is below the newest seq "
                                + std::to_string(c.newest)
                                + " but was not received before: applied (out of order, not a duplicate)",
                            std::nullopt, e.model.info().sessionId});
            break;
        case SeqCheck::Kind::First:
        case SeqCheck::Kind::Next: break;
        }
        return true;
    }

    // The session a message of `sid` goes to, its seq checked and counted;
    // nullptr when it is not to be applied (a refused session, a duplicate).
    Entry* entryFor(std::string_view sid, std::optional<std::uint64_t> seqNo, std::uint64_t line)
    {
        return admitted(resolve(sid), sid, seqNo, line);
    }

    // entryFor's steps after resolve(sid) (a run of one session's records
    // resolves it once): refuses a session the store cannot hold, takes the
    // seq, counts the message applied.
    Entry* admitted(Entry* found, std::string_view sid, std::optional<std::uint64_t> seqNo, std::uint64_t line)
    {
        if (!found) {
            refuseSession(line, sid.empty() ? kImplicitSessionId : sid);
            return nullptr;
        }
        Entry& e = *found;
        if (seqNo && !takeSeq(e, *seqNo, line))
            return nullptr;
        ++applied;
        return &e;
    }

    // apply() of an allocation or a free whose id comes hashed (the loader's
    // common lines): the same steps without the checks for the other kinds.
    void applyCommon(const Message& msg, std::uint64_t line, HashedId id)
    {
        const auto* a = msg.as<AllocationMsg>();
        const auto* f = a ? nullptr : msg.as<FreeMsg>();
        if (!a && !f) {
            apply(msg, line);
            return;
        }
        Entry* e = entryFor(a ? a->sessionId : f->sessionId, msg.seq, line);
        if (!e)
            return;
        if (a)
            check(e->model.recordAllocation(id, a->bytes, a->purpose, a->allocatedAt, a->freedAt), line, *e);
        else
            check(e->model.recordFree(id, f->freedAt), line, *e);
    }

    // The format-2 loader's run of lean records (session_store_common_run.cpp).
    std::size_t applyCommonRun(std::span<const DecodedCommon> run, std::uint64_t line);

    void apply(const Message& msg, std::uint64_t line)
    {
        if (const auto* h = msg.as<RecordingHeaderMsg>()) {
            recording = RecordingInfo{std::string(h->format), h->createdAt, std::string(h->source),
                                      std::string(h->application)};
            return;
        }
        if (const auto* h = msg.as<HelloMsg>()) {
            hello = std::string(h->server);
            return;
        }
        if (const auto* s = msg.as<SessionStartedMsg>()) {
            // A session_started the store already holds (a server resending
            // after a reconnect) is a duplicate like any other: it must not
            // reset the session's seq, or everything resent after it would
            // be applied twice.
            if (msg.seq) {
                if (const auto it = index.find(s->sessionId); it != index.end()) {
                    if (sessions[it->second]->seqs.holds(*msg.seq)) {
                        ++duplicates;
                        return;
                    }
                }
            }
            // seq of a session_started counts for the session too
            Entry* started = startSession(*s, line);
            if (!started) {
                refuseSession(line, s->sessionId.empty() ? kImplicitSessionId : s->sessionId);
                return;
            }
            if (msg.seq)
                (void)takeSeq(*started, *msg.seq, line); // not held (checked above): never a duplicate
            ++applied;
            return;
        }
        Entry* found = entryFor(msg.sessionId(), msg.seq, line);
        if (!found)
            return;
        Entry& e = *found;
        SessionModel& model = e.model;
        if (const auto* a = msg.as<AllocationMsg>()) {
            check(model.recordAllocation(hashed(a->id), a->bytes, a->purpose, a->allocatedAt, a->freedAt), line, e);
        } else if (const auto* f = msg.as<FreeMsg>()) {
            check(model.recordFree(hashed(f->allocationId), f->freedAt), line, e);
        } else if (const auto* u = msg.as<MemoryUpdateMsg>()) {
            if (u->totalBytes && *u->totalBytes != model.info().totalBytes)
                model.setTotalBytes(*u->totalBytes);
            if (!u->platform.empty() && model.info().platform.empty()) {
                model.setPlatform(std::string(u->platform));
                if (const PlatformProfile* p = catalog->find(u->platform))
                    model.setThresholds(p->thresholds);
            }
            ReportedSample s;
            s.timeMs = u->timestamp;
            s.usedBytes = u->usedBytes.value_or(model.usedBytes());
            s.totalBytes = u->totalBytes.value_or(model.info().totalBytes);
            s.reportedPressure = u->pressure;
            s.fragmentationRatio = u->fragmentationRatio.value_or(0.0);
            if (u->hasByPurpose) {
                // A size above 2^63-1 becomes negative here: recordSample refuses it.
                PurposeUsage usage;
                for (const auto& pb : u->byPurpose)
                    usage.at(pb.purpose) = static_cast<std::int64_t>(pb.bytes);
                check(model.recordSample(s, &usage), line, e);
            } else {
                check(model.recordSample(s), line, e);
            }
        } else if (const auto* l = msg.as<LimitsMsg>()) {
            model.recordLimits(l->limits, l->timestamp ? l->timestamp : model.lastMs());
        } else if (const auto* er = msg.as<ErrorMsg>()) {
            MemoryError err{er->code, std::string(er->message), std::string(er->details), er->timestamp};
            model.recordReportedError(err);
            ++sessionErrors;
            addProblem({line, ProblemKind::SessionError,
                                lineText(line) + "reported " + std::string(toString(er->code)) + ": " + err.message,
                                er->code, model.info().sessionId});
        } else if (const auto* mk = msg.as<MarkerMsg>()) {
            model.addMarker(mk->timestamp, std::string(mk->label));
        } else if (const auto* se = msg.as<SessionEndedMsg>()) {
            model.setEnded(se->timestamp);
        }
    }

    static HashedId hashed(std::string_view id) { return {id, hashId(id)}; }

    void prefetchIds(const std::array<std::optional<std::uint64_t>, 3>& keys) const
    {
        if (lastEntry)
            lastEntry->model.prefetchIds(keys);
    }

    // The one place where decode warnings and errors become problems.
    void ingest(std::string_view json, std::uint64_t line, bool unterminated, MessageGate* gate)
    {
        auto r = decoder.decodeInto(json, line, current);
        for (const auto& w : decoder.warnings()) {
            ++warnings;
            addProblem({w.line, ProblemKind::Warning, w.message, std::nullopt, {}});
        }
        if (!r) {
            ++decodeErrors;
            std::string text = r.error().message;
            if (unterminated)
                text = lineText(line) + "file ends mid-line (cut): " + text.substr(lineText(line).size());
            addProblem({line, ProblemKind::DecodeError, std::move(text), r.error().code, {}});
            return;
        }
        if (*r && (!gate || gate->admit(current, line)))
            apply(current, line);
    }
};

} // namespace flight::protocol
