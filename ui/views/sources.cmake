# SPDX-License-Identifier: MIT
# The detail's tabs: statistics, events, allocations, budgets, compare, report.
target_sources(flightui PRIVATE
  views/statistics_page.h views/statistics_page.cpp
  views/events_page.h views/events_page.cpp
  views/records_around_page.h views/records_around_page.cpp
  views/allocations_page.h views/allocations_page.cpp
  views/budget_editor_dialog.h views/budget_editor_dialog.cpp
  views/budgets_page.h views/budgets_page.cpp
  views/compare_page.h views/compare_page.cpp
  views/report_view.h views/report_view.cpp
  views/sparkline_delegate.h views/sparkline_delegate.cpp
  views/row_table.h views/row_table.cpp
  views/fleet_page.h views/fleet_page.cpp
)
