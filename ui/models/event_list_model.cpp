// SPDX-License-Identifier: MIT
#include "event_list_model.h"

#include "style/theme_colors.h"

#include <QColor>
#include <QGuiApplication>

namespace flight::ui {

EventListModel::EventListModel(QObject* parent)
    : ColumnTableModel({tr("Time"), tr("Kind"), tr("Line"), tr("Event")}, parent)
{
    m_shown.fill(true);
}

QString EventListModel::kindName(EventLogKind kind)
{
    switch (kind) {
    case EventLogKind::Error: return tr("Error");
    case EventLogKind::DecodeError: return tr("Decode error");
    case EventLogKind::Warning: return tr("Warning");
    case EventLogKind::Note: return tr("Note");
    case EventLogKind::Marker: return tr("Marker");
    case EventLogKind::Pressure: return tr("Pressure");
    case EventLogKind::Limit: return tr("Limit");
    }
    return {};
}

void EventListModel::setEvents(std::shared_ptr<const std::vector<EventLogEntry>> events, std::int64_t originMs)
{
    beginResetModel();
    m_events = std::move(events);
    m_originMs = originMs;
    m_counts = m_events ? countByKind(*m_events) : std::array<std::size_t, kEventLogKindCount>{};
    refilter();
    endResetModel();
}

void EventListModel::setKindShown(EventLogKind kind, bool shown)
{
    if (m_shown[static_cast<std::size_t>(kind)] == shown)
        return;
    beginResetModel();
    m_shown[static_cast<std::size_t>(kind)] = shown;
    refilter();
    endResetModel();
}

void EventListModel::refilter()
{
    m_rows.clear();
    if (!m_events)
        return;
    for (std::size_t i = 0; i < m_events->size(); ++i)
        if (m_shown[static_cast<std::size_t>((*m_events)[i].kind)])
            m_rows.push_back(static_cast<std::uint32_t>(i));
}

const EventLogEntry& EventListModel::entry(int row) const
{
    return (*m_events)[m_rows[static_cast<std::size_t>(row)]];
}

std::vector<std::int64_t> EventListModel::shownTimes() const
{
    std::vector<std::int64_t> times;
    times.reserve(m_rows.size());
    for (const auto r : m_rows)
        if (times.empty() || times.back() != (*m_events)[r].timeMs)
            times.push_back((*m_events)[r].timeMs); // the list is in time order already
    return times;
}

int EventListModel::rows() const
{
    return static_cast<int>(m_rows.size());
}

QVariant EventListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EventLogEntry& e = entry(index.row());
    if (role == TimeRole)
        return QVariant::fromValue<qint64>(e.timeMs);
    if (role == KindRole)
        return static_cast<int>(e.kind);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time: return QStringLiteral("%1 s").arg(static_cast<double>(e.timeMs - m_originMs) / 1000.0, 0, 'f', 3);
        case Kind: return kindName(e.kind);
        case Line: return e.line ? QVariant::fromValue<qulonglong>(e.line) : QVariant(QStringLiteral("—"));
        case Message: return QString::fromStdString(e.text);
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        QString tip = QString::fromStdString(e.text);
        if (e.line)
            tip += tr("\nLine (or frame) %1 of the stream.").arg(e.line);
        if (e.kind == EventLogKind::DecodeError || e.kind == EventLogKind::Warning || e.kind == EventLogKind::Note)
            tip += tr("\nA refused line has no time of its own: it is shown at the time the stream had reached.");
        tip += tr("\nDouble-click or Enter: show this instant on the timeline.");
        return tip;
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Time || index.column() == Line))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == Kind) {
        switch (e.kind) {
        case EventLogKind::Error:
        case EventLogKind::DecodeError: return errorTextColor(QGuiApplication::palette());
        case EventLogKind::Warning:
        case EventLogKind::Limit: return warningTextColor(QGuiApplication::palette());
        default: return {};
        }
    }
    return {};
}

} // namespace flight::ui
