// SPDX-License-Identifier: MIT
#pragma once
// The machine-readable report of a SessionStore (`flight-inspector report FILE
// --format json`). Plain C++, no Qt; strings escaped per RFC 8259.

#include "protocol/session_store.h"

#include <span>
#include <string>

namespace flight::protocol {

// {"sessions":[{"sessionId","platform","totalBytes","usedBytes","trackedBytes",
//   "peakBytes","activeAllocations","totalAllocations","freedAllocations",
//   "byPurpose":{"<purpose>":bytes},"pressure":{"computed","reported"},
//   "limits":{heapMax,stackMax,cacheMax,softLimit,hardLimit}|null,
//   "softLimitExceeded","hardLimitExceeded","reportedErrors":[codes],
//   "markers":n,"firstMs","lastMs"}],
//  "decodeErrors":n,"sessionErrors":n,"warnings":n,
//  "errors":[{"line":n,"message":"..."}]}
// byPurpose lists every purpose holding bytes now or used by any allocation of
// the session (so a purpose whose memory was all freed shows 0). "errors" holds
// decode and session errors in line order; warnings are counted, not listed.
// pressure.reported is null when the producer never sent one.
std::string summaryJson(const SessionStore& store, bool pretty = false);

// Several recordings in one document: sessions and errors carry "source" (the
// name given), the counts are summed.
struct SummarySource {
    std::string name;
    const SessionStore* store = nullptr;
};
std::string summaryJson(std::span<const SummarySource> sources, bool pretty = false);

class JsonWriter;
// One session's fields of the document above (from "sessionId" to "lastMs"),
// written into the object the caller has opened; the report reuses them.
void writeSessionSummaryFields(JsonWriter& j, const SessionModel& s);

} // namespace flight::protocol
