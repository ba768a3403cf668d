#include "session_list_model.h"

#include "app_style.h"

#include "model/memory_size.h"

#include <QFileInfo>

namespace flight::ui {

SessionListModel::SessionListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void SessionListModel::addRecording(const LoadedRecordingPtr& recording)
{
    const auto& store = *recording->store;
    if (store.sessionCount() == 0)
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(store.sessionCount()) - 1);
    for (std::size_t i = 0; i < store.sessionCount(); ++i) {
        const SessionModel& s = store.session(i);
        const MemoryStats stats = s.calculateMemoryStats();
        SessionRow r;
        r.source = QFileInfo(recording->path).fileName();
        r.sessionId = QString::fromStdString(s.info().sessionId);
        r.platform = QString::fromStdString(s.info().platform);
        r.state = s.endedAt() ? tr("ended") : tr("recorded");
        r.usedBytes = s.usedBytes();
        r.totalBytes = s.info().totalBytes;
        r.peakBytes = s.peakBytes();
        r.pressure = static_cast<int>(s.pressure());
        r.reportedPressure = s.reportedPressure() ? static_cast<int>(*s.reportedPressure()) : -1;
        r.activeAllocations = stats.activeAllocations;
        r.totalAllocations = stats.totalAllocations;
        r.recording = recording;
        r.sessionIndex = i;
        m_rows.push_back(std::move(r));
    }
    endInsertRows();
}

void SessionListModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int SessionListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SessionListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {
QString bytes(quint64 b)
{
    return QString::fromStdString(formatBytes(b));
}
const char* const kPressureNames[] = {QT_TRANSLATE_NOOP("SessionListModel", "low"),
                                      QT_TRANSLATE_NOOP("SessionListModel", "medium"),
                                      QT_TRANSLATE_NOOP("SessionListModel", "high"),
                                      QT_TRANSLATE_NOOP("SessionListModel", "critical")};
} // namespace

QVariant SessionListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionRow& r = m_rows[static_cast<std::size_t>(index.row())];
    const auto col = static_cast<Column>(index.column());
    if (role == Qt::DisplayRole) {
        switch (col) {
        case Source: return r.source;
        case Session: return r.sessionId;
        case Platform: return r.platform;
        case State: return r.state;
        case Used: return bytes(r.usedBytes);
        case Total: return r.totalBytes ? bytes(r.totalBytes) : tr("unknown");
        case Peak: return bytes(r.peakBytes);
        case Pressure: {
            QString text = tr(kPressureNames[r.pressure]);
            if (r.reportedPressure >= 0 && r.reportedPressure != r.pressure)
                text += tr(" (reported %1)").arg(tr(kPressureNames[r.reportedPressure]));
            return text;
        }
        case Allocations: return tr("%L1 live / %L2").arg(r.activeAllocations).arg(r.totalAllocations);
        case ColumnCount: break;
        }
    } else if (role == SortRole) {
        switch (col) {
        case Used: return r.usedBytes;
        case Total: return r.totalBytes;
        case Peak: return r.peakBytes;
        case Pressure: return r.pressure;
        case Allocations: return r.activeAllocations;
        default: return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::DecorationRole && col == Pressure) {
        return pressureColor(r.pressure);
    } else if (role == Qt::TextAlignmentRole) {
        if (col == Used || col == Total || col == Peak || col == Allocations)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole && col == Used && r.totalBytes) {
        return tr("%1 of %2 (%3 %)").arg(bytes(r.usedBytes), bytes(r.totalBytes))
            .arg(100.0 * static_cast<double>(r.usedBytes) / static_cast<double>(r.totalBytes), 0, 'f', 1);
    }
    return {};
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(section)) {
    case Source: return tr("Source");
    case Session: return tr("Session");
    case Platform: return tr("Platform");
    case State: return tr("State");
    case Used: return tr("Used");
    case Total: return tr("Total");
    case Peak: return tr("Peak");
    case Pressure: return tr("Pressure");
    case Allocations: return tr("Allocations");
    case ColumnCount: break;
    }
    return {};
}

} // namespace flight::ui
