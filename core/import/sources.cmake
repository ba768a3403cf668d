# SPDX-License-Identifier: MIT
target_sources(flightcore PRIVATE
  import/purpose_rules.h import/purpose_rules.cpp
  import/import_line_source.h import/import_line_source.cpp
  import/heaptrack_import.h import/heaptrack_import.cpp
  import/massif_import.h import/massif_import.cpp
  import/native_recording.h import/native_recording.cpp
  import/line_error.h import/line_error.cpp)
