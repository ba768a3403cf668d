# SPDX-License-Identifier: MIT
target_sources(flightcore PRIVATE
  generator/xoshiro256.h
  generator/workload_profile.h generator/workload_profile.cpp
  generator/workload_generator.h generator/workload_generator.cpp
  generator/workload_recording.h generator/workload_recording.cpp
)
