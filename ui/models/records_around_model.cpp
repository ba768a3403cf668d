// SPDX-License-Identifier: MIT
#include "records_around_model.h"

#include "style/size_format.h"
#include "timeline/timeline_readout.h"
#include "timeline/timeline_series_builder.h"

#include <QFont>

namespace flight::ui {

RecordsAroundModel::RecordsAroundModel(QObject* parent)
    : ColumnTableModel({tr("Time"), tr("Line"), tr("Record"), tr("Id"), tr("Size"), tr("Purpose or message")}, parent)
{
}

void RecordsAroundModel::setResult(SeekResultPtr result, std::int64_t originMs)
{
    beginResetModel();
    m_result = std::move(result);
    m_originMs = originMs;
    endResetModel();
}

int RecordsAroundModel::rows() const
{
    return m_result && m_result->around ? static_cast<int>(m_result->around->rows.size()) : 0;
}

int RecordsAroundModel::rowAtSeekTime() const
{
    return m_result && m_result->around ? static_cast<int>(m_result->around->rowsBefore) : 0;
}

QVariant RecordsAroundModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rows() || index.column() >= ColumnCount)
        return {};
    const recording::RecordAround& r = m_result->around->rows[static_cast<std::size_t>(index.row())];
    if (role == TimeRole)
        return QVariant::fromValue<qlonglong>(r.timeMs);
    if (role == Qt::TextAlignmentRole)
        return index.column() == Time || index.column() == Line || index.column() == Size
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::FontRole && index.row() == rowAtSeekTime()) { // the first record at the seek's time
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time: return formatTimelineSeconds(toSeconds(r.timeMs, m_originMs));
    case Line: return QVariant::fromValue<qulonglong>(r.line);
    case Record: return QString::fromStdString(r.type);
    case Id: return QString::fromStdString(r.id);
    case Size: return r.kind == recording::RecordKind::Allocation ? formatSize(r.bytes) : QString();
    case Detail: return QString::fromStdString(r.purpose.empty() ? r.text : r.purpose);
    }
    return {};
}

} // namespace flight::ui
