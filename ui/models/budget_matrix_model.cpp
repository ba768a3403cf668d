// SPDX-License-Identifier: MIT
#include "budget_matrix_model.h"

#include "style/app_style.h"

#include "style/display_settings.h"
#include "style/size_format.h"

#include <QColor>

#include <algorithm>

namespace flight::ui {
namespace {
QString bytes(std::uint64_t b)
{
    return formatSize(b);
}
QString signedBytes(std::int64_t b)
{
    return formatSignedSize(b);
}
} // namespace

BudgetMatrixModel::BudgetMatrixModel(QObject* parent)
    : QAbstractTableModel(parent)
{
    refreshOnDisplayChange(this);
}

void BudgetMatrixModel::setBudgets(std::vector<Budget> budgets)
{
    beginResetModel();
    m_budgets = std::move(budgets);
    recompute();
    endResetModel();
}

void BudgetMatrixModel::setSession(const SessionModel* session, UsagePoint at,
                                   std::optional<std::pair<std::int64_t, std::int64_t>> range)
{
    beginResetModel();
    m_session = session;
    m_at = at;
    m_range = range;
    recompute();
    endResetModel();
}

void BudgetMatrixModel::recompute()
{
    m_verdicts.clear();
    m_rows.clear();
    if (!m_session)
        return;
    m_usage = m_range ? sessionUsage(*m_session, m_at, m_range->first, m_range->second) : sessionUsage(*m_session, m_at);
    // Verdicts point at m_budgets; they are rebuilt whenever it changes.
    for (const Budget& b : m_budgets)
        m_verdicts.push_back(evaluateBudget(m_usage, b));
    // Rows: every purpose that is used or budgeted anywhere, in id order.
    std::vector<bool> seen(MemoryPurpose::count(), false);
    for (const auto& v : m_verdicts)
        for (const auto& pv : v.purposes)
            if (pv.purpose.id() < seen.size())
                seen[pv.purpose.id()] = true;
    for (std::size_t i = 0; i < seen.size(); ++i)
        if (seen[i])
            m_rows.push_back(MemoryPurpose::fromId(static_cast<std::uint16_t>(i)));
}

namespace {
using Overage = std::pair<QString, std::uint64_t>; // what is over ("total" or a purpose) and by how much

// A budget's overages: the total first, then every purpose over its budget in id order.
std::vector<Overage> overages(const BudgetVerdict& v)
{
    std::vector<Overage> out;
    if (!v.totalFits)
        out.emplace_back(BudgetMatrixModel::tr("total"), static_cast<std::uint64_t>(-v.headroomBytes));
    for (const auto& pv : v.purposes)
        if (!pv.fits)
            out.emplace_back(QString::fromStdString(std::string(pv.purpose.name())), static_cast<std::uint64_t>(-pv.headroomBytes));
    return out;
}

Overage largest(const BudgetVerdict& v)
{
    const auto all = overages(v);
    if (all.empty())
        return {};
    return *std::max_element(all.begin(), all.end(), [](const Overage& a, const Overage& b) { return a.second < b.second; });
}

QString overageText(const Overage& o)
{
    return BudgetMatrixModel::tr("%1 %2 over").arg(o.first, bytes(o.second));
}
} // namespace

QString BudgetMatrixModel::summary() const
{
    QStringList over;
    for (const auto& v : m_verdicts) {
        if (v.fits)
            continue;
        QStringList why;
        for (const Overage& o : overages(v))
            why << overageText(o);
        over << QStringLiteral("%1 (%2)").arg(QString::fromStdString(v.budget->name), why.join(QStringLiteral(", ")));
    }
    return over.isEmpty() ? QString() : tr("Would not fit:\n%1").arg(over.join(QLatin1Char('\n')));
}

QString BudgetMatrixModel::headline() const
{
    // The budget over by the most (its largest overage) and the nearest miss (smallest largest overage).
    const BudgetVerdict* worst = nullptr;
    const BudgetVerdict* nearest = nullptr;
    std::uint64_t worstBytes = 0;
    std::uint64_t nearestBytes = 0;
    QStringList fitting;
    int overCount = 0;
    for (const auto& v : m_verdicts) {
        if (v.fits) {
            fitting << QString::fromStdString(v.budget->name);
            continue;
        }
        ++overCount;
        const std::uint64_t most = largest(v).second;
        if (!worst || most > worstBytes) {
            worst = &v;
            worstBytes = most;
        }
        if (!nearest || most < nearestBytes) {
            nearest = &v;
            nearestBytes = most;
        }
    }
    if (!worst)
        return {};
    const auto name = [](const BudgetVerdict* v) { return QString::fromStdString(v->budget->name); };
    if (overCount == 1) {
        QString text = tr("Would not fit on %1: %2").arg(name(worst), overageText(largest(*worst)));
        if (const auto count = overages(*worst).size(); count > 1)
            text += tr(" and %n more over", nullptr, static_cast<int>(count - 1));
        return text;
    }
    QString text = fitting.isEmpty() ? tr("Would not fit on any of the %1 budgets").arg(m_verdicts.size())
                                     : tr("Would not fit on %1 of %2 budgets").arg(overCount).arg(m_verdicts.size());
    if (fitting.size() == 1)
        text += tr("; fits only %1").arg(fitting.front());
    else if (fitting.size() == 2)
        text += tr("; fits %1 and %2").arg(fitting[0], fitting[1]);
    text += tr("; worst: %1, %2").arg(name(worst), overageText(largest(*worst)));
    text += tr("; nearest miss: %1, %2").arg(name(nearest), overageText(largest(*nearest)));
    return text;
}

int BudgetMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_session ? 0 : 1 + static_cast<int>(m_rows.size());
}

int BudgetMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_budgets.size());
}

QVariant BudgetMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || static_cast<std::size_t>(index.column()) >= m_verdicts.size())
        return {};
    const BudgetVerdict& v = m_verdicts[static_cast<std::size_t>(index.column())];
    std::uint64_t used = 0;
    std::optional<std::uint64_t> budget;
    std::int64_t headroom = 0;
    bool fits = true;
    if (index.row() == 0) {
        used = v.usedBytes;
        budget = v.budget->totalBytes;
        headroom = v.headroomBytes;
        fits = v.totalFits;
    } else {
        const MemoryPurpose p = m_rows[static_cast<std::size_t>(index.row() - 1)];
        for (const auto& pv : v.purposes)
            if (pv.purpose == p) {
                used = pv.usedBytes;
                budget = pv.budgetBytes;
                headroom = pv.headroomBytes;
                fits = pv.fits;
            }
    }
    switch (role) {
    case Qt::DisplayRole:
        if (!budget)
            return tr("%1 / —").arg(bytes(used));
        return tr("%1 / %2\n%3").arg(bytes(used), bytes(*budget),
                                     fits ? tr("%1 free").arg(bytes(static_cast<std::uint64_t>(headroom)))
                                          : tr("%1 over").arg(bytes(static_cast<std::uint64_t>(-headroom))));
    case Qt::BackgroundRole:
        if (!budget)
            return {};
        return fits ? fitsBackground() : overBackground();
    case Qt::ForegroundRole:
        return budget && !fits ? worseColor() : QVariant();
    case Qt::ToolTipRole:
        return budget ? tr("headroom %1").arg(signedBytes(headroom)) : tr("no budget for this purpose");
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignCenter);
    case FitsRole:
        return budget ? QVariant(fits) : QVariant();
    case HeadroomRole:
        return QVariant::fromValue<qint64>(headroom);
    default:
        return {};
    }
}

QVariant BudgetMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role != Qt::DisplayRole || section < 0 || section > static_cast<int>(m_rows.size()))
            return {};
        return section == 0 ? tr("Total") : QString::fromStdString(m_rows[static_cast<std::size_t>(section - 1)].displayName());
    }
    if (section < 0 || static_cast<std::size_t>(section) >= m_budgets.size())
        return {};
    const Budget& b = m_budgets[static_cast<std::size_t>(section)];
    const bool fits = static_cast<std::size_t>(section) < m_verdicts.size() && m_verdicts[static_cast<std::size_t>(section)].fits;
    switch (role) {
    case Qt::DisplayRole: {
        // "V6R Medium (default)" as two lines: seven columns must fit a 1280 px window
        QString name = QString::fromStdString(b.name);
        if (const auto open = name.lastIndexOf(QStringLiteral(" (")); open > 0 && name.endsWith(QLatin1Char(')')))
            name[open] = QLatin1Char('\n');
        return tr("%1\n%2 · %3").arg(name, bytes(b.totalBytes),
                                     m_verdicts.empty() ? QString() : fits ? tr("fits") : tr("OVER"));
    }
    case Qt::ToolTipRole:
        return QString::fromStdString(b.source);
    case Qt::ForegroundRole:
        return m_verdicts.empty() || fits ? QVariant() : QVariant(worseColor());
    default:
        return {};
    }
}

} // namespace flight::ui
