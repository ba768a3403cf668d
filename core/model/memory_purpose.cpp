// SPDX-License-Identifier: MIT
#include "memory_purpose.h"

#include "custom_purpose_limit.h"

#include <array>
#include <cctype>
#include <deque>
#include <mutex>
#include <shared_mutex>

namespace flight {
namespace {

constexpr std::array<std::string_view, kStandardPurposeCount> kNames = {
    "vm-heap",         "component-stack", "asset-cache",     "jit-code-cache",
    "system-reserved", "wasm-linear",     "network-buffers", "temporary",
};
constexpr std::array<std::string_view, kStandardPurposeCount> kDisplay = {
    "VM heap",         "Component stack", "Asset cache",     "JIT code cache",
    "System reserved", "Wasm linear",     "Network buffers", "Temporary",
};

// Custom names are few (a producer's own categories; at most kMaxCustomPurposes),
// so a locked deque is plenty; deque keeps string_views stable as it grows.
struct CustomRegistry {
    std::shared_mutex mutex;
    std::deque<std::string> names;
};
CustomRegistry& registry()
{
    static CustomRegistry r;
    return r;
}

// Letters and digits only, lower-cased: "VmHeap", "vm_heap", "VM-HEAP" all give "vmheap".
bool sameIgnoringSeparators(std::string_view text, std::string_view kebab)
{
    std::size_t i = 0;
    std::size_t k = 0;
    while (true) {
        while (i < text.size() && (text[i] == '-' || text[i] == '_' || text[i] == ' '))
            ++i;
        while (k < kebab.size() && kebab[k] == '-')
            ++k;
        if (i == text.size() || k == kebab.size())
            return i == text.size() && k == kebab.size();
        if (std::tolower(static_cast<unsigned char>(text[i])) != kebab[k])
            return false;
        ++i;
        ++k;
    }
}

} // namespace

std::optional<MemoryPurpose> MemoryPurpose::fromStandardName(std::string_view text)
{
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (sameIgnoringSeparators(text, kNames[i]))
            return MemoryPurpose(static_cast<StandardPurpose>(i));
    return std::nullopt;
}

MemoryPurpose MemoryPurpose::fromName(std::string_view text)
{
    if (auto standard = fromStandardName(text))
        return *standard;
    auto& r = registry();
    {
        std::shared_lock lock(r.mutex);
        for (std::size_t i = 0; i < r.names.size(); ++i)
            if (r.names[i] == text)
                return fromId(static_cast<std::uint16_t>(kStandardPurposeCount + i));
    }
    std::unique_lock lock(r.mutex);
    for (std::size_t i = 0; i < r.names.size(); ++i)
        if (r.names[i] == text)
            return fromId(static_cast<std::uint16_t>(kStandardPurposeCount + i));
    if (r.names.size() + 1 >= kMaxCustomPurposes) { // the last slot is the overflow purpose
        if (r.names.size() + 1 == kMaxCustomPurposes)
            r.names.emplace_back(kOverflowPurposeName);
        return fromId(static_cast<std::uint16_t>(kStandardPurposeCount + kMaxCustomPurposes - 1));
    }
    r.names.emplace_back(text);
    return fromId(static_cast<std::uint16_t>(kStandardPurposeCount + r.names.size() - 1));
}

std::optional<MemoryPurpose> MemoryPurpose::fromIndex(std::int64_t index)
{
    if (index < 0 || index >= kStandardPurposeCount)
        return std::nullopt;
    return MemoryPurpose(static_cast<StandardPurpose>(index));
}

std::string_view MemoryPurpose::name() const
{
    if (!isCustom())
        return kNames[m_id];
    auto& r = registry();
    std::shared_lock lock(r.mutex);
    const std::size_t i = m_id - kStandardPurposeCount;
    return i < r.names.size() ? std::string_view(r.names[i]) : std::string_view("unknown");
}

std::string MemoryPurpose::displayName() const
{
    if (!isCustom())
        return std::string(kDisplay[m_id]);
    return std::string(name());
}

std::size_t MemoryPurpose::count()
{
    auto& r = registry();
    std::shared_lock lock(r.mutex);
    return kStandardPurposeCount + r.names.size();
}

std::vector<MemoryPurpose> MemoryPurpose::all()
{
    std::vector<MemoryPurpose> out;
    const std::size_t n = count();
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(fromId(static_cast<std::uint16_t>(i)));
    return out;
}

} // namespace flight
