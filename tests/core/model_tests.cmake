# SPDX-License-Identifier: MIT
target_sources(core_tests PRIVATE
  model/id_hash_test.cpp
  model/grow_array_test.cpp
  model/memory_size_test.cpp
  model/time_text_test.cpp
  model/memory_enums_test.cpp
  model/platform_profile_test.cpp
  model/purpose_usage_test.cpp
  model/session_model_test.cpp
  model/session_trends_test.cpp
  model/session_timeline_test.cpp
  model/session_retention_test.cpp
  model/live_id_index_test.cpp
  model/checked_totals_test.cpp
)
