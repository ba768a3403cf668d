# SPDX-License-Identifier: MIT
# Live sessions over WebSocket: the client side (protocol.md section 1).
target_sources(flightcore PRIVATE
  live/connection_state.h live/connection_state.cpp
  live/backoff_policy.h live/backoff_policy.cpp
  live/redact_url.h live/redact_url.cpp
  live/token_file.h live/token_file.cpp
  live/live_connection.h live/live_connection.cpp
  live/producer_instance.h live/producer_instance.cpp
  live/live_snapshot.h
  live/snapshot_mailbox.h live/snapshot_mailbox.cpp
  live/live_session_options.h
  live/store_mirror.h live/store_mirror.cpp
  live/wakeup_pacer.h live/wakeup_pacer.cpp
  live/live_worker.h live/live_worker.cpp
  live/live_session.h live/live_session.cpp
)
