// SPDX-License-Identifier: MIT
#include "connect_dialog.h"

#include "style/theme_colors.h"

#include "fleet/prometheus_client.h"
#include "live/client/live_connection.h"
#include "live/v8/v8_discovery.h"

#include <QCheckBox>
#include <QComboBox>
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
// One per kind, in the order of ConnectDialog::Kind.
const char* const kLastTextKeys[] = {"connect/lastUrl", "connect/lastV8", "connect/lastPrometheus"};
const char* const kLastKindKey = "connect/lastKind";

int kindIndex(ConnectDialog::Kind k)
{
    return static_cast<int>(k);
}
}

ConnectDialog::ConnectDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect"));
    m_kind = new QComboBox(this);
    m_kind->addItem(tr("Flight producer or agent (ws://, wss://)"));
    m_kind->addItem(tr("V8 inspector port (Node.js --inspect, Chromium, Electron)"));
    m_kind->addItem(tr("Prometheus: the fleet and its history (http://, https://)"));
    m_kind->setToolTip(tr("A V8 inspector port is watched through a flight-agent the window starts "
                          "(flight-agent serve --source v8:HOST:PORT); it stops when you close the connection.\n"
                          "A Prometheus (or Thanos, Mimir, VictoriaMetrics) that scrapes your agents opens the Fleet view."));
    m_url = new QLineEdit(this);
    // Only the URLs are remembered, without credentials (redacted on save).
    for (int k = 0; k < 3; ++k)
        m_lastText[k] = QSettings().value(QLatin1String(kLastTextKeys[k])).toString();
    m_token = new QLineEdit(this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("optional: sent as Authorization: Bearer"));
    m_token->setToolTip(tr("Held in memory for this connection only; never written to a recording, report, log or settings."));
    m_remember = new QCheckBox(tr("Remember the token in the desktop keychain"), this);
    m_remember->setToolTip(tr("Where no keychain answers, the token is not remembered; it is never written to a file."));
    m_certificate = new QLabel(tr("none (certificate errors fail the connection)"), this);
    auto* chooseCert = new QPushButton(tr("Trust Certificate…"), this);
    m_chooseCertificate = chooseCert;
    auto* certRow = new QHBoxLayout;
    certRow->addWidget(m_certificate, 1);
    certRow->addWidget(chooseCert);

    m_error = new QLabel(this);
    showAsErrorText(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        QSettings settings;
        settings.setValue(QLatin1String(kLastKindKey), m_kind->currentIndex());
        if (isV8()) {
            settings.setValue(QLatin1String(kLastTextKeys[kindIndex(Kind::V8Port)]), v8Endpoint());
        } else {
            QUrl redacted = url();
            redacted.setUserInfo(QString());
            redacted.setQuery(QString());
            settings.setValue(QLatin1String(kLastTextKeys[m_kind->currentIndex()]), redacted.toString());
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(chooseCert, &QPushButton::clicked, this, &ConnectDialog::chooseCertificate);
    connect(m_url, &QLineEdit::textChanged, this, &ConnectDialog::validate);

    auto* form = new QFormLayout;
    form->addRow(tr("&Connect to:"), m_kind);
    m_addressLabel = new QLabel(tr("&URL:"), this);
    m_addressLabel->setBuddy(m_url);
    form->addRow(m_addressLabel, m_url);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(QString(), m_remember);
    form->addRow(tr("TLS:"), certRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    const int lastKind = QSettings().value(QLatin1String(kLastKindKey), 0).toInt();
    m_kind->setCurrentIndex(lastKind >= 0 && lastKind < m_kind->count() ? lastKind : 0);
    m_shownKind = m_kind->currentIndex();
    kindChanged();
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this]() {
        m_lastText[m_shownKind] = m_url->text(); // what the other kind had
        m_shownKind = m_kind->currentIndex();
        kindChanged();
        if (!isV8() && problem().isEmpty())
            Q_EMIT rememberedTokenWanted(url());
    });
    resize(560, sizeHint().height());
    validate();
}

void ConnectDialog::kindChanged()
{
    const bool v8 = isV8();
    const bool prometheus = isPrometheus();
    m_addressLabel->setText(v8 ? tr("&Address:") : tr("&URL:"));
    m_url->setPlaceholderText(v8           ? QStringLiteral("127.0.0.1:9229")
                              : prometheus ? QStringLiteral("http://127.0.0.1:9090")
                                           : QStringLiteral("ws://127.0.0.1:8765"));
    m_url->setText(m_lastText[m_kind->currentIndex()]);
    // The inspector port has no token and no TLS (V8's design): loopback only.
    for (QWidget* w : {static_cast<QWidget*>(m_token), static_cast<QWidget*>(m_remember)})
        w->setEnabled(!v8);
    // Prometheus over https is checked against the system's certificate authorities only.
    m_certificate->setEnabled(!v8 && !prometheus);
    m_chooseCertificate->setEnabled(!v8 && !prometheus);
    m_chooseCertificate->setToolTip(prometheus ? tr("A Prometheus over https is checked against the system's certificate authorities")
                                               : QString());
    if (prometheus)
        m_certificate->setText(tr("the system's certificate authorities (https)"));
    else
        m_certificate->setText(m_trusted.isEmpty() ? tr("none (certificate errors fail the connection)") : m_trustedText);
    m_ok->setText(prometheus ? tr("Open Fleet") : tr("Connect"));
    validate();
}

ConnectDialog::Kind ConnectDialog::kind() const
{
    return static_cast<Kind>(m_kind->currentIndex());
}

void ConnectDialog::setKind(Kind kind)
{
    m_kind->setCurrentIndex(kindIndex(kind));
}

bool ConnectDialog::isV8() const
{
    return kind() == Kind::V8Port;
}

bool ConnectDialog::isPrometheus() const
{
    return kind() == Kind::Prometheus;
}

void ConnectDialog::setAddress(const QString& text)
{
    m_url->setText(text);
}

QString ConnectDialog::v8Endpoint() const
{
    return m_url->text().trimmed();
}

QUrl ConnectDialog::url() const
{
    if (isPrometheus()) {
        const auto parsed = fleet::PrometheusClient::parseUrl(m_url->text());
        return parsed ? *parsed : QUrl();
    }
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
    if (isV8()) {
        if (v8Endpoint().isEmpty())
            return tr("Enter the inspector's HOST:PORT, e.g. 127.0.0.1:9229 (node --inspect=127.0.0.1:9229)");
        const auto endpoint = live::parseV8Endpoint(v8Endpoint(), false);
        if (!endpoint && !live::isLoopbackHost(v8Endpoint().section(QLatin1Char(':'), 0, -2).remove(QLatin1Char('[')).remove(QLatin1Char(']'))))
            return tr("Only a loopback inspector (127.0.0.1, ::1, localhost): anyone who reaches the port can run code "
                      "in the program. Forward a remote one over SSH (ssh -L 9229:127.0.0.1:9229 host).");
        if (!endpoint)
            return QString::fromStdString(endpoint.error().message);
        return {};
    }
    if (isPrometheus()) {
        if (m_url->text().trimmed().isEmpty())
            return tr("Enter the Prometheus URL, e.g. http://127.0.0.1:9090");
        const auto parsed = fleet::PrometheusClient::parseUrl(m_url->text());
        return parsed ? QString() : QString::fromStdString(parsed.error().message);
    }
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
    m_trustedText = tr("%n certificate(s) from %1", nullptr, static_cast<int>(m_trusted.size())).arg(path);
    m_certificate->setText(m_trustedText);
}

} // namespace flight::ui
