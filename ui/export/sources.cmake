# SPDX-License-Identifier: MIT
# Reports (PDF, HTML, ...) and chart images written to files.
target_sources(flightui PRIVATE
  export/report_painter.h export/report_painter.cpp
  export/pdf_page_layout.h export/pdf_page_layout.cpp
  export/pdf_report_writer.h export/pdf_report_writer.cpp
  export/report_export.h export/report_export.cpp
  export/export_report_dialog.h export/export_report_dialog.cpp
  export/chart_image_export.h export/chart_image_export.cpp
)
