// SPDX-License-Identifier: MIT
#pragma once
// File › Connect…: a ws:// or wss:// URL, an optional bearer token and an
// optional certificate to trust. The token is never written to a file; when
// the user asks, the window remembers it in the desktop's keychain.

#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace flight::ui {

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget* parent = nullptr);

    QUrl url() const;
    QByteArray token() const;
    bool rememberToken() const;
    // A token the keychain holds for `url`: filled in when the URL still matches.
    void setRememberedToken(const QUrl& url, const QByteArray& token);
    QList<QSslCertificate> trustedCertificates() const { return m_trusted; }
    // Empty when the input can be used, else what to fix.
    QString problem() const;

private:
    void validate();
    void chooseCertificate();

    QLineEdit* m_url = nullptr;
    QLineEdit* m_token = nullptr;
    QCheckBox* m_remember = nullptr;
    QLabel* m_certificate = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_ok = nullptr;
    QList<QSslCertificate> m_trusted;
};

} // namespace flight::ui
