# SPDX-License-Identifier: MIT
# Item models behind the tables (Qt's model/view).
target_sources(flightui PRIVATE
  models/column_table_model.h models/column_table_model.cpp
  models/session_list_model.h models/session_list_model.cpp
  models/ranked_allocation_model.h models/ranked_allocation_model.cpp
  models/event_list_model.h models/event_list_model.cpp
  models/records_around_model.h models/records_around_model.cpp
  models/allocation_table_model.h models/allocation_table_model.cpp
  models/budget_matrix_model.h models/budget_matrix_model.cpp
  models/fleet_table_model.h models/fleet_table_model.cpp
)
