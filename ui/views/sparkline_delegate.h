// SPDX-License-Identifier: MIT
#pragma once
// Draws a row's sparkline (FleetTableModel::SparklineRole, a bounded list of
// values, oldest first) as a small polyline scaled to the row's own maximum.

#include <QStyledItemDelegate>

namespace flight::ui {

class SparklineDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace flight::ui
