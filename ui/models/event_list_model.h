// SPDX-License-Identifier: MIT
#pragma once
// The Events view's rows: one session's EventLogEntry list (built by the
// loader's worker), shown in time order and filtered by kind. The list is
// shared and never mutated; filtering keeps a vector of row positions.

#include "models/column_table_model.h"

#include "analytics/session_events.h"

#include <array>
#include <memory>
#include <vector>

namespace flight::ui {

class EventListModel : public ColumnTableModel {
    Q_OBJECT
public:
    enum Column { Time, Kind, Line, Message, ColumnCount };
    enum Role { TimeRole = Qt::UserRole + 1, KindRole };

    explicit EventListModel(QObject* parent = nullptr);

    // originMs: the session's first instant (times show as seconds from it).
    void setEvents(std::shared_ptr<const std::vector<EventLogEntry>> events, std::int64_t originMs);
    void setKindShown(EventLogKind kind, bool shown);
    bool isKindShown(EventLogKind kind) const { return m_shown[static_cast<std::size_t>(kind)]; }
    // Every entry of each kind, filtered or not.
    const std::array<std::size_t, kEventLogKindCount>& counts() const { return m_counts; }
    const EventLogEntry& entry(int row) const;
    // Times of the rows shown, ascending (for stepping the replay from event to event).
    std::vector<std::int64_t> shownTimes() const;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    static QString kindName(EventLogKind kind);

private:
    int rows() const override;

    void refilter();

    std::shared_ptr<const std::vector<EventLogEntry>> m_events;
    std::vector<std::uint32_t> m_rows; // positions into *m_events
    std::array<bool, kEventLogKindCount> m_shown{};
    std::array<std::size_t, kEventLogKindCount> m_counts{};
    std::int64_t m_originMs = 0;
};

} // namespace flight::ui
