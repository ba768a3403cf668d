// SPDX-License-Identifier: MIT
#include "export_report_dialog.h"

#include "report_export.h"

#include "budgets/budget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace flight::ui {
namespace {
const char* const kLastFolderKey = "export/lastFolder";
}

ExportReportDialog::ExportReportDialog(std::optional<std::pair<double, double>> range, QWidget* parent)
    : QDialog(parent)
    , m_range(range)
{
    setWindowTitle(tr("Export Report"));
    m_format = new QComboBox(this);
    const QStringList names{tr("HTML (one self-contained page)"), tr("PDF (vector charts)"), tr("Markdown (for an issue)"),
                            tr("JSON (docs/report-schema.json)"), tr("CSV (time series by purpose)")};
    for (int i = 0; i < kReportFormats.size(); ++i)
        m_format->addItem(names[i], kReportFormats[i]);
    m_platform = new QComboBox(this);
    m_platform->addItem(tr("Every platform"), QString());
    for (const Budget& b : builtinBudgets())
        m_platform->addItem(QString::fromStdString(b.name), QString::fromStdString(b.platform));
    m_at = new QComboBox(this);
    m_at->addItem(tr("at the peak"), static_cast<int>(UsagePoint::Peak));
    m_at->addItem(tr("at the 95th percentile"), static_cast<int>(UsagePoint::P95));
    m_at->addItem(tr("at the end"), static_cast<int>(UsagePoint::End));
    m_useRange = new QCheckBox(range ? tr("Only the selected range (%1 s .. %2 s)").arg(range->first, 0, 'f', 1).arg(range->second, 0, 'f', 1)
                                     : tr("Only the selected range (Ctrl+drag on the timeline to select one)"), this);
    m_useRange->setEnabled(range.has_value());
    m_useRange->setChecked(range.has_value());
    // The folder of the last export, while it exists; the home folder the first time.
    QString folder = QSettings().value(QLatin1String(kLastFolderKey)).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QDir::homePath();
    m_path = new QLineEdit(QDir(folder).filePath(QStringLiteral("flight-report.html")), this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("&Budgets:"), m_platform);
    form->addRow(tr("&Usage:"), m_at);
    form->addRow(QString(), m_useRange);
    // A row whose field is a layout gets a label without buddy, which draws its '&': give it one.
    auto* saveTo = new QLabel(tr("&Save to:"), this);
    saveTo->setBuddy(m_path);
    form->addRow(saveTo, pathRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        QSettings().setValue(QLatin1String(kLastFolderKey), QFileInfo(path()).absolutePath());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &ExportReportDialog::chooseFile);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportReportDialog::syncSuffix);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

QString ExportReportDialog::format() const
{
    return m_format->currentData().toString();
}

QString ExportReportDialog::path() const
{
    return m_path->text().trimmed();
}

reports::ReportOptions ExportReportDialog::options() const
{
    reports::ReportOptions o;
    const QString platform = m_platform->currentData().toString();
    if (!platform.isEmpty())
        o.platform = platform.toStdString();
    o.at = static_cast<UsagePoint>(m_at->currentData().toInt());
    if (m_range && m_useRange->isChecked()) {
        o.rangeFromSeconds = m_range->first;
        o.rangeToSeconds = m_range->second;
    }
    return o;
}

void ExportReportDialog::syncSuffix()
{
    QFileInfo info(path());
    m_path->setText(info.dir().filePath(info.completeBaseName() + QLatin1Char('.') + format()));
}

void ExportReportDialog::chooseFile()
{
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export Report"), path(),
                                                        tr("%1 files (*.%2)").arg(format().toUpper(), format()));
    if (!chosen.isEmpty())
        m_path->setText(chosen);
}

} // namespace flight::ui
