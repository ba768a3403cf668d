// SPDX-License-Identifier: MIT
#pragma once
// Every VM a Prometheus knows (core/fleet/fleet_query.h) as a table row:
// instance, session, platform, used / total, pressure now, time in critical
// over the last hour, the worst budget verdict, and a sparkline of used
// (SparklineRole: the points, at most FleetQueryOptions::sparklinePoints).
// A refresh replaces the rows at once (the snapshot is built off the UI thread).

#include "models/column_table_model.h"

#include "fleet/fleet_query.h"

#include <vector>

namespace flight::ui {

class FleetTableModel : public ColumnTableModel {
    Q_OBJECT
public:
    enum Column { Instance, Session, Platform, Used, Pressure, Critical, Budget, Trend, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int SparklineRole = Qt::UserRole + 2; // QList<double>, oldest first
    static constexpr int WebSocketRole = Qt::UserRole + 3; // the agent's ws:// URL, empty when unknown

    explicit FleetTableModel(QObject* parent = nullptr);

    void setSnapshot(fleet::FleetSnapshot snapshot);
    const fleet::FleetVm& vm(int row) const { return m_vms[static_cast<std::size_t>(row)]; }

    QVariant data(const QModelIndex& index, int role) const override;

private:
    int rows() const override;

    std::vector<fleet::FleetVm> m_vms;
};

} // namespace flight::ui
