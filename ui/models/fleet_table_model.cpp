// SPDX-License-Identifier: MIT
#include "models/fleet_table_model.h"

#include "model/time_text.h"
#include "style/app_style.h"
#include "style/size_format.h"

#include <QList>

namespace flight::ui {
namespace {

const char* const kPressureNames[] = {QT_TRANSLATE_NOOP("FleetTableModel", "low"),
                                      QT_TRANSLATE_NOOP("FleetTableModel", "medium"),
                                      QT_TRANSLATE_NOOP("FleetTableModel", "high"),
                                      QT_TRANSLATE_NOOP("FleetTableModel", "critical")};

} // namespace

FleetTableModel::FleetTableModel(QObject* parent)
    : ColumnTableModel({tr("Instance"), tr("Session"), tr("Platform"), tr("Used / total"), tr("Pressure"),
                        tr("Critical (1 h)"), tr("Budget"), tr("Last 15 min")}, parent)
{
}

void FleetTableModel::setSnapshot(fleet::FleetSnapshot snapshot)
{
    beginResetModel();
    m_vms = std::move(snapshot.vms);
    endResetModel();
}

int FleetTableModel::rows() const
{
    return static_cast<int>(m_vms.size());
}

QVariant FleetTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const fleet::FleetVm& vm = m_vms[static_cast<std::size_t>(index.row())];
    const auto col = static_cast<Column>(index.column());
    const bool knownPressure = vm.pressureLevel >= 0 && vm.pressureLevel <= 3;
    if (role == Qt::DisplayRole) {
        switch (col) {
        case Instance: return QString::fromStdString(vm.instance);
        case Session:
            return vm.ended ? tr("%1 (ended)").arg(QString::fromStdString(vm.session)) : QString::fromStdString(vm.session);
        case Platform: return QString::fromStdString(vm.platform);
        case Used:
            return vm.totalBytes ? tr("%1 / %2").arg(formatSize(vm.usedBytes), formatSize(*vm.totalBytes))
                                 : formatSize(vm.usedBytes);
        case Pressure: return knownPressure ? tr(kPressureNames[vm.pressureLevel]) : tr("unknown");
        case Critical:
            return vm.criticalSeconds > 0
                ? QString::fromStdString(formatDuration(static_cast<std::int64_t>(vm.criticalSeconds * 1000)))
                : tr("none");
        case Budget:
            return vm.verdict == fleet::FleetVerdict::NoBudget ? tr("no budget")
                : vm.verdict == fleet::FleetVerdict::Over       ? tr("OVER")
                                                                : tr("fits");
        case Trend:
        case ColumnCount: break;
        }
    } else if (role == SortRole) {
        switch (col) {
        case Used: return vm.totalBytes && *vm.totalBytes > 0
                ? static_cast<double>(vm.usedBytes) / static_cast<double>(*vm.totalBytes)
                : static_cast<double>(vm.usedBytes) / 1e18;
        case Pressure: return vm.pressureLevel;
        case Critical: return vm.criticalSeconds;
        case Budget: return static_cast<int>(vm.verdict);
        case Trend: return static_cast<qulonglong>(vm.peakBytes);
        default: return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::ToolTipRole) {
        switch (col) {
        case Instance:
            return tr("Scrape target %1, agent %2").arg(QString::fromStdString(vm.instance), QString::fromStdString(vm.agentInstance));
        case Budget:
            return vm.verdictBudget.empty() ? tr("No shipped budget for this platform")
                                            : tr("The last hour's peak against %1").arg(QString::fromStdString(vm.verdictBudget));
        case Trend: return tr("Used over the last 15 minutes; the last hour's peak %1").arg(formatSize(vm.peakBytes));
        default: break;
        }
    } else if (role == Qt::ForegroundRole) {
        if (col == Pressure && knownPressure)
            return pressureColor(vm.pressureLevel);
        if (col == Budget && vm.verdict == fleet::FleetVerdict::Over)
            return pressureColor(3);
    } else if (role == Qt::TextAlignmentRole) {
        if (col == Used || col == Critical)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == SparklineRole && col == Trend) {
        return QVariant::fromValue(QList<double>(vm.sparkline.begin(), vm.sparkline.end()));
    } else if (role == WebSocketRole) {
        return QString::fromStdString(vm.websocket);
    }
    return {};
}

} // namespace flight::ui
