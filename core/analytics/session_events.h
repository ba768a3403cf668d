// SPDX-License-Identifier: MIT
#pragma once
// Everything worth a look in one session, in time order: errors the producer
// reported or the model raised, lines the decoder refused (with their line or
// frame number), warnings, markers, pressure transitions and limit crossings.
// One list for the Events view and for reports; O(events), run it off the UI thread.

#include "model/memory_error.h"
#include "model/memory_pressure.h"
#include "model/session_model.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight {
namespace protocol {
class SessionStore;
}

enum class EventLogKind : std::uint8_t {
    Error,       // reported by the producer, or a memory-operations error the model raised
    DecodeError, // a line/frame the decoder refused
    Warning,     // unknown type, custom purpose, time going backwards
    Note,        // seq gap, duplicate, unknown platform: worth knowing, not wrong
    Marker,
    Pressure,    // the computed pressure level changed (a flapping burst is one entry: pressure_changes.h)
    Limit,       // used went above the soft or the hard limit
};
inline constexpr int kEventLogKindCount = 7;
std::string_view toString(EventLogKind kind); // "error", "decode-error", ...

struct EventLogEntry {
    EventLogKind kind = EventLogKind::Note;
    std::int64_t timeMs = 0;
    std::uint64_t line = 0;                 // line or frame number in the stream; 0 when not known
    std::string text;                       // one line for a person, without the "line N: " prefix
    std::optional<MemoryErrorCode> code;    // errors and decode errors
    std::optional<MemoryPressure> pressure; // Pressure: the level entered (a burst: the level it ended at)
    std::uint32_t pressureChanges = 0;      // Pressure: how many changes the entry stands for (1, or a burst's)
    std::int64_t spanMs = 0;                // Pressure: a burst's first to last change
};

// The session's events and, when `store` is given, the stream's decode errors,
// warnings and notes that belong to it (those naming no session belong to every
// session: a refused line cannot say whose it was). A store problem has no time
// of its own: it sits at the time the stream had reached (StoreProblem::timeMs).
// Stable-sorted by time, so events at one instant keep the order they happened in.
std::vector<EventLogEntry> collectSessionEvents(const SessionModel& session, const protocol::SessionStore* store = nullptr);

// How many entries of each kind, indexed by EventLogKind.
std::array<std::size_t, kEventLogKindCount> countByKind(const std::vector<EventLogEntry>& events);

} // namespace flight
