// SPDX-License-Identifier: MIT
#pragma once
// File › Connect…: a ws:// or wss:// URL, an optional bearer token and an
// optional certificate to trust; or a V8 inspector port (HOST:PORT on
// loopback), watched through an agent the window starts. The token is never
// written to a file; when the user asks, the window remembers it in the
// desktop's keychain.

#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace flight::ui {

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget* parent = nullptr);

    // A V8 inspector port rather than a Flight producer's URL.
    bool isV8() const;
    // HOST:PORT of the V8 inspector (isV8()).
    QString v8Endpoint() const;
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

    void kindChanged();

    QComboBox* m_kind = nullptr;
    QLabel* m_addressLabel = nullptr;
    QLineEdit* m_url = nullptr;
    QString m_lastUrl, m_lastV8;   // what each kind had, so switching back restores it
    QLineEdit* m_token = nullptr;
    QCheckBox* m_remember = nullptr;
    QLabel* m_certificate = nullptr;
    QPushButton* m_chooseCertificate = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_ok = nullptr;
    QList<QSslCertificate> m_trusted;
};

} // namespace flight::ui
