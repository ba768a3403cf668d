# SPDX-License-Identifier: MIT
# The main window, its welcome page, menus' dialogs and the dock layout.
target_sources(flightui PRIVATE
  window/main_window.h window/main_window.cpp
  window/welcome_page.h window/welcome_page.cpp
  window/about_dialog.h window/about_dialog.cpp
  window/recent_files.h window/recent_files.cpp
  window/preferences_dialog.h window/preferences_dialog.cpp
  window/window_layout.h window/window_layout.cpp
  window/shortcuts_dialog.h window/shortcuts_dialog.cpp
)
