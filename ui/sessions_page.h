#pragma once
// The page shown once something is open: every session in a sortable table,
// the selected session's memory report beside it, and the load's problems.

#include "loaded_recording.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace flight::ui {

class SessionListModel;

class SessionsPage : public QWidget {
    Q_OBJECT
public:
    explicit SessionsPage(QWidget* parent = nullptr);

    void addRecording(const LoadedRecordingPtr& recording);
    void clear();
    int sessionCount() const;
    SessionListModel* model() const { return m_model; }

private:
    void showSelected();
    void updateProblems();

    SessionListModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QPlainTextEdit* m_report = nullptr;
    QLabel* m_problems = nullptr;
    std::vector<LoadedRecordingPtr> m_recordings;
};

} // namespace flight::ui
