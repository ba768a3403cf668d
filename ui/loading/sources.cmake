# SPDX-License-Identifier: MIT
# Reading recordings off the UI thread into what the views show.
target_sources(flightui PRIVATE
  loading/loaded_recording.h
  loading/recording_loader.h loading/recording_loader.cpp
  loading/fleet_loader.h loading/fleet_loader.cpp
  loading/record_seeker.h loading/record_seeker.cpp
)
