# SPDX-License-Identifier: MIT
target_sources(core_tests PRIVATE
  generator/generator_test_support.h
  generator/workload_generator_test.cpp
  generator/sample_recordings_test.cpp
  generator/flight_agent_test.cpp
)
# flight_agent_test.cpp runs the real binary.
target_compile_definitions(core_tests PRIVATE FLIGHT_AGENT_PATH="$<TARGET_FILE:flight-agent>")
add_dependencies(core_tests flight-agent)
