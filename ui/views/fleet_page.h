// SPDX-License-Identifier: MIT
#pragma once
// The Fleet view: every VM a Prometheus knows (FleetTableModel), sortable
// and filterable, refreshed every 15 s by FleetLoader off the UI thread. A
// failed refresh says why above the table and keeps the last rows. Opening a
// row asks for that VM's history (historyRequested); "Go live" connects to
// its agent when the agent's WebSocket address is known.

#include <QUrl>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace flight::ui {

class FleetLoader;
class FleetTableModel;

class FleetPage : public QWidget {
    Q_OBJECT
public:
    explicit FleetPage(QWidget* parent = nullptr);

    // Starts watching the Prometheus at `url` (refreshes at once, then every 15 s).
    void setPrometheus(const QUrl& url);
    FleetTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    FleetLoader* loader() const { return m_loader; }
    QString errorText() const;
    // Opens the history of the row (of the view, sorted and filtered).
    void openRow(int viewRow);

Q_SIGNALS:
    void fleetShown();                 // a refresh reached the table
    void refreshFailed(const QString& reason);
    void goLiveRequested(const QUrl& websocket);

private:
    void onSelectionChanged();
    void showError(const QString& text);

    FleetLoader* m_loader = nullptr;
    FleetTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_source = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_live = nullptr;
    QTimer* m_timer = nullptr;
};

} // namespace flight::ui
