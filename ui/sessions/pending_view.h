// SPDX-License-Identifier: MIT
#pragma once
// A tab's page that shows its view, or instead a note saying why the view has
// nothing yet ("still computing…", "loading… 40 %"): never the view with data
// of another session while its own is on the way.

#include <QStackedWidget>

class QLabel;

namespace flight::ui {

class PendingView : public QStackedWidget {
    Q_OBJECT
public:
    // Takes `view` as its first page.
    explicit PendingView(QWidget* view, QWidget* parent = nullptr);

    void setPending(const QString& note);
    void showView();
    // Shows `page` instead of the view and the note (taken as a page on first use):
    // what can be shown meanwhile, e.g. the records around a seek while loading.
    void showStandIn(QWidget* page);
    bool showsStandIn(const QWidget* page) const { return currentWidget() == page; }
    bool isPending() const;
    QString note() const;

private:
    QWidget* m_view;
    QLabel* m_note;
};

} // namespace flight::ui
