# SPDX-License-Identifier: MIT
target_sources(flightcore PRIVATE
  budgets/budget.h budgets/budget.cpp
  budgets/budget_verdict.h budgets/budget_verdict.cpp
)
