# SPDX-License-Identifier: MIT
target_sources(flightcore PRIVATE
  reports/report_data.h reports/report_data.cpp
  reports/session_analytics.h reports/session_analytics.cpp
  reports/live_timeline_analytics.h reports/live_timeline_analytics.cpp
  reports/report_format.h reports/report_format.cpp
  reports/chart_scene.h
  reports/chart_axis.h reports/chart_axis.cpp
  reports/used_envelope.h reports/used_envelope.cpp
  reports/timeline_chart.h reports/timeline_chart.cpp
  reports/pressure_chart.h reports/pressure_chart.cpp
  reports/purpose_bars_chart.h reports/purpose_bars_chart.cpp
  reports/budget_chart.h reports/budget_chart.cpp
  reports/svg_chart.h reports/svg_chart.cpp
  reports/verdict_json.h reports/verdict_json.cpp
  reports/report_json.h reports/report_json.cpp
  reports/html_report.h reports/html_report.cpp
  reports/markdown_report.h reports/markdown_report.cpp
  reports/csv_report.h reports/csv_report.cpp
  reports/text_report.h reports/text_report.cpp
  reports/recording_diff.h reports/recording_diff.cpp
  reports/recording_diff_writers.h reports/recording_diff_writers.cpp
)
