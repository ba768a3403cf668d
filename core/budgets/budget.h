// SPDX-License-Identifier: MIT
#pragma once
// A memory budget: a total and per-purpose limits for one platform, as read
// from a budget file (docs/budgets.md). The defaults ship in resources/budgets/
// (embedded); users add their own files.
//
// File format (JSON), one budget or {"budgets":[...]}:
//   {"name": "PSP title", "platform": "psp", "total": "64MB",
//    "purposes": {"asset-cache": "24MB", "wasm-linear": 16777216}}
// Sizes take every form MemorySize::parse reads, or a whole number of bytes.
// "total" is optional: the platform profile's total is used when absent.

#include "model/memory_error.h"
#include "model/memory_purpose.h"
#include "model/platform_profile.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight {

struct PurposeBudget {
    MemoryPurpose purpose;
    std::uint64_t bytes = 0;
};

struct Budget {
    std::string name;
    std::string platform;          // a profile id, or any name when total is given
    std::uint64_t totalBytes = 0;  // resolved: the file's total or the profile's
    std::vector<PurposeBudget> purposes;
    std::string source;            // where it came from: "builtin:psp.json" or a path

    std::optional<std::uint64_t> budgetFor(MemoryPurpose p) const;
};

// Parses a budget document; errors (malformed-input) name the source, the
// field and why. `catalog` resolves platforms when "total" is absent.
Result<std::vector<Budget>> parseBudgets(std::string_view json, std::string_view source,
                                         const PlatformCatalog& catalog = PlatformCatalog::builtin());
Result<std::vector<Budget>> loadBudgetFile(const std::string& path,
                                           const PlatformCatalog& catalog = PlatformCatalog::builtin());
// Writes the canonical form of one budget (for the in-app editor).
std::string budgetToJson(const Budget& budget);

// The shipped default budgets, one per platform profile with a fixed total:
// every profile but "custom", whose total is each session's own (a budget
// for it needs a "total", so none can ship).
const std::vector<Budget>& builtinBudgets();

// The error when no budget applies to `platform` (none shipped, none given):
// says why and what to give, e.g. for "custom" that it has no fixed total.
std::string noBudgetMessage(std::string_view platform);

} // namespace flight
