// SPDX-License-Identifier: MIT
#include "protocol/session_store.h"

#include "model/id_hash.h"
#include "model/same_bytes.h"
#include "protocol/seq_tracker.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <limits>

namespace flight::protocol {


namespace {
struct Entry {
    explicit Entry(SessionInfo info) : model(std::move(info)) {}
    SessionModel model;
    SeqTracker seqs;
};

std::string lineText(std::uint64_t line) { return "line " + std::to_string(line) + ": "; }
} // namespace

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
        Entry* found = resolve(sid);
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

SessionStore::SessionStore(DecoderOptions decoderOptions, const PlatformCatalog& catalog)
    : d(std::make_unique<Impl>())
{
    d->catalog = &catalog;
    d->decoder = MessageDecoder(decoderOptions);
}
SessionStore::SessionStore(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}

SessionStore::~SessionStore()
{
    if (!d || !d->recycler)
        return;
    auto recycler = std::move(d->recycler);
    d->recycler = nullptr;
    try {
        recycler(std::unique_ptr<SessionStore>(new SessionStore(std::move(d))));
    } catch (...) { // out of memory handing it back: it is freed instead
    }
}

void SessionStore::setRecycler(std::function<void(std::unique_ptr<SessionStore>)> recycler)
{
    d->recycler = std::move(recycler);
}

void SessionStore::copyBookkeepingFrom(const SessionStore& other)
{
    const Impl& o = *other.d;
    d->decodeErrors = o.decodeErrors;
    d->sessionErrors = o.sessionErrors;
    d->warnings = o.warnings;
    d->applied = o.applied;
    d->duplicates = o.duplicates;
    d->gaps = o.gaps;
    d->outOfOrder = o.outOfOrder;
    d->problems = o.problems;
    d->limits = o.limits;
    d->sessionsRefused = o.sessionsRefused;
    d->problemsNotListed = o.problemsNotListed;
    d->endedDropped = o.endedDropped;
    d->recording = o.recording;
    d->hello = o.hello;
    d->streamMs = o.streamMs;
}

void SessionStore::ingest(std::string_view json, std::uint64_t line, bool unterminated)
{
    ingestChecked(json, line, unterminated, nullptr);
}

void SessionStore::ingest(std::string_view json, std::uint64_t line, MessageGate& gate)
{
    ingestChecked(json, line, false, &gate);
}

void SessionStore::ingestChecked(std::string_view json, std::uint64_t line, bool unterminated, MessageGate* gate)
{
    const Impl::StampNewProblems stamp{*d, d->problems.size()};
    try {
        d->ingest(json, line, unterminated, gate);
    } catch (const std::exception& e) {
        addDecodeError(line, lineText(line) + "internal error: " + e.what());
    }
}

void SessionStore::applyDecoded(const Message& message, std::uint64_t line, HashedId id)
{
    const Impl::StampNewProblems stamp{*d, d->problems.size()};
    try {
        d->applyCommon(message, line, id);
    } catch (const std::exception& e) {
        d->addProblem({line, ProblemKind::Note, lineText(line) + "internal error: " + e.what(), std::nullopt, {}});
    }
}

void SessionStore::prefetchIds(const std::array<std::optional<std::uint64_t>, 3>& keys) const
{
    d->prefetchIds(keys);
}

void SessionStore::apply(const Message& message, std::uint64_t line)
{
    const Impl::StampNewProblems stamp{*d, d->problems.size()};
    try {
        d->apply(message, line);
    } catch (const std::exception& e) {
        d->addProblem({line, ProblemKind::Note, lineText(line) + "internal error: " + e.what(), std::nullopt, {}});
    }
}

void SessionStore::addDecodeError(std::uint64_t line, std::string message)
{
    ++d->decodeErrors;
    const std::size_t before = d->problems.size();
    d->addProblem({line, ProblemKind::DecodeError, std::move(message), MemoryErrorCode::MalformedInput, {}});
    if (d->problems.size() > before)
        d->stampProblems(before);
}

void SessionStore::addNote(std::uint64_t line, std::string message)
{
    const std::size_t before = d->problems.size();
    d->addProblem({line, ProblemKind::Note, std::move(message), std::nullopt, {}});
    if (d->problems.size() > before)
        d->stampProblems(before);
}

std::size_t SessionStore::sessionCount() const { return d->sessions.size(); }
const SessionModel& SessionStore::session(std::size_t i) const { return d->sessions.at(i)->model; }
SessionModel& SessionStore::session(std::size_t i) { return d->sessions.at(i)->model; }
const SessionModel* SessionStore::find(std::string_view id) const
{
    auto it = d->index.find(id);
    return it == d->index.end() ? nullptr : &d->sessions[it->second]->model;
}
std::uint64_t SessionStore::decodeErrors() const { return d->decodeErrors; }
std::uint64_t SessionStore::sessionErrors() const { return d->sessionErrors; }
std::uint64_t SessionStore::warnings() const { return d->warnings; }
std::uint64_t SessionStore::messagesApplied() const { return d->applied; }
std::uint64_t SessionStore::skippedUnknownTypes() const { return d->decoder.skippedUnknownTypes(); }
std::uint64_t SessionStore::duplicatesDropped() const { return d->duplicates; }
std::uint64_t SessionStore::seqGaps() const { return d->gaps; }
std::uint64_t SessionStore::seqOutOfOrder() const { return d->outOfOrder; }
const std::vector<StoreProblem>& SessionStore::problems() const { return d->problems; }
std::uint64_t SessionStore::problemsNotListed() const { return d->problemsNotListed; }
std::uint64_t SessionStore::sessionsRefused() const { return d->sessionsRefused; }
void SessionStore::setLimits(const StoreLimits& limits)
{
    d->limits = limits;
    d->limits.maxSessions = std::max<std::size_t>(1, d->limits.maxSessions);
}
const StoreLimits& SessionStore::limits() const { return d->limits; }
const std::optional<RecordingInfo>& SessionStore::recordingInfo() const { return d->recording; }
const std::optional<std::string>& SessionStore::helloServer() const { return d->hello; }
MessageDecoder& SessionStore::decoder() { return d->decoder; }

// --- bounded memory ------------------------------------------------------------

CompactionResult SessionStore::compact(const RetentionPolicy& policy)
{
    CompactionResult sum;
    std::int64_t now = std::numeric_limits<std::int64_t>::min();
    for (const auto& e : d->sessions)
        now = std::max(now, e->model.lastMs());
    for (auto& e : d->sessions) {
        const CompactionResult r = e->model.compactHistory(policy, now);
        sum.compacted = sum.compacted || r.compacted;
        sum.fullDetailFromMs = std::max(sum.fullDetailFromMs, r.fullDetailFromMs);
        sum.resolutionMs = std::max(sum.resolutionMs, r.resolutionMs);
        sum.timelineEventsBefore += r.timelineEventsBefore;
        sum.timelineEventsAfter += r.timelineEventsAfter;
        sum.allocationsDropped += r.allocationsDropped;
        sum.samplesDropped += r.samplesDropped;
        sum.eventsDropped += r.eventsDropped;
        sum.markersDropped += r.markersDropped;
    }
    if (policy.enabled && d->problems.size() > kMaxProblemsKept) {
        d->problems.erase(d->problems.begin(),
                          d->problems.begin() + static_cast<std::ptrdiff_t>(d->problems.size() - kMaxProblemsKept));
        d->problems.shrink_to_fit();
    }
    return sum;
}

std::vector<std::string> SessionStore::dropEndedSessions(std::size_t keep)
{
    std::vector<std::size_t> ended; // positions of ended sessions
    for (std::size_t i = 0; i < d->sessions.size(); ++i)
        if (d->sessions[i]->model.endedAt())
            ended.push_back(i);
    std::vector<std::string> dropped;
    if (ended.size() <= keep)
        return dropped;
    std::stable_sort(ended.begin(), ended.end(), [&](std::size_t a, std::size_t b) {
        return *d->sessions[a]->model.endedAt() < *d->sessions[b]->model.endedAt();
    });
    ended.resize(ended.size() - keep); // the ones that ended first
    std::vector<bool> drop(d->sessions.size(), false);
    for (const std::size_t i : ended)
        drop[i] = true;
    const std::string lastStartedId =
        d->anyStarted && d->lastStarted < d->sessions.size() ? d->sessions[d->lastStarted]->model.info().sessionId
                                                             : std::string();
    std::vector<std::unique_ptr<Entry>> kept;
    kept.reserve(d->sessions.size() - ended.size());
    for (std::size_t i = 0; i < d->sessions.size(); ++i) {
        if (drop[i])
            dropped.push_back(d->sessions[i]->model.info().sessionId);
        else
            kept.push_back(std::move(d->sessions[i]));
    }
    d->sessions = std::move(kept);
    // positions moved: index, the last-used cache and the last started one follow
    d->index.clear();
    for (std::size_t i = 0; i < d->sessions.size(); ++i)
        d->index.emplace(d->sessions[i]->model.info().sessionId, i);
    d->lastEntry = nullptr;
    d->lastId.clear();
    if (const auto it = d->index.find(lastStartedId); it != d->index.end()) {
        d->lastStarted = it->second;
    } else {
        d->lastStarted = 0;
        d->anyStarted = false;
    }
    d->endedDropped += dropped.size();
    return dropped;
}

std::uint64_t SessionStore::endedSessionsDropped() const { return d->endedDropped; }

std::unique_ptr<SessionStore> SessionStore::clone(DecoderOptions decoderOptions) const
{
    auto copy = std::make_unique<SessionStore>(decoderOptions, *d->catalog);
    Impl& c = *copy->d;
    c.sessions.reserve(d->sessions.size());
    for (const auto& e : d->sessions) {
        auto entry = std::make_unique<Entry>(SessionInfo{});
        entry->model = e->model.clone();
        entry->seqs = e->seqs;
        c.sessions.push_back(std::move(entry));
    }
    c.index = d->index;
    c.lastStarted = d->lastStarted;
    c.anyStarted = d->anyStarted;
    c.decodeErrors = d->decodeErrors;
    c.sessionErrors = d->sessionErrors;
    c.warnings = d->warnings;
    c.applied = d->applied;
    c.duplicates = d->duplicates;
    c.gaps = d->gaps;
    c.outOfOrder = d->outOfOrder;
    c.problems = d->problems;
    c.limits = d->limits;
    c.sessionsRefused = d->sessionsRefused;
    c.problemsNotListed = d->problemsNotListed;
    c.endedDropped = d->endedDropped;
    c.recording = d->recording;
    c.hello = d->hello;
    c.streamMs = d->streamMs;
    return copy;
}

} // namespace flight::protocol
