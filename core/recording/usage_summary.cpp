// SPDX-License-Identifier: MIT
#include "recording/usage_summary.h"

#include "recording/compact_format.h"

#include <zstd.h>

namespace flight::recording {

namespace {

constexpr std::uint64_t kSummaryVersion = 1;
constexpr std::uint64_t kMaxSummaryString = 4096;

void putString(std::string& out, std::string_view s)
{
    putVarint(out, s.size());
    out.append(s);
}

} // namespace

std::string encodeSummaryPayload(const RecordingSummary& summary)
{
    std::string out;
    putVarint(out, kSummaryVersion);
    putVarint(out, summary.records);
    putVarint(out, summary.notSummarised);
    putVarint(out, summary.sessions.size());
    for (const SessionSummary& s : summary.sessions) {
        putString(out, s.sessionId.substr(0, kMaxSummaryString));
        putString(out, s.platform.substr(0, kMaxSummaryString));
        putVarint(out, s.totalBytes);
        putVarint(out, s.changes);
        putVarint(out, s.peakBytes);
        putVarint(out, zigzag(s.peakAtMs));
        putVarint(out, s.points.size());
        std::int64_t previous = 0;
        for (const SummaryPoint& p : s.points) {
            putVarint(out, zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(p.timeMs) - static_cast<std::uint64_t>(previous))));
            previous = p.timeMs;
            putVarint(out, p.usedBytes);
            for (const std::int64_t level : p.levels)
                putVarint(out, zigzag(level));
        }
    }
    return out;
}

Result<RecordingSummary> decodeSummaryPayload(std::string_view raw)
{
    ColumnCursor c{reinterpret_cast<const unsigned char*>(raw.data()),
                   reinterpret_cast<const unsigned char*>(raw.data() + raw.size())};
    const auto bad = [](const std::string& why) { return makeError(MemoryErrorCode::MalformedInput, "format-2 summary: " + why); };
    if (const auto v = c.varint(); v != kSummaryVersion)
        return bad("version " + std::to_string(v) + " is not known");
    RecordingSummary out;
    out.records = c.varint();
    out.notSummarised = c.varint();
    const std::uint64_t sessions = c.varint();
    if (sessions > kMaxSummarySessions)
        return bad(std::to_string(sessions) + " sessions (at most " + std::to_string(kMaxSummarySessions) + ")");
    out.sessions.resize(static_cast<std::size_t>(sessions));
    for (SessionSummary& s : out.sessions) {
        for (std::string* text : {&s.sessionId, &s.platform}) {
            const std::uint64_t n = c.varint();
            if (n > kMaxSummaryString)
                return bad("a string of " + std::to_string(n) + " bytes");
            *text = std::string(c.bytes(n));
        }
        s.totalBytes = c.varint();
        s.changes = c.varint();
        s.peakBytes = c.varint();
        s.peakAtMs = c.svarint();
        const std::uint64_t points = c.varint();
        if (points > kMaxSummaryPoints)
            return bad(std::to_string(points) + " points in a session (at most " + std::to_string(kMaxSummaryPoints) + ")");
        s.points.resize(static_cast<std::size_t>(points));
        std::int64_t previous = 0;
        for (SummaryPoint& p : s.points) {
            p.timeMs = static_cast<std::int64_t>(static_cast<std::uint64_t>(previous) + static_cast<std::uint64_t>(c.svarint()));
            previous = p.timeMs;
            p.usedBytes = c.varint();
            for (std::int64_t& level : p.levels)
                level = c.svarint();
        }
        if (c.failed)
            break;
    }
    if (c.failed)
        return bad("it ends early");
    if (!c.atEnd())
        return bad("bytes left over");
    return out;
}

Result<void> appendSummarySection(std::string& out, const RecordingSummary& summary, int compressionLevel)
{
    const std::string raw = encodeSummaryPayload(summary);
    if (raw.size() > kMaxSummaryRawBytes)
        return makeError(MemoryErrorCode::LimitExceeded, "format-2 summary of " + std::to_string(raw.size()) + " bytes");
    std::string payload(ZSTD_compressBound(raw.size()), '\0');
    const std::size_t z = ZSTD_compress(payload.data(), payload.size(), raw.data(), raw.size(), compressionLevel);
    if (ZSTD_isError(z))
        return makeError(MemoryErrorCode::IoError, std::string("zstd: ") + ZSTD_getErrorName(z));
    payload.resize(z);
    const std::size_t start = out.size();
    out.append(kSummaryMagic);
    putU32(out, static_cast<std::uint32_t>(payload.size()));
    putU32(out, static_cast<std::uint32_t>(raw.size()));
    putU32(out, crc32(payload, crc32(std::string_view(out).substr(start, 12))));
    out.append(payload);
    putU32(out, static_cast<std::uint32_t>(out.size() - start + 4));
    return {};
}

std::optional<RecordingSummary> parseSummarySection(std::string_view section)
{
    if (section.size() < kSummaryHeaderBytes + 4 || !section.starts_with(kSummaryMagic))
        return std::nullopt;
    const auto* b = reinterpret_cast<const unsigned char*>(section.data());
    const std::uint32_t payloadBytes = getU32(b + 4);
    const std::uint32_t rawBytes = getU32(b + 8);
    if (rawBytes > kMaxSummaryRawBytes || kSummaryHeaderBytes + std::uint64_t(payloadBytes) + 4 != section.size()
        || getU32(b + section.size() - 4) != section.size())
        return std::nullopt;
    const std::string_view payload = section.substr(kSummaryHeaderBytes, payloadBytes);
    if (crc32(payload, crc32(section.substr(0, 12))) != getU32(b + 12))
        return std::nullopt;
    std::string raw(rawBytes, '\0');
    const std::size_t z = ZSTD_decompress(raw.data(), raw.size(), payload.data(), payload.size());
    if (ZSTD_isError(z) || z != rawBytes)
        return std::nullopt;
    auto decoded = decodeSummaryPayload(raw);
    if (!decoded)
        return std::nullopt;
    return std::move(*decoded);
}

} // namespace flight::recording
