# SPDX-License-Identifier: MIT
target_sources(flightcore PRIVATE
  model/memory_error.h model/memory_error.cpp
  model/memory_size.h model/memory_size.cpp
  model/time_text.h model/time_text.cpp
  model/memory_purpose.h model/memory_purpose.cpp model/custom_purpose_limit.h
  model/purpose_usage.h model/checked_bytes.h
  model/memory_pressure.h model/memory_pressure.cpp
  model/enum_names.h
  model/memory_records.h
  model/platform_profile.h model/platform_profile.cpp
  model/session_model.h model/session_model_impl.h model/session_model.cpp model/session_model_queries.cpp
  model/memory_operations.h model/memory_operations.cpp
  model/memory_analytics.h model/memory_analytics.cpp
  model/allocation_record.h
  model/id_hash.h model/same_bytes.h
  model/flat_id_table.h model/live_id_index.h
  model/usage_timeline.h model/usage_timeline.cpp
  model/retention_policy.h model/retention_policy.cpp
  # Bounded memory: the policy (what is kept) above, how it is applied in compaction/.
  model/compaction/compact_history.cpp
  model/compaction/compaction_steps.h model/compaction/compaction_steps.cpp
  model/compaction/timeline_compaction.cpp
)
