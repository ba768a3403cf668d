# SPDX-License-Identifier: MIT
target_sources(core_tests PRIVATE
  recording/compact_round_trip_test.cpp
  recording/compact_load_test.cpp
  recording/compact_lean_test.cpp
  recording/compact_check_test.cpp
  recording/compact_damage_test.cpp
  recording/compact_index_test.cpp
  recording/records_around_test.cpp
  recording/compact_summary_test.cpp
  recording/live_allocation_table_test.cpp
)
