// SPDX-License-Identifier: MIT
#include "preferences_dialog.h"

#include "style/app_style.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>

namespace flight::ui {

PreferencesDialog::PreferencesDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Preferences"));
    setObjectName(QStringLiteral("PreferencesDialog"));

    auto* look = new QGroupBox(tr("Appearance"), this);
    auto* lookLayout = new QVBoxLayout(look);
    m_appearance = new QButtonGroup(this);
    const QString systemNow = resolvedAppearance(Appearance::System) == Appearance::Dark ? tr("dark") : tr("light");
    const std::pair<Appearance, QString> looks[] = {
        {Appearance::System, tr("Follow the system (now %1)").arg(systemNow)},
        {Appearance::Light, tr("Light")},
        {Appearance::Dark, tr("Dark")},
    };
    for (const auto& [value, text] : looks) {
        auto* b = new QRadioButton(text, look);
        m_appearance->addButton(b, static_cast<int>(value));
        lookLayout->addWidget(b);
    }

    auto* sizes = new QGroupBox(tr("Sizes"), this);
    auto* sizeLayout = new QVBoxLayout(sizes);
    m_units = new QButtonGroup(this);
    const std::tuple<ByteUnits, QString, QString> units[] = {
        {ByteUnits::Binary, tr("Binary: KiB, MiB, GiB (1 MiB = 1,048,576 bytes)"), tr("As most memory tools count.")},
        {ByteUnits::Decimal, tr("Decimal: kB, MB, GB (1 MB = 1,000,000 bytes)"), tr("As disk and network sizes are sold.")},
        {ByteUnits::Protocol, tr("As recordings write them: KB, MB, GB of 1024"),
         tr("The spelling of the protocol's humanReadable fields and of the command-line reports.")},
    };
    for (const auto& [value, text, tip] : units) {
        auto* b = new QRadioButton(text, sizes);
        b->setToolTip(tip);
        m_units->addButton(b, static_cast<int>(value));
        sizeLayout->addWidget(b);
    }
    m_sample = new QLabel(sizes);
    m_sample->setForegroundRole(QPalette::PlaceholderText);
    sizeLayout->addWidget(m_sample);

    auto* window = new QGroupBox(tr("Window"), this);
    auto* windowLayout = new QVBoxLayout(window);
    m_restoreLayout = new QCheckBox(tr("Restore the window's size and panel layout at start"), window);
    auto* reset = new QPushButton(tr("Reset Layout"), window);
    reset->setToolTip(tr("Put the sessions list and the pressure gauge back where they start"));
    windowLayout->addWidget(m_restoreLayout);
    windowLayout->addWidget(reset, 0, Qt::AlignLeft);
    connect(reset, &QPushButton::clicked, this, &PreferencesDialog::resetLayoutRequested);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(look);
    layout->addWidget(sizes);
    layout->addWidget(window);
    layout->addStretch(1);
    layout->addWidget(buttons);

    const DisplaySettings& current = DisplaySettings::instance();
    setAppearance(current.appearance());
    setUnits(current.units());
    m_restoreLayout->setChecked(QSettings().value(restoreLayoutKey(), true).toBool());
    connect(m_units, &QButtonGroup::idClicked, this, &PreferencesDialog::updateSample);
    updateSample();
}

Appearance PreferencesDialog::appearance() const
{
    return static_cast<Appearance>(m_appearance->checkedId());
}

void PreferencesDialog::setAppearance(Appearance a)
{
    m_appearance->button(static_cast<int>(a))->setChecked(true);
}

ByteUnits PreferencesDialog::units() const
{
    return static_cast<ByteUnits>(m_units->checkedId());
}

void PreferencesDialog::setUnits(ByteUnits u)
{
    m_units->button(static_cast<int>(u))->setChecked(true);
    updateSample();
}

bool PreferencesDialog::restoreLayout() const
{
    return m_restoreLayout->isChecked();
}

void PreferencesDialog::apply() const
{
    DisplaySettings& settings = DisplaySettings::instance();
    settings.setAppearance(appearance());
    settings.setUnits(units());
    settings.save();
    QSettings().setValue(restoreLayoutKey(), restoreLayout());
}

QString PreferencesDialog::restoreLayoutKey()
{
    return QStringLiteral("window/restoreLayout");
}

void PreferencesDialog::updateSample()
{
    const ByteUnits u = units();
    m_sample->setText(tr("For example: 536,870,912 bytes show as %1, 16,000,000 bytes as %2.")
                          .arg(QString::fromStdString(formatBytes(512ull << 20, u)),
                               QString::fromStdString(formatBytes(16'000'000, u))));
}

} // namespace flight::ui
