// SPDX-License-Identifier: MIT
#pragma once
// Help › About: what this is, its version and the Qt it runs on.

#include <QDialog>

namespace flight::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);
};

} // namespace flight::ui
