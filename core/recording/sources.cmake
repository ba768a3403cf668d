# SPDX-License-Identifier: MIT
target_sources(flightcore PRIVATE
  recording/compact_format.h recording/compact_format.cpp
  recording/compact_block_encoder.h recording/compact_block_encoder.cpp
  recording/compact_block_decoder.h recording/compact_block_decoder.cpp
  recording/usage_summary.h recording/usage_summary.cpp
  recording/usage_summary_builder.h recording/usage_summary_builder.cpp
  recording/live_allocation_table.h
  recording/summary_store.h recording/summary_store.cpp
  recording/compact_writer.h recording/compact_writer.cpp
  recording/compact_write_thread.h recording/compact_write_thread.cpp
  recording/positioned_file.h recording/positioned_file.cpp
  recording/compact_index.h recording/compact_index.cpp
  recording/compact_reader.h recording/compact_reader.cpp
  recording/records_around.h recording/records_around.cpp
  recording/convert_recording.h recording/convert_recording.cpp
)
