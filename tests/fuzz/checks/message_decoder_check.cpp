// SPDX-License-Identifier: MIT
// Fuzzes the message decoder (every dialect: it detects them itself) and the
// session store behind it. The input is a stream: one message per line, so the
// stateful parts (declared time units, once-only warnings, seq tracking,
// implicit sessions) are reached too.
//
// Oracle beyond "no crash, no sanitizer report": the canonical fast path and the
// full simdjson path must agree on every line (message, error text, warnings),
// as DecoderOptions::canonicalFastPath promises.

#include "decode_outcome.h"
#include "fuzz_checks.h"

#include "protocol/message_decoder.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"
#include "reports/text_report.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace flight;
using namespace flight::protocol;

namespace {

std::string mismatch(std::uint64_t n, const fuzz::DecodeOutcome& fast, const fuzz::DecodeOutcome& slow)
{
    auto describe = [](const fuzz::DecodeOutcome& o) {
        return "ok=" + std::to_string(o.ok) + " message=" + std::to_string(o.message.has_value()) + " error=\""
            + o.error + "\" warnings=" + std::to_string(o.warnings.size());
    };
    return "fast path and simdjson path disagree on line " + std::to_string(n) + ": fast " + describe(fast)
        + "; simdjson " + describe(slow);
}

} // namespace

std::string flight::fuzz::checkMessageDecoder(std::string_view input)
{
    MessageDecoder fast;
    MessageDecoder slow(simdjsonPathOnly());
    SessionStore store;

    std::uint64_t n = 0;
    std::size_t start = 0;
    while (start <= input.size()) {
        std::size_t end = input.find('\n', start);
        if (end == std::string_view::npos)
            end = input.size();
        const std::string_view line = input.substr(start, end - start);
        ++n;
        const DecodeOutcome a = decodeOne(fast, line, n);
        const DecodeOutcome b = decodeOne(slow, line, n);
        // Messages hold string_views into each decoder's own buffers: == compares text.
        if (a.ok != b.ok || a.message != b.message || a.error != b.error || a.warnings != b.warnings)
            return mismatch(n, a, b);
        store.ingest(line, n, end == input.size());
        start = end + 1;
    }
    // Read back what the store built, as the UI and the reports do.
    for (std::size_t i = 0; i < store.sessionCount(); ++i) {
        const SessionModel& s = store.session(i);
        const std::int64_t first = s.firstMs();
        const std::int64_t last = s.lastMs();
        const std::int64_t mid = first / 2 + last / 2; // no overflow at the extremes
        (void)s.snapshot();
        (void)s.pressure();
        (void)MemoryAnalytics(s).calculateMemoryStats();
        (void)s.rangeSummary(first, last);
        (void)s.snapshotAt(mid);
        (void)s.listAllocationsAt(mid);
        (void)MemoryAnalytics(s).getMemoryTrends(60'000);
        (void)reports::textReport(s);
    }
    return {};
}
