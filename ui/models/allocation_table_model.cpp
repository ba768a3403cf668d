// SPDX-License-Identifier: MIT
#include "allocation_table_model.h"

#include "style/app_style.h"

#include "style/display_settings.h"
#include "style/size_format.h"

#include <QCoreApplication>
#include <QColor>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace flight::ui {
namespace {
QString seconds(std::int64_t ms, std::int64_t origin)
{
    return QStringLiteral("%1 s").arg(static_cast<double>(ms - origin) / 1000.0, 0, 'f', 3);
}
} // namespace

AllocationTableModel::AllocationTableModel(QObject* parent)
    : ColumnTableModel({tr("Id"), tr("Purpose"), tr("Size"), tr("Allocated at"), tr("Freed at"), tr("Lifetime"),
                        tr("State")}, parent)
{
    refreshOnDisplayChange(this);
}

AllocationTableModel::~AllocationTableModel() = default;

void AllocationTableModel::setSession(const SessionModel* session, std::shared_ptr<const std::vector<AllocationRow>> rows)
{
    beginResetModel();
    m_session = session;
    m_rows = std::move(rows);
    m_result = {};
    ++m_generation; // anything in flight is for the previous session
    endResetModel();
    runQuery();
}

void AllocationTableModel::setFilter(const AllocationFilter& filter)
{
    m_filter = filter;
    runQuery();
}

void AllocationTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= static_cast<int>(AllocationColumn::Count))
        return;
    m_sortColumn = static_cast<AllocationColumn>(column);
    m_ascending = order == Qt::AscendingOrder;
    runQuery();
}

void AllocationTableModel::runQuery()
{
    if (!m_session || !m_rows) {
        Q_EMIT queryFinished();
        return;
    }
    const quint64 generation = ++m_generation;
    m_busy = true;
    QPointer<AllocationTableModel> self(this);
    auto rows = m_rows;
    const SessionModel* session = m_session;
    const AllocationFilter filter = m_filter;
    const AllocationColumn column = m_sortColumn;
    const bool ascending = m_ascending;
    (void)QtConcurrent::run([self, generation, rows, session, filter, column, ascending]() {
        auto result = std::make_shared<AllocationQueryResult>(runAllocationQuery(*rows, *session, filter, column, ascending));
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, result]() {
            if (!self || generation != self->m_generation)
                return; // superseded by a newer filter, sort or session
            self->beginResetModel();
            self->m_result = std::move(*result);
            self->m_busy = false;
            self->endResetModel();
            Q_EMIT self->queryFinished();
        }, Qt::QueuedConnection);
    });
}

int AllocationTableModel::rows() const
{
    return static_cast<int>(m_result.rows.size());
}

const AllocationRow* AllocationTableModel::rowAt(int row) const
{
    if (!m_rows || row < 0 || static_cast<std::size_t>(row) >= m_result.rows.size())
        return nullptr;
    return &(*m_rows)[m_result.rows[static_cast<std::size_t>(row)]];
}

QVariant AllocationTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_session)
        return {};
    const AllocationRow& r = (*m_rows)[m_result.rows[static_cast<std::size_t>(index.row())]];
    const auto col = static_cast<AllocationColumn>(index.column());
    const std::int64_t origin = m_session->firstMs();
    const std::int64_t lifetime = (r.freed() ? r.freedAt : m_session->lastMs()) - r.allocatedAt;
    if (role == Qt::DisplayRole) {
        switch (col) {
        case AllocationColumn::Id: return QString::fromStdString(m_session->allocation(r.index).id);
        case AllocationColumn::Purpose: return QString::fromStdString(MemoryPurpose::fromId(r.purpose).displayName());
        case AllocationColumn::Size: return formatSize(r.bytes);
        case AllocationColumn::AllocatedAt: return seconds(r.allocatedAt, origin);
        case AllocationColumn::FreedAt: return r.freed() ? seconds(r.freedAt, origin) : QStringLiteral("—");
        case AllocationColumn::Lifetime:
            return QStringLiteral("%1%2 s").arg(r.freed() ? QString() : QStringLiteral("≥ "))
                .arg(static_cast<double>(lifetime) / 1000.0, 0, 'f', 3);
        case AllocationColumn::State: return r.freed() ? tr("freed") : tr("live");
        case AllocationColumn::Count: break;
        }
    } else if (role == SortRole) {
        switch (col) {
        case AllocationColumn::Size: return QVariant::fromValue(r.bytes);
        case AllocationColumn::AllocatedAt: return QVariant::fromValue(r.allocatedAt);
        case AllocationColumn::Lifetime: return QVariant::fromValue(lifetime);
        default: return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::DecorationRole && col == AllocationColumn::Purpose) {
        return purposeColor(r.purpose);
    } else if (role == Qt::TextAlignmentRole) {
        if (col == AllocationColumn::Size || col == AllocationColumn::AllocatedAt || col == AllocationColumn::FreedAt
            || col == AllocationColumn::Lifetime)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ForegroundRole && col == AllocationColumn::State && !r.freed()) {
        return worseColor();
    }
    return {};
}

} // namespace flight::ui
