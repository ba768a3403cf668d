// SPDX-License-Identifier: MIT
#pragma once
// A budget verdict's JSON fields, written once for `report --format json` and
// `check --format json`: docs/report-schema.json's "verdict" (a purpose the
// budget does not limit has null budgetBytes and headroomBytes).

#include "budgets/budget.h"
#include "budgets/budget_verdict.h"
#include "protocol/json_writer.h"

namespace flight::reports {

// Writes the fields into the object the caller has begun.
void writeVerdictFields(protocol::JsonWriter& j, const Budget& budget, const BudgetVerdict& verdict);

} // namespace flight::reports
