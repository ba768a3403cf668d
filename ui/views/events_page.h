// SPDX-License-Identifier: MIT
#pragma once
// The Events view: what happened in the selected session, in time order
// (errors with their line or frame, decode errors, warnings, notes, markers,
// pressure transitions, limit crossings), filterable by kind. Selecting a row
// moves the shared cursor there; double-click or Enter also shows the timeline.

#include "analytics/session_events.h"

#include <QWidget>

#include <array>
#include <memory>
#include <vector>

class QLabel;
class QTableView;
class QToolButton;

namespace flight::ui {

class EventListModel;

class EventsPage : public QWidget {
    Q_OBJECT
public:
    explicit EventsPage(QWidget* parent = nullptr);

    void setEvents(std::shared_ptr<const std::vector<EventLogEntry>> events, std::int64_t originMs);
    EventListModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QToolButton* kindButton(EventLogKind kind) const { return m_kinds[static_cast<std::size_t>(kind)]; }

Q_SIGNALS:
    void eventSelected(std::int64_t timeMs);  // a row became current: move the cursor
    void eventActivated(std::int64_t timeMs); // double-click / Enter: and show it on the timeline
    void filterChanged();                     // the shown kinds changed (the replay steps over what is shown)

private:
    void updateButtons();

    EventListModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_empty = nullptr;
    std::array<QToolButton*, kEventLogKindCount> m_kinds{};
};

} // namespace flight::ui
