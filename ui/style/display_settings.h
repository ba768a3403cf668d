// SPDX-License-Identifier: MIT
#pragma once
// How the inspector shows things: appearance (follow the system, light, dark)
// and the units sizes are written in. Chosen in Preferences, kept in QSettings
// under "display/"; one instance per process, views redraw on changed().

#include "model/memory_size.h"

#include <QObject>
#include <QString>

class QAbstractItemModel;

namespace flight::ui {

enum class Appearance { System, Light, Dark };

class DisplaySettings : public QObject {
    Q_OBJECT
public:
    static DisplaySettings& instance();

    Appearance appearance() const { return m_appearance; }
    ByteUnits units() const { return m_units; }
    void setAppearance(Appearance a);
    void setUnits(ByteUnits u);

    // Reads / writes QSettings (the application's organisation and name).
    void load();
    void save() const;

    static QString toKey(Appearance a);
    static QString toKey(ByteUnits u);
    static Appearance appearanceFromKey(const QString& key); // System for anything unknown
    static ByteUnits unitsFromKey(const QString& key);       // Protocol for anything unknown

Q_SIGNALS:
    void changed();

private:
    DisplaySettings() = default;
    Appearance m_appearance = Appearance::System;
    ByteUnits m_units = ByteUnits::Protocol;
};

// Makes `model` tell its views that every cell changed whenever the display settings do
// (sizes are formatted at data() time, so they follow the units then).
void refreshOnDisplayChange(QAbstractItemModel* model);

} // namespace flight::ui
