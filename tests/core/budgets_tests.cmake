# SPDX-License-Identifier: MIT
target_sources(core_tests PRIVATE
  budgets/budget_test.cpp
)
