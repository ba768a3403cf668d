// SPDX-License-Identifier: MIT
// Fuzzes the budget file parser (parseBudgets: one budget or {"budgets":[...]},
// sizes in every MemorySize form; docs/budgets.md).
//
// Oracle: every budget it accepts survives budgetToJson (what the in-app editor
// saves) and parses back to the same name, platform, total and purposes.

#include "fuzz_checks.h"

#include "budgets/budget.h"

#include <cstdint>
#include <string>
#include <string_view>

using namespace flight;

std::string flight::fuzz::checkBudgetParser(std::string_view json)
{
    const auto parsed = parseBudgets(json, "fuzz");
    if (!parsed) {
        if (parsed.error().message.empty())
            return "budget error without a message";
        return {};
    }
    for (const Budget& budget : *parsed) {
        const std::string saved = budgetToJson(budget);
        const auto again = parseBudgets(saved, "fuzz:saved");
        if (!again || again->size() != 1)
            return "saved budget does not parse back (" + (again ? std::string("not one budget") : again.error().message)
                + "):\n" + saved;
        const Budget& b = again->front();
        bool same = b.name == budget.name && b.platform == budget.platform && b.totalBytes == budget.totalBytes
            && b.purposes.size() == budget.purposes.size();
        for (std::size_t i = 0; same && i < b.purposes.size(); ++i)
            same = b.purposes[i].purpose == budget.purposes[i].purpose && b.purposes[i].bytes == budget.purposes[i].bytes;
        if (!same)
            return "saved budget reads back different:\n" + saved;
    }
    return {};
}
