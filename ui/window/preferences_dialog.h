// SPDX-License-Identifier: MIT
#pragma once
// Edit › Preferences…: appearance (follow the system, light, dark), the units
// sizes are shown in, and the window layout. OK applies and remembers them.

#include "style/display_settings.h"

#include <QDialog>

class QButtonGroup;
class QCheckBox;
class QLabel;

namespace flight::ui {

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget* parent = nullptr);

    Appearance appearance() const;
    void setAppearance(Appearance a);
    ByteUnits units() const;
    void setUnits(ByteUnits u);
    bool restoreLayout() const;
    // Writes the choices to DisplaySettings (views redraw) and QSettings.
    void apply() const;

    // QSettings key of "restore the window layout at start" (default on).
    static QString restoreLayoutKey();

Q_SIGNALS:
    void resetLayoutRequested();

private:
    void updateSample();

    QButtonGroup* m_appearance = nullptr;
    QButtonGroup* m_units = nullptr;
    QCheckBox* m_restoreLayout = nullptr;
    QLabel* m_sample = nullptr;
};

} // namespace flight::ui
