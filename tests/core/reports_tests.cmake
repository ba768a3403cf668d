# SPDX-License-Identifier: MIT
target_sources(core_tests PRIVATE
  reports/report_test_session.h
  reports/report_data_test.cpp
  reports/report_figures_pinned_test.cpp
  reports/csv_report_test.cpp
  reports/text_report_test.cpp
  reports/svg_chart_test.cpp
  reports/report_writers_test.cpp
  reports/recording_diff_test.cpp
  reports/live_timeline_analytics_test.cpp
)
