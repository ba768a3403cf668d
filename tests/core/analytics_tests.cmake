# SPDX-License-Identifier: MIT
target_sources(core_tests PRIVATE
  analytics/usage_pyramid_test.cpp
  analytics/pressure_durations_test.cpp
  analytics/session_events_test.cpp
  analytics/session_statistics_test.cpp
  analytics/allocation_query_test.cpp
  analytics/pressure_changes_test.cpp
  analytics/leak_candidates_test.cpp
)
