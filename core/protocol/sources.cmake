# SPDX-License-Identifier: MIT
target_sources(flightcore PRIVATE
  protocol/message.h protocol/message_time.h protocol/message_time.cpp
  protocol/time_unit.h protocol/time_unit.cpp
  protocol/message_decoder.h protocol/message_decoder.cpp protocol/message_decoder_impl.h
  protocol/decoder_bag.h protocol/decoder_keys.h protocol/decoder_keys.cpp protocol/decoder_scan.h
  protocol/decoder_line_templates.cpp protocol/decoder_fast_path.cpp protocol/decoder_generic_path.cpp protocol/decoder_interpret.cpp
  protocol/message_encoder.h protocol/message_encoder.cpp
  protocol/message_gate.h
  protocol/seq_tracker.h protocol/seq_tracker.cpp
  protocol/printable_text.h protocol/printable_text.cpp
  protocol/string_caps.h protocol/string_caps.cpp
  protocol/session_store.h protocol/session_store_impl.h protocol/session_store.cpp
  protocol/session_store_common_run.cpp protocol/decoded_common.h protocol/decoded_texts.h protocol/decoded_texts.cpp
  protocol/load_recording.cpp
  protocol/recording_content.h protocol/recording_content.cpp
  protocol/recording_reader.h protocol/recording_reader.cpp protocol/newline_scanner.h
  protocol/zstd_resync.h protocol/zstd_resync.cpp
  protocol/recording_writer.h protocol/recording_writer.cpp
  protocol/json_writer.h
  protocol/summary_json.h protocol/summary_json.cpp
  protocol/window_export.h protocol/window_export.cpp
)
