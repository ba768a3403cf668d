// SPDX-License-Identifier: MIT
#include "budget_editor_dialog.h"

#include "style/theme_colors.h"

#include "model/memory_size.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace flight::ui {

BudgetEditorDialog::BudgetEditorDialog(const Budget& budget, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Edit Budget"));
    m_name = new QLineEdit(QString::fromStdString(budget.name), this);
    m_platform = new QLineEdit(QString::fromStdString(budget.platform), this);
    m_total = new QLineEdit(QString::fromStdString(formatBytes(budget.totalBytes)), this);
    m_total->setToolTip(tr("Sizes: 64MB, 1.5 GB, 16 MiB or a number of bytes"));

    m_purposes = new QTableWidget(static_cast<int>(kStandardPurposeCount), 2, this);
    m_purposes->setHorizontalHeaderLabels({tr("Purpose"), tr("Budget (empty: none)")});
    m_purposes->verticalHeader()->hide();
    m_purposes->horizontalHeader()->setStretchLastSection(true);
    std::vector<MemoryPurpose> purposes;
    for (std::uint16_t i = 0; i < kStandardPurposeCount; ++i)
        purposes.push_back(MemoryPurpose::fromId(i));
    for (const auto& pb : budget.purposes)
        if (pb.purpose.isCustom())
            purposes.push_back(pb.purpose);
    m_purposes->setRowCount(static_cast<int>(purposes.size()));
    for (int row = 0; row < static_cast<int>(purposes.size()); ++row) {
        const MemoryPurpose p = purposes[static_cast<std::size_t>(row)];
        auto* name = new QTableWidgetItem(QString::fromStdString(std::string(p.name())));
        name->setFlags(Qt::ItemIsEnabled);
        m_purposes->setItem(row, 0, name);
        const auto b = budget.budgetFor(p);
        m_purposes->setItem(row, 1, new QTableWidgetItem(b ? QString::fromStdString(formatBytes(*b)) : QString()));
    }
    m_purposes->resizeColumnToContents(0);

    m_error = new QLabel(this);
    showAsErrorText(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Save);
    m_ok->setText(tr("Save As…"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Platform:"), m_platform);
    form->addRow(tr("&Total:"), m_total);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_purposes, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_name, &QLineEdit::textChanged, this, &BudgetEditorDialog::validate);
    connect(m_platform, &QLineEdit::textChanged, this, &BudgetEditorDialog::validate);
    connect(m_total, &QLineEdit::textChanged, this, &BudgetEditorDialog::validate);
    connect(m_purposes, &QTableWidget::itemChanged, this, &BudgetEditorDialog::validate);
    resize(420, 460);
    validate();
}

Result<Budget> BudgetEditorDialog::budget() const
{
    Budget b;
    b.name = m_name->text().trimmed().toStdString();
    b.platform = m_platform->text().trimmed().toStdString();
    if (b.platform.empty())
        return makeError(MemoryErrorCode::MalformedInput, "platform: give the platform profile (e.g. psp)");
    auto total = MemorySize::parse(m_total->text().toStdString());
    if (!total)
        return makeError(MemoryErrorCode::MalformedInput, "total: " + total.error().message);
    b.totalBytes = total->bytes;
    for (int row = 0; row < m_purposes->rowCount(); ++row) {
        const QString text = m_purposes->item(row, 1) ? m_purposes->item(row, 1)->text().trimmed() : QString();
        if (text.isEmpty())
            continue;
        const std::string name = m_purposes->item(row, 0)->text().toStdString();
        auto size = MemorySize::parse(text.toStdString());
        if (!size)
            return makeError(MemoryErrorCode::MalformedInput, name + ": " + size.error().message);
        b.purposes.push_back({MemoryPurpose::fromName(name), size->bytes});
    }
    return b;
}

void BudgetEditorDialog::validate()
{
    const auto b = budget();
    m_error->setText(b ? QString() : QString::fromStdString(b.error().message));
    m_ok->setEnabled(b.has_value());
}

} // namespace flight::ui
