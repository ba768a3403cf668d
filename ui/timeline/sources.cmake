# SPDX-License-Identifier: MIT
# The timeline chart: series, painting, readout, zoom and pan, sync.
target_sources(flightui PRIVATE
  timeline/timeline_navigation.h timeline/timeline_navigation.cpp
  timeline/timeline_series_builder.h timeline/timeline_series_builder.cpp
  timeline/timeline_plot_item.h timeline/timeline_plot_item.cpp
  timeline/timeline_readout.h timeline/timeline_readout.cpp
  timeline/timeline_view.h timeline/timeline_view.cpp timeline/timeline_view_input.cpp
  timeline/timeline_sync.h timeline/timeline_sync.cpp
  timeline/plot_area_aligner.h timeline/plot_area_aligner.cpp
  timeline/timeline_inputs.h timeline/timeline_inputs.cpp
  timeline/marker_label_layout.h timeline/marker_label_layout.cpp
)
