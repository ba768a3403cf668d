// SPDX-License-Identifier: MIT
#pragma once
// The Fleet view: every VM a Prometheus knows (FleetTableModel), sortable
// and filterable, refreshed every 15 s by FleetLoader off the UI thread. A
// failed refresh says why above the table and keeps the last rows. Opening a
// row asks for that VM's history (FleetLoader::loadHistory); "Go Live"
// connects to its agent: enabled only once a check off the UI thread found
// the agent answering at its address (fleet::agentConnectUrl), its tooltip
// saying why not otherwise. The address is a peer's: shown encoded, never as HTML.

#include <QUrl>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace flight::fleet {
struct FleetSnapshot;
}

namespace flight::ui {

class FleetLoader;
class FleetTableModel;

class FleetPage : public QWidget {
    Q_OBJECT
public:
    explicit FleetPage(QWidget* parent = nullptr);

    // Starts watching the Prometheus at `url` (refreshes at once, then every
    // 15 s), sending `token` as a bearer token when not empty.
    void setPrometheus(const QUrl& url, const QByteArray& token = {});
    FleetTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    FleetLoader* loader() const { return m_loader; }
    QString errorText() const;
    QPushButton* goLiveButton() const { return m_live; }
    // Opens the history of the row (of the view, sorted and filtered).
    void openRow(int viewRow);

Q_SIGNALS:
    void fleetShown();                 // a refresh reached the table
    void refreshFailed(const QString& reason);
    void goLiveRequested(const QUrl& websocket);

private:
    void replaceRowsKeepingSelection(const fleet::FleetSnapshot& snapshot);
    void onSelectionChanged();
    void onAgentProbed(const QUrl& url, const QString& problem);
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
    QUrl m_liveUrl;       // where Go Live connects for the selected row (checked or being checked)
    bool m_liveReachable = false;
};

} // namespace flight::ui
