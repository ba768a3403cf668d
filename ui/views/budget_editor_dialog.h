// SPDX-License-Identifier: MIT
#pragma once
// Edit a budget in the app: name, platform, total and a size per purpose, then
// save it as a budget file (the same JSON users edit outside the app).

#include "budgets/budget.h"

#include <QDialog>

#include <optional>

class QLineEdit;
class QTableWidget;
class QLabel;
class QPushButton;

namespace flight::ui {

class BudgetEditorDialog : public QDialog {
    Q_OBJECT
public:
    explicit BudgetEditorDialog(const Budget& budget, QWidget* parent = nullptr);
    // The edited budget, or the reason it is not valid ("asset-cache: cannot read size ...").
    Result<Budget> budget() const;

private:
    void validate();

    QLineEdit* m_name = nullptr;
    QLineEdit* m_platform = nullptr;
    QLineEdit* m_total = nullptr;
    QTableWidget* m_purposes = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_ok = nullptr;
};

} // namespace flight::ui
