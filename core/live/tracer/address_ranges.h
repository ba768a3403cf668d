// SPDX-License-Identifier: MIT
#pragma once
// A set of disjoint address ranges [start, end), merged where they touch:
// the address space a traced process has reserved (anonymous PROT_NONE
// mappings) and not yet made accessible.

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace flight::live {

class AddressRanges {
public:
    void add(std::uint64_t start, std::uint64_t end);
    void remove(std::uint64_t start, std::uint64_t end);
    // The parts of [start, end) in the set, in address order.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> overlap(std::uint64_t start, std::uint64_t end) const;
    std::uint64_t bytes() const;
    void clear() { m_ranges.clear(); }

private:
    std::map<std::uint64_t, std::uint64_t> m_ranges; // start -> end
};

} // namespace flight::live
