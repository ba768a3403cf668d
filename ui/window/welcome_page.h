// SPDX-License-Identifier: MIT
#pragma once
// The empty state: what a user can do when nothing is open yet.

#include <QWidget>

class QAbstractButton;
class QListWidget;
class QLabel;

namespace flight::ui {

class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    // Greys out a start action and says why on hover (for features a build lacks).
    void setConnectAvailable(bool available, const QString& reason = {});
    void setDemoAvailable(bool available, const QString& reason = {});
    // The sample recordings shipped with the product, offered as examples.
    void setExamples(const QStringList& paths);

Q_SIGNALS:
    void openRecordingRequested();
    void connectRequested();
    void demoRequested();
    void exampleRequested(const QString& path);

protected:
    void changeEvent(QEvent* event) override; // restyles the start cards for a new palette

private:
    QAbstractButton* m_open = nullptr;
    QAbstractButton* m_connect = nullptr;
    QAbstractButton* m_demo = nullptr;
    QLabel* m_examplesTitle = nullptr;
    QListWidget* m_examples = nullptr;
};

} // namespace flight::ui
