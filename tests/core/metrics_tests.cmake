# SPDX-License-Identifier: MIT
# The agent's /metrics (core/live/metrics/, flight-agent serve --metrics-listen)
# and a real Prometheus scraping three agents (docs/fleet.md). Its own
# executable: built and run without the rest of core_tests.
add_executable(metrics_tests
  live/metrics_exposition_test.cpp
  live/metrics_collector_test.cpp
  live/metrics_listener_test.cpp
  live/prometheus_scrape_test.cpp
)
target_link_libraries(metrics_tests PRIVATE Flight::Core flight_test_live flight_test_prometheus GTest::gtest GTest::gtest_main)
target_compile_definitions(metrics_tests PRIVATE
  FLIGHT_TEST_DATA="${FLIGHT_TEST_DATA}"
  FLIGHT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  FLIGHT_AGENT_SERVE_PATH="$<TARGET_FILE:flight-agent>")
add_dependencies(metrics_tests flight-agent)
flight_assert_no_gui(metrics_tests)
gtest_discover_tests(metrics_tests DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 120 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
