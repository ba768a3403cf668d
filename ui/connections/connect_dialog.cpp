// SPDX-License-Identifier: MIT
#include "connect_dialog.h"

#include "style/theme_colors.h"

#include "live/live_connection.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace flight::ui {
namespace {
const char* const kLastUrlKey = "connect/lastUrl";
}

ConnectDialog::ConnectDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to a Live Session"));
    m_url = new QLineEdit(this);
    m_url->setPlaceholderText(QStringLiteral("ws://127.0.0.1:8765"));
    // Only the URL is remembered, without credentials (redacted on save).
    m_url->setText(QSettings().value(QLatin1String(kLastUrlKey)).toString());
    m_token = new QLineEdit(this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("optional: sent as Authorization: Bearer"));
    m_token->setToolTip(tr("Held in memory for this connection only; never written to a recording, report, log or settings."));
    m_remember = new QCheckBox(tr("Remember the token in the desktop keychain"), this);
    m_remember->setToolTip(tr("Where no keychain answers, the token is not remembered; it is never written to a file."));
    m_certificate = new QLabel(tr("none (certificate errors fail the connection)"), this);
    auto* chooseCert = new QPushButton(tr("Trust Certificate…"), this);
    auto* certRow = new QHBoxLayout;
    certRow->addWidget(m_certificate, 1);
    certRow->addWidget(chooseCert);

    m_error = new QLabel(this);
    showAsErrorText(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        QUrl redacted = url();
        redacted.setUserInfo(QString());
        redacted.setQuery(QString());
        QSettings().setValue(QLatin1String(kLastUrlKey), redacted.toString());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(chooseCert, &QPushButton::clicked, this, &ConnectDialog::chooseCertificate);
    connect(m_url, &QLineEdit::textChanged, this, &ConnectDialog::validate);

    auto* form = new QFormLayout;
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(QString(), m_remember);
    form->addRow(tr("TLS:"), certRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
    validate();
}

QUrl ConnectDialog::url() const
{
    return QUrl(m_url->text().trimmed());
}

QByteArray ConnectDialog::token() const
{
    return m_token->text().trimmed().toUtf8();
}

bool ConnectDialog::rememberToken() const
{
    return m_remember->isChecked();
}

void ConnectDialog::setRememberedToken(const QUrl& url, const QByteArray& token)
{
    if (token.isEmpty() || !m_token->text().isEmpty() || url.adjusted(QUrl::RemoveUserInfo) != this->url().adjusted(QUrl::RemoveUserInfo))
        return;
    m_token->setText(QString::fromUtf8(token));
    m_remember->setChecked(true);
}

QString ConnectDialog::problem() const
{
    const QUrl u = url();
    if (m_url->text().trimmed().isEmpty())
        return tr("Enter the producer's URL, e.g. ws://127.0.0.1:8765");
    if (!u.isValid() || (u.scheme() != QStringLiteral("ws") && u.scheme() != QStringLiteral("wss")) || u.host().isEmpty())
        return tr("The URL must start with ws:// or wss:// and name a host");
    return {};
}

void ConnectDialog::validate()
{
    const QString p = problem();
    // Nothing typed yet is no mistake: the placeholder shows the form, Connect stays off.
    m_error->setText(m_url->text().trimmed().isEmpty() ? QString() : p);
    m_ok->setEnabled(p.isEmpty());
}

void ConnectDialog::chooseCertificate()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Trust Certificate"), QString(),
                                                      tr("PEM certificates (*.pem *.crt);;All files (*)"));
    if (path.isEmpty())
        return;
    auto certs = live::loadPemCertificates(path);
    if (!certs) {
        m_error->setText(QString::fromStdString(certs.error().message));
        return;
    }
    m_trusted = *certs;
    m_certificate->setText(tr("%n certificate(s) from %1", nullptr, static_cast<int>(m_trusted.size())).arg(path));
}

} // namespace flight::ui
