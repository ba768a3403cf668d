// SPDX-License-Identifier: MIT
#include "session_events.h"

#include "analytics/pressure_changes.h"
#include "protocol/session_store.h"

#include <algorithm>
#include <limits>

namespace flight {

std::string_view toString(EventLogKind kind)
{
    switch (kind) {
    case EventLogKind::Error: return "error";
    case EventLogKind::DecodeError: return "decode-error";
    case EventLogKind::Warning: return "warning";
    case EventLogKind::Note: return "note";
    case EventLogKind::Marker: return "marker";
    case EventLogKind::Pressure: return "pressure";
    case EventLogKind::Limit: return "limit";
    }
    return "note";
}

namespace {

// Store messages start "line N: "; the entry carries N in its own field.
std::string withoutLinePrefix(const std::string& text)
{
    if (text.rfind("line ", 0) != 0)
        return text;
    const auto colon = text.find(": ");
    return colon == std::string::npos ? text : text.substr(colon + 2);
}

std::string errorText(const MemoryError& e, std::string_view prefix)
{
    std::string out(prefix);
    out += toString(e.code);
    if (!e.message.empty())
        out += ": " + e.message;
    if (!e.details.empty())
        out += " (" + e.details + ")";
    return out;
}

void addModelEvents(const SessionModel& session, std::vector<EventLogEntry>& out)
{
    for (const SessionEvent& e : session.events()) {
        EventLogEntry entry;
        entry.timeMs = e.timeMs;
        switch (e.kind) {
        case SessionEventKind::OperationError:
            entry.kind = EventLogKind::Error;
            entry.code = e.error.code;
            entry.text = errorText(e.error, "");
            break;
        case SessionEventKind::ReportedError:
            entry.kind = EventLogKind::Error;
            entry.code = e.error.code;
            entry.text = errorText(e.error, "reported ");
            break;
        case SessionEventKind::SoftLimitCrossed:
            entry.kind = EventLogKind::Limit;
            entry.text = "used went above the soft limit";
            break;
        case SessionEventKind::HardLimitCrossed:
            entry.kind = EventLogKind::Limit;
            entry.text = "used went above the hard limit";
            break;
        case SessionEventKind::TimeWentBackwards:
            entry.kind = EventLogKind::Warning;
            entry.text = "time went backwards: " + (e.error.message.empty() ? std::string("kept as the previous time") : e.error.message);
            break;
        }
        out.push_back(std::move(entry));
    }
    for (const Marker& m : session.markers())
        out.push_back({EventLogKind::Marker, m.timeMs, 0, m.label, std::nullopt, std::nullopt, 0, 0});
}

void addPressureTransitions(const SessionModel& session, std::vector<EventLogEntry>& out)
{
    for (const PressureChange& c : collectPressureChanges(session)) {
        out.push_back({EventLogKind::Pressure, c.timeMs, 0, pressureChangeText(c), std::nullopt, c.to, c.changes,
                       c.lastMs - c.timeMs});
    }
}

// The model's error events and the store's session-error problems of this
// session happen one for one and in the same order: give the errors their lines.
void addErrorLines(const std::string& sessionId, const protocol::SessionStore& store, std::vector<EventLogEntry>& out)
{
    std::vector<std::uint64_t> lines;
    for (const auto& p : store.problems())
        if (p.kind == protocol::ProblemKind::SessionError && p.sessionId == sessionId)
            lines.push_back(p.line);
    std::vector<EventLogEntry*> errors;
    for (auto& e : out)
        if (e.kind == EventLogKind::Error)
            errors.push_back(&e);
    if (errors.size() != lines.size())
        return; // not one for one (a model used outside a store): no lines rather than wrong ones
    for (std::size_t i = 0; i < errors.size(); ++i)
        errors[i]->line = lines[i];
}

void addStoreProblems(const std::string& sessionId, const protocol::SessionStore& store, std::vector<EventLogEntry>& out)
{
    for (const auto& p : store.problems()) {
        if (!p.sessionId.empty() && p.sessionId != sessionId)
            continue;
        EventLogKind kind = EventLogKind::Note;
        switch (p.kind) {
        case protocol::ProblemKind::DecodeError: kind = EventLogKind::DecodeError; break;
        case protocol::ProblemKind::Warning: kind = EventLogKind::Warning; break;
        case protocol::ProblemKind::Note: kind = EventLogKind::Note; break;
        case protocol::ProblemKind::SessionError: continue; // the model's error events, with their times
        }
        out.push_back({kind, p.timeMs, p.line, withoutLinePrefix(p.message), p.code, std::nullopt, 0, 0});
    }
}

} // namespace

std::vector<EventLogEntry> collectSessionEvents(const SessionModel& session, const protocol::SessionStore* store)
{
    std::vector<EventLogEntry> out;
    addModelEvents(session, out);
    if (store) {
        addErrorLines(session.info().sessionId, *store, out);
        addStoreProblems(session.info().sessionId, *store, out);
    }
    addPressureTransitions(session, out);
    // A refused line before the first timed message has time 0: show it at the start.
    for (auto& e : out)
        e.timeMs = std::max(e.timeMs, session.firstMs());
    std::stable_sort(out.begin(), out.end(), [](const EventLogEntry& a, const EventLogEntry& b) { return a.timeMs < b.timeMs; });
    return out;
}

std::array<std::size_t, kEventLogKindCount> countByKind(const std::vector<EventLogEntry>& events)
{
    std::array<std::size_t, kEventLogKindCount> counts{};
    for (const auto& e : events)
        ++counts[static_cast<std::size_t>(e.kind)];
    return counts;
}

} // namespace flight
