# SPDX-License-Identifier: MIT
# Live sessions over WebSocket, client side: real sockets on 127.0.0.1.
target_sources(core_tests PRIVATE
  live/live_connection_test.cpp
  live/live_session_test.cpp
  live/live_agent_link_test.cpp
  live/live_worker_decode_test.cpp
  live/store_mirror_test.cpp
  live/wakeup_pacer_test.cpp
  live/malformed_frames_recording_test.cpp
)
target_link_libraries(core_tests PRIVATE flight_test_live)
