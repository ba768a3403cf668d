// SPDX-License-Identifier: MIT
#pragma once
// Platform budgets: the selected session's usage (at its end, peak or 95th
// percentile, over the selected range when there is one) against every budget
// side by side, with the verdict in one line. Budgets come from the shipped
// files and from user files (remembered between runs); any can be edited and
// saved as a new file.

#include "budgets/budget_verdict.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QTableView;

namespace flight::ui {

class BudgetMatrixModel;

class BudgetsPage : public QWidget {
    Q_OBJECT
public:
    explicit BudgetsPage(QWidget* parent = nullptr);

    void setSession(const SessionModel* session);
    void setSelectedRange(std::optional<std::pair<std::int64_t, std::int64_t>> range);
    // Loads a budget file off the UI thread and adds its budgets; remembered when `remember`.
    void addBudgetFile(const QString& path, bool remember = true);
    BudgetMatrixModel* model() const { return m_model; }
    QLabel* verdictLabel() const { return m_verdict; }
    QLabel* errorLabel() const { return m_error; } // why the last budget file did not load; hidden after one loads

Q_SIGNALS:
    void budgetFileFailed(const QString& message);
    void budgetFileLoaded(const QString& path);

private:
    void refresh();
    void fitColumnsToLines();
    void chooseBudgetFile();
    void editSelected();

    const SessionModel* m_session = nullptr;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_range;
    BudgetMatrixModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QComboBox* m_at = nullptr;
    QLabel* m_verdict = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace flight::ui
