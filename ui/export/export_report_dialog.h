// SPDX-License-Identifier: MIT
#pragma once
// File › Export Report…: the command line's `report` options in a dialog —
// format, platform, usage point, the selected range — and where to write it.
// It starts in the folder of the last export (QSettings "export/lastFolder").

#include "reports/report_data.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace flight::ui {

class ExportReportDialog : public QDialog {
    Q_OBJECT
public:
    // `range`: the timeline's selection in seconds from the session start, if any.
    explicit ExportReportDialog(std::optional<std::pair<double, double>> range, QWidget* parent = nullptr);

    QString format() const;
    QString path() const;
    reports::ReportOptions options() const;

private:
    void chooseFile();
    void syncSuffix();

    QComboBox* m_format = nullptr;
    QComboBox* m_platform = nullptr;
    QComboBox* m_at = nullptr;
    QCheckBox* m_useRange = nullptr;
    QLineEdit* m_path = nullptr;
    std::optional<std::pair<double, double>> m_range;
};

} // namespace flight::ui
