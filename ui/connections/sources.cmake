# SPDX-License-Identifier: MIT
# Live sessions: connecting, the agent token, refreshing their views.
target_sources(flightui PRIVATE
  connections/live_connections.h connections/live_connections.cpp
  connections/live_refresh_interval.h
  connections/live_memory_actions.h connections/live_memory_actions.cpp
  connections/connect_dialog.h connections/connect_dialog.cpp
  connections/token_keychain.h connections/token_keychain.cpp
)
