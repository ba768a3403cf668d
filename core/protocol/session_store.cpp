// SPDX-License-Identifier: MIT
#include "protocol/session_store_impl.h"

#include <cstring>

namespace flight::protocol {

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
