// SPDX-License-Identifier: MIT
#pragma once
// A session's usage against every budget side by side: one column per budget
// (Dreamcast 16 MB ... V6R Large 2 GB, then the user's), one row for the total
// and one per purpose. Each cell says used / budget and fits or over, with the
// headroom; column headers carry the verdict.

#include "budgets/budget.h"
#include "budgets/budget_verdict.h"

#include <QAbstractTableModel>

#include <vector>

namespace flight::ui {

class BudgetMatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int FitsRole = Qt::UserRole + 1;     // bool, or invalid for "no budget"
    static constexpr int HeadroomRole = Qt::UserRole + 2; // qint64 bytes

    explicit BudgetMatrixModel(QObject* parent = nullptr);

    void setBudgets(std::vector<Budget> budgets);
    const std::vector<Budget>& budgets() const { return m_budgets; }
    // Recomputes the verdicts for `session` at `at` (over [from, to] when given).
    void setSession(const SessionModel* session, UsagePoint at, std::optional<std::pair<std::int64_t, std::int64_t>> range = {});
    const std::vector<BudgetVerdict>& verdicts() const { return m_verdicts; }
    // Every overage, one budget a line: "Would not fit:\nPSP (asset-cache 20.3MB over)\nDreamcast (total
    // 25.0MB over, ...)"; empty when everything fits.
    QString summary() const;
    // The same in one line: "Would not fit on 6 of 7 budgets; fits only V6R Large; worst: Dreamcast, total
    // 988.8MB over; nearest miss: V6R Medium, vm-heap 222.4MB over"; empty when everything fits.
    QString headline() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void recompute();

    std::vector<Budget> m_budgets;
    const SessionModel* m_session = nullptr;
    UsagePoint m_at = UsagePoint::Peak;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_range;
    SessionUsage m_usage;
    std::vector<MemoryPurpose> m_rows;   // purposes, after the total row
    std::vector<BudgetVerdict> m_verdicts;
};

} // namespace flight::ui
