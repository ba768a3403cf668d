// SPDX-License-Identifier: MIT
#include "protocol/decoder_keys.h"

namespace flight::protocol::detail {

// Key without '-', '_' and case: sessionId, session_id, session-id -> "sessionid".
std::string_view normalizeKey(std::string_view key, std::array<char, 48>& buf)
{
    std::size_t n = 0;
    for (char c : key) {
        if (c == '-' || c == '_')
            continue;
        if (n == buf.size())
            return {};
        buf[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return {buf.data(), n};
}

namespace {

constexpr std::array kFieldNames{
    KeyName{"type", K::Type}, KeyName{"sessionId", K::SessionId}, KeyName{"sessionid", K::SessionId},
    KeyName{"platform", K::Platform}, KeyName{"label", K::Label}, KeyName{"protocol", K::Protocol},
    KeyName{"server", K::Server}, KeyName{"format", K::Format}, KeyName{"source", K::Source},
    KeyName{"application", K::Application}, KeyName{"id", K::Id}, KeyName{"allocationId", K::AllocationId},
    KeyName{"allocationid", K::AllocationId}, KeyName{"timeUnit", K::TimeUnit}, KeyName{"timeunit", K::TimeUnit},
    KeyName{"tag", K::Tag}, KeyName{"message", K::Message}, KeyName{"details", K::Details},
    KeyName{"success", K::Success}, KeyName{"timestamp", K::Timestamp}, KeyName{"allocatedAt", K::AllocatedAt},
    KeyName{"allocatedat", K::AllocatedAt}, KeyName{"freedAt", K::FreedAt}, KeyName{"freedat", K::FreedAt},
    KeyName{"createdAt", K::CreatedAt}, KeyName{"createdat", K::CreatedAt}, KeyName{"receivedAt", K::ReceivedAt},
    KeyName{"receivedat", K::ReceivedAt}, KeyName{"seq", K::Seq}, KeyName{"total", K::Total},
    KeyName{"usage", K::Usage}, KeyName{"used", K::Used}, KeyName{"available", K::Available},
    KeyName{"size", K::Size}, KeyName{"heapMax", K::HeapMax}, KeyName{"heapmax", K::HeapMax},
    KeyName{"stackMax", K::StackMax}, KeyName{"stackmax", K::StackMax}, KeyName{"cacheMax", K::CacheMax},
    KeyName{"cachemax", K::CacheMax}, KeyName{"softLimit", K::SoftLimit}, KeyName{"softlimit", K::SoftLimit},
    KeyName{"hardLimit", K::HardLimit}, KeyName{"hardlimit", K::HardLimit}, KeyName{"purpose", K::Purpose},
    KeyName{"pressure", K::Pressure}, KeyName{"fragmentationRatio", K::FragmentationRatio},
    KeyName{"fragmentationratio", K::FragmentationRatio}, KeyName{"code", K::Code},
    KeyName{"byPurpose", K::ByPurpose}, KeyName{"bypurpose", K::ByPurpose}, KeyName{"allocation", K::Allocation},
    KeyName{"snapshot", K::Snapshot}, KeyName{"limits", K::Limits}, KeyName{"error", K::Error},
    KeyName{"val", K::Val}, KeyName{"value", K::Value},
    // Go's snake_case and WIT's kebab-case spellings as such (protocol.md
    // section 2): found at once instead of normalized key by key.
    KeyName{"session_id", K::SessionId}, KeyName{"session-id", K::SessionId},
    KeyName{"allocation_id", K::AllocationId}, KeyName{"allocation-id", K::AllocationId},
    KeyName{"time_unit", K::TimeUnit}, KeyName{"time-unit", K::TimeUnit},
    KeyName{"allocated_at", K::AllocatedAt}, KeyName{"allocated-at", K::AllocatedAt},
    KeyName{"freed_at", K::FreedAt}, KeyName{"freed-at", K::FreedAt},
    KeyName{"created_at", K::CreatedAt}, KeyName{"created-at", K::CreatedAt},
    KeyName{"received_at", K::ReceivedAt}, KeyName{"received-at", K::ReceivedAt},
    KeyName{"heap_max", K::HeapMax}, KeyName{"heap-max", K::HeapMax},
    KeyName{"stack_max", K::StackMax}, KeyName{"stack-max", K::StackMax},
    KeyName{"cache_max", K::CacheMax}, KeyName{"cache-max", K::CacheMax},
    KeyName{"soft_limit", K::SoftLimit}, KeyName{"soft-limit", K::SoftLimit},
    KeyName{"hard_limit", K::HardLimit}, KeyName{"hard-limit", K::HardLimit},
    KeyName{"fragmentation_ratio", K::FragmentationRatio}, KeyName{"fragmentation-ratio", K::FragmentationRatio},
    KeyName{"by_purpose", K::ByPurpose}, KeyName{"by-purpose", K::ByPurpose},
};
constexpr std::array kSizeNames{
    KeyName{"bytes", K::Bytes}, KeyName{"humanReadable", K::HumanReadable}, KeyName{"humanreadable", K::HumanReadable},
    KeyName{"human_readable", K::HumanReadable}, KeyName{"human-readable", K::HumanReadable},
};
constexpr std::array kTypeNames{
    KeyName{"allocation", K::Allocation}, KeyName{"free", K::TFree}, KeyName{"memory_update", K::TMemoryUpdate},
    KeyName{"memoryupdate", K::TMemoryUpdate}, KeyName{"session_started", K::TSessionStarted},
    KeyName{"sessionstarted", K::TSessionStarted}, KeyName{"session_ended", K::TSessionEnded},
    KeyName{"sessionended", K::TSessionEnded}, KeyName{"limits", K::Limits}, KeyName{"error", K::Error},
    KeyName{"marker", K::TMarker}, KeyName{"hello", K::THello}, KeyName{"recording", K::TRecording},
};


} // namespace

const KeyTable gFieldTable(kFieldNames);
const KeyTable gSizeTable(kSizeNames);
const KeyTable gTypeTable(kTypeNames);

} // namespace flight::protocol::detail
