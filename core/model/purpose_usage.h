// SPDX-License-Identifier: MIT
#pragma once
// Bytes per purpose as a value type (like heaptrack's AllocationData): usages
// add, subtract and diff without special cases. Signed, so a diff can be negative.
// The eight standard purposes live inline (no heap); custom ones spill to a vector.

#include "memory_purpose.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace flight {

class PurposeUsage {
public:
    std::int64_t operator[](MemoryPurpose p) const
    {
        if (!p.isCustom())
            return m_standard[p.id()];
        const std::size_t i = p.id() - kStandardPurposeCount;
        return i < m_custom.size() ? m_custom[i] : 0;
    }
    std::int64_t& at(MemoryPurpose p)
    {
        if (!p.isCustom())
            return m_standard[p.id()];
        const std::size_t i = p.id() - kStandardPurposeCount;
        if (i >= m_custom.size())
            m_custom.resize(i + 1, 0);
        return m_custom[i];
    }
    void add(MemoryPurpose p, std::int64_t bytes) { at(p) += bytes; }

    std::int64_t total() const
    {
        std::int64_t sum = 0;
        for (auto v : m_standard)
            sum += v;
        for (auto v : m_custom)
            sum += v;
        return sum;
    }
    // Ids 0 .. size()-1 may be non-zero.
    std::size_t size() const { return kStandardPurposeCount + m_custom.size(); }

    PurposeUsage& operator+=(const PurposeUsage& o)
    {
        for (std::size_t i = 0; i < o.size(); ++i)
            at(MemoryPurpose::fromId(static_cast<std::uint16_t>(i))) += o[MemoryPurpose::fromId(static_cast<std::uint16_t>(i))];
        return *this;
    }
    PurposeUsage& operator-=(const PurposeUsage& o)
    {
        for (std::size_t i = 0; i < o.size(); ++i)
            at(MemoryPurpose::fromId(static_cast<std::uint16_t>(i))) -= o[MemoryPurpose::fromId(static_cast<std::uint16_t>(i))];
        return *this;
    }
    friend PurposeUsage operator+(PurposeUsage a, const PurposeUsage& b) { return a += b; }
    friend PurposeUsage operator-(PurposeUsage a, const PurposeUsage& b) { return a -= b; }
    friend bool operator==(const PurposeUsage& a, const PurposeUsage& b)
    {
        const std::size_t n = std::max(a.size(), b.size());
        for (std::size_t i = 0; i < n; ++i) {
            const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
            if (a[p] != b[p])
                return false;
        }
        return true;
    }

private:
    std::array<std::int64_t, kStandardPurposeCount> m_standard{};
    std::vector<std::int64_t> m_custom;
};

} // namespace flight
