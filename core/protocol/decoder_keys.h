// SPDX-License-Identifier: MIT
#pragma once
// Dialect normalisation of keys and type names: one table holds the canonical
// camelCase spelling and the normalised one (no '-', '_', lower case), so
// sessionId, session_id, SESSION-ID and session-id all classify as SessionId.
// Shared by the decoder's fast path and its simdjson path.

#include "model/same_bytes.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight::protocol::detail {

// Key without '-', '_' and case: sessionId, session_id, session-id -> "sessionid".
std::string_view normalizeKey(std::string_view key, std::array<char, 48>& buf);

// ---- key dispatch ---------------------------------------------------------
// Keys are classified without copying: the raw key bytes (when they hold no
// escape) are looked up in a small hash table that holds both the canonical
// camelCase spelling and the normalized one ("sessionId" and "sessionid"); only
// a key found under neither is normalized (session_id, SESSION-ID, ...) and
// looked up again. One probe and one memcmp per key on the usual path.
enum class K : std::uint8_t {
    Unknown, Type, SessionId, Platform, Label, Protocol, Server, Format, Source, Application, Id, AllocationId,
    TimeUnit, Tag, Message, Details, Success, Timestamp, AllocatedAt, FreedAt, CreatedAt, ReceivedAt, Seq, Total,
    Usage, Used, Available, Size, HeapMax, StackMax, CacheMax, SoftLimit, HardLimit, Purpose, Pressure,
    FragmentationRatio, Code, ByPurpose, Allocation, Snapshot, Limits, Error, Val, Value, Bytes, HumanReadable,
    // message types
    TFree, TMemoryUpdate, TSessionStarted, TSessionEnded, TMarker, THello, TRecording,
};

struct KeyName {
    std::string_view name;
    K key;
};

using flight::sameBytes; // model/same_bytes.h

class KeyTable {
public:
    template <std::size_t N>
    explicit KeyTable(const std::array<KeyName, N>& names)
    {
        for (auto& b : m_buckets)
            b.fill(0xFF);
        for (std::size_t i = 0; i < N; ++i) {
            m_names[i] = names[i];
            auto& b = m_buckets[bucket(names[i].name)];
            std::size_t j = 0;
            while (j < b.size() && b[j] != 0xFF)
                ++j;
            if (names[i].name.size() + 3 <= m_quoted[i].size()) {
                auto& q = m_quoted[i];
                q[0] = '"';
                std::memcpy(q.data() + 1, names[i].name.data(), names[i].name.size());
                q[names[i].name.size() + 1] = '"';
                q[names[i].name.size() + 2] = ':';
                m_quotedSize[i] = static_cast<std::uint8_t>(names[i].name.size() + 3);
            }
            if (j == b.size())
                m_overflow.push_back(static_cast<std::uint8_t>(i)); // never with the tables below
            else
                b[j] = static_cast<std::uint8_t>(i);
        }
    }

    K find(std::string_view k) const
    {
        if (k.empty())
            return K::Unknown;
        for (std::uint8_t i : m_buckets[bucket(k)]) {
            if (i == 0xFF)
                break;
            if (m_names[i].name.size() == k.size() && sameBytes(m_names[i].name.data(), k.data(), k.size()))
                return m_names[i].key;
        }
        for (std::uint8_t i : m_overflow)
            if (m_names[i].name == k)
                return m_names[i].key;
        return K::Unknown;
    }

    // Index of the exact spelling `k` (no normalisation) in the table, or -1.
    int indexOf(std::string_view k) const
    {
        if (k.empty())
            return -1;
        for (std::uint8_t i : m_buckets[bucket(k)]) {
            if (i == 0xFF)
                break;
            if (m_names[i].name.size() == k.size() && sameBytes(m_names[i].name.data(), k.data(), k.size()))
                return i;
        }
        return -1;
    }
    const KeyName& entry(int index) const { return m_names[static_cast<std::size_t>(index)]; }
    // The key as it appears in compact JSON, quotes and colon included: "sessionId":
    std::string_view quoted(int index) const
    {
        const auto i = static_cast<std::size_t>(index);
        return {m_quoted[i].data(), m_quotedSize[i]};
    }

    // Raw spelling first, then the normalized form (no '-', '_', lower case).
    K classify(std::string_view raw) const
    {
        const K k = find(raw);
        if (k != K::Unknown)
            return k;
        std::array<char, 48> buf;
        const std::string_view n = normalizeKey(raw, buf);
        if (n.size() == raw.size() && std::memcmp(n.data(), raw.data(), n.size()) == 0)
            return K::Unknown; // already normal: looked up above
        return find(n);
    }

private:
    static std::size_t bucket(std::string_view k)
    {
        const auto u = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(k[i])); };
        return (k.size() * 37 + u(0) * 131 + u(k.size() - 1) * 7 + u(k.size() / 2) * 3) & (kBuckets - 1);
    }
    static constexpr std::size_t kBuckets = 512;
    std::array<KeyName, 128> m_names{};
    std::array<std::array<std::uint8_t, 4>, kBuckets> m_buckets{};
    std::vector<std::uint8_t> m_overflow;
    std::array<std::array<char, 32>, 128> m_quoted{};
    std::array<std::uint8_t, 128> m_quotedSize{};
};

extern const KeyTable gFieldTable; // every field of every message and record
extern const KeyTable gSizeTable;  // bytes, humanReadable
extern const KeyTable gTypeTable;  // message types
inline const KeyTable& fieldTable() { return gFieldTable; }
inline const KeyTable& sizeTable() { return gSizeTable; }
inline const KeyTable& typeTable() { return gTypeTable; }

// Results of a pure name lookup for the exact spellings met so far (a stream
// uses a handful): one short compare instead of a case-insensitive scan.
template <typename T, std::size_t N = 32>
class SpellingCache {
public:
    template <typename Lookup>
    std::optional<T> get(std::string_view name, Lookup&& lookup)
    {
        for (std::size_t i = 0; i < m_size; ++i)
            if (m_entries[i].name.size() == name.size() && sameBytes(m_entries[i].name.data(), name.data(), name.size()))
                return m_entries[i].value;
        std::optional<T> v = lookup(name);
        if (m_size < N && name.size() <= 64)
            m_entries[m_size++] = {std::string(name), v};
        return v;
    }

private:
    struct Entry {
        std::string name;
        std::optional<T> value;
    };
    std::array<Entry, N> m_entries;
    std::size_t m_size = 0;
};


} // namespace flight::protocol::detail
