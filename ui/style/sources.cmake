# SPDX-License-Identifier: MIT
# Palette, theme colours, icons, display settings and size text.
target_sources(flightui PRIVATE
  style/app_style.h style/app_style.cpp
  style/theme_colors.h style/theme_colors.cpp
  style/palette_icon.h style/palette_icon.cpp
  style/display_settings.h style/display_settings.cpp
  style/size_format.h style/size_format.cpp
  style/focus_ring.h style/focus_ring.cpp
)
