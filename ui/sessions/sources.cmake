# SPDX-License-Identifier: MIT
# The sessions page: the session table and the selected session's detail.
target_sources(flightui PRIVATE
  sessions/sessions_page.h sessions/sessions_page.cpp
  sessions/session_table.h sessions/session_table.cpp
  sessions/session_detail.h sessions/session_detail.cpp
  sessions/pending_view.h sessions/pending_view.cpp
  sessions/pressure_gauge.h sessions/pressure_gauge.cpp
  sessions/replay_bar.h sessions/replay_bar.cpp
  sessions/table_column_fitter.h sessions/table_column_fitter.cpp
)
