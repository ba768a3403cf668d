// SPDX-License-Identifier: MIT
#include "ranked_allocation_model.h"

#include "style/app_style.h"

#include "style/display_settings.h"
#include "style/size_format.h"

namespace flight::ui {

RankedAllocationModel::RankedAllocationModel(QObject* parent)
    : ColumnTableModel({tr("#"), tr("Id"), tr("Purpose"), tr("Size"), tr("Allocated at"),
                        tr("Lifetime")}, parent)
{
    refreshOnDisplayChange(this);
}

void RankedAllocationModel::setRows(const SessionModel* session, std::vector<RankedAllocation> rows)
{
    beginResetModel();
    m_session = session;
    m_rows = session ? std::move(rows) : std::vector<RankedAllocation>{};
    endResetModel();
}

int RankedAllocationModel::rows() const
{
    return static_cast<int>(m_rows.size());
}

QVariant RankedAllocationModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_session)
        return {};
    const RankedAllocation& r = rowAt(index.row());
    if (role == AllocatedAtRole)
        return QVariant::fromValue<qint64>(r.allocatedAt);
    if (role == IndexRole)
        return QVariant::fromValue<qulonglong>(r.index);
    const auto seconds = [](std::int64_t ms) { return QStringLiteral("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 3); };
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Rank: return index.row() + 1;
        case Id: return QString::fromStdString(m_session->allocation(r.index).id);
        case Purpose: return QString::fromStdString(m_session->allocation(r.index).purpose.displayName());
        case Size: return formatSize(r.bytes);
        case AllocatedAt: return seconds(r.allocatedAt - m_session->firstMs());
        case Lifetime: return (r.freedAt ? QString() : QStringLiteral("≥ ")) + seconds(r.lifetimeMs);
        default: return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == Purpose)
        return purposeColor(m_session->allocation(r.index).purpose.id());
    if (role == Qt::ToolTipRole) {
        return r.freedAt ? tr("Freed at %1 s. Click to move the cursor to its allocation.")
                               .arg(static_cast<double>(*r.freedAt - m_session->firstMs()) / 1000.0, 0, 'f', 3)
                         : tr("Still live at the end of the session (its lifetime counts to the last instant). "
                              "Click to move the cursor to its allocation.");
    }
    if (role == Qt::TextAlignmentRole && index.column() != Id && index.column() != Purpose)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

} // namespace flight::ui
