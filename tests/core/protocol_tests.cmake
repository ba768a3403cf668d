# SPDX-License-Identifier: MIT
target_sources(core_tests PRIVATE
  protocol/message_decoder_test.cpp
  protocol/decoder_fast_path_test.cpp
  protocol/dialect_keys_test.cpp
  protocol/message_encoder_test.cpp
  protocol/recording_test.cpp
  protocol/newline_scanner_test.cpp
  protocol/session_store_test.cpp
  protocol/conformance_test.cpp
  protocol/summary_json_test.cpp
  protocol/docs_examples_test.cpp
  protocol/window_export_test.cpp
  protocol/time_range_test.cpp
  protocol/zstd_resync_test.cpp
  protocol/peer_strings_test.cpp
)
