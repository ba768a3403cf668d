// SPDX-License-Identifier: MIT
#include "about_dialog.h"

#include "licence.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

namespace flight::ui {

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Flight Memory Inspector"));
    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/flight-inspector.svg")).pixmap(64, 64));
    auto* text = new QLabel(this);
    text->setTextFormat(Qt::RichText);
    text->setText(tr("<h3>Flight Memory Inspector %1</h3>"
                     "<p>Inspect the memory of live V6R virtual machines and Flight-Core sessions,<br>"
                     "replay recordings, compare platform budgets and export reports.</p>"
                     "<p>Protocol: flight-memory/1 (flight:memory@1.0.0)<br>Built with Qt %2, running on Qt %3.</p>"
                     "<p>%4<br>%5</p>")
                      .arg(QStringLiteral(FLIGHT_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()),
                           QString::fromLatin1(kCopyrightLine), QString::fromLatin1(kLicenceLine)));
    auto* row = new QHBoxLayout;
    row->addWidget(icon, 0, Qt::AlignTop);
    row->addWidget(text, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
}

} // namespace flight::ui
