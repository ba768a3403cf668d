// SPDX-License-Identifier: MIT
#pragma once
// A ring in the highlight colour around the widget that has keyboard focus in
// one window. The style draws focus on few widgets (none on tables or the
// charts), so a keyboard user could not tell which pane Tab had reached. The
// ring is a child of the focused widget's window laid over it; it lets the
// mouse through and follows focus, moves and resizes.

#include <QPointer>
#include <QWidget>

namespace flight::ui {

class FocusRing : public QWidget {
    Q_OBJECT
public:
    // Rings the focused widgets inside `window` (and the docks it floats).
    explicit FocusRing(QWidget* window);

    QWidget* target() const { return m_target; }

protected:
    void paintEvent(QPaintEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void follow(QWidget* focus);
    void place();
    void watch(QWidget* target, bool on);

    QPointer<QWidget> m_window;
    QPointer<QWidget> m_target;
};

} // namespace flight::ui
