# SPDX-License-Identifier: MIT
target_sources(flightcore PRIVATE
  analytics/usage_pyramid.h analytics/usage_pyramid.cpp
  analytics/pressure_durations.h analytics/pressure_durations.cpp
  analytics/pressure_changes.h analytics/pressure_changes.cpp
  analytics/session_events.h analytics/session_events.cpp
  analytics/session_statistics.h analytics/session_statistics.cpp
  analytics/leak_candidates.h
  analytics/allocation_query.h analytics/allocation_query.cpp
)
