# SPDX-License-Identifier: MIT
# Tests of the agent's server side of live sessions (core/live AgentServer, sources, flight-agent serve).
target_sources(core_tests PRIVATE
  live/live_server_test_support.h
  live/agent_server_test.cpp
  live/agent_many_sessions_test.cpp
  live/bearer_token_test.cpp
  live/handshake_gate_test.cpp
  live/replay_source_test.cpp
  live/demo_source_test.cpp
  live/process_source_test.cpp
  live/cgroup_source_test.cpp
  live/agent_serve_binary_test.cpp
)
# A child process for process_source_test: allocates and touches 64 MiB on "go".
add_executable(live_memory_hog live/memory_hog.cpp)
target_compile_definitions(core_tests PRIVATE
  FLIGHT_MEMORY_HOG_PATH="$<TARGET_FILE:live_memory_hog>"
  FLIGHT_AGENT_SERVE_PATH="$<TARGET_FILE:flight-agent>")
add_dependencies(core_tests flight-agent live_memory_hog)
# The v8 source against real node processes (Debian's nodejs, a build-dependency).
find_program(FLIGHT_NODE_EXECUTABLE NAMES node nodejs REQUIRED)
target_sources(core_tests PRIVATE
  live/v8_node_target.h
  live/v8_source_test.cpp
  live/v8_allocations_test.cpp
  live/v8_chromium_test.cpp
  live/v8_serve_binary_test.cpp
  live/v8_run_binary_test.cpp
)
target_compile_definitions(core_tests PRIVATE FLIGHT_NODE_PATH="${FLIGHT_NODE_EXECUTABLE}")
# Pages on one DevTools port (Debian's chromium, headless, a build-dependency).
find_program(FLIGHT_CHROMIUM_EXECUTABLE NAMES chromium REQUIRED)
target_compile_definitions(core_tests PRIVATE FLIGHT_CHROMIUM_PATH="${FLIGHT_CHROMIUM_EXECUTABLE}")
