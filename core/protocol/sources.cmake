target_sources(flightcore PRIVATE
  protocol/message.h
  protocol/message_decoder.h protocol/message_decoder.cpp
  protocol/message_encoder.h protocol/message_encoder.cpp
  protocol/session_store.h protocol/session_store.cpp
  protocol/recording_reader.h protocol/recording_reader.cpp
  protocol/recording_writer.h protocol/recording_writer.cpp
  protocol/summary_json.h protocol/summary_json.cpp
  protocol/window_export.h protocol/window_export.cpp
)
