# SPDX-License-Identifier: MIT
target_sources(core_tests PRIVATE
  fuzz/fuzz_regressions_test.cpp
)
target_link_libraries(core_tests PRIVATE flight_fuzz_checks)
