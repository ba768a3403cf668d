// SPDX-License-Identifier: MIT
#include "display_settings.h"

#include <QAbstractItemModel>
#include <QSettings>

namespace flight::ui {
namespace {
const QString kAppearanceKey = QStringLiteral("display/appearance");
const QString kUnitsKey = QStringLiteral("display/units");
} // namespace

DisplaySettings& DisplaySettings::instance()
{
    static DisplaySettings* settings = new DisplaySettings; // lives as long as the process, like qApp's palette
    return *settings;
}

void DisplaySettings::setAppearance(Appearance a)
{
    if (a == m_appearance)
        return;
    m_appearance = a;
    Q_EMIT changed();
}

void DisplaySettings::setUnits(ByteUnits u)
{
    if (u == m_units)
        return;
    m_units = u;
    Q_EMIT changed();
}

void DisplaySettings::load()
{
    QSettings s;
    const Appearance a = appearanceFromKey(s.value(kAppearanceKey).toString());
    const ByteUnits u = unitsFromKey(s.value(kUnitsKey).toString());
    const bool differs = a != m_appearance || u != m_units;
    m_appearance = a;
    m_units = u;
    if (differs)
        Q_EMIT changed();
}

void DisplaySettings::save() const
{
    QSettings s;
    s.setValue(kAppearanceKey, toKey(m_appearance));
    s.setValue(kUnitsKey, toKey(m_units));
}

QString DisplaySettings::toKey(Appearance a)
{
    switch (a) {
    case Appearance::Light: return QStringLiteral("light");
    case Appearance::Dark: return QStringLiteral("dark");
    case Appearance::System: break;
    }
    return QStringLiteral("system");
}

QString DisplaySettings::toKey(ByteUnits u)
{
    switch (u) {
    case ByteUnits::Binary: return QStringLiteral("binary");
    case ByteUnits::Decimal: return QStringLiteral("decimal");
    case ByteUnits::Protocol: break;
    }
    return QStringLiteral("protocol");
}

Appearance DisplaySettings::appearanceFromKey(const QString& key)
{
    if (key == QLatin1String("light"))
        return Appearance::Light;
    if (key == QLatin1String("dark"))
        return Appearance::Dark;
    return Appearance::System;
}

ByteUnits DisplaySettings::unitsFromKey(const QString& key)
{
    if (key == QLatin1String("binary"))
        return ByteUnits::Binary;
    if (key == QLatin1String("decimal"))
        return ByteUnits::Decimal;
    return ByteUnits::Protocol;
}

void refreshOnDisplayChange(QAbstractItemModel* model)
{
    QObject::connect(&DisplaySettings::instance(), &DisplaySettings::changed, model, [model]() {
        const int rows = model->rowCount();
        const int columns = model->columnCount();
        if (rows > 0 && columns > 0)
            Q_EMIT model->dataChanged(model->index(0, 0), model->index(rows - 1, columns - 1));
    });
}

} // namespace flight::ui
